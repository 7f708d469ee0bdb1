"""Kill -9 a syncing laptop (or cut its server session, or crash the server) at chosen
moments: nothing is lost, nothing is applied twice, and the next sync completes.

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
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.engine import make_url

from app.models import Account
from app.models.opening import open_workspace
from app.models.replica_copy import create_replica
from app.models.store import Store
from app.services import sync
from tests.pg.server import LocalServer
from tests.sync.team import (
    Team,
    admin_sql,
    as_login,
    build_team,
    differences,
    team,
    use_test_passwords,
)

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


@dataclass
class Book:
    """Bulk accounts on a team workspace, a laptop replica of them, what each should end as."""

    url: str
    server: Store
    path: Path
    ids: list[str]
    notes: dict[str, str] = field(default_factory=dict)
    tiers: dict[str, int] = field(default_factory=dict)

    @classmethod
    def make(cls, url: str, server: Store, folder: Path) -> Book:
        with server.session() as session:
            for n in range(60):
                session.add(Account(name=f"Bulk {n:02}", owner="Lee Lead"))
        path = folder / "a.db"
        create_replica(as_login(url, "lee"), path)
        laptop = open_workspace(path)
        with laptop.read() as session:
            ids = list(session.scalars(select(Account.id).where(Account.name.like("Bulk%"))))
        laptop.close()
        return cls(url, server, path, ids)

    def offline_work(self, rng: random.Random, round_: int) -> None:
        """The laptop's offline edits, and the team's meanwhile."""
        laptop = open_workspace(self.path)
        with laptop.session() as session:
            for n, key in enumerate(rng.sample(self.ids, 45)):
                note = f"r{round_}-{n}"
                session.get(Account, key).notes = note  # type: ignore[union-attr]
                self.notes[key] = note
        laptop.close()  # the workspace is the child's while it syncs
        with self.server.session() as session:
            for key in rng.sample(self.ids, 20):
                tier = rng.randint(1, 4)
                session.get(Account, key).tier = tier  # type: ignore[union-attr]
                self.tiers[key] = tier

    def sync_at(self, progress: Path, phase: str) -> subprocess.Popen[bytes]:
        """A child syncing the laptop, once it has reached ``phase`` (or finished)."""
        proc = _start(self.path, progress)
        deadline = time.monotonic() + 60
        while phase not in _phases(progress) and "done" not in _phases(progress):
            assert proc.poll() is None or "done" in _phases(progress), proc.stderr.read()  # type: ignore[union-attr]
            assert time.monotonic() < deadline
            time.sleep(0.002)  # polling the child's progress file, not waiting for a result
        return proc

    def next_sync_completes(self) -> None:
        laptop = open_workspace(self.path)
        try:
            result = sync.sync(laptop)
            assert result.conflicts == []
            assert differences(laptop, self.server) == []
        finally:
            laptop.close()

    def nothing_lost(self) -> None:
        """Every edit is on the server, none applied twice, nothing waits, nothing conflicts."""
        with self.server.read() as session:
            for key, note in self.notes.items():
                account = session.get(Account, key)
                assert account is not None and account.notes == note
                assert account.tier == self.tiers.get(key, account.tier)
        engine = create_engine(self.url)
        with engine.connect() as connection:
            log = connection.exec_driver_sql(
                "SELECT count(*), count(DISTINCT (tbl, row_key, field, value, hlc)) "
                "FROM sync_log WHERE left(node, 4) = 'lee@' AND node <> 'lee@server'"
            ).one()
        engine.dispose()
        assert log[0] == log[1]  # no change of the laptop's was applied twice
        laptop = open_workspace(self.path)
        try:
            with laptop.engine.connect() as connection:
                assert connection.exec_driver_sql("SELECT count(*) FROM sync_outbox").scalar() == 0
            assert sync.conflicts(laptop) == []
        finally:
            laptop.close()


def test_killing_a_sync_at_any_moment_loses_nothing(team: Team) -> None:
    rng = random.Random(SEED)
    book = Book.make(team.url, team.server(), team.folder)
    killed = {"laptop": 0, "server session": 0, "finished": 0}
    for round_ in range(KILLS):
        book.offline_work(rng, round_)
        moment = rng.choice(["sending", "sent", "pulled", "sending:server"])
        phase, _, how = moment.partition(":")
        proc = book.sync_at(team.folder / f"progress-{round_}", phase)
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
        book.next_sync_completes()
    book.nothing_lost()
    assert killed["laptop"] + killed["server session"] > 0, killed


@pytest.fixture
def own_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[LocalServer, str]]:
    """A PostgreSQL server of this test's own (it is crashed), with the test team on it.

    Its commits are durable (the suite's servers acknowledge them before writing them)."""
    server = LocalServer.start()
    try:
        admin_sql(
            server.url, "CREATE DATABASE team", "ALTER DATABASE team SET synchronous_commit = on"
        )
        url = make_url(server.url).set(database="team").render_as_string(False)
        use_test_passwords(monkeypatch, url)
        build_team(url)
        yield server, url
    finally:
        server.stop()


def test_the_server_crashing_during_a_sync_loses_nothing(
    own_server: tuple[LocalServer, str], tmp_path: Path
) -> None:
    pg, url = own_server
    rng = random.Random(SEED)
    server = open_workspace(url)
    try:
        book = Book.make(url, server, tmp_path)
        crashed = 0
        for round_ in range(3):
            book.offline_work(rng, round_)
            server.close()  # the app's own connections die with the server too
            proc = book.sync_at(tmp_path / f"progress-{round_}", rng.choice(["sending", "sent"]))
            # Stop the server as a crash would (no shutdown checkpoint), start it again.
            pg._run("pg_ctl", "-D", str(pg.data), "-m", "immediate", "-l", str(pg.folder / "log"),
                    "-w", "restart")  # fmt: skip
            crashed += int(proc.wait(60) != 0)
            server = open_workspace(url)
            book.server = server
            book.next_sync_completes()
        book.nothing_lost()
        assert crashed > 0
    finally:
        server.close()
