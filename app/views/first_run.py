"""The first start: no workspace yet, so ask how to begin (empty, demo book, or an import)."""

from __future__ import annotations

import os
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import paths
from app.imports.vocabulary import SOURCES_IN_WORDS


class Start(StrEnum):
    """How the user chose to begin."""

    EMPTY = "empty"
    DEMO = "demo"
    IMPORT = "import"


def is_first_run(db: str | None, demo: bool, last_workspace: str | None) -> bool:
    """True when nothing names a workspace and the default one does not exist yet."""
    if db or demo or os.environ.get("FIELDBOOK_DB"):
        return False
    if last_workspace and Path(last_workspace).is_file():
        return False
    return not paths.default_workspace().exists()


class FirstRunDialog(QDialog):
    """Three large choices; ``choice`` holds the one made (None if the dialog was closed)."""

    CHOICES = (
        (
            Start.EMPTY,
            "Start an empty workspace",
            "Add your accounts by hand, one at a time.",
        ),
        (
            Start.DEMO,
            "Explore the demo book",
            "200 made-up accounts with stakeholders, renewals and two years of health history.",
        ),
        (
            Start.IMPORT,
            "Import from a CRM export…",
            "Load accounts, contacts or contracts from a CSV or Excel export of\n"
            f"{SOURCES_IN_WORDS}.",
        ),
    )

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.choice: Start | None = None
        self.setWindowTitle("Welcome to Fieldbook")
        self.setWindowIcon(QIcon(str(paths.resource("icons", "fieldbook.svg"))))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 24)
        layout.setSpacing(14)
        title = QLabel("Welcome to Fieldbook")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        title.setFont(font)
        layout.addWidget(title)
        intro = QLabel(
            "Your book of accounts lives in one file on this computer, and works offline. "
            "How would you like to begin?"
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.buttons: dict[Start, QPushButton] = {}
        for start, label, detail in self.CHOICES:
            button = QPushButton(f"{label}\n{detail}")
            button.setObjectName(f"first-run-{start.value}")
            button.setMinimumHeight(64)
            button.setStyleSheet("text-align: left; padding: 8px 14px;")
            button.clicked.connect(lambda _c=False, s=start: self._choose(s))
            layout.addWidget(button)
            self.buttons[start] = button
        where = QLabel(f"Workspaces are kept in {paths.user_data_dir()}.")
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        where.setStyleSheet("color: palette(mid);")
        footer = QHBoxLayout()
        footer.addWidget(where, 1)
        layout.addLayout(footer)
        self.buttons[Start.DEMO].setDefault(True)
        self.resize(560, 0)

    def _choose(self, start: Start) -> None:
        self.choice = start
        self.accept()


def ask_start(parent: QWidget | None = None) -> Start | None:
    """Show the first-run choice; tests replace this function."""
    dialog = FirstRunDialog(parent)
    dialog.exec()
    return dialog.choice


def ask_import_file(parent: QWidget | None = None) -> str | None:
    """Pick the CRM export to import; tests replace this function."""
    path, _filter = QFileDialog.getOpenFileName(
        parent, "Import from a CRM export", "", "CRM exports (*.csv *.xlsx);;All files (*)"
    )
    return path or None


def first_run(
    ask: Callable[[QWidget | None], Start | None] | None = None,
    pick_file: Callable[[QWidget | None], str | None] | None = None,
) -> tuple[str | None, bool, str | None] | None:
    """Ask how to begin; returns ``(db, demo, import_path)`` for ``run_gui``, or None to quit.

    An empty start and an import both use the default workspace in the user data folder.
    """
    choice = (ask or ask_start)(None)
    if choice is None:
        return None
    if choice is Start.DEMO:
        return None, True, None
    default = str(paths.default_workspace())
    paths.user_data_dir().mkdir(parents=True, exist_ok=True)
    if choice is Start.IMPORT:
        source = (pick_file or ask_import_file)(None)
        if source is None:
            return first_run(ask, pick_file)
        return default, False, source
    return default, False, None
