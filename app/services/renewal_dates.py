"""Renewal date rules: the renewal date, its checkpoints and the notice-period deadline."""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Protocol

#: Days before the renewal date when the CSM acts (Totango's playbook starts 120 days out).
DEFAULT_CHECKPOINTS: tuple[int, ...] = (120, 90, 60, 30)
#: The checkpoint whose touch rule DOMAIN.md states: contact the customer 120 days out.
TOUCH_RULE_DAYS = 120
#: How far a deadline on a Saturday or Sunday moves back (to the Friday).
WEEKEND_SLIP_DAYS = 2


class TouchRule(StrEnum):
    """The 120-day rule: has the customer been contacted since 120 days before renewal?"""

    NOT_DUE = "not_due"
    MET = "met"
    MISSING = "missing"


class ContractTerms(Protocol):
    """What the date rules read from a contract (an ORM ``Contract`` or a ``Terms`` row)."""

    @property
    def start_date(self) -> date: ...
    @property
    def end_date(self) -> date: ...
    @property
    def notice_days(self) -> int: ...
    @property
    def auto_renew(self) -> bool: ...


@dataclass(frozen=True, slots=True)
class Terms:
    """A contract's dates as a plain value, for rows read with tuple queries."""

    start_date: date
    end_date: date
    notice_days: int = 0
    auto_renew: bool = False


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """A day, ``offset`` days before a renewal, when the CSM should act."""

    offset: int
    day: date


def is_month_end(day: date) -> bool:
    """Whether ``day`` is the last day of its month."""
    return day.day == calendar.monthrange(day.year, day.month)[1]


def add_months(day: date, months: int, *, keep_month_end: bool = False) -> date:
    """``day`` moved by whole months, clamped to the target month's last day.

    With ``keep_month_end``, a month's last day maps to the target month's last day, so a
    term ending 28 February 2027 renews to 29 February 2028, not the 28th.
    """
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    if keep_month_end and is_month_end(day):
        return date(year, month + 1, last)
    return date(year, month + 1, min(day.day, last))


def term_months(terms: ContractTerms) -> int:
    """The contract's term in whole months (at least one), e.g. 12 for an annual contract."""
    after = terms.end_date + timedelta(days=1)
    months = (after.year - terms.start_date.year) * 12 + after.month - terms.start_date.month
    if add_months(terms.start_date, months) != after:
        # An irregular term: the nearest whole number of months.
        months = round((after - terms.start_date).days / 30.436875)
    return max(1, months)


def renewal_date(terms: ContractTerms, today: date | None = None) -> date:
    """The date the contract next comes up for renewal: its end date.

    An auto-renewing contract whose end date is already past (and had no outcome recorded)
    has rolled over term by term; its renewal date is then the first rolled end date on or
    after ``today``. Without ``today`` the contract's own end date is returned.
    """
    end = terms.end_date
    if today is None or not terms.auto_renew or end >= today:
        return end
    step = term_months(terms)
    # Jump close to today first, then walk: a 10-year-old monthly contract stays cheap.
    months_past = (today.year - end.year) * 12 + today.month - end.month
    periods = max(1, months_past // step)
    rolled = add_months(end, periods * step, keep_month_end=True)
    while rolled >= today and periods > 1:
        periods -= 1
        rolled = add_months(end, periods * step, keep_month_end=True)
    while rolled < today:
        periods += 1
        rolled = add_months(end, periods * step, keep_month_end=True)
    return rolled


def checkpoints(
    terms: ContractTerms,
    offsets: tuple[int, ...] = DEFAULT_CHECKPOINTS,
    today: date | None = None,
) -> list[Checkpoint]:
    """The checkpoints before the contract's renewal, earliest first.

    ``offsets`` are days before the renewal date (120, 90, 60 and 30 unless configured);
    a past renewal has past checkpoints. ``today`` rolls auto-renewed contracts forward.
    """
    due = renewal_date(terms, today)
    marks = checkpoint_marks(offsets)
    return [Checkpoint(offset, due - timedelta(days=offset)) for offset in marks]


def checkpoint_marks(offsets: Iterable[int]) -> list[int]:
    """The offsets that mark a checkpoint (the positive ones), furthest from the renewal first."""
    return sorted({offset for offset in offsets if offset > 0}, reverse=True)


def needs_call(due: date, today: date, marks: Sequence[int], called_on: date | None) -> bool:
    """Whether a renewal due on ``due`` is past its first checkpoint without a forecast call
    made since (``called_on`` is None when nobody called it); ``marks`` from
    ``checkpoint_marks``."""
    if not marks:
        return False
    first = due - timedelta(days=marks[0])
    return first <= today and (called_on is None or called_on < first)


def touch_rule(due: date, today: date, last_touch: date | None) -> TouchRule:
    """The 120-day rule for a renewal due on ``due``, given the last meaningful touch."""
    window_opens = due - timedelta(days=TOUCH_RULE_DAYS)
    if today < window_opens:
        return TouchRule.NOT_DUE
    if last_touch is not None and last_touch >= window_opens:
        return TouchRule.MET
    return TouchRule.MISSING


def entry_reach(marks: Sequence[int], max_notice: int) -> int:
    """How many days before a renewal its entries can fall: its furthest checkpoint, or a
    notice deadline (moved back off a weekend). A period's entries come from contracts
    renewing up to this many days after it."""
    return max([*marks, max_notice + WEEKEND_SLIP_DAYS, 0])


def notice_deadline(
    terms: ContractTerms, today: date | None = None, *, weekdays_only: bool = True
) -> date:
    """The real last day to act on the renewal: renewal date minus the notice period.

    Notice is given before the term ends, so the deadline is ``notice_days`` calendar days
    before the end date (leap days counted as they fall). With ``weekdays_only`` a deadline
    on a Saturday or Sunday moves back to the Friday: nobody receives notice at the weekend.
    """
    return deadline_before(
        renewal_date(terms, today), terms.notice_days, weekdays_only=weekdays_only
    )


def deadline_before(due: date, notice_days: int, *, weekdays_only: bool = True) -> date:
    """The notice deadline of a renewal due on ``due``: the one rule every screen and file uses.

    ``notice_days`` calendar days before ``due``; a Saturday or Sunday moves back to Friday.
    """
    deadline = due - timedelta(days=notice_days)
    if weekdays_only and deadline.weekday() >= 5:
        deadline -= timedelta(days=deadline.weekday() - 4)
    return deadline


def quarter_start(day: date) -> date:
    """The first day of the calendar quarter holding ``day``."""
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def quarter_label(day: date) -> str:
    """``"2027 Q1"`` for any day of that quarter."""
    return f"{day.year} Q{(day.month - 1) // 3 + 1}"
