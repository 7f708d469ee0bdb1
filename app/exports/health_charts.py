"""An account's health charts as matplotlib Figures (never pyplot), shared by the GUI panel
and documents: the score over time with its events and breakdown, and why a score is what it is.

Palettes and figure plumbing are in ``chart_style``; what the GUI does with a drawn chart
(hover, legends, new scores) in ``health_chart_live``.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Unpack

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from app.exports.chart_style import (
    FigureOptions,
    Palette,
    date_axis,
    day_number,
    day_numbers,
    label_bar_end,
    new_figure,
    palette,
    side_legend,
    start_figure,
    style_axes,
)
from app.models.enums import HealthBand
from app.services import dates_text
from app.services.health_scores import Explanation
from app.services.health_timeline import (
    CHAMPION_LEFT,
    ESCALATION_OPENED,
    EVENT_KINDS,
    RENEWAL,
    TOUCHPOINT,
    HealthTimeline,
)

#: How far past the last week an open-ended chart shows coming events.
UPCOMING_DAYS = 120
#: Event kinds labelled with text (touchpoints and reviews are frequent: markers and legend only).
LABELLED_EVENTS = (ESCALATION_OPENED, RENEWAL, CHAMPION_LEFT)


def health_figure(
    timeline: HealthTimeline,
    *,
    theme: str = "light",
    start: date | None = None,
    end: date | None = None,
    size: tuple[float, float] = (10.0, 5.2),
    dpi: float = 100,
    breakdown: bool = True,
    title: str | None = None,
    figure: Figure | None = None,
    legends: bool = True,
) -> Figure:
    """Score over time with band shading and event markers; below, the stacked contributions.

    ``start``/``end`` restrict the range drawn. Artists carry gids for tests and hover:
    ``score`` (the line), ``event:<kind>`` (one marker collection per event kind). Pass
    ``figure`` to draw into an existing figure (a GUI canvas's), which is cleared first.
    Without ``legends`` the plot takes the full width (a GUI shows ``legend_entries``).
    """
    colours = palette(theme)
    data = timeline.between(start, end)
    fig = new_figure(size, dpi, colours, figure)
    size, dpi = (fig.get_figwidth(), fig.get_figheight()), fig.get_dpi()
    left, right = 0.07, (0.80 if legends else 0.965)
    bottom, height = (0.40, 0.41) if breakdown else (0.10, 0.71)
    ax = fig.add_axes((left, bottom, right - left, height))
    sub = fig.add_axes((left, 0.08, right - left, 0.25)) if breakdown else None
    # Events sit on a strip just above the score axes (no axes of their own: each costs).
    marker_y = (0.831 - bottom) / height
    ax.set_gid("score_axes")
    style_axes(ax, colours)
    heading = title if title is not None else f"{timeline.account_name}: health"
    fig.text(left, 0.965, heading, color=colours.text, fontsize=11, weight="bold", va="center")

    spans = (
        (HealthBand.RED, 0.0, data.red_below),
        (HealthBand.YELLOW, data.red_below, data.green_from),
        (HealthBand.GREEN, data.green_from, 100.0),
    )
    for band, low, high in spans:
        ax.axhspan(low, high, color=colours.band_fill[band], lw=0, zorder=0, gid=f"band:{band}")
    ax.set_ylim(0, 100)
    ax.set_yticks([0, data.red_below, data.green_from, 100])
    ax.set_ylabel("Health score", fontsize=8)

    first = start or (data.dates[0] if data.dates else None)
    last = end or (data.dates[-1] if data.dates else None)
    if end is None and last is not None:
        # An open end shows what is coming soon too (a renewal within 120 days, when the CSM
        # should be talking to the customer), without squeezing the weeks for a far one.
        soon = [e.on for e in data.events if last < e.on <= last + timedelta(days=UPCOMING_DAYS)]
        last = max([last, *soon])
        data = data.between(None, last)
    if first is not None and last is not None:
        if first == last:
            first, last = first - timedelta(days=7), last + timedelta(days=7)
        # A little room on the right so the latest point and its label are not clipped.
        pad = max(3.0, (last - first).days * 0.015)
        ax.set_xlim(day_number(first), day_number(last) + pad)
    if not data.dates:
        ax.text(
            0.5,
            0.5,
            "No health scores yet",
            transform=ax.transAxes,
            ha="center",
            va="center",
            color=colours.muted,
            fontsize=10,
        )
    ax.plot(
        day_numbers(data.dates),
        data.scores,
        color=colours.line,
        lw=1.8,
        marker="o" if len(data.dates) <= 20 else None,
        ms=3,
        gid="score",
        zorder=3,
    )
    if data.dates:
        band = data.bands[-1]
        ax.plot(
            [day_number(data.dates[-1])],
            [data.scores[-1]],
            "o",
            color=colours.band[band],
            ms=7,
            mec=colours.background,
            mew=1.5,
            zorder=4,
            gid="latest",
        )
        ax.annotate(
            f"{data.scores[-1]:.0f}",
            (day_number(data.dates[-1]), data.scores[-1]),
            xytext=(6, 0),
            textcoords="offset points",
            va="center",
            fontsize=9,
            weight="bold",
            color=colours.band[band],
            gid="latest_label",
        )
    _draw_events(ax, marker_y, data, colours, size[0] * dpi * (right - left), legends)
    date_axis(ax, first, last)
    if sub is not None:
        _draw_breakdown(sub, data, colours, legends)
        sub.set_xlim(ax.get_xlim())
        date_axis(sub, first, last)
        # The dates show under the breakdown; the score axes need no x axis of their own.
        ax.xaxis.set_visible(False)
        ax.spines["bottom"].set_visible(False)
    return fig


def _draw_events(
    ax: Axes,
    marker_y: float,
    data: HealthTimeline,
    colours: Palette,
    width_px: float,
    legend: bool,
) -> None:
    """Markers on a strip above the score (one collection per kind), labels in free rows."""
    strip = ax.get_xaxis_transform()  # x in days, y in axes fraction
    handles = []
    for kind, legend_text in EVENT_KINDS.items():
        days = day_numbers([e.on for e in data.events if e.kind == kind])
        if not days:
            continue
        colour, marker = colours.events[kind]
        ax.scatter(
            days,
            [marker_y] * len(days),
            transform=strip,
            marker=marker,
            s=26 if kind != TOUCHPOINT else 12,
            color=colour,
            edgecolors=colours.background,
            linewidths=0.6,
            zorder=6,
            clip_on=False,
            gid=f"event:{kind}",
        )
        handles.append(
            Line2D(
                [],
                [],
                ls="",
                marker=marker,
                color=colour,
                mec=colours.background,
                label=legend_text,
            )
        )
        if kind != TOUCHPOINT:
            ax.vlines(
                days,
                0,
                1,
                transform=strip,
                color=colour,
                lw=0.7,
                ls=(0, (2, 3)),
                alpha=0.55,
                zorder=1,
            )
    low, high = ax.get_xlim()
    days_per_px = (high - low) / max(width_px, 1.0)
    rows_end = [-float("inf")] * 3
    for event in (e for e in data.events if e.kind in LABELLED_EVENTS):
        colour, _ = colours.events[event.kind]
        text = _short(event.label)
        x = day_number(event.on)
        span = (len(text) * 4.6 + 8) * days_per_px
        right_aligned = x + span > high
        start, end = (x - span, x) if right_aligned else (x, x + span)
        free = [r for r, last in enumerate(rows_end) if last < start]
        row = free[0] if free else min(range(3), key=lambda r: rows_end[r])
        rows_end[row] = end
        ax.annotate(
            text,
            (x, marker_y),
            xycoords=strip,
            xytext=(-4 if right_aligned else 4, 7 + 11 * row),
            textcoords="offset points",
            ha="right" if right_aligned else "left",
            va="bottom",
            fontsize=7,
            color=colour,
            zorder=7,
            gid="event_label",
            annotation_clip=False,
            arrowprops={"arrowstyle": "-", "color": colour, "lw": 0.5, "alpha": 0.6},
        )
    if handles and legend:
        side_legend(ax, colours, "Events", 1.0, handles=handles)


def _short(text: str, limit: int = 28) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _draw_breakdown(ax: Axes, data: HealthTimeline, colours: Palette, legend: bool) -> None:
    style_axes(ax, colours)
    groups = [g for g in data.groups if g in data.contributions]
    if data.dates and groups:
        ax.stackplot(
            day_numbers(data.dates),
            *[data.contributions[g] for g in groups],
            colors=[colours.groups[i % len(colours.groups)] for i in range(len(groups))],
            alpha=0.85,
            lw=0,
            labels=groups,
            gid="breakdown",
        )
    if data.dates and groups and legend:
        side_legend(ax, colours, "Contribution", 1.05, reverse=True)
    ax.set_ylim(0, 100)
    ax.set_yticks([0, 50, 100])
    ax.set_ylabel("Points", fontsize=8)
    ax.grid(axis="y", color=colours.grid, lw=0.5)


def explanation_figure(explanation: Explanation, **options: Unpack[FigureOptions]) -> Figure:
    """Each measure's contribution to the score as horizontal bars; missing ones marked."""
    fig, colours = start_figure(options, (7.0, 4.0))
    ax = fig.add_axes((0.30, 0.10, 0.62, 0.78))
    style_axes(ax, colours)
    lines = list(reversed(explanation.lines))
    group_colour = {
        g: colours.groups[i % len(colours.groups)]
        for i, g in enumerate(dict.fromkeys(line.group for line in explanation.lines))
    }
    values = [line.contribution or 0.0 for line in lines]
    bars = ax.barh(
        range(len(lines)),
        values,
        color=[
            colours.band[HealthBand.RED] if ln.is_red else group_colour[ln.group] for ln in lines
        ],
        height=0.65,
        gid="contributions",
    )
    for bar, line in zip(bars, lines, strict=True):
        text = (
            "no data"
            if line.points is None
            else f"{line.points:.0f} pts × {line.effective_weight:.0f} %"
        )
        label_bar_end(ax, bar, text, colours.muted, 7)
    ax.set_yticks(range(len(lines)), [line.label for line in lines], fontsize=8, color=colours.text)
    ax.set_xlabel("Points added to the score", fontsize=8)
    top = max(values, default=0.0)
    ax.set_xlim(0, max(10.0, top * 1.35))
    score = "no score" if explanation.score is None else f"{explanation.score:.0f}"
    fig.text(
        0.30,
        0.94,
        f"Why {score}? ({dates_text.day(explanation.as_of)}, {explanation.scorecard} scorecard)",
        color=colours.text,
        fontsize=10,
        weight="bold",
        va="center",
    )
    return fig
