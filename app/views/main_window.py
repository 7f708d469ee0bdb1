"""The main window (a plain frame for now; the workspace UI grows into it)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMainWindow, QWidget

from app.models.store import Store
from app.services.hierarchy import load_account_rows


class MainWindow(QMainWindow):
    """Fieldbook's main window on one open workspace."""

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.setWindowTitle(f"{store.name} — Fieldbook")
        with store.read() as session:
            count = len(load_account_rows(session))
        label = QLabel(f"{count:,} accounts in {store.name}")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setCentralWidget(label)
        self.statusBar().showMessage(f"{store.name}: {count:,} accounts")
        self.resize(1280, 800)
