"""Taking back a deleted record brings back what its deletion took, wherever that was kept
(the team workspace's copy, or pulled pages split inside one deletion) (PostgreSQL)."""

from __future__ import annotations

import pytest

from app.models import Account, Stakeholder, replica, replica_pull, replica_push
from app.services import sync
from app.services.accounts import delete_account
from tests.sync.team import (
    Team,
    around_ann,
    assert_around_ann,
    converged,
    edit,
    field_of,
    run_sync,
    team,
)

pytestmark = pytest.mark.postgres_only
__all__ = ["team"]


def test_taking_theirs_after_deleting_an_edited_contact_brings_back_what_went_with_it(
    team: Team,
) -> None:
    ann = team.ids["ann"]
    server = team.server()
    cy_id, relation_id = around_ann(team, server)
    a, b = team.laptop("a", "maya"), team.laptop("b", "lee")
    edit(b, Stakeholder, ann, title="VP Engineering")
    with a.session() as session:
        session.delete(session.get(Stakeholder, ann))  # takes the card and the line with it
    run_sync(b)
    found = run_sync(a).conflicts
    assert [(c.kind, c.field, c.theirs, c.who) for c in found] == [
        ("edited", "title", "VP Engineering", "lee")
    ]
    converged(team, a, b)
    assert field_of(server, "stakeholder_relation", relation_id, "kind") is None
    said = sync.resolve(a, found[0].id, "theirs")
    assert "with 2 records deleted with it" in said
    converged(team, a, b)
    for store in (a, b, server):
        assert field_of(store, "stakeholder", ann, "title") == "VP Engineering"
        assert_around_ann(team, store, cy_id, relation_id)


@pytest.mark.parametrize("page", [1, 2, 3])
def test_a_deletion_pulled_across_pages_still_keeps_what_went_with_it(
    team: Team, monkeypatch: pytest.MonkeyPatch, page: int
) -> None:
    ann = team.ids["ann"]
    server = team.server()
    cy_id, relation_id = around_ann(team, server)
    a, b = team.laptop("a", "maya"), team.laptop("b", "lee")
    with a.session() as session:
        session.delete(session.get(Stakeholder, ann))
    run_sync(a)
    edit(b, Stakeholder, ann, title="Chief Technology Officer")  # while b syncs: after its push
    # The deletion's log rows (the card, the line, Cy's cleared manager, Ann) would span
    # pages this small; a page ends only where the deleting transaction ends.
    monkeypatch.setattr(replica_pull, "PAGE", page)
    with replica.server_connection(replica.info_of(b).server) as (engine, _url):
        pulled = replica_pull.pull(b, engine)
    assert [(c["kind"], c["field"]) for c in pulled.conflicts] == [("deleted", "title")]
    found = sync.conflicts(b)
    assert "with 2 records deleted with it" in sync.resolve(b, found[0].id, "mine")
    converged(team, a, b)
    for store in (a, b, server):
        assert field_of(store, "stakeholder", ann, "title") == "Chief Technology Officer"
        assert_around_ann(team, store, cy_id, relation_id)


@pytest.mark.parametrize("batch", [1, 2, 3])
def test_a_deletion_larger_than_one_pushed_batch_reaches_the_team_workspace_whole(
    team: Team, monkeypatch: pytest.MonkeyPatch, batch: int
) -> None:
    server = team.server()
    cy_id, _relation_id = around_ann(team, server)
    lee = team.laptop("a", "lee")
    with lee.session() as session:
        delete_account(session, team.ids["acme"])  # its sub-accounts, Ann, Cy, the card, the line
    monkeypatch.setattr(replica_push, "BATCH", batch)
    result = run_sync(lee)
    assert result.conflicts == [] and result.left == 0
    assert result.pushed > batch
    converged(team, lee)
    gone = ("acme", "west", "east", "ann")
    for store in (lee, server):
        with store.session() as session:
            assert [session.get(Account, team.ids[n]) for n in gone] == [None] * 4
            assert session.get(Stakeholder, cy_id) is None
        assert field_of(store, "account", team.ids["globex"], "name") == "Globex"
