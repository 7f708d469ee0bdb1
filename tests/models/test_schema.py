"""The migrations build exactly the schema the models describe, and the store's rules hold."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Integer, text
from sqlalchemy.exc import IntegrityError

from app.models import Account, Base, Stakeholder
from app.models.errors import WorkspaceError
from app.models.guards import CrossAccountError, HierarchyCycleError
from app.models.opening import open_workspace
from app.models.schema import head_revision
from app.models.store import Store


def _compare_type(
    context: MigrationContext,
    _inspected_column: object,
    _metadata_column: object,
    inspected_type: object,
    metadata_type: object,
) -> bool | None:
    """SQLite's INTEGER holds 64 bits: INTEGER and BIGINT are one type there (the BIGINT step
    of 0004 changes PostgreSQL only, rather than rewriting every weekly row of a file)."""
    if (
        context.dialect.name == "sqlite"
        and isinstance(inspected_type, Integer)
        and isinstance(metadata_type, Integer)
    ):
        return False
    return None  # alembic's own comparison


def test_migrations_to_head_match_the_models(store: Store) -> None:
    with store.engine.connect() as connection:
        diff = compare_metadata(
            MigrationContext.configure(connection, opts={"compare_type": _compare_type}),
            Base.metadata,
        )
    assert diff == []


@pytest.mark.sqlite_only("SQLite pragmas")
def test_workspace_is_at_head_with_safe_pragmas(store: Store) -> None:
    with store.engine.connect() as connection:
        version = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        assert version == head_revision()
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000


def test_orphan_foreign_key_is_refused(store: Store) -> None:
    with pytest.raises(IntegrityError), store.session() as session:
        session.add(Stakeholder(account_id="0" * 32, name="Nobody's contact"))
    with store.read() as session:
        assert session.query(Stakeholder).count() == 0


def test_account_hierarchy_cycle_is_refused(store: Store) -> None:
    with store.session() as session:
        top = Account(name="Globex")
        mid = Account(name="Globex Europe", parent=top)
        leaf = Account(name="Globex France", parent=mid)
        session.add_all([top, mid, leaf])
    with pytest.raises(HierarchyCycleError, match="Globex"), store.session() as session:
        session.get(Account, top.id).parent_id = leaf.id  # type: ignore[union-attr]
    with store.read() as session:
        assert session.get(Account, top.id).parent_id is None  # type: ignore[union-attr]


def test_account_cannot_be_its_own_parent(store: Store) -> None:
    with store.session() as session:
        acme = Account(name="Acme")
        session.add(acme)
    with pytest.raises(HierarchyCycleError), store.session() as session:
        session.get(Account, acme.id).parent_id = acme.id  # type: ignore[union-attr]


def test_reporting_cycle_and_cross_account_manager_are_refused(store: Store) -> None:
    with store.session() as session:
        acme, other = Account(name="Acme"), Account(name="Initech")
        boss = Stakeholder(account=acme, name="Ada Boss")
        report = Stakeholder(account=acme, name="Ben Report", reports_to=boss)
        stranger = Stakeholder(account=other, name="Cy Stranger")
        session.add_all([acme, other, boss, report, stranger])
    with pytest.raises(HierarchyCycleError), store.session() as session:
        session.get(Stakeholder, boss.id).reports_to_id = report.id  # type: ignore[union-attr]
    with pytest.raises(CrossAccountError), store.session() as session:
        session.get(Stakeholder, report.id).reports_to_id = stranger.id  # type: ignore[union-attr]


def test_deleting_an_account_removes_what_belongs_to_it(store: Store) -> None:
    with store.session() as session:
        top = Account(name="Umbrella")
        child = Account(name="Umbrella Labs", parent=top)
        session.add_all([top, child, Stakeholder(account=child, name="Alice")])
    with store.session() as session:
        session.execute(text("DELETE FROM account WHERE id = :id"), {"id": top.id})
    with store.read() as session:
        assert session.query(Account).count() == 0
        assert session.query(Stakeholder).count() == 0


@pytest.mark.sqlite_only("a workspace file that does not exist")
def test_missing_workspace_is_not_created_without_create(tmp_path: Path) -> None:
    target = tmp_path / "nope.db"
    with pytest.raises(WorkspaceError, match="no workspace"):
        open_workspace(target)
    assert not target.exists()


@pytest.mark.sqlite_only("a workspace file in a missing folder")
def test_missing_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError, match="does not exist"):
        open_workspace(tmp_path / "missing" / "w.db", create=True)
    assert not (tmp_path / "missing").exists()


@pytest.mark.sqlite_only("a file that is not a workspace")
def test_file_that_is_not_a_workspace_is_refused_untouched(tmp_path: Path) -> None:
    target = tmp_path / "notes.db"
    target.write_bytes(b"quarterly notes, not a database\n" * 10)
    before = target.read_bytes()
    with pytest.raises(WorkspaceError, match="not a Fieldbook workspace"):
        open_workspace(target)
    assert target.read_bytes() == before


@pytest.mark.sqlite_only("a foreign SQLite file")
def test_foreign_sqlite_database_is_refused_untouched(tmp_path: Path) -> None:
    target = tmp_path / "other.sqlite"
    conn = sqlite3.connect(target)
    conn.execute("CREATE TABLE songs (title TEXT)")
    conn.commit()
    conn.close()
    before = target.read_bytes()
    with pytest.raises(WorkspaceError, match="not a Fieldbook workspace"):
        open_workspace(target)
    assert target.read_bytes() == before
    assert not Path(f"{target}-wal").exists()


@pytest.mark.sqlite_only("edits the workspace file with plain sqlite3")
def test_workspace_from_newer_version_is_refused_untouched(tmp_path: Path) -> None:
    target = tmp_path / "future.db"
    open_workspace(target, create=True).close()
    conn = sqlite3.connect(target)
    conn.execute("UPDATE alembic_version SET version_num = 'ffff_from_the_future'")
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    before = target.read_bytes()
    with pytest.raises(WorkspaceError, match="newer version"):
        open_workspace(target)
    assert target.read_bytes() == before


def test_reopening_keeps_data(workspace_target: str) -> None:
    target = workspace_target
    first = open_workspace(target, create=True)
    with first.session() as session:
        session.add(Account(name="Soylent", arr_minor=12_345_600))
    first.close()
    second = open_workspace(target)
    with second.read() as session:
        assert session.query(Account).one().arr_minor == 12_345_600
    second.close()


@pytest.mark.sqlite_only("the default workspace file")
def test_default_workspace_lives_in_the_redirected_user_folder(tmp_path: Path) -> None:
    from app import paths

    store = open_workspace(create=True)
    try:
        assert store.path == paths.default_workspace().absolute()
        assert "home" in str(store.path)  # conftest's temp folder, not the real one
    finally:
        store.close()


@pytest.mark.sqlite_only("FIELDBOOK_DB names a file")
def test_fieldbook_db_environment_variable_names_the_workspace(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "env.db"
    monkeypatch.setenv("FIELDBOOK_DB", str(target))
    open_workspace(create=True).close()
    assert target.exists()
