"""How a stakeholder card is drawn: the body and its sentiment band, the avatar with its
influence ring, the texts, the role badge and the marks (warning, version diff), at three
levels of detail. ``StakeholderCard`` (``card_item``) owns the card's data, geometry and
events, and paints through this."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPen,
)

from app.services import dates_text
from app.services.stakeholder_graph import MapPerson
from app.views import theme
from app.views.map.card_pictures import PARTS, Part, Spot, raster_scale, spot
from app.views.map.style import (
    CARD_HEIGHT,
    CARD_WIDTH,
    DEPARTED,
    ROLE_BADGES,
    ROLE_COLOURS,
    SENTIMENT_COLOURS,
    MapTheme,
    measured,
)

if TYPE_CHECKING:
    from app.services.map_analysis import MapWarning

HANDLE_RADIUS = 8.0
AVATAR = 44.0
BAND = 6.0
#: Under this zoom level cards are drawn as a block with the name only.
DETAIL_LOD = 0.45
#: Under this one, text would be a pixel high: a coloured block says enough.
FAR_LOD = 0.2

#: Diff overlay marks and their colours (version compare).
DIFF_COLOURS = {"joined": "#16a34a", "changed": "#7c3aed", "left": "#dc2626"}
DIFF_WORDS = {"joined": "NEW", "changed": "CHANGED", "left": "LEFT"}


def _font(size: float, *, bold: bool = False) -> QFont:
    font = QFont()
    font.setPointSizeF(size)
    font.setBold(bold)
    return font


NAME_FONT = _font(10.5, bold=True)
TEXT_FONT = _font(8.8)
SMALL_FONT = _font(8.0)
BADGE_FONT = _font(6.8, bold=True)
INITIALS_FONT = _font(12.5, bold=True)
FAR_FONT = _font(17, bold=True)
#: The warning badge's mark (made once, not per paint).
WARNING_FONT = _font(9, bold=True)


#: Font metrics by (font, dots per inch): made once, not per paint.
_metrics: dict[tuple[int, int], QFontMetricsF] = {}


def _line(
    painter: QPainter,
    font: QFont,
    rect: tuple[float, float, float, float],
    text: str,
    *,
    right: bool = False,
) -> None:
    """One line of ``text`` at the left (or ``right``) of ``rect`` (x, y, width, height),
    centred vertically, where ``drawText(QRectF, AlignVCenter, text)`` puts it, at a quarter
    of the cost: that overload lays the text out anew on every call, and a map's first paint
    draws hundreds.

    Pixel for pixel the same with the app's usual fonts; with some fonts (or a glyph from a
    fallback font) Qt's own layout rounds the baseline a pixel differently. (Centred text is
    left to Qt: with a synthesised bold its measured width is not what Qt lays out.)
    """
    painter.setFont(font)
    device = painter.device()
    key = (id(font), device.logicalDpiY())
    metrics = _metrics.get(key)
    if metrics is None:
        metrics = _metrics[key] = QFontMetricsF(measured(font), device)
    x, y, width, height = rect
    if right:
        x += width - metrics.horizontalAdvance(text)
    painter.drawText(QPointF(x, y + (height - metrics.height()) / 2 + metrics.ascent()), text)


#: Font metrics to fit texts to a card's width, by font: made once, not per paint.
_fitting: dict[int, QFontMetricsF] = {}


def _fit(font: QFont) -> QFontMetricsF:
    """The metrics a card's texts are elided and measured with (the screen's)."""
    metrics = _fitting.get(id(font))
    if metrics is None:
        metrics = _fitting[id(font)] = QFontMetricsF(measured(font))
    return metrics


#: Texts as cards show them and their widths are remembered by font: a map repeats titles,
#: departments and "5 mo ago" on many cards, and eliding or measuring lays the text out every
#: time (a 500-card map shows ~1,500 texts).
_REMEMBERED = 8192


@lru_cache(maxsize=_REMEMBERED)
def _elided(font: QFont, text: str, width: float) -> str:
    """``text`` elided at the right to ``width`` with the card's metrics (``_fit``)."""
    return _fit(font).elidedText(text, Qt.TextElideMode.ElideRight, width)


@lru_cache(maxsize=_REMEMBERED)
def _advance(font: QFont, text: str) -> float:
    """How wide ``text`` is with the card's metrics (``_fit``)."""
    return _fit(font).horizontalAdvance(text)


#: The influence ring's pen widths: its dark (on) and light (off) arcs.
_RING_WIDTHS = (3.6, 2.4)
#: The influence ring's pens (on, off) by theme, made once rather than five per card.
_RING_PENS: dict[int, tuple[QPen, QPen]] = {}


def _ring_pens(theme: MapTheme) -> tuple[QPen, QPen]:
    pens = _RING_PENS.get(id(theme))
    if pens is None:
        on, off = QPen(theme.ring_on, _RING_WIDTHS[0]), QPen(theme.ring_off, _RING_WIDTHS[1])
        on.setCapStyle(Qt.PenCapStyle.FlatCap)
        off.setCapStyle(Qt.PenCapStyle.FlatCap)
        pens = _RING_PENS[id(theme)] = (on, off)
    return pens


_AVATAR_CENTRE = QPointF(BAND + 12 + AVATAR / 2, 14 + AVATAR / 2)
_RING = QRectF(
    _AVATAR_CENTRE.x() - AVATAR / 2 - 4, _AVATAR_CENTRE.y() - AVATAR / 2 - 4, AVATAR + 8, AVATAR + 8
)
_STAR_CENTRE = _AVATAR_CENTRE + QPointF(AVATAR / 2 - 2, -AVATAR / 2 + 2)
_WARNING_CENTRE = QPointF(CARD_WIDTH - 4, 4)
_DIFF_TAG = QRectF(12, -9, 0, 16)  # as wide as its word
#: What each shared part of a card covers, edges and shadow included: their pictures'
#: extent (``PARTS``).
_BODY_BOUNDS = QRectF(-2, -2, CARD_WIDTH + 4, CARD_HEIGHT + 6)
_AVATAR_BOUNDS = _RING.adjusted(-3, -3, 3, 3)
_STAR_BOUNDS = QRectF(_STAR_CENTRE.x() - 10, _STAR_CENTRE.y() - 10, 20, 20)
_WARNING_BOUNDS = QRectF(_WARNING_CENTRE.x() - 11, _WARNING_CENTRE.y() - 11, 22, 22)
_DIFF_BOUNDS = QRectF(_DIFF_TAG.x() - 2, _DIFF_TAG.y() - 2, CARD_WIDTH, _DIFF_TAG.height() + 4)
#: The ring's five arcs as ``drawArc`` takes them: (start, span) in 1/16 degree.
_ARCS = tuple((int((90 - i * 72 - 4) * 16), -(72 - 8) * 16) for i in range(5))
#: The stroked outlines of the ring's dark and light arcs by (influence, device scale).
_RING_OUTLINES: dict[tuple[int, float], tuple[QPainterPath, QPainterPath]] = {}


def _ring_outlines(influence: int, scale: float) -> tuple[QPainterPath, QPainterPath]:
    """The outlines raster painting strokes the dark and the light arcs to at ``scale``.

    Qt strokes a pen in item coordinates, flattening curves to a quarter of a device pixel
    (0.25 / scale) and filling the outline; stroking with that threshold once and filling
    the outline paints the same pixels at a third of the cost (the outlines are the same for
    every card of an influence level).
    """
    key = (influence, scale)
    outlines = _RING_OUTLINES.get(key)
    if outlines is None:
        dark, light = QPainterPath(), QPainterPath()
        for i, (start, span) in enumerate(_ARCS):
            path = dark if i < influence else light
            path.arcMoveTo(_RING, start / 16)
            path.arcTo(_RING, start / 16, span / 16)
        strokes = []
        for path, width in zip((dark, light), _RING_WIDTHS, strict=True):
            pen = QPen(QColor(0, 0, 0), width)
            pen.setCapStyle(Qt.PenCapStyle.FlatCap)
            stroker = QPainterPathStroker(pen)
            stroker.setCurveThreshold(0.25 / scale)
            strokes.append(stroker.createStroke(path))
        outlines = _RING_OUTLINES[key] = (strokes[0], strokes[1])
    return outlines


def _ring_scale(painter: QPainter) -> float | None:
    """The device scale to fill the ring's outlines at, or None to stroke its arcs: Qt
    strokes them so only for raster painting, unturned and unstretched, with pens wider
    than a device pixel (thinner ones take its cosmetic stroker)."""
    scale = raster_scale(painter)  # the device pixel ratio included
    if scale is None or min(_RING_WIDTHS) * scale <= 1:
        return None
    return scale


def contact_age_text(person: MapPerson, today: date) -> tuple[str, bool]:
    """("12 d ago", stale?) for the card's last-contact corner."""
    last = person.last_touched()
    if last is None:
        return ("never contacted", True)
    days = (today - last).days
    if days <= 0:
        return ("contacted today", False)
    if days < 60:
        text = f"{days} d ago"
    elif days < 730:
        text = f"{days // 30} mo ago"
    else:
        text = f"{days // 365} y ago"
    return (text, days > 90)


class CardDrawing:
    """The drawing half of ``StakeholderCard``: what it paints from its person and state."""

    if TYPE_CHECKING:
        person: MapPerson
        today: date
        theme: MapTheme
        warnings: list[MapWarning]
        customer_safe: bool
        drop_target: bool
        diff_mark: str | None
        _hover: bool

        def handle_centre(self) -> QPointF: ...

    def _paint_card(
        self, painter: QPainter, lod: float, selected: bool, at: Spot | None = None
    ) -> None:
        """Paint the card; ``at``: where the painter's origin is, when the caller knows."""
        t, p = self.theme, self.person
        sentiment = theme.colour(SENTIMENT_COLOURS[p.sentiment])
        if self.customer_safe:
            sentiment = QColor(t.reporting)
        if p.departed:
            sentiment = theme.colour(DEPARTED)
        flagged = bool(self.warnings) and not self.customer_safe
        border = QPen(t.border, 1.0)
        if flagged:
            border = QPen(t.warning, 1.8)
        if self.diff_mark:
            border = QPen(QColor(DIFF_COLOURS[self.diff_mark]), 3.0)
        if self.drop_target:
            border = QPen(t.accent, 3.0, Qt.PenStyle.DashLine)
        if selected:
            border = QPen(t.accent, 2.6)
        if lod < DETAIL_LOD:
            self._paint_body(painter, lod, sentiment, border)
            if lod >= FAR_LOD:
                self._paint_overview(painter, sentiment)
            return
        # Far away the view itself turns antialiasing off (edges are a pixel or two);
        # setting the hint per card costs more than the drawing at that size.
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        at = at or spot(painter)
        look = (border.color().rgba(), border.widthF(), border.style())
        parts: list[Part] = [
            (
                ("body", t.dark, sentiment.rgba(), p.departed, look),
                _BODY_BOUNDS,
                lambda target: self._paint_body(target, lod, sentiment, border),
            ),
            (
                ("avatar", t.dark, p.influence, sentiment.rgba()),
                _AVATAR_BOUNDS,
                lambda target: self._paint_ring(target, sentiment),
            ),
        ]
        if p.is_executive_sponsor:
            parts.append((("sponsor", t.dark), _STAR_BOUNDS, self._paint_sponsor_star))
        badge = self._badge()
        if badge is not None:
            rect, colour, text = badge
            parts.append(
                (
                    ("badge", text, colour.rgba()),
                    rect.adjusted(-1, -1, 1, 1),
                    lambda target: _paint_badge(target, rect, colour, text),
                )
            )
        # The parts many cards share, copied from their pictures in one pass (``PARTS``),
        # or painted straight where pictures do not apply: printing, a turned view, a
        # see-through card. None of them overlaps the words drawn after them.
        if painter.opacity() < 1.0 or not PARTS.draw_all(painter, at, parts):
            for _look, _bounds, paint in parts:
                paint(painter)
        self._paint_texts(
            painter, BAND + 12 + AVATAR + 14 if badge is None else badge[0].right() + 6
        )
        if flagged:
            self._part(painter, at, ("warning", t.dark), _WARNING_BOUNDS, self._paint_warning_badge)
        if self.diff_mark:
            self._part(
                painter,
                at,
                ("diff", t.dark, self.diff_mark),
                _DIFF_BOUNDS,
                self._paint_diff_tag,
            )
        if (self._hover or selected) and not p.departed:
            painter.setPen(QPen(t.card, 2))
            painter.setBrush(t.accent)
            painter.drawEllipse(self.handle_centre(), HANDLE_RADIUS, HANDLE_RADIUS)
            painter.setPen(QPen(theme.colour("#ffffff"), 2))
            c = self.handle_centre()
            painter.drawLine(c + QPointF(-4, 0), c + QPointF(4, 0))
            painter.drawLine(c + QPointF(0, -4), c + QPointF(0, 4))

    @staticmethod
    def _part(
        painter: QPainter,
        at: Spot | None,
        look: tuple[object, ...],
        bounds: QRectF,
        paint: Callable[[QPainter], None],
    ) -> None:
        """Copy a part many cards share from its picture (``PARTS``), or paint it straight
        where pictures do not apply: printing, a turned view, a see-through card."""
        if painter.opacity() < 1.0 or not PARTS.draw(painter, look, bounds, paint, at):
            paint(painter)

    def _badge(self) -> tuple[QRectF, QColor, str] | None:
        """The role badge's box, colour and word (none for no role, nor for a blocker on a
        customer-safe map)."""
        p = self.person
        if p.role is None or (self.customer_safe and p.role.value == "blocker"):
            return None
        text = ROLE_BADGES[p.role]
        left = BAND + 12 + AVATAR + 14
        badge = QRectF(left, 64, _advance(BADGE_FONT, text) + 12, 16)
        return badge, theme.colour(DEPARTED if p.departed else ROLE_COLOURS[p.role]), text

    def _paint_body(self, painter: QPainter, lod: float, sentiment: QColor, border: QPen) -> None:
        """The body with its soft shadow (not when far away: it cannot be seen), its border
        and the sentiment band on its left edge."""
        t = self.theme
        rect = QRectF(0, 0, CARD_WIDTH, CARD_HEIGHT)
        if lod >= DETAIL_LOD:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(0, 0, 0, 60 if t.dark else 22))
            painter.drawRoundedRect(rect.translated(0, 2.5), 10, 10)
        painter.setBrush(t.card_departed if self.person.departed else t.card)
        painter.setPen(border)
        if lod < FAR_LOD:
            painter.drawRect(rect)
        else:
            painter.drawRoundedRect(rect, 10, 10)
        # A plain rect: path clipping is slow for 500 cards.
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(sentiment)
        painter.drawRect(QRectF(1, 7, BAND, CARD_HEIGHT - 14))

    def _paint_overview(self, painter: QPainter, sentiment: QColor) -> None:
        """Zoomed out: big initials in the sentiment colour, the name large, a role stripe."""
        t, p = self.theme, self.person
        centre = QPointF(BAND + 10 + 26, CARD_HEIGHT / 2 - 3)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(sentiment)
        painter.drawEllipse(centre, 26, 26)
        painter.setPen(QColor("#ffffff"))
        painter.setFont(FAR_FONT)
        painter.drawText(QRectF(centre.x() - 26, centre.y() - 26, 52, 52),
                         Qt.AlignmentFlag.AlignCenter, p.initials)  # fmt: skip
        painter.setPen(t.text)
        painter.drawText(
            QRectF(BAND + 70, 4, CARD_WIDTH - BAND - 76, CARD_HEIGHT - 16),
            Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextWordWrap,
            p.name,
        )
        if p.role is not None and not (self.customer_safe and p.role.value == "blocker"):
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(ROLE_COLOURS[p.role]) if not p.departed else t.border)
            painter.drawRoundedRect(
                QRectF(BAND + 8, CARD_HEIGHT - 10, CARD_WIDTH - BAND - 16, 6), 3, 3
            )

    def _paint_initials(self, painter: QPainter) -> None:
        """The initials on the avatar's disc."""
        centre = _AVATAR_CENTRE
        painter.setPen(theme.colour("#ffffff"))
        painter.setFont(INITIALS_FONT)
        painter.drawText(
            QRectF(centre.x() - AVATAR / 2, centre.y() - AVATAR / 2, AVATAR, AVATAR),
            Qt.AlignmentFlag.AlignCenter,
            self.person.initials,
        )

    def _paint_ring(self, painter: QPainter, sentiment: QColor) -> None:
        """The influence ring (five arcs, as many dark as the influence level) round the
        avatar's disc in the sentiment colour."""
        on_pen, off_pen = _ring_pens(self.theme)
        scale = _ring_scale(painter)
        if scale is not None:
            dark, light = _ring_outlines(self.person.influence, scale)
            painter.fillPath(dark, on_pen.color())
            painter.fillPath(light, off_pen.color())
        else:
            painter.setBrush(Qt.BrushStyle.NoBrush)
            for i, (start, span) in enumerate(_ARCS):
                painter.setPen(on_pen if i < self.person.influence else off_pen)
                painter.drawArc(_RING, start, span)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(sentiment)
        painter.drawEllipse(_AVATAR_CENTRE, AVATAR / 2, AVATAR / 2)

    def _paint_sponsor_star(self, painter: QPainter) -> None:
        painter.setPen(QPen(self.theme.card, 1.5))
        painter.setBrush(theme.colour("#f5b301"))
        painter.drawEllipse(_STAR_CENTRE, 8, 8)
        painter.setPen(QColor("#ffffff"))
        painter.setFont(SMALL_FONT)
        painter.drawText(
            QRectF(_STAR_CENTRE.x() - 8, _STAR_CENTRE.y() - 8.5, 16, 16),
            Qt.AlignmentFlag.AlignCenter,
            "★",
        )

    def _paint_texts(self, painter: QPainter, row_x: float) -> None:
        """The initials, name, title, department (or departure) and, from ``row_x`` (after
        the role badge), how long since we last spoke to them."""
        self._paint_initials(painter)
        t, p = self.theme, self.person
        left = BAND + 12 + AVATAR + 14
        width = CARD_WIDTH - left - 10
        painter.setPen(t.text)
        name = _elided(NAME_FONT, p.name, width)
        _line(painter, NAME_FONT, (left, 9, width, 18), name)
        painter.setPen(t.text if not p.departed else t.muted)
        title = _elided(TEXT_FONT, p.title or "", width)
        _line(painter, TEXT_FONT, (left, 27, width, 15), title)
        painter.setPen(t.muted)
        if p.departed:
            where = f" → {p.departed_to}" if p.departed_to and not self.customer_safe else ""
            since = dates_text.day(p.departed_on) if p.departed_on else ""
            line3 = f"Left {since}{where}"
        else:
            line3 = p.department or ""
        line3 = _elided(TEXT_FONT, line3, width)
        _line(painter, TEXT_FONT, (left, 42, width, 15), line3)
        if not self.customer_safe and not p.departed:
            text, stale = contact_age_text(p, self.today)
            room = CARD_WIDTH - row_x - 10
            if _advance(SMALL_FONT, text) > room:
                text = text.replace(" ago", "").replace("never contacted", "never")
            if _advance(SMALL_FONT, text) > room:
                text = ""
            painter.setPen(t.warning if stale else t.muted)
            _line(painter, SMALL_FONT, (row_x, 64, room, 16), text, right=True)

    def _paint_diff_tag(self, painter: QPainter) -> None:
        assert self.diff_mark is not None
        text = DIFF_WORDS[self.diff_mark]
        width = _advance(BADGE_FONT, text) + 12
        tag = QRectF(_DIFF_TAG.x(), _DIFF_TAG.y(), width, _DIFF_TAG.height())
        painter.setPen(QPen(self.theme.card, 1.5))
        painter.setBrush(QColor(DIFF_COLOURS[self.diff_mark]))
        painter.drawRoundedRect(tag, 8, 8)
        painter.setPen(QColor("#ffffff"))
        painter.setFont(BADGE_FONT)
        painter.drawText(tag, Qt.AlignmentFlag.AlignCenter, text)

    def _paint_warning_badge(self, painter: QPainter) -> None:
        t = self.theme
        c = _WARNING_CENTRE
        painter.setPen(QPen(t.card, 2))
        painter.setBrush(t.warning)
        painter.drawEllipse(c, 9, 9)
        painter.setPen(QColor("#ffffff"))
        painter.setFont(WARNING_FONT)
        painter.drawText(QRectF(c.x() - 9, c.y() - 9, 18, 18), Qt.AlignmentFlag.AlignCenter, "!")


def _paint_badge(painter: QPainter, badge: QRectF, colour: QColor, text: str) -> None:
    """A role badge: the role's short word on a pill in its colour."""
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    painter.drawRoundedRect(badge, 8, 8)
    painter.setPen(QColor("#ffffff"))
    painter.setFont(BADGE_FONT)
    painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, text)
