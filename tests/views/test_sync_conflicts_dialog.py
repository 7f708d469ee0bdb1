"""Sync > Review conflicts on a laptop replica, as a CSM reads it: who made their change, by
the name the team knows, and a refused choice said in the theme's error colour (the whole
sync round trip through the window is tests/views/test_sync_window.py, on PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.models import TeamMember, replica_rows
from app.models.store import Store
from app.views.context import AppContext
from app.views.sync_status import COLUMNS, ConflictsDialog
from app.views.theme import RENEWAL_SOON, apply_theme
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


def _contrast(a: QColor, b: QColor) -> float:
    """WCAG's contrast ratio of two colours."""

    def luminance(c: QColor) -> float:
        def channel(v: float) -> float:
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

        return (
            0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF())
        )

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_a_refused_choice_is_said_in_the_themes_error_colour(
    qapp: QApplication, qtbot: QtBot, store: Store, dialog: ConflictsDialog, mode: str
) -> None:
    apply_theme(qapp, mode)
    # Resolved elsewhere meanwhile (the command line, another window): Keep mine is refused.
    with store.engine.begin() as connection:
        connection.exec_driver_sql("DELETE FROM sync_conflict")
    qtbot.mouseClick(dialog.keep, Qt.MouseButton.LeftButton)
    note = dialog.problem
    # In the window's words: no conflict number, no command-line option.
    assert note.isVisible() and note.text() == (
        "That conflict is no longer on the list: it was resolved meanwhile."
    )
    colour = note.palette().color(note.foregroundRole())
    # The colour every panel says a refusal in (it was a fixed dark red, dim on the dark theme).
    assert colour == QColor(RENEWAL_SOON)
    background = dialog.palette().color(QPalette.ColorRole.Window)
    assert _contrast(colour, background) >= 3.5
