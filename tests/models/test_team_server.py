"""A team workspace on PostgreSQL: connection problems, transactional upgrades, team init,
row-level security refusals in plain SQL, and copies both ways with every value compared."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.orm.exc import StaleDataError

from app.cli import main
from app.models import Account, Base, PrivateNote, Stakeholder
from app.models import schema as schema_module
from app.models.conflicts import EditConflictError, EditRefusedError
from app.models.errors import WorkspaceError
from app.models.opening import open_workspace
from app.models.stakeholder import file_author
from app.models.store import Store
from app.services import accounts
from app.services.demo import generate_demo
from app.services.exchange import set_rate
from app.services.private_notes import set_note
from tests.pg.databases import admin_url
from tests.pg.team import admin_sql as _admin_sql
from tests.pg.team import as_login as _as
from tests.pg.team import plain as _plain

pytestmark = pytest.mark.postgres_only


# ------------------------------------------------------------------ connection problems
def _one_sentence(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("fieldbook: ") and "\n" not in err and "Traceback" not in err
    return err


def test_connection_problems_get_one_sentence(
    capsys: pytest.CaptureFixture[str], empty_db: str
) -> None:
    admin = admin_url()
    assert admin is not None
    base = admin.render_as_string(False).rsplit("/", 1)[0]
    _admin_sql(empty_db, "CREATE ROLE pat LOGIN PASSWORD 'right'", "CREATE ROLE tls_only LOGIN")
    try:
        assert "not answering" in _one_sentence(
            capsys, ["check", "--db", "postgresql+psycopg://pat:x@127.0.0.1:1/book"]
        )
        wrong = _as(empty_db, "pat", "wrong")
        assert "refused the password for pat" in _one_sentence(capsys, ["demo", "--db", wrong])
        assert "no database nosuch" in _one_sentence(capsys, ["check", "--db", f"{base}/nosuch"])
        tls = _as(empty_db, "tls_only", "x")
        assert "requires an encrypted (TLS) connection" in _one_sentence(
            capsys, ["check", "--db", tls]
        )
        assert "not a valid database address" in _one_sentence(
            capsys, ["check", "--db", "postgresql+psycopg://host:notaport/db"]
        )
        assert "pg_dump" in _one_sentence(capsys, ["backup", "--db", empty_db])
    finally:
        _admin_sql(empty_db, "DROP ROLE pat", "DROP ROLE tls_only")


def test_a_failed_upgrade_leaves_no_half_schema(
    empty_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "migrations"
    shutil.copytree(schema_module.MIGRATIONS_DIR, folder)
    (folder / "versions" / "9999_test.py").write_text(
        f'''"""fails"""
from alembic import op
revision = "9999_test"
down_revision = "{schema_module.head_revision()}"
branch_labels = None
depends_on = None
def upgrade():
    op.execute("SELECT no_such_function()")
def downgrade():
    pass
''',
        encoding="utf-8",
    )
    monkeypatch.setattr(schema_module, "MIGRATIONS_DIR", folder)
    with pytest.raises(WorkspaceError, match="nothing was changed"):
        open_workspace(empty_db)
    engine = create_engine(empty_db)
    with engine.connect() as connection:
        tables = connection.exec_driver_sql(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
        ).scalar()
    engine.dispose()
    assert tables == 0


# ------------------------------------------------------------------ team init and policies
def test_a_csm_edits_their_accounts_and_only_reads_the_rest_in_plain_sql(
    team: dict[str, str],
) -> None:
    with _plain(team["url"], "maya", "pw-maya") as conn:
        names = {row[0] for row in conn.execute("SELECT name FROM account")}
        assert names == {"Maya's account", "Globex"}  # reads the whole book
        done = conn.execute("UPDATE account SET notes = 'mine' WHERE id = %s", [team["mine"]])
        assert done.rowcount == 1
        refused = conn.execute("UPDATE account SET notes = 'x' WHERE id = %s", [team["theirs"]])
        assert refused.rowcount == 0  # row-level security: not hers to change
        conn.commit()
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(
                "INSERT INTO stakeholder (id, account_id, name, sentiment, influence,"
                " relationship_strength, is_executive_sponsor, departed, departed_is_lead,"
                " version) VALUES ('x1', %s, 'Eve', 0, 3, 2, false, false, false, 1)",
                [team["theirs"]],
            )
        conn.rollback()
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="Only a team lead"):
            conn.execute("UPDATE account SET owner = 'Jonas Weber' WHERE id = %s", [team["mine"]])
        conn.rollback()
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("DELETE FROM audit_entry")
    with _plain(team["url"], "lee", "pw-lee") as conn:
        moved = conn.execute(
            "UPDATE account SET owner = 'Maya Patel' WHERE id = %s", [team["theirs"]]
        )
        assert moved.rowcount == 1  # a lead reassigns
    with _plain(team["url"], "postgres", "") as conn:
        who = conn.execute(
            "SELECT who, action FROM audit_entry WHERE row_id = %s ORDER BY id", [team["theirs"]]
        ).fetchall()
    assert ("lee", "update") in who


def test_the_app_says_one_sentence_when_the_database_refuses(team: dict[str, str]) -> None:
    store = open_workspace(_as(team["url"], "maya", "pw-maya"))
    try:
        with (
            pytest.raises(EditRefusedError, match="Globex belongs to Jonas Weber"),
            store.session() as s,
        ):
            accounts.update_account(s, team["theirs"], {"notes": "x"})
        with (
            pytest.raises(EditRefusedError, match="Only a team lead reassigns"),
            store.session() as s,
        ):
            accounts.update_account(s, team["mine"], {"owner": "Jonas Weber"})
        with store.session() as s:
            accounts.update_account(s, team["mine"], {"notes": "fine"})
    finally:
        store.close()


def test_two_people_editing_one_account_nobody_loses_an_update(team: dict[str, str]) -> None:
    maya = open_workspace(_as(team["url"], "maya", "pw-maya"))
    lee = open_workspace(_as(team["url"], "lee", "pw-lee"))
    try:
        with maya.read() as s:
            seen = accounts.account_values(s, team["mine"])["industry"]
        with lee.session() as s:  # the lead saves first
            accounts.update_account(s, team["mine"], {"industry": "Retail"}, {"industry": seen})
        conflict = r"^Lee Lead changed the industry of .* to Retail"  # the person, not "lee"
        with pytest.raises(EditConflictError, match=conflict), maya.session() as s:
            accounts.update_account(s, team["mine"], {"industry": "Banking"}, {"industry": seen})
        with maya.read() as s:
            assert accounts.account_values(s, team["mine"])["industry"] == "Retail"
        # Interleaved inside the race window, the row version catches it.
        with maya.session() as s1:
            row = s1.get(Account, team["mine"])
            assert row is not None
            with lee.session() as s2:
                accounts.update_account(s2, team["mine"], {"region": "EMEA"})
            row.region = "APAC"
            with pytest.raises(StaleDataError):
                s1.flush()
            s1.rollback()
        with maya.read() as s:
            assert accounts.account_values(s, team["mine"])["region"] == "EMEA"
    finally:
        maya.close()
        lee.close()


# ------------------------------------------------------------------ copy both ways
def _rows(url_or_path: str) -> dict[str, list[tuple[Any, ...]]]:
    store = open_workspace(url_or_path)
    try:
        with store.read() as session:
            out = {}
            for table in Base.metadata.sorted_tables:
                order = list(table.primary_key.columns)
                out[table.name] = [
                    tuple(r) for r in session.execute(select(table).order_by(*order))
                ]
            return out
    finally:
        store.close()


def test_copy_a_book_to_the_server_and_back_every_value_compared(
    tmp_path: Path, empty_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    book = tmp_path / "book.db"
    store: Store = open_workspace(book, create=True)
    generate_demo(store, accounts=12, seed=5, today=date(2026, 6, 1))
    with store.session() as session:  # the user's own rates travel with the book
        set_rate(session, "EUR", "1.10", date(2026, 5, 29), today=date(2026, 6, 1))
        # ... and so do their private notes, and someone else's (a book copied from a server).
        person = session.scalars(select(Stakeholder.id).order_by(Stakeholder.id)).first()
        assert person is not None
        set_note(session, person, "Plays golf with our CEO")
        session.flush()
        account_id = session.get(Stakeholder, person).account_id  # type: ignore[union-attr]
        session.add(
            PrivateNote(stakeholder_id=person, account_id=account_id, author="kim", text="Kim's")
        )
    store.close()
    assert main(["copy", "--from", str(book), "--to", empty_db]) == 0
    assert "verified" in capsys.readouterr().out
    # The server plans the copied book's queries from statistics gathered at once.
    assert _analyzed(empty_db, "account") and _analyzed(empty_db, "stakeholder")
    back = tmp_path / "back.db"
    assert main(["copy", "--from", empty_db, "--to", str(back)]) == 0
    original, on_server, returned = _rows(str(book)), _rows(empty_db), _rows(str(back))
    for table, rows in original.items():
        if table in ("workspace_meta", "audit_entry") or table.startswith("sync_"):
            continue  # bookkeeping of each workspace (change counts, audit, laptop sync)
        assert rows or table in _MAYBE_EMPTY, f"the demo book should fill {table}"
        if table == "private_note":  # the copier's own notes are theirs under each name
            assert _authors(rows) == {file_author(), "kim"}
            assert _authors(on_server[table]) == {"postgres", "kim"}
            assert _authors(returned[table]) == {file_author(), "kim"}
            rows, on_server[table], returned[table] = (
                _without_author(r) for r in (rows, on_server[table], returned[table])
            )
        assert on_server[table] == rows, f"{table} differs on the server"
        assert returned[table] == rows, f"{table} differs after the round trip"
    # A second copy into a workspace that holds a book is refused, with nothing changed.
    assert main(["copy", "--from", str(book), "--to", empty_db]) == 2
    assert "already holds a book" in capsys.readouterr().err
    assert _rows(empty_db)["account"] == original["account"]


def _analyzed(url: str, table: str) -> bool:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(
                text("SELECT last_analyze IS NOT NULL FROM pg_stat_user_tables WHERE relname = :t"),
                {"t": table},
            ).scalar_one()
    finally:
        engine.dispose()


_AUTHOR = [c.name for c in PrivateNote.__table__.columns].index("author")


def _authors(rows: list[tuple[Any, ...]]) -> set[str]:
    return {row[_AUTHOR] for row in rows}


def _without_author(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    return [row[:_AUTHOR] + row[_AUTHOR + 1 :] for row in rows]


_MAYBE_EMPTY = {
    "import_batch",
    "import_journal",
    "map_version",
    "team_member",
    "account_team",
    "audit_entry",
    "health_alert",
    "cadence_rule",  # the default cadence holds until the user changes one
}
