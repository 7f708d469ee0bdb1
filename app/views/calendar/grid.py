"""The month and week grid: painted day cells with entry chips, counts, ARR and drag to move."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, timedelta, tzinfo

from PySide6.QtCore import QPoint, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import QApplication, QSizePolicy, QWidget

from app.services import dates_text
from app.services.calendar_days import DayCell
from app.services.money import format_compact
from app.services.renewal_calendar import CalendarEvent, EventKind
from app.views.calendar import style

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True)
class _Chip:
    rect: QRect
    event: CalendarEvent


def chip_text(event: CalendarEvent, *, timed: bool = False, tz: tzinfo = UTC) -> str:
    """What a chip says: its mark, the account or title, and ARR for renewals."""
    mark = style.KIND_MARKS[event.kind]
    if event.kind is EventKind.RENEWAL:
        arr = format_compact(event.arr_minor, event.currency)
        return f"{mark} {event.account_name} · {arr}"
    if event.kind is EventKind.CHECKPOINT:
        return f"{mark} {event.offset}d {event.account_name}"
    if event.kind is EventKind.NOTICE:
        return f"{mark} Notice: {event.account_name}"
    if event.kind is EventKind.TOUCHPOINT and timed and event.starts_at is not None:
        at = event.starts_at.astimezone(tz)
        return f"{mark} {at:%H:%M} {event.title} · {event.account_name}"
    return f"{mark} {event.title} · {event.account_name}"


class DayGrid(QWidget):
    """Rows of seven day cells (6 rows for a month, 1 for a week), painted for speed.

    Each cell shows its day, a count and the ARR renewing that day, and as many entry chips
    as fit; the rest fold into a "+N more" link that asks for a popup. Touchpoints and tasks
    can be dragged to another day.
    """

    event_activated = Signal(object)
    more_requested = Signal(object, QPoint)
    day_selected = Signal(object)
    day_activated = Signal(object)
    reschedule_requested = Signal(object, object)

    HEADER = 22

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(False)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._first = date.today()
        self._rows = 6
        self._month: int | None = None
        #: What the last paint painted on (light or dark palette).
        self._surface = style.LIGHT
        self._today = date.today()
        self.selected = date.today()
        self._cells: dict[date, DayCell] = {}
        self._chips: list[_Chip] = []
        self._more: list[tuple[QRect, date]] = []
        self._press: tuple[QPoint, CalendarEvent] | None = None
        self._drag_target: date | None = None
        self._dragging = False
        #: Time zone of touchpoint times on chips.
        self.tz: tzinfo = UTC

    # -- content -------------------------------------------------------------------------
    def set_period(self, first: date, rows: int, month: int | None, today: date) -> None:
        """Show ``rows`` weeks from ``first`` (a Monday); ``month`` dims the other months."""
        self._first, self._rows, self._month, self._today = first, rows, month, today
        if not self.first_day <= self.selected <= self.last_day:
            self.selected = today if self.first_day <= today <= self.last_day else first
        self.update()

    def set_cells(self, cells: dict[date, DayCell]) -> None:
        """The days' tallies and their first entries (``calendar_days``)."""
        self._cells = cells
        self.update()

    @property
    def first_day(self) -> date:
        return self._first

    @property
    def last_day(self) -> date:
        return self._first + timedelta(days=7 * self._rows - 1)

    def cell(self, day: date) -> DayCell | None:
        return self._cells.get(day)

    # -- geometry ------------------------------------------------------------------------
    def sizeHint(self) -> QSize:
        return QSize(900, 600)

    def cell_rect(self, day: date) -> QRect:
        """Where ``day``'s cell is painted."""
        index = (day - self._first).days
        row, col = divmod(index, 7)
        width = self.width() / 7
        height = (self.height() - self.HEADER) / self._rows
        left = round(col * width)
        top = self.HEADER + round(row * height)
        return QRect(
            left,
            top,
            round((col + 1) * width) - left,
            self.HEADER + round((row + 1) * height) - top,
        )

    def day_at(self, pos: QPoint) -> date | None:
        if pos.y() < self.HEADER or not self.rect().contains(pos):
            return None
        col = min(6, int(pos.x() / (self.width() / 7)))
        row = min(
            self._rows - 1,
            int((pos.y() - self.HEADER) / ((self.height() - self.HEADER) / self._rows)),
        )
        return self._first + timedelta(days=row * 7 + col)

    def chip_rect(self, uid: str) -> QRect | None:
        """Where the chip of the entry with ``uid`` was last painted (None when folded)."""
        for chip in self._chips:
            if chip.event.uid == uid:
                return QRect(chip.rect)
        return None

    def more_rect(self, day: date) -> QRect | None:
        """Where ``day``'s "+N more" link was last painted, if it has one."""
        for rect, more_day in self._more:
            if more_day == day:
                return QRect(rect)
        return None

    # -- painting ------------------------------------------------------------------------
    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        base = QFont(self.font())
        metrics = QFontMetrics(base)
        small = QFont(base)
        small.setPointSizeF(max(7.0, base.pointSizeF() - 1))
        bold = QFont(base)
        bold.setBold(True)
        self._chips = []
        self._more = []
        surface = self._surface = style.surface()
        painter.fillRect(self.rect(), QColor(surface.fill))
        painter.setPen(QColor(surface.muted))
        painter.setFont(bold)
        for col, name in enumerate(WEEKDAYS):
            left = round(col * self.width() / 7)
            header = QRect(left, 0, round(self.width() / 7), self.HEADER)
            painter.drawText(header, Qt.AlignmentFlag.AlignCenter, name)
        chip_height = metrics.height() + 4
        for index in range(7 * self._rows):
            day = self._first + timedelta(days=index)
            self._paint_cell(painter, day, base, small, bold, chip_height)
        painter.end()

    def _paint_cell(
        self,
        painter: QPainter,
        day: date,
        base: QFont,
        small: QFont,
        bold: QFont,
        chip_height: int,
    ) -> None:
        rect = self.cell_rect(day)
        surface = self._surface
        fill = surface.fill
        if self._month is not None and day.month != self._month:
            fill = surface.other_month
        if day == self._today:
            fill = surface.today
        painter.fillRect(rect, QColor(fill))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(QColor(surface.grid), 1))
        painter.drawRect(rect.adjusted(0, 0, -1, -1))
        if self._drag_target == day and self._dragging:
            painter.setPen(QPen(QColor(style.SELECTED_BORDER), 2, Qt.PenStyle.DashLine))
            painter.drawRect(rect.adjusted(1, 1, -2, -2))
        elif day == self.selected and self.hasFocus():
            painter.setPen(QPen(QColor(style.SELECTED_BORDER), 2))
            painter.drawRect(rect.adjusted(1, 1, -2, -2))
        if day == self._today:
            painter.setPen(QPen(QColor(style.TODAY_BORDER), 2))
            painter.drawRect(rect.adjusted(1, 1, -2, -2))
        cell = self._cells.get(day)
        events = cell.events if cell is not None else []
        total = cell.count if cell is not None else 0
        head = rect.adjusted(4, 2, -4, 0)
        head.setHeight(chip_height)
        painter.setFont(bold if day == self._today else base)
        painter.setPen(QColor(surface.text if fill != surface.other_month else surface.muted))
        label = f"{day.day}" if day.day != 1 else dates_text.short_day(day)
        painter.drawText(head, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, label)
        if cell is not None and total:
            arr = style.arr_text(cell.renewal_arr)
            summary = f"{total}" + (f" · {arr}" if arr else "")
            painter.setFont(small)
            painter.setPen(QColor(surface.muted))
            metrics = QFontMetrics(small)
            text = metrics.elidedText(summary, Qt.TextElideMode.ElideLeft, head.width() - 24)
            painter.drawText(
                head, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, text
            )
        top = head.bottom() + 2
        space = rect.bottom() - 2 - top
        capacity = max(0, space // chip_height)
        shown = events if total <= capacity else events[: max(0, capacity - 1)]
        painter.setFont(small)
        metrics = QFontMetrics(small)
        for event in shown:
            chip = QRect(rect.left() + 3, top, rect.width() - 6, chip_height - 2)
            self._paint_chip(painter, chip, event, metrics)
            self._chips.append(_Chip(chip, event))
            top += chip_height
        hidden = total - len(shown)
        if hidden:
            more = QRect(rect.left() + 3, top, rect.width() - 6, chip_height - 2)
            painter.setPen(QColor(style.SELECTED_BORDER))
            painter.setFont(bold)
            painter.drawText(
                more, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, f"+{hidden} more"
            )
            self._more.append((more, day))

    def _paint_chip(
        self, painter: QPainter, rect: QRect, event: CalendarEvent, metrics: QFontMetrics
    ) -> None:
        colour = style.tone_colour(event.tone)
        solid = event.kind is EventKind.RENEWAL
        if solid:
            painter.setBrush(colour)
            painter.setPen(Qt.PenStyle.NoPen)
        else:
            light = QColor(colour)
            light.setAlpha(45)
            painter.setBrush(light)
            pen = QPen(colour, 1.5 if event.kind is EventKind.NOTICE else 1)
            painter.setPen(pen)
        painter.drawRoundedRect(QRectF(rect), 3, 3)
        if event.needs_call and event.kind is EventKind.RENEWAL:
            painter.setPen(QPen(QColor(style.TONE_COLOURS["lost"]), 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(QRectF(rect).adjusted(1, 1, -1, -1), 3, 3)
        painter.setPen(QColor("white") if solid else QColor(self._surface.text))
        text = chip_text(event, timed=True, tz=self.tz)
        inner = rect.adjusted(4, 0, -3, 0)
        painter.drawText(
            inner,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            metrics.elidedText(text, Qt.TextElideMode.ElideRight, inner.width()),
        )

    # -- mouse: click, "+N more", drag to move ---------------------------------------------
    def _chip_at(self, pos: QPoint) -> CalendarEvent | None:
        for chip in self._chips:
            if chip.rect.contains(pos):
                return chip.event
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        pos = event.position().toPoint()
        for rect, busy_day in self._more:
            if rect.contains(pos):
                self.more_requested.emit(busy_day, self.mapToGlobal(rect.bottomLeft()))
                return
        chip = self._chip_at(pos)
        if chip is not None:
            self._press = (pos, chip)
            return
        day = self.day_at(pos)
        if day is not None:
            self.select(day)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._press is None or not self._press[1].movable:
            return
        pos = event.position().toPoint()
        start, _chip = self._press
        if (pos - start).manhattanLength() >= QApplication.startDragDistance():
            self._dragging = True
            self.setCursor(Qt.CursorShape.ClosedHandCursor)
        if self._dragging:
            self._drag_target = self.day_at(pos)
            self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        press, dragging, target = self._press, self._dragging, self._drag_target
        self._press, self._dragging, self._drag_target = None, False, None
        self.unsetCursor()
        if press is None:
            return
        chip = press[1]
        if dragging:
            self.update()
            if target is not None and target != chip.day:
                self.reschedule_requested.emit(chip, target)
            return
        self.event_activated.emit(chip)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        day = self.day_at(event.position().toPoint())
        if day is not None and self._chip_at(event.position().toPoint()) is None:
            self.day_activated.emit(day)

    # -- keyboard ------------------------------------------------------------------------
    def select(self, day: date) -> None:
        """Select ``day`` (the view moves the period when it leaves the grid)."""
        self.selected = day
        self.update()
        self.day_selected.emit(day)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        steps = {
            Qt.Key.Key_Left: -1,
            Qt.Key.Key_Right: 1,
            Qt.Key.Key_Up: -7,
            Qt.Key.Key_Down: 7,
        }
        key = Qt.Key(event.key())
        if key in steps:
            self.select(self.selected + timedelta(days=steps[key]))
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.day_activated.emit(self.selected)
            return
        super().keyPressEvent(event)
