"""Regression: PySide6 6.12.0 on CPython < 3.12 dropped a reference to None per void call.

After a few thousand calls the process died with ``Fatal Python error: none_dealloc``;
pyproject.toml excludes that pairing. This test makes 20,000 such calls and checks.
"""

from __future__ import annotations

import gc
import sys

from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QGraphicsRectItem, QLabel
from pytestqt.qtbot import QtBot

CALLS = 20_000


def test_void_methods_keep_none_alive(qtbot: QtBot) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    item = QGraphicsRectItem(0, 0, 10, 10)
    model = QStandardItemModel()
    # Garbage left by earlier tests, collected mid-loop, would release None references too.
    gc.collect()
    gc.disable()
    try:
        before = sys.getrefcount(None)
        for i in range(CALLS // 4):
            label.setText("x")
            item.setPos(i, i)
            model.appendRow(QStandardItem("row"))
            label.setToolTip("tip")
        after = sys.getrefcount(None)
    finally:
        gc.enable()
    # A handful may be held by temporaries; the bug lost one per call (thousands).
    assert after >= before - 100, f"None lost {before - after} references"
