"""The renewal service and the calendar feed load without Qt (they run headless)."""

from __future__ import annotations

import subprocess
import sys


def test_renewal_modules_do_not_import_qt() -> None:
    code = (
        "import sys, app.services.renewals, app.exports.ics, app.commands.export_calendar;"
        "print(sorted(m for m in sys.modules if m.startswith('PySide6')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.strip() == "[]"
