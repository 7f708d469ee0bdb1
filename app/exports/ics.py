"""The calendar feed: the book's renewal calendar as an RFC 5545 .ics file.

Renewals, checkpoints, notice deadlines, task and milestone dues are all-day events
(``VALUE=DATE``, exclusive ``DTEND``); touchpoints are timed, in the chosen time zone.
UIDs derive from the record id and the kind of entry, so importing a newer feed into a
calendar client updates its events instead of duplicating them.

The calendar object and its ``VTIMEZONE`` come from the ``icalendar`` package. The events
themselves are written by a small serializer of our own: icalendar builds and serializes
about 5,000 events a second, and a whole book holds ~100,000 entries a year, which must
export in under two seconds. Tests read every feed back with icalendar.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from app import __version__
from app.services import dates_text
from app.services.book_facts import AccountSummary, account_summaries
from app.services.labels import forecast_label, label_of
from app.services.money import format_compact, format_money
from app.services.renewal_calendar import (
    CONTRACT_KINDS,
    CalendarEvent,
    CalendarFilter,
    EventKind,
    calendar_events,
)
from app.services.renewal_dates import DEFAULT_CHECKPOINTS

PRODID = f"-//Fieldbook//Fieldbook {__version__} renewal calendar//EN"
CALENDAR_NAME = "Fieldbook renewals"
#: What a feed holds by default: the dates a CSM plans around.
FEED_KINDS = frozenset(
    {EventKind.RENEWAL, EventKind.CHECKPOINT, EventKind.NOTICE, EventKind.TOUCHPOINT}
)
#: Added on request: the to-do side (task and milestone due dates).
TASK_KINDS = frozenset({EventKind.TASK, EventKind.MILESTONE})
#: A feed's entries unless asked otherwise: the whole book's ``FEED_KINDS``.
FEED = CalendarFilter(kinds=FEED_KINDS)
#: A touchpoint without a recorded length blocks this long.
DEFAULT_MINUTES = 60


@dataclass(frozen=True, slots=True)
class FeedResult:
    """What a feed export wrote."""

    path: Path
    events: int
    start: date
    end: date


def _escape(text: str) -> str:
    """RFC 5545 TEXT escaping (section 3.3.11)."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def _fold(line: str) -> str:
    """Fold a content line at 75 octets without splitting a UTF-8 character (3.1)."""
    if line.isascii():
        if len(line) <= 75:
            return line
        # One byte per character: cut by slicing (75, then 74 after the leading space).
        pieces = [line[:75]]
        pieces.extend(line[i : i + 74] for i in range(75, len(line), 74))
        return "\r\n ".join(pieces)
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    parts: list[str] = []
    start = 0
    limit = 75
    while start < len(data):
        stop = min(start + limit, len(data))
        # Step back off UTF-8 continuation bytes (10xxxxxx).
        while stop < len(data) and (data[stop] & 0xC0) == 0x80:
            stop -= 1
        parts.append(data[start:stop].decode("utf-8"))
        start = stop
        limit = 74  # continuation lines start with one space
    return "\r\n ".join(parts)


def _date(day: date) -> str:
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _local(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%S")


def describe(event: CalendarEvent, account: AccountSummary | None) -> str:
    """The event's description: ARR, forecast and a short account summary."""
    lines: list[str] = []
    if event.kind in (EventKind.RENEWAL, EventKind.NOTICE, EventKind.CHECKPOINT):
        lines.append(f"ARR {format_money(event.arr_minor, event.currency)}")
        forecast = forecast_label(event.forecast)  # "Not called", as the Renewals tab says
        if event.likelihood is not None:
            forecast += f" ({event.likelihood}%)"
        lines.append(f"Forecast: {forecast}")
        if event.outcome:
            lines.append(f"Outcome: {label_of(event.outcome)}")
        if event.renewal_on is not None:
            lines.append(f"Contract {event.detail} renews on {dates_text.day(event.renewal_on)}")
        if event.needs_call:
            lines.append("Action: past a checkpoint without a forecast call")
        if event.untouched:
            lines.append("Action: no touch since 120 days before renewal")
    elif event.kind is EventKind.TOUCHPOINT:
        lines.append(_touchpoint_kind(event))
    elif event.kind is EventKind.TASK and event.detail:
        lines.append(f"Owner: {event.detail}")
    elif event.detail:
        lines.append(f"Goal: {event.detail}")
    if account is not None:
        # Stored values read as the window writes them: "Mid-market", "SMB", "Yellow".
        facts = [f"{account.segment} segment" if account.segment else ""]
        facts.append(f"{account.stage} stage" if account.stage else "")
        facts.append(f"ARR {format_money(account.arr_minor, account.currency)}")
        facts.append(f"owner {account.owner}" if account.owner else "")
        facts.append(f"{label_of(event.band)} health" if event.band else "")
        lines.append(f"{account.name}: {', '.join(fact for fact in facts if fact)}")
    return "\n".join(lines)


def _touchpoint_kind(event: CalendarEvent) -> str:
    """A touchpoint's kind capitalised as the window writes it (``on site`` -> ``On site``,
    ``QBR``); the calendar entry carries it as words already."""
    return event.detail[:1].upper() + event.detail[1:]


def _summary(event: CalendarEvent) -> str:
    if event.kind is EventKind.RENEWAL:
        return f"{event.title} ({format_compact(event.arr_minor, event.currency)})"
    if event.kind is EventKind.TOUCHPOINT:
        kind = _touchpoint_kind(event)
        # Titles often start with their kind already ("Call: the backlog"): say it once.
        said = event.title.casefold().startswith(kind.casefold())
        title = event.title if said or not kind else f"{kind}: {event.title}"
        return f"{title} ({event.account_name})"
    if event.kind in (EventKind.TASK, EventKind.MILESTONE):
        return f"{event.kind.label}: {event.title} ({event.account_name})"
    return event.title


class FeedWriter:
    """Writes VEVENTs, remembering what repeats: dates, and each contract's description.

    A contract's renewal, checkpoints and notice deadline share one description, so it is
    escaped and folded once.
    """

    def __init__(
        self,
        accounts: dict[str, AccountSummary],
        stamp: datetime,
        tz: tzinfo,
        tzid: str | None,
    ) -> None:
        self.accounts = accounts
        # Each export is a newer revision of every event, so clients take its version.
        sequence = max(0, int((stamp - datetime(2024, 1, 1, tzinfo=UTC)).total_seconds() // 60))
        self.head = f"DTSTAMP:{_utc(stamp)}\r\nSEQUENCE:{sequence}\r\n"
        self.tz = tz
        self.tzid = tzid
        self._days: dict[date, str] = {}
        self._descriptions: dict[str, str] = {}
        self._categories = {kind: _fold(f"CATEGORIES:{_escape(kind.label)}") for kind in EventKind}

    def _day(self, day: date) -> str:
        text = self._days.get(day)
        if text is None:
            following = day + timedelta(days=1)
            text = self._days[day] = (
                f"DTSTART;VALUE=DATE:{_date(day)}\r\nDTEND;VALUE=DATE:{_date(following)}\r\n"
                "TRANSP:TRANSPARENT\r\n"
            )
        return text

    def _description(self, event: CalendarEvent) -> str:
        # Contract entries share their contract's description; other entries of one account
        # and kind read alike (the kind's detail and the account summary).
        if event.kind in CONTRACT_KINDS:
            cache_key = event.ref_id
        else:
            cache_key = f"{event.kind.value}|{event.detail}|{event.account_id}"
        text = self._descriptions.get(cache_key)
        if text is None:
            account = self.accounts.get(event.account_id)
            text = _fold(f"DESCRIPTION:{_escape(describe(event, account))}")
            self._descriptions[cache_key] = text
        return text

    def event(self, event: CalendarEvent) -> str:
        """One VEVENT, its lines folded and ended by CRLF."""
        if event.kind is EventKind.TOUCHPOINT and event.starts_at is not None:
            begin = event.starts_at
            finish = begin + timedelta(minutes=event.duration_minutes or DEFAULT_MINUTES)
            if self.tzid is None:
                when = f"DTSTART:{_utc(begin)}\r\nDTEND:{_utc(finish)}\r\n"
            else:
                tzid, tz = self.tzid, self.tz
                when = (
                    f"DTSTART;TZID={tzid}:{_local(begin.astimezone(tz))}\r\n"
                    f"DTEND;TZID={tzid}:{_local(finish.astimezone(tz))}\r\n"
                )
            when += "TRANSP:OPAQUE\r\n"
        else:
            when = self._day(event.day)
        return (
            f"BEGIN:VEVENT\r\nUID:{event.uid}\r\n{self.head}{when}"
            f"{_fold('SUMMARY:' + _escape(_summary(event)))}\r\n"
            f"{self._description(event)}\r\n{self._categories[event.kind]}\r\n"
            f"X-FIELDBOOK-ACCOUNT:{event.account_id}\r\nEND:VEVENT\r\n"
        )


def _header(name: str, tzid: str | None, start: date, end: date) -> str:
    from icalendar import Calendar, Timezone

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    if tzid is not None:
        first = date(start.year - 1, 1, 1)
        last = date(end.year + 2, 1, 1)
        calendar.add_component(Timezone.from_tzid(tzid, first_date=first, last_date=last))
    text: str = calendar.to_ical().decode("utf-8")
    closing = "END:VCALENDAR\r\n"
    assert text.endswith(closing)
    return text[: -len(closing)]


def render_feed(
    events: Iterable[CalendarEvent],
    accounts: dict[str, AccountSummary],
    *,
    stamp: datetime,
    start: date,
    end: date,
    tz_name: str = "UTC",
    name: str = CALENDAR_NAME,
) -> bytes:
    """The .ics bytes for ``events``; ``stamp`` (UTC) is the DTSTAMP of every event."""
    tz: tzinfo = UTC if tz_name == "UTC" else ZoneInfo(tz_name)
    tzid = None if tz_name == "UTC" else tz_name
    writer = FeedWriter(accounts, stamp, tz, tzid)
    out = [_header(name, tzid, start, end)]
    out.extend(writer.event(event) for event in events)
    out.append("END:VCALENDAR\r\n")
    return "".join(out).encode("utf-8")


def calendar_feed(
    session: Session,
    start: date,
    end: date,
    filters: CalendarFilter = FEED,
    *,
    today: date,
    now: datetime,
    tz_name: str = "UTC",
    offsets: tuple[int, ...] = DEFAULT_CHECKPOINTS,
) -> tuple[bytes, int]:
    """The feed of the entries ``filters`` picks for ``start`` .. ``end`` and how many events
    it holds."""
    tz: tzinfo = UTC if tz_name == "UTC" else ZoneInfo(tz_name)
    events = calendar_events(session, start, end, filters, today=today, tz=tz, offsets=offsets)
    owner = filters.owner
    data = render_feed(
        events,
        account_summaries(session, owner),
        stamp=now,
        start=start,
        end=end,
        tz_name=tz_name,
        name=CALENDAR_NAME if owner is None else f"{CALENDAR_NAME}: {owner}",
    )
    return data, len(events)


def _file_mode(path: Path) -> int:
    if path.exists():
        return path.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temp file in the same folder and a rename.

    A failure leaves no half-written file and the previous file, if any, untouched.
    """
    fd, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            # mkstemp makes the file private; give it the mode a plain open() would.
            os.fchmod(handle.fileno(), _file_mode(path))
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        temp.replace(path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def export_calendar(
    session: Session,
    path: Path,
    *,
    today: date,
    days: int = 90,
    owner: str | None = None,
    tz_name: str = "UTC",
    now: datetime | None = None,
    offsets: tuple[int, ...] = DEFAULT_CHECKPOINTS,
    with_tasks: bool = False,
) -> FeedResult:
    """Write the feed of the next ``days`` days (from ``today``) to ``path``, atomically.

    The feed holds renewals, checkpoints, notice deadlines and touchpoints; ``with_tasks``
    adds task and milestone due dates.
    """
    start, end = today, today + timedelta(days=days - 1)
    data, count = calendar_feed(
        session,
        start,
        end,
        CalendarFilter(owner=owner, kinds=FEED_KINDS | TASK_KINDS if with_tasks else FEED_KINDS),
        today=today,
        now=now or datetime.now(UTC),
        tz_name=tz_name,
        offsets=offsets,
    )
    write_atomically(path, data)
    return FeedResult(path=path, events=count, start=start, end=end)
