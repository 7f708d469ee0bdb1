"""Child processes for the multi-process safety tests (run with ``sys.executable``).

Modes:
  hold WORKSPACE READY         open the workspace, write READY, wait until stdin closes
  write WORKSPACE PROGRESS     do real edits forever, logging each committed edit's number
  fill WORKSPACE LIMIT RESULT  edit under a file-size limit until a write fails; report it
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from app.models import Account, Contract, Renewal, Stakeholder, StakeholderRelation
from app.models.enums import BuyingRole, RelationKind
from app.models.opening import open_workspace
from app.models.store import Store

#: The two accounts whose ARR the edits move between; their total never changes.
BANK = ("bank-a", "bank-b")
BANK_TOTAL = 2_000_000
#: Rows one edit creates, by table (all tagged with external_id ``e<number>``).
ROWS_PER_EDIT = {"account": 2, "contract": 1, "stakeholder": 2}
#: Every DELETE_EVERY-th edit also deletes the rows of the edit DELETE_LAG before it.
DELETE_EVERY = 5
DELETE_LAG = 3


ROOT = Path(__file__).resolve().parents[2]


def start(*args: str) -> subprocess.Popen[bytes]:
    """Run this file as a child process with ``sys.executable``."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve()), *args],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def wait_for(
    condition: Callable[[], bool], proc: subprocess.Popen[bytes], timeout: float = 60.0
) -> None:
    """Wait (on the child's state, never a bare sleep) until ``condition()`` holds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if proc.poll() is not None:
            err = proc.stderr.read().decode() if proc.stderr else ""
            raise AssertionError(f"child exited with {proc.returncode}: {err}")
        if time.monotonic() > deadline:
            proc.kill()
            raise AssertionError("timed out waiting for the child process")
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=0.02)


def finish(proc: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    """Close the child's stdin and wait for it to exit cleanly."""
    assert proc.stdin is not None
    proc.stdin.close()
    proc.wait(timeout=timeout)
    err = proc.stderr.read().decode() if proc.stderr else ""
    assert proc.returncode == 0, err


def tag(number: int) -> str:
    return f"e{number}"


def setup_bank(store: Store) -> None:
    """The invariant accounts the writer moves money between."""
    with store.session() as session:
        for name in BANK:
            session.add(
                Account(name=name, external_id=name, arr_minor=BANK_TOTAL // 2, currency="EUR")
            )


def edit(store: Store, number: int, rng: random.Random) -> None:
    """One unit of work as the app does them: new account tree with contract and people,
    a transfer of ARR between the bank accounts, and now and then deleting an older edit."""
    with store.session() as session:
        label = tag(number)
        parent = Account(name=f"Customer {number}", external_id=label, currency="EUR")
        child = Account(name=f"Customer {number} EMEA", external_id=label, parent=parent)
        contract = Contract(
            account=parent,
            name=f"Subscription {number}",
            start_date=date(2026, 1, 1),
            end_date=date(2027, 1, 1),
            value_minor=number * 100,
            currency="EUR",
            external_id=label,
        )
        session.add_all([parent, child, contract, Renewal(contract=contract)])
        champion = Stakeholder(
            account=parent, name="Ana", role=BuyingRole.CHAMPION, external_id=label
        )
        buyer = Stakeholder(
            account=parent, name="Ben", role=BuyingRole.ECONOMIC_BUYER, external_id=label
        )
        session.add_all([champion, buyer])
        session.flush()
        session.add(
            StakeholderRelation(
                account_id=parent.id,
                source_id=champion.id,
                target_id=buyer.id,
                kind=RelationKind.INFLUENCE,
            )
        )
        a, b = (session.query(Account).filter(Account.external_id == n).one() for n in BANK)
        amount = rng.randint(1, 5000)
        a.arr_minor -= amount
        b.arr_minor += amount
        if number % DELETE_EVERY == 0 and number > DELETE_LAG:
            old = (
                session.query(Account)
                .filter(
                    Account.external_id == tag(number - DELETE_LAG), Account.parent_id.is_(None)
                )
                .one_or_none()
            )
            if old is not None:
                session.delete(old)


def hold(workspace: Path, ready: Path) -> None:
    store = open_workspace(workspace)
    ready.write_text(str(os.getpid()), encoding="utf-8")
    sys.stdin.read()
    store.close()


def write_forever(workspace: Path, progress: Path, start: int) -> None:
    from app.models.backup import make_backup

    store = open_workspace(workspace)
    rng = random.Random(start)
    number = start
    with progress.open("a", encoding="utf-8") as log:
        while True:
            edit(store, number, rng)
            # After the commit: a kill between the two leaves at most one unlogged edit.
            log.write(f"{number}\n")
            log.flush()
            if number % 7 == 0:
                make_backup(store, "scheduled")
            number += 1


def fill(workspace: Path, limit: int, result: Path) -> None:
    import resource
    import signal

    from app.models.errors import BackupError
    from app.models.storage import io_problem, is_corruption

    store = open_workspace(workspace)
    # Without this the kernel kills the process at the limit instead of failing the write.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))
    rng = random.Random(1)
    committed: list[int] = []
    outcome: dict[str, object] = {}
    number = 1
    try:
        while number < 100_000:
            edit(store, number, rng)
            committed.append(number)
            number += 1
    except Exception as exc:
        outcome["edit_error"] = type(exc).__name__
        outcome["edit_problem"] = io_problem(exc)
        outcome["edit_corruption"] = is_corruption(exc)
    try:
        from app.services.backup import make_backup

        make_backup(store, "manual")
        outcome["backup"] = "made"
    except BackupError as exc:
        outcome["backup"] = str(exc)
    outcome["committed"] = committed
    store.close()
    resource.setrlimit(resource.RLIMIT_FSIZE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
    result.write_text(json.dumps(outcome), encoding="utf-8")


def main(argv: list[str]) -> None:
    mode, workspace = argv[0], Path(argv[1])
    if mode == "hold":
        hold(workspace, Path(argv[2]))
    elif mode == "write":
        write_forever(workspace, Path(argv[2]), int(argv[3]))
    elif mode == "fill":
        fill(workspace, int(argv[2]), Path(argv[3]))
    else:
        raise SystemExit(f"unknown mode {mode}")


if __name__ == "__main__":
    main(sys.argv[1:])
