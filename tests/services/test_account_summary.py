"""The account row keeps its latest health and next renewal in step with every change, in the
same transaction; the tree's roll-ups keep their results; one trend rule for everyone."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.models import Account, Contract, HealthScore
from app.models.enums import ContractStatus, HealthBand, RenewalOutcome
from app.models.store import Store
from app.services import accounts, health_scores, renewals, work_items
from app.services.account_summary import refresh_health, refresh_renewals
from app.services.health_trend import latest_trends, trend_of
from app.services.hierarchy import load_account_rows, rollup
from app.services.renewals import OutcomeRequest


def summary(store: Store, account_id: str) -> tuple[object, ...]:
    with store.read() as session:
        account = session.get(Account, account_id)
        assert account is not None
        return (
            account.health_score,
            account.health_band,
            account.health_trend,
            account.next_renewal,
        )


@pytest.fixture
def acme(store: Store) -> str:
    with store.session() as session:
        account = Account(name="Acme")
        session.add(account)
        session.flush()
        return account.id


def add_contract(store: Store, account_id: str, end: date, **kw: object) -> str:
    with store.session() as session:
        return work_items.create_item(
            session,
            "contract",
            {
                "account_id": account_id,
                "name": "Platform",
                "start_date": end - timedelta(days=365),
                "end_date": end,
                "value_minor": 100_000_00,
                **kw,
            },
        )


def test_contract_edits_move_the_next_renewal_in_the_same_unit_of_work(
    store: Store, acme: str
) -> None:
    later = add_contract(store, acme, date(2027, 6, 30))
    assert summary(store, acme)[3] == date(2027, 6, 30)
    sooner = add_contract(store, acme, date(2027, 1, 31))
    assert summary(store, acme)[3] == date(2027, 1, 31)
    with store.session() as session:
        work_items.update_item(session, "contract", sooner, {"end_date": date(2027, 3, 31)})
    assert summary(store, acme)[3] == date(2027, 3, 31)
    with store.session() as session:
        captured = work_items.delete_item(session, "contract", sooner)
    assert summary(store, acme)[3] == date(2027, 6, 30)
    with store.session() as session:
        work_items.restore_item(session, captured)
    assert summary(store, acme)[3] == date(2027, 3, 31)
    # A refused unit of work leaves the kept value as it was.
    with pytest.raises(RuntimeError), store.session() as session:
        work_items.update_item(session, "contract", later, {"end_date": date(2026, 12, 1)})
        raise RuntimeError("refused")
    assert summary(store, acme)[3] == date(2027, 3, 31)


def test_a_renewal_outcome_moves_the_next_renewal(store: Store, acme: str) -> None:
    contract = add_contract(store, acme, date(2027, 1, 31))
    with store.session() as session:
        renewals.record_outcome(
            session, contract, OutcomeRequest(RenewalOutcome.RENEWED), on=date(2027, 1, 10)
        )
    with store.read() as session:
        active = session.scalars(
            select(Contract.end_date).where(
                Contract.account_id == acme, Contract.status == ContractStatus.ACTIVE
            )
        ).all()
    assert summary(store, acme)[3] == min(active) > date(2027, 1, 31)


def test_scores_keep_the_latest_health_and_its_trend(store: Store, acme: str) -> None:
    start = date(2026, 1, 5)
    with store.session() as session:
        for week in range(20):
            score = 50.0 + week
            band = HealthBand.GREEN if score >= 65 else HealthBand.YELLOW
            session.add(
                HealthScore(
                    account_id=acme, as_of=start + timedelta(weeks=week), score=score, band=band
                )
            )
    score, band, trend, _renewal = summary(store, acme)
    assert (score, band) == (69.0, "green")
    # 90 days before week 19 is week 6 and 3 days: the score of week 6 (56) counts.
    assert trend == 13.0
    with store.read() as session:
        (row,) = load_account_rows(session)
        # One rule: the tree, the Health tab and the report agree.
        assert latest_trends(session)[acme] == trend
        assert accounts.health_trends(session) == {acme: trend}
        assert health_scores.latest_scores(session)[acme].trend_90d == trend
    assert (row.health_score, row.health_band, row.health_trend) == (69.0, HealthBand.GREEN, 13.0)


def test_refresh_functions_rebuild_the_summary_from_the_rows(store: Store, acme: str) -> None:
    add_contract(store, acme, date(2027, 6, 30))
    with store.session() as session:
        session.add(HealthScore(account_id=acme, as_of=date(2026, 5, 4), score=42, band="red"))
    with store.session() as session:
        session.get(Account, acme).next_renewal = None  # type: ignore[union-attr]
        session.get(Account, acme).health_score = None  # type: ignore[union-attr]
    with store.session() as session:
        refresh_renewals(session.connection())
        refresh_health(session.connection(), [acme])
    assert summary(store, acme) == (42.0, "red", None, date(2027, 6, 30))


def test_roll_ups_read_the_kept_values(store: Store) -> None:
    with store.session() as session:
        parent = Account(name="Globex", arr_minor=100)
        child = Account(name="Globex France", parent=parent, arr_minor=50)
        session.add_all([parent, child])
        session.flush()
        ids = parent.id, child.id
        session.add(HealthScore(account_id=child.id, as_of=date(2026, 5, 4), score=30, band="red"))
        session.add(
            Contract(
                account_id=child.id,
                name="Platform",
                start_date=date(2026, 1, 1),
                end_date=date(2027, 2, 28),
            )
        )
    with store.read() as session:
        totals = rollup(load_account_rows(session))
    assert totals[ids[0]].worst_band is HealthBand.RED
    assert totals[ids[0]].next_renewal == date(2027, 2, 28)
    assert totals[ids[0]].arr_in("USD") == 150


def test_trend_rule() -> None:
    day = date(2026, 6, 1)
    weekly = [(day - timedelta(weeks=n), 80.0 - n) for n in range(20, -1, -1)]
    # 90 days back from the latest lands between two weekly scores: the earlier one counts.
    assert trend_of(weekly) == 13.0  # 91 days back, 13 weeks
    assert trend_of(weekly, 30) == 5.0  # 35 days back
    assert trend_of(weekly[-5:]) is None  # not that far back
    assert trend_of([]) is None
    # A gap longer than the week of slack: no trend rather than a stale one.
    gappy = [(day - timedelta(days=120), 50.0), (day, 70.0)]
    assert trend_of(gappy) is None
