"""Contracts with their renewal call, account and latest health, read as plain rows (fast)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, false, func, or_, select
from sqlalchemy.orm import Session

from app.models import Account, Activity, Contract, HealthScore, Renewal
from app.models.enums import ContractStatus, ForecastCategory, HealthBand, RenewalOutcome, Segment
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


@dataclass(frozen=True, slots=True)
class ContractSelection:
    """Which contracts a read brings: those ending ``ends_from`` .. ``ends_to`` (open ones
    only with ``open_only``) in the book ``owner`` and ``segment`` narrow to.

    ``rolled_before`` also brings open auto-renewing contracts that ended before that day,
    whose renewal date has rolled forward (the caller decides where they land);
    ``account_id`` and ``contract_ids`` narrow the read to one account's or those contracts.
    """

    ends_from: date = date.min
    ends_to: date = date.max
    owner: str | None = None
    segment: Segment | None = None
    open_only: bool = False
    rolled_before: date | None = None
    account_id: str | None = None
    contract_ids: Collection[str] | None = None

    @property
    def narrows_book(self) -> bool:
        """Whether only some accounts' contracts are read (an owner's or a segment's)."""
        return self.owner is not None or self.segment is not None

    def narrow(self, query: Select[Any]) -> Select[Any]:
        """``query`` (over contracts, their renewals and, when ``narrows_book``, their
        accounts) narrowed to the selected contracts."""
        is_open = and_(Contract.status == ContractStatus.ACTIVE, Renewal.outcome.is_(None))
        in_range: ColumnElement[bool] = Contract.end_date.between(self.ends_from, self.ends_to)
        if self.open_only:
            in_range = and_(in_range, is_open)
        rolled = (
            and_(is_open, Contract.auto_renew.is_(True), Contract.end_date < self.rolled_before)
            if self.rolled_before is not None
            else false()
        )
        query = in_book(query.where(or_(in_range, rolled)), self.owner, self.segment)
        if self.account_id is not None:
            query = query.where(Contract.account_id == self.account_id)
        if self.contract_ids is not None:
            query = query.where(Contract.id.in_(list(self.contract_ids)))
        return query


def load_contract_rows(
    session: Session, selection: ContractSelection, now: datetime
) -> list[ContractRow]:
    """The ``selection``'s contracts, with one tuple query; ``now`` bounds the last
    meaningful touch (a planned meeting is not a touch yet)."""
    query = selection.narrow(_columns(now))
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


def load_contract_keys(session: Session, selection: ContractSelection) -> list[ContractKey]:
    """The few columns that place a contract's entries on days, for counting a busy period.

    The ``selection`` as ``load_contract_rows`` reads it, without names, health or touches,
    so a month of a large book is tallied without building an entry per contract.
    """
    query = select(
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
    ).outerjoin(Renewal, Renewal.contract_id == Contract.id)
    if selection.narrows_book:
        query = query.join(Account, Account.id == Contract.account_id)
    return [tuple(row) for row in session.connection().execute(selection.narrow(query))]
