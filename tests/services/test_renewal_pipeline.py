"""The renewal pipeline: quarter grouping, totals per forecast call, flags, the 120-day rule."""

from __future__ import annotations

from datetime import UTC, date, datetime

from app.models.enums import ForecastCategory, RenewalOutcome, Segment
from app.models.store import Store
from app.services import renewals
from app.services.renewal_dates import TouchRule
from app.services.renewal_pipeline import pipeline
from app.services.renewals import OutcomeRequest
from tests import renewal_book as book

TODAY = date(2026, 11, 23)


def _seed(store: Store) -> dict[str, str]:
    ids: dict[str, str] = {}
    with store.session() as session:
        acme = book.account(session, "Acme", owner="Ana")
        beta = book.account(session, "Beta", owner="Ben", segment=Segment.SMB)
        euro = book.account(session, "Euro", owner="Ana", currency="EUR")
        # Q4 2026 (the current quarter): two USD renewals.
        ids["q4_commit"] = book.contract(
            session, acme, date(2026, 1, 1), date(2026, 12, 31), 5_000_000
        ).id
        ids["q4_none"] = book.contract(
            session, beta, date(2026, 1, 1), date(2026, 12, 15), 1_000_000
        ).id
        # Q1 2027: one at risk, one EUR likely.
        ids["q1_risk"] = book.contract(
            session, beta, date(2026, 3, 1), date(2027, 2, 28), 2_000_000
        ).id
        ids["q1_eur"] = book.contract(
            session, euro, date(2026, 4, 1), date(2027, 3, 31), 3_000_000, currency="EUR"
        ).id
        # Q3 2027 and beyond the 4 quarters.
        ids["q3"] = book.contract(session, acme, date(2026, 9, 1), date(2027, 8, 31), 700_000).id
        ids["later"] = book.contract(
            session, acme, date(2027, 1, 1), date(2027, 12, 31), 900_000
        ).id
        # Overdue: ended in September without an outcome; and one already renewed.
        ids["overdue"] = book.contract(
            session, beta, date(2025, 10, 1), date(2026, 9, 30), 400_000
        ).id
        ids["done"] = book.contract(session, acme, date(2026, 1, 1), date(2026, 12, 20), 800_000).id
        # Auto-renewing contract that ended in June rolls to June 2027.
        ids["rolled"] = book.contract(
            session,
            euro,
            date(2025, 7, 1),
            date(2026, 6, 30),
            600_000,
            currency="EUR",
            auto_renew=True,
        ).id
        renewals.set_forecast(
            session, ids["q4_commit"], ForecastCategory.COMMIT, on=date(2026, 9, 15)
        )
        renewals.set_forecast(
            session, ids["q1_risk"], ForecastCategory.AT_RISK, likelihood=30, on=TODAY
        )
        renewals.set_forecast(session, ids["q1_eur"], ForecastCategory.LIKELY, on=date(2026, 5, 1))
        renewals.record_outcome(
            session, ids["done"], OutcomeRequest(RenewalOutcome.RENEWED), on=TODAY
        )
        # Acme was met on 1 October (inside Q4's 120-day window); Beta never.
        book.touchpoint(session, acme, datetime(2026, 10, 1, 9, tzinfo=UTC))
        # A planned meeting next week is not a touch yet.
        book.touchpoint(session, beta, datetime(2026, 11, 30, 9, tzinfo=UTC))
    return ids


def test_quarters_group_renewals_and_total_per_forecast(store: Store) -> None:
    ids = _seed(store)
    with store.read() as session:
        result = pipeline(session, TODAY)
    assert [q.label for q in result.quarters] == ["2026 Q4", "2027 Q1", "2027 Q2", "2027 Q3"]
    q4, q1, q2, q3 = result.quarters
    assert (q4.start, q4.end) == (date(2026, 10, 1), date(2026, 12, 31))
    assert [r.contract.contract_id for r in q4.rows] == [ids["q4_none"], ids["q4_commit"]]
    assert q4.totals == {
        "USD": {"commit": 5_000_000, "likely": 0, "at_risk": 0, "lost": 0, "none": 1_000_000}
    }
    assert q1.totals["USD"]["at_risk"] == 2_000_000
    assert q1.totals["EUR"]["likely"] == 3_000_000
    assert q1.at_risk_minor == {"USD": 2_000_000, "EUR": 0}
    assert [r.contract.contract_id for r in q2.rows] == [ids["rolled"]]
    assert q2.rows[0].renewal_on == date(2027, 6, 30)
    assert [r.contract.contract_id for r in q3.rows] == [ids["q3"]]
    assert all(r.contract.contract_id != ids["later"] for q in result.quarters for r in q.rows)
    assert [r.contract.contract_id for r in result.overdue] == [ids["overdue"]]
    totals = result.totals()
    assert totals["USD"] == {
        "commit": 5_000_000,
        "likely": 0,
        "at_risk": 2_000_000,
        "lost": 0,
        "none": 1_700_000,
    }
    assert result.at_risk_minor() == {"USD": 2_000_000, "EUR": 0}


def test_flags_renewals_past_a_checkpoint_without_a_call(store: Store) -> None:
    ids = _seed(store)
    with store.read() as session:
        result = pipeline(session, TODAY)
    flagged = {r.contract.contract_id for r in result.flagged()}
    # q4_none: past its 120/90/60 checkpoints with no call. q1_eur: called in May, before its
    # 120-day checkpoint (1 December): stale but that checkpoint has not passed yet.
    assert flagged == {ids["q4_none"], ids["overdue"]}
    q4 = result.quarters[0]
    by_id = {r.contract.contract_id: r for r in q4.rows}
    assert by_id[ids["q4_none"]].passed_checkpoint == 30
    assert by_id[ids["q4_commit"]].passed_checkpoint == 60
    assert by_id[ids["q4_commit"]].notice_on == date(2026, 10, 2)


def test_stale_call_is_flagged_once_the_window_opens(store: Store) -> None:
    ids = _seed(store)
    with store.read() as session:
        result = pipeline(session, date(2026, 12, 2))
    assert ids["q1_eur"] in {r.contract.contract_id for r in result.flagged()}


def test_120_day_rule(store: Store) -> None:
    ids = _seed(store)
    with store.read() as session:
        result = pipeline(session, TODAY)
    rows = {r.contract.contract_id: r for q in result.quarters for r in q.rows}
    assert rows[ids["q4_commit"]].touch_rule is TouchRule.MET
    assert rows[ids["q4_none"]].touch_rule is TouchRule.MISSING
    assert rows[ids["q1_risk"]].touch_rule is TouchRule.MISSING
    assert rows[ids["q3"]].touch_rule is TouchRule.NOT_DUE


def test_owner_filter(store: Store) -> None:
    ids = _seed(store)
    with store.read() as session:
        result = pipeline(session, TODAY, owner="Ben")
    listed = {r.contract.contract_id for q in result.quarters for r in q.rows}
    assert listed == {ids["q4_none"], ids["q1_risk"]}
    assert result.quarters[0].totals == {
        "USD": {"commit": 0, "likely": 0, "at_risk": 0, "lost": 0, "none": 1_000_000}
    }
