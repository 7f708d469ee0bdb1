"""Laptop replicas of a team workspace merge per field, and lose nothing (PostgreSQL)."""

from __future__ import annotations

import pytest

from app.models import Account, Stakeholder
from app.models.enums import Segment
from app.services import sync
from tests.sync.team import (
    Team,
    around_ann,
    assert_around_ann,
    converged,
    edit,
    field_of,
    rows,
    run_sync,
    team,
)

pytestmark = pytest.mark.postgres_only
__all__ = ["team"]


def test_a_replica_holds_the_book_and_an_edit_travels_both_ways(team: Team) -> None:
    server = team.server()
    laptop = team.laptop("a")
    assert rows(laptop) == rows(server)
    edit(laptop, Account, team.ids["acme"], notes="from the plane")
    result = run_sync(laptop)
    assert (result.pushed, result.conflicts) == (result.pushed, [])
    assert result.pushed >= 1
    assert field_of(server, "account", team.ids["acme"], "notes") == "from the plane"
    edit(server, Account, team.ids["acme"], tier=3)
    run_sync(laptop)
    assert field_of(laptop, "account", team.ids["acme"], "tier") == 3
    assert rows(laptop) == rows(server)
    assert sync.state(laptop) is not None and sync.state(laptop).line() == "Replica: synced"


def _conflicts(store: object) -> list[sync.Conflict]:
    return sync.conflicts(store)  # type: ignore[arg-type]


def test_same_field_on_both_laptops_later_wins_and_the_other_value_is_listed(
    team: Team,
) -> None:
    a, b = team.laptop("a", "maya"), team.laptop("b", "lee")
    acme = team.ids["acme"]
    edit(a, Account, acme, notes="Maya's note")
    edit(b, Account, acme, notes="Lee's note")  # later: wins
    assert _conflicts(a) == [] and run_sync(a).conflicts == []
    found = run_sync(b).conflicts
    assert [(c.kind, c.field, c.mine, c.theirs, c.who) for c in found] == [
        ("overwritten", "notes", "Lee's note", "Maya's note", "maya")
    ]
    converged(team, a, b)
    assert field_of(a, "account", acme, "notes") == "Lee's note"

    edit(b, Account, acme, notes="Lee again")
    edit(a, Account, acme, notes="Maya again")  # later: wins, though it syncs second
    run_sync(b)
    found = run_sync(a).conflicts
    assert [(c.kind, c.mine, c.theirs) for c in found] == [
        ("overwritten", "Maya again", "Lee again")
    ]
    converged(team, a, b)
    assert field_of(b, "account", acme, "notes") == "Maya again"


def test_an_older_value_pushed_late_loses_and_is_kept_in_its_own_list(team: Team) -> None:
    a, b = team.laptop("a", "maya"), team.laptop("b", "lee")
    acme = team.ids["acme"]
    edit(a, Account, acme, tier=2)  # earlier
    edit(b, Account, acme, tier=4)
    run_sync(b)
    found = run_sync(a).conflicts
    assert [(c.kind, c.field, c.mine, c.theirs, c.who) for c in found] == [
        ("lost", "tier", "2", "4", "lee")
    ]
    assert field_of(a, "account", acme, "tier") == 4
    converged(team, a, b)
    # Keep mine: Maya's 2 becomes a new change that the next sync sends.
    assert "Set tier to 2" in sync.resolve(a, found[0].id, "mine")
    assert _conflicts(a) == []
    converged(team, a, b)
    assert field_of(b, "account", acme, "tier") == 2


def test_a_conflict_names_and_shows_values_as_the_window_does(team: Team) -> None:
    """Money in its currency, a choice by its label, the field and record in words: the
    review listed arr_minor 12000000 against 9500050, and segment strategic against smb."""
    a, b = team.laptop("a", "maya"), team.laptop("b", "lee")
    acme = team.ids["acme"]
    edit(a, Account, acme, arr_minor=120_000_00, segment=Segment.STRATEGIC)  # earlier
    edit(b, Account, acme, arr_minor=95_000_50, segment=Segment.SMB)
    run_sync(b)
    found = {c.field: c for c in run_sync(a).conflicts}
    arr, segment = found["arr_minor"], found["segment"]
    assert (arr.record, arr.field_words, arr.mine, arr.theirs) == (
        "Account Acme",
        "ARR",
        "$120,000.00",
        "$95,000.50",
    )
    assert (segment.field_words, segment.mine, segment.theirs) == ("Segment", "Strategic", "SMB")
    assert "Set ARR to $120,000.00;" in sync.resolve(a, arr.id, "mine")


def test_a_conflict_names_an_accounts_field_as_its_overview_does(team: Team) -> None:
    # The review and its resolve said "Owner", "Set owner to Maya"; the Overview says Owner (CSM).
    a, b = team.laptop("a", "maya"), team.laptop("b", "lee")
    acme = team.ids["acme"]
    edit(a, Account, acme, owner="Maya")  # earlier
    edit(b, Account, acme, owner="Lee")
    run_sync(b)
    (owner,) = [c for c in run_sync(a).conflicts if c.field == "owner"]
    assert owner.field_words == "Owner (CSM)"
    assert "Set owner (CSM) to Maya;" in sync.resolve(a, owner.id, "mine")


def test_edits_to_different_fields_of_one_record_both_survive(team: Team) -> None:
    a, b = team.laptop("a", "maya"), team.laptop("b", "lee")
    acme = team.ids["acme"]
    edit(a, Account, acme, notes="renewal at risk")
    edit(b, Account, acme, tier=3, industry="Retail")
    assert run_sync(a).conflicts == [] and run_sync(b).conflicts == []
    converged(team, a, b)
    server = team.server()
    assert field_of(server, "account", acme, "notes") == "renewal at risk"
    assert (
        field_of(server, "account", acme, "tier"),
        field_of(a, "account", acme, "industry"),
    ) == (
        3,
        "Retail",
    )
    assert _conflicts(a) == [] and _conflicts(b) == []


def test_an_edit_to_a_contact_deleted_elsewhere_is_listed_and_can_be_brought_back(
    team: Team,
) -> None:
    a, b = team.laptop("a", "maya"), team.laptop("b", "lee")
    ann = team.ids["ann"]
    with a.session() as session:
        session.delete(session.get(Stakeholder, ann))
    edit(b, Stakeholder, ann, title="Chief Technology Officer")
    run_sync(a)
    found = run_sync(b).conflicts
    assert [(c.kind, c.field, c.mine, c.theirs) for c in found] == [
        ("deleted", "title", "Chief Technology Officer", "(deleted)")
    ]
    converged(team, a, b)
    assert field_of(b, "stakeholder", ann, "name") is None
    # Keep mine brings Ann back, with Lee's title, everywhere.
    assert "Brought the stakeholder back" in sync.resolve(b, found[0].id, "mine")
    converged(team, a, b)
    assert field_of(a, "stakeholder", ann, "title") == "Chief Technology Officer"


def test_deleting_a_contact_someone_edited_meanwhile_lists_their_edit(team: Team) -> None:
    a, b = team.laptop("a", "maya"), team.laptop("b", "lee")
    ann = team.ids["ann"]
    edit(b, Stakeholder, ann, title="VP Engineering")
    with a.session() as session:
        session.delete(session.get(Stakeholder, ann))
    run_sync(b)
    found = run_sync(a).conflicts
    assert [(c.kind, c.field, c.mine, c.theirs, c.who) for c in found] == [
        ("edited", "title", "(deleted)", "VP Engineering", "lee")
    ]
    converged(team, a, b)
    assert field_of(team.server(), "stakeholder", ann, "name") is None
    assert "Brought the stakeholder back" in sync.resolve(a, found[0].id, "theirs")
    converged(team, a, b)
    assert field_of(b, "stakeholder", ann, "title") == "VP Engineering"


def test_moving_one_account_to_two_parents_offline_the_later_move_wins(team: Team) -> None:
    a, b = team.laptop("a", "maya"), team.laptop("b", "lee")
    west, east, globex = team.ids["west"], team.ids["east"], team.ids["globex"]
    edit(a, Account, west, parent_id=east)
    edit(b, Account, west, parent_id=globex)
    run_sync(a)
    found = run_sync(b).conflicts
    assert [(c.kind, c.field) for c in found] == [("overwritten", "parent_id")]
    converged(team, a, b)
    assert field_of(a, "account", west, "parent_id") == globex


def test_two_offline_moves_that_together_make_a_loop_are_refused_with_a_conflict(
    team: Team,
) -> None:
    a, b = team.laptop("a", "maya"), team.laptop("b", "lee")
    west, east, acme = team.ids["west"], team.ids["east"], team.ids["acme"]
    edit(a, Account, east, parent_id=west)  # East under West
    edit(b, Account, west, parent_id=east)  # West under East: a loop with the other move
    run_sync(a)
    found = run_sync(b).conflicts
    assert [(c.kind, c.field) for c in found] == [("cycle", "parent_id")]
    assert found[0].theirs == acme
    converged(team, a, b)
    assert field_of(b, "account", west, "parent_id") == acme
    assert field_of(b, "account", east, "parent_id") == west


def test_an_edit_the_team_workspace_refuses_is_listed_and_undone_on_the_laptop(
    team: Team,
) -> None:
    laptop = team.laptop("a", "maya")
    globex = team.ids["globex"]
    edit(laptop, Account, globex, notes="not mine to write")  # Jonas's account
    edit(laptop, Account, team.ids["acme"], notes="mine to write")
    result = run_sync(laptop)
    assert [(c.kind, c.field, c.mine, c.theirs) for c in result.conflicts] == [
        ("refused", "notes", "not mine to write", "(none)")
    ]
    assert "own or are on the team of" in (result.conflicts[0].reason or "")
    server = team.server()
    assert field_of(server, "account", globex, "notes") is None
    assert field_of(server, "account", team.ids["acme"], "notes") == "mine to write"
    assert rows(laptop) == rows(server)


def test_a_plain_value_the_team_workspace_cannot_take_is_listed_and_the_rest_applies(
    team: Team,
) -> None:
    laptop = team.laptop("a", "maya")
    acme, west, east = team.ids["acme"], team.ids["west"], team.ids["east"]
    edit(laptop, Account, acme, notes="before")
    edit(laptop, Account, west, industry="x" * 150)  # the file takes it; the server's 100 not
    edit(laptop, Account, east, notes="after")
    result = run_sync(laptop)
    assert [(c.kind, c.field, c.mine, c.theirs) for c in result.conflicts] == [
        ("invalid", "industry", "x" * 150, "(none)")
    ]
    assert "too long" in (result.conflicts[0].reason or "")
    server = team.server()
    assert field_of(server, "account", acme, "notes") == "before"
    assert field_of(server, "account", east, "notes") == "after"
    assert field_of(laptop, "account", west, "industry") is None
    assert rows(laptop) == rows(server)
    # Nothing is left waiting: the next sync does not send the batch again.
    assert run_sync(laptop).pushed == 0
    state = sync.state(laptop)
    assert state is not None and state.line() == "Replica: 1 conflict to review"


def test_bringing_back_a_deleted_contact_brings_back_what_went_with_it(team: Team) -> None:
    ann = team.ids["ann"]
    server = team.server()
    cy_id, relation_id = around_ann(team, server)
    a, b = team.laptop("a", "maya"), team.laptop("b", "lee")
    with a.session() as session:
        session.delete(session.get(Stakeholder, ann))  # takes the card and the line with it
    edit(b, Stakeholder, ann, title="Chief Technology Officer")
    run_sync(a)
    assert field_of(server, "stakeholder", cy_id, "reports_to_id") is None
    found = run_sync(b).conflicts
    assert [(c.kind, c.field) for c in found] == [("deleted", "title")]
    assert field_of(b, "stakeholder_relation", relation_id, "kind") is None
    said = sync.resolve(b, found[0].id, "mine")
    assert "with 2 records deleted with it" in said
    converged(team, a, b)
    for store in (a, b, server):
        assert field_of(store, "stakeholder", ann, "title") == "Chief Technology Officer"
        assert_around_ann(team, store, cy_id, relation_id)
