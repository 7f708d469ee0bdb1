"""Kill -9 a syncing laptop (or cut its server session) at chosen moments: nothing is lost,
nothing is applied twice, and the next sync completes.

Quick by default (5 rounds); ``FIELDBOOK_SYNC_KILLS=40`` runs longer
(``FIELDBOOK_SYNC_SEED`` varies the moments).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select

from app.models import Account
from app.models.replica import create_replica
from app.models.store import open_workspace
from app.services import sync
from tests.sync.team import Team, admin_sql, as_login, differences, team

KILLS = int(os.environ.get("FIELDBOOK_SYNC_KILLS", "5"))
SEED = int(os.environ.get("FIELDBOOK_SYNC_SEED", "20261202"))
ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX"),
]
__all__ = ["team"]


def _start(replica: Path, progress: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "tests" / "sync" / "sync_proc.py"),
            str(replica),
            str(progress),
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _phases(progress: Path) -> list[str]:
    if not progress.exists():
        return []
    return progress.read_text(encoding="utf-8").split("\n")[:-1]


def test_killing_a_sync_at_any_moment_loses_nothing(team: Team) -> None:
    rng = random.Random(SEED)
    server = team.server()
    with server.session() as session:
        for n in range(60):
            session.add(Account(name=f"Bulk {n:02}", owner="Lee Lead"))
    path = team.folder / "a.db"
    create_replica(as_login(team.url, "lee"), path)
    laptop = open_workspace(path)
    with laptop.read() as session:
        ids = list(session.scalars(select(Account.id).where(Account.name.like("Bulk%"))))
    expected_notes: dict[str, str] = {}
    expected_tier: dict[str, int] = {}
    killed = {"laptop": 0, "server session": 0, "finished": 0}
    for round_ in range(KILLS):
        with laptop.session() as session:  # offline work on the laptop
            for n, key in enumerate(rng.sample(ids, 45)):
                note = f"r{round_}-{n}"
                session.get(Account, key).notes = note  # type: ignore[union-attr]
                expected_notes[key] = note
        with server.session() as session:  # and the team's, meanwhile
            for key in rng.sample(ids, 20):
                tier = rng.randint(1, 4)
                session.get(Account, key).tier = tier  # type: ignore[union-attr]
                expected_tier[key] = tier
        laptop.close()  # the workspace is the child's while it syncs
        progress = team.folder / f"progress-{round_}"
        proc = _start(path, progress)
        moment = rng.choice(["sending", "sent", "pulled", "sending:server"])
        phase, _, how = moment.partition(":")
        deadline = time.monotonic() + 60
        while phase not in _phases(progress) and "done" not in _phases(progress):
            assert proc.poll() is None or "done" in _phases(progress), proc.stderr.read()  # type: ignore[union-attr]
            assert time.monotonic() < deadline
            time.sleep(0.002)  # polling the child's progress file, not waiting for a result
        time.sleep(rng.uniform(0, 0.03))
        if how == "server":
            admin_sql(
                team.url,
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE usename = 'lee' AND pid <> pg_backend_pid()",
            )
            killed["server session"] += 1
            proc.wait(60)
        elif proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(60)
            killed["laptop"] += 1
        else:
            killed["finished"] += 1
        laptop = open_workspace(path)
        result = sync.sync(laptop)  # the next sync completes
        assert result.conflicts == []
        assert differences(laptop, server) == []
    with server.read() as session:
        for key, note in expected_notes.items():
            account = session.get(Account, key)
            assert account is not None and account.notes == note
            assert account.tier == expected_tier.get(key, account.tier)
    engine = create_engine(team.url)
    with engine.connect() as connection:
        log = connection.exec_driver_sql(
            "SELECT count(*), count(DISTINCT (tbl, row_key, field, value, hlc)) FROM sync_log "
            "WHERE left(node, 4) = 'lee@' AND node <> 'lee@server'"
        ).one()
    engine.dispose()
    assert log[0] == log[1]  # no change of the laptop's was applied twice
    with laptop.engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM sync_outbox").scalar() == 0
    assert sync.conflicts(laptop) == []
    laptop.close()
    assert killed["laptop"] + killed["server session"] > 0, killed
