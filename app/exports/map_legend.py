"""The map picture's legend: its entries, and where it goes (under or beside the cards)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.exports.map_drawing import (
    HEADING_BAND,
    LEGEND_GAP,
    RELATION_COLOURS,
    REPORTING,
    SENTIMENT_COLOURS,
    UNITS_PER_INCH,
)
from app.models.enums import RelationKind
from app.services.stakeholder_graph import RELATION_LABELS, SENTIMENT_LABELS

#: The legend's type size at full scale.
LEGEND_POINTS = 8.0


@dataclass(frozen=True)
class LegendPlace:
    """Where the legend goes and its size in map units (at full scale)."""

    beside: bool
    columns: int
    width: float
    height: float


def legend_entries(customer_safe: bool) -> tuple[list[Any], list[str]]:
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


#: Measured legend sizes by (words, columns): a picture fitted to a frame tries many layouts,
#: and the words say which samples the legend has (``legend_entries``).
_SIZES: dict[tuple[tuple[str, ...], int], tuple[float, float]] = {}


def _legend_size(handles: list[Any], labels: list[str], columns: int) -> tuple[float, float]:
    """The drawn legend's width and height in map units (measured once, not guessed)."""
    key = (tuple(labels), columns)
    if key not in _SIZES:
        _SIZES[key] = _measure(handles, labels, columns)
    return _SIZES[key]


def _measure(handles: list[Any], labels: list[str], columns: int) -> tuple[float, float]:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    scratch = Figure(figsize=(40, 20))
    FigureCanvasAgg(scratch)
    legend = scratch.legend(handles, labels, loc="center", **_legend_kwargs(columns, 1.0))
    box = legend.get_window_extent()  # on the Agg canvas attached above
    per_unit = scratch.dpi / UNITS_PER_INCH
    return box.width / per_unit, box.height / per_unit


def place_legend(
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


def draw_legend(
    fig: Any, handles: list[Any], labels: list[str], place: LegendPlace, fs: float
) -> None:
    """Draw the legend where ``place`` says, its samples and type scaled by ``fs``."""
    for handle in handles:
        if handle.get_marker() not in (None, "None", ""):
            handle.set_markersize(8 * fs)
    fig.legend(
        handles, labels, loc="lower right" if place.beside else "lower center",
        **_legend_kwargs(place.columns, fs),
    )  # fmt: skip
