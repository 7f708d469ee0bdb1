"""Every released fixture's book, at its own revision on PostgreSQL, upgrades to head there
and ends up with the same rows as the same fixture upgraded in a file."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import MetaData, create_engine, select

from app.models import Base
from app.models.copying import _copy_table
from app.models.opening import open_workspace
from app.models.schema import alembic_config
from tests.pg.databases import drop_database, new_database

pytestmark = pytest.mark.postgres_only

FIXTURES = sorted((Path(__file__).resolve().parents[1] / "fixtures" / "workspaces").glob("*.db"))


@pytest.fixture
def empty_db() -> Iterator[str]:
    url = new_database(migrated=False)
    yield url
    drop_database(url)


def _rows(store: object) -> dict[str, list[tuple[object, ...]]]:
    out = {}
    with store.read() as session:  # type: ignore[attr-defined]
        for table in Base.metadata.sorted_tables:
            if table.name in ("workspace_meta", "audit_entry") or table.name.startswith("sync_"):
                continue  # each workspace's bookkeeping (the server logs the copy for sync)
            order = list(table.primary_key.columns)
            out[table.name] = [tuple(r) for r in session.execute(select(table).order_by(*order))]
    return out


@pytest.mark.parametrize("fixture", FIXTURES, ids=[p.stem for p in FIXTURES])
def test_a_fixture_upgrades_on_postgresql_like_in_a_file(
    fixture: Path, empty_db: str, tmp_path: Path
) -> None:
    revision = fixture.stem
    old = create_engine(f"sqlite:///{fixture}")
    server = create_engine(empty_db)
    tables = MetaData()
    tables.reflect(old)
    with server.connect() as writer, writer.begin():
        command.upgrade(alembic_config(writer), revision)
        with old.connect() as reader:
            for table in tables.sorted_tables:
                if table.name == "alembic_version":
                    continue
                _copy_table(reader, writer, table)
    old.dispose()
    server.dispose()

    on_server = open_workspace(empty_db)
    try:
        server_rows = _rows(on_server)
    finally:
        on_server.close()
    path = tmp_path / "book.db"
    shutil.copyfile(fixture, path)
    in_file = open_workspace(path)
    try:
        file_rows = _rows(in_file)
    finally:
        in_file.close()
    assert file_rows["account"], "the fixture holds data"
    for table, rows in file_rows.items():
        assert server_rows[table] == rows, f"{table} differs after the upgrade on PostgreSQL"
