"""Read the QBR facts of one account for one quarter, in one session (tuple queries)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from sqlalchemy import func, select
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
    ContractStatus,
    GoalStatus,
    HealthBand,
    MilestoneStatus,
    OpportunityStage,
    RiskCategory,
    RiskStatus,
    Severity,
)
from app.services import private_notes
from app.services.health_scores import HealthPoint
from app.services.qbr_departures import gather_departures
from app.services.qbr_facts import (
    HISTORY_WEEKS,
    GoalLine,
    MilestoneLine,
    NextStep,
    OpportunityLine,
    QbrContent,
    Quarter,
    RenewalFacts,
    RiskLine,
    StakeholderLine,
    SupportFigures,
    TicketPoint,
    UsagePoint,
)
from app.services.renewal_dates import deadline_before
from app.services.stakeholder_graph import load_map
from app.services.surveys import nps_of_latest_week


def accounts_for_qbr(
    session: Session, *, owner: str | None = None, account_ids: Sequence[str] | None = None
) -> list[tuple[str, str]]:
    """(id, name) of the accounts a batch of QBRs covers: an owner's, a selection, or all."""
    query = select(Account.id, Account.name).order_by(Account.name)
    if owner:
        query = query.where(func.lower(Account.owner) == owner.strip().lower())
    if account_ids is not None:
        query = query.where(Account.id.in_(list(account_ids)))
    return [(row[0], row[1]) for row in session.execute(query)]


def gather_qbr(session: Session, account_id: str, quarter: Quarter, today: date) -> QbrContent:
    """Read everything the QBR needs for ``account_id`` with a handful of tuple queries.

    Raises LookupError when the account does not exist.
    """
    head = session.execute(
        select(
            Account.name,
            Account.owner,
            Account.segment,
            Account.industry,
            Account.currency,
            Account.arr_minor,
            Account.licences,
        ).where(Account.id == account_id)
    ).first()
    if head is None:
        raise LookupError(f"No account with id {account_id}.")
    name, owner, segment, industry, currency, arr, licences = head
    content = QbrContent(
        account_id=account_id,
        account=name,
        owner=owner,
        segment=str(segment) if segment is not None else "",
        industry=industry,
        currency=currency,
        arr_minor=arr or 0,
        licences=licences,
        quarter=quarter,
        today=today,
    )
    from app.services.hierarchy import rollup_revenue

    content.arr_with_children_minor = (
        rollup_revenue(session, account_id).get(currency, {}).get("arr_minor", content.arr_minor)
    )
    horizon = min(today, quarter.end)
    since = horizon - timedelta(weeks=HISTORY_WEEKS)
    content.health = [
        HealthPoint(as_of, float(score), HealthBand(band))
        for as_of, score, band in session.execute(
            select(HealthScore.as_of, HealthScore.score, HealthScore.band)
            .where(
                HealthScore.account_id == account_id,
                HealthScore.as_of > since,
                HealthScore.as_of <= horizon,
            )
            .order_by(HealthScore.as_of)
        )
    ]
    _gather_metrics(session, content, since, horizon)
    _gather_plan(session, content)
    _gather_risks_and_steps(session, content)
    _gather_renewal(session, content)
    _gather_people(session, content)
    gather_departures(session, content)
    imap = load_map(session, account_id, today=today)
    content.influence_map = imap if imap.people else None
    content.company = company_name(session)
    return content


def company_name(session: Session) -> str:
    """Our company as the workspace records it (``company`` in workspace meta), else empty."""
    value = session.execute(
        select(WorkspaceMeta.value).where(WorkspaceMeta.key == "company")
    ).scalar_one_or_none()
    return value or ""


def _gather_metrics(session: Session, content: QbrContent, since: date, horizon: date) -> None:
    rows = session.execute(
        select(
            MetricSnapshot.as_of,
            MetricSnapshot.active_users,
            MetricSnapshot.licensed_users,
            MetricSnapshot.tickets_new,
            MetricSnapshot.tickets_open,
            MetricSnapshot.tickets_p1,
            MetricSnapshot.hours_to_resolve,
            MetricSnapshot.csat,
            MetricSnapshot.nps,
        )
        .where(
            MetricSnapshot.account_id == content.account_id,
            MetricSnapshot.as_of > since,
            MetricSnapshot.as_of <= horizon,
        )
        .order_by(MetricSnapshot.as_of)
    ).all()
    content.usage = [
        UsagePoint(as_of, active, licensed)
        for as_of, active, licensed, *_ in rows
        if active is not None
    ]
    content.tickets = [
        TicketPoint(row[0], row[3], row[4])
        for row in rows
        if row[3] is not None or row[4] is not None
    ]
    if not rows:
        return
    quarter = content.quarter

    def latest(index: int) -> object:
        for row in reversed(rows):
            if row[index] is not None:
                return row[index]
        return None

    new_in_quarter = [
        row[3] for row in rows if row[3] is not None and quarter.start <= row[0] <= quarter.end
    ]
    support = SupportFigures(
        tickets_open=_int_or_none(latest(4)),
        tickets_p1=_int_or_none(latest(5)),
        tickets_new_in_quarter=sum(new_in_quarter) if new_in_quarter else None,
        hours_to_resolve=_float_or_none(latest(6)),
        csat=_float_or_none(latest(7)),
        nps=_survey_nps(session, content.account_id, horizon, _float_or_none(latest(8))),
    )
    if any(value is not None for value in vars(support).values()):
        content.support = support


def _survey_nps(
    session: Session, account_id: str, horizon: date, weekly: float | None
) -> float | None:
    """The NPS the Health tab and the report show: the survey answers' (the weekly figure
    where the account has no answers in the year)."""
    survey = nps_of_latest_week(session, [account_id], horizon).get(account_id)
    return weekly if survey is None or survey.nps is None else survey.nps


def _gather_plan(session: Session, content: QbrContent) -> None:
    goals = session.execute(
        select(SuccessPlan.title, Goal.id, Goal.title, Goal.status, Goal.target_on, Goal.shared)
        .join(Goal, Goal.plan_id == SuccessPlan.id)
        .where(SuccessPlan.account_id == content.account_id)
        .order_by(SuccessPlan.created_at, Goal.position, Goal.title)
    ).all()
    if not goals:
        return
    milestones: dict[str, list[MilestoneLine]] = {}
    for milestone_id, goal_id, title, due_on, owner, status, done_on, shared in session.execute(
        select(
            Milestone.id,
            Milestone.goal_id,
            Milestone.title,
            Milestone.due_on,
            Milestone.owner,
            Milestone.status,
            Milestone.done_on,
            Milestone.shared,
        )
        .where(Milestone.goal_id.in_([g[1] for g in goals]))
        .order_by(Milestone.due_on)
    ):
        milestones.setdefault(goal_id, []).append(
            MilestoneLine(
                title, due_on, owner, MilestoneStatus(status), done_on, bool(shared), milestone_id
            )
        )
    content.goals = [
        GoalLine(
            plan,
            title,
            GoalStatus(status),
            target,
            tuple(milestones.get(goal_id, ())),
            bool(shared),
            goal_id,
        )
        for plan, goal_id, title, status, target, shared in goals
    ]


_SEVERITY_ORDER = {Severity.CRITICAL: 0, Severity.HIGH: 1, Severity.MEDIUM: 2, Severity.LOW: 3}


def _gather_risks_and_steps(session: Session, content: QbrContent) -> None:
    risks = [
        RiskLine(
            title=title,
            category=RiskCategory(category),
            severity=Severity(severity),
            status=RiskStatus(status),
            owner=owner,
            mitigation=mitigation,
            due_on=due_on,
            is_escalation=bool(escalation),
            description=description,
            internal_notes=notes,
            shared=bool(shared),
            id=risk_id,
        )
        for risk_id, title, category, severity, status, owner, mitigation, due_on, escalation, description, notes, shared in session.execute(  # noqa: E501
            select(
                Risk.id,
                Risk.title,
                Risk.category,
                Risk.severity,
                Risk.status,
                Risk.owner,
                Risk.mitigation,
                Risk.due_on,
                Risk.is_escalation,
                Risk.description,
                Risk.internal_notes,
                Risk.shared,
            ).where(Risk.account_id == content.account_id, Risk.status != RiskStatus.CLOSED)
        )
    ]
    risks.sort(key=lambda r: (_SEVERITY_ORDER[r.severity], r.due_on or date.max, r.title))
    content.risks = risks
    today = content.today
    for task_id, title, owner, due_on, shared in session.execute(
        select(Task.id, Task.title, Task.owner, Task.due_on, Task.shared)
        .where(Task.account_id == content.account_id, Task.done.is_(False))
        .order_by(Task.due_on.is_(None), Task.due_on, Task.title)
    ):
        overdue = due_on is not None and due_on < today
        step = NextStep(title, owner, due_on, overdue, bool(shared), task_id)
        (content.overdue_steps if overdue else content.next_steps).append(step)


def _gather_renewal(session: Session, content: QbrContent) -> None:
    row = session.execute(
        select(
            Contract.name,
            Contract.end_date,
            Contract.value_minor,
            Contract.currency,
            Contract.auto_renew,
            Contract.notice_days,
            Renewal.forecast,
            Renewal.likelihood,
            Renewal.next_step,
        )
        .outerjoin(Renewal, Renewal.contract_id == Contract.id)
        .where(
            Contract.account_id == content.account_id,
            Contract.status == ContractStatus.ACTIVE,
            Contract.end_date >= content.today,
        )
        .order_by(Contract.end_date)
        .limit(1)
    ).first()
    if row is None:
        return
    name, end, value, currency, auto, notice, forecast, likelihood, step = row
    content.renewal = RenewalFacts(
        contract=name,
        end_date=end,
        value_minor=value or 0,
        currency=currency,
        auto_renew=bool(auto),
        notice_days=notice or 0,
        forecast=None if forecast is None else str(forecast),
        likelihood=likelihood,
        next_step=step,
        notice_by=deadline_before(end, notice or 0) if notice else None,
    )


def _gather_people(session: Session, content: QbrContent) -> None:
    people = session.execute(
        select(
            Stakeholder.id,
            Stakeholder.name,
            Stakeholder.title,
            Stakeholder.role,
            Stakeholder.sentiment,
            Stakeholder.influence,
            Stakeholder.is_executive_sponsor,
        )
        .where(Stakeholder.account_id == content.account_id, Stakeholder.departed.is_(False))
        .order_by(Stakeholder.influence.desc(), Stakeholder.name)
    ).all()
    # The internal deck shows the user's own private notes (never anyone else's).
    notes = private_notes.notes_of(session, (row.id for row in people))
    content.stakeholders = [
        StakeholderLine(
            name,
            title,
            None if role is None else str(role),
            sentiment or 0,
            influence or 3,
            bool(sponsor),
            notes.get(sid),
        )
        for sid, name, title, role, sentiment, influence, sponsor in people
    ]
    content.opportunities = [
        OpportunityLine(title, str(kind), value or 0, currency, str(stage))
        for title, kind, value, currency, stage in session.execute(
            select(
                Opportunity.title,
                Opportunity.kind,
                Opportunity.value_minor,
                Opportunity.currency,
                Opportunity.stage,
            ).where(
                Opportunity.account_id == content.account_id,
                Opportunity.stage.not_in([OpportunityStage.WON, OpportunityStage.LOST]),
            )
        )
    ]


def _int_or_none(value: object) -> int | None:
    return None if value is None else int(value)  # type: ignore[call-overload]


def _float_or_none(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]
