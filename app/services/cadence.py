"""The governance cadence: which reviews each segment holds how often, and the gaps.

A gap is a review whose time has come: the last touchpoint of that kind was longer ago than
the cadence allows ("QBR overdue by 20 days"), or there is none on record at all.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Account, Activity
from app.models.enums import ActivityKind, Segment
from app.models.playbook import CadenceRule
from app.services.labels import in_sentence, label_of


@dataclass(frozen=True)
class CadenceSpec:
    """One rhythm: accounts of ``segment`` hold a ``kind`` review every ``every_days``."""

    segment: Segment
    kind: ActivityKind
    label: str
    every_days: int


DEFAULT_CADENCE: tuple[CadenceSpec, ...] = (
    CadenceSpec(Segment.STRATEGIC, ActivityKind.OBR, "Monthly operational review", 30),
    CadenceSpec(Segment.STRATEGIC, ActivityKind.QBR, "Quarterly business review", 91),
    CadenceSpec(Segment.STRATEGIC, ActivityKind.EBR, "Yearly executive review", 365),
    CadenceSpec(Segment.ENTERPRISE, ActivityKind.QBR, "Quarterly business review", 91),
    CadenceSpec(Segment.ENTERPRISE, ActivityKind.EBR, "Yearly executive review", 365),
    CadenceSpec(Segment.MID_MARKET, ActivityKind.QBR, "Quarterly business review", 91),
    CadenceSpec(Segment.SMB, ActivityKind.CBR, "Business review twice a year", 182),
)

#: The marker stored once the defaults were added, so a user who deletes them keeps none.
_SEEDED_KEY = "cadence_seeded"


class CadenceError(ValueError):
    """A cadence edit the rules refuse; one sentence for the user."""


def list_cadence(session: Session) -> list[CadenceSpec]:
    """The workspace's cadence, in display order: the defaults until the user saves one.

    Reading never writes (a workspace may still be read-only while its opening check runs).
    """
    from app.models import WorkspaceMeta

    rows = list(session.scalars(select(CadenceRule).order_by(CadenceRule.position)))
    if not rows and session.get(WorkspaceMeta, _SEEDED_KEY) is None:
        return list(DEFAULT_CADENCE)
    return [CadenceSpec(r.segment, r.kind, r.label, r.every_days) for r in rows]


def _write(session: Session, specs: Iterable[CadenceSpec]) -> None:
    session.query(CadenceRule).delete()
    session.flush()
    for position, spec in enumerate(specs):
        session.add(
            CadenceRule(
                segment=spec.segment,
                kind=spec.kind,
                label=spec.label.strip(),
                every_days=spec.every_days,
                position=position,
            )
        )
    session.flush()


def save_cadence(session: Session, specs: list[CadenceSpec]) -> list[CadenceSpec]:
    """Replace the cadence; returns what it was (for undo)."""
    validate_cadence(specs)
    from app.models import WorkspaceMeta

    before = list_cadence(session)
    _write(session, specs)
    if session.get(WorkspaceMeta, _SEEDED_KEY) is None:  # a user who empties it keeps none
        session.add(WorkspaceMeta(key=_SEEDED_KEY, value="1"))
        session.flush()
    return before


def validate_cadence(specs: list[CadenceSpec]) -> None:
    """Refuse a cadence with an unnamed row, an interval out of range or a repeated review."""
    seen: set[tuple[Segment, ActivityKind]] = set()
    for number, spec in enumerate(specs, 1):
        if not spec.label.strip():
            raise CadenceError(f"Row {number} needs a name.")
        if not 1 <= spec.every_days <= 3660:
            raise CadenceError(f"Row {number}: every how many days must be 1 to 3660.")
        if (spec.segment, spec.kind) in seen:
            raise CadenceError(
                f"Row {number} repeats the {spec.kind.value.upper()} for "
                f"{in_sentence(label_of(spec.segment))} accounts."
            )
        seen.add((spec.segment, spec.kind))


# -- gaps ---------------------------------------------------------------------------------------


def last_touchpoints(
    session: Session, account_ids: Iterable[str] | None = None
) -> dict[tuple[str, ActivityKind], date]:
    """The date of each account's last touchpoint of each kind."""
    query = select(Activity.account_id, Activity.kind, func.max(Activity.occurred_at)).group_by(
        Activity.account_id, Activity.kind
    )
    if account_ids is not None:
        query = query.where(Activity.account_id.in_(list(account_ids)))
    out: dict[tuple[str, ActivityKind], date] = {}
    for account_id, kind, last in session.execute(query):
        # max() keeps the column's type, so this is an aware UTC datetime.
        out[(account_id, ActivityKind(kind))] = last.date()
    return out


@dataclass(frozen=True)
class CadenceGap:
    """A review that is due (or overdue) on one account."""

    account_id: str
    account_name: str
    owner: str | None
    kind: ActivityKind
    label: str
    last_on: date | None
    due_on: date
    overdue_days: int
    every_days: int

    @property
    def text(self) -> str:
        """``"QBR overdue by 20 days"``, ``"QBR due in 5 days"``, ``"no QBR on record"``."""
        name = self.kind.value.upper()
        if self.last_on is None:
            return f"no {name} on record"
        days = abs(self.overdue_days)
        plural = "s" if days != 1 else ""
        if self.overdue_days > 0:
            return f"{name} overdue by {days} day{plural}"
        if self.overdue_days == 0:
            return f"{name} due today"
        return f"{name} due in {days} day{plural}"


def cadence_gaps(
    session: Session,
    today: date,
    *,
    owner: str | None = None,
    account_id: str | None = None,
    ahead_days: int = 0,
) -> list[CadenceGap]:
    """Reviews due by ``today + ahead_days`` (overdue ones first), for the accounts ``owner``
    owns, one account, or the whole book. An account never reviewed is due one interval
    after it was added."""
    rules: dict[Segment, list[CadenceSpec]] = {}
    for spec in list_cadence(session):
        rules.setdefault(spec.segment, []).append(spec)
    query = select(Account.id, Account.name, Account.owner, Account.segment, Account.created_at)
    if owner is not None:
        query = query.where(Account.owner == owner)
    if account_id is not None:
        query = query.where(Account.id == account_id)
    accounts = session.execute(query.order_by(Account.name)).all()
    last = last_touchpoints(session, [a.id for a in accounts] if account_id else None)
    horizon = today + timedelta(days=ahead_days)
    gaps = []
    for acc_id, name, acc_owner, segment, created in accounts:
        for spec in rules.get(segment, []):
            held = last.get((acc_id, spec.kind))
            # Never held: due one interval after the account joined the book.
            since = held if held is not None else created.date()
            due = since + timedelta(days=spec.every_days)
            if due > horizon:
                continue
            gaps.append(
                CadenceGap(
                    acc_id,
                    name,
                    acc_owner,
                    spec.kind,
                    spec.label,
                    held,
                    due,
                    (today - due).days,
                    spec.every_days,
                )
            )
    gaps.sort(key=lambda g: (-g.overdue_days, g.account_name, g.kind.value))
    return gaps


def is_gap_overdue(gap: CadenceGap) -> bool:
    """Past its date, or never held."""
    return gap.overdue_days > 0 or gap.last_on is None


def overdue_account_ids(session: Session, today: date) -> set[str]:
    """Accounts with at least one review overdue (the tree's quick filter)."""
    return {g.account_id for g in cadence_gaps(session, today) if is_gap_overdue(g)}


@dataclass(frozen=True)
class SuggestedSlot:
    """A day the calendar suggests for a review that is due."""

    day: date
    gap: CadenceGap


def suggested_slots(
    session: Session,
    today: date,
    *,
    owner: str | None = None,
    ahead_days: int = 30,
    per_day: int = 2,
) -> list[SuggestedSlot]:
    """A weekday for each review due within ``ahead_days``: the first from its due date (or
    today, when overdue) with fewer than ``per_day`` reviews suggested and no touchpoint on
    that account already; most overdue first."""
    gaps = cadence_gaps(session, today, owner=owner, ahead_days=ahead_days)
    busy: set[tuple[str, date]] = set()
    if gaps:
        query = select(Activity.account_id, Activity.occurred_at).where(
            Activity.account_id.in_({g.account_id for g in gaps}),
            Activity.occurred_at >= datetime.combine(today, time(), tzinfo=UTC),
        )
        busy = {(account_id, at.date()) for account_id, at in session.execute(query)}
    taken: dict[date, int] = {}
    slots = []
    for gap in gaps:
        day = max(today, gap.due_on)
        while day.weekday() >= 5 or taken.get(day, 0) >= per_day or (gap.account_id, day) in busy:
            day += timedelta(days=1)
        taken[day] = taken.get(day, 0) + 1
        slots.append(SuggestedSlot(day, gap))
    slots.sort(key=lambda s: (s.day, -s.gap.overdue_days, s.gap.account_name))
    return slots
