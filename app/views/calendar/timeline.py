"""The quarter timeline: renewals per week and forecast call, with notice deadlines."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from PySide6.QtCore import QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from app.services import dates_text
from app.services.calendar_days import DayCell
from app.services.renewal_calendar import EventKind
from app.services.renewal_rows import NO_CALL
from app.views.calendar import style

#: Rows of the timeline: forecast calls, then notice deadlines.
ROWS: tuple[tuple[str, str], ...] = (
    *((key, style.TONE_LABELS[key]) for key in ("commit", "likely", "at_risk", "lost", NO_CALL)),
    ("notice", "Notice deadlines"),
)


class QuarterTimeline(QWidget):
    """Weeks of a quarter across, forecast calls down; each cell counts renewals and ARR.

    Clicking a week opens it in the week view.
    """

    week_activated = Signal(object)

    LABEL_WIDTH = 130
    HEADER = 40

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._weeks: list[date] = []
        self._today = date.today()
        self._cells: dict[tuple[str, date], tuple[int, dict[str, int]]] = {}
        self._peak = 1

    def sizeHint(self) -> QSize:
        return QSize(900, 400)

    def set_period(self, start: date, end: date, today: date) -> None:
        """Show the weeks (from Monday) covering ``start`` .. ``end``."""
        first = start - timedelta(days=start.weekday())
        self._weeks = []
        week = first
        while week <= end:
            self._weeks.append(week)
            week += timedelta(days=7)
        self._today = today
        self.update()

    def set_cells(self, cells: dict[date, DayCell]) -> None:
        """Fold the days' tallies into weeks: open renewals by call, and notice deadlines."""
        counts: dict[tuple[str, date], int] = defaultdict(int)
        money: dict[tuple[str, date], dict[str, int]] = defaultdict(lambda: defaultdict(int))
        calls = {key for key, _label in ROWS}
        for day, cell in cells.items():
            week = day - timedelta(days=day.weekday())
            for (kind, key), tally in cell.tallies.items():
                if kind is EventKind.RENEWAL and key in calls:
                    row = key
                elif kind is EventKind.NOTICE:
                    row = "notice"
                else:
                    continue
                counts[(row, week)] += tally.count
                for currency, minor in tally.arr.items():
                    money[(row, week)][currency] += minor
        self._cells = {key: (counts[key], dict(money[key])) for key in counts}
        self._peak = max((sum(m.values()) for _, m in self._cells.values()), default=1) or 1
        self.update()

    def cell(self, row: str, week: date) -> tuple[int, dict[str, int]]:
        """Count and ARR per currency in one cell."""
        return self._cells.get((row, week), (0, {}))

    def _column_rect(self, index: int) -> QRect:
        width = (self.width() - self.LABEL_WIDTH) / max(1, len(self._weeks))
        left = self.LABEL_WIDTH + round(index * width)
        return QRect(left, 0, self.LABEL_WIDTH + round((index + 1) * width) - left, self.height())

    def week_at(self, pos: QPoint) -> date | None:
        for index, week in enumerate(self._weeks):
            if self._column_rect(index).contains(pos) and pos.y() >= self.HEADER:
                return week
        return None

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        surface = style.surface()
        painter.fillRect(self.rect(), QColor(surface.fill))
        base = QFont(self.font())
        small = QFont(base)
        small.setPointSizeF(max(7.0, base.pointSizeF() - 1))
        bold = QFont(base)
        bold.setBold(True)
        row_height = (self.height() - self.HEADER) / len(ROWS)
        for r, (key, label) in enumerate(ROWS):
            top = self.HEADER + round(r * row_height)
            band = QRect(0, top, self.width(), round(row_height))
            painter.setPen(QPen(QColor(surface.grid), 1))
            painter.drawLine(band.topLeft(), band.topRight())
            painter.setFont(bold)
            painter.setPen(QColor(style.TONE_COLOURS.get(key, surface.text)))
            painter.drawText(
                band.adjusted(8, 0, 0, 0).intersected(
                    QRect(0, top, self.LABEL_WIDTH, band.height())
                ),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                label,
            )
        for index, week in enumerate(self._weeks):
            column = self._column_rect(index)
            is_now = week <= self._today < week + timedelta(days=7)
            if is_now:
                painter.fillRect(column.adjusted(0, self.HEADER, 0, 0), QColor(surface.today))
            painter.setPen(QPen(QColor(surface.grid), 1))
            painter.drawLine(column.topLeft(), column.bottomLeft())
            painter.setFont(bold if is_now else small)
            painter.setPen(QColor(surface.text))
            head = QRect(column.left(), 0, column.width(), self.HEADER)
            painter.drawText(
                head, Qt.AlignmentFlag.AlignCenter, f"{dates_text.month_name(week)}\n{week.day}"
            )
            for r, (key, _label) in enumerate(ROWS):
                count, money = self.cell(key, week)
                if not count:
                    continue
                top = self.HEADER + round(r * row_height)
                box = QRect(column.left() + 2, top + 2, column.width() - 4, round(row_height) - 4)
                colour = QColor(
                    style.TONE_COLOURS.get(key, "#c62828" if key == "notice" else "#78909c")
                )
                strength = 40 + int(180 * sum(money.values()) / self._peak)
                colour.setAlpha(min(220, strength))
                painter.fillRect(box, colour)
                painter.setPen(QColor(surface.text))
                painter.setFont(small)
                painter.drawText(
                    box,
                    Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                    f"{count}\n{style.arr_text(money)}",
                )
        painter.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        week = self.week_at(event.position().toPoint())
        if week is not None:
            self.week_activated.emit(week)
