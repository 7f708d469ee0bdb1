"""Scorecards as data: the signal catalogue, measure specs, defaults, and loading/saving them."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models.enums import HealthBand, Segment
from app.models.health import Scorecard, ScorecardMeasure

Method = Literal["linear", "thresholds"]


@dataclass(frozen=True)
class Signal:
    """A raw signal a measure can score: its label, unit and how it reads in a sentence."""

    key: str
    label: str
    unit: str
    group: str

    def format(self, value: float | None) -> str:
        """The raw value as the CSM reads it, or "no data"."""
        if value is None:
            return "no data"
        if self.unit == "yes/no":
            return "yes" if value >= 0.5 else "no"
        if self.unit == "%" or self.unit.startswith("% "):
            return f"{value:.1f}{self.unit}"
        text = f"{int(value)}" if float(value).is_integer() else f"{value:.1f}"
        unit = self.unit[:-1] if value == 1 and self.unit.endswith("s") else self.unit
        return f"{text} {unit}".strip()


#: Every signal derived from a weekly MetricSnapshot, in display order.
SIGNALS: dict[str, Signal] = {
    s.key: s
    for s in (
        Signal("adoption", "Adoption (active users / licences)", "% of licences", "Adoption"),
        Signal("tickets_new", "New tickets this week", "tickets", "Support"),
        Signal("tickets_open", "Open tickets", "tickets", "Support"),
        Signal("tickets_p1", "Open P1 tickets", "tickets", "Support"),
        Signal("hours_to_resolve", "Time to resolve", "hours", "Support"),
        Signal("nps", "NPS", "", "Sentiment"),
        Signal("csat", "CSAT", "/ 5", "Sentiment"),
        Signal("pulse", "CSM pulse", "/ 5", "Sentiment"),
        Signal("days_since_touch", "Days since last meaningful touch", "days", "Engagement"),
        Signal("executive_access", "Executive access", "yes/no", "Engagement"),
        Signal("overdue_invoices", "Overdue invoices", "% of ARR", "Financial"),
        Signal("service_credits", "Service credits", "% of ARR", "Financial"),
        Signal("milestones_slipping", "Slipping milestones", "milestones", "Delivery"),
    )
}


@dataclass(frozen=True)
class MeasureSpec:
    """How one signal becomes 0-100 points.

    ``linear``: ``low`` scores 0 and ``high`` scores 100, straight line between, clipped;
    ``low`` above ``high`` means lower is better. ``thresholds``: ``(limit, points)`` pairs
    sorted by limit; a value at or above a limit gets that step's points (below the first
    limit, the first step's).
    """

    key: str
    label: str
    group: str
    weight: float
    method: Method = "linear"
    low: float | None = None
    high: float | None = None
    thresholds: tuple[tuple[float, float], ...] = ()

    def __post_init__(self) -> None:
        if self.key not in SIGNALS:
            raise ValueError(f"{self.key} is not a known signal.")
        if self.weight < 0:
            raise ValueError(f"The weight of {self.label} cannot be negative.")
        if self.method == "linear":
            if self.low is None or self.high is None or self.low == self.high:
                raise ValueError(f"{self.label} needs two different ends for its linear scale.")
        elif self.method == "thresholds":
            if not self.thresholds:
                raise ValueError(f"{self.label} needs at least one threshold.")
            limits = [limit for limit, _ in self.thresholds]
            if limits != sorted(limits):
                raise ValueError(f"The thresholds of {self.label} must rise.")
            if any(not 0 <= points <= 100 for _, points in self.thresholds):
                raise ValueError(f"Threshold points of {self.label} must lie in 0..100.")
        else:
            raise ValueError(f"{self.method} is not a scoring method.")

    def describe(self) -> str:
        """The rule in words, e.g. "20 → 0 pts, 80 → 100 pts"."""
        signal = SIGNALS[self.key]
        if self.method == "linear":
            return f"{signal.format(self.low)} → 0 pts, {signal.format(self.high)} → 100 pts"
        # A yes/no signal has two steps, not a scale: "no: 0, yes: 100".
        at_least = "" if signal.unit == "yes/no" else "≥ "
        return ", ".join(
            f"{at_least}{signal.format(limit)}: {points:g}" for limit, points in self.thresholds
        )


@dataclass(frozen=True)
class ScorecardSpec:
    """A whole scorecard as a plain value: bands, the red cap, and its measures."""

    name: str
    segment: Segment | None
    measures: tuple[MeasureSpec, ...]
    red_below: float = 50.0
    green_from: float = 75.0
    red_caps_at_yellow: bool = False
    id: str | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if not 0 <= self.red_below <= self.green_from <= 100:
            raise ValueError("Bands need 0 ≤ red below ≤ green from ≤ 100.")
        keys = [m.key for m in self.measures]
        if len(keys) != len(set(keys)):
            raise ValueError("A scorecard scores each signal at most once.")

    @property
    def total_weight(self) -> float:
        """Sum of the weights (the editor asks for 100)."""
        return sum(m.weight for m in self.measures)

    def band_of(self, score: float) -> HealthBand:
        """The band a score falls in, before any red cap."""
        if score < self.red_below:
            return HealthBand.RED
        if score >= self.green_from:
            return HealthBand.GREEN
        return HealthBand.YELLOW

    def with_measure(self, key: str, **changes: object) -> ScorecardSpec:
        """A copy with one measure changed (for the what-if)."""
        measures = tuple(
            replace(m, **changes) if m.key == key else m  # type: ignore[arg-type]
            for m in self.measures
        )
        return replace(self, measures=measures)


def _m(
    key: str,
    weight: float,
    *,
    low: float | None = None,
    high: float | None = None,
    steps: tuple[tuple[float, float], ...] = (),
) -> MeasureSpec:
    signal = SIGNALS[key]
    label = signal.label.split(" (")[0]
    if steps:
        return MeasureSpec(key, label, signal.group, weight, "thresholds", thresholds=steps)
    return MeasureSpec(key, label, signal.group, weight, "linear", low, high)


def default_scorecards() -> list[ScorecardSpec]:
    """The scorecards a new workspace starts with: a default, one for strategic, one for SMB.

    Only the strategic one caps at yellow on any red measure: on the others that rule
    would hold nearly half the book out of green (most accounts have one weak signal).
    """
    support = {
        "tickets_new": ((0, 100), (4, 70), (8, 40), (13, 0)),
        "tickets_open": ((0, 100), (6, 70), (11, 40), (21, 0)),
        "tickets_p1": ((0, 100), (1, 40), (2, 0)),
        "milestones_slipping": ((0, 100), (1, 60), (2, 30), (3, 0)),
        "executive_access": ((0, 0), (1, 100)),
    }

    def card(
        name: str, segment: Segment | None, weights: dict[str, float], *, red_cap: bool = False
    ) -> ScorecardSpec:
        ranges = {
            "adoption": (20.0, 80.0),
            "hours_to_resolve": (96.0, 8.0),
            "nps": (-50.0, 50.0),
            "csat": (2.0, 4.5),
            "pulse": (1.0, 5.0),
            "days_since_touch": (90.0, 14.0),
            "overdue_invoices": (10.0, 0.0),
            "service_credits": (5.0, 0.0),
        }
        measures = []
        for key in SIGNALS:
            if key not in weights:
                continue
            if key in support:
                measures.append(_m(key, weights[key], steps=support[key]))
            else:
                low, high = ranges[key]
                measures.append(_m(key, weights[key], low=low, high=high))
        return ScorecardSpec(name, segment, tuple(measures), 50.0, 75.0, red_caps_at_yellow=red_cap)

    default = {
        "adoption": 25,
        "tickets_new": 5,
        "tickets_open": 5,
        "tickets_p1": 8,
        "hours_to_resolve": 4,
        "nps": 10,
        "csat": 6,
        "pulse": 7,
        "days_since_touch": 8,
        "executive_access": 6,
        "overdue_invoices": 6,
        "service_credits": 4,
        "milestones_slipping": 6,
    }
    strategic = dict(default, adoption=20, days_since_touch=10, executive_access=10, pulse=6)
    strategic["tickets_new"] = 3
    strategic["nps"] = 12
    # SMB is tech-touch: usage and support speak, nobody expects executive meetings.
    smb = {k: float(v) for k, v in default.items() if k != "executive_access"}
    smb["adoption"] = 31
    return [
        card("Default", None, {k: float(v) for k, v in default.items()}),
        # High touch: one red measure on a strategic account is worth a look, whatever the rest.
        card(
            "Strategic",
            Segment.STRATEGIC,
            {k: float(v) for k, v in strategic.items()},
            red_cap=True,
        ),
        card("SMB (tech touch)", Segment.SMB, smb),
    ]


def spec_from_row(row: Scorecard) -> ScorecardSpec:
    """The plain value of a stored scorecard."""
    measures = []
    for m in row.measures:
        steps: tuple[tuple[float, float], ...] = ()
        if m.thresholds:
            steps = tuple((float(a), float(b)) for a, b in json.loads(m.thresholds))
        method: Method = "thresholds" if m.method == "thresholds" else "linear"
        measures.append(
            MeasureSpec(m.key, m.label, m.group, m.weight, method, m.low, m.high, steps)
        )
    return ScorecardSpec(
        row.name,
        row.segment,
        tuple(measures),
        row.red_below,
        row.green_from,
        row.red_caps_at_yellow,
        id=row.id,
    )


def _measure_rows(spec: ScorecardSpec) -> list[ScorecardMeasure]:
    return [
        ScorecardMeasure(
            key=m.key,
            label=m.label,
            group=m.group,
            weight=m.weight,
            position=i,
            method=m.method,
            low=m.low,
            high=m.high,
            thresholds=json.dumps([list(t) for t in m.thresholds]) if m.thresholds else None,
        )
        for i, m in enumerate(spec.measures)
    ]


def load_scorecards(session: Session) -> list[ScorecardSpec]:
    """Every stored scorecard, the default (no segment) first."""
    rows = session.scalars(select(Scorecard)).all()
    specs = [spec_from_row(r) for r in rows]
    return sorted(specs, key=lambda s: (s.segment is not None, s.name))


def ensure_default_scorecards(session: Session) -> None:
    """Seed the default scorecards when the workspace has none."""
    if session.scalar(select(Scorecard.id).limit(1)) is not None:
        return
    for spec in default_scorecards():
        save_scorecard(session, spec)


def save_scorecard(session: Session, spec: ScorecardSpec) -> str:
    """Store ``spec`` (replacing the stored one with its id, or adding it); returns its id."""
    row = session.get(Scorecard, spec.id) if spec.id else None
    if row is None:
        row = Scorecard(name=spec.name, segment=spec.segment)
        if spec.id:
            row.id = spec.id
        session.add(row)
    row.name = spec.name
    row.segment = spec.segment
    row.red_below = spec.red_below
    row.green_from = spec.green_from
    row.red_caps_at_yellow = spec.red_caps_at_yellow
    row.measures.clear()
    session.flush()
    row.measures.extend(_measure_rows(spec))
    session.flush()
    return row.id
