"""Demo CSM work: touchpoints with minutes, follow-up tasks, risks, success plans, opportunities."""

from __future__ import annotations

from datetime import UTC, date, time, timedelta

from app.models.enums import (
    ActivityKind,
    GoalStatus,
    MilestoneStatus,
    OpportunityKind,
    OpportunityStage,
    RiskCategory,
    RiskStatus,
    Severity,
)
from app.services.demo import words
from app.services.demo.accounts import AccountPlan
from app.services.demo.context import DemoContext
from app.services.demo.people import PeopleFacts
from app.services.labels import in_sentence, label_of
from app.services.touchpoint_time import touchpoint_start
from app.services.visibility import risk_shared_by_default, task_shared_by_default

#: Touches this recent become Activity rows with attendees and minutes.
ACTIVITY_DAYS = 180
KIND_WEIGHTS = {
    "call": 34,
    "meeting": 22,
    "email": 12,
    "on_site": 5,
    "workshop": 5,
    "training": 5,
    "obr": 5,
    "cbr": 3,
}
REVIEW_KINDS = (ActivityKind.QBR, ActivityKind.EBR)
#: Width of the random draw that picks a risk's mitigation (kept from the older demo).
MITIGATION_DRAW = 6


def write_activities(
    ctx: DemoContext, plan: AccountPlan, people: PeopleFacts, touches: list[date]
) -> None:
    """Recent touches as activities, about half with follow-up tasks."""
    rng = ctx.rng
    horizon = ctx.days_ago(ACTIVITY_DAYS)
    last_review: date | None = None
    for day in touches:
        if day < horizon:
            continue
        if plan.segment.value in ("strategic", "enterprise") and (
            last_review is None or (day - last_review).days > 85
        ):
            kind = rng.choice(REVIEW_KINDS)
            last_review = day
        else:
            kind = ActivityKind(ctx.pick_weighted(KIND_WEIGHTS))
        topic, other_topic = rng.sample(words.TOPICS, 2)
        at = time(rng.randint(8, 16), rng.choice((0, 30)))
        # Emails land on a day; calls, meetings and reviews are held at a time of day.
        occurred, all_day = touchpoint_start(day, None if kind is ActivityKind.EMAIL else at, UTC)
        activity_id = ctx.new_id()
        title = f"{label_of(kind)}: {topic}"
        next_step = rng.choice(words.NEXT_STEPS)
        ctx.emit(
            "activity",
            {
                "id": activity_id,
                "account_id": plan.id,
                "kind": kind,
                "title": title[:200],
                "occurred_at": occurred,
                "all_day": all_day,
                "duration_minutes": None
                if kind is ActivityKind.EMAIL
                else rng.choice((30, 45, 60, 90)),
                "minutes": None
                if kind is ActivityKind.EMAIL
                else (
                    f"Discussed {topic}. {other_topic[0].upper()}{other_topic[1:]} raised too. "
                    f"Next: {in_sentence(next_step)}."
                ),
                "meaningful": kind is not ActivityKind.EMAIL or rng.random() < 0.3,
                "shared": True,
                "created_at": occurred,
                "updated_at": occurred,
            },
        )
        pool = [s for s in people.present if s != people.champion_id]
        attendees = rng.sample(pool, min(len(pool), rng.randint(1, 3)))
        if people.champion_id and rng.random() < 0.6:
            attendees.append(people.champion_id)
        for stakeholder in attendees:
            ctx.emit(
                "activity_attendee", {"activity_id": activity_id, "stakeholder_id": stakeholder}
            )
        if rng.random() < 0.5:
            due = day + timedelta(days=rng.randint(2, 21))
            _task(ctx, plan, next_step, due, activity_id=activity_id)
    # Every book has something due today and this week.
    if rng.random() < 0.05:
        _task(ctx, plan, rng.choice(words.NEXT_STEPS), ctx.today)
    if rng.random() < 0.25:
        _task(
            ctx, plan, rng.choice(words.NEXT_STEPS), ctx.today + timedelta(days=rng.randint(1, 6))
        )


def _task(
    ctx: DemoContext,
    plan: AccountPlan,
    title: str,
    due: date,
    *,
    activity_id: str | None = None,
    risk_id: str | None = None,
) -> None:
    rng = ctx.rng
    # Old follow-ups were nearly all closed; a few recent ones slipped (a CSM's real backlog).
    closed_share = 0.995 if due < ctx.today - timedelta(days=45) else 0.75
    done = (due < ctx.today and rng.random() < closed_share) or (
        due >= ctx.today and rng.random() < 0.1
    )
    created = min(due, ctx.today) - timedelta(days=rng.randint(1, 14))
    done_day = min(ctx.today, due + timedelta(days=rng.randint(-3, 2)))
    ctx.emit(
        "task",
        {
            "id": ctx.new_id(),
            "account_id": plan.id,
            "activity_id": activity_id,
            "risk_id": risk_id,
            "title": title,
            "shared": task_shared_by_default(risk_id=risk_id),
            "due_on": due,
            "owner": plan.owner,
            "done": done,
            "done_at": ctx.stamp(max(created, done_day), 17) if done else None,
            "created_at": ctx.stamp(created),
            "updated_at": ctx.stamp(done_day if done else created),
        },
    )


def write_risks(ctx: DemoContext, plan: AccountPlan, people: PeopleFacts) -> None:
    """Open and closed risks; weak accounts carry more, the worst escalated."""
    rng = ctx.rng
    weak = plan.profile in ("declining", "struggling")
    count = rng.choice((1, 1, 2, 3)) if weak else (1 if rng.random() < 0.3 else 0)
    categories = list(RiskCategory)
    if people.departed_on is not None:
        count += 1
    for index in range(count):
        if index == count - 1 and people.departed_on is not None:
            category = RiskCategory.SENTIMENT
            title = words.CHAMPION_LEFT
            opened = people.departed_on
        else:
            category = rng.choice(categories)
            title = rng.choice(words.RISK_TITLES[category.value])
            opened = ctx.days_ago(rng.randint(3, 300))
        severity = Severity(
            ctx.pick_weighted(
                {"low": 15, "medium": 35, "high": 35, "critical": 15}
                if weak
                else {"low": 40, "medium": 45, "high": 12, "critical": 3}
            )
        )
        closed = (ctx.today - opened).days > 60 and rng.random() < 0.5
        status = (
            RiskStatus.CLOSED
            if closed
            else RiskStatus(
                ctx.pick_weighted(
                    {
                        "open": 40,
                        "mitigating": 40,
                        "escalated": 20 if severity in (Severity.HIGH, Severity.CRITICAL) else 0,
                    }
                )
            )
        )
        closed_on = (
            opened + timedelta(days=rng.randint(7, (ctx.today - opened).days)) if closed else None
        )
        risk_id = ctx.new_id()
        ctx.emit(
            "risk",
            {
                "id": risk_id,
                "account_id": plan.id,
                "category": category,
                "title": title,
                "shared": risk_shared_by_default(category),
                "description": f"{title} at {plan.name}.",
                "severity": severity,
                "status": status,
                "is_escalation": status is RiskStatus.ESCALATED or severity is Severity.CRITICAL,
                "owner": plan.owner,
                "mitigation": _mitigation(ctx, title),
                "root_cause": "Budget pressure after a reorganisation." if closed else None,
                "internal_notes": None,
                "opened_on": opened,
                "due_on": opened + timedelta(days=rng.randint(14, 90)),
                "closed_on": closed_on,
                "created_at": ctx.stamp(opened),
                "updated_at": ctx.stamp(closed_on or opened),
            },
        )
        if not closed and rng.random() < 0.6:
            _task(
                ctx,
                plan,
                f"Mitigate: {in_sentence(title)}",
                ctx.today + timedelta(days=rng.randint(-10, 14)),
                risk_id=risk_id,
            )


def _mitigation(ctx: DemoContext, title: str) -> str:
    """What we do about the risk ``title``: one of the mitigations that fit it.

    The draw is the one-of-six the demo always made, so every seed's book is otherwise the
    same as before (tests and screenshots pick accounts by seed).
    """
    options = words.MITIGATIONS[title]
    return options[ctx.rng.randrange(MITIGATION_DRAW) % len(options)]


def write_plan(ctx: DemoContext, plan: AccountPlan) -> None:
    """A success plan with goals and dated milestones; weak accounts have slipping ones."""
    rng = ctx.rng
    if rng.random() < 0.2:
        return
    plan_id = ctx.new_id()
    started = ctx.days_ago(rng.randint(60, 400))
    ctx.emit(
        "success_plan",
        {
            "id": plan_id,
            "account_id": plan.id,
            "title": f"{plan.name} success plan",
            "summary": "Business outcomes agreed with the executive sponsor.",
            "created_at": ctx.stamp(started),
            "updated_at": ctx.stamp(ctx.days_ago(rng.randint(0, 40))),
        },
    )
    weak = plan.profile in ("declining", "struggling")
    for position, (goal, steps) in enumerate(rng.sample(words.GOALS, rng.randint(1, 3))):
        goal_id = ctx.new_id()
        target = started + timedelta(days=rng.randint(120, 540))
        statuses: list[MilestoneStatus] = []
        milestone_rows = []
        due = started
        for step in steps:
            due = due + timedelta(days=rng.randint(20, 90))
            if due < ctx.today:
                slipping = rng.random() < (0.35 if weak else 0.08)
                status = MilestoneStatus.SLIPPING if slipping else MilestoneStatus.DONE
            else:
                status = (
                    MilestoneStatus.IN_PROGRESS
                    if not statuses or statuses[-1] is MilestoneStatus.DONE
                    else MilestoneStatus.PLANNED
                )
            statuses.append(status)
            milestone_rows.append(
                {
                    "id": ctx.new_id(),
                    "goal_id": goal_id,
                    "title": step,
                    "due_on": due,
                    "owner": plan.owner if rng.random() < 0.5 else "Customer project lead",
                    "status": status,
                    "shared": True,
                    "done_on": due - timedelta(days=rng.randint(0, 10))
                    if status is MilestoneStatus.DONE
                    else None,
                }
            )
        if all(s is MilestoneStatus.DONE for s in statuses):
            goal_status = GoalStatus.ACHIEVED
        elif MilestoneStatus.SLIPPING in statuses:
            goal_status = GoalStatus.MISSED if target < ctx.today else GoalStatus.AT_RISK
        elif MilestoneStatus.DONE in statuses:
            goal_status = GoalStatus.ON_TRACK
        else:
            goal_status = GoalStatus.NOT_STARTED
        ctx.emit(
            "goal",
            {
                "id": goal_id,
                "plan_id": plan_id,
                "title": goal,
                "outcome": f"Measured at the next business review: {in_sentence(goal)}.",
                "status": goal_status,
                "target_on": target,
                "position": position,
                "shared": True,
            },
        )
        for row in milestone_rows:
            ctx.emit("milestone", row)


def write_opportunities(ctx: DemoContext, plan: AccountPlan) -> None:
    """Up-sell, cross-sell and MACD openings, some already handed to sales."""
    rng = ctx.rng
    weak = plan.profile in ("declining", "struggling")
    for _ in range(rng.choice((0, 0, 1, 1, 2)) if not weak else rng.choice((0, 0, 0, 1))):
        kind = OpportunityKind(ctx.pick_weighted({"upsell": 45, "cross_sell": 35, "macd": 20}))
        stage = OpportunityStage(
            ctx.pick_weighted(
                {"identified": 35, "qualified": 25, "handed_to_sales": 25, "won": 10, "lost": 5}
            )
        )
        found = ctx.days_ago(rng.randint(5, 200))
        handed = stage in (
            OpportunityStage.HANDED_TO_SALES,
            OpportunityStage.WON,
            OpportunityStage.LOST,
        )
        ctx.emit(
            "opportunity",
            {
                "id": ctx.new_id(),
                "account_id": plan.id,
                "kind": kind,
                "title": rng.choice(words.OPPORTUNITIES[kind.value]),
                "value_minor": plan.money(plan.arr_usd * rng.uniform(0.05, 0.35)),
                "currency": plan.currency,
                "stage": stage,
                "handed_to_sales_on": (
                    min(ctx.today, found + timedelta(days=rng.randint(1, 30))) if handed else None
                ),
                "expected_close_on": ctx.today + timedelta(days=rng.randint(20, 200)),
                "notes": None,
                "created_at": ctx.stamp(found),
                "updated_at": ctx.stamp(found),
            },
        )
