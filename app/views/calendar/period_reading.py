"""The calendar's periods and what it reads for them: the days a mode shows, one short read
session per period, the paging cache and read-ahead, the contract index, the week's summary."""

from __future__ import annotations

from datetime import date, timedelta, tzinfo
from enum import StrEnum
from typing import TYPE_CHECKING, ClassVar

from PySide6.QtCore import QTimer
from sqlalchemy.orm import Session

from app.services.calendar_days import DayCell, calendar_days
from app.services.contract_index import ContractIndex, week_ahead
from app.services.renewal_calendar import calendar_events
from app.services.renewal_dates import add_months, quarter_start
from app.services.renewals import checkpoint_offsets
from app.views.calendar import style

if TYPE_CHECKING:
    from PySide6.QtCore import Signal
    from PySide6.QtWidgets import QComboBox, QLabel
    from PySide6.QtWidgets import QWidget as _View

    from app.services.renewal_calendar import CalendarEvent, CalendarFilter
    from app.views.context import AppContext
    from app.views.playbooks.slots import SuggestedSlots
else:
    _View = object

AGENDA_DAYS = 14
#: Tallied periods kept for paging back and forth.
CACHE_PERIODS = 8
#: Entries built per day; the rest of a busy day is counted and listed on demand.
MONTH_CHIPS = 8
WEEK_CHIPS = 40
#: The summary counts renewals this far ahead that still need a forecast call.
CALL_HORIZON_DAYS = 90


class Mode(StrEnum):
    """How the calendar lays out its period."""

    MONTH = "month"
    WEEK = "week"
    AGENDA = "agenda"
    QUARTER = "quarter"


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


class CalendarReading(_View):
    """Mixed into ``CalendarView``: the period its mode and anchor give, and reading it."""

    # Set by ``CalendarView.__init__``.
    ctx: AppContext
    tz: tzinfo
    mode: Mode
    anchor: date
    events: list[CalendarEvent]
    cells: dict[date, DayCell]
    _summary_stale: bool
    _index: ContractIndex | None
    _cache: dict[tuple[Mode, date, date, CalendarFilter], dict[date, DayCell]]
    # Its widgets.
    reloaded: ClassVar[Signal]
    owner_box: QComboBox
    summary_label: QLabel
    suggestions: SuggestedSlots

    if TYPE_CHECKING:

        def filters(self) -> CalendarFilter: ...
        def _show(self, start: date, end: date) -> None: ...

    def period(self) -> tuple[date, date]:
        """The first and last day the current mode shows."""
        if self.mode is Mode.MONTH:
            first = _monday(self.anchor.replace(day=1))
            return first, first + timedelta(days=41)
        if self.mode is Mode.WEEK:
            first = _monday(self.anchor)
            return first, first + timedelta(days=6)
        if self.mode is Mode.AGENDA:
            first = _monday(self.anchor)
            return first, first + timedelta(days=AGENDA_DAYS - 1)
        start = quarter_start(self.anchor)
        return start, add_months(start, 3) - timedelta(days=1)

    def _move_anchor(self, direction: int) -> None:
        if self.mode is Mode.MONTH:
            self.anchor = add_months(self.anchor.replace(day=1), direction)
        elif self.mode is Mode.WEEK:
            self.anchor += timedelta(days=7 * direction)
        elif self.mode is Mode.AGENDA:
            self.anchor += timedelta(days=AGENDA_DAYS * direction)
        else:
            self.anchor = add_months(quarter_start(self.anchor), 3 * direction)

    def reload(self) -> None:
        """Read the period's entries (one short read session) and show them."""
        if self._summary_stale:  # about today, like the summary: not per period
            self.suggestions.load(self.owner_box.currentData())
        start, end = self.period()
        filters = self.filters()
        cached = self._cache.get((self.mode, start, end, filters))
        if cached is not None and not self._summary_stale:
            self.cells = cached
        else:
            with self.ctx.store.read() as session:
                offsets = checkpoint_offsets(session)
                if self.mode is Mode.AGENDA:
                    self.cells = {}
                    self.events = self._read_events(session, start, end, offsets)
                else:
                    self.cells = self._read_cells(session, self.mode, start, end, offsets)
                if self._summary_stale:
                    self._summarise(session, offsets)
                    self._summary_stale = False
        if self.mode is not Mode.AGENDA:
            self.events = [event for cell in self.cells.values() for event in cell.events]
        self._show(start, end)
        self.reloaded.emit()
        if self.mode is not Mode.AGENDA:
            QTimer.singleShot(0, self._prefetch)

    def _read_events(
        self, session: Session, start: date, end: date, offsets: tuple[int, ...]
    ) -> list[CalendarEvent]:
        """Every entry ``start`` .. ``end`` under the current filters, in this view's zone
        and as of its today."""
        return calendar_events(
            session, start, end, self.filters(), today=self.ctx.today, tz=self.tz, offsets=offsets
        )

    def _read_cells(
        self, session: Session, mode: Mode, start: date, end: date, offsets: tuple[int, ...]
    ) -> dict[date, DayCell]:
        filters = self.filters()
        cells = calendar_days(
            session,
            start,
            end,
            filters,
            today=self.ctx.today,
            tz=self.tz,
            offsets=offsets,
            per_day=WEEK_CHIPS if mode is Mode.WEEK else MONTH_CHIPS,
            index=self._contract_index(session),
        )
        if len(self._cache) >= CACHE_PERIODS:
            self._cache.pop(next(iter(self._cache)))
        self._cache[(mode, start, end, filters)] = cells
        return cells

    def _prefetch(self) -> None:
        """Read the periods before and after the one shown, so paging is instant."""
        if self.mode is Mode.AGENDA:
            return
        anchor = self.anchor
        wanted = []
        for direction in (1, -1):
            self._move_anchor(direction)
            wanted.append((self.mode, *self.period()))
            self.anchor = anchor
        filters = self.filters()
        missing = [w for w in wanted if (*w, filters) not in self._cache]
        if not missing:
            return
        with self.ctx.store.read() as session:
            offsets = checkpoint_offsets(session)
            for mode, start, end in missing:
                self._read_cells(session, mode, start, end, offsets)

    def _contract_index(self, session: Session) -> ContractIndex:
        """The book's contracts in memory, so paging months reads only what is new."""
        filters = self.filters()
        index = self._index
        if index is None or (index.owner, index.segment) != (filters.owner, filters.segment):
            index = self._index = ContractIndex.load(session, filters.owner, filters.segment)
        return index

    def _summarise(self, session: Session, offsets: tuple[int, ...]) -> None:
        """Monday morning at a glance: this week's renewals, close notice deadlines, calls due."""
        filters = self.filters()
        ahead = week_ahead(
            self._contract_index(session),
            self.ctx.today,
            forecast=filters.forecast,
            offsets=offsets,
            call_days_ahead=CALL_HORIZON_DAYS,
        )
        arr = style.arr_text(ahead.renewal_arr)
        plural = "s" if ahead.renewals != 1 else ""
        self.summary_label.setText(
            f"This week: <b>{ahead.renewals}</b> renewal{plural}"
            + (f" ({arr})" if arr else "")
            + f" · <b style='color:{style.TONE_COLOURS['lost']}'>{ahead.notices}</b> notice"
            + (" deadlines" if ahead.notices != 1 else " deadline")
            + " in 14 days"
            + f" · <b>{ahead.calls_needed}</b> renewals in {CALL_HORIZON_DAYS} days need a"
            " forecast call"
        )
