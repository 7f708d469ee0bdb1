"""``fieldbook playbooks list|plays|start`` and ``fieldbook cadence``: output and the contract."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from app.cli import main
from app.models import Account, Activity, Contract
from app.models.enums import ActivityKind, Segment
from app.models.store import Store


@pytest.fixture
def db(store: Store) -> str:
    with store.session() as session:
        acme = Account(
            name="Acme",
            owner="Maya",
            segment=Segment.MID_MARKET,
            created_at=datetime(2025, 1, 1, tzinfo=UTC),
        )
        globex = Account(
            name="Globex",
            owner="Sam",
            segment=Segment.SMB,
            created_at=datetime(2025, 1, 1, tzinfo=UTC),
        )
        session.add_all([acme, globex])
        session.flush()
        session.add(
            Activity(
                account_id=acme.id,
                kind=ActivityKind.QBR,
                title="QBR",
                occurred_at=datetime(2026, 1, 13, 10, tzinfo=UTC),
            )
        )
        session.add(
            Contract(
                account_id=acme.id,
                name="Platform",
                start_date=date(2025, 12, 31),
                end_date=date(2026, 12, 31),
                notice_days=90,
            )
        )
    return str(store.path or store.url)  # a file, or a team workspace's address


def digest(path: str) -> str:
    """The workspace file and its write-ahead log (a commit lands in the log first)."""
    sha = hashlib.sha256()
    for part in (Path(path), Path(path + "-wal")):
        sha.update(part.read_bytes() if part.exists() else b"")
    return sha.hexdigest()


def test_list_start_and_plays(db: str, capsys) -> None:
    assert main(["playbooks", "list", "--db", db]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "3-phase onboarding: 13 steps; lifecycle stage set to onboarding"
    assert "Renewal: 5 steps; renewal 120 days away" in out
    assert len(out) == 7

    argv = ["playbooks", "start", "--db", db, "--account", "acme", "--playbook", "renewal"]
    assert main([*argv, "--on", "2026-09-01"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Started “Renewal” on Acme: 5 steps."
    assert "  Wed, Sep 2, 2026   Executive business review (Maya)" in out
    assert "  Fri, Oct 2, 2026   Notice deadline (Maya)" in out

    assert main(["playbooks", "plays", "--db", db, "--owner", "Maya"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "Acme: Renewal (running), 0 of 5 steps; next step due Sep 2, 2026",
        "1 running play.",
    ]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--account", "Nobody", "--playbook", "Renewal"], "There is no account called “Nobody”."),
        (["--account", "Acme", "--playbook", "Nope"], "There is no playbook called “Nope”"),
        (["--account", "Globex", "--playbook", "Renewal"], "Globex has no running contract"),
        (
            ["--account", "Acme", "--playbook", "Renewal", "--on", "soon"],
            "soon is not a date like 2026-03-31: give --on as YYYY-MM-DD.",
        ),
    ],
)
def test_start_refuses_bad_input_and_changes_nothing(db: str, capsys, argv, message) -> None:
    before = digest(db)
    assert main(["playbooks", "start", "--db", db, *argv]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert digest(db) == before


def test_starting_twice_is_refused(db: str, capsys) -> None:
    argv = ["playbooks", "start", "--db", db, "--account", "Acme", "--playbook", "QBR preparation"]
    assert main(argv) == 0
    capsys.readouterr()
    assert main(argv) == 2
    assert "“QBR preparation” is already running on Acme." in capsys.readouterr().err


def test_cadence_lists_gaps_and_overdue_only(db: str, capsys) -> None:
    assert main(["cadence", "--db", db, "--as-of", "2026-05-04", "--overdue"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "Globex: no CBR on record (business review twice a year; never held)",
        "Acme: QBR overdue by 20 days (quarterly business review; last Jan 13, 2026)",
        "2 overdue reviews.",
    ]
    assert main(["cadence", "--db", db, "--as-of", "2026-03-20", "--owner", "Maya"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "Acme: QBR due in 25 days (quarterly business review; last Jan 13, 2026)",
        "1 review due.",
    ]
    assert main(["cadence", "--db", db, "--as-of", "2026-05-04"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "2 reviews due."


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["--as-of", "yesterday"],
            "yesterday is not a date like 2026-03-31: give --as-of as YYYY-MM-DD.",
        ),
        (["--ahead", "-3"], "--ahead must be a whole number of days from 0 to 3660, not -3."),
        (["--owner", "Mya"], "No account is owned by Mya."),
    ],
)
def test_cadence_refuses_bad_input(db: str, capsys, argv, message) -> None:
    before = digest(db)
    assert main(["cadence", "--db", db, *argv]) == 2
    assert capsys.readouterr().err == f"fieldbook: {message}\n"
    assert digest(db) == before


def test_plays_refuses_an_owner_nobody_is(db: str, capsys) -> None:
    before = digest(db)
    assert main(["playbooks", "plays", "--db", db, "--owner", "Mya"]) == 2
    assert capsys.readouterr().err == "fieldbook: No account is owned by Mya.\n"
    assert digest(db) == before


def test_missing_workspace_is_refused(tmp_path: Path, capsys) -> None:
    missing = str(tmp_path / "nope.db")
    assert main(["cadence", "--db", missing]) == 2
    assert main(["playbooks", "list", "--db", missing]) == 2
    assert not Path(missing).exists()


def test_sweep_starts_renewals_once(db: str, capsys) -> None:
    assert main(["playbooks", "sweep", "--db", db, "--as-of", "2026-09-01"]) == 0
    assert capsys.readouterr().out == "0 plays started.\n"  # 121 days out
    assert main(["playbooks", "sweep", "--db", db, "--as-of", "2026-09-02"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "Acme: started “Renewal” (Platform renews on Dec 31, 2026).",
        "1 play started.",
    ]
    assert main(["playbooks", "sweep", "--db", db, "--as-of", "2026-09-03"]) == 0
    assert capsys.readouterr().out == "0 plays started.\n"
    assert main(["playbooks", "sweep", "--db", db, "--as-of", "someday"]) == 2
