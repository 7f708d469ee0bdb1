"""Small helpers that put accounts, contracts and touchpoints into a test workspace."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy.orm import Session

from app.models import Account, Activity, Contract, Goal, HealthScore, Milestone, SuccessPlan, Task
from app.models.enums import ActivityKind, HealthBand, Segment


def account(
    session: Session,
    name: str,
    *,
    owner: str | None = "Ana",
    segment: Segment = Segment.ENTERPRISE,
    currency: str = "USD",
    arr_minor: int = 0,
) -> Account:
    acc = Account(name=name, owner=owner, segment=segment, currency=currency, arr_minor=arr_minor)
    session.add(acc)
    session.flush()
    return acc


def contract(
    session: Session,
    acc: Account,
    start: date,
    end: date,
    value_minor: int,
    *,
    notice_days: int = 90,
    auto_renew: bool = False,
    currency: str = "USD",
    name: str = "Platform",
) -> Contract:
    item = Contract(
        account_id=acc.id,
        name=name,
        start_date=start,
        end_date=end,
        value_minor=value_minor,
        currency=currency,
        notice_days=notice_days,
        auto_renew=auto_renew,
    )
    session.add(item)
    session.flush()
    return item


def touchpoint(
    session: Session,
    acc: Account,
    at: datetime,
    *,
    title: str = "Check-in call",
    kind: ActivityKind = ActivityKind.CALL,
    meaningful: bool = True,
) -> Activity:
    item = Activity(
        account_id=acc.id,
        kind=kind,
        title=title,
        occurred_at=at if at.tzinfo else at.replace(tzinfo=UTC),
        duration_minutes=45,
        meaningful=meaningful,
    )
    session.add(item)
    session.flush()
    return item


def task(session: Session, acc: Account, due: date, *, title: str = "Send proposal") -> Task:
    item = Task(account_id=acc.id, title=title, due_on=due, owner=acc.owner)
    session.add(item)
    session.flush()
    return item


def milestone(session: Session, acc: Account, due: date, *, title: str = "Go-live") -> Milestone:
    plan = SuccessPlan(account_id=acc.id, title="Plan")
    goal = Goal(title="Adopt", plan=plan)
    item = Milestone(title=title, due_on=due, goal=goal)
    session.add_all([plan, goal, item])
    session.flush()
    return item


def health(session: Session, acc: Account, as_of: date, band: HealthBand, score: float) -> None:
    session.add(HealthScore(account_id=acc.id, as_of=as_of, score=score, band=band))
    session.flush()
