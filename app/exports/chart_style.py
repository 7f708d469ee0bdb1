"""What every chart shares: the two themes' palettes, figure plumbing (a new figure or a
GUI canvas's, axes style, legends beside the plot, date axes) and writing PNG or SVG.

Charts are matplotlib ``Figure`` objects, never pyplot; ``health_charts`` and ``book_charts``
draw on what is here.
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any, TypedDict

from matplotlib import dates as mdates  # only date2num: ticks are computed here
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from app.models.enums import HealthBand
from app.services import dates_text
from app.services.health_timeline import (
    CHAMPION_LEFT,
    ESCALATION_CLOSED,
    ESCALATION_OPENED,
    QBR,
    RENEWAL,
    TOUCHPOINT,
)

BAND_ORDER = (HealthBand.GREEN, HealthBand.YELLOW, HealthBand.RED)


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


def new_figure(
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


def style_axes(ax: Axes, colours: Palette) -> None:
    """Axes in the theme: no top and right spines, muted ticks and labels."""
    ax.set_facecolor(colours.background)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color(colours.grid)
    ax.tick_params(colors=colours.muted, labelsize=8, length=3)
    ax.yaxis.label.set_color(colours.muted)
    ax.xaxis.label.set_color(colours.muted)


class FigureOptions(TypedDict, total=False):
    """How a document figure is drawn: ``theme`` ("light" or "dark"), ``size`` in inches and
    ``dpi`` of a new figure, or the ``figure`` (a GUI canvas's) to clear and draw into."""

    theme: str
    size: tuple[float, float]
    dpi: float
    figure: Figure | None


def start_figure(options: FigureOptions, size: tuple[float, float]) -> tuple[Figure, Palette]:
    """The figure ``options`` ask for (``size`` unless they give one) and its palette."""
    colours = palette(options.get("theme", "light"))
    figure = options.get("figure")
    return new_figure(options.get("size", size), options.get("dpi", 100), colours, figure), colours


def side_legend(ax: Axes, colours: Palette, title: str, top: float, **kwargs: Any) -> None:
    """A small legend titled ``title`` to the right of ``ax``, its top at ``top`` (axes units)."""
    legend = ax.legend(
        loc="upper left",
        bbox_to_anchor=(1.01, top),
        frameon=False,
        fontsize=7,
        title=title,
        title_fontsize=7,
        labelcolor=colours.text,
        alignment="left",
        **kwargs,
    )
    legend.get_title().set_color(colours.muted)


def label_bar_end(ax: Axes, bar: Any, text: str, colour: str, fontsize: float) -> None:
    """``text`` just past the end of a horizontal ``bar``, centred on it."""
    ax.annotate(
        text,
        (bar.get_width(), bar.get_y() + bar.get_height() / 2),
        xytext=(4, 0),
        textcoords="offset points",
        va="center",
        fontsize=fontsize,
        color=colour,
    )


def day_number(day: date) -> float:
    """Matplotlib's number for a date: the x coordinate every health chart uses."""
    return float(mdates.date2num(day))  # type: ignore[no-untyped-call]


def day_numbers(days: Sequence[date]) -> list[float]:
    """``day_number`` of each date."""
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
        return [(d, dates_text.short_day(d)) for d in ticks]
    out = []
    for i, day in enumerate(ticks):
        label = dates_text.month(day) if i == 0 or day.month == 1 else dates_text.month_name(day)
        out.append((day, label))
    return out


def date_axis(ax: Axes, first: date | None, last: date | None) -> None:
    """Month ticks (``date_ticks``) on the x axis of ``ax`` between two dates, if both given."""
    if first is None or last is None:
        return
    ticks = date_ticks(first, last)
    ax.set_xticks([day_number(d) for d, _ in ticks], [label for _, label in ticks])


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
