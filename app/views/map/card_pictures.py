"""Pictures of map cards, each painted once per look and device scale, then copied.

A card's rich drawing (antialiased frame and shadow, avatar ring, six texts) costs about a
millisecond; copying its picture costs a few dozen microseconds. Reopening a map, moving
between accounts and back, or repainting a card that did not change then copies pictures.

A card's first painting is direct (a map opened once costs no more than before); its
picture is made the second time it is painted (a card the user sees again, after the map's
first paint or when the map is opened again).

The parts of a card that many cards share (the framed body in a sentiment colour, the
influence ring and avatar disc, a role badge, the warning mark) have pictures of their own,
``PARTS``, made the first time a look is painted: a map's first paint copies its cards'
frames, rings and badges and draws only their texts.

A card is drawn at whole device pixels (``snap``), so its parts and texts line up with each
other however the view is scrolled or zoomed, and its pictures are copied where the card was
drawn (as Qt's own ``DeviceCoordinateCache`` does after a card moves).
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import NamedTuple

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPaintEngine, QPainter, QPixmap, QTransform

#: What the pictures may hold at most (a card at 100 % is ~120 KB): a few screenfuls.
BUDGET_BYTES = 48 * 1024 * 1024
#: Looks remembered as painted once (a few maps' worth), before that memory starts afresh.
MAX_SEEN = 2000


@dataclass
class _Picture:
    pixmap: QPixmap
    #: Where the card's origin lies in the pixmap, in device pixels (sub-pixel part kept).
    origin_x: float
    origin_y: float
    size: int


_RASTER = QPaintEngine.Type.Raster
_SCALE_AT_MOST = QTransform.TransformationType.TxScale.value


def raster_scale(painter: QPainter) -> float | None:
    """The painter's device scale, or None when it does not paint pixels (a printer, an SVG
    file keep their shapes and text) or turns or stretches what it paints."""
    engine = painter.paintEngine()
    if engine is None or engine.type() != _RASTER:
        return None
    transform = painter.deviceTransform()
    if transform.type().value > _SCALE_AT_MOST:
        return None
    scale = transform.m11()
    if scale <= 0 or scale != transform.m22():
        return None
    return scale


class Spot(NamedTuple):
    """Where a pixel painter puts its origin: its device scale, the origin's place in device
    pixels and the device's pixel ratio (asked once per card, not once per part)."""

    scale: float
    x: float
    y: float
    ratio: float


def spot(painter: QPainter) -> Spot | None:
    """Where the painter's origin is, or None when it does not paint pixels unturned and
    unstretched (``raster_scale``)."""
    scale = raster_scale(painter)
    if scale is None:
        return None
    transform = painter.deviceTransform()
    ratio = painter.device().devicePixelRatioF()
    return Spot(scale, transform.dx(), transform.dy(), ratio)


def snap(painter: QPainter) -> Spot | None:
    """Move the painter's origin to the nearest whole device pixel (pixel painters only), and
    say where that is."""
    at = spot(painter)
    if at is None:
        return None
    x, y = round(at.x), round(at.y)
    painter.translate((x - at.x) / at.scale, (y - at.y) / at.scale)
    return at._replace(x=float(x), y=float(y))


#: A part of a card with a picture of its own: its look, its extent and how it is painted.
Part = tuple[Hashable, QRectF, Callable[[QPainter], None]]


class CardPictures:
    """A least-recently-used store of card pictures by (look, device scale).

    ``at_first_sight``: a look's picture is made the first time it is painted (for parts
    that many cards share) rather than the second (for whole cards).
    """

    def __init__(self, budget: int = BUDGET_BYTES, *, at_first_sight: bool = False) -> None:
        self.budget = budget
        self.at_first_sight = at_first_sight
        self._pictures: OrderedDict[Hashable, _Picture] = OrderedDict()
        self._bytes = 0
        #: Looks painted once, directly: their picture is made if they are painted again.
        self._seen: set[Hashable] = set()

    def clear(self) -> None:
        self._pictures.clear()
        self._seen.clear()
        self._bytes = 0

    def draw(
        self,
        painter: QPainter,
        look: Hashable,
        bounds: QRectF,
        paint: Callable[[QPainter], None],
        at: Spot | None = None,
    ) -> bool:
        """Draw the picture of ``look`` where the painter's origin is (``at``, when the
        caller knows it); ``paint`` paints it (in item coordinates, within ``bounds``) when
        it has no picture yet.

        False, with nothing drawn, when the caller should paint directly: the first time
        ``look`` is painted (unless ``at_first_sight``), when the painter turns or stretches,
        or when it does not paint pixels on screen or in a picture (``raster_scale``).
        """
        at = at or spot(painter)
        if at is None:
            return False
        picture = self._picture(painter, at, look, bounds, paint)
        if picture is None:
            return False
        painter.save()
        painter.resetTransform()
        self._copy(painter, at, picture)
        painter.restore()
        return True

    def draw_all(self, painter: QPainter, at: Spot | None, parts: list[Part]) -> bool:
        """``draw`` for several looks at one origin, in one pass in device pixels (a store
        that makes pictures at first sight only); False, with nothing drawn, where ``draw``
        would say False."""
        assert self.at_first_sight
        if at is None:
            return False
        pictures = [self._picture(painter, at, *part) for part in parts]
        painter.save()
        painter.resetTransform()
        for picture in pictures:
            assert picture is not None  # made at first sight
            self._copy(painter, at, picture)
        painter.restore()
        return True

    def _picture(
        self,
        painter: QPainter,
        at: Spot,
        look: Hashable,
        bounds: QRectF,
        paint: Callable[[QPainter], None],
    ) -> _Picture | None:
        """The picture of ``look``, made now if it is due; None when not yet."""
        key = (look, at.scale)
        picture = self._pictures.get(key)
        if picture is None:
            if not self.at_first_sight and key not in self._seen:
                if len(self._seen) >= MAX_SEEN:
                    self._seen.clear()
                self._seen.add(key)
                return None
            self._seen.discard(key)
            picture = self._paint(
                painter, bounds, at.scale, at.x - math.floor(at.x), at.y - math.floor(at.y), paint
            )
            self._keep(key, picture)
        else:
            self._pictures.move_to_end(key)
        return picture

    @staticmethod
    def _copy(painter: QPainter, at: Spot, picture: _Picture) -> None:
        """Copy ``picture`` to its place, the painter in device pixels."""
        left = round(at.x - picture.origin_x)
        top = round(at.y - picture.origin_y)
        picture.pixmap.setDevicePixelRatio(at.ratio)
        painter.drawPixmap(QPointF(left / at.ratio, top / at.ratio), picture.pixmap)

    def _paint(
        self,
        target: QPainter,
        bounds: QRectF,
        scale: float,
        fraction_x: float,
        fraction_y: float,
        paint: Callable[[QPainter], None],
    ) -> _Picture:
        # A pixel of room on each side for antialiased edges.
        left = math.ceil(-bounds.left() * scale) + 1
        top = math.ceil(-bounds.top() * scale) + 1
        width = left + math.ceil((bounds.right()) * scale + fraction_x) + 2
        height = top + math.ceil((bounds.bottom()) * scale + fraction_y) + 2
        pixmap = QPixmap(width, height)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHints(target.renderHints())
        painter.translate(left + fraction_x, top + fraction_y)
        painter.scale(scale, scale)
        paint(painter)
        painter.end()
        return _Picture(pixmap, left + fraction_x, top + fraction_y, width * height * 4)

    def _keep(self, key: Hashable, picture: _Picture) -> None:
        self._pictures[key] = picture
        self._bytes += picture.size
        while self._bytes > self.budget and len(self._pictures) > 1:
            _old, dropped = self._pictures.popitem(last=False)
            self._bytes -= dropped.size


#: The app's one store of card pictures.
PICTURES = CardPictures()
#: Pictures of the parts cards share (a few hundred looks, a few KB each).
PARTS = CardPictures(8 * 1024 * 1024, at_first_sight=True)
