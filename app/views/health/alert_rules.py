"""Editing the alert rules: on/off, threshold and window, each change undoable."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.models.changes import ChangeKind, ChangeSet
from app.services.alerts import RuleSpec, load_rules, update_rule
from app.views.context import AppContext
from app.views.table_base import RowTableModel, fit_columns
from app.views.undo import ReplaceCommand, push_edit

_Index = QModelIndex | QPersistentModelIndex


class AlertRulesModel(RowTableModel[RuleSpec]):
    """The rules as rows; each edit is an undoable ``update_rule``."""

    RULE, ON, THRESHOLD, WINDOW = range(4)
    HEADERS = ("Rule", "On", "Threshold", "Window (days)")

    def __init__(self, ctx: AppContext, parent: Any = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.reload()
        ctx.events.changed.connect(self._on_changed)

    def reload(self) -> None:
        """Read the rules again."""
        with self.ctx.store.session() as session:  # seeds the default rules if missing
            rules = load_rules(session)
        self.set_rows(rules)

    def _on_changed(self, changes: ChangeSet) -> None:
        if changes.touches(ChangeKind.HEALTH):
            self.reload()

    def cell_flags(self, rule: RuleSpec, col: int) -> Qt.ItemFlag:
        if col == self.ON:
            return Qt.ItemFlag.ItemIsUserCheckable
        if (col == self.THRESHOLD and rule.threshold is not None) or (
            col == self.WINDOW and rule.window_days is not None
        ):
            return Qt.ItemFlag.ItemIsEditable
        return Qt.ItemFlag.NoItemFlags

    def cell(self, rule: RuleSpec, col: int, role: int) -> Any:
        if col == self.ON and role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Checked if rule.enabled else Qt.CheckState.Unchecked
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return None
        if col == self.RULE:
            return rule.text
        if col == self.THRESHOLD:
            return None if rule.threshold is None else rule.threshold
        if col == self.WINDOW:
            return rule.window_days
        return None

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid():
            return False
        rule = self.row_at(index.row())
        col = index.column()
        try:
            if col == self.ON and role == Qt.ItemDataRole.CheckStateRole:
                checked = Qt.CheckState(value) == Qt.CheckState.Checked
                new = replace(rule, enabled=checked)
            elif col == self.THRESHOLD and role == Qt.ItemDataRole.EditRole:
                new = replace(rule, threshold=float(value))
            elif col == self.WINDOW and role == Qt.ItemDataRole.EditRole:
                days = int(value)
                if not 1 <= days <= 730:
                    return False
                new = replace(rule, window_days=days)
            else:
                return False
        except (TypeError, ValueError):
            return False
        if new == rule:
            return False
        text = f"Edit alert rule: {new.label}"
        push_edit(self.ctx, ReplaceCommand(self.ctx, text, update_rule, new))
        return True


class AlertRulesDialog(QDialog):
    """The alert rules in a table; every change is stored at once and can be undone."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Alert rules")
        self.resize(640, 320)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Alerts are raised when a rule starts to hold, once per episode."))
        self.model = AlertRulesModel(ctx, self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.verticalHeader().setVisible(False)
        # The figures' columns as wide as their headers ("Window (days)" was cut).
        fit_columns(self.view.horizontalHeader(), AlertRulesModel.RULE)
        layout.addWidget(self.view, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
