"""The renewal pipeline: the next quarters' renewals, totals per forecast call, flags."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.orm import Session

from app.models.enums import ForecastCategory, Segment
from app.services.renewal_dates import (
    DEFAULT_CHECKPOINTS,
    Checkpoint,
    TouchRule,
    add_months,
    checkpoints,
    needs_call,
    notice_deadline,
    quarter_label,
    quarter_start,
    renewal_date,
    touch_rule,
)
from app.services.renewal_rows import NO_CALL, ContractRow, ContractSelection, load_contract_rows

#: Forecast keys in the order a pipeline lists them.
FORECAST_KEYS: tuple[str, ...] = (*(c.value for c in ForecastCategory), NO_CALL)


@dataclass(frozen=True, slots=True)
class PipelineRow:
    """One open renewal in the pipeline, with what the CSM must do about it."""

    contract: ContractRow
    renewal_on: date
    notice_on: date
    checkpoints: tuple[Checkpoint, ...]
    #: The latest checkpoint already passed (days before renewal), None before the first.
    passed_checkpoint: int | None
    #: Past a checkpoint without a forecast call made inside the renewal window.
    needs_call: bool
    touch_rule: TouchRule
    days_to_renewal: int

    @property
    def forecast_key(self) -> str:
        """The forecast category's value, or ``"none"`` when not called."""
        return self.contract.forecast_key


@dataclass(slots=True)
class Quarter:
    """One calendar quarter of the pipeline with its totals (per currency: no FX guessing)."""

    label: str
    start: date
    end: date
    rows: list[PipelineRow] = field(default_factory=list)
    #: ``{currency: {forecast key: ARR minor}}``, forecast keys as in ``FORECAST_KEYS``.
    totals: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def at_risk_minor(self) -> dict[str, int]:
        """ARR called at risk, per currency."""
        return {cur: keys.get("at_risk", 0) for cur, keys in self.totals.items()}

    @property
    def flagged(self) -> list[PipelineRow]:
        """Renewals past a checkpoint without a forecast call."""
        return [row for row in self.rows if row.needs_call]


@dataclass(slots=True)
class Pipeline:
    """The renewal pipeline from the current quarter on, plus overdue renewals."""

    today: date
    quarters: list[Quarter]
    #: Open renewals whose date passed before the first quarter with no outcome recorded.
    overdue: list[PipelineRow]

    def totals(self) -> dict[str, dict[str, int]]:
        """ARR per currency and forecast key over every quarter."""
        merged: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(FORECAST_KEYS, 0))
        for quarter in self.quarters:
            for currency, keys in quarter.totals.items():
                for key, value in keys.items():
                    merged[currency][key] += value
        return dict(merged)

    def at_risk_minor(self) -> dict[str, int]:
        """ARR called at risk over every quarter, per currency."""
        return {cur: keys["at_risk"] for cur, keys in self.totals().items()}

    def flagged(self) -> list[PipelineRow]:
        """Every renewal past a checkpoint without a forecast call, soonest first."""
        rows = [row for q in self.quarters for row in q.rows if row.needs_call]
        return rows + [row for row in self.overdue if row.needs_call]


def pipeline_row(
    row: ContractRow, today: date, offsets: tuple[int, ...] = DEFAULT_CHECKPOINTS
) -> PipelineRow:
    """The pipeline's reading of one open contract on ``today``."""
    terms = row.terms
    renewal_on = renewal_date(terms, today)
    marks = tuple(checkpoints(terms, offsets, today))
    passed = [mark for mark in marks if mark.day <= today]
    last_touch = row.last_touch.date() if row.last_touch is not None else None
    return PipelineRow(
        contract=row,
        renewal_on=renewal_on,
        notice_on=notice_deadline(terms, today),
        checkpoints=marks,
        passed_checkpoint=passed[-1].offset if passed else None,
        needs_call=needs_call(renewal_on, today, [m.offset for m in marks], row.called_on),
        touch_rule=touch_rule(renewal_on, today, last_touch),
        days_to_renewal=(renewal_on - today).days,
    )


def pipeline(
    session: Session,
    today: date,
    quarters: int = 4,
    owner: str | None = None,
    *,
    segment: Segment | None = None,
    offsets: tuple[int, ...] = DEFAULT_CHECKPOINTS,
) -> Pipeline:
    """Open renewals from the start of today's quarter for ``quarters`` calendar quarters.

    Each quarter totals ARR per currency and forecast category (``"none"`` for no call);
    rows carry the notice deadline, the checkpoint passed, the missing-call flag and the
    120-day touch rule. Open renewals that ended before the first quarter are ``overdue``.
    """
    if quarters < 1:
        raise ValueError("A pipeline needs at least one quarter.")
    first = quarter_start(today)
    bounds = [add_months(first, 3 * index) for index in range(quarters + 1)]
    buckets = [
        Quarter(quarter_label(bounds[i]), bounds[i], bounds[i + 1] - timedelta(days=1))
        for i in range(quarters)
    ]
    last = bounds[-1] - timedelta(days=1)
    now = datetime.combine(today, time.max, tzinfo=UTC)
    selection = ContractSelection(
        ends_to=last, owner=owner, segment=segment, open_only=True, rolled_before=today
    )
    rows = load_contract_rows(session, selection, now)
    overdue: list[PipelineRow] = []
    for contract in rows:
        item = pipeline_row(contract, today, offsets)
        if item.renewal_on < first:
            overdue.append(item)
            continue
        if item.renewal_on > last:
            continue
        months = (item.renewal_on.year - first.year) * 12 + item.renewal_on.month - first.month
        index = months // 3
        bucket = buckets[index]
        bucket.rows.append(item)
        per_currency = bucket.totals.setdefault(contract.currency, dict.fromkeys(FORECAST_KEYS, 0))
        per_currency[item.forecast_key] += contract.value_minor
    for bucket in buckets:
        bucket.rows.sort(key=lambda r: (r.renewal_on, -r.contract.value_minor))
    overdue.sort(key=lambda r: (r.renewal_on, -r.contract.value_minor))
    return Pipeline(today=today, quarters=buckets, overdue=overdue)


def account_renewals(
    session: Session,
    account_id: str,
    today: date,
    offsets: tuple[int, ...] = DEFAULT_CHECKPOINTS,
) -> list[tuple[ContractRow, PipelineRow | None]]:
    """Every contract of one account, newest term first; open ones with their pipeline reading."""
    now = datetime.combine(today, time.max, tzinfo=UTC)
    rows = load_contract_rows(session, ContractSelection(account_id=account_id), now)
    rows.sort(key=lambda r: (r.end_date, r.contract_name), reverse=True)
    return [(row, pipeline_row(row, today, offsets) if row.is_open else None) for row in rows]


def family_renewals(
    session: Session,
    account_id: str,
    today: date,
    offsets: tuple[int, ...] = DEFAULT_CHECKPOINTS,
) -> list[tuple[ContractRow, PipelineRow | None]]:
    """Every contract of an account and of all its sub-accounts (each row names its account),
    newest term first; open ones with their pipeline reading.

    An account's renewals are its family's: a parent's list includes the child contract
    renewing next week that its Overview headlines.
    """
    from app.services.hierarchy import descendant_ids

    lines: list[tuple[ContractRow, PipelineRow | None]] = []
    for member in [account_id, *descendant_ids(session, account_id)]:
        lines.extend(account_renewals(session, member, today, offsets))
    lines.sort(key=lambda line: (line[0].end_date, line[0].contract_name), reverse=True)
    return lines


@dataclass(frozen=True)
class RenewalRollup:
    """The open renewals of an account family, totalled (per currency: no FX guessing)."""

    #: Open ARR renewing, per currency.
    open_arr: dict[str, int]
    open_count: int
    #: Per account with an open renewal, in the family's order: (name, ARR per currency).
    by_account: list[tuple[str, dict[str, int]]]
    #: The soonest open renewal.
    next_renewal: PipelineRow | None


def rollup_renewals(lines: list[tuple[ContractRow, PipelineRow | None]]) -> RenewalRollup:
    """Totals of the open renewals in ``lines`` (from ``family_renewals``)."""
    total: dict[str, int] = defaultdict(int)
    per_account: dict[str, dict[str, int]] = {}
    readings = [reading for _row, reading in lines if reading is not None]
    for reading in readings:
        row = reading.contract
        total[row.currency] += row.value_minor
        bucket = per_account.setdefault(row.account_name, defaultdict(int))
        bucket[row.currency] += row.value_minor
    soonest = min(readings, key=lambda r: (r.renewal_on, r.contract.contract_name), default=None)
    return RenewalRollup(
        open_arr=dict(total),
        open_count=len(readings),
        by_account=[(name, dict(arr)) for name, arr in per_account.items()],
        next_renewal=soonest,
    )
