"""Line labels (notes, the conflict mark) are drawn above the cards and placed off them, so a
card never hides them; double-clicking a label over a card edits the line's note."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QEvent, QPointF, QRectF
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.models import StakeholderRelation
from app.models.enums import RelationKind
from app.models.store import Store
from app.views.map import dialogs
from app.views.map.line_items import RelationLine
from app.views.map.line_labels import LineLabel
from app.views.map.style import CARD_HEIGHT, CARD_WIDTH
from tests.map_helpers import add_account, add_line, add_person
from tests.views.map_window import LEFT, NO_MOD, SIZES, MapWindow, open_map


@pytest.fixture(autouse=True)
def _collect_leftovers(qapp: QApplication) -> Iterator[None]:
    yield
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def _card_rects(m: MapWindow) -> list[QRectF]:
    return [
        QRectF(card.pos().x(), card.pos().y(), CARD_WIDTH, CARD_HEIGHT)
        for card in m.tab.scene.cards.values()
    ]


def _labels(m: MapWindow) -> list[LineLabel]:
    return [i for i in m.tab.scene.items() if isinstance(i, LineLabel) and i.isVisible()]


@pytest.fixture(params=SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def crowded(request: pytest.FixtureRequest, qtbot: QtBot, store: Store) -> tuple[MapWindow, str]:
    """Two people in conflict with a note, and a third card right where the line's middle is."""
    acc = add_account(store, "Crowded Corp")
    left = add_person(store, acc, "Ana Left", title="CFO", at=(0, 0))
    right = add_person(store, acc, "Ben Right", title="CIO", at=(900, 0))
    # The line bends up or down (by id order) by 0.12 of its length at its middle: the
    # third card sits centred there.
    length = 900 - 6 - CARD_WIDTH
    up = -1 if left < right else 1
    middle_y = CARD_HEIGHT / 2 + up * 0.12 * length
    add_person(
        store, acc, "Cara Middle", title="COO",
        at=((900 + CARD_WIDTH) / 2 - CARD_WIDTH / 2, middle_y - CARD_HEIGHT / 2),
    )  # fmt: skip
    relation = add_line(store, acc, left, right, RelationKind.CONFLICT)
    with store.session() as session:
        session.get(StakeholderRelation, relation).note = "Budget fight over the renewal"
    return open_map(qtbot, store, acc, request.param), relation


def test_conflict_label_is_above_the_cards_and_off_them(crowded: tuple[MapWindow, str]) -> None:
    m, relation = crowded
    line = next(
        i for i in m.tab.scene.items() if isinstance(i, RelationLine) and i.relation_id == relation
    )
    cards = _card_rects(m)
    middle = line._mid
    # The line's own middle is under a card: that is where the label used to hide.
    assert any(rect.contains(middle) for rect in cards)
    (label,) = _labels(m)
    assert label.owner is line
    assert label.zValue() > max(card.zValue() for card in m.tab.scene.cards.values())
    box = label.sceneBoundingRect()
    assert not any(rect.intersects(box) for rect in cards), (box, cards)
    # It sits on the line itself.
    assert line.shape().intersects(label.mapRectToScene(label.boundingRect()))
    # Whatever is drawn at the label's centre is the label: nothing covers it.
    top = m.tab.scene.items(box.center())[0]
    assert top is label


def test_label_follows_a_dragged_card_and_a_double_click_edits_the_note(
    crowded: tuple[MapWindow, str], store: Store, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot
) -> None:
    m, relation = crowded
    (label,) = _labels(m)
    before = label.scenePos()
    ana = next(pid for pid, c in m.tab.scene.cards.items() if c.person.name == "Ana Left")
    m.tab.reveal([ana])
    start = m.card_point(ana)
    m.drag(start, start + (m.vp(QPointF(0, 120)) - m.vp(QPointF(0, 0))))
    qtbot.waitUntil(lambda: label.scenePos() != before)
    cards = _card_rects(m)
    assert not any(rect.intersects(label.sceneBoundingRect()) for rect in cards)

    asked: list[str] = []

    def answer(_parent, _title, _prompt, current):
        asked.append(current)
        return "Budget settled"

    monkeypatch.setattr(dialogs, "ask_text", answer)
    m.tab.reveal([ana])
    (label,) = _labels(m)
    point = m.vp(label.sceneBoundingRect().center())
    QTest.mouseDClick(m.tab.view.viewport(), LEFT, NO_MOD, point)
    qtbot.waitUntil(lambda: bool(asked))
    assert asked == ["Budget fight over the renewal"]
    with store.read() as session:
        note = session.scalars(
            select(StakeholderRelation.note).where(StakeholderRelation.id == relation)
        ).one()
    assert note == "Budget settled"


def test_customer_view_hides_conflict_labels(crowded: tuple[MapWindow, str]) -> None:
    m, _relation = crowded
    assert _labels(m)
    m.tab.scene.set_customer_safe(True)
    assert not _labels(m)
    m.tab.scene.set_customer_safe(False)
    assert len(_labels(m)) == 1
