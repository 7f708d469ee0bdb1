"""Pull the plug: SIGKILL a writer doing real edits at random moments, then check everything.

Quick by default (5 kills); the full run is ``FIELDBOOK_CRASH_KILLS=50 pytest
tests/models/test_crash_kill.py`` (``FIELDBOOK_CRASH_SEED`` varies the moments).
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.models import Account, Contract, Renewal, Stakeholder, StakeholderRelation
from app.models.backup import verify_backup
from app.models.backup_folder import list_backups
from app.models.opening import open_workspace
from app.models.store import Store
from tests.models.workspace_procs import (
    BANK,
    BANK_TOTAL,
    DELETE_EVERY,
    DELETE_LAG,
    ROWS_PER_EDIT,
    setup_bank,
    start,
    wait_for,
)

KILLS = int(os.environ.get("FIELDBOOK_CRASH_KILLS", "5"))
SEED = int(os.environ.get("FIELDBOOK_CRASH_SEED", "20261122"))

pytestmark = [
    pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX"),
    pytest.mark.sqlite_only("kills a process holding the workspace file"),
]


def logged(progress: Path) -> list[int]:
    if not progress.exists():
        return []
    lines = progress.read_text(encoding="utf-8").split("\n")
    # The last line may be cut mid-number by the kill; only whole lines count.
    return [int(line) for line in lines[:-1] if line]


def edits_in(store: Store) -> tuple[dict[int, Counter[str]], int]:
    """Rows per edit number (by table) and the bank accounts' total ARR."""
    rows: dict[int, Counter[str]] = {}
    with store.read() as session:
        for model in (Account, Contract, Stakeholder):
            table = model.__tablename__
            query = select(model.external_id, func.count()).group_by(model.external_id)
            for tag, count in session.execute(query):
                if tag and tag.startswith("e"):
                    rows.setdefault(int(tag[1:]), Counter())[table] = count
        parent = select(Account.external_id, Account.id).where(Account.parent_id.is_(None))
        ids = {acc_id: tag for tag, acc_id in session.execute(parent) if tag.startswith("e")}
        for model in (StakeholderRelation,):
            for acc_id, count in session.execute(
                select(model.account_id, func.count()).group_by(model.account_id)
            ):
                rows.setdefault(int(ids[acc_id][1:]), Counter())["relation"] = count
        for acc_id, count in session.execute(
            select(Contract.account_id, func.count(Renewal.id))
            .join(Renewal, Renewal.contract_id == Contract.id)
            .group_by(Contract.account_id)
        ):
            rows.setdefault(int(ids[acc_id][1:]), Counter())["renewal"] = count
        bank = session.execute(
            select(func.sum(Account.arr_minor)).where(Account.external_id.in_(BANK))
        ).scalar_one()
    return rows, int(bank)


def deleter(number: int) -> int | None:
    later = number + DELETE_LAG
    return later if later % DELETE_EVERY == 0 else None


def check_after_kill(store: Store, committed: list[int], seen: set[int]) -> int:
    """Every edit fully there or fully absent; nothing committed lost. Returns the last edit.

    ``seen`` holds edits found committed after earlier kills though never logged (the kill
    fell between commit and log); they must stay as durable as logged ones. Updated in place.
    """
    rows, bank = edits_in(store)
    assert bank == BANK_TOTAL, "an ARR transfer was half applied"
    full = Counter({**ROWS_PER_EDIT, "relation": 1, "renewal": 1})
    for number, counts in rows.items():
        assert counts == full, f"edit {number} is partly there: {dict(counts)}"
    present = set(rows)
    done = set(committed) | seen
    unlogged = present - done
    # Killed between commit and log: at most that one edit, and it is the newest.
    assert len(unlogged) <= 1
    assert all(n > max(done, default=0) for n in unlogged)
    seen |= unlogged
    applied = done | unlogged
    for number in done:
        later = deleter(number)
        if later is not None and later in applied:
            assert number not in present, f"edit {later} should have deleted edit {number}"
        else:
            assert number in present, f"committed edit {number} was lost"
    return max(applied | {0})


def test_sigkill_at_random_moments_loses_nothing_committed(tmp_path: Path) -> None:
    path = tmp_path / "book.db"
    progress = tmp_path / "progress.log"
    store = open_workspace(path, create=True)
    setup_bank(store)
    store.close()
    rng = random.Random(SEED)
    next_edit = 1
    seen: set[int] = set()
    for _kill in range(KILLS):
        before = len(logged(progress))
        writer = start("write", str(path), str(progress), str(next_edit))
        target = before + rng.randint(1, 6)
        wait_for(lambda: len(logged(progress)) >= target, writer)  # noqa: B023
        # Then a random moment inside the following edits (or backups).
        with contextlib.suppress(subprocess.TimeoutExpired):
            writer.wait(timeout=rng.uniform(0.0, 0.05))
        assert writer.poll() is None, "the writer stopped before it was killed"
        os.kill(writer.pid, signal.SIGKILL)
        writer.wait(timeout=30)
        assert writer.returncode == -signal.SIGKILL

        reopened = open_workspace(path)
        try:
            assert reopened.report.unclean
            assert reopened.report.checks == ["integrity check: ok", "foreign key check: ok"]
            next_edit = check_after_kill(reopened, logged(progress), seen) + 1
        finally:
            reopened.close()
        for info in list_backups(path):
            assert verify_backup(info.path).ok, f"{info.path.name} is not a good backup"
    assert len(logged(progress)) >= KILLS
