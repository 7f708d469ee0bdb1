"""The agenda's columns and the "+N more" popup that lists one day's entries."""

from __future__ import annotations

from datetime import UTC, date, tzinfo

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import QFrame, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from app.services import dates_text
from app.services.labels import forecast_label
from app.services.money import format_money
from app.services.renewal_calendar import CalendarEvent, EventKind, arr_by_currency
from app.views.calendar import style
from app.views.calendar.grid import chip_text
from app.views.calendar.table_model import Column


def swatch(colour: str) -> QIcon:
    """A small square of ``colour`` for lists and combo boxes."""
    pixmap = QPixmap(12, 12)
    pixmap.fill(QColor(colour))
    return QIcon(pixmap)


def agenda_columns() -> list[Column[CalendarEvent]]:
    """The agenda's columns."""
    return [
        Column(
            "Date", lambda e: dates_text.weekday_day(e.day), sort_key=lambda e: e.day.toordinal()
        ),
        Column(
            "Kind", lambda e: e.kind.label if e.offset is None else f"{e.offset}-day checkpoint"
        ),
        Column("Account", lambda e: e.account_name),
        Column(
            "What",
            lambda e: (
                e.detail
                if e.kind in (EventKind.RENEWAL, EventKind.NOTICE, EventKind.CHECKPOINT)
                else e.title
            ),
        ),
        Column(
            "ARR",
            lambda e: format_money(e.arr_minor, e.currency) if e.arr_minor else "",
            sort_key=lambda e: e.arr_minor,
            right=True,
        ),
        Column(
            "Call / health",
            lambda e: forecast_label(e.tone) + (" · needs call" if e.needs_call else ""),
            colour=lambda e: style.TONE_COLOURS.get(e.tone),
        ),
        Column("Owner", lambda e: e.owner or ""),
    ]


class DayPopup(QFrame):
    """Every entry of one day, for the cell's "+N more" link; click one to open it."""

    chosen = Signal(object)

    def __init__(
        self,
        day: date,
        events: list[CalendarEvent],
        tz: tzinfo = UTC,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.tz = tz
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        arr = style.arr_text(arr_by_currency(events))
        title = QLabel(
            f"<b>{dates_text.long_day(day)}</b> — {len(events)} entries"
            + (f" · {arr}" if arr else "")
        )
        layout.addWidget(title)
        self.list = QListWidget()
        for event in events:
            item = QListWidgetItem(
                swatch(style.TONE_COLOURS.get(event.tone, "#78909c")),
                chip_text(event, timed=True, tz=self.tz),
            )
            item.setData(Qt.ItemDataRole.UserRole, event)
            self.list.addItem(item)
        self.list.setMinimumWidth(360)
        self.list.setMinimumHeight(min(400, 24 * len(events) + 8))
        self.list.itemClicked.connect(lambda item: self._choose(item))
        self.list.itemActivated.connect(lambda item: self._choose(item))
        layout.addWidget(self.list)

    def _choose(self, item: QListWidgetItem) -> None:
        self.chosen.emit(item.data(Qt.ItemDataRole.UserRole))
        self.close()
