"""Team workspace fixtures for the model tests that run on a PostgreSQL server."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest

from app.cli import main
from app.models import Account, Stakeholder
from app.models.opening import open_workspace
from app.services.private_notes import set_note
from tests.pg.databases import drop_database, new_database
from tests.pg.team import admin_sql


@pytest.fixture
def empty_db() -> Iterator[str]:
    """A new database on the test server with nothing in it."""
    url = new_database(migrated=False)
    yield url
    drop_database(url)


@pytest.fixture
def team(empty_db: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    """A team workspace: a lead (lee) and two CSMs (maya, jonas), two accounts, one person on
    each (Ann on Maya's, Bob on Jonas's), and a private note on Ann by the owner."""
    assert main(["team", "init", "--db", empty_db]) == 0
    people = {
        "lee": ("Lee Lead", True),
        "maya": ("Maya Patel", False),
        "jonas": ("Jonas Weber", False),
    }
    for login, (name, lead) in people.items():
        admin_sql(empty_db, f"DROP ROLE IF EXISTS {login}")
        monkeypatch.setattr("sys.stdin", io.StringIO(f"pw-{login}\n"))
        argv = ["team", "add", "--db", empty_db, login, "--name", name]
        assert main([*argv, "--lead"] if lead else argv) == 0
    store = open_workspace(empty_db)
    with store.session() as session:
        mine = Account(name="Maya's account", owner="Maya Patel")
        theirs = Account(name="Globex", owner="Jonas Weber")
        session.add_all([mine, theirs])
        session.flush()
        ann = Stakeholder(account_id=mine.id, name="Ann")
        bob = Stakeholder(account_id=theirs.id, name="Bob")
        session.add_all([ann, bob])
        session.flush()
        set_note(session, ann.id, "by admin")
        ids = {"url": empty_db, "mine": mine.id, "theirs": theirs.id, "ann": ann.id, "bob": bob.id}
    store.close()
    yield ids
    admin_sql(
        empty_db, *(f"DROP OWNED BY {p}" for p in people), *(f"DROP ROLE {p}" for p in people)
    )
