"""An account's stakeholder map as a picture (PNG or SVG), for files and the QBR deck.

Drawn with a matplotlib ``Figure`` on the Agg backend (never pyplot), in the map's own
scene units: one unit is one pixel at 96 dpi, so text sizes match the editor's cards.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

from app.exports.map_drawing import (
    CANVAS,
    HEADING_BAND,
    LEGEND_GAP,
    MUTED,
    TEXT,
    UNITS_PER_INCH,
    draw_card,
    draw_relation,
    draw_reporting,
    reporting_pairs,
)
from app.exports.map_legend import draw_legend, legend_entries, place_legend
from app.exports.safety import atomic_output
from app.models.enums import RelationKind
from app.models.store import Store
from app.services import dates_text
from app.services.map_analysis import analyse, warnings_by_person
from app.services.map_layout import CARD_HEIGHT, CARD_WIDTH, LayoutSpec, tidy_layout
from app.services.stakeholder_graph import (
    InfluenceMap,
    load_account_map,
)

MARGIN = 40.0
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
    handles, labels = legend_entries(customer_safe)
    legend = place_legend(handles, labels, (right - left, bottom - top), aspect)
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
        f"As of {dates_text.day(today)}",
        fontsize=9 * fs,
        color=MUTED,
        va="top",
    )
    for report_id, manager_id in reporting_pairs(imap, pos):
        draw_reporting(ax, pos[manager_id], pos[report_id])
    for line in imap.lines:
        if line.source_id in pos and line.target_id in pos:
            if customer_safe and line.kind is RelationKind.CONFLICT:
                continue
            draw_relation(ax, line, pos, show_note=not customer_safe, fs=fs)
    for pid, person in people.items():
        draw_card(ax, person, pos[pid], today, customer_safe, bool(flagged.get(pid)), fs)
    draw_legend(fig, handles, labels, legend, fs)
    return fig


def _heading_units(heading: str) -> float:
    """The drawn width of the map's heading (15 pt bold at full scale), in map units."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextPath

    points = TextPath((0, 0), heading, size=15, prop=FontProperties(weight="bold"))
    return float(points.get_extents().width) / 72 * UNITS_PER_INCH


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
    """Write the map to ``path`` (.png or .svg) atomically; returns the path written. Raises
    ExportError (one sentence) when the folder is missing or not writable."""
    fmt = path.suffix.lower().lstrip(".")
    data = map_image_bytes(
        store, account_id, fmt, customer_safe=customer_safe, today=today, dpi=dpi
    )
    with atomic_output(path) as temp:
        temp.write_bytes(data)
    return path
