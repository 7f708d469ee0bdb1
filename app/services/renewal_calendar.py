"""The book's calendar: renewals, checkpoints, notice deadlines, touchpoints, tasks, milestones."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from app.models import Account, Activity, Goal, Milestone, SuccessPlan, Task
from app.models.enums import MilestoneStatus, Segment
from app.services.labels import in_sentence, label_of, records_label
from app.services.my_book import in_book
from app.services.renewal_dates import (
    DEFAULT_CHECKPOINTS,
    TouchRule,
    checkpoint_marks,
    deadline_before,
    entry_reach,
    needs_call,
    renewal_date,
    touch_rule,
)
from app.services.renewal_rows import (
    NO_CALL,
    ContractSelection,
    load_contract_rows,
    max_notice_days,
)
from app.services.touchpoint_time import local_span, touchpoint_day

#: Tab titles of the account view that each kind of event opens.
TAB_RENEWALS = "Renewals"
TAB_TOUCHPOINTS = records_label("activity")
#: Tasks are listed under the touchpoints they follow up (there is no Tasks tab).
TAB_TASKS = TAB_TOUCHPOINTS
TAB_SUCCESS_PLAN = "Success plan"


class EventKind(StrEnum):
    """What a calendar entry is."""

    RENEWAL = "renewal"
    NOTICE = "notice"
    CHECKPOINT = "checkpoint"
    TOUCHPOINT = "touchpoint"
    TASK = "task"
    MILESTONE = "milestone"

    @property
    def label(self) -> str:
        """The kind as the CSM reads it."""
        return _KIND_LABELS[self]

    @property
    def rank(self) -> int:
        """Order within a day: what needs action first."""
        return _KIND_ORDER.index(self)


_KIND_LABELS = {
    EventKind.RENEWAL: "Renewal",
    EventKind.NOTICE: "Notice deadline",
    EventKind.CHECKPOINT: "Checkpoint",
    EventKind.TOUCHPOINT: "Touchpoint",
    EventKind.TASK: "Task due",
    EventKind.MILESTONE: "Milestone due",
}
_KIND_ORDER = list(EventKind)
CONTRACT_KINDS = frozenset({EventKind.RENEWAL, EventKind.NOTICE, EventKind.CHECKPOINT})


@dataclass(frozen=True, slots=True)
class CalendarEvent:
    """One entry of the calendar as a plain value: what, when, which account, which tab."""

    kind: EventKind
    day: date
    title: str
    account_id: str
    account_name: str
    tab: str
    #: The contract, activity, task or milestone id behind the entry.
    ref_id: str
    owner: str | None = None
    segment: str = ""
    arr_minor: int = 0
    currency: str = ""
    forecast: str | None = None
    likelihood: int | None = None
    band: str | None = None
    outcome: str | None = None
    #: Days before renewal, for checkpoints.
    offset: int | None = None
    #: For timed touchpoints: the UTC start and the length (all-day ones have no start).
    starts_at: datetime | None = None
    duration_minutes: int | None = None
    detail: str = ""
    #: Renewal past a checkpoint without a forecast call.
    needs_call: bool = False
    #: The 120-day rule broken: no touch since 120 days before the renewal.
    untouched: bool = False
    renewal_on: date | None = None

    @property
    def movable(self) -> bool:
        """Touchpoints and tasks can be dragged to another day; contract dates cannot."""
        return self.kind in (EventKind.TOUCHPOINT, EventKind.TASK)

    @property
    def uid(self) -> str:
        """Stable across exports: the same entry always has the same id."""
        suffix = f"-{self.offset}" if self.offset is not None else ""
        return f"{self.kind.value}{suffix}-{self.ref_id}@fieldbook"

    @property
    def tone(self) -> str:
        """What colours it: outcome, else forecast call, else health band, else its kind."""
        if self.kind in CONTRACT_KINDS:
            return self.outcome or self.forecast or self.band or NO_CALL
        return self.kind.value


def calendar_order(event: CalendarEvent) -> tuple[Any, ...]:
    """How entries list: by day, kind, larger ARR first, start time, then account name."""
    return (
        event.day,
        event.kind.rank,
        -event.arr_minor,
        event.starts_at.timestamp() if event.starts_at else 0.0,
        event.account_name,
    )


@dataclass(frozen=True, slots=True)
class CalendarFilter:
    """Which entries to show; ``None`` shows all.

    ``forecast`` (a forecast category value, or ``"none"`` for not yet called) narrows the
    renewal, notice and checkpoint entries only; ``kinds`` picks the kinds of entries.
    """

    owner: str | None = None
    segment: Segment | None = None
    forecast: str | None = None
    kinds: frozenset[EventKind] | None = None

    def wants(self, kind: EventKind) -> bool:
        """Whether entries of ``kind`` are shown."""
        return self.kinds is None or kind in self.kinds

    @property
    def narrows_book(self) -> bool:
        """Whether only some accounts' entries are shown (an owner's or a segment's)."""
        return self.owner is not None or self.segment is not None


@dataclass(frozen=True, slots=True)
class EntryWindow:
    """What one read of calendar entries covers: dated ``start`` .. ``end`` (inclusive), in
    the book ``filters`` narrows to, and, when ``ids`` is given, only those entries (the
    month view builds just the few it shows)."""

    start: date
    end: date
    filters: CalendarFilter
    ids: Collection[str] | None = None

    def rows(self, session: Session, query: Select[Any], ref: Any) -> Any:
        """The rows of ``query`` narrowed to ``ids`` (of column ``ref``)."""
        if self.ids is not None:
            query = query.where(ref.in_(list(self.ids)))
        return session.connection().execute(query)


def touchpoint_query(filters: CalendarFilter, *columns: Any, accounts: bool = False) -> Select[Any]:
    """A query of ``columns`` over touchpoints in the book ``filters`` narrows to, joined to
    their account when it narrows or when ``accounts`` (to read the account's columns)."""
    query = select(*columns).select_from(Activity)
    if accounts or filters.narrows_book:
        query = query.join(Account, Account.id == Activity.account_id)
    return in_book(query, filters.owner, filters.segment)


def due_query(
    kind: EventKind, filters: CalendarFilter, *columns: Any, accounts: bool = False
) -> tuple[Any, Select[Any]]:
    """The due-date column and a query of ``columns`` over open tasks or milestones not done
    (``kind``), in the book ``filters`` narrows to, joined as ``touchpoint_query`` joins."""
    join = accounts or filters.narrows_book
    if kind is EventKind.TASK:
        query = select(*columns).select_from(Task).where(Task.done.is_(False))
        if join:
            query = query.join(Account, Account.id == Task.account_id)
        return Task.due_on, in_book(query, filters.owner, filters.segment)
    query = select(*columns).select_from(Milestone).where(Milestone.status != MilestoneStatus.DONE)
    if join:
        query = (
            query.join(Goal, Goal.id == Milestone.goal_id)
            .join(SuccessPlan, SuccessPlan.id == Goal.plan_id)
            .join(Account, Account.id == SuccessPlan.account_id)
        )
    return Milestone.due_on, in_book(query, filters.owner, filters.segment)


def arr_by_currency(events: Iterable[CalendarEvent]) -> dict[str, int]:
    """ARR renewing among ``events`` (renewal entries only), per currency."""
    totals: dict[str, int] = defaultdict(int)
    for event in events:
        if event.kind is EventKind.RENEWAL:
            totals[event.currency] += event.arr_minor
    return dict(totals)


def calendar_events(
    session: Session,
    start: date,
    end: date,
    filters: CalendarFilter | None = None,
    *,
    today: date | None = None,
    tz: tzinfo = UTC,
    offsets: tuple[int, ...] = DEFAULT_CHECKPOINTS,
) -> list[CalendarEvent]:
    """Every entry dated ``start`` .. ``end`` (inclusive), sorted by day then urgency.

    Days of timed touchpoints are read in ``tz``. ``today`` rolls auto-renewed contracts
    forward and decides which renewals miss a forecast call (defaults to the clock).
    """
    filters = filters or CalendarFilter()
    today = today or date.today()
    window = EntryWindow(start, end, filters)
    events: list[CalendarEvent] = []
    if any(filters.wants(kind) for kind in CONTRACT_KINDS):
        events.extend(contract_entries(session, window, today, offsets))
    if filters.wants(EventKind.TOUCHPOINT):
        events.extend(touchpoint_entries(session, window, tz))
    if filters.wants(EventKind.TASK):
        events.extend(task_entries(session, window))
    if filters.wants(EventKind.MILESTONE):
        events.extend(milestone_entries(session, window))
    events.sort(key=calendar_order)
    return events


def contract_entries(
    session: Session, window: EntryWindow, today: date, offsets: tuple[int, ...]
) -> list[CalendarEvent]:
    """Renewal, checkpoint and notice entries in the window (its ``ids`` are contract ids)."""
    start, end, filters = window.start, window.end, window.filters
    marks = checkpoint_marks(offsets)
    selection = ContractSelection(
        ends_from=start,
        ends_to=end + timedelta(days=entry_reach(marks, max_notice_days(session))),
        owner=filters.owner,
        segment=filters.segment,
        rolled_before=start,
        contract_ids=window.ids,
    )
    rows = load_contract_rows(session, selection, datetime.combine(today, time.max, tzinfo=UTC))
    want_renewal = filters.wants(EventKind.RENEWAL)
    want_marks = filters.wants(EventKind.CHECKPOINT) and bool(marks)
    want_notice = filters.wants(EventKind.NOTICE)
    rolled_from = max(today, start)
    out: list[CalendarEvent] = []
    for row in rows:
        if filters.forecast is not None and row.forecast_key != filters.forecast:
            continue
        forecast = row.forecast.value if row.forecast is not None else None
        is_open = row.is_open
        due = renewal_date(row.terms, rolled_from) if row.end_date < start else row.end_date
        last_touch = row.last_touch.date() if row.last_touch is not None else None
        call_missing = is_open and needs_call(due, today, marks, row.called_on)
        untouched = is_open and touch_rule(due, today, last_touch) is TouchRule.MISSING
        band = row.band.value if row.band is not None else None
        outcome = row.outcome.value if row.outcome is not None else None
        segment = row.segment.value if row.segment is not None else ""

        shared = (
            row.account_id,
            row.account_name,
            TAB_RENEWALS,
            row.contract_id,
            row.owner,
            segment,
            row.value_minor,
            row.currency,
            forecast,
            row.likelihood,
            band,
            outcome,
        )
        tail = (None, None, row.contract_name, call_missing, untouched, due)
        if want_renewal and start <= due <= end:
            title = f"Renewal: {row.account_name}"
            out.append(CalendarEvent(EventKind.RENEWAL, due, title, *shared, None, *tail))
        if not is_open:
            continue
        if want_marks:
            for offset in marks:
                day = due - timedelta(days=offset)
                if start <= day <= end:
                    title = f"{offset}-day checkpoint: {row.account_name}"
                    out.append(
                        CalendarEvent(EventKind.CHECKPOINT, day, title, *shared, offset, *tail)
                    )
        if want_notice and row.notice_days > 0:
            deadline = deadline_before(due, row.notice_days)
            if start <= deadline <= end:
                title = f"Notice deadline: {row.account_name}"
                out.append(CalendarEvent(EventKind.NOTICE, deadline, title, *shared, None, *tail))
    return out


#: What each calendar entry says of its account (after the entry's own columns).
_ACCOUNT_FIELDS = (Account.name, Account.owner, Account.segment)


def _segment_name(segment: Segment | None) -> str:
    return segment.value if segment is not None else ""


def touchpoint_entries(session: Session, window: EntryWindow, tz: tzinfo) -> list[CalendarEvent]:
    """Touchpoints whose local day (in ``tz``) is in the window."""
    lower, upper = local_span(window.start, window.end, tz)
    query = touchpoint_query(
        window.filters,
        Activity.id,
        Activity.account_id,
        Activity.kind,
        Activity.title,
        Activity.occurred_at,
        Activity.all_day,
        Activity.duration_minutes,
        *_ACCOUNT_FIELDS,
        accounts=True,
    ).where(Activity.occurred_at >= lower, Activity.occurred_at < upper)
    rows = window.rows(session, query, Activity.id)
    return [
        CalendarEvent(
            *(EventKind.TOUCHPOINT, touchpoint_day(at, all_day, tz), title, account_id, name),
            *(TAB_TOUCHPOINTS, ref, owner, _segment_name(segment)),
            # An all-day touchpoint has no start: it lists and exports as a day.
            starts_at=None if all_day else at,
            duration_minutes=minutes,
            detail=in_sentence(label_of(kind)),  # "call", "on site", "QBR"
        )
        for ref, account_id, kind, title, at, all_day, minutes, name, owner, segment in rows
    ]


def task_entries(session: Session, window: EntryWindow) -> list[CalendarEvent]:
    """Open tasks due in the window."""
    columns = (Task.id, Task.account_id, Task.title, Task.due_on, Task.owner, *_ACCOUNT_FIELDS)
    due_on, query = due_query(EventKind.TASK, window.filters, *columns, accounts=True)
    rows = window.rows(session, query.where(due_on.between(window.start, window.end)), Task.id)
    return [
        CalendarEvent(
            *(EventKind.TASK, due, title, account_id, name),
            *(TAB_TASKS, ref, owner, _segment_name(segment)),
            detail=task_owner or "",
        )
        for ref, account_id, title, due, task_owner, name, owner, segment in rows
    ]


def milestone_entries(session: Session, window: EntryWindow) -> list[CalendarEvent]:
    """Milestones not yet done, due in the window."""
    columns = (Milestone.id, Milestone.title, Milestone.due_on, Milestone.status, Goal.title)
    due_on, query = due_query(
        EventKind.MILESTONE, window.filters, *columns, Account.id, *_ACCOUNT_FIELDS, accounts=True
    )
    in_window = query.where(due_on.between(window.start, window.end))
    rows = window.rows(session, in_window, Milestone.id)
    return [
        CalendarEvent(
            *(EventKind.MILESTONE, due, title, account_id, name),
            *(TAB_SUCCESS_PLAN, ref, owner, _segment_name(segment)),
            detail=f"{goal} ({in_sentence(label_of(status))})",
        )
        for ref, title, due, status, goal, account_id, name, owner, segment in rows
    ]
