"""Importing into an existing book takes a verified backup before writing."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.mark.sqlite_only("backs up the workspace file before importing")
def test_import_into_an_existing_book_backs_it_up_first(tmp_path: Path) -> None:
    from app.imports.commit import import_to_path
    from app.models.backup_folder import list_backups
    from app.models.opening import open_workspace

    db = tmp_path / "book.db"
    open_workspace(db, create=True).close()
    source = tmp_path / "accounts.csv"
    source.write_text('Account Name,Annual Revenue\nAcme,"$1,200.00"\n', encoding="utf-8")
    outcome = import_to_path(db, source)
    assert outcome.committed
    backups = list_backups(db)
    assert [b.reason for b in backups] == ["import"]
