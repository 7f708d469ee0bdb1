"""The book's health charts (accounts and ARR per band, band moves) as matplotlib Figures."""

from __future__ import annotations

from typing import Unpack

from matplotlib.figure import Figure

from app.exports.chart_style import (
    BAND_ORDER,
    FigureOptions,
    label_bar_end,
    start_figure,
    style_axes,
)
from app.models.enums import HealthBand
from app.services import dates_text
from app.services.book_health import BandFlow, BandSummary
from app.services.labels import label_of
from app.services.money import format_compact, to_major, to_minor


def band_summary_figure(summary: BandSummary, **options: Unpack[FigureOptions]) -> Figure:
    """Accounts and ARR per band, side by side."""
    fig, colours = start_figure(options, (7.0, 2.6))
    panels: tuple[tuple[str, list[float], str], ...] = (
        ("Accounts", [float(summary.accounts[b]) for b in BAND_ORDER], "{:,.0f}"),
        (
            f"ARR ({summary.currency})",
            [float(to_major(summary.arr_minor[b], summary.currency)) for b in BAND_ORDER],
            "{:,.0f}",
        ),
    )
    for i, (name, values, fmt) in enumerate(panels):
        ax = fig.add_axes((0.10 + i * 0.47, 0.14, 0.36, 0.66))
        style_axes(ax, colours)
        ax.set_gid(f"summary:{i}")
        y = range(len(BAND_ORDER))
        bars = ax.barh(y, values, color=[colours.band[b] for b in BAND_ORDER], height=0.6)
        ax.set_yticks(list(y), [label_of(b) for b in BAND_ORDER], fontsize=8)
        ax.invert_yaxis()
        ax.set_xlim(0, max(max(values, default=0) * 1.3, 1))
        ax.set_xticks([])
        ax.spines["bottom"].set_visible(False)
        ax.set_title(name, fontsize=9, color=colours.text, loc="left")
        for bar, value in zip(bars, values, strict=True):
            text = (
                format_compact(to_minor(value, summary.currency), summary.currency)
                if i
                else fmt.format(value)
            )
            label_bar_end(ax, bar, text, colours.text, 8)
    when = "latest scores" if summary.as_of is None else dates_text.day(summary.as_of)
    note = f"Health across the book ({when})"
    if summary.unscored:
        note += f"; {summary.unscored} account{'s' if summary.unscored != 1 else ''} not scored"
    if summary.other_currency:
        # Said on the figure, on a line of its own: ARR the bars leave out for want of a rate.
        count = summary.other_currency
        fig.text(
            0.10,
            0.03,
            f"ARR leaves out {count} account{'s' if count != 1 else ''} in currencies with "
            f"no rate to {summary.currency} (File > Currency & Exchange Rates).",
            fontsize=8,
            color=colours.text,
            va="bottom",
            wrap=True,
        )
    fig.text(0.10, 0.93, note, fontsize=10, weight="bold", color=colours.text, va="center")
    return fig


def band_flow_figure(flow: BandFlow, **options: Unpack[FigureOptions]) -> Figure:
    """Band-change flow between two dates: ribbons from the start band to the end band."""
    import numpy as np
    from matplotlib.patches import Rectangle

    fig, colours = start_figure(options, (7.0, 3.6))
    ax = fig.add_axes((0.04, 0.04, 0.92, 0.80))
    ax.set_axis_off()
    ax.set_xlim(-0.25, 1.25)
    total = sum(flow.moves.values())
    fig.text(
        0.04,
        0.93,
        f"Band changes {dates_text.day(flow.start)} → {dates_text.day(flow.end)}: "
        f"{flow.changed} of {total} accounts moved",
        fontsize=10,
        weight="bold",
        color=colours.text,
        va="center",
    )
    if total == 0:
        ax.text(0.5, 0.5, "No account scored on both dates", ha="center", color=colours.muted)
        return fig
    gap = 0.04
    scale = (1 - gap * 2) / total

    def column(counts: dict[HealthBand, int]) -> dict[HealthBand, float]:
        tops, y = {}, 1.0
        for band in BAND_ORDER:
            tops[band] = y
            y -= counts[band] * scale + (gap if counts[band] else 0)
        return tops

    left = {b: sum(n for (a, _), n in flow.moves.items() if a == b) for b in BAND_ORDER}
    right = {b: sum(n for (_, c), n in flow.moves.items() if c == b) for b in BAND_ORDER}
    left_top, right_top = column(left), column(right)
    width = 0.06
    for x, counts, tops in ((0.0, left, left_top), (1.0 - width, right, right_top)):
        for band in BAND_ORDER:
            if counts[band]:
                height = counts[band] * scale
                ax.add_patch(
                    Rectangle(
                        (x, tops[band] - height), width, height, color=colours.band[band], lw=0
                    )
                )
                ha, tx = ("right", x - 0.02) if x == 0 else ("left", x + width + 0.02)
                ax.text(
                    tx,
                    tops[band] - height / 2,
                    f"{label_of(band)} {counts[band]}",
                    ha=ha,
                    va="center",
                    fontsize=8,
                    color=colours.text,
                )
    out_y = dict(left_top)
    in_y = dict(right_top)
    xs = np.linspace(width, 1.0 - width, 50)
    ease = (1 - np.cos(np.linspace(0, np.pi, 50))) / 2
    ribbons = 0
    for a in BAND_ORDER:
        for b in BAND_ORDER:
            n = flow.moves.get((a, b), 0)
            if not n:
                continue
            h = n * scale
            y0, y1 = out_y[a], in_y[b]
            top = y0 + (y1 - y0) * ease
            ax.fill_between(
                xs, top - h, top, color=colours.band[b], alpha=0.35, lw=0, gid=f"flow:{a}>{b}"
            )
            out_y[a] -= h
            in_y[b] -= h
            ribbons += 1
    ax.set_ylim(-0.02, 1.02)
    ax.text(0.03, 1.05, dates_text.day(flow.start), ha="center", fontsize=8, color=colours.muted)
    ax.text(0.97, 1.05, dates_text.day(flow.end), ha="center", fontsize=8, color=colours.muted)
    return fig
