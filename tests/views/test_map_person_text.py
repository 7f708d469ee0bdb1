"""A person's name, title and departure read as written on the map: in the card's tooltip and
the person panel's heading (both rich text), and the day they left in the window's day form."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from PySide6.QtGui import QTextDocument
from pytestqt.qtbot import QtBot

from app.services.stakeholder_graph import MapPerson
from app.views.map.card_item import StakeholderCard
from app.views.map.person_form import EditPanel

LEFT_US = MapPerson(
    id="p1",
    name="Ana <CFO> & Co",
    title="VP R&D <EMEA>",
    departed=True,
    departed_on=date(2026, 11, 2),
    departed_to="Globex",
)


def plain(rich: str) -> str:
    document = QTextDocument()
    document.setHtml(rich)
    return document.toPlainText()


def test_the_card_tooltip_reads_the_name_and_the_day_they_left(qtbot: QtBot) -> None:
    card = StakeholderCard(LEFT_US, date(2026, 12, 3))
    card._refresh_tooltip()
    lines = plain(card.toolTip()).splitlines()
    assert lines[:2] == ["Ana <CFO> & Co", "VP R&D <EMEA>"]
    assert "Left Nov 2, 2026" in lines


def test_the_person_panel_heading_reads_the_name_and_where_they_went(qtbot: QtBot) -> None:
    panel = EditPanel()
    qtbot.addWidget(panel)
    panel.show_person(LEFT_US)
    assert plain(panel.heading.text()).splitlines() == [
        "Ana <CFO> & Co",
        "Left Nov 2, 2026 → Globex",
    ]


def test_drawing_a_line_reads_in_edit_undo_as_its_kind_says_it(qapp: Any) -> None:
    from app.models.enums import RelationKind
    from app.views.map.commands import AddRelationCommand

    texts = {
        kind: AddRelationCommand(cast(Any, None), "acc", "a", "b", kind).text()
        for kind in RelationKind
    }
    assert texts == {
        RelationKind.INFLUENCE: "Draw influence line",
        RelationKind.DOTTED_LINE: "Draw dotted line",  # not "dotted line line"
        RelationKind.CONFLICT: "Draw conflict line",
        RelationKind.ALLIANCE: "Draw alliance line",
    }


def test_a_cards_remembered_texts_are_what_qt_elides_and_measures(qapp: Any) -> None:
    """Cards remember their elided texts and widths (a map repeats titles and "5 mo ago"):
    the same strings Qt gives, for every font, and a bounded memory."""
    from PySide6.QtCore import Qt

    from app.views.map import card_drawing as cd

    texts = [
        "Director of Something Important",
        "IT",
        "5 mo ago",
        "never contacted",
        "Zoë Ångström-Łukasiewicz",
    ]
    for font in (cd.NAME_FONT, cd.TEXT_FONT, cd.SMALL_FONT):
        metrics = cd._fit(font)
        for text in texts:
            for width in (20.0, 80.0, 144.0):
                for _ in range(2):  # measured, then remembered
                    expected = metrics.elidedText(text, Qt.TextElideMode.ElideRight, width)
                    assert cd._elided(font, text, width) == expected
                    assert cd._advance(font, text) == metrics.horizontalAdvance(text)
    for i in range(cd._REMEMBERED + 5):
        cd._elided(cd.TEXT_FONT, f"Person {i}", 144.0)
    assert cd._elided.cache_info().currsize <= cd._REMEMBERED
