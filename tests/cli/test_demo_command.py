"""``fieldbook demo``: success, and every refusal leaving the disk as it was."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.cli import main
from app.models import Account
from app.models.opening import open_workspace
from tests.conftest import ON_POSTGRES

ROOT = Path(__file__).resolve().parents[2]


def _accounts(target: str | Path) -> int:
    store = open_workspace(target)
    try:
        with store.read() as session:
            return int(session.scalar(select(func.count()).select_from(Account)) or 0)
    finally:
        store.close()


def _files(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


def test_creates_a_workspace_and_prints_one_line(
    workspace_target: str, capsys: pytest.CaptureFixture[str]
) -> None:
    db = workspace_target
    assert main(["demo", "--db", db, "--accounts", "12", "--seed", "3"]) == 0
    out, err = capsys.readouterr()
    assert _accounts(db) == 12
    lines = out.strip().splitlines()
    assert len(lines) == 1 and "12 accounts" in lines[0] and " s." in lines[0]
    assert err == ""  # no progress when stderr is not a terminal


def test_refuses_a_workspace_with_accounts(
    workspace_target: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = workspace_target
    assert main(["demo", "--db", db, "--accounts", "6"]) == 0
    before = None if ON_POSTGRES else (Path(db).read_bytes(), _files(tmp_path))
    capsys.readouterr()
    assert main(["demo", "--db", db, "--accounts", "9", "--seed", "2"]) == 2
    _, err = capsys.readouterr()
    assert "--force" in err and err.count("\n") == 1
    assert _accounts(db) == 6
    if before is not None:  # a file: not a byte of it changed, nothing made beside it
        assert (Path(db).read_bytes(), _files(tmp_path)) == before


def test_force_replaces_the_accounts(workspace_target: str) -> None:
    db = workspace_target
    assert main(["demo", "--db", db, "--accounts", "6"]) == 0
    assert main(["demo", "--db", db, "--accounts", "9", "--seed", "2", "--force"]) == 0
    assert _accounts(db) == 9


def test_fills_an_empty_workspace(workspace_target: str) -> None:
    db = workspace_target
    open_workspace(db, create=True).close()
    assert main(["demo", "--db", db, "--accounts", "4"]) == 0
    assert _accounts(db) == 4


@pytest.mark.parametrize("count", ["0", "-3", "200001"])
def test_bad_account_counts_create_nothing(
    workspace_target: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], count: str
) -> None:
    db = workspace_target
    assert main(["demo", "--db", db, "--accounts", count]) == 2
    _, err = capsys.readouterr()
    assert "--accounts" in err and err.count("\n") == 1
    if ON_POSTGRES:  # the team workspace was there already: nothing went into it
        assert _accounts(db) == 0
    else:  # no workspace file, nor anything else, is made
        assert _files(tmp_path) == set()


@pytest.mark.sqlite_only("a workspace file in a folder that does not exist")
def test_missing_folder_creates_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "nowhere" / "book.db"
    assert main(["demo", "--db", str(db), "--accounts", "3"]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert _files(tmp_path) == set()


@pytest.mark.sqlite_only("a file where the workspace file's folder should be")
def test_a_file_in_place_of_the_folder_creates_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "notes.txt"
    blocker.write_text("not a folder")
    assert main(["demo", "--db", str(blocker / "book.db"), "--accounts", "3"]) == 2
    assert capsys.readouterr().err.startswith("fieldbook: ")
    assert _files(tmp_path) == {"notes.txt"}


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes anywhere")
@pytest.mark.sqlite_only("a workspace file in a folder the user cannot write")
def test_unwritable_folder_creates_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        assert main(["demo", "--db", str(locked / "book.db"), "--accounts", "3"]) == 2
        assert "not writable" in capsys.readouterr().err
        assert _files(locked) == set()
    finally:
        locked.chmod(0o700)


@pytest.mark.sqlite_only("a file that is not a workspace is left alone")
def test_a_file_that_is_not_a_workspace_is_left_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = tmp_path / "notes.db"
    text.write_bytes(b"shopping list\n")
    assert main(["demo", "--db", str(text), "--accounts", "3", "--force"]) == 2
    assert "not a Fieldbook workspace" in capsys.readouterr().err
    assert text.read_bytes() == b"shopping list\n" and _files(tmp_path) == {"notes.db"}


def test_runs_as_a_module(workspace_target: str) -> None:
    db = workspace_target
    result = subprocess.run(
        [sys.executable, "-m", "app", "demo", "--db", db, "--accounts", "5", "--seed", "9"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "5 accounts" in result.stdout
    assert _accounts(db) == 5


def test_progress_goes_to_a_terminal_stderr(
    workspace_target: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert main(["demo", "--db", workspace_target, "--accounts", "7"]) == 0
    out, err = capsys.readouterr()
    assert "7/7 accounts" in err and "7/7" not in out
