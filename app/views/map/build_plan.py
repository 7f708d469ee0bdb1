"""Which cards and lines of a map reach a part of the scene, worked out from positions alone.

A map opens on one screenful of a large chart (about a tenth of a 500-card map): the scene
builds what that screenful shows before the first paint and the rest right after it
(``StakeholderScene.build_near`` and ``complete``). The tests here are conservative (a line
is kept when any part of its stroke, arrow, end dots or label could reach the rectangle), so
the first paint shows every pixel a whole scene would.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from app.services.map_layout import COLUMN_INDENT, V_GAP
from app.views.map.style import CARD_HEIGHT, CARD_WIDTH

Point = tuple[float, float]
#: left, top, right, bottom
Box = tuple[float, float, float, float]

#: A card paints within this much around its body (handle, selection ring, shadow).
CARD_MARGIN = 12.0
#: A reporting line's half pen width, round joins and antialiasing, with room to spare.
REPORT_MARGIN = 6.0
#: A relation line's reach beyond its curve: its pen, arrow head and end dots, and its label
#: (a note elided to 160 px plus the conflict mark: ~96 either side of its spot on the line).
RELATION_MARGIN = 110.0
_HALF_W, _HALF_H = CARD_WIDTH / 2 + 3, CARD_HEIGHT / 2 + 3


def border_from(x: float, y: float, tx: float, ty: float) -> Point:
    """Where the segment from the centre of the card at (``x``, ``y``) to (``tx``, ``ty``)
    leaves the card (a few pixels out)."""
    cx, cy = x + CARD_WIDTH / 2, y + CARD_HEIGHT / 2
    dx, dy = tx - cx, ty - cy
    if dx == 0 and dy == 0:
        return cx, cy
    scale = min(
        _HALF_W / abs(dx) if dx else math.inf,
        _HALF_H / abs(dy) if dy else math.inf,
    )
    return cx + dx * scale, cy + dy * scale


def connector_points(report: Point, manager: Point) -> list[Point]:
    """The reporting line from a manager's card to a report's card, as a polyline.

    Manager above, report below: an orthogonal connector; side by side, a straight one.
    """
    rx, ry = report
    mx, my = manager
    top_x, top_y = mx + CARD_WIDTH / 2, my + CARD_HEIGHT
    bottom_x, bottom_y = rx + CARD_WIDTH / 2, ry
    indent = rx - mx
    if 8 < indent <= COLUMN_INDENT + 20 and ry > top_y:
        # A report stacked in a column under the manager: hang it off a spine that runs
        # down the manager's left side, so the line never crosses the cards above it.
        spine_x = mx + indent / 2
        mid_y = ry + CARD_HEIGHT / 2
        return [(spine_x, top_y), (spine_x, mid_y), (rx, mid_y)]
    if ry - top_y > V_GAP + 8 and indent > 8:
        # A report in a wrapped row further down (``tidy_layout``'s ``max_width``): down the
        # spine left of the rows, then along the free gap just above the report's row.
        spine_x = mx + COLUMN_INDENT / 2
        above = ry - 24
        return [(spine_x, top_y), (spine_x, above), (bottom_x, above), (bottom_x, bottom_y)]
    if bottom_y > top_y + 16:
        mid = top_y + min(32.0, (bottom_y - top_y) / 2)
        return [(top_x, top_y), (top_x, mid), (bottom_x, mid), (bottom_x, bottom_y)]
    return [
        border_from(mx, my, rx + CARD_WIDTH / 2, ry + CARD_HEIGHT / 2),
        border_from(rx, ry, mx + CARD_WIDTH / 2, my + CARD_HEIGHT / 2),
    ]


@dataclass(frozen=True)
class Curve:
    """A relation line's cubic: from ``a`` through controls ``c1``, ``c2`` to ``b``."""

    a: Point
    c1: Point
    c2: Point
    b: Point
    length: float


def relation_curve(source: Point, target: Point, *, bend_side: int, dotted: bool) -> Curve:
    """The curve between two cards' borders, bent to ``bend_side`` (1 or -1) of the chord
    (less for dotted lines), so a->b and b->a lines do not overlap."""
    sx, sy = source[0] + CARD_WIDTH / 2, source[1] + CARD_HEIGHT / 2
    tx, ty = target[0] + CARD_WIDTH / 2, target[1] + CARD_HEIGHT / 2
    ax, ay = border_from(*source, tx, ty)
    bx, by = border_from(*target, sx, sy)
    dx, dy = bx - ax, by - ay
    length = math.hypot(dx, dy)
    bend = 0.16 * length * bend_side
    if dotted:
        bend *= 0.4
    # The chord's unit normal (``QLineF.normalVector().unitVector()``).
    ox, oy = (dy / length * bend, -dx / length * bend) if length else (0.0, 0.0)
    c1 = (ax + dx * 0.3 + ox, ay + dy * 0.3 + oy)
    c2 = (ax + dx * 0.7 + ox, ay + dy * 0.7 + oy)
    return Curve((ax, ay), c1, c2, (bx, by), length)


def _meets(box: Box, left: float, top: float, right: float, bottom: float) -> bool:
    return left <= box[2] and right >= box[0] and top <= box[3] and bottom >= box[1]


def _polyline_meets(points: list[Point], box: Box) -> bool:
    """Whether the bounding box of a segment of the polyline meets ``box`` (exact for the
    straight and square connectors of reporting lines, generous for a slanted one)."""
    left, top, right, bottom = box
    x0, y0 = points[0]
    for x1, y1 in points[1:]:
        if (
            (x0 <= right or x1 <= right)
            and (x0 >= left or x1 >= left)
            and (y0 <= bottom or y1 <= bottom)
            and (y0 >= top or y1 >= top)
        ):
            return True
        x0, y0 = x1, y1
    return False


def cubic_meets(points: tuple[Point, Point, Point, Point], box: Box, depth: int = 0) -> bool:
    """Whether a cubic Bézier comes into ``box`` (halved until its control hull decides)."""
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = points
    left, top, right, bottom = box
    # The curve passes through its two ends: one in the box settles it (a line from a card
    # in view, the usual case, needs no halving).
    if (left <= x0 <= right and top <= y0 <= bottom) or (
        left <= x3 <= right and top <= y3 <= bottom
    ):
        return True
    xs = (x0, x1, x2, x3)
    ys = (y0, y1, y2, y3)
    if not _meets(box, min(xs), min(ys), max(xs), max(ys)):
        return False
    if depth >= 6:
        return True
    # de Casteljau at one half.
    ax, ay = (x0 + x1) / 2, (y0 + y1) / 2
    bx, by = (x1 + x2) / 2, (y1 + y2) / 2
    cx, cy = (x2 + x3) / 2, (y2 + y3) / 2
    dx, dy = (ax + bx) / 2, (ay + by) / 2
    ex, ey = (bx + cx) / 2, (by + cy) / 2
    mx, my = (dx + ex) / 2, (dy + ey) / 2
    return cubic_meets(((x0, y0), (ax, ay), (dx, dy), (mx, my)), box, depth + 1) or cubic_meets(
        ((mx, my), (ex, ey), (cx, cy), (x3, y3)), box, depth + 1
    )


@dataclass
class NearPlan:
    """What reaches the rectangle: card ids, managers whose reporting lines do (all of
    them, drawn as one path) and relation ids. A line's ends need not be built for it: its
    geometry is its ends' positions."""

    cards: set[str] = field(default_factory=set)
    managers: set[str] = field(default_factory=set)
    relations: set[str] = field(default_factory=set)


def plan_near(
    box: Box,
    positions: Mapping[str, Point],
    reports: Mapping[str, list[str]],
    relations: Iterable[tuple[str, str, str, bool]],
) -> NearPlan:
    """The cards and lines of a map that reach ``box``.

    ``reports`` lists each manager's reports; a manager's reporting lines are one path,
    kept whole when any of them reaches the box (Qt strokes a path of a few straight lines
    otherwise than a longer one: the part shown first must be the very same path).
    ``relations`` are (relation id, source id, target id, dotted?) with both ends on the map.
    """
    plan = NearPlan()
    left, top, right, bottom = box
    grown = (left - CARD_MARGIN, top - CARD_MARGIN, right + CARD_MARGIN, bottom + CARD_MARGIN)
    for pid, (x, y) in positions.items():
        if _meets(grown, x, y, x + CARD_WIDTH, y + CARD_HEIGHT):
            plan.cards.add(pid)
    m = REPORT_MARGIN
    near = (left - m, top - m, right + m, bottom + m)
    for manager, report_ids in reports.items():
        at = positions[manager]
        if any(_polyline_meets(connector_points(positions[r], at), near) for r in report_ids):
            plan.managers.add(manager)
    r = RELATION_MARGIN
    wide = (left - r, top - r, right + r, bottom + r)
    for relation_id, source, target, dotted in relations:
        curve = relation_curve(
            positions[source], positions[target], bend_side=1 if source < target else -1,
            dotted=dotted,
        )  # fmt: skip
        if cubic_meets((curve.a, curve.c1, curve.c2, curve.b), wide):
            plan.relations.add(relation_id)
    return plan
