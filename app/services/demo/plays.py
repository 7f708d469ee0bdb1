"""The demo's governance history and its plays, so a new user sees cadence gaps and plays.

Each account gets its segment's reviews (OBR, QBR, EBR, CBR): most on time, some overdue,
a few never held. Plays run in every state: onboarding plays part-way through, renewal
plays from the 120-day checkpoint, contact-left plays for recent departures, a paused QBR
preparation, a cancelled red-health play and a completed one.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from app.models import Account, Activity, Stakeholder
from app.models.enums import ActivityKind, BuyingRole, LifecycleStage
from app.models.playbook import Play, PlayStatus, StepStatus
from app.services import play_triggers, plays
from app.services.cadence import last_touchpoints, list_cadence
from app.services.demo import words
from app.services.demo.context import DemoContext
from app.services.playbook_catalog import HEALTH_RED, ONBOARDING, QBR_PREP
from app.services.playbooks import PlaybookError, find_playbook

#: Caps so a 100,000-account book does not get 100,000 plays (nobody reads them all).
MAX_ONBOARDING = 12
#: Renewal sweeps run weekly over this many past weeks (and today), as the window runs them.
RENEWAL_SWEEP_WEEKS = 4
MAX_DEPARTURES = 6
MAX_QBR_PREP = 3


def write_governance(session: Session, ctx: DemoContext) -> int:
    """Reviews per the segment cadence; returns how many activities were added."""
    rng = ctx.rng
    rules: dict[str, list[tuple[ActivityKind, int]]] = {}
    for spec in list_cadence(session):
        rules.setdefault(spec.segment.value, []).append((spec.kind, spec.every_days))
    last = last_touchpoints(session)
    rows = []
    accounts = session.execute(select(Account.id, Account.segment).order_by(Account.id))
    for account_id, segment in accounts:
        for kind, every in rules.get(segment.value, []):
            roll = rng.random()
            if roll < 0.08:
                continue  # never held: "no QBR on record"
            ago = rng.randint(3, max(4, every - 3)) if roll < 0.78 else every + rng.randint(3, 50)
            day = ctx.today - timedelta(days=ago)
            held = last.get((account_id, kind))
            if held is not None and held >= day:
                continue
            at = datetime.combine(day, time(rng.randint(9, 15)), tzinfo=UTC)
            topic = rng.choice(words.TOPICS)
            rows.append(
                {
                    "id": ctx.new_id(),
                    "account_id": account_id,
                    "kind": kind,
                    "title": f"{kind.value.upper()}: {topic}"[:200],
                    "occurred_at": at,
                    "all_day": False,
                    "duration_minutes": 60,
                    "minutes": f"Reviewed {topic} and the success plan; next steps agreed.",
                    "meaningful": True,
                    "created_at": at,
                    "updated_at": at,
                }
            )
    if rows:
        session.execute(insert(Activity), rows)
    return len(rows)


def _tick_past_steps(session: Session, ctx: DemoContext, play_id: str, share: float) -> None:
    """Mark most steps due before today done, as a CSM working the play would have."""
    play = session.get(Play, play_id)
    assert play is not None
    for step in play.steps:  # written directly: one flush for the whole demo, not per step
        if step.due_on < ctx.today and ctx.rng.random() < share:
            step.status, step.done_on = StepStatus.DONE, step.due_on
    if all(step.status == StepStatus.DONE for step in play.steps):
        play.status, play.ended_on = PlayStatus.COMPLETED, max(s.due_on for s in play.steps)


def write_plays(session: Session, ctx: DemoContext) -> int:
    """Plays in various states; returns how many were started."""
    rng = ctx.rng
    started = 0
    onboarding = find_playbook(session, ONBOARDING)
    new_customers = session.scalars(
        select(Account.id)
        .where(Account.lifecycle_stage == LifecycleStage.ONBOARDING)
        .order_by(Account.id)
        .limit(MAX_ONBOARDING)
    ).all()
    for account_id in new_customers:
        begun = ctx.today - timedelta(days=rng.randint(2, 85))
        try:
            play_id = plays.start_play(
                session,
                account_id,
                onboarding,
                begun,
                reason="lifecycle stage set to onboarding",
                episode=f"onboarding:{begun.isoformat()}",
            )
        except PlaybookError:
            continue
        _tick_past_steps(session, ctx, play_id, 0.8)
        started += 1
    # Renewals: the window's sweep starts every renewal play that is due when it opens, so
    # the demo runs that same sweep, as if the book had been opened once a week for the last
    # month; a fresh demo then opens with none left to start, and the early ones part-way.
    for weeks_ago in range(RENEWAL_SWEEP_WEEKS, -1, -1):
        day = ctx.today - timedelta(weeks=weeks_ago)
        for play_id in play_triggers.renewal_checkpoints(session, day):
            _tick_past_steps(session, ctx, play_id, 0.7)
            started += 1
    # Key contacts who left recently.
    departed = session.scalars(
        select(Stakeholder.id)
        .where(
            Stakeholder.departed.is_(True),
            Stakeholder.departed_on >= ctx.today - timedelta(days=60),
            (Stakeholder.role == BuyingRole.CHAMPION) | Stakeholder.is_executive_sponsor,
        )
        .order_by(Stakeholder.id)
        .limit(MAX_DEPARTURES)
    ).all()
    for stakeholder_id in departed:
        person = session.get(Stakeholder, stakeholder_id)
        assert person is not None and person.departed_on is not None
        for play_id in play_triggers.contact_departed(session, stakeholder_id, person.departed_on):
            _tick_past_steps(session, ctx, play_id, 0.6)
            started += 1
    started += _states(session, ctx)
    play_triggers.take_started(session)
    return started


def _states(session: Session, ctx: DemoContext) -> int:
    """A paused QBR preparation, a cancelled red play and a completed one."""
    rng = ctx.rng
    prep = find_playbook(session, QBR_PREP)
    strategic = session.scalars(
        select(Account.id)
        .where(Account.segment == "strategic", Account.parent_id.is_(None))
        .order_by(Account.id)
        .limit(MAX_QBR_PREP)
    ).all()
    started = 0
    for number, account_id in enumerate(strategic):
        play_id = plays.start_play(
            session, account_id, prep, ctx.today - timedelta(days=rng.randint(6, 12))
        )
        _tick_past_steps(session, ctx, play_id, 0.9)
        if number == 1:
            plays.set_paused(session, play_id, True)
        started += 1
    session.flush()
    red = session.scalars(
        select(Play.id)
        .where(Play.name == HEALTH_RED, Play.status == PlayStatus.RUNNING)
        .order_by(Play.id)
        .limit(2)
    ).all()
    if red:
        plays.cancel_play(session, red[0], "Health recovered after the hotfix", ctx.today)
    if len(red) > 1:
        for step in plays.play_view(session, red[1]).steps:
            plays.set_step_done(session, step.id, True, ctx.today)
    return started
