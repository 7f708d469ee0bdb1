"""Playbooks as data: the built-ins, editing them, and the dated steps one would create.

A step's due date is its anchor (the play's start, the renewal date or the notice deadline)
plus whole months (a month end stays a month end) plus days; a date on a weekend moves to
the Monday after, or to the Friday before when it counts back from a deadline.
"""

from __future__ import annotations

import calendar
import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Account, Contract, Stakeholder, WorkspaceMeta, new_id
from app.models.enums import BuyingRole, ContractStatus, Segment
from app.models.playbook import OwnerRole, Playbook, PlaybookStep, StepAnchor, StepKind
from app.services.labels import quoted
from app.services.playbook_catalog import BUILTIN, TRIGGERS, PlaybookSpec, StepSpec
from app.services.renewal_dates import deadline_before

__all__ = [
    "BUILTIN",
    "TRIGGERS",
    "DatedStep",
    "PlaybookError",
    "PlaybookSpec",
    "StepSpec",
    "add_months",
    "check_condition",
    "delete_playbook",
    "due_date",
    "ensure_builtin_playbooks",
    "find_playbook",
    "list_playbooks",
    "plan_steps",
    "save_playbook",
    "validate_playbook",
]

#: Conditions a step may carry; ``segment:X`` and ``not_segment:X`` for each segment too.
FLAG_CONDITIONS = {
    "has_sponsor": "the account has an executive sponsor",
    "no_sponsor": "the account has no executive sponsor",
    "has_champion": "the account has a champion",
    "auto_renew": "the contract renews automatically",
}

_SEEDED_KEY = "playbooks_seeded"
_BUILTIN_NAMESPACE = uuid.UUID("5f0e8a4c-6c1d-4d0e-9a43-2b7f3d1c9e10")

TEAM_OWNERS = {OwnerRole.SUPPORT: "Support", OwnerRole.SALES: "Sales"}


class PlaybookError(ValueError):
    """A playbook edit or start the rules refuse; the message is one sentence for the user."""


# -- dates --------------------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole months; the 31st (or any month end) lands on the month's end."""
    if months == 0:
        return day
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    month_end = day.day == calendar.monthrange(day.year, day.month)[1]
    return date(year, month + 1, last if month_end else min(day.day, last))


def due_date(anchor_date: date, step: StepSpec, start: date) -> date:
    """When a step is due: anchor + months + days, off weekends, never before the start."""
    due = add_months(anchor_date, step.offset_months) + timedelta(days=step.offset_days)
    backwards = step.anchor != StepAnchor.START and step.offset_days + step.offset_months <= 0
    if due.weekday() >= 5:
        # Counting back from a deadline, be early; counting forward, take the next Monday.
        shift = -(due.weekday() - 4) if backwards else 7 - due.weekday()
        due += timedelta(days=shift)
    # A play started late (a renewal 100 days out) makes its earlier steps due at once.
    return max(due, start)


# -- conditions ---------------------------------------------------------------------------------


def known_conditions() -> list[str]:
    """Every condition the editor offers."""
    found = list(FLAG_CONDITIONS)
    for segment in Segment:
        found += [f"segment:{segment.value}", f"not_segment:{segment.value}"]
    return found


def check_condition(condition: str | None) -> None:
    """Refuse a condition the rules do not know."""
    if condition and condition not in known_conditions():
        raise PlaybookError(f"{quoted(condition)} is not a condition Fieldbook knows.")


@dataclass(frozen=True)
class AccountFacts:
    """What steps' conditions, owners and anchors read about an account."""

    id: str
    name: str
    segment: Segment | None  # not set for an imported account the CRM said nothing of
    owner: str | None
    sponsor_counterpart: str | None
    has_sponsor: bool
    has_champion: bool
    renewal_on: date | None
    notice_on: date | None
    auto_renew: bool


def account_facts(session: Session, account_id: str, on: date) -> AccountFacts:
    """Read the account's segment, owner, key contacts and next renewal once."""
    account = session.get(Account, account_id)
    if account is None:
        raise PlaybookError("That account no longer exists.")
    people = session.execute(
        select(
            Stakeholder.role, Stakeholder.is_executive_sponsor, Stakeholder.our_counterpart
        ).where(Stakeholder.account_id == account_id, Stakeholder.departed.is_(False))
    ).all()
    contract = session.scalars(
        select(Contract)
        .where(
            Contract.account_id == account_id,
            Contract.status == ContractStatus.ACTIVE,
            Contract.end_date >= on,
        )
        .order_by(Contract.end_date)
        .limit(1)
    ).first()
    counterpart = next((p.our_counterpart for p in people if p.is_executive_sponsor), None)
    return AccountFacts(
        account.id,
        account.name,
        account.segment,
        account.owner,
        counterpart,
        any(p.is_executive_sponsor for p in people),
        any(p.role == BuyingRole.CHAMPION for p in people),
        contract.end_date if contract else None,
        deadline_before(contract.end_date, contract.notice_days or 0) if contract else None,
        bool(contract and contract.auto_renew),
    )


def condition_holds(condition: str | None, facts: AccountFacts) -> bool:
    """Whether a step with ``condition`` applies to the account."""
    if not condition:
        return True
    name, _, value = condition.partition(":")
    segment = None if facts.segment is None else facts.segment.value
    if name == "segment":
        return segment == value
    if name == "not_segment":
        return segment != value
    return {
        "has_sponsor": facts.has_sponsor,
        "no_sponsor": not facts.has_sponsor,
        "has_champion": facts.has_champion,
        "auto_renew": facts.auto_renew,
    }.get(name, False)


def owner_for(role: OwnerRole, facts: AccountFacts) -> str | None:
    """Who does a step of ``role`` on this account."""
    if role == OwnerRole.EXECUTIVE_SPONSOR:
        return facts.sponsor_counterpart or facts.owner
    return TEAM_OWNERS.get(role, facts.owner)


@dataclass(frozen=True)
class DatedStep:
    """A step as it would be (or was) created for one account."""

    position: int
    title: str
    kind: StepKind
    phase: str | None
    due_on: date
    owner_role: OwnerRole
    owner: str | None
    shared: bool


def plan_steps(spec: PlaybookSpec, facts: AccountFacts, start: date) -> list[DatedStep]:
    """The dated steps starting ``spec`` on ``start`` creates; steps whose condition fails
    are left out. Refuses a renewal-anchored step on an account with no running contract."""
    out: list[DatedStep] = []
    for step in spec.steps:
        if not condition_holds(step.condition, facts):
            continue
        if step.anchor == StepAnchor.START:
            anchor = start
        else:
            anchor_date = facts.renewal_on if step.anchor == StepAnchor.RENEWAL else facts.notice_on
            if anchor_date is None:
                raise PlaybookError(
                    f"{facts.name} has no running contract, so {quoted(spec.name)} has no renewal "
                    "date to count from."
                )
            anchor = anchor_date
        out.append(
            DatedStep(
                len(out),
                step.title,
                step.kind,
                step.phase,
                due_date(anchor, step, start),
                step.owner_role,
                owner_for(step.owner_role, facts),
                step.shared,
            )
        )
    return out


# -- the playbooks themselves -------------------------------------------------------------------


def builtin_id(name: str) -> str:
    """The fixed id of a built-in playbook: the same in every workspace and every session."""
    return uuid.uuid5(_BUILTIN_NAMESPACE, name).hex


def ensure_builtin_playbooks(session: Session) -> None:
    """Add the built-in playbooks once per workspace (edits and deletions are kept after).

    Their ids are fixed, so a read session that adds them (and rolls back) hands out the same
    ids a later write session stores.
    """
    if session.get(WorkspaceMeta, _SEEDED_KEY) is not None:
        return
    have_ids = set(session.scalars(select(Playbook.id)))
    have_names = set(session.scalars(select(Playbook.name)))
    count = len(have_ids)
    for spec in BUILTIN:
        if builtin_id(spec.name) not in have_ids and spec.name not in have_names:
            _store(session, Playbook(id=builtin_id(spec.name), position=count, builtin=True), spec)
            count += 1
    session.add(WorkspaceMeta(key=_SEEDED_KEY, value="1"))
    session.flush()


def _spec(row: Playbook) -> PlaybookSpec:
    return PlaybookSpec(
        row.name,
        row.trigger,
        row.description or "",
        tuple(
            StepSpec(
                s.title,
                s.kind,
                s.offset_days,
                s.offset_months,
                s.anchor,
                s.owner_role,
                s.shared,
                s.phase,
                s.condition,
            )
            for s in row.steps
        ),
        row.enabled,
        row.builtin,
        row.id,
    )


def list_playbooks(session: Session) -> list[PlaybookSpec]:
    """Every playbook, in display order."""
    ensure_builtin_playbooks(session)
    rows = session.scalars(select(Playbook).order_by(Playbook.position, Playbook.name))
    return [_spec(r) for r in rows]


def find_playbook(session: Session, name: str) -> PlaybookSpec:
    """The playbook called ``name`` (case-insensitive)."""
    wanted = name.strip().casefold()
    for spec in list_playbooks(session):
        if spec.name.casefold() == wanted:
            return spec
    names = ", ".join(s.name for s in list_playbooks(session))
    raise PlaybookError(f"There is no playbook called {quoted(name)} (there are: {names}).")


def _validate(spec: PlaybookSpec) -> None:
    if not spec.name.strip():
        raise PlaybookError("A playbook needs a name.")
    if spec.trigger not in TRIGGERS:
        raise PlaybookError(f"{quoted(spec.trigger)} is not a trigger Fieldbook knows.")
    if not spec.steps:
        raise PlaybookError("A playbook needs at least one step.")
    for number, step in enumerate(spec.steps, 1):
        if not step.title.strip():
            raise PlaybookError(f"Step {number} needs a title.")
        if abs(step.offset_days) > 3660 or abs(step.offset_months) > 120:
            raise PlaybookError(f"Step {number}'s offset is more than ten years.")
        check_condition(step.condition)


def _store(session: Session, row: Playbook, spec: PlaybookSpec) -> None:
    row.name = spec.name.strip()
    row.trigger = spec.trigger
    row.description = spec.description or None
    row.enabled = spec.enabled
    row.steps = [
        PlaybookStep(
            position=i,
            title=s.title.strip(),
            kind=s.kind,
            phase=(s.phase or "").strip() or None,
            anchor=s.anchor,
            offset_days=s.offset_days,
            offset_months=s.offset_months,
            owner_role=s.owner_role,
            shared=s.shared,
            condition=s.condition or None,
        )
        for i, s in enumerate(spec.steps)
    ]
    if row not in session:
        session.add(row)


def validate_playbook(session: Session, spec: PlaybookSpec) -> None:
    """Refuse a playbook the rules do not allow (no name, no steps, a name taken, ...)."""
    _validate(spec)
    ensure_builtin_playbooks(session)
    clash = session.scalars(select(Playbook).where(Playbook.name == spec.name.strip())).first()
    if clash is not None and clash.id != spec.id:
        raise PlaybookError(f"There is already a playbook called {quoted(spec.name.strip())}.")


def save_playbook(session: Session, spec: PlaybookSpec) -> tuple[str, PlaybookSpec | None]:
    """Create (``spec.id`` None or gone) or replace a playbook; returns its id and what it
    was (None when it is new)."""
    validate_playbook(session, spec)
    found = session.get(Playbook, spec.id) if spec.id is not None else None
    if found is None:
        # A new playbook, or a deleted one coming back (undo of a delete keeps its id).
        count = len(list(session.scalars(select(Playbook.id))))
        row = Playbook(id=spec.id or new_id(), position=count, builtin=spec.builtin)
        before = None
    else:
        row, before = found, _spec(found)
    _store(session, row, spec)
    session.flush()
    session.info.pop("fieldbook.playbooks", None)  # the triggers' cached copy is stale
    return row.id, before


def delete_playbook(session: Session, playbook_id: str) -> PlaybookSpec:
    """Delete a playbook (its running plays keep their steps); returns it for undo."""
    row = session.get(Playbook, playbook_id)
    if row is None:
        raise PlaybookError("That playbook no longer exists.")
    spec = _spec(row)
    session.delete(row)
    session.flush()
    session.info.pop("fieldbook.playbooks", None)
    return spec
