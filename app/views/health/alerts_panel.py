"""Alert lists: the table with Acknowledge and Create task that the Health tab shows for one
account, and the window's Alerts tab: every alert of my book or the whole team's, each
opening its account."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.models.changes import ChangeKind, ChangeSet
from app.services.alerts import AlertView, list_alerts
from app.views.context import AppContext
from app.views.dialogs import button_row
from app.views.health.commands import AcknowledgeAlertCommand, CreateAlertTaskCommand
from app.views.health.models import AlertsModel
from app.views.playbooks.my_book import BookScope
from app.views.table_base import fit_columns, read_only_list
from app.views.undo import push_edit


class AlertsList(QWidget):
    """Alerts, newest first, and buttons acting on the selected one (each edit undoable).

    With ``open_account``, an Open account button and a double-click open the alert's account
    on its Health tab.
    """

    def __init__(
        self, ctx: AppContext, parent: QWidget | None = None, *, open_account: bool = False
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.model = AlertsModel(self)
        self.view = QTableView()
        self.view.setModel(self.model)
        read_only_list(self.view)
        fit_columns(self.view.horizontalHeader(), AlertsModel.MESSAGE)
        self.view.selectionModel().selectionChanged.connect(self.update_buttons)
        layout.addWidget(self.view, 1)
        self.acknowledge_button = QPushButton("Acknowledge")
        self.acknowledge_button.clicked.connect(self.acknowledge_selected)
        self.task_button = QPushButton("Create task")
        self.task_button.clicked.connect(self.create_task_for_selected)
        buttons = [self.acknowledge_button, self.task_button]
        self.open_button: QPushButton | None = None
        if open_account:
            self.open_button = QPushButton("Open account")
            self.open_button.clicked.connect(lambda: self._open(self.view.currentIndex()))
            buttons.append(self.open_button)
            self.view.doubleClicked.connect(self._open)
        layout.addLayout(button_row(*buttons))
        self.update_buttons()

    def set_alerts(self, alerts: list[AlertView]) -> None:
        """Show these alerts."""
        self.model.set_rows(alerts)
        self.update_buttons()

    def selected_alert(self) -> AlertView | None:
        """The selected alert."""
        rows = self.view.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def update_buttons(self, *_: object) -> None:
        """Enable what the selected alert allows."""
        alert = self.selected_alert()
        self.acknowledge_button.setEnabled(alert is not None and alert.is_open)
        self.task_button.setEnabled(alert is not None and alert.task_id is None)
        if self.open_button is not None:
            self.open_button.setEnabled(alert is not None)

    def acknowledge_selected(self) -> None:
        """Acknowledge the selected alert (undoable)."""
        alert = self.selected_alert()
        if alert is not None and alert.is_open:
            push_edit(self.ctx, AcknowledgeAlertCommand(self.ctx, alert.id))

    def create_task_for_selected(self) -> None:
        """Create a follow-up task for the selected alert (undoable)."""
        alert = self.selected_alert()
        if alert is not None and alert.task_id is None:
            push_edit(self.ctx, CreateAlertTaskCommand(self.ctx, alert.id))

    def _open(self, index: QModelIndex) -> None:
        if index.isValid():
            self.ctx.events.open_account.emit(self.model.row_at(index.row()).account_id, "Health")


class BookAlertsPanel(QWidget):
    """The book's alerts, newest first: my accounts' or the whole team's; double-click opens
    the account's Health tab. The alert rules are edited from here."""

    title = "Alerts"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.count_label = QLabel("")
        top.addWidget(self.count_label, 1)
        self.scope = BookScope(ctx, self)  # my book / the whole team's
        self.scope.changed.connect(self.reload)
        top.addWidget(self.scope)
        self.show_acknowledged = QCheckBox("Show acknowledged")
        self.show_acknowledged.toggled.connect(self.reload)
        top.addWidget(self.show_acknowledged)
        self.rules_button = QPushButton("Alert rules…")
        self.rules_button.clicked.connect(self.edit_rules)
        top.addWidget(self.rules_button)
        layout.addLayout(top)
        self.alerts = AlertsList(ctx, self, open_account=True)
        # The alert says what happened; the rule that raised it is in its tooltip, so the
        # alert itself keeps the width on a laptop screen.
        self.alerts.view.setColumnHidden(AlertsModel.RULE, True)
        layout.addWidget(self.alerts, 1)
        ctx.events.changed.connect(self._on_changed)
        self.reload()

    def reload(self) -> None:
        """Read the alerts again."""
        with self.ctx.store.read() as session:
            alerts = list_alerts(
                session,
                include_acknowledged=self.show_acknowledged.isChecked(),
                owner=self.scope.owner(),
            )
        self.alerts.set_alerts(alerts)
        new = sum(1 for a in alerts if a.is_open)
        self.count_label.setText(f"{new} new alert{'s' if new != 1 else ''}")

    def edit_rules(self) -> None:
        """Open the alert rules (changes apply at once, through the undo stack)."""
        from app.views.health.alert_rules import AlertRulesDialog

        AlertRulesDialog(self.ctx, self).exec()

    def _on_changed(self, changes: ChangeSet) -> None:
        if changes.touches(ChangeKind.HEALTH, ChangeKind.TASK, ChangeKind.ACCOUNT):
            self.reload()
