"""The team commands without a server: copying between files, and addresses that fail."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from app.cli import main
from app.models import Base
from app.models.opening import open_workspace
from app.services.demo import generate_demo


def _rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    store = open_workspace(path)
    try:
        with store.read() as session:
            return {
                table.name: [
                    tuple(row)
                    for row in session.execute(select(table).order_by(*table.primary_key.columns))
                ]
                for table in Base.metadata.sorted_tables
                if table.name != "workspace_meta"
            }
    finally:
        store.close()


@pytest.mark.sqlite_only("copies between two workspace files (test_team_server: to a server)")
def test_copy_between_files_keeps_every_value(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = tmp_path / "book.db"
    store = open_workspace(book, create=True)
    generate_demo(store, accounts=8, seed=3, today=date(2026, 6, 1))
    store.close()
    assert main(["copy", "--from", str(book), "--to", str(tmp_path / "copy.db")]) == 0
    out = capsys.readouterr().out
    assert "every table verified" in out and "account" in out
    assert _rows(tmp_path / "copy.db") == _rows(book)
    # Into a workspace that holds a book: refused, nothing changed.
    assert main(["copy", "--from", str(book), "--to", str(tmp_path / "copy.db")]) == 2
    assert "already holds a book" in capsys.readouterr().err
    assert main(["copy", "--from", str(tmp_path / "none.db"), "--to", str(book)]) == 2
    assert "There is no workspace" in capsys.readouterr().err
    assert not (tmp_path / "none.db").exists()


@pytest.mark.parametrize(
    ("argv", "sentence"),
    [
        (["check", "--db", "postgresql+psycopg://pat@127.0.0.1:1/book"], "is not answering"),
        (["demo", "--db", "postgresql+psycopg://pat@127.0.0.1:1/book"], "is not answering"),
        (["check", "--db", "postgresql+psycopg://pat@host:port/book"], "not a valid database"),
        (["check", "--db", "mysql://pat@127.0.0.1/book"], "servers are not supported"),
        (["team", "init", "--db", "book.db"], "A team workspace is a PostgreSQL address"),
        (["backup", "--db", "postgresql+psycopg://pat@db/book"], "use pg_dump"),
        (["restore", "--db", "postgresql://pat@db/book", "--from", "x"], "use pg_dump"),
    ],
)
def test_server_addresses_that_fail_get_one_sentence(
    argv: list[str], sentence: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert sentence in err and "\n" not in err and "Traceback" not in err
