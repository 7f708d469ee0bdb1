"""One dialogs module: no other view opens a message box or a save dialog of its own."""

from __future__ import annotations

import re
from pathlib import Path

VIEWS = Path(__file__).resolve().parents[2] / "app" / "views"
OWN_DIALOGS = re.compile(
    r"QFileDialog\.getSaveFileName|QMessageBox\.(information|warning|critical|question)\("
)


def test_only_the_dialogs_module_opens_message_boxes_and_save_dialogs() -> None:
    offenders = [
        str(path.relative_to(VIEWS))
        for path in VIEWS.rglob("*.py")
        if path.name != "dialogs.py" or path.parent != VIEWS
        if OWN_DIALOGS.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
