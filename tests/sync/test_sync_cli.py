"""fieldbook replica and fieldbook sync on the command line; --mine; an old laptop refused."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select

from app.cli import main
from app.models import (
    Account,
    Scorecard,
    Stakeholder,
    TeamMember,
    replica,
    replica_copy,
    replica_pull,
)
from app.models.opening import open_workspace
from app.models.schema import head_revision
from app.services import my_book, sync
from tests.sync.team import Team, as_login, differences, edit, field_of, run_sync, team

pytestmark = pytest.mark.postgres_only
__all__ = ["team"]


def _refused(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("fieldbook: ") and "\n" not in err and "Traceback" not in err
    return err


def _outbox(path: Path) -> int:
    store = open_workspace(path)
    try:
        with store.engine.connect() as connection:
            return int(connection.exec_driver_sql("SELECT count(*) FROM sync_outbox").scalar_one())
    finally:
        store.close()


def test_replica_sync_conflicts_and_resolution_from_the_command_line(
    team: Team, capsys: pytest.CaptureFixture[str]
) -> None:
    a, b = team.folder / "a.db", team.folder / "b.db"
    assert main(["replica", "--from", as_login(team.url, "maya"), "--db", str(a)]) == 0
    assert "a replica of the team book" in capsys.readouterr().out
    assert main(["replica", "--from", as_login(team.url, "lee"), "--db", str(b)]) == 0
    acme = team.ids["acme"]
    for path, note in ((a, "Maya's"), (b, "Lee's")):
        store = open_workspace(path)
        edit(store, Account, acme, notes=note)
        store.close()
    assert main(["sync", "--db", str(a)]) == 0
    assert "Sent 2 changes, received 2." in capsys.readouterr().out
    assert main(["sync", "--db", str(b)]) == 0
    out = capsys.readouterr().out
    assert "1 new conflict to review" in out and "mine: Lee's   theirs: Maya's" in out
    assert main(["sync", "--db", str(b), "--conflicts"]) == 0
    listed = capsys.readouterr().out
    ident = int(listed.split("#", 1)[1].split()[0])
    # Who changed it reads as the team knows them (as the window's list does), not the login.
    assert "Account Acme, notes" in listed and "(Maya Patel," in listed and "(maya," not in listed
    assert main(["sync", "--db", str(b), "--take-theirs", str(ident)]) == 0
    assert "Set notes to Maya's" in capsys.readouterr().out
    assert main(["sync", "--db", str(b)]) == 0
    assert main(["sync", "--db", str(a)]) == 0
    assert main(["sync", "--db", str(b), "--conflicts"]) == 0
    assert "No conflicts to review." in capsys.readouterr().out
    server = team.server()
    assert field_of(server, "account", acme, "notes") == "Maya's"
    for path in (a, b):
        store = open_workspace(path)
        assert differences(store, server) == []
        store.close()

    assert "no conflict 999" in _refused(capsys, ["sync", "--db", str(b), "--keep", "999"])
    assert "already resolved" in _refused(capsys, ["sync", "--db", str(b), "--keep", str(ident)])
    assert "no replica at" in _refused(capsys, ["sync", "--db", str(team.folder / "none.db")])
    assert "already exists" in _refused(
        capsys, ["replica", "--from", as_login(team.url, "maya"), "--db", str(a)]
    )
    assert "not a team workspace address" in _refused(
        capsys, ["replica", "--from", str(a), "--db", str(team.folder / "c.db")]
    )
    assert not (team.folder / "c.db").exists()
    plain = team.folder / "plain.db"
    open_workspace(plain, create=True).close()
    assert "not a replica" in _refused(capsys, ["sync", "--db", str(plain)])


def test_an_older_laptop_is_told_to_upgrade_and_nothing_is_exchanged(
    team: Team, capsys: pytest.CaptureFixture[str]
) -> None:
    laptop = team.folder / "old.db"
    assert main(["replica", "--from", as_login(team.url, "maya"), "--db", str(laptop)]) == 0
    store = open_workspace(laptop)
    edit(store, Account, team.ids["acme"], notes="offline for months")
    store.close()
    waiting = _outbox(laptop)
    engine = create_engine(team.url)
    with engine.begin() as connection:  # the team workspace moved on to a newer Fieldbook
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '0099_future'")
        log = connection.exec_driver_sql("SELECT count(*) FROM sync_log").scalar()
    err = _refused(capsys, ["sync", "--db", str(laptop)])
    assert "newer schema (0099_future)" in err and "upgrade Fieldbook on this laptop" in err
    with engine.begin() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM sync_log").scalar() == log
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '0004_team_books'")
    assert "older schema (0004_team_books)" in _refused(capsys, ["sync", "--db", str(laptop)])
    with engine.begin() as connection:
        connection.exec_driver_sql(f"UPDATE alembic_version SET version_num = '{head_revision()}'")
    engine.dispose()
    assert _outbox(laptop) == waiting > 0
    assert field_of(team.server(), "account", team.ids["acme"], "notes") == "first"


def test_a_replica_of_my_accounts_holds_what_its_views_need(
    team: Team, capsys: pytest.CaptureFixture[str]
) -> None:
    server = team.server()
    with server.session() as session:  # Maya also looks after a unit of Jonas's Globex
        labs = Account(name="Globex Labs", owner="Maya Patel", parent_id=team.ids["globex"])
        other = Account(name="Initech", owner="Jonas Weber")
        session.add_all([labs, other])
        session.flush()
        session.add(Stakeholder(account_id=other.id, name="Peter"))
        labs_id = labs.id
    path = team.folder / "mine.db"
    assert main(["replica", "--from", as_login(team.url, "maya"), "--db", str(path), "--mine"]) == 0
    assert "a replica of your accounts" in capsys.readouterr().out
    laptop = open_workspace(path)
    team.stores.append(laptop)
    with laptop.read() as session:
        names = set(session.scalars(select(Account.name)))
        assert names == {"Acme", "Acme West", "Acme East", "Globex Labs", "Globex"}
        people = set(session.scalars(select(Stakeholder.name)))
        assert "Peter" not in people and "Ann" in people
        assert session.scalar(select(func.count()).select_from(TeamMember)) == 3
        with server.read() as theirs:
            cards = theirs.scalar(select(func.count()).select_from(Scorecard))
        assert session.scalar(select(func.count()).select_from(Scorecard)) == cards
        assert "Maya Patel" in my_book.owners(session)
        assert labs_id in my_book.owned_ids(session, "Maya Patel")
        my_book.my_figures(session, date.today(), "Maya Patel")
    edit(laptop, Account, labs_id, notes="visited")
    with server.session() as session:  # meanwhile on the team workspace
        session.add(Stakeholder(account_id=labs_id, name="Lena"))
        session.add(Stakeholder(account_id=other.id, name="Paula"))
    assert main(["sync", "--db", str(path)]) == 0
    assert field_of(server, "account", labs_id, "notes") == "visited"
    with laptop.read() as session:
        people = set(session.scalars(select(Stakeholder.name)))
    assert "Lena" in people and "Paula" not in people


def test_a_replica_of_my_accounts_fetches_an_account_a_lead_hands_me(team: Team) -> None:
    server = team.server()
    globex, bob = team.ids["globex"], team.ids["bob"]
    with server.session() as session:  # a unit of Globex, and Initech on Jonas's book
        labs = Account(name="Globex Labs", owner="Jonas Weber", parent_id=globex)
        initech = Account(name="Initech", owner="Jonas Weber")
        session.add_all([labs, initech])
        session.flush()
        session.add(Stakeholder(account_id=labs.id, name="Lena"))
        labs_id, initech_id = labs.id, initech.id
    laptop = team.laptop("mine", "maya", mine=True)
    assert field_of(laptop, "account", labs_id, "name") is None
    edit(server, Account, labs_id, owner="Maya Patel")  # Lee hands Maya the unit
    edit(server, Account, labs_id, notes="yours now")
    team_sql = "INSERT INTO account_team (account_id, login) VALUES ('{}', 'maya')"
    with server.engine.begin() as connection:  # and puts her on Initech's team
        connection.exec_driver_sql(team_sql.format(initech_id))
    run_sync(laptop)
    # The unit with its parent (for the tree) and its contacts; Initech; as the server holds them.
    for account in (labs_id, globex, initech_id):
        assert field_of(laptop, "account", account, "name") is not None
    assert field_of(laptop, "account", labs_id, "notes") == "yours now"
    assert field_of(laptop, "stakeholder", bob, "name") == "Bob"
    mine = {key for key in differences(laptop, server) if key[2] != "(record)"}
    assert mine == set()
    with laptop.read() as session:
        assert "Lena" in set(session.scalars(select(Stakeholder.name)))
    edit(laptop, Account, labs_id, tier=1)  # and it syncs like the others
    run_sync(laptop)
    assert field_of(server, "account", labs_id, "tier") == 1


def test_an_account_given_away_leaves_my_laptop_after_what_i_changed_in_it_is_sent(
    team: Team, capsys: pytest.CaptureFixture[str]
) -> None:
    server = team.server()
    west, east, acme = team.ids["west"], team.ids["east"], team.ids["acme"]
    with server.session() as session:
        session.add(Stakeholder(account_id=west, name="Wes"))
    laptop = team.laptop("mine", "maya", mine=True)
    assert field_of(laptop, "account", west, "name") == "Acme West"
    edit(laptop, Account, east, notes="mine to keep")  # offline, not sent yet
    for account in (west, east):  # meanwhile Lee gives both units to Jonas
        edit(server, Account, account, owner="Jonas Weber")
    # A sync that pulled while this edit waited (made during the sync): East stays for now.
    with replica.server_connection(replica.info_of(laptop).server) as (engine, _url):
        replica_pull.pull(laptop, engine)
        assert replica_copy.let_go(laptop, engine) == [west]
    assert field_of(laptop, "account", west, "name") is None
    with laptop.read() as session:
        assert "Wes" not in set(session.scalars(select(Stakeholder.name)))
    assert field_of(laptop, "account", east, "notes") == "mine to keep"
    assert field_of(server, "stakeholder", _wes(server), "name") == "Wes"  # only off the laptop

    assert main(["sync", "--db", str(team.folder / "mine.db")]) == 0
    out = capsys.readouterr().out
    assert "1 account no longer yours left this laptop's book." in out
    assert "the team workspace refused your change" in out
    assert field_of(laptop, "account", east, "name") is None
    assert field_of(laptop, "account", acme, "name") == "Acme"  # still hers
    found = sync.conflicts(laptop)  # what she typed is kept for review
    assert [(c.kind, c.field, c.mine) for c in found] == [("refused", "notes", "mine to keep")]
    assert field_of(server, "account", east, "notes") is None
    assert run_sync(laptop).left == 0  # nothing more to take off
    assert field_of(laptop, "account", acme, "name") == "Acme"


def _wes(server: object) -> str:
    with server.read() as session:  # type: ignore[attr-defined]
        return str(session.scalar(select(Stakeholder.id).where(Stakeholder.name == "Wes")))
