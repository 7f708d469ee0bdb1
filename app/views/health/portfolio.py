"""Portfolio health: accounts and ARR per band, and the band-change flow between two dates."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from app.models.changes import ChangeKind, ChangeSet
from app.models.enums import HealthBand
from app.services.book_health import (
    BandFlow,
    BandSummary,
    accounts_in_band,
    band_flow,
    band_summary,
)
from app.views.context import AppContext
from app.views.date_edit import day_picker
from app.views.dialogs import button_row
from app.views.health.band_list import BandAccounts
from app.views.health.chart_panel import current_theme


class PortfolioHealthPanel(QWidget):
    """The book's health for the Portfolio view; matplotlib loads when it first shows."""

    title = "Health"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.summary: BandSummary | None = None
        self.flow: BandFlow | None = None
        self._canvases: list[Any] = []

        layout = QVBoxLayout(self)
        self.start_edit = day_picker(ctx.today - timedelta(days=90))
        self.end_edit = day_picker(ctx.today)
        for edit in (self.start_edit, self.end_edit):
            edit.dateChanged.connect(self.reload)
        self.editor_button = QPushButton("Edit scorecards…")
        self.editor_button.clicked.connect(self.open_editor)
        dates = (QLabel("Band changes from"), self.start_edit, QLabel("to"), self.end_edit)
        layout.addLayout(button_row(*dates, right=[self.editor_button]))
        self._charts = QVBoxLayout()
        layout.addLayout(self._charts, 1)
        # The chart is a picture; the band buttons under it make it interactive.
        self.band_accounts = BandAccounts(self)
        self.band_accounts.band_chosen.connect(self.list_band)
        self.band_accounts.account_opened.connect(
            lambda account_id: ctx.events.open_account.emit(account_id, "Health")
        )
        layout.addWidget(self.band_accounts)
        self._band: HealthBand | str | None = ""
        ctx.events.changed.connect(self._on_changed)

    def dates(self) -> tuple[date, date]:
        """The two dates compared by the flow chart."""
        return self.start_edit.date().toPython(), self.end_edit.date().toPython()  # type: ignore[return-value]

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._canvases:
            self._make_canvases()
            self.reload()

    def _make_canvases(self) -> None:
        from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
        from matplotlib.figure import Figure

        for stretch in (2, 3):
            canvas = FigureCanvasQTAgg(Figure(figsize=(7, 3), dpi=self.logicalDpiX() or 96))
            self._charts.addWidget(canvas, stretch)
            self._canvases.append(canvas)

    def reload(self) -> None:
        """Read the book's bands again and redraw."""
        start, end = self.dates()
        with self.ctx.store.read() as session:
            self.summary = band_summary(session)
            self.flow = band_flow(session, start, end)
        self.band_accounts.show_summary(self.summary)
        if self._band != "":
            self.list_band(self._band)  # type: ignore[arg-type]
        if self._canvases:
            self.redraw()

    def redraw(self) -> None:
        """Draw both charts into their canvases."""
        from app.exports.book_charts import band_flow_figure, band_summary_figure

        summary, flow = self.summary, self.flow
        assert summary is not None and flow is not None
        theme = current_theme(self)
        summary_canvas, flow_canvas = self._canvases
        band_summary_figure(summary, theme=theme, figure=summary_canvas.figure)
        summary_canvas.draw_idle()
        band_flow_figure(flow, theme=theme, figure=flow_canvas.figure)
        flow_canvas.draw_idle()

    def draw_now(self) -> None:
        """Draw both charts at once (for snapshots)."""
        if not self._canvases:
            self._make_canvases()
            self.reload()
        for canvas in self._canvases:
            canvas.draw()

    def list_band(self, band: HealthBand | None) -> None:
        """List the accounts of ``band`` (None: not scored) under the chart."""
        self._band = band
        with self.ctx.store.read() as session:
            accounts = accounts_in_band(session, band)
        self.band_accounts.show_accounts(band, accounts)

    def open_editor(self) -> None:
        """Open the scorecard editor with its live what-if."""
        from app.views.health.scorecard_editor import ScorecardEditor

        ScorecardEditor(self.ctx, self).exec()

    def _on_changed(self, changes: ChangeSet) -> None:
        if changes.touches(ChangeKind.HEALTH, ChangeKind.ACCOUNT) and self.summary is not None:
            self.reload()
