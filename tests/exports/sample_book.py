"""A small, realistic book of accounts for export tests (and for looking at the output)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy.orm import Session

from app.models import (
    Account,
    Contract,
    Goal,
    HealthScore,
    MetricSnapshot,
    Milestone,
    Opportunity,
    Renewal,
    Risk,
    Stakeholder,
    SuccessPlan,
    Task,
    WorkspaceMeta,
)
from app.models.enums import (
    BuyingRole,
    ForecastCategory,
    GoalStatus,
    HealthBand,
    MilestoneStatus,
    OpportunityKind,
    RiskCategory,
    Segment,
    Severity,
)
from app.services.private_notes import set_note

TODAY = date(2026, 11, 20)

#: Words that must never reach a customer deck; each sits in an internal-only field below.
PRIVATE_NOTE = "Privately thinks our pricing is a joke"
INTERNAL_RISK_NOTE = "Legal says penalty clause exposure"


def band_of(score: float) -> HealthBand:
    """The default scorecard's bands."""
    return HealthBand.RED if score < 50 else HealthBand.GREEN if score >= 75 else HealthBand.YELLOW


def add_account(
    session: Session,
    name: str,
    *,
    parent: Account | None = None,
    arr: int = 250_000_00,
    owner: str = "Dana Whitfield",
    weeks: int = 30,
    start_score: float = 60.0,
    seed: int = 1,
    full: bool = True,
) -> Account:
    """One account with weekly health and metrics; ``full`` adds plan, risks, people, renewal."""
    rng = random.Random(seed)
    account = Account(
        name=name,
        parent=parent,
        owner=owner,
        segment=Segment.ENTERPRISE,
        industry="Logistics",
        currency="USD",
        arr_minor=arr,
        baseline_revenue_minor=arr,
        forecast_revenue_minor=arr // 10,
        licences=400,
    )
    session.add(account)
    session.flush()
    score = start_score
    for week in range(weeks):
        as_of = TODAY - timedelta(weeks=weeks - 1 - week)
        score = max(5.0, min(98.0, score + rng.uniform(-3, 4.5)))
        session.add(
            HealthScore(
                account_id=account.id, as_of=as_of, score=round(score, 1), band=band_of(score)
            )
        )
        session.add(
            MetricSnapshot(
                account_id=account.id,
                as_of=as_of,
                active_users=200 + week * 4 + rng.randint(-5, 5),
                licensed_users=400,
                tickets_new=rng.randint(2, 9),
                tickets_open=rng.randint(3, 12),
                tickets_p1=rng.randint(0, 2),
                hours_to_resolve=round(rng.uniform(8, 30), 1),
                csat=round(rng.uniform(3.8, 4.7), 1),
                nps=30.0,
            )
        )
    if not full:
        return account
    plan = SuccessPlan(account_id=account.id, title="2026 success plan")
    session.add(plan)
    session.flush()
    goals = [
        ("Cut freight booking time by 30%", GoalStatus.ON_TRACK),
        ("Roll out to the Rotterdam hub", GoalStatus.AT_RISK),
        ("Self-service reporting for finance", GoalStatus.ACHIEVED),
    ]
    for position, (title, status) in enumerate(goals):
        goal = Goal(
            plan_id=plan.id,
            title=title,
            status=status,
            position=position,
            target_on=TODAY + timedelta(days=60 + 30 * position),
        )
        session.add(goal)
        session.flush()
        for index, m_status in enumerate(
            (
                MilestoneStatus.DONE,
                MilestoneStatus.DONE,
                MilestoneStatus.SLIPPING if position == 1 else MilestoneStatus.PLANNED,
            )
        ):
            session.add(
                Milestone(
                    goal_id=goal.id,
                    title=f"{title.split()[0]} step {index + 1}",
                    due_on=TODAY + timedelta(days=-40 + 30 * index),
                    owner="Sam Ortiz",
                    status=m_status,
                    done_on=TODAY - timedelta(days=20 + index)
                    if m_status is MilestoneStatus.DONE
                    else None,
                )
            )
    session.add_all(
        [
            Risk(
                account_id=account.id,
                category=RiskCategory.IMPLEMENTATION,
                title="Rotterdam integration behind plan",
                severity=Severity.HIGH,
                owner="Sam Ortiz",
                mitigation="Weekly integration stand-up with IT",
                opened_on=TODAY - timedelta(days=30),
                due_on=TODAY + timedelta(days=21),
                internal_notes=INTERNAL_RISK_NOTE,
                shared=True,
            ),
            Risk(
                account_id=account.id,
                category=RiskCategory.SENTIMENT,
                title="CFO unconvinced of value",
                severity=Severity.CRITICAL,
                owner="Dana Whitfield",
                mitigation="Executive value review in January",
                opened_on=TODAY - timedelta(days=12),
            ),
        ]
    )
    people = [
        ("Maria Jensen", "COO", BuyingRole.ECONOMIC_BUYER, 1, 5, True, None),
        ("Tom Becker", "Head of Logistics IT", BuyingRole.CHAMPION, 2, 4, False, None),
        ("Erik Olsen", "CFO", BuyingRole.BLOCKER, -2, 5, False, PRIVATE_NOTE),
    ]
    for name_, title, role, sentiment, influence, sponsor, notes in people:
        person = Stakeholder(
            account_id=account.id,
            name=name_,
            title=title,
            role=role,
            sentiment=sentiment,
            influence=influence,
            is_executive_sponsor=sponsor,
        )
        session.add(person)
        if notes is not None:
            session.flush()
            set_note(session, person.id, notes)
    contract = Contract(
        account_id=account.id,
        name="Platform subscription",
        start_date=date(2024, 4, 1),
        end_date=date(2027, 3, 31),
        value_minor=arr,
        currency="USD",
        notice_days=90,
    )
    session.add(contract)
    session.flush()
    session.add(
        Renewal(
            contract_id=contract.id,
            forecast=ForecastCategory.COMMIT,
            likelihood=80,
            next_step="Send renewal quote",
        )
    )
    session.add_all(
        [
            Task(
                account_id=account.id,
                title="Share Rotterdam cut-over plan",
                owner="Sam Ortiz",
                due_on=TODAY + timedelta(days=10),
            ),
            Task(
                account_id=account.id,
                title="Book executive value review",
                owner="Dana Whitfield",
                due_on=TODAY + timedelta(days=25),
            ),
            Task(
                account_id=account.id,
                title="Finance reporting training",
                owner="Maria Jensen",
                due_on=TODAY + timedelta(days=40),
            ),
        ]
    )
    session.add(
        Opportunity(
            account_id=account.id,
            kind=OpportunityKind.UPSELL,
            title="Analytics add-on",
            value_minor=60_000_00,
        )
    )
    return account


def build_book(session: Session) -> dict[str, str]:
    """A parent with two subsidiaries and a bare account; returns names -> ids."""
    session.add(WorkspaceMeta(key="company", value="Northwind Success Ltd"))
    parent = add_account(session, "Acme Logistics", arr=900_000_00, seed=1, start_score=55)
    europe = add_account(
        session, "Acme Europe", parent=parent, arr=300_000_00, seed=2, start_score=45
    )
    add_account(session, "Acme Rotterdam", parent=europe, arr=120_000_00, seed=3, full=False)
    bare = Account(name="Blank Corp", owner="Lee Park", currency="EUR", arr_minor=50_000_00)
    session.add(bare)
    session.flush()
    return {a.name: a.id for a in (parent, europe, bare)}
