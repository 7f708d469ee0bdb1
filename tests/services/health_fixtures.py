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
