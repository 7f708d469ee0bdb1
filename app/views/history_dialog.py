"""Account > History: who changed what of an account, and when (a team workspace's audit trail)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services import dates_text
from app.services.team import HistoryLine, account_history
from app.views.context import AppContext


class HistoryDialog(QDialog):
    """The audit trail of one account and its records, newest first."""

    def __init__(self, ctx: AppContext, account_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Account history")
        self.resize(640, 420)
        self.list = QTreeWidget(self)
        self.list.setHeaderLabels(["When", "Who", "What"])
        self.list.setRootIsDecorated(False)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.list)
        layout.addWidget(buttons)
        if ctx.store.path is not None:
            self.note.setText(
                "A workspace file has one user, so it keeps no history of who changed what; "
                "a team workspace on a server does."
            )
            self.lines: list[HistoryLine] = []
        else:
            with ctx.store.read() as session:
                self.lines = account_history(session, account_id)
            self.note.setText(f"{len(self.lines)} most recent changes, newest first.")
        for line in self.lines:
            self.list.addTopLevelItem(
                QTreeWidgetItem([dates_text.moment(line.at), line.person, line.what])
            )
        for column in range(2):
            self.list.resizeColumnToContents(column)


def show_account_history(window: Any) -> None:
    """The Account > History action: the selected account's audit trail."""
    account_id = window.tree.current_id()
    if not account_id:
        return
    dialog = HistoryDialog(window.ctx, account_id, window)
    window.history_dialog = dialog  # tests look at the open dialog
    dialog.open()
