"""The renewal workflow: forecast calls, outcomes with their follow-on contract, checkpoints.

Every function takes the caller's session, so one user action is one unit of work
(``with store.session() as session: record_outcome(session, ...)``). The date rules live in
``renewal_dates``, the pipeline in ``renewal_pipeline``, the calendar in ``renewal_calendar``
and moving a calendar entry in ``calendar_moves``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Account, Contract, Renewal, WorkspaceMeta
from app.models.enums import ContractStatus, ForecastCategory, RenewalOutcome
from app.services.labels import in_sentence, label_of, quoted
from app.services.renewal_dates import DEFAULT_CHECKPOINTS, Terms, add_months, term_months
from app.services.renewal_rows import ContractRenewal

#: Why renewals churn or shrink: a closed list so the book can be analysed by reason.
LOSS_REASONS: dict[str, str] = {
    "budget": "Budget cut",
    "price": "Price",
    "product_fit": "Product fit",
    "poor_adoption": "Poor adoption",
    "competitor": "Moved to a competitor",
    "champion_left": "Champion or sponsor left",
    "acquired": "Acquired or merged",
    "business_closed": "Customer's business closed or shrank",
    "support": "Support experience",
    "other": "Other",
}

CHECKPOINTS_KEY = "renewals.checkpoints"


class RenewalError(ValueError):
    """A renewal action that cannot be done; the message is one sentence for the user."""


@dataclass(frozen=True, slots=True)
class RenewalState(ContractRenewal):
    """One contract's renewal as a plain snapshot, for views and undo commands."""

    outcome_on: date | None
    reason: str | None
    reason_code: str | None
    new_contract_id: str | None
    renewed_from_id: str | None


@dataclass(frozen=True)
class OutcomeRequest:
    """How a renewal ended: the follow-on contract's annual value and terms (None: the old
    contract's value, and its term run again), and why it churned or shrank."""

    outcome: RenewalOutcome
    value_minor: int | None = None
    terms: Terms | None = None
    reason_code: str | None = None
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class OutcomeResult:
    """What ``record_outcome`` did: the renewal row and the follow-on contract, if any."""

    contract_id: str
    renewal_id: str
    new_contract_id: str | None
    arr_change_minor: int


def checkpoint_offsets(session: Session) -> tuple[int, ...]:
    """The workspace's checkpoint offsets in days (120, 90, 60, 30 unless configured)."""
    raw = session.get(WorkspaceMeta, CHECKPOINTS_KEY)
    if raw is None:
        return DEFAULT_CHECKPOINTS
    try:
        offsets = tuple(sorted({int(part) for part in raw.value.split(",")}, reverse=True))
    except ValueError:
        return DEFAULT_CHECKPOINTS
    return offsets or DEFAULT_CHECKPOINTS


def set_checkpoint_offsets(session: Session, offsets: tuple[int, ...]) -> tuple[int, ...]:
    """Configure the checkpoints (days before renewal, 1..730); returns them sorted."""
    cleaned = tuple(sorted(set(offsets), reverse=True))
    if not cleaned or any(not 0 < offset <= 730 for offset in cleaned):
        raise RenewalError("Checkpoints must be between 1 and 730 days before the renewal.")
    value = ",".join(str(offset) for offset in cleaned)
    meta = session.get(WorkspaceMeta, CHECKPOINTS_KEY)
    if meta is None:
        session.add(WorkspaceMeta(key=CHECKPOINTS_KEY, value=value))
    else:
        meta.value = value
    return cleaned


def _contract(session: Session, contract_id: str) -> Contract:
    contract = session.get(Contract, contract_id)
    if contract is None:
        raise RenewalError("That contract no longer exists.")
    return contract


def _renewal_row(session: Session, contract: Contract) -> Renewal:
    renewal = session.scalars(select(Renewal).where(Renewal.contract_id == contract.id)).first()
    if renewal is None:
        renewal = Renewal(contract_id=contract.id)
        session.add(renewal)
        session.flush()
    return renewal


def renewal_state(session: Session, contract_id: str) -> RenewalState:
    """The contract's renewal as a snapshot (forecast, outcome, and where it came from)."""
    contract = _contract(session, contract_id)
    renewal = session.scalars(select(Renewal).where(Renewal.contract_id == contract.id)).first()
    renewed_from = session.scalar(
        select(Renewal.contract_id).where(Renewal.new_contract_id == contract.id)
    )
    return RenewalState(
        contract_id=contract.id,
        account_id=contract.account_id,
        contract_name=contract.name,
        start_date=contract.start_date,
        end_date=contract.end_date,
        value_minor=contract.value_minor,
        currency=contract.currency,
        notice_days=contract.notice_days,
        auto_renew=contract.auto_renew,
        status=contract.status,
        forecast=renewal.forecast if renewal else None,
        likelihood=renewal.likelihood if renewal else None,
        forecast_on=renewal.forecast_on if renewal else None,
        next_step=renewal.next_step if renewal else None,
        outcome=renewal.outcome if renewal else None,
        outcome_on=renewal.outcome_on if renewal else None,
        reason=renewal.reason if renewal else None,
        reason_code=renewal.reason_code if renewal else None,
        new_contract_id=renewal.new_contract_id if renewal else None,
        renewed_from_id=renewed_from,
    )


def set_forecast(
    session: Session,
    contract_id: str,
    forecast: ForecastCategory | None,
    *,
    likelihood: int | None = None,
    next_step: str | None = None,
    on: date,
) -> RenewalState:
    """Record the forecast call on a contract's renewal, made on ``on``.

    ``likelihood`` is a percentage (0..100); ``forecast=None`` withdraws the call.
    Raises RenewalError once the outcome is recorded: the call is history then.
    """
    contract = _contract(session, contract_id)
    if likelihood is not None and not 0 <= likelihood <= 100:
        raise RenewalError("Likelihood must be a percentage between 0 and 100.")
    renewal = _renewal_row(session, contract)
    if renewal.outcome is not None:
        raise RenewalError("This renewal already has an outcome; its forecast is history.")
    renewal.forecast = forecast
    renewal.likelihood = likelihood
    renewal.next_step = (next_step or "").strip() or None
    renewal.forecast_on = on if forecast is not None else None
    session.flush()
    return renewal_state(session, contract_id)


def loss_reasons() -> dict[str, str]:
    """The closed list of churn and downsell reasons: code to label."""
    return dict(LOSS_REASONS)


def record_outcome(
    session: Session, contract_id: str, request: OutcomeRequest, *, on: date
) -> OutcomeResult:
    """Record how a renewal ended and create the follow-on contract, keeping the old one.

    Renewed keeps the annual value; expanded needs a higher one, downsold a lower one;
    churned creates no contract. Unless the request gives its terms, the new contract starts
    the day after the old end date and runs as long as the old term, with the same notice
    and auto-renewal. Churned and downsold need a ``reason_code`` from ``LOSS_REASONS``.
    The old contract is marked renewed or churned and the account's ARR moves by the change
    in value (when the account and contract share a currency). Everything happens in the
    caller's session.
    """
    outcome, reason_code = request.outcome, request.reason_code
    contract = _contract(session, contract_id)
    renewal = _renewal_row(session, contract)
    if renewal.outcome is not None:
        raise RenewalError("This renewal already has an outcome.")
    if contract.status is not ContractStatus.ACTIVE:
        raise RenewalError("Only an active contract can be renewed.")
    if reason_code is not None and reason_code not in LOSS_REASONS:
        raise RenewalError(f"{quoted(reason_code)} is not a known churn or downsell reason.")
    if outcome in (RenewalOutcome.CHURNED, RenewalOutcome.DOWNSOLD) and reason_code is None:
        raise RenewalError(f"A {in_sentence(label_of(outcome))} renewal needs a reason.")
    old_value = contract.value_minor
    new_contract: Contract | None = None
    if outcome is RenewalOutcome.CHURNED:
        contract.status = ContractStatus.CHURNED
        change = -old_value
    else:
        value = old_value if request.value_minor is None else request.value_minor
        _check_value(outcome, old_value, value)
        terms = request.terms or _term_again(contract)
        if terms.end_date < terms.start_date:
            raise RenewalError("The new term must end after it starts.")
        if terms.notice_days < 0:
            raise RenewalError("The notice period cannot be negative.")
        new_contract = Contract(
            account_id=contract.account_id,
            name=contract.name,
            products=contract.products,
            value_minor=value,
            currency=contract.currency,
            **asdict(terms),
        )
        session.add(new_contract)
        contract.status = ContractStatus.RENEWED
        change = value - old_value
    session.flush()
    renewal.outcome = outcome
    renewal.outcome_on = on
    renewal.reason_code = reason_code
    renewal.reason = (request.reason or "").strip() or None
    renewal.new_contract_id = new_contract.id if new_contract else None
    _move_arr(session, contract, change)
    session.flush()
    return OutcomeResult(
        contract_id=contract.id,
        renewal_id=renewal.id,
        new_contract_id=renewal.new_contract_id,
        arr_change_minor=change,
    )


def _term_again(contract: Contract) -> Terms:
    """The old contract's term run again from the day after it ends."""
    start = contract.end_date + timedelta(days=1)
    end = add_months(start, term_months(contract)) - timedelta(days=1)
    return Terms(start, end, contract.notice_days, contract.auto_renew)


def _check_value(outcome: RenewalOutcome, old: int, new: int) -> None:
    if new < 0:
        raise RenewalError("The new annual value cannot be negative.")
    if outcome is RenewalOutcome.RENEWED and new != old:
        raise RenewalError("A renewal at a different value is an expansion or a downsell.")
    if outcome is RenewalOutcome.EXPANDED and new <= old:
        raise RenewalError("An expansion needs a higher annual value than the old contract.")
    if outcome is RenewalOutcome.DOWNSOLD and new >= old:
        raise RenewalError("A downsell needs a lower annual value than the old contract.")


def _move_arr(session: Session, contract: Contract, change: int) -> None:
    account = session.get(Account, contract.account_id)
    if account is not None and account.currency == contract.currency and change:
        account.arr_minor = max(0, account.arr_minor + change)


def revert_outcome(session: Session, contract_id: str) -> None:
    """Undo ``record_outcome``: drop the follow-on contract and reopen the renewal.

    Raises RenewalError when the follow-on contract has itself been renewed since.
    """
    contract = _contract(session, contract_id)
    renewal = _renewal_row(session, contract)
    if renewal.outcome is None:
        raise RenewalError("This renewal has no outcome to undo.")
    change = 0
    if renewal.new_contract_id is not None:
        follow_on = session.get(Contract, renewal.new_contract_id)
        if follow_on is not None:
            later = session.scalar(
                select(func.count())
                .select_from(Renewal)
                .where(Renewal.contract_id == follow_on.id, Renewal.outcome.is_not(None))
            )
            if later:
                raise RenewalError("The follow-on contract was renewed since; undo that first.")
            change = follow_on.value_minor - contract.value_minor
            renewal.new_contract_id = None
            session.flush()
            session.delete(follow_on)
    else:
        change = -contract.value_minor
    _move_arr(session, contract, -change)
    contract.status = ContractStatus.ACTIVE
    renewal.outcome = None
    renewal.outcome_on = None
    renewal.reason = None
    renewal.reason_code = None
    session.flush()
