"""The renewal calendar, the per-account renewal workflow and the renewal pipeline panel."""

from __future__ import annotations

from app.views.calendar.export_action import export_calendar_interactively
from app.views.calendar.period_reading import Mode
from app.views.calendar.pipeline_panel import RenewalPipelinePanel
from app.views.calendar.renewals_tab import RenewalsTab
from app.views.calendar.snapshot import build_snapshot_widget
from app.views.calendar.view import CalendarView

__all__ = [
    "CalendarView",
    "Mode",
    "RenewalPipelinePanel",
    "RenewalsTab",
    "build_snapshot_widget",
    "export_calendar_interactively",
]
