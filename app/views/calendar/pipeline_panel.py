"""The renewal pipeline panel: ARR per quarter and forecast call, and renewals needing action."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.models.changes import ChangeKind, ChangeSet
from app.services import dates_text, glossary
from app.services.exchange import Converter, converter
from app.services.money import format_compact
from app.services.renewal_calendar import TAB_RENEWALS
from app.services.renewal_dates import TouchRule
from app.services.renewal_pipeline import FORECAST_KEYS, Pipeline, PipelineRow, pipeline
from app.services.renewals import checkpoint_offsets
from app.views.calendar import style
from app.views.calendar.contract_lines import TOUCH_TEXT
from app.views.calendar.owner_filter import fill_owner_box
from app.views.calendar.table_model import Column, SnapshotTableModel, arr_column
from app.views.context import AppContext
from app.views.table_base import ColumnFit


@dataclass(frozen=True)
class QuarterLine:
    """One quarter and currency of the pipeline's summary table."""

    label: str
    currency: str
    totals: dict[str, int]
    count: int
    flagged: int
    #: False for a currency with no rate to the reporting currency (shown on its own line).
    converted: bool = True


def quarter_lines(result: Pipeline, rates: Converter) -> list[QuarterLine]:
    """One line per quarter in the reporting currency, plus one per currency it has no rate
    for (those amounts stay in their own currency, outside the converted line)."""
    lines = []
    for quarter in result.quarters:
        convertible = {c for c in quarter.totals if rates.to_reporting(0, c) is not None}
        totals = {
            key: rates.convert({c: quarter.totals[c][key] for c in convertible}).minor
            for key in FORECAST_KEYS
        }
        rows = [r for r in quarter.rows if r.contract.currency in convertible]
        flagged = [r for r in quarter.flagged if r.contract.currency in convertible]
        if convertible:
            lines.append(
                QuarterLine(quarter.label, rates.currency, totals, len(rows), len(flagged))
            )
        for currency in sorted(set(quarter.totals) - convertible):
            lines.append(
                QuarterLine(
                    quarter.label,
                    currency,
                    quarter.totals[currency],
                    sum(1 for r in quarter.rows if r.contract.currency == currency),
                    sum(1 for r in quarter.flagged if r.contract.currency == currency),
                    converted=False,
                )
            )
    return lines


def _forecast_column(key: str) -> Column[QuarterLine]:
    """A quarter's ARR with the forecast call ``key``."""
    return Column[QuarterLine](
        style.TONE_LABELS[key],
        lambda line: format_compact(line.totals.get(key, 0), line.currency),
        sort_key=lambda line: line.totals.get(key, 0),
        colour=lambda _line: style.TONE_COLOURS[key],
        right=True,
    )


def quarter_columns() -> list[Column[QuarterLine]]:
    """Summary columns: ARR per forecast call, total, renewals, flagged."""
    money = [_forecast_column(key) for key in FORECAST_KEYS]
    return [
        Column(
            "Quarter",
            lambda line: (
                f"{line.label} · {line.currency}" + ("" if line.converted else " (no rate)")
            ),
        ),
        *money,
        Column(
            "Total",
            lambda line: format_compact(sum(line.totals.values()), line.currency),
            sort_key=lambda line: sum(line.totals.values()),
            right=True,
        ),
        Column(
            "Renewals", lambda line: str(line.count), sort_key=lambda line: line.count, right=True
        ),
        Column(
            "Need a call",
            lambda line: str(line.flagged),
            sort_key=lambda line: line.flagged,
            colour=lambda line: style.TONE_COLOURS["lost"] if line.flagged else None,
            right=True,
        ),
    ]


def action_columns() -> list[Column[PipelineRow]]:
    """Columns of the renewals needing action."""
    return [
        Column(
            "Account", lambda r: r.contract.account_name, tooltip=lambda r: r.contract.account_name
        ),
        Column(
            "Renews",
            lambda r: dates_text.day(r.renewal_on),
            sort_key=lambda r: r.renewal_on.toordinal(),
        ),
        arr_column(lambda r: r.contract),
        Column(
            "Forecast",
            lambda r: style.TONE_LABELS[r.forecast_key],
            colour=lambda r: style.TONE_COLOURS[r.forecast_key],
        ),
        Column(
            "Checkpoint passed",
            lambda r: f"{r.passed_checkpoint} days" if r.passed_checkpoint else "",
        ),
        Column(
            "Notice by",
            lambda r: dates_text.day(r.notice_on),
            sort_key=lambda r: r.notice_on.toordinal(),
        ),
        Column(
            "120-day touch",
            lambda r: TOUCH_TEXT[r.touch_rule],
            colour=lambda r: (
                style.TONE_COLOURS["lost"] if r.touch_rule is TouchRule.MISSING else None
            ),
        ),
        Column("Owner", lambda r: r.contract.owner or ""),
    ]


def needs_action(result: Pipeline) -> list[PipelineRow]:
    """Renewals missing a call or a 120-day touch, or at risk, soonest first."""
    rows = [row for quarter in result.quarters for row in quarter.rows] + result.overdue
    wanted = [
        row
        for row in rows
        if row.needs_call
        or row.touch_rule is TouchRule.MISSING
        or row.forecast_key in ("at_risk", "lost")
    ]
    return sorted(wanted, key=lambda r: (r.renewal_on, -r.contract.value_minor))


#: The most of the panel's height the quarter table takes; Needs action keeps the rest.
QUARTERS_SHARE = 0.5


class RenewalPipelinePanel(QWidget):
    """The next four quarters of renewals for the main window, filtered by owner."""

    title = "Renewal pipeline"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.result: Pipeline | None = None
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        heading = QLabel("<b>Renewal pipeline</b>")
        bar.addWidget(heading)
        bar.addStretch(1)
        self.owner_box = QComboBox()
        self.owner_box.currentIndexChanged.connect(lambda _i: self.reload())
        bar.addWidget(self.owner_box)
        layout.addLayout(bar)
        self.headline = QLabel()
        self.headline.setTextFormat(Qt.TextFormat.RichText)
        self.headline.setWordWrap(True)
        layout.addWidget(self.headline)
        self.rates_note = QLabel()
        self.rates_note.setObjectName("pipeline_rates_note")
        self.rates_note.setWordWrap(True)
        self.rates_note.setProperty("role", "caption")
        layout.addWidget(self.rates_note)
        self.quarters: SnapshotTableModel[QuarterLine] = SnapshotTableModel(quarter_columns(), self)
        self.quarter_table = self._table(self.quarters)
        # The quarter's name takes the spare width, so "Need a call" sits beside the other
        # figures (stretched, its number stood 500 pixels right of its row's "Renewals").
        quarter_header = self.quarter_table.horizontalHeader()
        quarter_header.setStretchLastSection(False)
        quarter_header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.quarter_table)
        layout.addWidget(
            QLabel(
                "Needs action: no forecast call past a checkpoint, no touch in 120 days, or at risk"
            )
        )
        self.action_rows: SnapshotTableModel[PipelineRow] = SnapshotTableModel(
            action_columns(), self
        )
        self.action_table = self._table(self.action_rows)
        # The account's name elides before the Owner goes past the table's edge.
        ColumnFit(self.action_table, names=(0,), middle=(0,))
        self.action_table.activated.connect(
            lambda index: ctx.events.open_account.emit(
                self.action_rows.row_at(index.row()).contract.account_id, TAB_RENEWALS
            )
        )
        layout.addWidget(self.action_table, 1)
        self._fill_owners()
        ctx.events.changed.connect(self._on_changed)
        self.reload()

    def _table(
        self, model: SnapshotTableModel[QuarterLine] | SnapshotTableModel[PipelineRow]
    ) -> QTableView:
        table = QTableView()
        table.setModel(model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().setVisible(False)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setStretchLastSection(True)
        table.setAlternatingRowColors(True)
        return table

    def _fill_owners(self) -> None:
        fill_owner_box(self.owner_box, self.ctx.store)

    def reload(self) -> None:
        with self.ctx.store.read() as session:
            self.result = pipeline(
                session,
                self.ctx.today,
                owner=self.owner_box.currentData(),
                offsets=checkpoint_offsets(session),
            )
            rates = converter(session)
        self.quarters.set_rows(quarter_lines(self.result, rates))
        self.action_rows.set_rows(needs_action(self.result))
        self._fit_quarters()
        total = rates.convert(self.result.at_risk_minor())
        at_risk = format_compact(total.minor, total.currency) if total.minor else "none"
        flagged = len(self.result.flagged())
        self.headline.setToolTip(glossary.ARR_AT_RISK_MEANS)
        self.headline.setText(
            f"{glossary.ARR_AT_RISK}: "
            f"<b style='color:{style.TONE_COLOURS['at_risk']}'>{at_risk}</b> · "
            f"<b>{flagged}</b> renewal{'s' if flagged != 1 else ''} past a checkpoint without a "
            f"forecast call · <b>{len(self.result.overdue)}</b> overdue"
        )
        # In full, on its own wrapped line: which rates the totals used, what they leave out.
        pipeline_totals = rates.convert(
            {c: sum(keys.values()) for c, keys in self.result.totals().items()}
        )
        self.rates_note.setText(pipeline_totals.note or f"Totals in {rates.currency}.")

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_quarters()

    def _fit_quarters(self) -> None:
        """The quarter table as tall as its lines, up to ``QUARTERS_SHARE`` of the panel: the
        whole pipeline reads without scrolling, and Needs action (a list that scrolls anyway)
        takes what is left. At a fixed height it showed six lines and a scroll bar above a
        half-empty Needs action at 1920x1080."""
        table = self.quarter_table
        lines = (
            table.horizontalHeader().sizeHint().height()
            + table.verticalHeader().length()
            + 2 * table.frameWidth()
        )
        bar = table.horizontalScrollBar()
        if bar.maximum() > 0:
            lines += bar.sizeHint().height()
        # Never squeezed under three lines on a short panel: the table still scrolls then.
        three = (
            table.horizontalHeader().sizeHint().height()
            + 3 * table.verticalHeader().defaultSectionSize()
        )
        table.setFixedHeight(min(lines, max(int(self.height() * QUARTERS_SHARE), three)))

    def _on_changed(self, changes: ChangeSet) -> None:
        if changes.touches(ChangeKind.ACCOUNT):
            self._fill_owners()
        if changes.touches(
            ChangeKind.ACCOUNT, ChangeKind.CONTRACT, ChangeKind.RENEWAL, ChangeKind.ACTIVITY
        ):
            self.reload()
