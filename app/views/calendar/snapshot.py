"""The calendar as ``fieldbook snapshot --view calendar --month YYYY-MM`` renders it."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QWidget

from app.views.calendar.period_reading import Mode
from app.views.calendar.view import CalendarView
from app.views.context import AppContext


def build_snapshot_widget(ctx: AppContext, month: date, size: QSize) -> QWidget:
    """A month view of ``month``, laid out at ``size`` and loaded, ready to ``grab()``."""
    view = CalendarView(ctx)
    view.mode = Mode.MONTH
    view.anchor = month.replace(day=1)
    view.grid.selected = view.anchor
    view.resize(size)
    view.reload()
    view.ensurePolished()
    layout = view.layout()
    if layout is not None:
        layout.activate()
    return view
