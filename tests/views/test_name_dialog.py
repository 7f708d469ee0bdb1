"""OK on an empty name says a name is required and asks again (the real Qt dialogs)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox
from pytestqt.qtbot import QtBot

from app.views import dialogs

pytestmark = pytest.mark.qt_log_ignore("does not support raise")


def test_ok_with_an_empty_name_explains_and_asks_again(qtbot: QtBot) -> None:
    seen: list[str] = []
    answers = iter(["", "Acme Robotics"])

    def answer() -> None:
        widget = QApplication.activeModalWidget()
        if isinstance(widget, QMessageBox):
            seen.append(widget.text())
            widget.accept()
        elif isinstance(widget, QInputDialog):
            seen.append("asked")
            widget.setTextValue(next(answers))
            widget.accept()
        if len(seen) < 3:
            QTimer.singleShot(10, answer)

    QTimer.singleShot(10, answer)
    assert dialogs.ask_text(None, "New account", "Name:") == "Acme Robotics"
    assert seen == ["asked", "A name is required: type one, or click Cancel.", "asked"]
