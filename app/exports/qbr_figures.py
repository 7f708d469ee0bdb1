"""Chart pictures for the QBR brief (matplotlib ``Figure``, never pyplot), as PNG bytes."""

from __future__ import annotations

import io
from typing import Any

from app.exports.qbr_data import QbrContent

BAND_COLOURS = {"red": "#C8453B", "yellow": "#E0A526", "green": "#3C9D5D"}
INK = "#1F2937"
GRID = "#E5E7EB"


def _figure() -> tuple[Any, Any]:
    from matplotlib.figure import Figure

    figure = Figure(figsize=(6.5, 2.9), dpi=120)
    # Fixed margins: tight_layout would cost a second full draw.
    figure.subplots_adjust(left=0.085, right=0.985, top=0.95, bottom=0.11)
    axes = figure.add_subplot()
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.tick_params(colors=INK, labelsize=8)
    axes.grid(axis="y", color=GRID, linewidth=0.8)
    axes.set_axisbelow(True)
    return figure, axes


def _png(figure: Any) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    # Fast zlib level: the picture is embedded once; size barely changes for flat charts.
    figure.savefig(buffer, format="png", pil_kwargs={"compress_level": 1})
    return buffer.getvalue()


def health_png(content: QbrContent) -> bytes:
    """Weekly health scores as bars coloured by band."""
    figure, axes = _figure()
    points = content.health
    axes.set_xlim(-0.6, len(points) - 0.4)
    axes.bar(
        range(len(points)),
        [p.score for p in points],
        color=[BAND_COLOURS[p.band.value] for p in points],
        width=0.75,
    )
    step = max(1, len(points) // 8)
    axes.set_xticks(range(0, len(points), step))
    axes.set_xticklabels([f"{p.as_of:%d %b}" for p in points[::step]])
    axes.set_ylim(0, 100)
    axes.set_yticks([0, 25, 50, 75, 100])
    axes.set_ylabel("Health score", color=INK, fontsize=8)
    return _png(figure)


def usage_png(content: QbrContent) -> bytes:
    """Active users against licences, week by week."""
    figure, axes = _figure()
    points = content.usage
    weeks = range(len(points))
    axes.plot(
        weeks, [p.active_users for p in points], color="#1A7F8E", linewidth=2, label="Active users"
    )
    licences = [p.licensed_users or content.licences for p in points]
    if all(value is not None for value in licences):
        axes.plot(weeks, licences, color="#6B7280", linewidth=1.5, label="Licences")
    step = max(1, len(points) // 8)
    axes.set_xticks(range(0, len(points), step))
    axes.set_xticklabels([f"{p.as_of:%d %b}" for p in points[::step]])
    axes.set_xlim(-0.5, len(points) - 0.5)
    axes.set_ylim(bottom=0)
    axes.set_ylabel("Users", color=INK, fontsize=8)
    axes.legend(frameon=False, fontsize=8, loc="lower right")
    return _png(figure)
