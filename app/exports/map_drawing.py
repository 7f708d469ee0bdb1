"""How the map picture draws its parts: its units and palette, the cards and the lines.

Drawn in the map's own scene units (one unit is one pixel at 96 dpi) on a matplotlib
``Axes`` whose y axis points down, as in the editor.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from app.models.enums import BuyingRole, RelationKind
from app.services import dates_text
from app.services.map_layout import CARD_HEIGHT, CARD_WIDTH
from app.services.stakeholder_graph import ROLE_LABELS, InfluenceMap, MapLine, MapPerson

#: The map's palette (light), shared with the editor (exports never import Qt, the editor
#: reads these): 5-point sentiment red to green, calm role badges but the blocker, lines.
SENTIMENT_COLOURS = {-2: "#c62828", -1: "#ef7d22", 0: "#8a94a6", 1: "#4caf7a", 2: "#1b8a4f"}
ROLE_COLOURS = {
    BuyingRole.ECONOMIC_BUYER: "#6d28d9",
    BuyingRole.DECISION_MAKER: "#4338ca",
    BuyingRole.CHAMPION: "#0f766e",
    BuyingRole.COACH: "#0e7490",
    BuyingRole.TECHNICAL_BUYER: "#1d4ed8",
    BuyingRole.USER: "#475569",
    BuyingRole.INFLUENCER: "#a16207",
    BuyingRole.BLOCKER: "#b91c1c",
}
RELATION_COLOURS = {
    RelationKind.INFLUENCE: "#2563eb",
    RelationKind.DOTTED_LINE: "#64748b",
    RelationKind.CONFLICT: "#dc2626",
    RelationKind.ALLIANCE: "#16a34a",
}
#: The sentiment stripe of every card on a customer-safe picture: neutral, whatever was said.
NEUTRAL = SENTIMENT_COLOURS[0]
DEPARTED = "#9aa1ad"
TEXT = "#1d2433"
MUTED = "#667085"
BORDER = "#d5dae3"
WARNING = "#e69100"
REPORTING = "#8b95a7"
CANVAS = "#ffffff"
UNITS_PER_INCH = 96.0
#: Space between the cards and the legend, in map units.
LEGEND_GAP = 16.0
#: Height of the heading and date above the cards, in map units.
HEADING_BAND = 60.0


def reporting_pairs(
    imap: InfluenceMap, pos: Mapping[str, tuple[float, float]]
) -> list[tuple[str, str]]:
    """(report, manager) for each reporting line whose two ends are both drawn."""
    return [
        (p.id, p.reports_to_id)
        for p in imap.people.values()
        if p.id in pos and p.reports_to_id in pos and p.reports_to_id is not None
    ]


def draw_reporting(ax: Any, manager: tuple[float, float], report: tuple[float, float]) -> None:
    """The elbow line from a manager's card down to a report's."""
    top = (manager[0] + CARD_WIDTH / 2, manager[1] + CARD_HEIGHT)
    bottom = (report[0] + CARD_WIDTH / 2, report[1])
    if bottom[1] > top[1] + 16:
        mid = top[1] + min(32.0, (bottom[1] - top[1]) / 2)
        xs = [top[0], top[0], bottom[0], bottom[0]]
        ys = [top[1], mid, mid, bottom[1]]
    else:
        xs, ys = [top[0], bottom[0]], [top[1] - CARD_HEIGHT / 2, bottom[1] + CARD_HEIGHT / 2]
    ax.plot(xs, ys, color=REPORTING, linewidth=1.2, solid_joinstyle="round", zorder=1)


def _border(centre: tuple[float, float], towards: tuple[float, float]) -> tuple[float, float]:
    dx, dy = towards[0] - centre[0], towards[1] - centre[1]
    if dx == 0 and dy == 0:
        return centre
    half_w, half_h = CARD_WIDTH / 2 + 3, CARD_HEIGHT / 2 + 3
    k = min(half_w / abs(dx) if dx else float("inf"), half_h / abs(dy) if dy else float("inf"))
    return (centre[0] + dx * k, centre[1] + dy * k)


def draw_relation(
    ax: Any, line: MapLine, pos: Mapping[str, tuple[float, float]], *, show_note: bool, fs: float
) -> None:
    """An influence, dotted-line, conflict or alliance line, curved, with its note."""
    from matplotlib.patches import FancyArrowPatch

    def centre(pid: str) -> tuple[float, float]:
        x, y = pos[pid]
        return (x + CARD_WIDTH / 2, y + CARD_HEIGHT / 2)

    a = _border(centre(line.source_id), centre(line.target_id))
    b = _border(centre(line.target_id), centre(line.source_id))
    colour = RELATION_COLOURS[line.kind]
    directed = line.kind in (RelationKind.INFLUENCE, RelationKind.DOTTED_LINE)
    style = {RelationKind.INFLUENCE: "--", RelationKind.DOTTED_LINE: ":"}.get(line.kind, "-")
    # The y axis points down, so this bends the same way as the editor's curves.
    rad = -0.25 if line.source_id < line.target_id else 0.25
    width = (0.8 + 1.1 * line.strength) * 0.75
    arrow = FancyArrowPatch(
        a,
        b,
        connectionstyle=f"arc3,rad={rad}",
        arrowstyle="-|>,head_length=6,head_width=3.5" if directed else "-",
        mutation_scale=1.4,
        color=colour,
        linewidth=width,
        linestyle=style,
        zorder=2,
    )
    ax.add_patch(arrow)
    mid = ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)
    dx, dy = b[0] - a[0], b[1] - a[1]
    # Midpoint of matplotlib's arc3 curve, in data units (the y axis is flipped).
    bend = (mid[0] - rad * dy / 2, mid[1] + rad * dx / 2)
    if line.kind is RelationKind.CONFLICT:
        ax.text(*bend, "×", color=colour, fontsize=14 * fs, ha="center", va="center", zorder=3)
    if show_note and line.note:
        ax.text(
            *bend,
            line.note.splitlines()[0][:40],
            fontsize=7 * fs,
            color=TEXT,
            ha="center",
            va="center",
            zorder=3,
            bbox={"boxstyle": "round,pad=0.3", "fc": CANVAS, "ec": colour, "lw": 0.6},
        )


def draw_card(
    ax: Any,
    person: MapPerson,
    at: tuple[float, float],
    today: date,
    customer_safe: bool,
    flagged: bool,
    fs: float,
) -> None:
    """One person's card at ``at``: sentiment, influence ring, name, title, role badge."""
    from matplotlib.patches import Arc, Circle, FancyBboxPatch, Rectangle

    x, y = at
    sentiment = NEUTRAL if customer_safe else SENTIMENT_COLOURS[person.sentiment]
    if person.departed:
        sentiment = DEPARTED
    alpha = 0.6 if person.departed else 1.0
    body = "#eceef2" if person.departed else "#ffffff"
    edge = WARNING if flagged else BORDER
    ax.add_patch(
        FancyBboxPatch(
            (x + 2, y + 3), CARD_WIDTH - 4, CARD_HEIGHT - 4,
            boxstyle="round,pad=0,rounding_size=10", fc="#000000", ec="none", alpha=0.06, zorder=4,
        )
    )  # fmt: skip
    ax.add_patch(
        FancyBboxPatch(
            (x, y), CARD_WIDTH, CARD_HEIGHT,
            boxstyle="round,pad=0,rounding_size=10", fc=body, ec=edge,
            lw=1.4 if flagged else 0.8, zorder=5,
        )
    )  # fmt: skip
    ax.add_patch(Rectangle((x + 1, y + 6), 5, CARD_HEIGHT - 12, fc=sentiment, ec="none", zorder=6))
    cx, cy, r = x + 40, y + 36, 22.0
    for i in range(5):
        on = i < person.influence
        start = -90 + i * 72 + 4
        ax.add_patch(
            Arc(
                (cx, cy), 2 * r + 8, 2 * r + 8, theta1=start, theta2=start + 64,
                color="#344054" if on else "#dfe3ea", lw=2.6 if on else 1.6, zorder=6, alpha=alpha,
            )
        )  # fmt: skip
    ax.add_patch(Circle((cx, cy), r, fc=sentiment, ec="none", zorder=7, alpha=alpha))
    ax.text(cx, cy, person.initials, color="white", fontsize=12 * fs, weight="bold",
            ha="center", va="center", zorder=8)  # fmt: skip
    if person.is_executive_sponsor:
        ax.add_patch(Circle((cx + r - 2, cy - r + 2), 8, fc="#f5b301", ec="white", lw=1, zorder=8))
        ax.text(cx + r - 2, cy - r + 2.5, "★", color="white", fontsize=7 * fs,
                ha="center", va="center", zorder=9)  # fmt: skip
    tx = x + 74
    room = int((CARD_WIDTH - 84) / 6.2)
    ax.text(tx, y + 18, _fit(person.name, room), fontsize=10 * fs, weight="bold",
            color=TEXT, va="center", zorder=8, alpha=max(alpha, 0.8))  # fmt: skip
    ax.text(tx, y + 35, _fit(person.title or "", room + 4), fontsize=8.4 * fs,
            color=TEXT if not person.departed else MUTED, va="center", zorder=8)  # fmt: skip
    if person.departed:
        # Where they went may be a sales lead: internal.
        where = f" → {person.departed_to}" if person.departed_to and not customer_safe else ""
        since = dates_text.day(person.departed_on) if person.departed_on else ""
        third = f"Left {since}{where}"
    else:
        third = person.department or ""
    ax.text(tx, y + 50, _fit(third, room + 6), fontsize=8 * fs, color=MUTED, va="center", zorder=8)
    if person.role is not None and not (customer_safe and person.role is BuyingRole.BLOCKER):
        label = ROLE_LABELS[person.role].upper()
        ax.text(
            tx + 2, y + 72, label, fontsize=6.3 * fs, weight="bold", color="white",
            va="center", zorder=9,
            bbox={"boxstyle": "round,pad=0.35,rounding_size=0.8",
                  "fc": DEPARTED if person.departed else ROLE_COLOURS[person.role], "ec": "none"},
        )  # fmt: skip
    if not customer_safe and not person.departed:
        last = person.last_touched()
        days = None if last is None else (today - last).days
        text = "never" if days is None else f"{days} d ago"
        stale = days is None or days > 90
        ax.text(x + CARD_WIDTH - 10, y + 72, text, fontsize=7 * fs,
                color=WARNING if stale else MUTED, ha="right", va="center", zorder=8)  # fmt: skip
    if flagged:
        ax.add_patch(Circle((x + CARD_WIDTH - 4, y + 4), 8, fc=WARNING, ec="white", lw=1, zorder=9))
        ax.text(x + CARD_WIDTH - 4, y + 4.5, "!", color="white", fontsize=8 * fs, weight="bold",
                ha="center", va="center", zorder=10)  # fmt: skip


def _fit(text: str, chars: int) -> str:
    return text if len(text) <= chars else text[: max(1, chars - 1)].rstrip() + "…"
