"""An account's stakeholder map as a picture (PNG or SVG), for files and the QBR deck.

Drawn with a matplotlib ``Figure`` on the Agg backend (never pyplot), in the map's own
scene units: one unit is one pixel at 96 dpi, so text sizes match the editor's cards.
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from app.models.enums import BuyingRole, RelationKind
from app.models.store import Store
from app.services.map_analysis import analyse, warnings_by_person
from app.services.map_layout import CARD_HEIGHT, CARD_WIDTH, LayoutSpec, tidy_layout
from app.services.stakeholder_graph import (
    RELATION_LABELS,
    ROLE_LABELS,
    SENTIMENT_LABELS,
    InfluenceMap,
    MapLine,
    MapPerson,
    load_account_map,
)

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
NEUTRAL = "#8a94a6"
DEPARTED = "#9aa1ad"
TEXT = "#1d2433"
MUTED = "#667085"
BORDER = "#d5dae3"
WARNING = "#e69100"
REPORTING = "#8b95a7"
CANVAS = "#ffffff"
UNITS_PER_INCH = 96.0
MARGIN = 40.0
#: Space between the cards and the legend, in map units.
LEGEND_GAP = 16.0
#: Height of the heading and date above the cards, in map units.
HEADING_BAND = 60.0
#: The legend's type size at full scale.
LEGEND_POINTS = 8.0
#: Pictures wider than this many inches are drawn smaller (very large maps).
MAX_INCHES = 60.0
FORMATS = ("png", "svg")


def _positions(imap: InfluenceMap) -> dict[str, tuple[float, float]]:
    """Saved card places; with nobody on the map, an org-chart layout of everyone active."""
    placed = {p.id: p.position for p in imap.on_map() if p.position is not None}
    if placed:
        return placed
    people = [p for p in sorted(imap.people.values(), key=lambda p: p.name) if p.active]
    return tidy_layout(
        [p.id for p in people],
        {p.id: p.reports_to_id for p in people},
        [(line.source_id, line.target_id) for line in imap.lines],
        # A picture is not a screen: its rows need not wrap to a window's width.
        spec=LayoutSpec(max_width=0),
    )


def render_map_figure(
    imap: InfluenceMap,
    *,
    customer_safe: bool = False,
    today: date | None = None,
    title: str | None = None,
    aspect: float | None = None,
) -> Any:
    """The map as a matplotlib ``Figure`` (Agg canvas attached, ready to ``savefig``).

    ``customer_safe`` hides what the customer must not see: sentiment colours, blocker
    badges, conflict lines, notes, warnings, contact ages and people who have left.
    ``aspect`` (width over height) is the frame the picture will be shown in, such as a
    slide's content area: the picture keeps the map's own shape, with the legend under
    the cards or, for a map narrower than the frame, beside them, whichever shows the cards
    larger in the frame. Without it the legend goes under the cards.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    today = today or date.today()
    pos = _positions(imap)
    if customer_safe:
        pos = {pid: xy for pid, xy in pos.items() if imap.people[pid].active}
    people = {pid: imap.people[pid] for pid in pos}
    flagged = warnings_by_person(analyse(imap, today)) if not customer_safe else {}
    xs = [x for x, _ in pos.values()] or [0.0]
    ys = [y for _, y in pos.values()] or [0.0]
    left, right = min(xs) - MARGIN, max(xs) + CARD_WIDTH + MARGIN
    top, bottom = min(ys) - MARGIN - HEADING_BAND, max(ys) + CARD_HEIGHT + MARGIN
    heading = title or f"{imap.account_name} · stakeholder map"
    # The heading starts above the leftmost card; a narrow map widens to hold it whole.
    cards_right = right
    right = max(right, min(xs) + _heading_units(heading) + MARGIN)
    handles, labels = _legend_entries(customer_safe)
    legend = _place_legend(handles, labels, (right - left, bottom - top), aspect)
    if legend.beside:
        right = max(right, cards_right + legend.width + LEGEND_GAP)
        bottom = max(bottom, top + HEADING_BAND + legend.height + LEGEND_GAP)
    else:
        bottom += legend.height + LEGEND_GAP
    width, height = right - left, bottom - top
    scale = min(1.0, MAX_INCHES * UNITS_PER_INCH / max(width, height))
    fig = Figure(figsize=(width / UNITS_PER_INCH * scale, height / UNITS_PER_INCH * scale))
    FigureCanvasAgg(fig)
    fig.patch.set_facecolor(CANVAS)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(left, right)
    ax.set_ylim(bottom, top)
    ax.set_axis_off()
    fs = scale  # font sizes shrink with the picture

    text_left = min(xs) - MARGIN
    ax.text(
        text_left + MARGIN, top + 18, heading, fontsize=15 * fs, weight="bold", color=TEXT, va="top"
    )
    ax.text(
        text_left + MARGIN,
        top + 44,
        f"As of {today:%d %B %Y}",
        fontsize=9 * fs,
        color=MUTED,
        va="top",
    )
    for report_id, manager_id in _reporting_pairs(imap, pos):
        _draw_reporting(ax, pos[manager_id], pos[report_id])
    for line in imap.lines:
        if line.source_id in pos and line.target_id in pos:
            if customer_safe and line.kind is RelationKind.CONFLICT:
                continue
            _draw_relation(ax, line, pos, show_note=not customer_safe, fs=fs)
    for pid, person in people.items():
        _draw_card(ax, person, pos[pid], today, customer_safe, bool(flagged.get(pid)), fs)
    _draw_legend(fig, handles, labels, legend, fs)
    return fig


def _reporting_pairs(
    imap: InfluenceMap, pos: Mapping[str, tuple[float, float]]
) -> list[tuple[str, str]]:
    return [
        (p.id, p.reports_to_id)
        for p in imap.people.values()
        if p.id in pos and p.reports_to_id in pos and p.reports_to_id is not None
    ]


def _draw_reporting(ax: Any, manager: tuple[float, float], report: tuple[float, float]) -> None:
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


def _draw_relation(
    ax: Any, line: MapLine, pos: Mapping[str, tuple[float, float]], *, show_note: bool, fs: float
) -> None:
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


def _draw_card(
    ax: Any,
    person: MapPerson,
    at: tuple[float, float],
    today: date,
    customer_safe: bool,
    flagged: bool,
    fs: float,
) -> None:
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
        third = f"Left {person.departed_on.isoformat() if person.departed_on else ''}{where}"
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


def _heading_units(heading: str) -> float:
    """The drawn width of the map's heading (15 pt bold at full scale), in map units."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextPath

    points = TextPath((0, 0), heading, size=15, prop=FontProperties(weight="bold"))
    return float(points.get_extents().width) / 72 * UNITS_PER_INCH


def _fit(text: str, chars: int) -> str:
    return text if len(text) <= chars else text[: max(1, chars - 1)].rstrip() + "…"


@dataclass(frozen=True)
class LegendPlace:
    """Where the legend goes and its size in map units (at full scale)."""

    beside: bool
    columns: int
    width: float
    height: float


def _legend_entries(customer_safe: bool) -> tuple[list[Any], list[str]]:
    """The legend's samples and words (no sentiment or conflict for the customer)."""
    from matplotlib.lines import Line2D

    handles: list[Any] = []
    labels: list[str] = []
    if not customer_safe:
        for value in (2, 1, 0, -1, -2):
            handles.append(Line2D([], [], marker="o", ls="", ms=8, color=SENTIMENT_COLOURS[value]))
            labels.append(SENTIMENT_LABELS[value])
    handles.append(Line2D([], [], color=REPORTING, lw=1.4))
    labels.append("Reports to")
    for kind in RelationKind:
        if customer_safe and kind is RelationKind.CONFLICT:
            continue
        style = {RelationKind.INFLUENCE: "--", RelationKind.DOTTED_LINE: ":"}.get(kind, "-")
        handles.append(Line2D([], [], color=RELATION_COLOURS[kind], lw=2, ls=style))
        labels.append(RELATION_LABELS[kind])
    handles.append(Line2D([], [], marker="o", ls="", ms=8, color="#f5b301"))
    labels.append("Executive sponsor")
    return handles, labels


def _legend_kwargs(columns: int, fs: float) -> dict[str, Any]:
    return {
        "ncol": columns, "frameon": False, "fontsize": LEGEND_POINTS * fs,
        "handlelength": 2.6, "columnspacing": 1.6, "borderaxespad": 0.4,
    }  # fmt: skip


def _legend_size(handles: list[Any], labels: list[str], columns: int) -> tuple[float, float]:
    """The drawn legend's width and height in map units (measured, not guessed)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    scratch = Figure(figsize=(40, 20))
    FigureCanvasAgg(scratch)
    legend = scratch.legend(handles, labels, loc="center", **_legend_kwargs(columns, 1.0))
    box = legend.get_window_extent()  # on the Agg canvas attached above
    per_unit = scratch.dpi / UNITS_PER_INCH
    return box.width / per_unit, box.height / per_unit


def _place_legend(
    handles: list[Any], labels: list[str], body: tuple[float, float], aspect: float | None
) -> LegendPlace:
    """Under the cards in as many columns as the map's width holds, or (given a frame
    ``aspect``) in one column beside them when that shows the cards larger in the frame."""
    body_width, body_height = body
    under = LegendPlace(False, 1, *_legend_size(handles, labels, 1))
    for columns in range(len(labels), 1, -1):
        width, height = _legend_size(handles, labels, columns)
        if width <= body_width:
            under = LegendPlace(False, columns, width, height)
            break
    if aspect is None:
        return under
    width, height = _legend_size(handles, labels, 1)
    beside = LegendPlace(True, 1, width, height)

    def card_scale(place: LegendPlace) -> float:
        if place.beside:
            w = body_width + place.width + LEGEND_GAP
            h = max(body_height, HEADING_BAND + place.height + LEGEND_GAP)
        else:
            w, h = body_width, body_height + place.height + LEGEND_GAP
        return min(aspect / w, 1 / h)

    return beside if card_scale(beside) > card_scale(under) else under


def _draw_legend(
    fig: Any, handles: list[Any], labels: list[str], place: LegendPlace, fs: float
) -> None:
    for handle in handles:
        if handle.get_marker() not in (None, "None", ""):
            handle.set_markersize(8 * fs)
    fig.legend(
        handles, labels, loc="lower right" if place.beside else "lower center",
        **_legend_kwargs(place.columns, fs),
    )  # fmt: skip


def map_image_bytes(
    store: Store,
    account_id: str,
    fmt: str = "png",
    *,
    customer_safe: bool = False,
    today: date | None = None,
    dpi: int = 150,
) -> bytes:
    """The account's map as PNG or SVG bytes (the QBR deck embeds these)."""
    if fmt not in FORMATS:
        raise ValueError(f"The map picture can be PNG or SVG, not {fmt}.")
    imap = load_account_map(store, account_id, today=today)
    if not imap.people:
        raise ValueError(f"{imap.account_name} has no stakeholders to draw yet.")
    return map_bytes(imap, fmt, customer_safe=customer_safe, today=today, dpi=dpi)


def map_bytes(
    imap: InfluenceMap,
    fmt: str = "png",
    *,
    customer_safe: bool = False,
    today: date | None = None,
    dpi: int = 150,
    aspect: float | None = None,
) -> bytes:
    """A map already read, as PNG or SVG bytes (no reads: the QBR passes its own)."""
    fig = render_map_figure(imap, customer_safe=customer_safe, today=today, aspect=aspect)
    import matplotlib

    buffer = io.BytesIO()
    # SVG text stays text (searchable, editable in the deck); ids are stable run to run.
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "fieldbook"}):
        fig.savefig(buffer, format=fmt, dpi=dpi, facecolor=CANVAS, metadata=_metadata(fmt))
    return buffer.getvalue()


def _metadata(fmt: str) -> dict[str, Any]:
    # No creation date: the same map gives the same bytes (diffable, testable).
    return {"Date": None} if fmt == "svg" else {}


def export_map_image(
    store: Store,
    account_id: str,
    path: Path,
    *,
    customer_safe: bool = False,
    today: date | None = None,
    dpi: int = 150,
) -> Path:
    """Write the map to ``path`` (.png or .svg) atomically; returns the path written."""
    fmt = path.suffix.lower().lstrip(".")
    data = map_image_bytes(
        store, account_id, fmt, customer_safe=customer_safe, today=today, dpi=dpi
    )
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        # mkstemp makes the file private; give it the usual permissions of a new file.
        umask = os.umask(0)
        os.umask(umask)
        Path(temp).chmod(0o666 & ~umask)
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        Path(temp).replace(path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return path
