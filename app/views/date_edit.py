"""The one date editor: typed in the user's locale order or as words, or picked on a calendar."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QLocale, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QCalendarWidget, QLineEdit, QMenu, QWidget, QWidgetAction

from app.services.date_words import Order, parse_typed_date
from app.views.icons import icon


def locale_order(locale: QLocale | None = None) -> Order:
    """Whether the locale writes numeric dates day-, month- or year-first."""
    fmt = (locale or QLocale()).dateFormat(QLocale.FormatType.ShortFormat).lower()
    positions = {part: fmt.find(part) for part in ("d", "m", "y")}
    if min(positions.values()) < 0:
        return "dmy"
    ordered = "".join(sorted(positions, key=lambda p: positions[p]))
    return ordered if ordered in ("dmy", "mdy", "ymd") else "dmy"  # type: ignore[return-value]


def locale_format(locale: QLocale | None = None) -> str:
    """The locale's short date format with a four-digit year (31.12.2026, 12/31/2026)."""
    fmt = (locale or QLocale()).dateFormat(QLocale.FormatType.ShortFormat)
    if "yyyy" not in fmt:
        fmt = fmt.replace("yy", "yyyy")
    return fmt


class DateLineEdit(QLineEdit):
    """A date field: type "31/12/2026" (locale order), "2026-12-31", "next tuesday", "+2w",
    or open the calendar; leaving the field rewrites the text as the locale writes it."""

    date_picked = Signal(object)

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        today: date | None = None,
        locale: QLocale | None = None,
    ) -> None:
        super().__init__(parent)
        self.locale_ = locale or QLocale()
        self.today = today
        self.order = locale_order(self.locale_)
        self.format = locale_format(self.locale_)
        example = self.locale_.toString(QDate(2026, 12, 31), self.format)
        self.setPlaceholderText(f"{example}, tomorrow, next tue, +2w")
        self.setToolTip(
            "Type a date as you write it, or a word: today, tomorrow, next tuesday, +2w, in 3 days"
        )
        self.calendar_action = QAction(icon("today"), "Pick a date", self)
        self.calendar_action.triggered.connect(self.open_calendar)
        self.addAction(self.calendar_action, QLineEdit.ActionPosition.TrailingPosition)
        self.calendar = QCalendarWidget()
        self.calendar.setLocale(self.locale_)
        self.calendar.setFirstDayOfWeek(self.locale_.firstDayOfWeek())
        self.calendar.setGridVisible(False)
        self.calendar.clicked.connect(self._picked)
        self.calendar.activated.connect(self._picked)
        self.popup = QMenu(self)
        holder = QWidgetAction(self.popup)
        holder.setDefaultWidget(self.calendar)
        self.popup.addAction(holder)
        self.editingFinished.connect(self._normalise)

    def _today(self) -> date:
        return self.today or date.today()

    def date_value(self) -> date | None:
        """The typed date (None when empty); ValueError with one sentence when it is not one."""
        text = self.text().strip()
        if not text:
            return None
        return parse_typed_date(text, self._today(), self.order)

    def set_date(self, value: date | None) -> None:
        """Show ``value`` in the locale's format (None empties the field)."""
        if value is None:
            self.setText("")
            return
        self.setText(self.locale_.toString(QDate(value.year, value.month, value.day), self.format))

    def _normalise(self) -> None:
        try:
            value = self.date_value()
        except ValueError:
            return  # the form shows why beside the field; the text stays for fixing
        self.set_date(value)

    def open_calendar(self) -> None:
        try:
            current = self.date_value() or self._today()
        except ValueError:
            current = self._today()
        self.calendar.setSelectedDate(QDate(current.year, current.month, current.day))
        self.popup.popup(self.mapToGlobal(self.rect().bottomLeft()))

    def _picked(self, picked: QDate) -> None:
        value = date(picked.year(), picked.month(), picked.day())
        self.set_date(value)
        self.popup.close()
        self.date_picked.emit(value)
