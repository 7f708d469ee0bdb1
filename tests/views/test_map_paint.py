"""The map's cheaper drawing and geometry draw and measure what the plain Qt calls they
replace did: one-line texts at a point, relation bounds from control points, card bodies in
a grid, cards copied from their pictures."""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPathStroker, QPicture
from PySide6.QtWidgets import (
    QApplication,
    QGraphicsPathItem,
    QGraphicsScene,
    QGraphicsView,
    QStyleOptionGraphicsItem,
)

from app.models.enums import BuyingRole, RelationKind
from app.services.stakeholder_graph import MapLine, MapPerson
from app.views.map import card_drawing
from app.views.map.card_item import StakeholderCard
from app.views.map.card_pictures import PARTS, PICTURES
from app.views.map.line_groups import ReportingGroup
from app.views.map.line_items import RelationLine
from app.views.map.line_labels import CardBodies
from app.views.map.style import CARD_HEIGHT, CARD_WIDTH

TODAY = date(2026, 6, 1)


class _Painted:
    """A white picture and a painter on it, scaled and shifted off whole pixels."""

    def __init__(self, scale: float) -> None:
        self.image = QImage(400, 120, QImage.Format.Format_ARGB32_Premultiplied)
        self.image.fill(QColor("#ffffff"))
        self.painter = QPainter(self.image)
        self.painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.painter.scale(scale, scale)
        self.painter.translate(3.37, 1.9)


def _ink(image: QImage) -> tuple[int, int, int, int, int]:
    """The inked box (left, top, right, bottom) and the amount of ink of a white picture."""
    grey = [[image.pixel(x, y) & 0xFF for x in range(image.width())] for y in range(image.height())]
    inked = [(x, y, 255 - v) for y, row in enumerate(grey) for x, v in enumerate(row) if v < 255]
    xs, ys = [x for x, _, _ in inked], [y for _, y, _ in inked]
    return min(xs), min(ys), max(xs), max(ys), sum(i for *_, i in inked)


@pytest.mark.parametrize("scale", [0.72, 1.0, 1.7])
def test_a_line_at_a_point_lands_where_the_rectangle_overload_puts_it(
    qapp: QApplication, scale: float
) -> None:
    texts = ["Helena Marsh-Whitfield of Somewhere", "Director of Operations", "IT", "王伟"]
    fonts = [card_drawing.NAME_FONT, card_drawing.TEXT_FONT]
    rect = (7.3, 9.0, 150.0, 18.0)
    for font in fonts:
        for whole in texts:
            # Elided to the width first, as the card does: the text always fits its box.
            text = card_drawing._fit(font).elidedText(whole, Qt.TextElideMode.ElideRight, rect[2])
            ours, qts = _Painted(scale), _Painted(scale)
            card_drawing._line(ours.painter, font, rect, text)
            qts.painter.setFont(font)
            qts.painter.drawText(QRectF(*rect), Qt.AlignmentFlag.AlignVCenter, text)
            ours.painter.end()
            qts.painter.end()
            if ours.image == qts.image:  # the usual case (the app's fonts, no fallback glyphs)
                continue
            # Some fonts round the baseline differently: a pixel off at most.
            (l1, t1, r1, b1, ink1), (l2, t2, r2, b2, ink2) = _ink(ours.image), _ink(qts.image)
            assert max(abs(l1 - l2), abs(r1 - r2), abs(t1 - t2), abs(b1 - b2)) <= 1, text
            assert abs(ink1 - ink2) <= 0.1 * ink2, text


def _person(pid: str, x: float, y: float) -> MapPerson:
    return MapPerson(id=pid, name=pid, position=(x, y))


@pytest.mark.parametrize("kind", list(RelationKind))
@pytest.mark.parametrize("strength", [1, 3])
def test_a_relation_lines_bounds_hold_its_stroke_and_arrow(
    qapp: QApplication, kind: RelationKind, strength: int
) -> None:
    scene = QGraphicsScene()
    for (x0, y0), (x1, y1) in [((0, 0), (900, 40)), ((0, 0), (10, 500)), ((400, 300), (0, 0))]:
        a = StakeholderCard(_person("a", x0, y0), TODAY)
        b = StakeholderCard(_person("b", x1, y1), TODAY)
        line = RelationLine(MapLine("r", "a", "b", kind, strength), a, b)
        scene.addItem(line)
        stroke = line.shape().boundingRect()  # the stroked curve (dashes' caps) and arrow
        assert line.boundingRect().contains(stroke), (kind, strength, stroke)
        scene.removeItem(line)


def test_a_relation_lines_point_at_a_parameter_lies_on_its_curve(qapp: QApplication) -> None:
    """Labels are placed along a line by its curve's parameter (``point_at``), not by
    measuring the curve's length: the points lie on the curve Qt draws, ends included."""
    a = StakeholderCard(_person("a", 0, 0), TODAY)
    b = StakeholderCard(_person("b", 1300, 420), TODAY)
    line = RelationLine(MapLine("r", "a", "b", RelationKind.INFLUENCE, 2), a, b)
    path = line.path()
    drawn = [path.pointAtPercent(i / 4000) for i in range(4001)]
    assert line.point_at(0) == path.pointAtPercent(0)
    assert line.point_at(1) == path.pointAtPercent(1)
    for t in (0.1, 0.26, 0.5, 0.77, 0.9):
        at = line.point_at(t)
        assert min(math.hypot(p.x() - at.x(), p.y() - at.y()) for p in drawn) < 0.5, t
    # Along the curve in order: a later parameter lies further from the start.
    xs = [line.point_at(t / 10).x() for t in range(11)]
    assert xs == sorted(xs)


@pytest.mark.parametrize("kind", [RelationKind.INFLUENCE, RelationKind.DOTTED_LINE])
@pytest.mark.parametrize("zoom", [0.45, 0.72, 1.0, 1.7])
def test_a_dashed_line_drawn_in_pieces_has_the_dashes_of_its_curve(
    qapp: QApplication, kind: RelationKind, zoom: float
) -> None:
    """A dashed relation line is drawn as straight pieces a whole number of patterns long,
    only where the painter shows it: its dashes fall where Qt dashes the whole curve. The
    same inked box, the same ink within 3 %, and where the two differ it is an antialiased
    edge, not a dash moved or missing.

    (Qt's own dashing of a curve the picture cuts off skips the hidden part's length only
    roughly: its dashes move as the view scrolls. The reference is the whole curve.)"""
    for strength in (1, 3):
        a = StakeholderCard(_person("a", 0, 0), TODAY)
        b = StakeholderCard(_person("b", 2600, 700), TODAY)
        line = RelationLine(MapLine("r", "a", "b", kind, strength), a, b)
        middle = line.point_at(0.5)  # in the picture's middle, off whole pixels
        dx, dy = 240 / zoom - middle.x() + 0.3, 150 / zoom - middle.y() + 0.6
        ours = QImage(480, 300, QImage.Format.Format_ARGB32_Premultiplied)
        ours.fill(QColor("#ffffff"))
        painter = QPainter(ours)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.scale(zoom, zoom)
        painter.translate(dx, dy)
        line.paint(painter, _option(), None)
        painter.end()
        # The whole curve dashed by Qt (in a picture holding it and ours), then our part.
        whole = line.boundingRect().translated(dx, dy)
        left, top = min(0, math.floor(whole.left() * zoom)), min(0, math.floor(whole.top() * zoom))
        width = max(480, math.ceil(whole.right() * zoom)) - left + 2
        height = max(300, math.ceil(whole.bottom() * zoom)) - top + 2
        full = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
        full.fill(QColor("#ffffff"))
        painter = QPainter(full)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.translate(-left, -top)
        painter.scale(zoom, zoom)
        painter.translate(dx, dy)
        painter.setPen(line.pen())
        painter.drawPath(line.path())
        painter.end()
        theirs = full.copy(-left, -top, 480, 300)
        (l1, t1, r1, b1, ink1), (l2, t2, r2, b2, ink2) = _ink(ours), _ink(theirs)
        # A dash ending at the picture's edge may end a pixel or two apart.
        assert max(abs(l1 - l2), abs(t1 - t2), abs(r1 - r2), abs(b1 - b2)) <= 2, strength
        assert abs(ink1 - ink2) <= 0.03 * ink2, (strength, ink1, ink2)
        apart = sum(
            abs((ours.pixel(x, y) & 0xFF) - (theirs.pixel(x, y) & 0xFF)) > 128
            for y in range(ours.height())
            for x in range(ours.width())
        )
        assert apart <= 0.02 * ink2 / 255, (strength, apart)


@pytest.mark.parametrize("kind", [RelationKind.INFLUENCE, RelationKind.DOTTED_LINE])
def test_a_dashed_lines_dashes_stay_put_as_the_view_scrolls(
    qapp: QApplication, kind: RelationKind
) -> None:
    """Two views of a long dashed line, one scrolled 137 pixels from the other, paint the
    part they share alike (but for a shade of rounding where a piece begins at the edge):
    the dashes do not move as the view scrolls."""
    a = StakeholderCard(_person("a", 0, 0), TODAY)
    b = StakeholderCard(_person("b", 2600, 700), TODAY)
    line = RelationLine(MapLine("r", "a", "b", kind, 2), a, b)
    middle = line.point_at(0.5)
    pictures = []
    for scrolled in (0, 137):
        image = QImage(400, 300, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(QColor("#ffffff"))
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.translate(-scrolled, 0)  # whole device pixels, as a view scrolls
        painter.scale(0.72, 0.72)
        painter.translate(200 / 0.72 - middle.x(), 150 / 0.72 - middle.y())
        line.paint(painter, _option(), None)
        painter.end()
        pictures.append(image)
    first, second = pictures
    shared = first.copy(137, 0, 263, 300)
    assert _ink(shared)[4] > 0
    assert _most_apart(shared, second.copy(0, 0, 263, 300)) <= 2


def test_a_reporting_groups_bounds_hold_its_stroke(qapp: QApplication) -> None:
    manager = StakeholderCard(_person("m", 300, 0), TODAY)
    # A column under the manager, a row below, a wrapped row, and one beside it.
    spots = [(340, 160), (0, 170), (600, 170), (30, 700), (900, 10), (-400, -20)]
    reports = [StakeholderCard(_person(f"r{i}", x, y), TODAY) for i, (x, y) in enumerate(spots)]
    group = ReportingGroup(manager, reports)
    stroker = QPainterPathStroker(group.pen())
    stroke = stroker.createStroke(group.path()).boundingRect()
    assert group.boundingRect().contains(stroke), (group.boundingRect(), stroke)
    # Qt's own bounds (the stroke of the whole path), which these replace, are no wider.
    qts = QGraphicsPathItem(group.path())
    qts.setPen(group.pen())
    assert group.boundingRect().contains(qts.boundingRect())


@pytest.mark.parametrize("zoom", [0.45, 0.72, 1.0, 2.5])
def test_a_reporting_group_paints_what_its_path_stroked_would(
    qapp: QApplication, zoom: float
) -> None:
    """Drawn as straight segments (up to two device pixels wide) or as its path, a group's
    lines land where Qt strokes the path: the same inked box, the same ink within 6 % and no
    pixel more than a light shade apart (a stroked path inks the edges where connectors
    overlap a little darker)."""
    manager = StakeholderCard(_person("m", 300, 0), TODAY)
    spots = [(340, 160), (0, 170), (600, 170), (30, 700), (900, 10), (-400, -20)]
    reports = [StakeholderCard(_person(f"r{i}", x, y), TODAY) for i, (x, y) in enumerate(spots)]
    group = ReportingGroup(manager, reports)
    qts = QGraphicsPathItem(group.path())
    qts.setPen(group.pen())
    images = []
    for item in (group, qts):
        image = QImage(480, 300, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(QColor("#ffffff"))
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.scale(zoom, zoom)
        painter.translate(-200.3, -60.6)  # the manager's spine and the first rows
        item.paint(painter, _option(), None)
        painter.end()
        images.append(image)
    ours, theirs = images
    (l1, t1, r1, b1, ink1), (l2, t2, r2, b2, ink2) = _ink(ours), _ink(theirs)
    assert (l1, t1, r1, b1) == (l2, t2, r2, b2)
    assert abs(ink1 - ink2) <= 0.06 * ink2
    worst = max(
        abs((ours.pixel(x, y) & 0xFF) - (theirs.pixel(x, y) & 0xFF))
        for y in range(ours.height())
        for x in range(ours.width())
    )
    assert worst <= 48


def _option() -> QStyleOptionGraphicsItem:
    option = QStyleOptionGraphicsItem()
    option.exposedRect = QRectF(-10000, -10000, 20000, 20000)
    return option


def test_card_bodies_cover_a_box_by_area_each_card_once(qapp: QApplication) -> None:
    cards = [
        StakeholderCard(_person("a", 0, 0), TODAY),
        StakeholderCard(_person("b", 1000, 0), TODAY),
        StakeholderCard(_person("twin", 0, 0), TODAY),  # same spot: counted once
    ]
    bodies = CardBodies(cards)
    assert bodies.covered(-50, -50, -10, -10) == 0
    # Half the card's width and all its height, across grid cells.
    assert math.isclose(
        bodies.covered(CARD_WIDTH / 2, -10, CARD_WIDTH + 40, CARD_HEIGHT + 10),
        CARD_WIDTH / 2 * CARD_HEIGHT,
    )
    assert math.isclose(bodies.covered(990, 10, 1010, 20), 10 * 10)


def _view_of(card: StakeholderCard, zoom: float) -> Any:
    scene = QGraphicsScene()
    scene.addItem(card)
    view = QGraphicsView(scene)
    view.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
    view.resize(400, 200)
    view.scale(zoom, zoom)
    view.centerOn(CARD_WIDTH / 2, CARD_HEIGHT / 2)
    return scene, view


def _most_apart(one: QImage, other: QImage) -> int:
    """The largest difference of one colour channel between two pictures of a size."""
    assert one.size() == other.size()
    return max(
        abs(((a >> shift) & 0xFF) - ((b >> shift) & 0xFF))
        for y in range(one.height())
        for x in range(one.width())
        if (a := one.pixel(x, y)) != (b := other.pixel(x, y))
        for shift in (0, 8, 16, 24)
    ) if one != other else 0  # fmt: skip


@pytest.mark.parametrize("zoom", [0.72, 1.0])
def test_a_card_painted_again_comes_from_its_picture_as_it_was_painted(
    qapp: QApplication, zoom: float
) -> None:
    PICTURES.clear()
    card = StakeholderCard(_person("Helena Marsh", 0.3, 0.55), TODAY)  # off whole pixels
    _scene, view = _view_of(card, zoom)
    direct = view.viewport().grab().toImage()  # painted straight, the first time
    pictured = view.viewport().grab().toImage()  # the second time: its picture is made
    assert len(PICTURES._pictures) == 1
    # Composited once rather than shape by shape: a rounding apart at antialiased edges.
    assert _most_apart(direct, pictured) <= 2
    assert view.viewport().grab().toImage() == pictured  # copied from then on
    card.setSelected(True)  # another look: painted straight again, then its own picture
    view.viewport().grab()
    view.viewport().grab()
    assert len(PICTURES._pictures) == 2


@pytest.mark.parametrize("zoom", [0.72, 1.0, 1.7])
def test_cards_alike_but_for_their_words_copy_their_frame_ring_and_badge(
    qapp: QApplication, zoom: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A map's first paint copies the parts its cards share from pictures and draws only
    their words: as painted straight, but for a rounding at antialiased edges."""
    PICTURES.clear()
    PARTS.clear()
    people = [
        MapPerson(id=name, name=name, title="VP Operations", position=(x, 0.4),
                  role=BuyingRole.CHAMPION, influence=3, sentiment=1)
        for name, x in (("Helena Marsh", 0.3), ("Ivo Brandt", 250.6), ("Ana Ruiz", 500.45))
    ]  # fmt: skip
    scene = QGraphicsScene()
    for person in people:
        scene.addItem(StakeholderCard(person, TODAY))
    view = QGraphicsView(scene)
    view.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
    view.resize(900, 200)
    view.scale(zoom, zoom)
    view.centerOn(375, CARD_HEIGHT / 2)
    copied = view.viewport().grab().toImage()
    assert not PICTURES._pictures  # no whole card yet: each was painted once
    assert len(PARTS._pictures) == 3  # one body, one ring, one badge for the three cards
    monkeypatch.setattr(PARTS, "draw", lambda *args: False)
    monkeypatch.setattr(PARTS, "draw_all", lambda *args: False)
    scene.update()
    PICTURES.clear()
    straight = view.viewport().grab().toImage()
    assert _most_apart(copied, straight) <= 2


def test_a_printed_card_keeps_its_shapes_and_text(qapp: QApplication) -> None:
    PICTURES.clear()
    card = StakeholderCard(_person("Helena Marsh", 0, 0), TODAY)
    scene, _view = _view_of(card, 1.0)
    for _ in range(3):  # the same look painted again: no picture for a vector device
        drawing = QPicture()
        painter = QPainter(drawing)
        scene.render(painter)
        painter.end()
    assert not PICTURES._pictures


def test_a_see_through_card_is_painted_straight(qapp: QApplication) -> None:
    PICTURES.clear()
    card = StakeholderCard(MapPerson(id="d", name="Gone", position=(0, 0), departed=True), TODAY)
    _scene, view = _view_of(card, 0.72)
    for _ in range(3):
        view.viewport().grab()
    assert not PICTURES._pictures


@pytest.mark.parametrize("scale", [0.5, 0.72, 1.0, 1.7, 2.0])
def test_the_influence_ring_filled_from_its_outline_is_the_ring_qt_strokes(
    qapp: QApplication, scale: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    for influence in range(6):
        person = MapPerson(id="p", name="Helena Marsh", position=(0, 0), influence=influence)
        card = StakeholderCard(person, TODAY)
        filled, stroked = _Painted(scale), _Painted(scale)
        assert card_drawing._ring_scale(filled.painter) == scale  # filled from the outline
        card._paint_ring(filled.painter, QColor("#16a34a"))
        with monkeypatch.context() as patch:
            patch.setattr(card_drawing, "_ring_scale", lambda _painter: None)  # the five arcs
            card._paint_ring(stroked.painter, QColor("#16a34a"))
        filled.painter.end()
        stroked.painter.end()
        assert filled.image == stroked.image, (scale, influence)
