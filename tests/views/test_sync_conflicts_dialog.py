"""Sync > Review conflicts on a laptop replica, as a CSM reads it: who made their change, by
the name the team knows, and a refused choice said in the theme's error colour (the whole
sync round trip through the window is tests/views/test_sync_window.py, on PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from app.models import TeamMember, replica_rows
from app.models.store import Store
from app.views.context import AppContext
from app.views.sync_status import COLUMNS, ConflictsDialog
from tests.views.conftest import TODAY, Book


@pytest.fixture
def dialog(qtbot: QtBot, store: Store, book: Book) -> Iterator[ConflictsDialog]:
    """The review with one conflict: Lee's later note on Acme kept over Maya's."""
    with store.session() as session:
        session.add(TeamMember(login="lee", name="Lee Lead", is_lead=True))
    with store.engine.begin() as connection:
        replica_rows.add_conflict(
            connection,
            {
                "tbl": "account",
                "row_key": book.acme,
                "field": "notes",
                "kind": "lost",
                "mine": "Maya's",
                "theirs": "Lee's",
                "their_node": "lee@laptop-b",
            },
        )
    shown = ConflictsDialog(AppContext(store=store, today=TODAY))
    qtbot.addWidget(shown)
    shown.resize(900, 420)
    shown.show()
    qtbot.waitExposed(shown)
    yield shown
    shown.close()


def test_who_is_the_persons_name_when_the_team_knows_it(dialog: ConflictsDialog) -> None:
    who = COLUMNS.index("Who")
    assert dialog.table.item(0, who).text() == "Lee Lead"  # it read the login, "lee"
