"""``fieldbook backup``, ``backups``, ``restore`` and the backup lines of ``check``."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.cli import main
from app.models import Account
from app.models.backup_folder import list_backups
from app.models.opening import open_workspace

pytestmark = pytest.mark.sqlite_only("file backups (a server is backed up with pg_dump)")


@pytest.fixture
def book(tmp_path: Path) -> Path:
    path = tmp_path / "book.db"
    store = open_workspace(path, create=True)
    with store.session() as session:
        session.add(Account(name="Acme"))
    store.close()
    return path


def names(path: Path) -> list[str]:
    store = open_workspace(path)
    with store.read() as session:
        found = sorted(a.name for a in session.query(Account))
    store.close()
    return found


def test_backup_list_restore_round_trip(book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--db", str(book)]) == 0
    assert "Backups:     none yet" in capsys.readouterr().out

    assert main(["backup", "--db", str(book)]) == 0
    out = capsys.readouterr().out
    assert "verified" in out
    (made,) = list_backups(book)

    assert main(["backups", "--db", str(book)]) == 0
    out = capsys.readouterr().out
    assert made.path.name in out and "manual" in out

    store = open_workspace(book)
    with store.session() as session:
        session.add(Account(name="Later"))
    store.close()

    assert main(["restore", "--db", str(book), "--from", made.path.name]) == 0
    out = capsys.readouterr().out
    assert "kept as" in out
    assert names(book) == ["Acme"]
    kept = next(book.parent.glob("book.replaced-*.db"))
    assert names(kept) == ["Acme", "Later"]

    assert main(["check", "--db", str(book)]) == 0
    out = capsys.readouterr().out
    assert "Newest backup: verified" in out and "ago" in out


def test_backup_out_refuses_an_existing_file(
    book: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = book.parent / "copy.db"
    assert main(["backup", "--db", str(book), "--out", str(out)]) == 0
    before = out.read_bytes()
    assert main(["backup", "--db", str(book), "--out", str(out)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert out.read_bytes() == before


def test_check_fails_when_the_newest_backup_is_bad(
    book: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["backup", "--db", str(book)]) == 0
    (made,) = list_backups(book)
    with made.path.open("r+b") as handle:
        handle.seek(100)
        handle.write(b"\xff" * 3000)
    assert main(["check", "--db", str(book)]) == 1
    assert "Newest backup: FAILED" in capsys.readouterr().out


def test_restore_of_a_missing_backup(
    book: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = main(["restore", "--db", str(book), "--from", str(tmp_path / "nope.db")])
    assert missing == 2
    assert "There is no backup" in capsys.readouterr().err


def test_restore_refuses_while_the_workspace_is_open(
    book: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["backup", "--db", str(book)]) == 0
    (made,) = list_backups(book)
    store = open_workspace(book)
    try:
        assert main(["restore", "--db", str(book), "--from", str(made.path)]) == 2
        assert "is open" in capsys.readouterr().err
    finally:
        store.close()
    assert not list(book.parent.glob("book.replaced-*"))


def test_restore_refuses_a_non_backup(book: Path, capsys: pytest.CaptureFixture[str]) -> None:
    junk = book.parent / "junk.db"
    junk.write_bytes(b"hello")
    before = book.read_bytes()
    assert main(["restore", "--db", str(book), "--from", str(junk)]) == 2
    assert "cannot be restored" in capsys.readouterr().err
    assert book.read_bytes() == before
    assert sorted(p.name for p in book.parent.iterdir()) == ["book.db", "junk.db"]


def test_check_on_a_damaged_workspace_points_at_the_backups(
    book: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["backup", "--db", str(book)]) == 0
    with book.open("r+b") as handle:
        handle.seek(0)
        handle.write(b"SQLite format 3\x00" + b"\xff" * 200)
    assert main(["check", "--db", str(book)]) == 1
    out = capsys.readouterr().out
    assert "damaged" in out and "Newest backup: verified" in out and "fieldbook restore" in out
