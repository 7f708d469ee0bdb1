"""Account > History: who changed what of an account, and when (a team workspace's audit trail)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services import dates_text
from app.services.team import HistoryLine, account_history
from app.views.context import AppContext
from app.views.table_base import fit_columns

#: The columns; When is the machine's local time, as every moment the app shows.
COLUMNS = ("When", "Who", "What")
WHAT = 2
#: Wide enough for a change of three of an account's fields on one line, within 1366 x 768.
SIZE = (900, 480)


class HistoryDialog(QDialog):
    """The audit trail of one account and its records, newest first. What was changed wraps
    onto more lines in its row (and is the cell's tooltip): a change of several fields read
    "changed company revenue (annual), owner (CSM), tier of the acc…" in a 640-pixel list."""

    def __init__(self, ctx: AppContext, account_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Account history")
        self.list = QTableWidget(0, len(COLUMNS), self)
        self.list.setHorizontalHeaderLabels(COLUMNS)
        self.list.verticalHeader().hide()
        self.list.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.list.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.list.setWordWrap(True)
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
        self.list.setRowCount(len(self.lines))
        for row, line in enumerate(self.lines):
            for column, text in enumerate((dates_text.moment(line.at), line.person, line.what)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.list.setItem(row, column, item)
        fit_columns(self.list.horizontalHeader(), WHAT)
        # Each row as tall as its wrapped What, again whenever the column's width changes.
        self.list.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.resize(*SIZE)


def show_account_history(window: Any) -> None:
    """The Account > History action: the selected account's audit trail."""
    account_id = window.tree.current_id()
    if not account_id:
        return
    dialog = HistoryDialog(window.ctx, account_id, window)
    window.history_dialog = dialog  # tests look at the open dialog
    dialog.open()
