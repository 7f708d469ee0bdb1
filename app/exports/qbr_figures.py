"""QBR charts (``app.exports.qbr_charts``) drawn as pictures for the brief: matplotlib
``Figure``, never pyplot, as PNG bytes."""

from __future__ import annotations

import io
from typing import Any

from app.exports.qbr_charts import ChartSpec

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


def chart_png(spec: ChartSpec) -> bytes:
    """The chart as a PNG picture: same series, colours and scale as the deck's native one."""
    figure, axes = _figure()
    count = len(spec.categories)
    positions = range(count)
    if spec.kind == "column":
        width = 0.75 / len(spec.series)
        for n, series in enumerate(spec.series):
            offset = (n - (len(spec.series) - 1) / 2) * width
            colours = (
                [f"#{c}" for c in spec.point_colours]
                if spec.point_colours and len(spec.series) == 1
                else f"#{series.colour}"
            )
            axes.bar(
                [x + offset for x in positions],
                [0 if v is None else v for v in series.values],
                color=colours,
                width=width,
                label=series.name,
            )
    else:
        for series in spec.series:
            axes.plot(
                positions,
                [float("nan") if v is None else v for v in series.values],
                color=f"#{series.colour}",
                linewidth=2,
                label=series.name,
            )
    step = max(1, count // 8)
    axes.set_xticks(range(0, count, step))
    axes.set_xticklabels(spec.categories[::step])
    axes.set_xlim(-0.6, count - 0.4)
    if spec.y_max is not None:
        axes.set_ylim(0, spec.y_max)
        if spec.y_step:
            ticks = int(spec.y_max // spec.y_step) + 1
            axes.set_yticks([i * spec.y_step for i in range(ticks)])
    else:
        axes.set_ylim(bottom=0)
        if spec.y_step:
            from matplotlib.ticker import MultipleLocator

            axes.yaxis.set_major_locator(MultipleLocator(spec.y_step))
    axes.set_ylabel(spec.y_label, color=INK, fontsize=8)
    if spec.legend:
        axes.legend(frameon=False, fontsize=8, loc="lower right")
    return _png(figure)
