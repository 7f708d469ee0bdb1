"""Migration safety: each released revision's fixture upgrades to head with every value intact;
an upgrade is preceded by a backup, verified, and leaves the file as it was when it fails."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

import app.models.schema as schema_module
from app.models.backup import verify_backup
from app.models.backup_folder import list_backups
from app.models.errors import WorkspaceError
from app.models.opening import open_workspace
from app.models.schema import head_revision, known_revisions
from app.services.hierarchy import load_account_rows
from app.services.scoring import BREAKDOWN_KEYS, decode_breakdown

FIXTURES = sorted((Path(__file__).resolve().parents[1] / "fixtures" / "workspaces").glob("*.db"))


def snapshot(path: Path) -> dict[str, tuple[list[str], list[tuple[object, ...]]]]:
    """Every table's columns and rows (sorted), read-only."""
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        out = {}
        for table in tables:
            columns = [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]
            rows = sorted(conn.execute(f'SELECT * FROM "{table}"').fetchall(), key=repr)
            out[table] = (columns, rows)
        return out
    finally:
        conn.close()


def values_of(path: Path, table: str, columns: list[str]) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        names = ", ".join(f'"{c}"' for c in columns)
        return sorted(conn.execute(f'SELECT {names} FROM "{table}"').fetchall(), key=repr)
    finally:
        conn.close()


#: Columns a later revision dropped on purpose (0003_compact_scores: weekly rows lost their
#: ids, health scores their scorecard id), and the revisions whose fixtures still have them.
DROPPED = {
    "health_score": ("id", "scorecard_id"),
    "metric_snapshot": ("id",),
    # 0005_field_sync (private_notes) moved them into private_note rows: checked below.
    "stakeholder": ("private_notes",),
}
_BEFORE_0003 = ("0001", "0002_health", "0002_renewals", "0002_import")
_BEFORE_0005 = (*_BEFORE_0003, "0003_compact_scores", "0004_team_books")
DROPPED_AFTER = {
    "health_score": _BEFORE_0003,
    "metric_snapshot": _BEFORE_0003,
    "stakeholder": _BEFORE_0005,
}


def _points(breakdown: str) -> dict[str, object]:
    """A stored breakdown in any released form as its points: ``{"key": points}`` (before
    0003), ``[mask, points...]`` (0003 to 0006), ``mask:points`` (since 0007)."""
    if breakdown.startswith("{"):
        return dict(json.loads(breakdown))
    if breakdown.startswith("["):
        mask, *values = json.loads(breakdown)
        keys = [key for i, key in enumerate(BREAKDOWN_KEYS) if mask >> i & 1]
        return dict(zip(keys, values, strict=True))
    return dict(decode_breakdown(breakdown))


def _normal(
    table: str, columns: list[str], row: tuple[object, ...], kept: list[str]
) -> tuple[object, ...]:
    """``row``'s values of the ``kept`` columns, a breakdown as the points it stands for."""
    values = dict(zip(columns, row, strict=True))
    if table == "health_score":
        values["breakdown"] = _points(str(values["breakdown"]))
    return tuple(values[c] for c in kept)


def test_there_is_a_fixture_for_every_released_revision() -> None:
    assert {p.stem for p in FIXTURES} == known_revisions()


@pytest.mark.parametrize("fixture", FIXTURES, ids=[p.stem for p in FIXTURES])
def test_fixture_upgrades_to_head_with_every_value_intact(fixture: Path, tmp_path: Path) -> None:
    path = tmp_path / "book.db"
    shutil.copyfile(fixture, path)
    before = snapshot(path)
    assert before["account"][1], "the fixture holds data"

    store = open_workspace(path)
    try:
        if fixture.stem != head_revision():
            assert store.report.upgraded_from == fixture.stem
            assert store.report.backup is not None
            assert verify_backup(store.report.backup).revision == fixture.stem
        with store.read() as session:
            rows = load_account_rows(session)
        assert {row.name for row in rows} >= {"Nordwind Group", "Nordwind EMEA"}
    finally:
        store.close()
    for table, (columns, rows) in before.items():
        if table == "alembic_version":
            assert values_of(path, table, columns) == [(head_revision(),)]
            continue
        if table == "workspace_meta":
            continue
        kept = [c for c in columns if c not in DROPPED.get(table, ())]
        assert set(kept) == set(columns) or fixture.stem in DROPPED_AFTER[table]
        old_rows = sorted((_normal(table, columns, row, kept) for row in rows), key=repr)
        new_rows = sorted(
            (_normal(table, kept, row, kept) for row in values_of(path, table, kept)), key=repr
        )
        assert new_rows == old_rows, f"{table} changed in the upgrade"


def extra_migration(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str) -> str:
    """Point the store at a copy of the migrations with one more revision after head."""
    head = head_revision()
    folder = tmp_path / "migrations"
    shutil.copytree(schema_module.MIGRATIONS_DIR, folder)
    (folder / "versions" / "9999_test.py").write_text(
        f'''"""test revision"""
import sqlalchemy as sa
from alembic import op

revision = "9999_test"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade():
{body}


def downgrade():
    pass
''',
        encoding="utf-8",
    )
    monkeypatch.setattr(schema_module, "MIGRATIONS_DIR", folder)
    return head


@pytest.fixture
def old_book(tmp_path: Path) -> Path:
    path = tmp_path / "book.db"
    # The fixture made at head (file names do not sort in revision order once revisions
    # from parallel branches are chained one after another).
    (at_head,) = [p for p in FIXTURES if p.stem == head_revision()]
    shutil.copyfile(at_head, path)
    store = open_workspace(path)
    store.close()
    return path


def dump(path: Path) -> list[str]:
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def test_upgrade_backs_up_first_then_migrates(
    old_book: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = extra_migration(
        tmp_path,
        monkeypatch,
        '    with op.batch_alter_table("account") as batch:\n'
        '        batch.add_column(sa.Column("nickname", sa.String(50)))\n'
        '    op.execute("UPDATE account SET nickname = substr(name, 1, 8)")',
    )
    before = snapshot(old_book)
    store = open_workspace(old_book)
    store.close()
    assert store.report.upgraded_from == old
    backup = store.report.backup
    assert backup is not None and backup in [b.path for b in list_backups(old_book)]
    assert verify_backup(backup).revision == old
    columns, rows = before["account"]
    assert values_of(old_book, "account", columns) == rows
    assert values_of(old_book, "alembic_version", ["version_num"]) == [("9999_test",)]


@pytest.mark.parametrize(
    "body",
    [
        '    with op.batch_alter_table("account") as batch:\n'
        '        batch.add_column(sa.Column("nickname", sa.String(50)))\n'
        '    raise RuntimeError("migration bug")',
        # Leaves a contract pointing at a missing account: caught by the check before commit.
        '    op.execute("DELETE FROM account WHERE parent_id IS NOT NULL '
        'AND id IN (SELECT account_id FROM contract)")',
    ],
    ids=["raises", "breaks references"],
)
def test_a_failed_upgrade_leaves_the_workspace_as_it_was(
    old_book: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str
) -> None:
    extra_migration(tmp_path, monkeypatch, body)
    before = dump(old_book)
    with pytest.raises(WorkspaceError):
        open_workspace(old_book)
    assert dump(old_book) == before
    backups = list_backups(old_book)
    assert len(backups) == 1 and verify_backup(backups[0].path).ok
    # Once the bug is fixed (the extra revision gone), the workspace opens as before.
    monkeypatch.undo()
    store = open_workspace(old_book)
    store.close()
