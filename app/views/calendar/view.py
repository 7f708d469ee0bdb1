"""The book's Calendar view: month, week, agenda and quarter timeline, with filters."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QStackedWidget,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.models.changes import ChangeKind, ChangeSet
from app.models.enums import Segment
from app.services import dates_text
from app.services.calendar_days import DayCell
from app.services.contract_index import ContractIndex
from app.services.labels import label_of
from app.services.renewal_calendar import CalendarEvent, CalendarFilter, EventKind
from app.services.renewal_rows import NO_CALL
from app.services.renewals import checkpoint_offsets
from app.views.calendar import dialogs, style
from app.views.calendar.commands import RescheduleCommand
from app.views.calendar.day_lists import DayPopup, agenda_columns, swatch
from app.views.calendar.grid import DayGrid
from app.views.calendar.owner_filter import fill_owner_box
from app.views.calendar.period_reading import CalendarReading, Mode
from app.views.calendar.table_model import SnapshotTableModel
from app.views.calendar.timeline import QuarterTimeline
from app.views.context import AppContext
from app.views.locale_text import local_zone
from app.views.playbooks.my_book import default_to_my_book
from app.views.playbooks.slots import SuggestedSlots
from app.views.rich_text import unbroken
from app.views.undo import push_edit

#: What the calendar shows: renewals and their checkpoints, touchpoints, tasks, milestones.
SHOWS = (
    ChangeKind.ACCOUNT,
    ChangeKind.CONTRACT,
    ChangeKind.RENEWAL,
    ChangeKind.ACTIVITY,
    ChangeKind.TASK,
    ChangeKind.SUCCESS_PLAN,
    ChangeKind.HEALTH,
)
#: What the in-memory contract index is built from.
INDEXED = (ChangeKind.ACCOUNT, ChangeKind.CONTRACT, ChangeKind.RENEWAL)


#: What the grid's marks mean, in the legend under it.
LEGEND_MARKS = (
    "R renewal",
    "! notice deadline",
    "◷ checkpoint",
    "● touchpoint",
    "☐ task",
    "◆ milestone",
    "red ring: needs a forecast call",
)


class CalendarView(CalendarReading, QWidget):
    """The whole book's calendar. Click an entry to open its account at the right tab;
    drag a touchpoint or task to another day to move it (undoable)."""

    title = "Calendar"
    reloaded = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.tz = local_zone()
        self.mode = Mode.MONTH
        self.anchor = ctx.today
        #: The entries built for the period (all of them in the agenda, the first of each
        #: day elsewhere) and, outside the agenda, every day's tallies.
        self.events: list[CalendarEvent] = []
        self.cells: dict[date, DayCell] = {}
        self.popup: DayPopup | None = None
        # The summary is about today, so moving between periods does not change it.
        self._summary_stale = True
        self._index: ContractIndex | None = None
        #: Tallied periods by (mode, start, end, filters); emptied whenever the book changes.
        self._cache: dict[tuple[Mode, date, date, CalendarFilter], dict[date, DayCell]] = {}
        self._build()
        self._fill_owners()
        ctx.events.changed.connect(self._on_changed)
        self.reload()

    # -- layout --------------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        bar = QHBoxLayout()
        self.today_button = QPushButton("Today")
        self.today_button.setToolTip("Go to today (T)")
        self.prev_button = QToolButton()
        self.prev_button.setText("◀")
        self.prev_button.setToolTip("Previous (Page Up)")
        self.next_button = QToolButton()
        self.next_button.setText("▶")
        self.next_button.setToolTip("Next (Page Down)")
        self.period_label = QLabel()
        font = self.period_label.font()
        font.setPointSizeF(font.pointSizeF() + 3)
        font.setBold(True)
        self.period_label.setFont(font)
        self.today_button.clicked.connect(self.go_today)
        self.prev_button.clicked.connect(lambda: self.step(-1))
        self.next_button.clicked.connect(lambda: self.step(1))
        for widget in (self.today_button, self.prev_button, self.next_button, self.period_label):
            bar.addWidget(widget)
        bar.addStretch(1)
        self.mode_buttons = QButtonGroup(self)
        for number, (mode, text) in enumerate(
            (
                (Mode.MONTH, "Month"),
                (Mode.WEEK, "Week"),
                (Mode.AGENDA, "Agenda"),
                (Mode.QUARTER, "Quarter"),
            ),
            start=1,
        ):
            button = QToolButton()
            button.setText(text)
            button.setCheckable(True)
            button.setToolTip(f"{text} view (Ctrl+{number})")
            button.setChecked(mode is self.mode)
            button.clicked.connect(lambda _=False, m=mode: self.set_mode(m))
            self.mode_buttons.addButton(button, number)
            bar.addWidget(button)
        layout.addLayout(bar)

        filters = QHBoxLayout()
        self.owner_box = QComboBox()
        self.owner_box.setToolTip("Owner")
        self.segment_box = QComboBox()
        self.segment_box.addItem("All segments", None)
        for segment in Segment:
            self.segment_box.addItem(label_of(segment), segment)
        self.forecast_box = QComboBox()
        self.forecast_box.addItem("Any forecast", None)
        for key in ("commit", "likely", "at_risk", "lost", NO_CALL):
            self.forecast_box.addItem(swatch(style.TONE_COLOURS[key]), style.TONE_LABELS[key], key)
        self.kind_button = QToolButton()
        self.kind_button.setText("Types")
        self.kind_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.kind_menu = QMenu(self.kind_button)
        self.kind_actions: dict[EventKind, QAction] = {}
        for kind in EventKind:
            action = self.kind_menu.addAction(f"{style.KIND_MARKS[kind]}  {kind.label}")
            action.setCheckable(True)
            action.setChecked(True)
            action.toggled.connect(self._filters_changed)
            self.kind_actions[kind] = action
        self.kind_button.setMenu(self.kind_menu)
        for box in (self.owner_box, self.segment_box, self.forecast_box):
            box.currentIndexChanged.connect(self._filters_changed)
            filters.addWidget(box)
        filters.addWidget(self.kind_button)
        self.summary_label = QLabel()
        self.summary_label.setTextFormat(Qt.TextFormat.RichText)
        # Wraps rather than widening the window past a 1366-pixel screen.
        self.summary_label.setWordWrap(True)
        self.summary_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        filters.addWidget(self.summary_label, 1)
        layout.addLayout(filters)
        self.suggestions = SuggestedSlots(self.ctx, self)  # reviews due by the cadence
        layout.addWidget(self.suggestions)

        self.stack = QStackedWidget()
        self.grid = DayGrid()
        self.grid.tz = self.tz
        self.grid.event_activated.connect(self.open_event)
        self.grid.more_requested.connect(self.show_day_popup)
        self.grid.day_selected.connect(self._day_selected)
        self.grid.day_activated.connect(self._day_activated)
        self.grid.reschedule_requested.connect(self.reschedule)
        self.agenda_model: SnapshotTableModel[CalendarEvent] = SnapshotTableModel(
            agenda_columns(), self
        )
        self.agenda = QTableView()
        self.agenda.setModel(self.agenda_model)
        self.agenda.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.agenda.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.agenda.verticalHeader().setVisible(False)
        self.agenda.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.agenda.horizontalHeader().setStretchLastSection(True)
        self.agenda.setAlternatingRowColors(True)
        self.agenda.activated.connect(
            lambda index: self.open_event(self.agenda_model.row_at(index.row()))
        )
        self.timeline = QuarterTimeline()
        self.timeline.week_activated.connect(self._week_activated)
        for page in (self.grid, self.agenda, self.timeline):
            self.stack.addWidget(page)
        layout.addWidget(self.stack, 1)
        # Lines break only between whole items (a line ended in "☐", the next began "task").
        tones = (
            f"<span style='color:{style.TONE_COLOURS[k]}'>■</span>&nbsp;"
            + unbroken(style.TONE_LABELS[k])
            for k in ("commit", "likely", "at_risk", "lost", "none", "red", "yellow", "green")
        )
        marks = (unbroken(mark) for mark in LEGEND_MARKS)
        legend = QLabel("&nbsp; ".join(tones) + "&nbsp;&nbsp; " + "&nbsp;· ".join(marks))
        legend.setObjectName("calendarLegend")
        legend.setTextFormat(Qt.TextFormat.RichText)
        legend.setWordWrap(True)  # one line was 1,140 pixels: the window grew past the screen
        legend.setStyleSheet(f"color: {style.surface().muted}")
        layout.addWidget(legend)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Page Up/Down: previous/next period; T or Home: today; Ctrl+1..4: the modes.

        Arrow keys and Enter move and open days inside the grid, which passes the rest here.
        """
        key = Qt.Key(event.key())
        control = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        modes = {Qt.Key.Key_1: Mode.MONTH, Qt.Key.Key_2: Mode.WEEK, Qt.Key.Key_3: Mode.AGENDA}
        modes[Qt.Key.Key_4] = Mode.QUARTER
        if key == Qt.Key.Key_PageUp:
            self.step(-1)
        elif key == Qt.Key.Key_PageDown:
            self.step(1)
        elif key in (Qt.Key.Key_T, Qt.Key.Key_Home) and not control:
            self.go_today()
        elif control and key in modes:
            self.set_mode(modes[key])
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def _fill_owners(self) -> None:
        fill_owner_box(self.owner_box, self.ctx.store)
        self.owner_box.blockSignals(True)
        default_to_my_book(self.owner_box)  # "my book": the user's accounts first
        self.owner_box.blockSignals(False)

    # -- period and filters ---------------------------------------------------------------
    def filters(self) -> CalendarFilter:
        """The filters the user picked."""
        kinds = frozenset(kind for kind, action in self.kind_actions.items() if action.isChecked())
        return CalendarFilter(
            owner=self.owner_box.currentData(),
            segment=Segment(segment) if (segment := self.segment_box.currentData()) else None,
            forecast=self.forecast_box.currentData(),
            kinds=None if len(kinds) == len(EventKind) else kinds,
        )

    def set_mode(self, mode: Mode) -> None:
        self.mode = Mode(mode)
        self.mode_buttons.button(list(Mode).index(self.mode) + 1).setChecked(True)
        self.reload()

    def set_anchor(self, day: date) -> None:
        self.anchor = day
        self.reload()

    def step(self, direction: int) -> None:
        """Next (+1) or previous (-1) month, week, agenda page or quarter."""
        self._move_anchor(direction)
        self.grid.selected = self.anchor
        self.reload()

    def go_today(self) -> None:
        self.anchor = self.ctx.today
        self.grid.selected = self.ctx.today
        self.reload()

    def _filters_changed(self, *_args: object) -> None:
        self._summary_stale = True
        self._cache.clear()
        self.reload()

    # -- showing ---------------------------------------------------------------------------
    def _show(self, start: date, end: date) -> None:
        if self.mode is Mode.MONTH:
            self.period_label.setText(dates_text.long_month(self.anchor))
            self.grid.set_period(start, 6, self.anchor.month, self.ctx.today)
            self.grid.set_cells(self.cells)
            self.stack.setCurrentWidget(self.grid)
        elif self.mode is Mode.WEEK:
            self.period_label.setText(f"Week of {dates_text.day(start)}")
            self.grid.set_period(start, 1, None, self.ctx.today)
            self.grid.set_cells(self.cells)
            self.stack.setCurrentWidget(self.grid)
        elif self.mode is Mode.AGENDA:
            self.period_label.setText(dates_text.span(start, end))
            self.agenda_model.set_rows(self.events)
            self.stack.setCurrentWidget(self.agenda)
        else:
            self.period_label.setText(f"Q{(start.month - 1) // 3 + 1} {start.year}")
            self.timeline.set_period(start, end, self.ctx.today)
            self.timeline.set_cells(self.cells)
            self.stack.setCurrentWidget(self.timeline)

    def _on_changed(self, changes: ChangeSet) -> None:
        if changes.touches(*SHOWS):
            self._summary_stale = True
            self._cache.clear()
            if changes.touches(*INDEXED):
                self._index = None
            if changes.touches(ChangeKind.ACCOUNT):
                self._fill_owners()
            self.reload()

    # -- actions -------------------------------------------------------------------------
    def open_event(self, event: CalendarEvent) -> None:
        """Open the entry's account at the tab that shows it."""
        self.ctx.events.open_account.emit(event.account_id, event.tab)

    def show_day_popup(self, day: date, where: QPoint | None = None) -> DayPopup:
        """List every entry of ``day`` in a popup (the "+N more" link)."""
        if self.popup is not None:
            self.popup.close()
        self.popup = DayPopup(day, self.day_events(day), self.tz, self)
        self.popup.chosen.connect(self.open_event)
        if where is not None:
            self.popup.move(where)
        self.popup.show()
        return self.popup

    def day_events(self, day: date) -> list[CalendarEvent]:
        """Every entry of one day under the current filters (read when asked for)."""
        with self.ctx.store.read() as session:
            return self._read_events(session, day, day, checkpoint_offsets(session))

    def reschedule(self, event: CalendarEvent, day: date) -> None:
        """Move a touchpoint or task to ``day`` as an undoable command."""
        try:
            command = RescheduleCommand(self.ctx, event, day, self.tz)
        except ValueError as exc:  # not a movable entry
            dialogs.show_error(self, str(exc))
            return
        push_edit(self.ctx, command, self)

    def _day_selected(self, day: date) -> None:
        start, end = self.period()
        if not start <= day <= end or (self.mode is Mode.MONTH and day.month != self.anchor.month):
            self.anchor = day
            self.reload()
            self.grid.selected = day

    def _day_activated(self, day: date) -> None:
        if self.mode is Mode.MONTH:
            self.anchor = day
            self.set_mode(Mode.WEEK)
        elif (cell := self.grid.cell(day)) is not None and cell.count:
            self.show_day_popup(day, self.grid.mapToGlobal(self.grid.cell_rect(day).center()))

    def _week_activated(self, week: date) -> None:
        self.anchor = week
        self.set_mode(Mode.WEEK)
