"""Stored health scores read back: the latest per account, the history, and why a score is
what it is (the Health tab's "why" table and the documents' explanation)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models.account import Account
from app.models.enums import HealthBand
from app.models.health import HealthScore
from app.services import dates_text
from app.services.health_trend import SLACK_DAYS, TREND_DAYS, trend_arrow, trend_of
from app.services.labels import in_sentence, label_of
from app.services.score_breakdown import decode_breakdown
from app.services.scorecards import SIGNALS, ensure_default_scorecards, load_scorecards
from app.services.scoring import BANDS, FloatArray, compute, load_frame, scorecard_for


@dataclass(frozen=True)
class HealthPoint:
    """One stored health score of an account: its week, score and band."""

    as_of: date
    score: float
    band: HealthBand


class LatestScore(NamedTuple):
    """An account's newest score, its band and its change over 90 and 30 days."""

    score: float
    band: HealthBand
    trend_90d: float | None
    trend_30d: float | None
    as_of: date

    @property
    def arrow(self) -> str:
        """The 30-day trend arrow."""
        return trend_arrow(self.trend_30d)


#: How far back a "score N days ago" may reach past N before it counts as unknown.
def latest_scores(
    session: Session, account_ids: Iterable[str] | None = None
) -> dict[str, LatestScore]:
    """Each scored account's newest score, band and 30/90-day trend."""
    t = HealthScore.__table__.c
    latest_q = select(t.account_id, func.max(t.as_of)).group_by(t.account_id)
    if account_ids is not None:
        latest_q = latest_q.where(t.account_id.in_(list(account_ids)))
    latest: dict[str, date] = {row[0]: row[1] for row in session.execute(latest_q)}
    if not latest:
        return {}
    cutoff = min(latest.values()) - timedelta(days=TREND_DAYS + SLACK_DAYS)
    query = select(t.account_id, t.as_of, t.score, t.band).where(t.as_of >= cutoff)
    query = query.order_by(t.account_id, t.as_of)
    series: dict[str, list[tuple[date, float]]] = {}
    bands: dict[str, str] = {}
    for acc, as_of, score, band in session.execute(query):
        if acc not in latest:
            continue
        series.setdefault(acc, []).append((as_of, score))
        if as_of == latest[acc]:
            bands[acc] = band
    out: dict[str, LatestScore] = {}
    for acc, as_of in latest.items():
        points = series[acc]
        out[acc] = LatestScore(
            points[-1][1],
            HealthBand(bands[acc]),
            trend_of(points, TREND_DAYS),
            trend_of(points, 30),
            as_of,
        )
    return out


class ScorePoint(NamedTuple):
    """One stored weekly score with its per-measure points."""

    as_of: date
    score: float
    band: HealthBand
    breakdown: dict[str, float | None]


def score_history(session: Session, account_id: str) -> list[ScorePoint]:
    """An account's stored weekly scores, oldest first."""
    t = HealthScore.__table__.c
    query = select(t.as_of, t.score, t.band, t.breakdown).where(t.account_id == account_id)
    return [
        ScorePoint(as_of, score, HealthBand(band), decode_breakdown(breakdown))
        for as_of, score, band, breakdown in session.execute(query.order_by(t.as_of))
    ]


# -- explaining a score ----------------------------------------------------------------------


@dataclass(frozen=True)
class MeasureLine:
    """One measure's part in a score: raw value, points, weights and contribution."""

    key: str
    label: str
    group: str
    raw: float | None
    raw_text: str
    rule: str
    points: float | None
    weight: float
    #: Share of the score after excluding missing measures, in percent (sums to 100).
    effective_weight: float
    #: Points this measure adds to the overall score (sums to the score).
    contribution: float | None
    is_red: bool
    #: Contribution change since the comparison date (None when either side is missing).
    change: float | None
    previous_raw_text: str | None


@dataclass(frozen=True)
class Explanation:
    """Why an account scores what it scores on a date, and what moved since a month before."""

    account_id: str
    as_of: date
    scorecard: str
    score: float | None
    band: HealthBand | None
    capped: bool
    lines: tuple[MeasureLine, ...]
    missing: tuple[str, ...]
    previous_as_of: date | None
    previous_score: float | None

    @property
    def movers(self) -> tuple[MeasureLine, ...]:
        """Measures whose contribution changed, biggest move first."""
        moved = [
            line for line in self.lines if line.change is not None and abs(line.change) >= 0.05
        ]
        return tuple(sorted(moved, key=lambda line: -abs(line.change or 0.0)))

    def summary(self) -> str:
        """One or two sentences a CSM can read aloud."""
        if self.score is None or self.band is None:
            return f"No score on {dates_text.day(self.as_of)}: no measure has data."
        band = in_sentence(label_of(self.band))
        text = f"Score {self.score:.0f} ({band}) on {dates_text.day(self.as_of)}"
        if self.previous_score is not None and self.previous_as_of is not None:
            delta = self.score - self.previous_score
            text += f", {delta:+.0f} since {dates_text.short_day(self.previous_as_of)}"
        text += "."
        movers = self.movers[:3]
        if movers:
            parts = [f"{m.label} {m.change:+.1f}" for m in movers]
            text += " Biggest moves: " + ", ".join(parts) + "."
        if self.capped:
            text += " Capped at yellow by a red measure."
        if self.missing:
            text += " No data for " + ", ".join(self.missing) + " (weights renormalised)."
        return text


def explain(
    session: Session, account_id: str, as_of: date, *, compare_days: int = 30
) -> Explanation:
    """Explain the account's score on ``as_of`` (its latest snapshot at or before that date)."""
    account = session.get(Account, account_id)
    if account is None:
        raise LookupError("There is no such account.")
    ensure_default_scorecards(session)
    spec = scorecard_for(load_scorecards(session), account.segment)
    frame = load_frame(session, [account_id], until=as_of)
    if len(frame) == 0:
        return Explanation(account_id, as_of, spec.name, None, None, False, (), (), None, None)
    now = len(frame) - 1
    when = np.datetime64(as_of - timedelta(days=compare_days), "D")
    earlier = np.nonzero(frame.as_of <= when)[0]
    then = int(earlier[-1]) if len(earlier) else None
    result = compute(frame, spec)
    weights = np.array([m.weight for m in spec.measures])

    def contributions(row: int) -> FloatArray:
        pts = result.row_points(row)
        present = ~np.isnan(pts)
        total = weights[present].sum()
        share = (
            np.where(present, weights / total, np.nan) if total > 0 else np.full_like(pts, np.nan)
        )
        return np.asarray(share * pts, dtype=np.float64)

    contrib_now = contributions(now)
    contrib_then = contributions(then) if then is not None else None
    points_now = result.row_points(now)
    present = ~np.isnan(points_now)
    total_weight = weights[present].sum()
    lines = []
    for j, measure in enumerate(spec.measures):
        signal = SIGNALS[measure.key]
        raw = frame.signal_value(measure.key, now)
        points = None if np.isnan(points_now[j]) else float(points_now[j])
        contrib = None if np.isnan(contrib_now[j]) else float(contrib_now[j])
        change = None
        prev_text = None
        if contrib_then is not None and then is not None:
            prev_text = signal.format(frame.signal_value(measure.key, then))
            if contrib is not None and not np.isnan(contrib_then[j]):
                change = contrib - float(contrib_then[j])
        lines.append(
            MeasureLine(
                measure.key,
                measure.label,
                measure.group,
                raw,
                signal.format(raw),
                measure.describe(),
                points,
                measure.weight,
                float(measure.weight / total_weight * 100)
                if points is not None and total_weight
                else 0.0,
                contrib,
                points is not None and points < spec.red_below and measure.weight > 0,
                change,
                prev_text,
            )
        )
    score = None if np.isnan(result.score[now]) else float(result.score[now])
    band = None if result.band[now] < 0 else BANDS[int(result.band[now])]
    prev_score = None
    if then is not None and not np.isnan(result.score[then]):
        prev_score = float(result.score[then])
    return Explanation(
        account_id,
        frame.as_of[now].astype(object),
        spec.name,
        score,
        band,
        bool(result.capped[now]),
        tuple(lines),
        tuple(line.label for line in lines if line.points is None),
        None if then is None else frame.as_of[then].astype(object),
        prev_score,
    )
