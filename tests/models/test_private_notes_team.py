"""Deleting a person on a team server: every author's private notes on them wait, unseen, for
the deleter's undo (which brings them back for each author) and go once no undo can bring the
person back; a CSM cannot use the clean-up to remove notes on people who still exist."""

from __future__ import annotations

from typing import Any

import pytest

from app.models.opening import open_workspace
from app.models.store import Store
from app.services import accounts, map_edits, private_notes
from app.services.stakeholder_graph import load_account_map
from tests.pg.team import as_login as _as
from tests.pg.team import plain as _plain

pytestmark = pytest.mark.postgres_only


def _all_notes(url: str, stakeholder_id: str) -> list[tuple[str, str]]:
    """Every author's notes on a person, read as the owner (whom the policies do not bind)."""
    with _plain(url, "postgres", "") as owner:
        rows = owner.execute(
            "SELECT author, text FROM private_note WHERE stakeholder_id = %s", [stakeholder_id]
        )
        return sorted((str(a), str(t)) for a, t in rows)


def _note_seen_by(store: Store, account_id: str, person_id: str) -> str | None:
    people = load_account_map(store, account_id).people
    return people[person_id].private_notes if person_id in people else None


def _write(store: Store, person_id: str, text: str) -> None:
    with store.session() as session:
        private_notes.set_note(session, person_id, text)


def test_a_csms_delete_keeps_the_other_csms_note_for_undo_and_closing_ends_it(
    team: dict[str, str],
) -> None:
    url, ann, mine = team["url"], team["ann"], team["mine"]
    maya = open_workspace(_as(url, "maya", "pw-maya"))
    jonas = open_workspace(_as(url, "jonas", "pw-jonas"))
    try:
        _write(maya, ann, "Ann decides in Q3")
        _write(jonas, ann, "Ann ignores my emails")
        with maya.session() as session:  # Maya deletes Ann from her own account
            captured = map_edits.delete_stakeholder(session, ann)
        assert _note_seen_by(jonas, mine, ann) is None  # Ann is gone for everyone...
        everyone = [
            ("jonas", "Ann ignores my emails"),
            ("maya", "Ann decides in Q3"),
            ("postgres", "by admin"),
        ]
        assert _all_notes(url, ann) == everyone  # ...but nobody's note went with her
        jonas.close()  # another person's window closing does not end Maya's undo
        jonas = open_workspace(_as(url, "jonas", "pw-jonas"))
        assert _all_notes(url, ann) == everyone

        with maya.session() as session:  # Maya's undo
            map_edits.restore_stakeholder(session, captured)
        assert _note_seen_by(jonas, mine, ann) == "Ann ignores my emails"
        assert _note_seen_by(maya, mine, ann) == "Ann decides in Q3"

        with maya.session() as session:  # deleted again, and then Maya closes the workspace
            map_edits.delete_stakeholder(session, ann)
        maya.close()
        assert _all_notes(url, ann) == []
    finally:
        maya.close()
        jonas.close()


def test_a_leads_account_delete_and_undo_bring_back_each_csms_note(team: dict[str, str]) -> None:
    url, ann, mine = team["url"], team["ann"], team["mine"]
    lee = open_workspace(_as(url, "lee", "pw-lee"))
    maya = open_workspace(_as(url, "maya", "pw-maya"))
    jonas = open_workspace(_as(url, "jonas", "pw-jonas"))
    try:
        _write(maya, ann, "Ann decides in Q3")
        _write(jonas, ann, "Ann ignores my emails")
        with lee.session() as session:
            captured = accounts.delete_account(session, mine)
        assert len(_all_notes(url, ann)) == 3
        with lee.session() as session:
            accounts.restore_account(session, captured)
        assert _note_seen_by(maya, mine, ann) == "Ann decides in Q3"
        assert _note_seen_by(jonas, mine, ann) == "Ann ignores my emails"
        assert _note_seen_by(lee, mine, ann) is None  # the lead reads no one's note
    finally:
        for store in (lee, maya, jonas):
            store.close()


def test_the_clean_up_in_plain_sql_removes_only_notes_of_people_who_are_gone(
    team: dict[str, str],
) -> None:
    url, ann, bob = team["url"], team["ann"], team["bob"]
    maya = open_workspace(_as(url, "maya", "pw-maya"))
    try:
        _write(maya, bob, "Bob is leaving")
    finally:
        maya.close()
    with _plain(url, "postgres", "") as owner:  # a note left on a person deleted long ago
        owner.execute(
            "INSERT INTO private_note (id, stakeholder_id, account_id, author, text,"
            " created_at, updated_at) VALUES ('n1', 'gone', %s, 'maya', 'old', now(), now())",
            [team["theirs"]],
        )
    with _plain(url, "jonas", "pw-jonas") as jonas:
        removed: Any = jonas.execute("SELECT fieldbook_forget_notes(%s)", [[ann, bob]]).fetchone()
        assert removed == (0,)
        assert jonas.execute("SELECT fieldbook_forget_notes(NULL)").fetchone() == (1,)
        jonas.commit()
    assert _all_notes(url, "gone") == []
    assert _all_notes(url, ann) == [("postgres", "by admin")]
    assert _all_notes(url, bob) == [("maya", "Bob is leaving")]
