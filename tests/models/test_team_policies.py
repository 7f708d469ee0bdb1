"""A team workspace's server-side rules in plain SQL: private notes only their author reads,
health, goals, milestones and plays follow their account's rule, every table of records is
protected and announces its changes, and the notes' move out of ``stakeholder`` on a server."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import psycopg
import pytest
from alembic import command
from sqlalchemy import MetaData, create_engine

from app.models import Base, CadenceRule, Goal, Milestone, Play, SuccessPlan, new_id
from app.models.account_paths import BOOKKEEPING, account_paths
from app.models.copying import _copy_table
from app.models.opening import open_workspace
from app.models.policies import AUTHOR_TABLES
from app.models.schema import alembic_config
from app.services import private_notes
from app.services.stakeholder_graph import load_account_map
from tests.pg.team import admin_sql as _admin_sql
from tests.pg.team import as_login as _as
from tests.pg.team import plain as _plain

pytestmark = pytest.mark.postgres_only

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "workspaces"


def _one(conn: psycopg.Connection[Any], sql: str, *args: Any) -> Any:
    row = conn.execute(sql, list(args)).fetchone()
    return None if row is None else row[0]


# ------------------------------------------------------------------ private notes
def test_another_persons_private_note_is_invisible_and_untouchable_in_plain_sql(
    team: dict[str, str],
) -> None:
    ann, bob = team["ann"], team["bob"]
    with _plain(team["url"], "maya", "pw-maya") as maya:
        # Maya notes on her own account's Ann, and on Jonas's Bob (reading the book is fine).
        for person, account in ((ann, team["mine"]), (bob, team["theirs"])):
            maya.execute(
                "INSERT INTO private_note (id, stakeholder_id, account_id, author, text,"
                " created_at, updated_at) VALUES (%s, %s, %s, 'maya', 'maya only', now(), now())",
                [new_id(), person, account],
            )
        maya.commit()
        assert _one(maya, "SELECT count(*) FROM private_note") == 2  # not the admin's note
    with _plain(team["url"], "jonas", "pw-jonas") as jonas:
        assert _one(jonas, "SELECT count(*) FROM private_note") == 0
        assert _one(jonas, "SELECT count(*) FROM private_note WHERE stakeholder_id = %s", bob) == 0
        done = jonas.execute("UPDATE private_note SET text = 'read you' WHERE author = 'maya'")
        assert done.rowcount == 0
        done = jonas.execute("DELETE FROM private_note WHERE stakeholder_id = %s", [bob])
        assert done.rowcount == 0
        jonas.commit()
        # Writing a note in Maya's name is refused, even on his own account's Bob.
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            jonas.execute(
                "INSERT INTO private_note (id, stakeholder_id, account_id, author, text,"
                " created_at, updated_at) VALUES (%s, %s, %s, 'maya', 'forged', now(), now())",
                [new_id(), bob, team["theirs"]],
            )
        jonas.rollback()
        # Nor can he take hers over by renaming his own note's author.
        jonas.execute(
            "INSERT INTO private_note (id, stakeholder_id, account_id, author, text,"
            " created_at, updated_at) VALUES (%s, %s, %s, 'jonas', 'mine', now(), now())",
            [new_id(), bob, team["theirs"]],
        )
        jonas.commit()
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            jonas.execute("UPDATE private_note SET author = 'maya' WHERE author = 'jonas'")
        jonas.rollback()
        # The stakeholder row itself holds no note any more (nothing for policies to miss).
        columns = {r[0] for r in jonas.execute("SELECT * FROM stakeholder LIMIT 0").description}
        assert not {c for c in columns if "note" in c}
    with _plain(team["url"], "lee", "pw-lee") as lee:  # a lead reads no one's notes either
        assert _one(lee, "SELECT count(*) FROM private_note") == 0
        assert lee.execute("DELETE FROM private_note").rowcount == 0
    with _plain(team["url"], "postgres", "") as owner:
        texts = sorted(r[0] for r in owner.execute("SELECT text FROM private_note"))
    assert texts == ["by admin", "maya only", "maya only", "mine"]


def test_the_app_shows_each_person_only_their_own_note(team: dict[str, str]) -> None:
    maya = open_workspace(_as(team["url"], "maya", "pw-maya"))
    jonas = open_workspace(_as(team["url"], "jonas", "pw-jonas"))
    owner = open_workspace(team["url"])
    try:
        with maya.session() as s:
            private_notes.set_note(s, team["ann"], "Ann decides in Q3")
        with jonas.session() as s:
            private_notes.set_note(s, team["ann"], "Ann ignores my emails")
        assert load_account_map(maya, team["mine"]).people[team["ann"]].private_notes == (
            "Ann decides in Q3"
        )
        assert load_account_map(jonas, team["mine"]).people[team["ann"]].private_notes == (
            "Ann ignores my emails"
        )
        # The owner, whom the policies do not bind, sees only their own note too.
        assert load_account_map(owner, team["mine"]).people[team["ann"]].private_notes == (
            "by admin"
        )
        with maya.session() as s:  # an empty note removes hers, and only hers
            assert private_notes.set_note(s, team["ann"], "  ") == "Ann decides in Q3"
        with owner.read() as s:
            left = s.execute(Base.metadata.tables["private_note"].select()).all()
        assert sorted(r.author for r in left) == ["jonas", "postgres"]
    finally:
        for store in (maya, jonas, owner):
            store.close()


# ------------------------------------------------------------------ account-hung tables
def test_health_goals_milestones_and_plays_follow_their_accounts_rule_in_plain_sql(
    team: dict[str, str],
) -> None:
    owner = open_workspace(team["url"])
    ids: dict[str, str] = {}
    try:
        with owner.session() as s:
            for key, account in (("mine", team["mine"]), ("theirs", team["theirs"])):
                plan = SuccessPlan(account_id=account, title=f"Plan {key}")
                goal = Goal(plan=plan, title=f"Goal {key}")
                s.add_all([plan, goal])
                s.flush()
                milestone = Milestone(
                    goal_id=goal.id, title=f"Milestone {key}", due_on=date(2026, 7, 1)
                )
                play = Play(
                    account_id=account,
                    name=f"Play {key}",
                    started_on=date(2026, 6, 1),
                    reason="test",
                )
                s.add_all([milestone, play])
                s.flush()
                ids |= {f"goal_{key}": goal.id, f"milestone_{key}": milestone.id}
                ids[f"play_{key}"] = play.id
    finally:
        owner.close()
    with _plain(team["url"], "maya", "pw-maya") as maya:
        assert _one(maya, "SELECT count(*) FROM goal") == 2  # reads the whole book
        assert _one(maya, "SELECT count(*) FROM milestone") == 2
        for table in ("goal", "milestone"):
            for key, expected in (("mine", 1), ("theirs", 0)):
                done = maya.execute(
                    f"UPDATE {table} SET title = 'edited' WHERE id = %s", [ids[f"{table}_{key}"]]
                )
                assert done.rowcount == expected, (table, key)
        done = maya.execute("DELETE FROM milestone WHERE id = %s", [ids["milestone_theirs"]])
        assert done.rowcount == 0
        done = maya.execute("UPDATE play SET name = 'x' WHERE id = %s", [ids["play_theirs"]])
        assert done.rowcount == 0
        maya.commit()
        refused = {
            "metric_snapshot": "INSERT INTO metric_snapshot (account_id, as_of, active_users,"
            " licensed_users, tickets_new, tickets_open) VALUES (%s, '2026-06-01', 1, 2, 0, 0)",
            "health_score": "INSERT INTO health_score (account_id, as_of, score, band, breakdown)"
            " VALUES (%s, '2026-06-01', 50, 'yellow', '[0]')",
            "health_alert": "INSERT INTO health_alert (id, account_id, rule_key, raised_on,"
            " message) VALUES (md5(random()::text), %s, 'k', '2026-06-01', 'm')",
        }
        for table, sql in refused.items():
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match=table):
                maya.execute(sql, [team["theirs"]])
            maya.rollback()
            maya.execute(sql, [team["mine"]])  # on her own account it is hers to write
            maya.commit()
        assert _one(maya, "SELECT count(*) FROM health_score WHERE account_id = %s", team["mine"])
    with _plain(team["url"], "lee", "pw-lee") as lee:  # a lead edits everything
        done = lee.execute("UPDATE milestone SET title = 'lead' WHERE id = %s",
                           [ids["milestone_theirs"]])  # fmt: skip
        assert done.rowcount == 1


def test_every_table_of_an_accounts_records_has_the_policies(team: dict[str, str]) -> None:
    """Derived from the schema: a table added under an account and forgotten fails here."""
    must = set(account_paths()) | set(AUTHOR_TABLES)
    with _plain(team["url"], "postgres", "") as owner:
        protected = {
            name
            for name, count in owner.execute(
                "SELECT c.relname, count(p.polname) FROM pg_class c"
                " JOIN pg_policy p ON p.polrelid = c.oid AND p.polname LIKE 'fieldbook_%%'"
                " WHERE c.relrowsecurity GROUP BY c.relname"
            )
            if count == 4
        }
    assert must - protected == set()
    assert {"health_score", "metric_snapshot", "health_alert", "goal", "milestone"} <= must
    assert {"play", "play_step", "survey_response", "activity_attendee"} <= must


# ------------------------------------------------------------------ announcements
def test_every_table_of_records_announces_its_changes(team: dict[str, str]) -> None:
    """Every table in the schema but its bookkeeping carries the three triggers."""
    every = {t.name for t in Base.metadata.sorted_tables} - BOOKKEEPING
    with _plain(team["url"], "postgres", "") as owner:
        found: dict[str, set[str]] = {}
        for table, trigger in owner.execute(
            "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
            " WHERE t.tgname LIKE 'fieldbook_announce_%%'"
        ):
            found.setdefault(table, set()).add(trigger)
    three = {f"fieldbook_announce_{e}" for e in ("insert", "update", "delete")}
    missing = sorted(t for t in every if found.get(t) != three)
    assert missing == []
    assert {"playbook", "playbook_step", "play", "play_step", "cadence_rule"} <= every


def test_playbooks_goals_and_milestones_are_announced_with_their_account(
    team: dict[str, str],
) -> None:
    listener = _plain(team["url"], "postgres", "")
    listener.autocommit = True
    listener.execute("LISTEN fieldbook_changes")
    try:
        maya = open_workspace(_as(team["url"], "maya", "pw-maya"))
        try:
            with maya.session() as s:
                plan = SuccessPlan(account_id=team["mine"], title="P")
                goal = Goal(plan=plan, title="G")
                s.add_all([plan, goal])
                s.flush()
                s.add(Milestone(goal_id=goal.id, title="M", due_on=date(2026, 7, 1)))
                s.add(CadenceRule(segment="enterprise", kind="ebr", label="EBR", every_days=90))
        finally:
            maya.close()
        got: dict[str, Any] = {}
        for note in listener.notifies(timeout=5, stop_after=4):
            payload = json.loads(note.payload)
            got[payload["table"]] = payload["accounts"]
    finally:
        listener.close()
    assert got["goal"] == [team["mine"]]
    assert got["milestone"] == [team["mine"]]
    assert got["cadence_rule"] is None  # book-wide
    assert got["success_plan"] == [team["mine"]]


# ------------------------------------------------------------------ moving the notes
def test_notes_move_out_of_stakeholder_on_the_server_with_their_author(
    empty_db: str,
) -> None:
    fixture = FIXTURES / "0004_team_books.db"
    old, server = create_engine(f"sqlite:///{fixture}"), create_engine(empty_db)
    tables = MetaData()
    tables.reflect(old)
    with server.connect() as writer, writer.begin():
        command.upgrade(alembic_config(writer), "0004_team_books")
        with old.connect() as reader:
            for table in tables.sorted_tables:
                if table.name != "alembic_version":
                    _copy_table(reader, writer, table)
        first, second = writer.exec_driver_sql("SELECT id FROM stakeholder ORDER BY id LIMIT 2")
    old.dispose()
    server.dispose()
    s1, s2 = str(first[0]), str(second[0])
    _admin_sql(
        empty_db,
        "DROP ROLE IF EXISTS nora",
        "CREATE ROLE nora LOGIN PASSWORD 'pw'",
        "GRANT ALL ON ALL TABLES IN SCHEMA public TO nora",
        "GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO nora",
    )
    try:
        with _plain(empty_db, "nora", "pw") as nora:  # the audit trail records who wrote it
            nora.execute(
                "UPDATE stakeholder SET private_notes = 'Secret by nora' WHERE id = %s", [s1]
            )
            nora.commit()
        _admin_sql(
            empty_db, f"UPDATE stakeholder SET private_notes = 'By the owner' WHERE id = '{s2}'"
        )
        open_workspace(empty_db).close()  # the upgrade to head
        with _plain(empty_db, "postgres", "") as owner:
            notes = sorted(owner.execute("SELECT stakeholder_id, author, text FROM private_note"))
            trail = [r[0] for r in owner.execute("SELECT changes FROM audit_entry")]
        assert sorted(notes) == sorted(
            [(s1, "nora", "Secret by nora"), (s2, "postgres", "By the owner")]
        )
        assert trail and not [c for c in trail if "Secret" in c or "By the owner" in c]
    finally:
        _admin_sql(empty_db, "DROP OWNED BY nora", "DROP ROLE nora")
