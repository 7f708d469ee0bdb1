"""Private notes: the map edits them as a field, each author sees only their own, and undo
puts them back (a note is a row of its own, not a column of the stakeholder); deleting a
person or their account keeps everyone's notes on them, unseen, until no undo can bring the
person back (the store that deleted them closes)."""

from __future__ import annotations

from sqlalchemy import select

from app.models import PrivateNote
from app.models.opening import open_workspace
from app.models.store import Store
from app.services import accounts, map_edits, private_notes
from app.services.stakeholder_graph import load_account_map
from tests.map_helpers import add_account, add_person, in_unit


def _notes(store: Store) -> list[tuple[str, str]]:
    with store.read() as session:
        return sorted(session.execute(select(PrivateNote.author, PrivateNote.text)).tuples())


def test_the_map_edits_the_users_own_note_and_undo_puts_it_back(store: Store) -> None:
    account = add_account(store, "Initech")
    peter = add_person(store, account, "Peter", at=(0, 0))
    with store.session() as session:
        me = private_notes.author(session)
        # Someone else's note (a book copied from a team server) stays theirs and unseen.
        session.add(PrivateNote(stakeholder_id=peter, account_id=account, author="kim", text="K"))
    previous = in_unit(
        store, map_edits.update_stakeholder, peter, {"private_notes": "  Hates TPS  "}
    )
    assert previous == {"private_notes": None}
    assert load_account_map(store, account).people[peter].private_notes == "Hates TPS"
    assert _notes(store) == [("kim", "K"), (me, "Hates TPS")]
    again = in_unit(store, map_edits.update_stakeholder, peter, {"private_notes": "Likes staplers"})
    assert again == {"private_notes": "Hates TPS"}
    in_unit(store, map_edits.update_stakeholder, peter, again)  # undo
    assert load_account_map(store, account).people[peter].private_notes == "Hates TPS"
    in_unit(store, map_edits.update_stakeholder, peter, previous)  # undo to nothing removes the row
    assert load_account_map(store, account).people[peter].private_notes is None
    assert _notes(store) == [("kim", "K")]


def test_a_deleted_persons_notes_wait_unseen_for_undo_and_go_when_no_undo_can_bring_them_back(
    store: Store, workspace_target: str
) -> None:
    account = add_account(store, "Initech")
    milton = in_unit(
        store, map_edits.create_stakeholder, account, "Milton", private_notes="Stapler"
    )
    peter = add_person(store, account, "Peter")
    with store.session() as session:
        me = private_notes.author(session)
        # Another author's notes (a book copied from a team server): on Milton and on Peter.
        for person in (milton, peter):
            session.add(
                PrivateNote(stakeholder_id=person, account_id=account, author="kim", text="K")
            )
    captured = in_unit(store, map_edits.delete_stakeholder, milton)
    assert set(load_account_map(store, account).people) == {peter}
    # Nobody's note went with Milton: undo is still possible.
    assert _notes(store) == [("kim", "K"), ("kim", "K"), (me, "Stapler")]
    in_unit(store, map_edits.restore_stakeholder, captured)
    assert load_account_map(store, account).people[milton].private_notes == "Stapler"
    assert _notes(store) == [("kim", "K"), ("kim", "K"), (me, "Stapler")]

    in_unit(store, map_edits.delete_stakeholder, milton)
    store.close()  # the window's undo history goes with the store: Milton cannot come back

    again = open_workspace(workspace_target)
    try:
        assert _notes(again) == [("kim", "K")]  # Peter's note stays: Peter is still there
    finally:
        again.close()


def test_deleting_an_account_keeps_the_notes_on_its_people_for_undo(store: Store) -> None:
    account = add_account(store, "Initech")
    milton = add_person(store, account, "Milton", private_notes="Stapler")
    with store.session() as session:
        session.add(PrivateNote(stakeholder_id=milton, account_id=account, author="kim", text="K"))
    captured = in_unit(store, accounts.delete_account, account)
    assert len(_notes(store)) == 2
    in_unit(store, accounts.restore_account, captured)
    assert load_account_map(store, account).people[milton].private_notes == "Stapler"
    assert [author for author, _text in _notes(store)].count("kim") == 1
