"""A busy period at a glance: per-day counts and ARR for everything, full entries for the top few.

A month of a 10,000-account book holds ~8,000 contract entries (renewals, checkpoints, notice
deadlines) besides touchpoints and tasks; a month cell shows a handful. ``calendar_days``
tallies every entry from a few narrow columns and builds full ``CalendarEvent`` values only
for the first ``per_day`` entries of each day, in the calendar's order.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta, tzinfo

from sqlalchemy import func, literal, union_all
from sqlalchemy.orm import Session

from app.models import Activity, Milestone, Task
from app.models.enums import ContractStatus
from app.services.contract_index import ContractIndex
from app.services.renewal_calendar import (
    CONTRACT_KINDS,
    CalendarEvent,
    CalendarFilter,
    EntryWindow,
    EventKind,
    calendar_order,
    contract_entries,
    due_query,
    milestone_entries,
    task_entries,
    touchpoint_entries,
    touchpoint_query,
)
from app.services.renewal_dates import (
    DEFAULT_CHECKPOINTS,
    Terms,
    checkpoint_marks,
    entry_reach,
    renewal_date,
)
from app.services.renewal_rows import (
    CALL_KEYS,
    ContractKey,
    ContractSelection,
    load_contract_keys,
    max_notice_days,
)
from app.services.touchpoint_time import local_span, touchpoint_day

#: Below this many touchpoints (or tasks, or milestones) in a period, read them all at once.
READ_ALL_BELOW = 1500
#: One entry before it is built: (kind rank, -ARR, start timestamp, ref id, kind, offset).
_Candidate = tuple[int, int, float, str, EventKind, int | None]


@dataclass(slots=True)
class Tally:
    """How many entries of one kind and call fall on a day, and the ARR behind them."""

    count: int = 0
    arr: dict[str, int] = field(default_factory=dict)


@dataclass(slots=True)
class DayCell:
    """One day: every entry counted, the first few built."""

    day: date
    #: ``(kind, key)`` to tally; ``key`` is the outcome or forecast call (``"none"`` when
    #: not called) for contract entries, and the kind's value for the others.
    tallies: dict[tuple[EventKind, str], Tally] = field(default_factory=dict)
    events: list[CalendarEvent] = field(default_factory=list)

    @property
    def count(self) -> int:
        """All entries of the day."""
        return sum(t.count for t in self.tallies.values())

    @property
    def renewal_arr(self) -> dict[str, int]:
        """ARR renewing that day, per currency."""
        totals: dict[str, int] = defaultdict(int)
        for (kind, _key), tally in self.tallies.items():
            if kind is EventKind.RENEWAL:
                for currency, minor in tally.arr.items():
                    totals[currency] += minor
        return dict(totals)

    @property
    def hidden(self) -> int:
        """Entries counted but not built (the "+N more")."""
        return self.count - len(self.events)

    def add(self, kind: EventKind, key: str, arr: int = 0, currency: str = "") -> None:
        tally = self.tallies.get((kind, key))
        if tally is None:
            tally = self.tallies[(kind, key)] = Tally()
        tally.count += 1
        if currency:
            tally.arr[currency] = tally.arr.get(currency, 0) + arr


def calendar_days(
    session: Session,
    start: date,
    end: date,
    filters: CalendarFilter | None = None,
    *,
    today: date,
    tz: tzinfo = UTC,
    offsets: tuple[int, ...] = DEFAULT_CHECKPOINTS,
    per_day: int = 8,
    index: ContractIndex | None = None,
) -> dict[date, DayCell]:
    """Every day ``start`` .. ``end`` with its tallies and its first ``per_day`` entries.

    The entries built are the ones ``calendar_events`` would list first for that day (ties
    of equal ARR broken by id rather than name). A ``ContractIndex`` loaded for the same
    owner and segment saves reading the contracts again (a view keeps one while it pages).
    """
    filters = filters or CalendarFilter()
    window = EntryWindow(start, end, filters)
    cells = {
        start + timedelta(days=i): DayCell(start + timedelta(days=i))
        for i in range((end - start).days + 1)
    }
    candidates: dict[date, list[_Candidate]] = defaultdict(list)
    if any(filters.wants(kind) for kind in CONTRACT_KINDS):
        _tally_contracts(session, window, today, offsets, cells, candidates, index)
    # Touchpoints, tasks and milestones rank after contract entries: count them in SQL and
    # read only the ones a day still has room for, unless there are few enough to read all.
    taken = {day: min(per_day, len(items)) for day, items in candidates.items()}
    if filters.wants(EventKind.TOUCHPOINT):
        bounds = _local_days(start, end, tz)
        counts = _count_touchpoints(session, bounds, filters)
        if sum(counts.values()) <= READ_ALL_BELOW:
            _tally_touchpoints(session, start, end, filters, tz, cells, candidates)
        else:
            for day, low, high in bounds:
                room = per_day - taken.get(day, 0)
                if counts.get(day):
                    cells[day].tallies[(EventKind.TOUCHPOINT, EventKind.TOUCHPOINT.value)] = Tally(
                        counts[day]
                    )
                if room > 0 and counts.get(day):
                    _first_touchpoints(session, day, low, high, room, filters, candidates)
        taken = {day: min(per_day, len(items)) for day, items in candidates.items()}
    for kind in (EventKind.TASK, EventKind.MILESTONE):
        if not filters.wants(kind):
            continue
        counts = _count_due(session, kind, start, end, filters)
        if sum(counts.values()) <= READ_ALL_BELOW:
            _tally_due(session, kind, start, end, filters, cells, candidates)
        else:
            for day, count in counts.items():
                cells[day].tallies[(kind, kind.value)] = Tally(count)
                room = per_day - taken.get(day, 0)
                if room > 0:
                    _tally_due(session, kind, day, day, filters, None, candidates, limit=room)
        taken = {day: min(per_day, len(items)) for day, items in candidates.items()}
    chosen: dict[EventKind, set[tuple[str, int | None, date]]] = defaultdict(set)
    for day, items in candidates.items():
        items.sort()
        for _rank, _arr, _at, ref, kind, offset in items[:per_day]:
            chosen[kind].add((ref, offset, day))
    built: list[CalendarEvent] = []
    contract_refs = {ref for kind in CONTRACT_KINDS for ref, _o, _d in chosen.get(kind, ())}
    if contract_refs:
        chosen_contracts = replace(window, ids=contract_refs)
        for event in contract_entries(session, chosen_contracts, today, offsets):
            if (event.ref_id, event.offset, event.day) in chosen[event.kind]:
                built.append(event)
    refs = {kind: {ref for ref, _o, _d in chosen.get(kind, ())} for kind in EventKind}
    if refs[EventKind.TOUCHPOINT]:
        built.extend(
            touchpoint_entries(session, replace(window, ids=refs[EventKind.TOUCHPOINT]), tz)
        )
    if refs[EventKind.TASK]:
        built.extend(task_entries(session, replace(window, ids=refs[EventKind.TASK])))
    if refs[EventKind.MILESTONE]:
        built.extend(milestone_entries(session, replace(window, ids=refs[EventKind.MILESTONE])))
    built.sort(key=calendar_order)
    for event in built:
        cells[event.day].events.append(event)
    return cells


def _tally_contracts(
    session: Session,
    window: EntryWindow,
    today: date,
    offsets: tuple[int, ...],
    cells: dict[date, DayCell],
    candidates: dict[date, list[_Candidate]],
    index: ContractIndex | None,
) -> None:
    start, end, filters = window.start, window.end, window.filters
    marks = checkpoint_marks(offsets)
    keys: Sequence[ContractKey]
    if index is not None and index.owner == filters.owner and index.segment == filters.segment:
        keys = index.placing(start, end + timedelta(days=entry_reach(marks, index.max_notice)))
    else:
        horizon = entry_reach(marks, max_notice_days(session))
        selection = ContractSelection(
            start,
            end + timedelta(days=horizon),
            filters.owner,
            filters.segment,
            rolled_before=start,
        )
        keys = load_contract_keys(session, selection)
    want_renewal = filters.wants(EventKind.RENEWAL)
    want_marks = filters.wants(EventKind.CHECKPOINT)
    want_notice = filters.wants(EventKind.NOTICE)
    rolled_from = max(today, start)
    renewal, checkpoint, notice_kind = EventKind.RENEWAL, EventKind.CHECKPOINT, EventKind.NOTICE
    renewal_rank, mark_rank, notice_rank = renewal.rank, checkpoint.rank, notice_kind.rank
    active = ContractStatus.ACTIVE
    forecast = filters.forecast
    # Days as whole numbers from ``start`` in the loop (this runs for every contract of the
    # period): the period's days, and its first day's weekday for the notice rule.
    span = (end - start).days
    days = [start + timedelta(days=i) for i in range(span + 1)]
    first_weekday = start.weekday()
    counts: dict[tuple[int, EventKind, str, str], list[int]] = {}
    get = counts.get

    def tally(day: int, kind: EventKind, key: str, currency: str, value: int) -> None:
        slot = get((day, kind, key, currency))
        if slot is None:
            counts[(day, kind, key, currency)] = [1, value]
        else:
            slot[0] += 1
            slot[1] += value

    for item in keys:
        ident, begins, ends, notice, auto, value, currency, status, call, _on, outcome = item
        key = CALL_KEYS[call]
        if forecast is not None and key != forecast:
            continue
        if outcome is not None:
            key = outcome.value
        # An open auto-renewing contract that ended before the period has rolled over.
        if ends >= start:
            due = ends
        elif index is not None:
            due = index.rolled_due(item, rolled_from)
        else:
            due = renewal_date(Terms(begins, ends, notice, auto), rolled_from)
        at = (due - start).days
        if want_renewal and 0 <= at <= span:
            tally(at, renewal, key, currency, value)
            candidates[days[at]].append((renewal_rank, -value, 0.0, ident, renewal, None))
        if status is not active or outcome is not None:
            continue
        if want_marks:
            for offset in marks:
                day = at - offset
                if 0 <= day <= span:
                    tally(day, checkpoint, key, currency, value)
                    candidates[days[day]].append(
                        (mark_rank, -value, 0.0, ident, checkpoint, offset)
                    )
        if want_notice and notice > 0:
            # ``deadline_before``: notice days back, a Saturday or Sunday back to the Friday.
            day = at - notice
            weekday = (first_weekday + day) % 7
            if weekday >= 5:
                day -= weekday - 4
            if 0 <= day <= span:
                tally(day, notice_kind, key, currency, value)
                candidates[days[day]].append((notice_rank, -value, 0.0, ident, notice_kind, None))
    for (at, kind, key, currency), (count, arr) in counts.items():
        cell = cells[days[at]]
        found = cell.tallies.get((kind, key))
        if found is None:
            found = cell.tallies[(kind, key)] = Tally()
        found.count += count
        found.arr[currency] = found.arr.get(currency, 0) + arr


def _local_days(start: date, end: date, tz: tzinfo) -> list[tuple[date, datetime, datetime]]:
    """Each day with its UTC bounds in ``tz`` (days are not always 24 hours)."""
    days = []
    for index in range((end - start).days + 1):
        day = start + timedelta(days=index)
        days.append((day, *local_span(day, day, tz)))
    return days


def _count_touchpoints(
    session: Session, bounds: list[tuple[date, datetime, datetime]], filters: CalendarFilter
) -> dict[date, int]:
    """Touchpoints per local day, in one pass over the period's index range."""
    # One index range count per day: far cheaper than testing every row against every day.
    counts = [
        touchpoint_query(filters, literal(index), func.count()).where(
            Activity.occurred_at >= low, Activity.occurred_at < high
        )
        for index, (_day, low, high) in enumerate(bounds)
    ]
    result = {}
    for index, count in session.connection().execute(union_all(*counts)):
        if count:
            result[bounds[int(index)][0]] = int(count)
    return result


def _first_touchpoints(
    session: Session,
    day: date,
    low: datetime,
    high: datetime,
    limit: int,
    filters: CalendarFilter,
    candidates: dict[date, list[_Candidate]],
) -> None:
    query = (
        touchpoint_query(filters, Activity.id, Activity.occurred_at)
        .where(Activity.occurred_at >= low, Activity.occurred_at < high)
        .order_by(Activity.occurred_at, Activity.id)
        .limit(limit)
    )
    rank = EventKind.TOUCHPOINT.rank
    for ident, at in session.connection().execute(query):
        candidates[day].append((rank, 0, at.timestamp(), ident, EventKind.TOUCHPOINT, None))


def _tally_touchpoints(
    session: Session,
    start: date,
    end: date,
    filters: CalendarFilter,
    tz: tzinfo,
    cells: dict[date, DayCell],
    candidates: dict[date, list[_Candidate]],
) -> None:
    lower, upper = local_span(start, end, tz)
    query = touchpoint_query(filters, Activity.id, Activity.occurred_at, Activity.all_day).where(
        Activity.occurred_at >= lower, Activity.occurred_at < upper
    )
    rank = EventKind.TOUCHPOINT.rank
    for ident, at, all_day in session.connection().execute(query):
        day = touchpoint_day(at, all_day, tz)
        if day not in cells:
            continue
        cells[day].add(EventKind.TOUCHPOINT, EventKind.TOUCHPOINT.value)
        candidates[day].append((rank, 0, at.timestamp(), ident, EventKind.TOUCHPOINT, None))


def _count_due(
    session: Session, kind: EventKind, start: date, end: date, filters: CalendarFilter
) -> dict[date, int]:
    model = Task if kind is EventKind.TASK else Milestone
    due, query = due_query(kind, filters, model.due_on, func.count())
    query = query.where(due.between(start, end)).group_by(due)
    return {day: int(count) for day, count in session.connection().execute(query)}


def _tally_due(
    session: Session,
    kind: EventKind,
    start: date,
    end: date,
    filters: CalendarFilter,
    cells: dict[date, DayCell] | None,
    candidates: dict[date, list[_Candidate]],
    *,
    limit: int | None = None,
) -> None:
    """Read tasks or milestones due in the period as candidates (and tally them into cells)."""
    model = Task if kind is EventKind.TASK else Milestone
    due, query = due_query(kind, filters, model.id, model.due_on)
    query = query.where(due.between(start, end))
    if limit is not None:
        query = query.order_by(model.id).limit(limit)
    rank = kind.rank
    for ident, day in session.connection().execute(query):
        if cells is not None:
            cells[day].add(kind, kind.value)
        candidates[day].append((rank, 0, 0.0, ident, kind, None))
