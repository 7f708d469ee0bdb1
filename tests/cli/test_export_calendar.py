"""``fieldbook export calendar``: writes a feed, or refuses bad input in one sentence."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import icalendar
import pytest

from app import cli
from app.models.opening import open_workspace
from tests import renewal_book as book


@pytest.fixture
def workspace(workspace_target: str) -> str:
    path = workspace_target
    store = open_workspace(path, create=True)
    with store.session() as session:
        acme = book.account(session, "Acme", owner="Ana")
        book.contract(session, acme, date(2027, 1, 1), date(2027, 6, 30), 5_000_000)
    store.close()
    return path


def _run(*args: str) -> int:
    return cli.main(["export", "calendar", *args])


def test_writes_the_feed(
    workspace: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "renewals.ics"
    code = _run(
        "--db",
        str(workspace),
        "--out",
        str(out),
        "--days",
        "200",
        "--owner",
        "Ana",
        "--today",
        "2027-01-04",
        "--tasks",
    )
    assert code == 0
    cal = icalendar.Calendar.from_ical(out.read_bytes())
    uids = [str(e["UID"]) for e in cal.walk("VEVENT")]
    assert sum(uid.startswith("renewal-") for uid in uids) == 1
    assert sum(uid.startswith("checkpoint-") for uid in uids) == 4
    assert "Wrote 6 events" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--days", "0"), "--days must be a whole number of days from 1 to 3660, not 0."),
        (("--days", "soon"), "--days must be a whole number of days from 1 to 3660, not soon."),
        (("--owner", "Zed"), "No account in this workspace is owned by Zed."),
        (("--tz", "Mars/Olympus"), "not a known time zone"),
    ],
)
def test_bad_input_exits_2_and_writes_nothing(
    workspace: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: tuple[str, ...],
    message: str,
) -> None:
    out = tmp_path / "renewals.ics"
    assert _run("--db", str(workspace), "--out", str(out), *args) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert not out.exists()


def test_missing_folder_and_folder_target(
    workspace: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run("--db", str(workspace), "--out", str(tmp_path / "nope" / "a.ics")) == 2
    assert "does not exist" in capsys.readouterr().err
    assert _run("--db", str(workspace), "--out", str(tmp_path)) == 2
    assert "is a folder" in capsys.readouterr().err
    assert not (tmp_path / "nope").exists()


@pytest.mark.sqlite_only("a workspace file that does not exist is not created")
def test_missing_workspace(
    workspace: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "renewals.ics"
    assert _run("--db", str(tmp_path / "other.db"), "--out", str(out)) == 2
    assert "There is no workspace" in capsys.readouterr().err
    assert not out.exists() and not (tmp_path / "other.db").exists()


def test_unwritable_folder(
    workspace: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Tests run as root here, where chmod cannot make a folder unwritable: ask os.access.
    from app.commands import export_calendar

    monkeypatch.setattr(export_calendar.os, "access", lambda path, mode: False)
    out = tmp_path / "a.ics"
    assert _run("--db", str(workspace), "--out", str(out)) == 2
    assert "permission denied" in capsys.readouterr().err
    assert not out.exists()
