"""Qt table models of the Health tab: the score explanation and the account's alerts."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from app.services import dates_text
from app.services.alerts import AlertView
from app.services.health_scores import Explanation, MeasureLine
from app.views.table_base import RowTableModel

BAND_COLOURS = {"red": "#cf222e", "yellow": "#bf8700", "green": "#1a7f37"}
#: Role carrying a row's id (alerts) or measure key (explanation).
KEY_ROLE = Qt.ItemDataRole.UserRole + 1


class ExplanationModel(RowTableModel[MeasureLine]):
    """One row per measure: raw value, points, weight, share, contribution, change."""

    MEASURE, GROUP, RAW, POINTS, WEIGHT, SHARE, CONTRIBUTION, CHANGE = range(8)
    HEADERS = (
        "Measure",
        "Group",
        "Value",
        "Points",
        "Weight",
        "Share",
        "Adds",
        "Change (30 d)",
    )

    def set_explanation(self, explanation: Explanation | None) -> None:
        """Show ``explanation`` (None clears)."""
        self.set_rows(() if explanation is None else explanation.lines)

    def cell(self, line: MeasureLine, col: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(line, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == self.MEASURE:
                return f"{line.label}: {line.rule}"
            if col == self.CHANGE and line.previous_raw_text is not None:
                return f"A month earlier: {line.previous_raw_text}"
        if role == Qt.ItemDataRole.ForegroundRole:
            if line.points is None:
                return QColor("#8c959f")
            if col == self.POINTS and line.is_red:
                return QColor(BAND_COLOURS["red"])
            if col == self.CHANGE and line.change is not None and abs(line.change) >= 0.05:
                return QColor(BAND_COLOURS["green" if line.change > 0 else "red"])
        if role == Qt.ItemDataRole.TextAlignmentRole and col >= self.RAW:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == KEY_ROLE:
            return line.key
        return None

    def _text(self, line: MeasureLine, col: int) -> str:
        missing = line.points is None
        if col == self.MEASURE:
            return line.label
        if col == self.GROUP:
            return line.group
        if col == self.RAW:
            return line.raw_text
        if col == self.POINTS:
            return "—" if missing else f"{line.points:.0f}"
        if col == self.WEIGHT:
            return f"{line.weight:g}"
        if col == self.SHARE:
            return "excluded" if missing else f"{line.effective_weight:.0f} %"
        if col == self.CONTRIBUTION:
            return "—" if line.contribution is None else f"{line.contribution:.1f}"
        if col == self.CHANGE:
            if line.change is None:
                return ""
            return "0" if abs(line.change) < 0.05 else f"{line.change:+.1f}"
        return ""


class AlertsModel(RowTableModel[AlertView]):
    """Alerts (of an account or the book), newest first."""

    RAISED, ACCOUNT, RULE, MESSAGE, STATUS = range(5)
    HEADERS = ("Raised", "Account", "Rule", "Alert", "Status")

    def cell(self, alert: AlertView, col: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if col == self.RAISED:
                return dates_text.day(alert.raised_on)
            if col == self.ACCOUNT:
                return alert.account_name
            if col == self.RULE:
                return alert.rule_label
            if col == self.MESSAGE:
                return alert.message
            parts = ["New" if alert.is_open else "Acknowledged"]
            if alert.cleared_on is not None:
                parts.append(f"cleared {dates_text.short_day(alert.cleared_on)}")
            if alert.task_id is not None:
                parts.append("task")
            return ", ".join(parts)
        if role == Qt.ItemDataRole.ToolTipRole and col == self.MESSAGE:
            return f"{alert.message}\n{alert.rule_label}"
        if role == Qt.ItemDataRole.FontRole and alert.is_open:
            from PySide6.QtGui import QFont

            font = QFont()
            font.setBold(True)
            return font
        if role == KEY_ROLE:
            return alert.id
        return None
