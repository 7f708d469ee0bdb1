"""Contracts with their renewal call, account and latest health, read as plain rows (fast)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, false, func, or_, select
from sqlalchemy.orm import Session

from app.models import Account, Activity, Contract, HealthScore, Renewal
from app.models.enums import (
    ContractStatus,
    ForecastCategory,
    HealthBand,
    RenewalOutcome,
    Segment,
)
from app.services.my_book import in_book
from app.services.renewal_dates import Terms

#: The forecast key of a renewal nobody has called yet.
NO_CALL = "none"
#: Each forecast call's key (``NO_CALL`` for none), as a lookup for loops over many contracts.
CALL_KEYS: dict[ForecastCategory | None, str] = {None: NO_CALL} | {
    c: c.value for c in ForecastCategory
}


@dataclass(frozen=True, slots=True)
class ContractRenewal:
    """A contract's terms and its renewal forecast, as plain values: what the calendar's rows
    and the renewal editor's snapshot (``renewals.RenewalState``) both carry."""

    contract_id: str
    contract_name: str
    account_id: str
    start_date: date
    end_date: date
    value_minor: int
    currency: str
    notice_days: int
    auto_renew: bool
    status: ContractStatus
    forecast: ForecastCategory | None
    likelihood: int | None
    forecast_on: date | None
    next_step: str | None
    outcome: RenewalOutcome | None

    @property
    def terms(self) -> Terms:
        """The contract's dates for the date rules."""
        return Terms(self.start_date, self.end_date, self.notice_days, self.auto_renew)

    @property
    def is_open(self) -> bool:
        """Still to be renewed: active and without a recorded outcome."""
        return self.status is ContractStatus.ACTIVE and self.outcome is None

    @property
    def forecast_key(self) -> str:
        """The forecast category's value, or ``NO_CALL`` when not called."""
        return CALL_KEYS[self.forecast]

    @property
    def called_on(self) -> date | None:
        """When the renewal was called (None when it has no forecast yet)."""
        return self.forecast_on if self.forecast is not None else None


@dataclass(frozen=True, slots=True)
class ContractRow(ContractRenewal):
    """One contract as the calendar and the pipeline need it; no ORM object behind it."""

    account_name: str
    owner: str | None
    segment: Segment | None
    band: HealthBand | None
    last_touch: datetime | None


def _columns(now: datetime) -> Select[Any]:
    """The query's columns in ``ContractRow``'s field order."""
    band = (
        select(HealthScore.band)
        .where(HealthScore.account_id == Contract.account_id)
        .order_by(HealthScore.as_of.desc())
        .limit(1)
        .correlate(Contract)
        .scalar_subquery()
    )
    last_touch = (
        select(Activity.occurred_at)
        .where(
            Activity.account_id == Contract.account_id,
            Activity.occurred_at <= now,
            Activity.meaningful.is_(True),
        )
        .order_by(Activity.occurred_at.desc())
        .limit(1)
        .correlate(Contract)
        .scalar_subquery()
    )
    return (
        select(
            Contract.id,
            Contract.name,
            Contract.account_id,
            Contract.start_date,
            Contract.end_date,
            Contract.value_minor,
            Contract.currency,
            Contract.notice_days,
            Contract.auto_renew,
            Contract.status,
            Renewal.forecast,
            Renewal.likelihood,
            Renewal.forecast_on,
            Renewal.next_step,
            Renewal.outcome,
            Account.name,
            Account.owner,
            Account.segment,
            band,
            last_touch,
        )
        .join(Account, Account.id == Contract.account_id)
        .outerjoin(Renewal, Renewal.contract_id == Contract.id)
    )


def load_contract_rows(
    session: Session,
    *,
    ends_from: date,
    ends_to: date,
    now: datetime,
    owner: str | None = None,
    segment: Segment | None = None,
    open_only: bool = False,
    rolled_before: date | None = None,
    account_id: str | None = None,
    contract_ids: Collection[str] | None = None,
) -> list[ContractRow]:
    """Contracts ending in ``[ends_from, ends_to]``, with one tuple query.

    ``rolled_before`` also brings open auto-renewing contracts that ended before that day,
    whose renewal date has rolled forward (the caller decides where they land).
    ``now`` bounds the last meaningful touch (a planned meeting is not a touch yet).
    ``contract_ids`` narrows the read to those contracts.
    """
    is_open = and_(Contract.status == ContractStatus.ACTIVE, Renewal.outcome.is_(None))
    in_range: ColumnElement[bool] = Contract.end_date.between(ends_from, ends_to)
    if open_only:
        in_range = and_(in_range, is_open)
    rolled = (
        and_(is_open, Contract.auto_renew.is_(True), Contract.end_date < rolled_before)
        if rolled_before is not None
        else false()
    )
    query = in_book(_columns(now).where(or_(in_range, rolled)), owner, segment)
    if account_id is not None:
        query = query.where(Contract.account_id == account_id)
    if contract_ids is not None:
        query = query.where(Contract.id.in_(list(contract_ids)))
    return [ContractRow(*row) for row in session.connection().execute(query)]


def max_notice_days(session: Session) -> int:
    """The longest notice period in the book, so a date window can reach every deadline."""
    return int(session.scalar(select(func.max(Contract.notice_days))) or 0)


#: ``ContractKey`` fields: id, start, end, notice days, auto-renew, value, currency, status,
#: forecast, forecast date, outcome.
ContractKey = tuple[
    str,
    date,
    date,
    int,
    bool,
    int,
    str,
    ContractStatus,
    ForecastCategory | None,
    date | None,
    RenewalOutcome | None,
]


def load_contract_keys(
    session: Session,
    *,
    ends_from: date,
    ends_to: date,
    owner: str | None = None,
    segment: Segment | None = None,
    rolled_before: date | None = None,
) -> list[ContractKey]:
    """The few columns that place a contract's entries on days, for counting a busy period.

    Same selection as ``load_contract_rows`` (without names, health or touches), so a
    month of a large book is tallied without building an entry per contract.
    """
    is_open = and_(Contract.status == ContractStatus.ACTIVE, Renewal.outcome.is_(None))
    rolled = (
        and_(is_open, Contract.auto_renew.is_(True), Contract.end_date < rolled_before)
        if rolled_before is not None
        else false()
    )
    query = (
        select(
            Contract.id,
            Contract.start_date,
            Contract.end_date,
            Contract.notice_days,
            Contract.auto_renew,
            Contract.value_minor,
            Contract.currency,
            Contract.status,
            Renewal.forecast,
            Renewal.forecast_on,
            Renewal.outcome,
        )
        .outerjoin(Renewal, Renewal.contract_id == Contract.id)
        .where(or_(Contract.end_date.between(ends_from, ends_to), rolled))
    )
    if owner is not None or segment is not None:
        query = query.join(Account, Account.id == Contract.account_id)
    query = in_book(query, owner, segment)
    return [tuple(row) for row in session.connection().execute(query)]
