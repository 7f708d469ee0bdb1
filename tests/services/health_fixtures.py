"""Small hand-built health data for the health tests."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from app.models import Account, MetricSnapshot
from app.models.enums import Segment
from app.models.store import Store
from app.services.scorecards import MeasureSpec, ScorecardSpec, save_scorecard

ADOPTION = MeasureSpec("adoption", "Adoption", "Adoption", 60, "linear", 0, 100)
PULSE = MeasureSpec("pulse", "CSM pulse", "Sentiment", 40, "linear", 1, 5)
TWO_MEASURES = ScorecardSpec("Test", None, (ADOPTION, PULSE), 50, 75, red_caps_at_yellow=True)


def add_account(
    store: Store, name: str = "Acme", *, segment: Segment = Segment.MID_MARKET, arr: int = 0
) -> str:
    """A new account; returns its id."""
    with store.session() as session:
        account = Account(name=name, segment=segment, arr_minor=arr, currency="EUR")
        session.add(account)
        session.flush()
        return account.id


def add_weeks(store: Store, account_id: str, start: date, weeks: list[dict[str, Any]]) -> None:
    """One snapshot per week from ``start``, each with the given signal columns."""
    with store.session() as session:
        for i, values in enumerate(weeks):
            session.add(
                MetricSnapshot(account_id=account_id, as_of=start + timedelta(weeks=i), **values)
            )


def use_scorecard(store: Store, spec: ScorecardSpec = TWO_MEASURES) -> None:
    """Make ``spec`` the workspace's only scorecard."""
    with store.session() as session:
        save_scorecard(session, spec)


def declining_account(store: Store, weeks: int = 104, start: date = date(2024, 11, 25)) -> str:
    """A strategic account healthy for a year, then sliding: touches, escalations, renewal.

    Deterministic; returns the account id. Events: 8 QBRs (one a quarter), monthly calls,
    one escalation opened and closed, a contract ending, a champion leaving.
    """
    import math
    from datetime import datetime, time

    from app.models import Activity, Contract, Risk, Stakeholder
    from app.models.base import UTC
    from app.models.enums import ActivityKind, BuyingRole, RiskCategory

    acc = add_account(store, "Northwind Logistics", segment=Segment.STRATEGIC, arr=480_000_00)
    rows = []
    for i in range(weeks):
        decline = max(0.0, (i - 60) / (weeks - 60))
        wobble = math.sin(i / 3.0)
        rows.append(
            {
                "active_users": int(170 - 90 * decline + 6 * wobble),
                "licensed_users": 200,
                "tickets_new": int(2 + 9 * decline + (1 if wobble > 0.8 else 0)),
                "tickets_open": int(4 + 14 * decline),
                "tickets_p1": 1 if 80 <= i <= 86 else 0,
                "hours_to_resolve": 12 + 40 * decline,
                "nps": 40 - 70 * decline if i % 13 else None,
                "csat": 4.5 - 1.5 * decline,
                "days_since_touch": int(7 + 40 * decline),
                "executive_access": i < 75,
                "overdue_invoices_minor": int(12_000_00 * decline),
                "service_credits_minor": 0,
                "milestones_slipping": int(3 * decline),
                "pulse": 5 if decline < 0.2 else (3 if decline < 0.6 else 2),
            }
        )
    add_weeks(store, acc, start, rows)
    with store.session() as session:
        for q in range(8):
            day = start + timedelta(weeks=13 * q + 6)
            session.add(
                Activity(
                    account_id=acc,
                    kind=ActivityKind.QBR,
                    title=f"Q{q % 4 + 1} business review",
                    occurred_at=datetime.combine(day, time(10), UTC),
                )
            )
        for m in range(0, weeks, 4):
            day = start + timedelta(weeks=m + 1, days=2)
            session.add(
                Activity(
                    account_id=acc,
                    kind=ActivityKind.CALL,
                    title="Check-in call",
                    occurred_at=datetime.combine(day, time(15), UTC),
                )
            )
        session.add(
            Risk(
                account_id=acc,
                category=RiskCategory.SUPPORT,
                title="P1 outage in EU warehouse",
                is_escalation=True,
                opened_on=start + timedelta(weeks=80),
                closed_on=start + timedelta(weeks=87),
            )
        )
        session.add(
            Contract(
                account_id=acc,
                name="Platform 2025-26",
                start_date=start,
                end_date=start + timedelta(weeks=100),
                value_minor=480_000_00,
                currency="EUR",
            )
        )
        session.add(
            Stakeholder(
                account_id=acc,
                name="Maria Chen",
                role=BuyingRole.CHAMPION,
                departed=True,
                departed_on=start + timedelta(weeks=74),
            )
        )
    return acc
