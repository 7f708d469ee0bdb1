"""The QBR's departed key contacts: who left, when, where to, and the successor work."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Play, PlayStep, Stakeholder
from app.models.playbook import StepStatus
from app.services.plays import LIVE
from app.services.qbr_facts import DepartureLine, NextStep, QbrContent
from app.services.stakeholder_graph import key_contact_clause


def gather_departures(session: Session, content: QbrContent) -> None:
    """Key contacts who left: their successor, their departure play's open steps (the play
    ``play_triggers.contact_departed`` starts, episode ``departed:<id>``) and open tasks
    naming them (the departed-contact workflow's successor and sales-lead tasks)."""
    people = session.execute(
        select(
            Stakeholder.id,
            Stakeholder.name,
            Stakeholder.title,
            Stakeholder.role,
            Stakeholder.is_executive_sponsor,
            Stakeholder.departed_on,
            Stakeholder.departed_to,
            Stakeholder.departed_is_lead,
            Stakeholder.successor_id,
        )
        .where(
            Stakeholder.account_id == content.account_id,
            Stakeholder.departed.is_(True),
            key_contact_clause(),
        )
        .order_by(Stakeholder.departed_on.desc(), Stakeholder.name)
    ).all()
    if not people:
        return
    successor_ids = [row.successor_id for row in people if row.successor_id]
    # A list of pairs: dict() would take a Result for a mapping (it has keys()).
    successors = dict(
        session.execute(
            select(Stakeholder.id, Stakeholder.name).where(Stakeholder.id.in_(successor_ids))
        )
        .tuples()
        .all()
    )
    episodes = {f"departed:{row.id}": row.id for row in people}
    work: dict[str, list[NextStep]] = {}
    for episode, step_id, title, owner, due_on, shared in session.execute(
        select(
            Play.episode,
            PlayStep.id,
            PlayStep.title,
            PlayStep.owner,
            PlayStep.due_on,
            PlayStep.shared,
        )
        .join(PlayStep, PlayStep.play_id == Play.id)
        .where(
            Play.account_id == content.account_id,
            Play.episode.in_(list(episodes)),
            Play.status.in_(LIVE),
            PlayStep.status == StepStatus.OPEN,
        )
        .order_by(PlayStep.due_on, PlayStep.position)
    ):
        step = NextStep(title, owner, due_on, due_on < content.today, bool(shared), step_id)
        work.setdefault(episodes[episode], []).append(step)
    steps = [*content.overdue_steps, *content.next_steps]
    for row in people:
        named = [s for s in steps if row.name.casefold() in s.title.casefold()]
        work.setdefault(row.id, []).extend(named)
    content.departures = [
        DepartureLine(
            name=row.name,
            title=row.title,
            role=None if row.role is None else str(row.role),
            executive_sponsor=bool(row.is_executive_sponsor),
            departed_on=row.departed_on,
            departed_to=row.departed_to,
            is_lead=bool(row.departed_is_lead),
            successor=successors.get(row.successor_id) if row.successor_id else None,
            work=tuple(sorted(work[row.id], key=lambda s: (s.due_on or date.max, s.title))),
        )
        for row in people
    ]
