"""The QBR's charts as data, built once: the deck draws them as native charts, the brief as
pictures (``app.exports.qbr_figures``), so both show the same series, colours and scale."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.exports.qbr_data import QbrContent
from app.services import dates_text

BAND_COLOURS = {"red": "C8453B", "yellow": "E0A526", "green": "3C9D5D"}
NAVY = "1F3A5F"
TEAL = "1A7F8E"
MUTED = "6B7280"


@dataclass(frozen=True)
class Series:
    """One series: its name, values and colour (hex RGB without ``#``)."""

    name: str
    values: tuple[float | None, ...]
    colour: str


@dataclass(frozen=True)
class ChartSpec:
    """A category chart: ``column`` or ``line``, with optional per-point colours."""

    kind: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    y_label: str
    y_max: float | None = None
    y_step: float | None = None
    point_colours: tuple[str, ...] = ()
    legend: bool = False
    #: One sentence describing the chart (alt text, captions).
    description: str = ""


def count_step(top: float) -> int:
    """A whole-number axis step for counts up to ``top``: 1, 2 or 5 times a power of ten,
    giving at most six steps (tickets and users are never halves)."""
    step = 1
    while top / step > 6:
        # 1 -> 2 -> 5 -> 10 -> 20 -> 50 ...
        step = step * 5 // 2 if str(step)[0] == "2" else step * 2
    return step


def _weeks(days: list[date]) -> tuple[str, ...]:
    # Day and month on two lines in every label: a label short enough to stay on one
    # ("Jul 2") would run into its neighbour's.
    return tuple(dates_text.short_day(d).replace(" ", "\n", 1) for d in days)


def health_chart(c: QbrContent) -> ChartSpec | None:
    """Weekly health scores, bars coloured by band (None with fewer than two scores)."""
    if len(c.health) < 2:
        return None
    return ChartSpec(
        "column",
        _weeks([p.as_of for p in c.health]),
        (Series("Health score", tuple(round(p.score, 1) for p in c.health), NAVY),),
        "Health score",
        y_max=100,
        y_step=25,
        point_colours=tuple(BAND_COLOURS[p.band.value] for p in c.health),
        description="Weekly health score, bars coloured green, yellow or red by band.",
    )


def usage_chart(c: QbrContent) -> ChartSpec | None:
    """Active users against licences, week by week (None with fewer than two weeks)."""
    if len(c.usage) < 2:
        return None
    series = [Series("Active users", tuple(float(p.active_users) for p in c.usage), TEAL)]
    licences = [p.licensed_users or c.licences for p in c.usage]
    if all(value is not None for value in licences):
        series.append(Series("Licences", tuple(float(v or 0) for v in licences), MUTED))
    return ChartSpec(
        "line",
        _weeks([p.as_of for p in c.usage]),
        tuple(series),
        "Users",
        y_step=count_step(max((v or 0 for one in series for v in one.values), default=0)),
        legend=True,
        description="Weekly active users against licences.",
    )


def tickets_chart(c: QbrContent) -> ChartSpec | None:
    """New and open tickets per week (None with fewer than two weeks)."""
    points = c.tickets
    if len(points) < 2:
        return None
    return ChartSpec(
        "column",
        _weeks([p.as_of for p in points]),
        (
            Series("New tickets", tuple(p.new for p in points), TEAL),
            Series("Open tickets", tuple(p.open for p in points), NAVY),
        ),
        "Tickets",
        y_step=count_step(max((v or 0 for p in points for v in (p.new, p.open)), default=0)),
        legend=True,
        description="New and open support tickets per week.",
    )
