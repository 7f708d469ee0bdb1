"""Private notes: the map edits them as a field, each author sees only their own, and undo
puts them back (a note is a row of its own, not a column of the stakeholder)."""

from __future__ import annotations

from sqlalchemy import select

from app.models import PrivateNote
from app.models.store import Store
from app.services import map_edits, private_notes
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


def test_deleting_a_person_takes_their_notes_and_undo_brings_them_back(store: Store) -> None:
    account = add_account(store, "Initech")
    milton = in_unit(
        store, map_edits.create_stakeholder, account, "Milton", private_notes="Stapler"
    )
    assert load_account_map(store, account).people[milton].private_notes == "Stapler"
    captured = in_unit(store, map_edits.delete_stakeholder, milton)
    assert _notes(store) == []
    in_unit(store, map_edits.restore_stakeholder, captured)
    assert load_account_map(store, account).people[milton].private_notes == "Stapler"
