"""The renewal workflow: forecast calls, outcomes, follow-on contracts, checkpoints."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app.models import Account, Contract, Renewal
from app.models.enums import ContractStatus, ForecastCategory, RenewalOutcome
from app.models.store import Store
from app.services import renewals
from app.services.renewal_dates import Terms
from app.services.renewals import OutcomeRequest, RenewalError
from tests import renewal_book as book

TODAY = date(2026, 11, 23)


@pytest.fixture
def annual(store: Store) -> tuple[str, str]:
    """An account on 100,000 USD ARR with one annual contract ending 31 March 2027."""
    with store.session() as session:
        acc = book.account(session, "Acme", arr_minor=10_000_000)
        item = book.contract(session, acc, date(2026, 4, 1), date(2027, 3, 31), 10_000_000)
        return acc.id, item.id


def test_forecast_call_is_recorded_with_its_date(store: Store, annual: tuple[str, str]) -> None:
    _, contract_id = annual
    with store.session() as session:
        state = renewals.set_forecast(
            session,
            contract_id,
            ForecastCategory.AT_RISK,
            likelihood=40,
            next_step="  Exec call with the CFO ",
            on=TODAY,
        )
    assert (state.forecast, state.likelihood, state.forecast_on) == (
        ForecastCategory.AT_RISK,
        40,
        TODAY,
    )
    assert state.next_step == "Exec call with the CFO"
    with store.read() as session:
        assert session.scalar(select(func.count()).select_from(Renewal)) == 1


def test_likelihood_must_be_a_percentage(store: Store, annual: tuple[str, str]) -> None:
    with pytest.raises(RenewalError, match="percentage"), store.session() as session:
        renewals.set_forecast(session, annual[1], ForecastCategory.LIKELY, likelihood=120, on=TODAY)
    with store.read() as session:
        assert session.scalar(select(func.count()).select_from(Renewal)) == 0


@pytest.mark.parametrize(
    ("outcome", "value", "reason", "arr_after"),
    [
        (RenewalOutcome.RENEWED, None, None, 10_000_000),
        (RenewalOutcome.EXPANDED, 12_500_000, None, 12_500_000),
        (RenewalOutcome.DOWNSOLD, 7_000_000, "budget", 7_000_000),
    ],
)
def test_outcome_creates_the_follow_on_contract(
    store: Store,
    annual: tuple[str, str],
    outcome: RenewalOutcome,
    value: int | None,
    reason: str | None,
    arr_after: int,
) -> None:
    account_id, contract_id = annual
    with store.session() as session:
        result = renewals.record_outcome(
            session,
            contract_id,
            OutcomeRequest(
                outcome,
                value_minor=value,
                reason_code=reason,
                reason="Lost a department" if reason else None,
            ),
            on=date(2027, 3, 20),
        )
    assert result.new_contract_id is not None
    with store.read() as session:
        old = session.get(Contract, contract_id)
        new = session.get(Contract, result.new_contract_id)
        assert old is not None and new is not None
        assert old.status is ContractStatus.RENEWED
        assert new.status is ContractStatus.ACTIVE
        assert (new.start_date, new.end_date) == (date(2027, 4, 1), date(2028, 3, 31))
        assert new.value_minor == arr_after
        assert (new.account_id, new.currency, new.notice_days) == (account_id, "USD", 90)
        renewal = session.scalars(select(Renewal).where(Renewal.contract_id == contract_id)).one()
        assert renewal.outcome is outcome
        assert renewal.outcome_on == date(2027, 3, 20)
        assert renewal.new_contract_id == new.id
        assert renewal.reason_code == reason
        acc = session.get(Account, account_id)
        assert acc is not None and acc.arr_minor == arr_after
        state = renewals.renewal_state(session, new.id)
        assert state.renewed_from_id == contract_id
        assert state.outcome is None


def test_churn_creates_no_contract_and_keeps_the_reason(
    store: Store, annual: tuple[str, str]
) -> None:
    account_id, contract_id = annual
    with store.session() as session:
        result = renewals.record_outcome(
            session,
            contract_id,
            OutcomeRequest(
                RenewalOutcome.CHURNED, reason_code="competitor", reason="Moved to a cheaper tool"
            ),
            on=date(2027, 3, 1),
        )
    assert result.new_contract_id is None
    assert result.arr_change_minor == -10_000_000
    with store.read() as session:
        assert session.scalar(select(func.count()).select_from(Contract)) == 1
        old = session.get(Contract, contract_id)
        assert old is not None and old.status is ContractStatus.CHURNED
        renewal = session.scalars(select(Renewal)).one()
        assert (renewal.reason_code, renewal.reason) == ("competitor", "Moved to a cheaper tool")
        acc = session.get(Account, account_id)
        assert acc is not None and acc.arr_minor == 0


@pytest.mark.parametrize(
    ("outcome", "value", "reason", "message"),
    [
        (RenewalOutcome.CHURNED, None, None, "needs a reason"),
        (RenewalOutcome.DOWNSOLD, 5_000_000, None, "needs a reason"),
        (RenewalOutcome.DOWNSOLD, 12_000_000, "price", "lower annual value"),
        (RenewalOutcome.EXPANDED, 10_000_000, None, "higher annual value"),
        (RenewalOutcome.RENEWED, 11_000_000, None, "different value"),
        (RenewalOutcome.CHURNED, None, "aliens", "not a known"),
    ],
)
def test_inconsistent_outcomes_change_nothing(
    store: Store,
    annual: tuple[str, str],
    outcome: RenewalOutcome,
    value: int | None,
    reason: str | None,
    message: str,
) -> None:
    with pytest.raises(RenewalError, match=message), store.session() as session:
        renewals.record_outcome(
            session,
            annual[1],
            OutcomeRequest(outcome, value_minor=value, reason_code=reason),
            on=TODAY,
        )
    with store.read() as session:
        assert session.scalar(select(func.count()).select_from(Contract)) == 1
        assert session.scalar(select(func.count()).select_from(Renewal)) == 0


def test_outcome_twice_is_refused_and_forecast_becomes_history(
    store: Store, annual: tuple[str, str]
) -> None:
    with store.session() as session:
        renewals.record_outcome(
            session, annual[1], OutcomeRequest(RenewalOutcome.RENEWED), on=TODAY
        )
    with pytest.raises(RenewalError, match="already"), store.session() as session:
        renewals.record_outcome(
            session, annual[1], OutcomeRequest(RenewalOutcome.RENEWED), on=TODAY
        )
    with pytest.raises(RenewalError, match="history"), store.session() as session:
        renewals.set_forecast(session, annual[1], ForecastCategory.COMMIT, on=TODAY)


def test_new_terms_override_the_defaults(store: Store, annual: tuple[str, str]) -> None:
    with store.session() as session:
        result = renewals.record_outcome(
            session,
            annual[1],
            OutcomeRequest(
                RenewalOutcome.EXPANDED,
                value_minor=20_000_000,
                terms=Terms(date(2027, 4, 1), date(2029, 3, 31), notice_days=60, auto_renew=True),
            ),
            on=TODAY,
        )
        new = session.get(Contract, result.new_contract_id)
        assert new is not None
        assert (new.end_date, new.notice_days, new.auto_renew) == (date(2029, 3, 31), 60, True)


def test_revert_outcome_restores_everything(store: Store, annual: tuple[str, str]) -> None:
    account_id, contract_id = annual
    with store.session() as session:
        renewals.record_outcome(
            session,
            contract_id,
            OutcomeRequest(RenewalOutcome.EXPANDED, value_minor=15_000_000),
            on=TODAY,
        )
    with store.session() as session:
        renewals.revert_outcome(session, contract_id)
    with store.read() as session:
        assert session.scalar(select(func.count()).select_from(Contract)) == 1
        state = renewals.renewal_state(session, contract_id)
        assert state.status is ContractStatus.ACTIVE
        assert state.outcome is None and state.new_contract_id is None
        acc = session.get(Account, account_id)
        assert acc is not None and acc.arr_minor == 10_000_000


def test_checkpoint_offsets_are_configurable(store: Store) -> None:
    with store.read() as session:
        assert renewals.checkpoint_offsets(session) == (120, 90, 60, 30)
    with store.session() as session:
        assert renewals.set_checkpoint_offsets(session, (30, 180, 90)) == (180, 90, 30)
    with store.read() as session:
        assert renewals.checkpoint_offsets(session) == (180, 90, 30)
    with pytest.raises(RenewalError), store.session() as session:
        renewals.set_checkpoint_offsets(session, (0,))
