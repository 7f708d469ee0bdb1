"""Checkpoint and notice-deadline dates: month ends, leap years, past and rolled renewals."""

from __future__ import annotations

from datetime import date

import pytest

from app.services.renewal_dates import (
    Terms,
    add_months,
    checkpoints,
    notice_deadline,
    quarter_label,
    quarter_start,
    renewal_date,
    term_months,
)


def test_checkpoints_count_back_from_the_end_date() -> None:
    terms = Terms(date(2026, 7, 1), date(2027, 6, 30), notice_days=0)
    marks = checkpoints(terms)
    assert [(m.offset, m.day) for m in marks] == [
        (120, date(2027, 3, 2)),
        (90, date(2027, 4, 1)),
        (60, date(2027, 5, 1)),
        (30, date(2027, 5, 31)),
    ]


def test_checkpoints_cross_a_leap_day() -> None:
    # 2028 is a leap year: 30 days before 30 March 2028 is 29 February.
    terms = Terms(date(2027, 3, 31), date(2028, 3, 30))
    marks = {m.offset: m.day for m in checkpoints(terms)}
    assert marks[30] == date(2028, 2, 29)
    assert marks[60] == date(2028, 1, 30)
    # The same contract a year earlier has no leap day in between.
    earlier = Terms(date(2026, 3, 31), date(2027, 3, 30))
    assert {m.offset: m.day for m in checkpoints(earlier)}[30] == date(2027, 2, 28)


def test_configured_offsets_are_sorted_and_deduplicated() -> None:
    terms = Terms(date(2026, 1, 1), date(2026, 12, 31))
    marks = checkpoints(terms, offsets=(14, 45, 14, 0))
    assert [(m.offset, m.day) for m in marks] == [
        (45, date(2026, 11, 16)),
        (14, date(2026, 12, 17)),
    ]


def test_past_renewal_keeps_its_past_checkpoints() -> None:
    terms = Terms(date(2024, 1, 1), date(2024, 12, 31), auto_renew=False)
    today = date(2026, 11, 22)
    assert renewal_date(terms, today) == date(2024, 12, 31)
    assert checkpoints(terms, today=today)[-1].day == date(2024, 12, 1)
    assert notice_deadline(terms, today, weekdays_only=False) == date(2024, 12, 31)


def test_auto_renewed_past_contract_rolls_to_the_next_anniversary() -> None:
    terms = Terms(date(2023, 3, 1), date(2024, 2, 29), notice_days=62, auto_renew=True)
    # 29 Feb is the last day of February: it rolls to the last day of each February.
    assert renewal_date(terms, date(2024, 3, 1)) == date(2025, 2, 28)
    assert renewal_date(terms, date(2027, 3, 1)) == date(2028, 2, 29)
    assert renewal_date(terms, date(2025, 2, 28)) == date(2025, 2, 28)
    # 62 days before 28 Feb 2025 is Saturday 28 Dec 2024: the deadline moves to Friday 27th.
    assert notice_deadline(terms, date(2024, 6, 1)) == date(2024, 12, 27)
    assert notice_deadline(terms, date(2024, 6, 1), weekdays_only=False) == date(2024, 12, 28)


def test_month_end_contract_rolls_month_end_to_month_end() -> None:
    quarterly = Terms(date(2025, 12, 1), date(2026, 2, 28), auto_renew=True)
    assert term_months(quarterly) == 3
    assert renewal_date(quarterly, date(2026, 3, 1)) == date(2026, 5, 31)
    assert renewal_date(quarterly, date(2026, 6, 1)) == date(2026, 8, 31)
    mid_month = Terms(date(2025, 1, 31), date(2025, 3, 30), auto_renew=True)
    assert term_months(mid_month) == 2
    assert renewal_date(mid_month, date(2025, 4, 1)) == date(2025, 5, 30)


def test_notice_deadline_is_the_last_weekday_before_notice_runs_out() -> None:
    terms = Terms(date(2026, 1, 1), date(2026, 12, 31), notice_days=90)
    # 31 Dec 2026 minus 90 days is Friday 2 October 2026.
    assert notice_deadline(terms) == date(2026, 10, 2)
    saturday = Terms(date(2026, 1, 1), date(2026, 12, 31), notice_days=89)
    assert notice_deadline(saturday, weekdays_only=False) == date(2026, 10, 3)
    assert notice_deadline(saturday) == date(2026, 10, 2)


def test_notice_across_leap_february() -> None:
    terms = Terms(date(2027, 4, 1), date(2028, 3, 31), notice_days=31)
    # 31 March 2028 minus 31 days is 29 February 2028, a Tuesday.
    assert notice_deadline(terms) == date(2028, 2, 29)


@pytest.mark.parametrize(
    ("day", "months", "keep", "expected"),
    [
        (date(2027, 1, 31), 1, False, date(2027, 2, 28)),
        (date(2028, 1, 31), 1, False, date(2028, 2, 29)),
        (date(2027, 2, 28), 12, True, date(2028, 2, 29)),
        (date(2027, 2, 28), 12, False, date(2028, 2, 28)),
        (date(2027, 4, 30), 1, True, date(2027, 5, 31)),
        (date(2027, 3, 15), -3, False, date(2026, 12, 15)),
    ],
)
def test_add_months(day: date, months: int, keep: bool, expected: date) -> None:
    assert add_months(day, months, keep_month_end=keep) == expected


def test_quarters() -> None:
    assert quarter_start(date(2027, 3, 31)) == date(2027, 1, 1)
    assert quarter_start(date(2027, 11, 2)) == date(2027, 10, 1)
    assert quarter_label(date(2027, 8, 9)) == "2027 Q3"
