"""Upgrading a file moves each stakeholder's private notes into a private_note row of its own,
written by the computer's user (tests/models/test_team_policies covers a server)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from app.models.opening import open_workspace
from app.models.stakeholder import file_author

pytestmark = pytest.mark.sqlite_only("edits a released fixture file with plain sqlite3")

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "workspaces" / "0004_team_books.db"


def test_notes_move_into_rows_of_their_own(tmp_path: Path) -> None:
    path = tmp_path / "book.db"
    shutil.copyfile(FIXTURE, path)
    with sqlite3.connect(path) as conn:
        ids = [r[0] for r in conn.execute("SELECT id FROM stakeholder ORDER BY id")]
        conn.execute(
            "UPDATE stakeholder SET private_notes = ' Golf on Fridays ' WHERE id = ?", [ids[0]]
        )
        conn.execute("UPDATE stakeholder SET private_notes = '   ' WHERE id = ?", [ids[1]])
        account = conn.execute(
            "SELECT account_id FROM stakeholder WHERE id = ?", [ids[0]]
        ).fetchone()
    open_workspace(path).close()
    with sqlite3.connect(path) as conn:
        notes = conn.execute(
            "SELECT stakeholder_id, account_id, author, text FROM private_note"
        ).fetchall()
        columns = [r[1] for r in conn.execute("PRAGMA table_info(stakeholder)")]
    assert notes == [(ids[0], account[0], file_author(), "Golf on Fridays")]  # blank: no note
    assert "private_notes" not in columns
