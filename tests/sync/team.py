"""A small team workspace on the test server, and laptop replicas of it (sync tests)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app.cli import main
from app.models import Account, MapCard, Stakeholder, StakeholderRelation
from app.models import sync_codec as codec
from app.models.enums import RelationKind
from app.models.opening import open_workspace
from app.models.replica_copy import create_replica
from app.models.store import Store
from app.services import sync
from tests.pg.databases import drop_database, new_database

PEOPLE = {"lee": ("Lee Lead", True), "maya": ("Maya Patel", False), "jonas": ("Jonas Weber", False)}


def admin_sql(url: str, *statements: str) -> None:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        for statement in statements:
            connection.exec_driver_sql(statement)
    engine.dispose()


def as_login(url: str, login: str) -> str:
    """The team workspace's address for ``login``, without the password (as a replica keeps
    it: the password comes from the keyring, which the ``team`` fixture stands in for)."""
    return make_url(url).set(username=login, password=None).render_as_string(False)


@dataclass
class Team:
    url: str
    folder: Path
    ids: dict[str, str] = field(default_factory=dict)
    stores: list[Store] = field(default_factory=list)

    def server(self) -> Store:
        store = open_workspace(self.url)
        self.stores.append(store)
        return store

    def laptop(self, name: str, login: str = "maya", *, mine: bool = False) -> Store:
        path = self.folder / f"{name}.db"
        create_replica(as_login(self.url, login), path, mine=mine)
        store = open_workspace(path)
        self.stores.append(store)
        return store


def build_team(url: str) -> dict[str, str]:
    """Make the empty database at ``url`` a team workspace: Lee (lead), Maya and Jonas;
    Maya owns Acme (with two sub-accounts) and Jonas Globex. Returns the records' ids."""
    import sys

    assert main(["team", "init", "--db", url]) == 0
    for login, (name, lead) in PEOPLE.items():
        kept, sys.stdin = sys.stdin, io.StringIO(f"pw-{login}\n")
        try:
            argv = ["team", "add", "--db", url, login, "--name", name]
            assert main([*argv, "--lead"] if lead else argv) == 0
        finally:
            sys.stdin = kept
    store = open_workspace(url)
    with store.session() as session:
        acme = Account(name="Acme", owner="Maya Patel", tier=1, notes="first")
        globex = Account(name="Globex", owner="Jonas Weber", tier=2)
        session.add_all([acme, globex])
        session.flush()
        west = Account(name="Acme West", owner="Maya Patel", parent_id=acme.id)
        east = Account(name="Acme East", owner="Maya Patel", parent_id=acme.id)
        session.add_all([west, east])
        session.flush()
        ann = Stakeholder(account_id=acme.id, name="Ann", title="CTO")
        bob = Stakeholder(account_id=globex.id, name="Bob", title="CFO")
        session.add_all([ann, bob])
        session.flush()
        ids = {
            "acme": acme.id,
            "globex": globex.id,
            "west": west.id,
            "east": east.id,
            "ann": ann.id,
            "bob": bob.id,
        }
    store.close()
    return ids


def use_test_passwords(monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    """Stand in for the keyring: the team's logins have the passwords ``build_team`` gave."""
    admin = make_url(url)
    monkeypatch.setattr(
        "app.models.server.saved_password",
        lambda u: f"pw-{u.username}" if u.username in PEOPLE else admin.password,
    )


def drop_roles(url: str) -> None:
    admin_sql(
        make_url(url).set(database="postgres").render_as_string(False),
        *(f"DROP ROLE IF EXISTS {p}" for p in PEOPLE),
    )


@pytest.fixture
def team(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Team]:
    """A team workspace (``build_team``) and a folder for laptop replicas of it."""
    url = new_database(migrated=False)
    use_test_passwords(monkeypatch, url)
    for login in PEOPLE:
        admin_sql(url, f"DROP ROLE IF EXISTS {login}")
    result = Team(url, tmp_path, build_team(url))
    yield result
    for opened in result.stores:
        opened.close()
    drop_database(url)
    drop_roles(url)


def rows(store: Store) -> dict[str, set[tuple[Any, ...]]]:
    """Every synced record (typed values, without the local ``version``), per table."""
    out: dict[str, set[tuple[Any, ...]]] = {}
    with store.engine.connect() as connection:
        for name, t in codec.synced_tables().items():
            names = codec.fields(t)
            found = connection.execute(
                text(f'SELECT {codec.column_list(names)} FROM "{name}"')
            ).all()
            out[name] = {
                tuple(codec.decode(t.c[n], v) for n, v in zip(names, row, strict=True))
                for row in found
            }
    return out


def field_of(store: Store, tbl: str, key: str, name: str) -> Any:
    with store.engine.connect() as connection:
        value = connection.execute(
            text(f'SELECT "{name}" FROM "{tbl}" WHERE id = :k'), {"k": key}
        ).scalar()
    return codec.decode(codec.table(tbl).c[name], value)


def edit(store: Store, cls: Any, key: str, **values: Any) -> None:
    with store.session() as session:
        obj = session.get(cls, key)
        assert obj is not None
        for name, value in values.items():
            setattr(obj, name, value)


def run_sync(store: Store) -> sync.SyncResult:
    return sync.sync(store)


def records(store: Store) -> dict[tuple[str, str], dict[str, Any]]:
    """Every synced record by (table, key): its typed values without the local ``version``."""
    out: dict[tuple[str, str], dict[str, Any]] = {}
    with store.engine.connect() as connection:
        for name, t in codec.synced_tables().items():
            names = codec.fields(t)
            for row in connection.execute(
                text(f'SELECT {codec.column_list(names)} FROM "{name}"')
            ).mappings():
                typed = {n: codec.decode(t.c[n], row[n]) for n in names}
                out[(name, codec.row_key(t, typed))] = typed
    return out


def differences(a: Store, b: Store) -> list[tuple[Any, ...]]:
    """(table, key, field, a's value, b's value) for every value that differs."""
    left, right = records(a), records(b)
    out: list[tuple[Any, ...]] = []
    for key in sorted(left.keys() | right.keys()):
        if key not in left or key not in right:
            out.append((*key, "(record)", key in left, key in right))
            continue
        for name, value in left[key].items():
            if right[key][name] != value:
                out.append((*key, name, value, right[key][name]))
    return out


def around_ann(team: Team, server: Store) -> tuple[str, str]:
    """Give Ann (Acme's CTO) what her deletion takes or clears: Cy reporting to her, her card
    on the map, and an influence line from her to Cy. Returns Cy's id and the line's."""
    acme, ann = team.ids["acme"], team.ids["ann"]
    with server.session() as session:
        cy = Stakeholder(account_id=acme, name="Cy", title="Architect", reports_to_id=ann)
        session.add(cy)
        session.flush()
        session.add(MapCard(stakeholder_id=ann, account_id=acme, x=10.0, y=20.0))
        relation = StakeholderRelation(
            account_id=acme, source_id=ann, target_id=cy.id, kind=RelationKind.INFLUENCE
        )
        session.add(relation)
        session.flush()
        return cy.id, relation.id


def assert_around_ann(team: Team, store: Store, cy_id: str, relation_id: str) -> None:
    """What :func:`around_ann` made is in ``store`` as it was made."""
    ann = team.ids["ann"]
    assert field_of(store, "stakeholder_relation", relation_id, "target_id") == cy_id
    assert field_of(store, "stakeholder", cy_id, "reports_to_id") == ann
    with store.session() as session:
        card = session.get(MapCard, ann)
        assert card is not None and (card.x, card.y) == (10.0, 20.0)


def converged(team: Team, *laptops: Store) -> None:
    """Sync every laptop twice (the first hears the last one's changes in round two); each
    then holds what the team workspace holds."""
    for _round in range(2):
        for laptop in laptops:
            run_sync(laptop)
    server = team.server()
    for laptop in laptops:
        assert differences(laptop, server) == []
