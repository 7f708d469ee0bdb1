"""The one date editor: typed in the user's locale order or as words, or picked on a calendar;
a day shows as everywhere else (``app.services.dates_text.day``), in date pickers too."""

from __future__ import annotations

import re
from datetime import date, datetime, time

from PySide6.QtCore import QDate, QLocale, QTime, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCalendarWidget,
    QDateEdit,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QWidget,
    QWidgetAction,
)

from app.services import dates_text
from app.services.date_words import Order, parse_typed_date
from app.services.touchpoint_time import parse_time
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


def day_picker(day: date | None = None, parent: QWidget | None = None) -> QDateEdit:
    """A date picker with its calendar popup, on ``day`` when given, showing its day as the
    rest of the window does (``Dec 3, 2026``, ``3 Dec 2026``): the day form's pattern, month
    names in the same locale."""
    edit = QDateEdit(parent)
    if day is not None:
        edit.setDate(QDate(day.year, day.month, day.day))
    edit.setCalendarPopup(True)
    edit.setLocale(QLocale(dates_text.locale_name()))
    edit.setDisplayFormat(day_display_format())
    return edit


def day_display_format() -> str:
    """The day form (``app.services.dates_text.day``) as a Qt display format: ``MMM d, yyyy``."""
    # CLDR and Qt share d/M and quoted literals; a CLDR "y" is the whole year.
    return re.sub(r"y+", "yyyy", dates_text.day_pattern())


class DateLineEdit(QLineEdit):
    """A date field: type "31/12/2026" (locale order), "2026-12-31", "next tuesday", "+2w",
    or open the calendar; leaving the field rewrites the text as every date reads
    (``app.services.dates_text.day``: "Dec 31, 2026")."""

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
        # What the field last wrote, and its date: it reads back in any locale.
        self.written: tuple[str, date] | None = None
        example = self.locale_.toString(QDate(2026, 12, 31), locale_format(self.locale_))
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
        if self.written is not None and text == self.written[0]:
            return self.written[1]
        return parse_typed_date(text, self._today(), self.order)

    def set_date(self, value: date | None) -> None:
        """Show ``value`` as every date reads (None empties the field)."""
        if value is None:
            self.setText("")
            return
        self.written = (dates_text.day(value), value)
        self.setText(self.written[0])

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


def time_text(value: time, locale: QLocale | None = None) -> str:
    """A time of day as the locale writes it short (14:30, 2:30 PM)."""
    loc = locale or QLocale()
    return loc.toString(QTime(value.hour, value.minute), QLocale.FormatType.ShortFormat)


class TimeLineEdit(QLineEdit):
    """A time of day, typed as the locale writes it (14:30, 2:30 PM) or as 1430-style short
    forms (9, 9.15, 2pm); empty means "all day". Leaving the field rewrites it in the locale."""

    def __init__(self, parent: QWidget | None = None, *, locale: QLocale | None = None) -> None:
        super().__init__(parent)
        self.locale_ = locale or QLocale()
        self.setPlaceholderText(f"All day (or {time_text(time(14, 30), self.locale_)})")
        self.setToolTip("A time of day such as 14:30 or 2:30 pm; leave empty for all day")
        self.editingFinished.connect(self._normalise)

    def time_value(self) -> time | None:
        """The typed time (None when empty); ValueError with one sentence when it is not one."""
        text = self.text().strip()
        if not text:
            return None
        parsed = self.locale_.toTime(text, QLocale.FormatType.ShortFormat)
        if parsed.isValid():
            return time(parsed.hour(), parsed.minute())
        return parse_time(text)

    def set_time(self, value: time | None) -> None:
        self.setText("" if value is None else time_text(value, self.locale_))

    def _normalise(self) -> None:
        try:
            value = self.time_value()
        except ValueError:
            return
        self.set_time(value)


class DateTimeFields(QWidget):
    """A date editor and a time editor side by side: a date (all day) or a local start."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None, *, locale: QLocale | None = None) -> None:
        super().__init__(parent)
        self.dates = DateLineEdit(self, locale=locale)
        self.times = TimeLineEdit(self, locale=locale)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.dates, 3)
        layout.addWidget(self.times, 2)
        self.dates.textChanged.connect(self.changed)
        self.dates.date_picked.connect(lambda _d: self.changed.emit())
        self.times.textChanged.connect(self.changed)

    def set_value(self, value: date | datetime | None) -> None:
        """A date shows with an empty time (all day); a naive datetime shows both."""
        if isinstance(value, datetime):
            self.dates.set_date(value.date())
            self.times.set_time(value.time())
        else:
            self.dates.set_date(value)
            self.times.set_time(None)

    def value(self) -> date | datetime | None:
        """None without a date; the date alone (all day); or the naive local start."""
        day = self.dates.date_value()
        at = self.times.time_value()
        if day is None:
            if at is not None:
                raise ValueError("Give the date of this time.")
            return None
        return day if at is None else datetime.combine(day, at)
