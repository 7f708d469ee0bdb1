"""The account's Health tab: score and trend, the chart, why this score, and its alerts."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.models.changes import ChangeKind, ChangeSet
from app.services import dates_text, surveys
from app.services.alerts import list_alerts
from app.services.health_scores import Explanation, explain, latest_scores
from app.services.health_timeline import HealthTimeline, load_timeline
from app.services.health_trend import trend_arrow, trend_points
from app.views.account.tabs import AccountView
from app.views.context import AppContext
from app.views.health import survey_dialog
from app.views.health.alerts_panel import AlertsList
from app.views.health.chart_panel import HealthChartPanel
from app.views.health.commands import RecordSurveyCommand
from app.views.health.models import BAND_COLOURS, AlertsModel, ExplanationModel
from app.views.table_base import read_only_list
from app.views.undo import push_edit

#: What an account's health chart is drawn from.
SHOWS = (
    ChangeKind.HEALTH,
    ChangeKind.ACTIVITY,
    ChangeKind.RISK,
    ChangeKind.CONTRACT,
    ChangeKind.STAKEHOLDER,
    ChangeKind.ACCOUNT,
)

#: The least width the alerts take beside why this score (else they go below it).
ALERTS_WIDTH = 320


class HealthTab(AccountView):
    """Health of one account; plugs into the account workspace as its "Health" tab."""

    title = "Health"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.explanation: Explanation | None = None
        self.timeline: HealthTimeline | None = None

        layout = QVBoxLayout(self)
        header = QHBoxLayout()
        self.score_label = QLabel("—")
        self.score_label.setObjectName("healthScore")
        font = self.score_label.font()
        font.setPointSizeF(font.pointSizeF() * 2.2)
        font.setBold(True)
        self.score_label.setFont(font)
        header.addWidget(self.score_label)
        self.trend_label = QLabel("")
        header.addWidget(self.trend_label)
        self.summary_label = QLabel("Select an account to see its health.")
        self.summary_label.setWordWrap(True)
        header.addWidget(self.summary_label, 1)
        self.survey_label = QLabel("")
        header.addWidget(self.survey_label)
        self.survey_button = QPushButton("Record survey answer…")
        self.survey_button.clicked.connect(self.record_survey_answer)
        header.addWidget(self.survey_button)
        layout.addLayout(header)

        splitter = QSplitter(Qt.Orientation.Vertical)
        self.chart = HealthChartPanel()
        self.chart.week_clicked.connect(self.explain_week)
        splitter.addWidget(self.chart)

        self.why_and_alerts = lower = QSplitter(Qt.Orientation.Horizontal)
        why = QWidget()
        why_layout = QVBoxLayout(why)
        why_layout.setContentsMargins(0, 0, 0, 0)
        self.why_title = QLabel("Why this score?")
        why_layout.addWidget(self.why_title)
        self.explanation_model = ExplanationModel(self)
        self.explanation_view = _table(self.explanation_model)
        why_layout.addWidget(self.explanation_view)
        lower.addWidget(why)

        alerts = QWidget()
        alerts_layout = QVBoxLayout(alerts)
        alerts_layout.setContentsMargins(0, 0, 0, 0)
        alerts_layout.addWidget(QLabel("Alerts"))
        self.alerts = AlertsList(ctx)
        self.alerts.view.setAlternatingRowColors(True)
        self.alerts.view.setColumnHidden(AlertsModel.RULE, True)
        self.alerts.view.setColumnHidden(AlertsModel.ACCOUNT, True)
        alerts_layout.addWidget(self.alerts)
        lower.addWidget(alerts)
        lower.setStretchFactor(0, 3)
        lower.setStretchFactor(1, 2)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([480, 280])
        self.chart_and_rest = splitter
        layout.addWidget(splitter, 1)
        ctx.events.changed.connect(self._on_changed)

    # -- loading -------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the account's scores, explanation and alerts again."""
        if self.account_id is None:
            self.timeline = None
            self.explanation = None
            self.chart.set_timeline(None)
            self.explanation_model.set_explanation(None)
            self.alerts.set_alerts([])
            self.score_label.setText("—")
            self.trend_label.setText("")
            self.summary_label.setText("Select an account to see its health.")
            self.survey_label.setText("")
            return
        with self.ctx.store.read() as session:
            self.timeline = load_timeline(session, self.account_id)
            latest = latest_scores(session, [self.account_id]).get(self.account_id)
            when = min(latest.as_of, self.ctx.today) if latest else self.ctx.today
            self.explanation = explain(session, self.account_id, when)
            alerts = list_alerts(session, self.account_id)
            # The NPS the score used: the answers in the year up to the explained week.
            nps_day = self.explanation.as_of
            nps = surveys.account_nps_on(session, self.account_id, nps_day)
            newer = surveys.account_nps(
                session, self.account_id, since=nps_day + timedelta(days=1)
            ).responses
            csat = surveys.account_csat(session, self.account_id)
        self.survey_label.setText(_survey_text(nps, csat, nps_day, newer))
        self.chart.set_timeline(self.timeline)
        self._show_explanation(self.explanation)
        self.alerts.set_alerts(alerts)
        if latest is None:
            self.score_label.setText("—")
            self.score_label.setStyleSheet("")
            self.trend_label.setText("No scores yet")
        else:
            self.score_label.setText(f"{latest.score:.0f}")
            self.score_label.setStyleSheet(f"color: {BAND_COLOURS[latest.band.value]}")
            self.trend_label.setText(
                f"{_trend('30 d', latest.trend_30d)}\n{_trend('90 d', latest.trend_90d)}"
            )

    def draw_now(self) -> None:
        """Draw the chart at once (snapshots grab the widget without an event loop turn)."""
        self.chart.ensure_canvas()
        self.chart.canvas.draw()

    def explain_week(self, when: date) -> None:
        """Explain the score of the week ``when`` (a click on the chart)."""
        if self.account_id is None:
            return
        with self.ctx.store.read() as session:
            self.explanation = explain(session, self.account_id, when)
        self._show_explanation(self.explanation)

    def _show_explanation(self, explanation: Explanation) -> None:
        self.explanation_model.set_explanation(explanation)
        self.summary_label.setText(explanation.summary())
        score = "—" if explanation.score is None else f"{explanation.score:.0f}"
        self.why_title.setText(
            f"Why {score} on {dates_text.day(explanation.as_of)}? "
            f"({explanation.scorecard} scorecard)"
        )
        self.explanation_view.resizeColumnsToContents()
        self._arrange_why_and_alerts()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._arrange_why_and_alerts()

    def _arrange_why_and_alerts(self) -> None:
        """Why this score beside the alerts when both fit, its every column whole; else the
        alerts below it (a 1366-pixel laptop cut the table at its Weight column)."""
        view = self.explanation_view
        header = view.horizontalHeader()
        columns = sum(
            max(view.sizeHintForColumn(c), header.sectionSizeHint(c)) for c in range(header.count())
        )
        whole = columns + 2 * view.frameWidth() + view.verticalScrollBar().sizeHint().width()
        room = self.why_and_alerts.width() - self.why_and_alerts.handleWidth()
        beside = room >= whole + ALERTS_WIDTH
        if beside:
            self.why_and_alerts.setOrientation(Qt.Orientation.Horizontal)
            self.why_and_alerts.setSizes([whole, room - whole])
        elif self.why_and_alerts.orientation() == Qt.Orientation.Horizontal:
            self.why_and_alerts.setOrientation(Qt.Orientation.Vertical)
            self.why_and_alerts.setSizes([2, 1])
        # Stacked, the height they add goes below the chart: its foot and legend stay on a
        # 768-pixel laptop's first screen.
        self.chart_and_rest.setStretchFactor(0, 3 if beside else 0)
        self.chart_and_rest.setStretchFactor(1, 2 if beside else 1)

    def _on_changed(self, changes: ChangeSet) -> None:
        if self.account_id is not None and changes.touches(*SHOWS, account_id=self.account_id):
            self.reload()

    def record_survey_answer(self) -> None:
        """Ask for an NPS/CSAT answer and record it (undoable)."""
        if self.account_id is None:
            return
        with self.ctx.store.read() as session:
            people = surveys.respondents(session, self.account_id)
        answer = survey_dialog.ask_survey_answer(self, people, self.ctx.today)
        if answer is not None:
            push_edit(self.ctx, RecordSurveyCommand(self.ctx, self.account_id, answer))


def _survey_text(
    nps: surveys.NpsSummary, csat: surveys.CsatSummary, day: date, newer: int = 0
) -> str:
    """The NPS the explained score used (answers in the year to its week), newer answers."""
    parts = []
    if nps.nps is not None:
        answers = f"{nps.responses} answer{'s' if nps.responses != 1 else ''}"
        parts.append(
            f"Survey NPS {round(nps.nps):+d} ({answers} in the year to {dates_text.day(day)})"
        )
    if newer:
        parts.append(
            f"{newer} newer NPS answer{'s count' if newer != 1 else ' counts'} from the next "
            "weekly score"
        )
    if csat.mean is not None:
        parts.append(f"CSAT {csat.mean:.1f} / 5 ({csat.responses})")
    return "\n".join(parts) or "No survey answers"


def _trend(label: str, delta: float | None) -> str:
    if delta is None:
        return f"{label}: no data"
    return f"{label}: {trend_arrow(delta)} {trend_points(delta):+d}"


def _table(model: ExplanationModel) -> QTableView:
    view = QTableView()
    view.setModel(model)
    read_only_list(view)
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    view.setAlternatingRowColors(True)
    return view
