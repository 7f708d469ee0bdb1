"""Resident memory with the 10,000-account workspace open in the main window (target 250 MB)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from benchmarks._window_common import workspace

TARGET_MB = 250

_APP = """
import sys
from PySide6.QtWidgets import QApplication
from app.models.store import open_workspace
from app.views.theme import apply_theme
from app.views.main_window import MainWindow
app = QApplication([])
apply_theme(app, "light")
w = MainWindow(open_workspace(sys.argv[1]))
w.resize(1366, 768)
w.show()
for _ in range(5):
    app.processEvents()
w._home_view(0).reload()
app.processEvents()
with open("/proc/self/status") as status:
    rss = next(line for line in status if line.startswith("VmRSS"))
print(int(rss.split()[1]) // 1024)
"""


def bench_memory(accounts: int = 10_000) -> tuple[float, float, float]:
    """(RSS in MB with the window open, 0, target MB)."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env["FIELDBOOK_CONFIG_DIR"] = str(workspace(10).parent / "config")
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run(
        [sys.executable, "-c", _APP, str(workspace(accounts))],
        capture_output=True, text=True, cwd=root, env=env, check=True,
    )  # fmt: skip
    return float(done.stdout.strip().splitlines()[-1]), 0.0, float(TARGET_MB)


def main() -> None:
    rss, _floor, target = bench_memory()
    verdict = "meets" if rss <= target else "MISSES"
    print(
        f"{'RSS with 10,000 accounts open':<44} {rss:8.0f} MB  target <= {target:.0f} MB  {verdict}"
    )


if __name__ == "__main__":
    main()
