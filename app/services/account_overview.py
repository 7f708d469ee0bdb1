"""What an account's overview shows, read in one session: roll-ups, health, renewal, work."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Account, Contract, HealthScore
from app.models.enums import ContractStatus, HealthBand
from app.services import work_items
from app.services.health_scores import HealthPoint
from app.services.hierarchy import descendant_ids, rollup_revenue


@dataclass(frozen=True)
class NextRenewal:
    """The soonest active contract ending in the account's subtree, and whose it is."""

    end_date: date
    contract_name: str
    account_name: str


@dataclass
class OverviewFigures:
    """Plain values for the overview cards and lists (no ORM objects)."""

    revenue: dict[str, dict[str, int]] = field(default_factory=dict)
    health: HealthPoint | None = None
    renewal: NextRenewal | None = None
    open_risks: list[dict[str, Any]] = field(default_factory=list)
    open_tasks: list[dict[str, Any]] = field(default_factory=list)


def latest_health(session: Session, account_id: str) -> HealthPoint | None:
    """The account's most recent health score, if it has been scored."""
    row = session.execute(
        select(HealthScore.score, HealthScore.band, HealthScore.as_of)
        .where(HealthScore.account_id == account_id)
        .order_by(HealthScore.as_of.desc())
        .limit(1)
    ).first()
    return None if row is None else HealthPoint(row[2], float(row[0]), HealthBand(row[1]))


def next_renewal(session: Session, account_id: str, today: date) -> NextRenewal | None:
    """The next active contract to end on or after ``today`` in the account or below it."""
    subtree = [account_id, *descendant_ids(session, account_id)]
    row = session.execute(
        select(Contract.end_date, Contract.name, Account.name)
        .join(Account, Account.id == Contract.account_id)
        .where(
            Contract.account_id.in_(subtree),
            Contract.status == ContractStatus.ACTIVE,
            Contract.end_date >= today,
        )
        .order_by(Contract.end_date)
        .limit(1)
    ).first()
    return None if row is None else NextRenewal(row[0], row[1], row[2])


def overview_figures(session: Session, account_id: str, today: date) -> OverviewFigures:
    """Everything the overview shows besides the account's own fields."""
    risks = work_items.list_items(session, "risk", account_id)
    tasks = work_items.list_items(session, "task", account_id)
    return OverviewFigures(
        revenue=rollup_revenue(session, account_id),
        health=latest_health(session, account_id),
        renewal=next_renewal(session, account_id, today),
        open_risks=[r for r in risks if r["status"].value != "closed"],
        open_tasks=[t for t in tasks if not t["done"]],
    )
