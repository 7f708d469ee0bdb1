"""Health scoring: weekly snapshots -> points per measure -> weighted score, band and trend
(``rescoring`` stores what it computes).

Vectorised with numpy so the whole book's history rescoring takes well under a second;
missing signals are NaN, excluded from the weighted mean (weights renormalised), never zero.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy import Connection, Integer, String, func, select
from sqlalchemy import cast as cast_
from sqlalchemy.orm import Session

from app.models.account import Account
from app.models.batches import batches
from app.models.enums import HealthBand, Segment
from app.models.health import MetricSnapshot
from app.services.score_breakdown import BREAKDOWN_KEYS, decode_breakdown, encode_breakdown
from app.services.scorecards import SIGNALS, MeasureSpec, ScorecardSpec, ensure_default_scorecards
from app.services.surveys import survey_nps_signal

__all__ = [
    "BANDS",
    "BREAKDOWN_KEYS",
    "ScoreResult",
    "SnapshotFrame",
    "compute",
    "decode_breakdown",
    "encode_breakdown",
    "ensure_default_scorecards",
    "load_frame",
    "measure_points",
    "scorecard_for",
]

FloatArray = npt.NDArray[np.float64]
#: Band codes used in arrays: index into this tuple.
BANDS: tuple[HealthBand, ...] = (HealthBand.RED, HealthBand.YELLOW, HealthBand.GREEN)
_BAND_CODE = {band: i for i, band in enumerate(BANDS)}
#: Segments in the order SQL sorts their stored values, so a loaded frame runs by segment.
SEGMENTS: tuple[Segment, ...] = tuple(sorted(Segment, key=lambda segment: segment.value))
_SEGMENT_CODE = {segment.value: i for i, segment in enumerate(SEGMENTS)}
#: The code of an account whose segment is not set: scored by the default scorecard.
_NOT_SET = len(SEGMENTS)


@dataclass
class SnapshotFrame:
    """Weekly snapshots as columns: one row per (account, week), signals as float arrays."""

    account_id: npt.NDArray[np.object_]
    as_of: npt.NDArray[np.datetime64]
    #: Index into ``SEGMENTS`` (integers, so choosing rows per scorecard stays cheap).
    segment: npt.NDArray[np.int8]
    arr_minor: npt.NDArray[np.int64]
    currency: npt.NDArray[np.object_]
    signals: dict[str, FloatArray]

    def __len__(self) -> int:
        return len(self.account_id)

    def take(self, index: Any) -> SnapshotFrame:
        """The rows at ``index`` (positions, a boolean mask, or a slice: then views)."""
        return SnapshotFrame(
            self.account_id[index],
            self.as_of[index],
            self.segment[index],
            self.arr_minor[index],
            self.currency[index],
            {k: v[index] for k, v in self.signals.items()},
        )

    def slice(self, start: int, stop: int) -> SnapshotFrame:
        """Rows ``start:stop`` as views (no copy)."""
        return self.take(slice(start, stop))

    def signal_value(self, key: str, row: int) -> float | None:
        """One raw value, None when missing."""
        value = float(self.signals[key][row])
        return None if np.isnan(value) else value


#: The weekly signals of a ``metric_snapshot`` row, in its column order (demo and scoring).
SIGNAL_COLUMNS: tuple[str, ...] = tuple(
    column.name
    for column in MetricSnapshot.__table__.columns
    if column.name not in ("account_id", "as_of")
)


def _floats(values: Sequence[Any]) -> FloatArray:
    return np.array(values, dtype=np.float64) if values else np.zeros(0)


def _ratio(num: FloatArray, den: FloatArray) -> FloatArray:
    out = np.full(num.shape, np.nan)
    ok = den > 0
    np.divide(num, den, out=out, where=ok)
    return out * 100.0


def frame_from_rows(rows: Sequence[Sequence[Any]]) -> SnapshotFrame:
    """A frame from rows of (account_id, as_of, segment, arr_minor, currency, *SIGNAL_COLUMNS)."""
    cols = list(zip(*rows, strict=True)) if rows else [()] * (5 + len(SIGNAL_COLUMNS))
    raw = {name: _floats(cols[5 + i]) for i, name in enumerate(SIGNAL_COLUMNS)}
    arr = np.array(cols[3], dtype=np.int64) if rows else np.zeros(0, dtype=np.int64)
    arr_f = arr.astype(np.float64)
    signals: dict[str, FloatArray] = {
        "adoption": _ratio(raw["active_users"], raw["licensed_users"]),
        "overdue_invoices": _ratio(raw["overdue_invoices_minor"], arr_f),
        "service_credits": _ratio(raw["service_credits_minor"], arr_f),
    }
    for key in SIGNALS:
        if key not in signals:
            signals[key] = raw[key]
    # Overdue or credits without a known ARR cannot be weighed: missing, not zero.
    return SnapshotFrame(
        np.array(cols[0], dtype=object),
        np.array(cols[1], dtype="datetime64[D]"),
        np.array([_SEGMENT_CODE.get(seg, _NOT_SET) for seg in cols[2]], dtype=np.int8),
        arr,
        np.array(cols[4], dtype=object),
        signals,
    )


def _frame_query(account_ids: Iterable[str] | None = None) -> Any:
    s = MetricSnapshot.__table__.c
    a = Account.__table__.c
    query = (
        # Casts skip the per-row result processing of dates, enums and booleans: numpy
        # parses ISO dates itself, and this query may read a million rows.
        select(
            s.account_id,
            cast_(s.as_of, String).label("as_of"),
            cast_(a.segment, String).label("segment"),
            a.arr_minor,
            a.currency,
            *(
                cast_(s[name], Integer).label(name) if name == "executive_access" else s[name]
                for name in SIGNAL_COLUMNS
            ),
        )
        .join_from(MetricSnapshot.__table__, Account.__table__, a.id == s.account_id)
        .order_by(a.segment, s.account_id, s.as_of)
    )
    if account_ids is not None:
        query = query.where(s.account_id.in_(list(account_ids)))
    return query


def load_frame(
    conn: Connection | Session,
    account_ids: Iterable[str] | None = None,
    *,
    since: date | None = None,
    until: date | None = None,
    latest_only: bool = False,
) -> SnapshotFrame:
    """Read weekly snapshots (optionally for some accounts / a date range) into a frame.

    With ``latest_only``, each account's newest snapshot only (the book as it is now).
    """
    query = _frame_query(None)
    s = MetricSnapshot.__table__.c
    if latest_only:
        newest = (
            select(s.account_id, func.max(s.as_of).label("as_of")).group_by(s.account_id).subquery()
        )
        query = query.join(
            newest, (newest.c.account_id == s.account_id) & (newest.c.as_of == s.as_of)
        )
    if since is not None:
        query = query.where(s.as_of >= since)
    if until is not None:
        query = query.where(s.as_of <= until)
    if account_ids is None:
        return _with_survey_nps(conn, frame_from_rows(conn.execute(query).all()))
    ids = list(account_ids)
    rows: list[Any] = []
    for batch in batches(ids):
        rows.extend(conn.execute(query.where(s.account_id.in_(batch))))
    rows.sort(key=lambda r: (r[2], r[0], r[1]))
    return _with_survey_nps(conn, frame_from_rows(rows))


def _with_survey_nps(conn: Connection | Session, frame: SnapshotFrame) -> SnapshotFrame:
    """Survey answers drive the NPS signal: one NPS everywhere (see ``app.services.surveys``)."""
    survey = survey_nps_signal(conn, frame.account_id, frame.as_of)
    frame.signals["nps"] = np.where(np.isnan(survey), frame.signals["nps"], survey)
    return frame


def measure_points(measure: MeasureSpec, values: FloatArray) -> FloatArray:
    """0-100 points for each raw value; NaN stays NaN (missing)."""
    if measure.method == "linear":
        assert measure.low is not None and measure.high is not None
        points = values - measure.low
        points *= 100.0 / (measure.high - measure.low)
        return np.clip(points, 0.0, 100.0, out=points)
    steps = np.array([points for _, points in measure.thresholds], dtype=np.float64)
    # The step is the number of limits (after the first) at or below the value: a few
    # comparisons beat searchsorted on a million values; NaN compares False everywhere.
    index = np.zeros(values.shape, dtype=np.intp)
    for limit, _ in measure.thresholds[1:]:
        index += values >= limit
    out = steps.take(index)
    out[np.isnan(values)] = np.nan
    return out


@dataclass
class ScoreResult:
    """Scores of a frame's rows under one scorecard (NaN score: no measure had data)."""

    #: One array of points per measure, in the scorecard's order (NaN where missing).
    points: list[FloatArray]
    score: FloatArray
    band: npt.NDArray[np.int8]  # index into BANDS; -1 where no score
    capped: npt.NDArray[np.bool_]

    def row_points(self, row: int) -> FloatArray:
        """The measures' points of one row."""
        return np.array([column[row] for column in self.points], dtype=np.float64)


def compute(frame: SnapshotFrame, spec: ScorecardSpec) -> ScoreResult:
    """Score every row of ``frame`` with ``spec`` (vectorised, one pass per measure)."""
    n = len(frame)
    total = np.zeros(n)
    # Start from every weight and take away the missing measures' (no negation pass).
    weight_sum = np.full(n, sum(m.weight for m in spec.measures if m.weight > 0))
    red_measure = np.zeros(n, dtype=bool)
    columns = []
    for measure in spec.measures:
        points = measure_points(measure, frame.signals[measure.key])
        columns.append(points)
        if measure.weight <= 0:
            continue
        # Few passes over a million rows per measure: fmax turns NaN into 0 (points are >= 0).
        missing = np.isnan(points)
        weighted = np.fmax(points, 0.0)
        weighted *= measure.weight
        total += weighted
        np.subtract(weight_sum, measure.weight, out=weight_sum, where=missing)
        if spec.red_caps_at_yellow:
            red_measure |= points < spec.red_below  # NaN compares False: missing is not red
    score = np.full(n, np.nan)
    np.divide(total, weight_sum, out=score, where=weight_sum > 1e-9)  # float residue of 0
    band = np.full(n, 1, dtype=np.int8)
    band[score < spec.red_below] = 0
    band[score >= spec.green_from] = 2
    band[np.isnan(score)] = -1
    capped = red_measure & (band == 2)
    band[capped] = 1
    return ScoreResult(columns, score, band, capped)


def scorecard_for(specs: Sequence[ScorecardSpec], segment: Segment | str | None) -> ScorecardSpec:
    """The scorecard that scores an account of ``segment``: its segment's, else the default."""
    default = None
    for spec in specs:
        if spec.segment is not None and segment is not None and spec.segment == segment:
            return spec
        if spec.segment is None:
            default = spec
    if default is None:
        raise LookupError("The workspace has no default scorecard.")
    return default


BookPart = tuple[ScorecardSpec, slice | npt.NDArray[np.bool_], ScoreResult]


def compute_book(
    frame: SnapshotFrame, specs: Sequence[ScorecardSpec]
) -> tuple[FloatArray, npt.NDArray[np.int8], list[BookPart]]:
    """Scores and bands for a frame whose accounts use different scorecards by segment.

    Also returns, per segment, its rows (a slice when the frame is ordered by segment, as
    ``load_frame`` orders it; else a mask), its scorecard and the full result.
    """
    score = np.full(len(frame), np.nan)
    band = np.full(len(frame), -1, dtype=np.int8)
    parts: list[BookPart] = []
    ordered = bool(np.all(frame.segment[1:] >= frame.segment[:-1]))
    groups: tuple[Segment | None, ...] = (*SEGMENTS, None)
    bounds = np.concatenate([[0], np.cumsum(np.bincount(frame.segment, minlength=len(groups)))])
    for code, segment in enumerate(groups):
        rows: slice | npt.NDArray[np.bool_]
        if ordered:
            start, stop = int(bounds[code]), int(bounds[code + 1])
            if start == stop:
                continue
            rows = slice(start, stop)
            part = frame.slice(rows.start, rows.stop)
        else:
            mask = frame.segment == code
            if not mask.any():
                continue
            rows = mask
            part = frame.take(mask)
        spec = scorecard_for(specs, segment)
        result = compute(part, spec)
        score[rows] = result.score
        band[rows] = result.band
        parts.append((spec, rows, result))
    return score, band, parts
