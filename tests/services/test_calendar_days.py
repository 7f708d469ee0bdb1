"""Day tallies agree with the full calendar: same counts, ARR and the first entries of a day."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest

from app.models.enums import Segment
from app.services.calendar_days import calendar_days
from app.services.contract_index import ContractIndex, week_ahead
from app.services.renewal_calendar import (
    CalendarFilter,
    EventKind,
    arr_by_currency,
    calendar_events,
)
from benchmarks.calendar_book import build_book

TODAY = date(2027, 3, 8)


@pytest.fixture(scope="module")
def book_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("book") / "book.db"
    build_book(path, 150, today=TODAY, seed=3).close()
    return path


@pytest.mark.parametrize(
    "filters",
    [
        CalendarFilter(),
        CalendarFilter(owner="Ben Okafor"),
        CalendarFilter(segment=Segment.SMB, forecast="none"),
        CalendarFilter(kinds=frozenset({EventKind.RENEWAL, EventKind.TASK})),
    ],
)
@pytest.mark.parametrize(("read_all_below", "indexed"), [(1500, False), (0, True)])
def test_tallies_match_the_full_calendar(
    book_path: Path,
    filters: CalendarFilter,
    read_all_below: int,
    indexed: bool,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Both ways of reading touchpoints, tasks and milestones: all rows, or counts + top."""
    from app.models.opening import open_workspace
    from app.services import calendar_days as module

    monkeypatch.setattr(module, "READ_ALL_BELOW", read_all_below)
    store = open_workspace(book_path)
    start, end = date(2027, 3, 1), date(2027, 4, 11)
    with store.read() as session:
        full = calendar_events(session, start, end, filters, today=TODAY)
        index = ContractIndex.load(session, filters.owner, filters.segment) if indexed else None
        cells = calendar_days(session, start, end, filters, today=TODAY, per_day=5, index=index)
        everything = calendar_days(session, start, end, filters, today=TODAY, per_day=10_000)
    store.close()
    assert len(full) > 30
    assert set(cells) == {start + timedelta(days=i) for i in range(42)}
    for day, cell in cells.items():
        listed = [e for e in full if e.day == day]
        assert cell.count == len(listed)
        assert cell.renewal_arr == arr_by_currency(listed)
        kinds = Counter({kind: 0 for kind, _key in cell.tallies})
        for (kind, _key), tally in cell.tallies.items():
            kinds[kind] += tally.count
        assert +kinds == Counter(e.kind for e in listed)
        assert len(cell.events) == min(5, len(listed))
        assert cell.hidden == len(listed) - len(cell.events)
        # The built entries are the day's first ones: same kinds and ARR in the same order.
        assert [(e.kind, e.arr_minor) for e in cell.events] == [
            (e.kind, e.arr_minor) for e in listed[:5]
        ]
        assert {e.uid for e in cell.events} <= {e.uid for e in listed}
        assert {e.uid for e in everything[day].events} == {e.uid for e in listed}


def test_week_ahead_agrees_with_the_calendar(book_path: Path) -> None:
    from app.models.opening import open_workspace

    store = open_workspace(book_path)
    week_end = TODAY + timedelta(days=6)
    with store.read() as session:
        ahead = week_ahead(ContractIndex.load(session), TODAY)
        near = calendar_events(session, TODAY, TODAY + timedelta(days=90), today=TODAY)
    store.close()
    renewing = [
        e for e in near if e.kind is EventKind.RENEWAL and e.outcome is None and e.day <= week_end
    ]
    assert ahead.renewals == len(renewing) > 0
    assert ahead.renewal_arr == arr_by_currency(renewing)
    notices = [
        e for e in near if e.kind is EventKind.NOTICE and e.day <= TODAY + timedelta(days=14)
    ]
    assert ahead.notices == len(notices) > 0
    calls = [e for e in near if e.kind is EventKind.RENEWAL and e.needs_call]
    assert ahead.calls_needed == len(calls) > 0


def test_index_rolls_contracts_like_renewal_date(book_path: Path) -> None:
    from app.models.opening import open_workspace
    from app.services.renewal_dates import Terms, renewal_date

    store = open_workspace(book_path)
    with store.read() as session:
        index = ContractIndex.load(session)
    store.close()
    assert index.rolling
    for key in index.rolling:
        terms = Terms(key[1], key[2], key[3], key[4])
        # Only past their end date do contracts roll.
        for ref in (key[2] + timedelta(days=1), date(2029, 2, 28), date(2033, 7, 1)):
            assert index.rolled_due(key, ref) == renewal_date(terms, ref)
