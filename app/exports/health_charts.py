"""An account's health charts as matplotlib Figures (never pyplot), shared by the GUI panel
and documents; the palettes and figure plumbing the book's charts (``book_charts``) use too."""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from matplotlib import dates as mdates  # only date2num: ticks are computed here
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from app.models.enums import HealthBand
from app.services.health_scores import Explanation
from app.services.health_timeline import (
    CHAMPION_LEFT,
    ESCALATION_CLOSED,
    ESCALATION_OPENED,
    EVENT_KINDS,
    QBR,
    RENEWAL,
    TOUCHPOINT,
    HealthTimeline,
)

BAND_ORDER = (HealthBand.GREEN, HealthBand.YELLOW, HealthBand.RED)
#: How far past the last week an open-ended chart shows coming events.
UPCOMING_DAYS = 120
#: Gids of the artists that show the scores themselves (a GUI redraws only these on a rescore).
DATA_GIDS = ("score", "latest", "latest_label", "breakdown")
#: Event kinds labelled with text (touchpoints and reviews are frequent: markers and legend only).
LABELLED_EVENTS = (ESCALATION_OPENED, RENEWAL, CHAMPION_LEFT)


@dataclass(frozen=True)
class Palette:
    """Colours of one theme."""

    background: str
    text: str
    muted: str
    grid: str
    line: str
    band_fill: dict[HealthBand, str]
    band: dict[HealthBand, str]
    groups: tuple[str, ...]
    events: dict[str, tuple[str, str]]  # kind -> (colour, marker)


#: Every colour of the two themes side by side: (what, light, dark). A band's fill and line
#: are ``fill:<band>`` and ``band:<band>``, a group's ``group``, an event's ``event:<kind>``.
# fmt: off
_COLOURS: tuple[tuple[str, str, str], ...] = (
    ("background", "#ffffff", "#1e1f22"),
    ("text", "#1f2328", "#e6edf3"),
    ("muted", "#57606a", "#9da7b3"),
    ("grid", "#d8dee4", "#3a3f45"),
    ("line", "#1f2328", "#e6edf3"),
    ("fill:red", "#fbe3e1", "#4a2426"),
    ("fill:yellow", "#fdf3d7", "#463b1c"),
    ("fill:green", "#e3f4e6", "#1f3d2a"),
    ("band:red", "#cf222e", "#ff7b72"),
    ("band:yellow", "#bf8700", "#e3b341"),
    ("band:green", "#1a7f37", "#56d364"),
    ("group", "#0969da", "#58a6ff"),
    ("group", "#8250df", "#bc8cff"),
    ("group", "#bf3989", "#ff7bbf"),
    ("group", "#1b7c83", "#39c5cf"),
    ("group", "#9a6700", "#e3b341"),
    ("group", "#57606a", "#9da7b3"),
    (f"event:{QBR}", "#0969da", "#58a6ff"),
    (f"event:{TOUCHPOINT}", "#8c959f", "#8b949e"),
    (f"event:{ESCALATION_OPENED}", "#cf222e", "#ff7b72"),
    (f"event:{ESCALATION_CLOSED}", "#1a7f37", "#56d364"),
    (f"event:{RENEWAL}", "#8250df", "#bc8cff"),
    (f"event:{CHAMPION_LEFT}", "#bc4c00", "#ffa657"),
)
# fmt: on
#: Each event kind's marker, whatever the theme.
_MARKERS = {
    QBR: "D",
    TOUCHPOINT: "o",
    ESCALATION_OPENED: "^",
    ESCALATION_CLOSED: "v",
    RENEWAL: "s",
    CHAMPION_LEFT: "X",
}  # fmt: skip


def _palette(column: int) -> Palette:
    colour = {what: row[column] for what, *row in _COLOURS if what != "group"}
    return Palette(
        **{name: colour[name] for name in ("background", "text", "muted", "grid", "line")},
        band_fill={band: colour[f"fill:{band.value}"] for band in HealthBand},
        band={band: colour[f"band:{band.value}"] for band in HealthBand},
        groups=tuple(row[column] for what, *row in _COLOURS if what == "group"),
        events={kind: (colour[f"event:{kind}"], mark) for kind, mark in _MARKERS.items()},
    )


LIGHT = _palette(0)
DARK = _palette(1)


def palette(theme: str) -> Palette:
    """The palette for ``"light"`` or ``"dark"``."""
    return DARK if theme == "dark" else LIGHT


def _figure(
    size: tuple[float, float], dpi: float, colours: Palette, figure: Figure | None = None
) -> Figure:
    """A new figure, or ``figure`` cleared for redrawing (a GUI canvas's)."""
    if figure is not None:
        figure.clear()
        figure.set_facecolor(colours.background)
        return figure
    fig = Figure(figsize=size, dpi=dpi, facecolor=colours.background)
    fig.set_layout_engine("none")
    return fig


def _style(ax: Axes, colours: Palette) -> None:
    ax.set_facecolor(colours.background)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color(colours.grid)
    ax.tick_params(colors=colours.muted, labelsize=8, length=3)
    ax.yaxis.label.set_color(colours.muted)
    ax.xaxis.label.set_color(colours.muted)


def day_number(day: date) -> float:
    """Matplotlib's number for a date: the x coordinate every health chart uses."""
    return float(mdates.date2num(day))  # type: ignore[no-untyped-call]


def _days(days: Sequence[date]) -> list[float]:
    return [day_number(d) for d in days]


def date_ticks(first: date, last: date, most: int = 9) -> list[tuple[date, str]]:
    """Month-start ticks between two dates, at most ``most``, labelled "Jan 2026" / "Mar".

    Computed directly (not by matplotlib's date locator): cheaper, and stable across draws.
    """
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    step = next(s for s in (1, 2, 3, 4, 6, 12, 24) if months / s <= most)
    ticks = []
    year, month = first.year, first.month
    if first.day > 1:
        month += 1
    while True:
        year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
        day = date(year, month, 1)
        if day > last:
            break
        if (month - 1) % step == 0:
            ticks.append(day)
        month += 1
    if not ticks and months <= 1:
        # A range inside one month: weekly ticks instead.
        day = first
        while day <= last:
            ticks.append(day)
            day += timedelta(days=7)
        return [(d, f"{d:%d %b}") for d in ticks]
    out = []
    for i, day in enumerate(ticks):
        label = f"{day:%b %Y}" if i == 0 or day.month == 1 else f"{day:%b}"
        out.append((day, label))
    return out


def _date_axis(ax: Axes, first: date | None, last: date | None) -> None:
    if first is None or last is None:
        return
    ticks = date_ticks(first, last)
    ax.set_xticks([day_number(d) for d, _ in ticks], [label for _, label in ticks])


def score_axes(fig: Figure) -> Axes | None:
    """The axes holding the score line of a ``health_figure`` (for hover read-outs)."""
    for ax in fig.axes:
        if ax.get_gid() == "score_axes":
            return ax
    return None


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
    if figure is None:
        fig = _figure(size, dpi, colours)
    else:
        fig = figure
        fig.clear()
        fig.set_facecolor(colours.background)
        size = (fig.get_figwidth(), fig.get_figheight())
        dpi = fig.get_dpi()
    left, right = 0.07, (0.80 if legends else 0.965)
    bottom, height = (0.40, 0.41) if breakdown else (0.10, 0.71)
    ax = fig.add_axes((left, bottom, right - left, height))
    sub = fig.add_axes((left, 0.08, right - left, 0.25)) if breakdown else None
    # Events sit on a strip just above the score axes (no axes of their own: each costs).
    marker_y = (0.831 - bottom) / height
    ax.set_gid("score_axes")
    _style(ax, colours)
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
        _days(data.dates),
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
    _date_axis(ax, first, last)
    if sub is not None:
        _draw_breakdown(sub, data, colours, legends)
        sub.set_xlim(ax.get_xlim())
        _date_axis(sub, first, last)
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
        days = _days([e.on for e in data.events if e.kind == kind])
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
        events_legend = ax.legend(
            handles=handles,
            loc="upper left",
            bbox_to_anchor=(1.01, 1.0),
            frameon=False,
            fontsize=7,
            title="Events",
            title_fontsize=7,
            labelcolor=colours.text,
            alignment="left",
        )
        events_legend.get_title().set_color(colours.muted)


LegendEntry = tuple[str, str, str]


def legend_entries(
    timeline: HealthTimeline, theme: str = "light"
) -> tuple[list[LegendEntry], list[LegendEntry]]:
    """(marker, colour, text) of the event kinds, and of the groups, a health chart shows."""
    colours = palette(theme)
    kinds = {e.kind for e in timeline.events}
    glyph = {"D": "◆", "o": "●", "^": "▲", "v": "▼", "s": "■", "X": "✖"}
    events = [
        (glyph[colours.events[kind][1]], colours.events[kind][0], text)
        for kind, text in EVENT_KINDS.items()
        if kind in kinds
    ]
    names = [g for g in timeline.groups if g in timeline.contributions]
    groups = [("■", colours.groups[i % len(colours.groups)], g) for i, g in enumerate(names)]
    return events, groups


def data_artists(fig: Figure) -> list[Any]:
    """The artists drawing the scores of a ``health_figure`` (line, latest point, stack)."""
    return [a for ax in fig.axes for a in ax.get_children() if a.get_gid() in DATA_GIDS]


def update_scores(fig: Figure, timeline: HealthTimeline, theme: str = "light") -> None:
    """Put new scores into a ``health_figure`` drawn for the same weeks (no rebuild).

    The caller redraws; only the score line, latest point and label and the contribution
    stack change, so a GUI can blit them over a cached background.
    """
    import numpy as np

    colours = palette(theme)
    ax = score_axes(fig)
    if ax is None:
        return
    low, high = ax.get_xlim()
    shown = [i for i, d in enumerate(timeline.dates) if low <= day_number(d) <= high]
    x = np.array([day_number(timeline.dates[i]) for i in shown])
    y = np.array([timeline.scores[i] for i in shown])
    stack_bottom = np.zeros(len(shown))
    groups = [g for g in timeline.groups if g in timeline.contributions]
    stack = iter(groups)
    for artist in data_artists(fig):
        gid = artist.get_gid()
        if gid == "score":
            artist.set_data(x, y)
        elif gid == "latest" and len(shown):
            artist.set_data([x[-1]], [y[-1]])
            artist.set_color(colours.band[timeline.bands[shown[-1]]])
        elif gid == "latest_label" and len(shown):
            artist.xy = (x[-1], y[-1])
            artist.set_text(f"{y[-1]:.0f}")
            artist.set_color(colours.band[timeline.bands[shown[-1]]])
        elif gid == "breakdown":
            group = timeline.contributions[next(stack)]
            values = np.array([group[i] for i in shown])
            top = stack_bottom + values
            verts = np.concatenate(
                [np.column_stack([x, top]), np.column_stack([x[::-1], stack_bottom[::-1]])]
            )
            artist.set_verts([verts])
            stack_bottom = top


def _short(text: str, limit: int = 28) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _draw_breakdown(ax: Axes, data: HealthTimeline, colours: Palette, legend: bool) -> None:
    _style(ax, colours)
    groups = [g for g in data.groups if g in data.contributions]
    if data.dates and groups:
        ax.stackplot(
            _days(data.dates),
            *[data.contributions[g] for g in groups],
            colors=[colours.groups[i % len(colours.groups)] for i in range(len(groups))],
            alpha=0.85,
            lw=0,
            labels=groups,
            gid="breakdown",
        )
    if data.dates and groups and legend:
        ax.legend(
            loc="upper left",
            bbox_to_anchor=(1.01, 1.05),
            frameon=False,
            fontsize=7,
            title="Contribution",
            title_fontsize=7,
            labelcolor=colours.text,
            alignment="left",
            reverse=True,
        ).get_title().set_color(colours.muted)
    ax.set_ylim(0, 100)
    ax.set_yticks([0, 50, 100])
    ax.set_ylabel("Points", fontsize=8)
    ax.grid(axis="y", color=colours.grid, lw=0.5)


def explanation_figure(
    explanation: Explanation,
    *,
    theme: str = "light",
    size: tuple[float, float] = (7.0, 4.0),
    dpi: float = 100,
    figure: Figure | None = None,
) -> Figure:
    """Each measure's contribution to the score as horizontal bars; missing ones marked."""
    colours = palette(theme)
    fig = _figure(size, dpi, colours, figure)
    ax = fig.add_axes((0.30, 0.10, 0.62, 0.78))
    _style(ax, colours)
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
        ax.annotate(
            text,
            (bar.get_width(), bar.get_y() + bar.get_height() / 2),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=7,
            color=colours.muted,
        )
    ax.set_yticks(range(len(lines)), [line.label for line in lines], fontsize=8, color=colours.text)
    ax.set_xlabel("Points added to the score", fontsize=8)
    top = max(values, default=0.0)
    ax.set_xlim(0, max(10.0, top * 1.35))
    score = "no score" if explanation.score is None else f"{explanation.score:.0f}"
    fig.text(
        0.30,
        0.94,
        f"Why {score}? ({explanation.as_of:%d %b %Y}, {explanation.scorecard} scorecard)",
        color=colours.text,
        fontsize=10,
        weight="bold",
        va="center",
    )
    return fig


# -- writing images ---------------------------------------------------------------------------


def _attach_canvas(fig: Figure) -> None:
    if fig.canvas is None or type(fig.canvas).__name__ == "FigureCanvasBase":
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        FigureCanvasAgg(fig)


def render_png(
    target: str | os.PathLike[str] | io.BytesIO, fig: Figure, *, dpi: float | None = None
) -> None:
    """Write ``fig`` as PNG to a path (atomically) or into a BytesIO (for documents)."""
    save_figure(target, fig, fmt="png", dpi=dpi)


def save_figure(
    target: str | os.PathLike[str] | io.BytesIO,
    fig: Figure,
    *,
    fmt: str | None = None,
    dpi: float | None = None,
) -> None:
    """Write ``fig`` as PNG or SVG (from ``fmt`` or the file suffix); files are replaced whole."""
    _attach_canvas(fig)
    kwargs: dict[str, Any] = {"facecolor": fig.get_facecolor()}
    if dpi is not None:
        kwargs["dpi"] = dpi
    if isinstance(target, io.BytesIO):
        fig.savefig(target, format=fmt or "png", **kwargs)
        return
    path = Path(target)
    fmt = fmt or path.suffix.lstrip(".").lower() or "png"
    if fmt not in ("png", "svg"):
        raise ValueError(f"Charts are saved as PNG or SVG, not {fmt}.")
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            fig.savefig(out, format=fmt, **kwargs)
        Path(temp).replace(path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
