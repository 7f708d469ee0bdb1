"""The QBR presentation model: the gathered facts cut down to what one audience may see.

``for_audience`` is the only place that decides what reaches the customer. It returns a new
``QbrContent`` holding nothing internal (no internal items, notes, sentiment, departed
people, opportunities or forecast), so the deck and brief cannot leak what they never get.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from pathlib import Path

from app.models.enums import BuyingRole, RelationKind
from app.services.qbr_facts import NextStep, QbrContent, Quarter
from app.services.stakeholder_graph import InfluenceMap

__all__ = ["Audience", "QbrContent", "QbrRequest", "Quarter", "for_audience"]

#: At most this many next steps on the slide (a table taller than that stops reading well).
MAX_STEPS = 8
#: The internal deck shows the most recent overdue follow-ups, at most this many.
MAX_OVERDUE = 4


class Audience(StrEnum):
    """Who the QBR is for: the customer's executives, or our own team."""

    CUSTOMER = "customer"
    INTERNAL = "internal"


@dataclass(frozen=True)
class QbrRequest:
    """One QBR export as the user asked for it, from the window or the command line.

    ``leave_out`` holds ids of next steps and open items the user unticked in the review.
    """

    account: str
    audience: Audience = Audience.CUSTOMER
    quarter: Quarter | None = None
    today: date | None = None
    template: Path | None = None
    logos: tuple[Path | None, ...] = ()
    leave_out: frozenset[str] = field(default_factory=frozenset)


def for_audience(
    facts: QbrContent, audience: Audience, leave_out: Iterable[str] = ()
) -> QbrContent:
    """What ``audience`` sees of ``facts``, as a new content (``facts`` is left untouched).

    Both audiences: next steps are open, deduplicated (the same title once) and owned (the
    account owner when nobody else is named); items in ``leave_out`` are dropped.
    The customer additionally sees only shared goals, milestones, risks and steps; no step
    or risk that is past due; steps due within the coming quarter; no internal notes,
    descriptions, sentiment, opportunities, forecast or departed people.
    """
    skipped = frozenset(leave_out)
    internal = audience is Audience.INTERNAL
    # A step left out takes its duplicates (same title) with it.
    dropped = {_key(s.title) for s in [*facts.next_steps, *facts.overdue_steps] if s.id in skipped}
    upcoming = [s for s in facts.next_steps if _key(s.title) not in dropped]
    overdue = [s for s in facts.overdue_steps if _key(s.title) not in dropped]
    risks = [r for r in facts.risks if r.id not in skipped]
    if internal:
        steps = _dedupe([*overdue[-MAX_OVERDUE:], *upcoming])
        return replace(
            facts,
            next_steps=[_owned(s, facts.owner) for s in steps][:MAX_STEPS],
            overdue_steps=[],
            risks=risks,
        )
    horizon = facts.quarter.next().end
    shared_steps = [
        s for s in upcoming if s.shared and s.due_on is not None and s.due_on <= horizon
    ]
    goals = [
        replace(g, milestones=tuple(m for m in g.milestones if m.shared))
        for g in facts.goals
        if g.shared
    ]
    renewal = facts.renewal
    if renewal is not None:
        renewal = replace(renewal, forecast=None, likelihood=None, next_step=None)
    return replace(
        facts,
        goals=goals,
        risks=[
            replace(r, description=None, internal_notes=None)
            for r in risks
            if r.shared and not r.past_due(facts.today)
        ],
        next_steps=[_owned(s, facts.owner) for s in _dedupe(shared_steps)][:MAX_STEPS],
        overdue_steps=[],
        renewal=renewal,
        stakeholders=[
            replace(
                p,
                role=None if p.role == "blocker" else p.role,
                sentiment=0,
                private_notes=None,
            )
            for p in facts.stakeholders
        ],
        opportunities=[],
        departures=[],
        influence_map=None if facts.influence_map is None else _safe_map(facts.influence_map),
    )


def _safe_map(imap: InfluenceMap) -> InfluenceMap:
    """The map without departed people, conflicts, notes, sentiment or contact history."""
    people = {
        pid: p._replace(
            sentiment=0,
            private_notes=None,
            role=None if p.role is BuyingRole.BLOCKER else p.role,
            last_contact_on=None,
            last_touch_on=None,
            touchpoints=0,
            relationship_strength=2,
            email=None,
            phone=None,
        )
        for pid, p in imap.people.items()
        if p.active
    }
    lines = tuple(
        replace(line, note=None)
        for line in imap.lines
        if line.kind is not RelationKind.CONFLICT
        and line.source_id in people
        and line.target_id in people
    )
    return InfluenceMap(imap.account_id, imap.account_name, people, lines)


def _key(title: str) -> str:
    return re.sub(r"\W+", " ", title).strip().casefold()


def _dedupe(steps: list[NextStep]) -> list[NextStep]:
    """Each title once (case and punctuation aside), at its earliest date."""
    seen: set[str] = set()
    out: list[NextStep] = []
    for step in steps:
        key = _key(step.title)
        if key not in seen:
            seen.add(key)
            out.append(step)
    return out


def _owned(step: NextStep, fallback: str | None) -> NextStep:
    return step if step.owner else replace(step, owner=fallback)
