"""Process start to the main window painted with the tree populated, against a bare
QMainWindow shown and painted in the same run (target: at most 4x)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from benchmarks._window_common import median_of, report, workspace

TARGET_RATIO = 4.0
REPEAT = 5

_FLOOR = """
import sys
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
w = QMainWindow()
w.resize(1366, 768)
class Painted(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            print("painted", flush=True)
            app.quit()
        return False
f = Painted()
w.installEventFilter(f)
w.show()
app.exec()
"""

_APP = """
import sys, time
t0 = time.perf_counter()
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication
from app.models.store import open_workspace
from app.views.theme import apply_theme
from app.views.main_window import MainWindow
t1 = time.perf_counter()
app = QApplication([])
apply_theme(app, "light")
store = open_workspace(sys.argv[1])
t2 = time.perf_counter()
w = MainWindow(store)
w.resize(1366, 768)
assert w.tree.model.rowCount() > 0
class Painted(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            t3 = time.perf_counter()
            print(f"phases imports {t1 - t0:.3f} open {t2 - t1:.3f} window {t3 - t2:.3f}")
            print("painted", len(w.tree.model.rows), flush=True)
            modules = [m for m in ("matplotlib", "openpyxl", "docx", "pptx") if m in sys.modules]
            print("eager", ",".join(modules), flush=True)
            app.quit()
        return False
f = Painted()
w.tree.view.viewport().installEventFilter(f)
w.show()
app.exec()
"""


def _run(code: str, *args: str) -> tuple[float, str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env["FIELDBOOK_CONFIG_DIR"] = str(Path(workspace(10).parent) / "config")
    root = Path(__file__).resolve().parent.parent
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True, text=True, cwd=root, env=env, check=True,
    )  # fmt: skip
    return time.perf_counter() - start, done.stdout


def bench_startup(accounts: int = 10_000) -> tuple[float, float, float]:
    """(median seconds to painted window, median floor seconds, target ratio)."""
    db = str(workspace(accounts))
    _run(_APP, db)  # warm the file cache and bytecode
    # Interleaved, so both see the same machine load.
    floors, runs = [], []
    for _ in range(REPEAT):
        floors.append(_run(_FLOOR)[0])
        runs.append(_run(_APP, db))
    floor = median_of(floors)
    eager = runs[-1][1].split("eager", 1)[1].strip()
    if eager:
        print(f"  eagerly imported: {eager}")
    phases = [line for r in runs for line in r[1].splitlines() if line.startswith("phases")]
    for name in ("imports", "open", "window"):
        values = [float(line.split(name + " ")[1].split()[0]) for line in phases]
        print(f"  {name:<8} median {median_of(values) * 1000:7.1f} ms")
    return median_of([r[0] for r in runs]), floor, TARGET_RATIO


def main() -> None:
    median, floor, ratio = bench_startup()
    report(
        f"start to painted window, 10k accounts ({median / floor:.1f}x)",
        median, floor, f"<= {ratio:.0f}x floor", median <= ratio * floor,
    )  # fmt: skip


if __name__ == "__main__":
    main()
