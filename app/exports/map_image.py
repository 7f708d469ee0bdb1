"""An account's stakeholder map as a picture (PNG or SVG), for files and the QBR deck.

Drawn with a matplotlib ``Figure`` on the Agg backend (never pyplot), in the map's own
scene units: one unit is one pixel at 96 dpi, so text sizes match the editor's cards.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, replace
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
from app.services.map_layout import (
    CARD_HEIGHT,
    CARD_WIDTH,
    COLUMN_INDENT,
    LayoutSpec,
    fold_rows,
    tidy_layout,
)
from app.services.stakeholder_graph import InfluenceMap, load_account_map

MARGIN = 40.0
#: Pictures wider than this many inches are drawn smaller (very large maps).
MAX_INCHES = 60.0
FORMATS = ("png", "svg")
#: How a map is laid out again for a frame: rows closer than the editor's (a picture's lines
#: need no room to be grabbed).
FRAME_SPEC = LayoutSpec(v_gap=40.0)
#: The height of the frames the QBR shows the map in (the slide's content area, the brief's
#: tallest picture: both about 5.5 inches), in map units.
FRAME_HEIGHT = 5.5 * UNITS_PER_INCH
#: A CSM's own arrangement is kept when it shows the cards at least this large in the frame
#: (a name 8 pt high); else a layout for the frame is drawn when it shows them at least
#: ``RELAYOUT_GAIN`` times larger.
READABLE_SCALE = 0.8
RELAYOUT_GAIN = 1.25
#: The most side-by-side runs a tall chart is folded into for a frame.
MAX_BANDS = 4
#: The widest wrap tried for a frame, in cards.
MAX_WRAP_CARDS = 24


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


def _shown(imap: InfluenceMap, customer_safe: bool) -> dict[str, tuple[float, float]]:
    """The places of the cards a picture draws (the customer's has nobody who has left)."""
    pos = _positions(imap)
    return {pid: xy for pid, xy in pos.items() if imap.people[pid].active or not customer_safe}


def _heading(imap: InfluenceMap, number: int = 1, of: int = 1) -> str:
    """The heading drawn over a picture of the map (which of ``of`` pictures it is, if many)."""
    heading = f"{imap.account_name} · stakeholder map"
    return heading if of == 1 else f"{heading} ({number} of {of})"


@dataclass(frozen=True)
class MapPart:
    """One picture of a map as it is drawn: who it is for (``customer_safe``), its heading,
    and its layout (``frame``: the cards' places, the picture's edges and the legend's).
    ``map_parts`` and ``whole_map`` choose it; ``render_map_figure`` draws it as chosen."""

    customer_safe: bool
    heading: str
    frame: MapFrame

    @property
    def people(self) -> frozenset[str]:
        """Who the picture shows."""
        return frozenset(self.frame.positions)


def whole_map(imap: InfluenceMap, *, customer_safe: bool) -> MapPart:
    """The whole map at its saved places with the legend under the cards (a file's picture)."""
    return _part(imap, _shown(imap, customer_safe), customer_safe, _heading(imap), None)


def map_parts(imap: InfluenceMap, *, customer_safe: bool, aspect: float) -> list[MapPart]:
    """The pictures that show the map in a frame of ``aspect``, each laid out for it: one
    picture when the whole map shows its names at least 8 pt high (``READABLE_SCALE``); else
    two, when that shows them larger: the teams under the top of the reporting trees (and the
    people outside the trees) cut in two runs of whole teams where the smaller-drawn of the
    two pictures is drawn largest, the top people on both. A picture keeps its saved places
    when these read well in the frame, else its cards are laid out as an org chart wrapped to
    the frame's shape (``_fitted``); its heading is the one drawn, numbered on two.
    """
    pos = _shown(imap, customer_safe)
    whole = _part(imap, pos, customer_safe, _heading(imap), aspect)
    best, best_scale = [whole], whole.frame.card_scale(aspect) * FRAME_HEIGHT
    if best_scale >= READABLE_SCALE:
        return best
    manager = {pid: imap.people[pid].reports_to_id for pid in pos}
    reports: dict[str | None, list[str]] = {}
    for pid in sorted(pos, key=lambda pid: pos[pid]):
        boss = manager[pid] if manager[pid] in pos else None
        reports.setdefault(boss, []).append(pid)
    tops = frozenset(pid for pid in reports.get(None, []) if reports.get(pid))
    teams = [
        _team(reports, pid) for top in sorted(tops, key=pos.__getitem__) for pid in reports[top]
    ]
    teams += [frozenset({pid}) for pid in reports.get(None, []) if pid not in tops]
    for cut in range(1, len(teams)):
        cuts = [tops.union(*teams[:cut]), tops.union(*teams[cut:])]
        parts = [
            _part(
                imap,
                {pid: xy for pid, xy in pos.items() if pid in ids},
                customer_safe,
                _heading(imap, number, len(cuts)),
                aspect,
            )
            for number, ids in enumerate(cuts, start=1)
        ]
        scale = min(part.frame.card_scale(aspect) for part in parts) * FRAME_HEIGHT
        if scale > best_scale:
            best, best_scale = parts, scale
    return best


def _team(reports: dict[str | None, list[str]], head: str) -> frozenset[str]:
    """``head`` and everyone under them."""
    team, todo = {head}, [head]
    while todo:
        for pid in reports.get(todo.pop(), []):
            team.add(pid)
            todo.append(pid)
    return frozenset(team)


def _part(
    imap: InfluenceMap,
    pos: dict[str, tuple[float, float]],
    customer_safe: bool,
    heading: str,
    aspect: float | None,
) -> MapPart:
    """The picture of the cards saved at ``pos`` under ``heading``: laid out for a frame of
    ``aspect`` (``_fitted``), or without one at the saved places, the legend under them."""
    handles, labels = legend_entries(customer_safe)
    frame = MapFrame(pos, _heading_units(heading), handles, labels, aspect)
    if aspect is not None:
        frame = _fitted(imap, frame, aspect)
    return MapPart(customer_safe, heading, frame)


def render_map_figure(imap: InfluenceMap, part: MapPart, *, today: date | None = None) -> Any:
    """``part`` of the map as a matplotlib ``Figure`` (Agg canvas attached, ready to
    ``savefig``), drawn as ``map_parts`` or ``whole_map`` laid it out (no layout here).

    A customer-safe part hides what the customer must not see: sentiment colours, blocker
    badges, conflict lines, notes, warnings, contact ages and people who have left.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    today = today or date.today()
    customer_safe, frame, heading = part.customer_safe, part.frame, part.heading
    pos = frame.positions
    flagged = warnings_by_person(analyse(imap, today)) if not customer_safe else {}
    handles, labels = legend_entries(customer_safe)
    xs = [x for x, _ in pos.values()] or [0.0]
    left, right, top, bottom = frame.left, frame.right, frame.top, frame.bottom
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
    for pid, xy in pos.items():
        draw_card(ax, imap.people[pid], xy, today, customer_safe, bool(flagged.get(pid)), fs)
    draw_legend(fig, handles, labels, frame.legend, fs)
    return fig


class MapFrame:
    """Where a picture of cards at ``pos`` reaches: the cards in margins, the heading above
    them (a narrow map widens to hold it whole) and the legend under or beside them (given
    the ``aspect`` of the frame it is shown in, whichever shows the cards larger there)."""

    def __init__(
        self,
        pos: dict[str, tuple[float, float]],
        heading_width: float,
        handles: list[Any],
        labels: list[str],
        aspect: float | None,
    ) -> None:
        self.positions = pos
        self._heading_width, self._handles, self._labels = heading_width, handles, labels
        self._aspect = aspect
        xs = [x for x, _ in pos.values()] or [0.0]
        ys = [y for _, y in pos.values()] or [0.0]
        self.left, right = min(xs) - MARGIN, max(xs) + CARD_WIDTH + MARGIN
        self.top = min(ys) - MARGIN - HEADING_BAND
        bottom = max(ys) + CARD_HEIGHT + MARGIN
        cards_right = right
        right = max(right, min(xs) + heading_width + MARGIN)
        self.legend = place_legend(handles, labels, (right - self.left, bottom - self.top), aspect)
        if self.legend.beside:
            right = max(right, cards_right + self.legend.width + LEGEND_GAP)
            bottom = max(bottom, self.top + HEADING_BAND + self.legend.height + LEGEND_GAP)
        else:
            bottom += self.legend.height + LEGEND_GAP
        self.right, self.bottom = right, bottom

    def moved(self, pos: dict[str, tuple[float, float]]) -> MapFrame:
        """The same picture (heading, legend, frame) with its cards at ``pos``."""
        return MapFrame(pos, self._heading_width, self._handles, self._labels, self._aspect)

    def card_scale(self, aspect: float) -> float:
        """How large a card shows in a frame of ``aspect`` (width over height) one unit high."""
        return min(aspect / (self.right - self.left), 1.0 / (self.bottom - self.top))


def _fitted(imap: InfluenceMap, saved: MapFrame, aspect: float) -> MapFrame:
    """The cards laid out for a frame of ``aspect``: the saved places when they read well
    there, else the org-chart layout wrapped to the frame's shape that shows the cards
    largest (a chart the window wrapped into a tall column is drawn wide for a slide)."""
    pos = saved.positions
    if saved.card_scale(aspect) * FRAME_HEIGHT >= READABLE_SCALE:
        return saved
    ids = list(pos)
    reports_to = {pid: imap.people[pid].reports_to_id for pid in ids}
    influences = [(line.source_id, line.target_id) for line in imap.lines]
    step = CARD_WIDTH + FRAME_SPEC.h_gap
    best = saved
    widths = {0.0} | {COLUMN_INDENT + k * step for k in range(1, min(len(ids), MAX_WRAP_CARDS) + 1)}
    specs = [
        replace(FRAME_SPEC, max_width=max_width, column_from=column_from)
        for max_width in sorted(widths)
        for column_from in (FRAME_SPEC.column_from, 2)
    ]
    for spec in specs:
        frame = saved.moved(tidy_layout(ids, reports_to, influences, current=pos, spec=spec))
        if frame.card_scale(aspect) > best.card_scale(aspect):
            best = frame
    # A chart still taller than its frame (a long chain) is folded into side-by-side runs.
    unfolded = best.positions
    for bands in range(2, MAX_BANDS + 1):
        frame = saved.moved(fold_rows(unfolded, bands, FRAME_SPEC))
        if frame.card_scale(aspect) > best.card_scale(aspect):
            best = frame
    if best.card_scale(aspect) < RELAYOUT_GAIN * saved.card_scale(aspect):
        return saved
    return best


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
    part = whole_map(imap, customer_safe=customer_safe)
    return map_bytes(imap, part, fmt, today=today, dpi=dpi)


def map_bytes(
    imap: InfluenceMap,
    part: MapPart,
    fmt: str = "png",
    *,
    today: date | None = None,
    dpi: int = 150,
) -> bytes:
    """``part`` of a map already read, as PNG or SVG bytes (no reads: the QBR passes its own)."""
    fig = render_map_figure(imap, part, today=today)
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
