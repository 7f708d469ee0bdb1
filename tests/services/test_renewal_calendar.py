"""Calendar entries: which kinds, on which days, filtered, each pointing at its account tab."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from app.models.enums import ForecastCategory, HealthBand, RenewalOutcome, Segment
from app.models.store import Store
from app.services import renewals
from app.services.money import format_compact, format_money
from app.services.renewal_calendar import (
    CalendarFilter,
    EventKind,
    arr_by_currency,
    calendar_events,
)
from app.services.renewals import OutcomeRequest
from tests import renewal_book as book

TODAY = date(2027, 1, 4)


def _seed(store: Store) -> dict[str, str]:
    with store.session() as session:
        acme = book.account(session, "Acme", owner="Ana")
        beta = book.account(session, "Beta", owner="Ben", segment=Segment.SMB)
        book.health(session, acme, date(2026, 12, 1), HealthBand.GREEN, 80)
        book.health(session, acme, date(2026, 12, 28), HealthBand.RED, 40)
        # Renews 31 March 2027: checkpoints 1 Dec, 31 Dec, 30 Jan, 1 Mar; 90-day notice 31 Dec.
        march = book.contract(session, acme, date(2026, 4, 1), date(2027, 3, 31), 12_000_000)
        # Renews 15 March 2027 for Beta, called at risk.
        beta_march = book.contract(
            session, beta, date(2026, 3, 16), date(2027, 3, 15), 3_000_000, notice_days=30
        )
        renewals.set_forecast(session, beta_march.id, ForecastCategory.AT_RISK, on=TODAY)
        # Renewed already: shows on its date with its outcome, no checkpoints.
        done = book.contract(session, beta, date(2026, 3, 1), date(2027, 3, 10), 500_000)
        renewals.record_outcome(session, done.id, OutcomeRequest(RenewalOutcome.RENEWED), on=TODAY)
        call = book.touchpoint(session, acme, datetime(2027, 3, 2, 23, 30, tzinfo=UTC), title="QBR")
        todo = book.task(session, beta, date(2027, 3, 3))
        step = book.milestone(session, acme, date(2027, 3, 4))
    return {
        "march": march.id,
        "beta_march": beta_march.id,
        "done": done.id,
        "call": call.id,
        "task": todo.id,
        "milestone": step.id,
    }


def test_month_of_march(store: Store) -> None:
    ids = _seed(store)
    with store.read() as session:
        events = calendar_events(session, date(2027, 3, 1), date(2027, 3, 31), today=TODAY)
    got = [(e.day, e.kind, e.ref_id, e.offset) for e in events]
    assert got == [
        (date(2027, 3, 1), EventKind.CHECKPOINT, ids["march"], 30),
        (date(2027, 3, 2), EventKind.TOUCHPOINT, ids["call"], None),
        (date(2027, 3, 3), EventKind.TASK, ids["task"], None),
        (date(2027, 3, 4), EventKind.MILESTONE, ids["milestone"], None),
        (date(2027, 3, 10), EventKind.RENEWAL, ids["done"], None),
        (date(2027, 3, 15), EventKind.RENEWAL, ids["beta_march"], None),
        (date(2027, 3, 31), EventKind.RENEWAL, ids["march"], None),
    ]
    renewal = events[-1]
    assert (renewal.arr_minor, renewal.currency, renewal.band, renewal.tab) == (
        12_000_000,
        "USD",
        "red",
        "Renewals",
    )
    assert renewal.tone == "red"
    assert events[4].tone == "renewed"
    assert events[5].tone == "at_risk"
    # A task opens the touchpoints tab it is listed on (there is no Tasks tab).
    assert events[1].tab == "Touchpoints" and events[2].tab == "Touchpoints"
    assert events[3].tab == "Success plan"
    assert arr_by_currency(events) == {"USD": 15_500_000}


def test_time_zone_moves_late_touchpoints_to_the_next_day(store: Store) -> None:
    ids = _seed(store)
    with store.read() as session:
        events = calendar_events(
            session, date(2027, 3, 3), date(2027, 3, 3), today=TODAY, tz=ZoneInfo("Europe/Paris")
        )
    assert [e.ref_id for e in events if e.kind is EventKind.TOUCHPOINT] == [ids["call"]]


def test_december_has_checkpoints_and_notice_deadlines(store: Store) -> None:
    ids = _seed(store)
    with store.read() as session:
        events = calendar_events(session, date(2026, 12, 1), date(2026, 12, 31), today=TODAY)
    got = [(e.day, e.kind, e.ref_id, e.offset) for e in events]
    assert got == [
        (date(2026, 12, 1), EventKind.CHECKPOINT, ids["march"], 120),
        (date(2026, 12, 15), EventKind.CHECKPOINT, ids["beta_march"], 90),
        (date(2026, 12, 31), EventKind.NOTICE, ids["march"], None),
        (date(2026, 12, 31), EventKind.CHECKPOINT, ids["march"], 90),
    ]
    # Past its 120-day checkpoint, nobody called it: flagged; and nobody met Acme.
    assert events[0].needs_call and events[0].untouched


def test_filters(store: Store) -> None:
    ids = _seed(store)
    march = (date(2027, 3, 1), date(2027, 3, 31))
    with store.read() as session:
        bens = calendar_events(session, *march, CalendarFilter(owner="Ben"), today=TODAY)
        smb = calendar_events(session, *march, CalendarFilter(segment=Segment.SMB), today=TODAY)
        risky = calendar_events(session, *march, CalendarFilter(forecast="at_risk"), today=TODAY)
        uncalled = calendar_events(
            session,
            *march,
            CalendarFilter(forecast="none", kinds=frozenset({EventKind.RENEWAL})),
            today=TODAY,
        )
        tasks = calendar_events(
            session, *march, CalendarFilter(kinds=frozenset({EventKind.TASK})), today=TODAY
        )
    assert {e.account_name for e in bens} == {"Beta"}
    assert [e.ref_id for e in bens] == [e.ref_id for e in smb]
    assert [e.ref_id for e in risky if e.kind is EventKind.RENEWAL] == [ids["beta_march"]]
    assert [e.ref_id for e in uncalled] == [ids["done"], ids["march"]]
    assert [e.ref_id for e in tasks] == [ids["task"]]


def test_uids_are_stable_and_distinct(store: Store) -> None:
    _seed(store)
    with store.read() as session:
        first = calendar_events(session, date(2026, 11, 1), date(2027, 3, 31), today=TODAY)
        again = calendar_events(session, date(2026, 11, 1), date(2027, 3, 31), today=TODAY)
    assert [e.uid for e in first] == [e.uid for e in again]
    assert len({e.uid for e in first}) == len(first)


def test_money_format() -> None:
    # The calendar formats money through the one money module.
    assert format_money(12_345_600, "USD") == "$123,456"
    assert format_compact(12_345_600, "EUR") == "€123.5K"
    assert format_compact(250_000_000, "USD") == "$2.5M"
