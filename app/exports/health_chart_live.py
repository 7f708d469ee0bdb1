"""The live health chart in the GUI: what a ``health_figure`` drawn on a canvas needs after
it is drawn (its score axes for hover, its legends as widgets, new scores without a rebuild)."""

from __future__ import annotations

from typing import Any

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from app.exports.chart_style import day_number, palette
from app.services.health_timeline import EVENT_KINDS, HealthTimeline

#: Gids of the artists that show the scores themselves (a GUI redraws only these on a rescore).
DATA_GIDS = ("score", "latest", "latest_label", "breakdown")


def score_axes(fig: Figure) -> Axes | None:
    """The axes holding the score line of a ``health_figure`` (for hover read-outs)."""
    for ax in fig.axes:
        if ax.get_gid() == "score_axes":
            return ax
    return None


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
