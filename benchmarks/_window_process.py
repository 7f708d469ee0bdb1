"""Child processes for the window benchmarks: a bare painted QMainWindow (the floor) and the
real main window on a workspace, each reporting when its first paint happened."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

FLOOR_SCRIPT = """
import sys, time
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
w = QMainWindow()
w.resize(1366, 768)
class Painted(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            with open("/proc/self/status") as status:
                rss = next(line for line in status if line.startswith("VmRSS"))
            print("rss", int(rss.split()[1]) / 1024, flush=True)
            print(f"painted_at {time.time():.6f}", flush=True)
            print(f"cpu_at_paint {time.process_time():.4f}", flush=True)
            app.quit()
        return False
f = Painted()
w.installEventFilter(f)
w.show()
app.exec()
"""

APP_SCRIPT = """
import gc, sys, time
gc.disable()  # as `fieldbook gui` starts (app.commands.gui): the collector waits for the paint
t0 = time.perf_counter()
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication
from app.views.app import collect_after_first_paint, open_for_gui
from app.views.theme import apply_theme
from app.views.main_window import MainWindow
t1 = time.perf_counter()
app = QApplication([])
apply_theme(app, "light")
store = open_for_gui(sys.argv[1], demo=False)  # as the GUI opens it: check in the background
t2 = time.perf_counter()
w = MainWindow(store, rest_after_paint=True)  # as `fieldbook gui` builds it (app.views.app)
w.resize(1366, 768)
assert w.tree.model.rowCount() > 0
measure_memory = len(sys.argv) > 2
class Painted(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and not getattr(self, "done", False):
            self.done = True
            t3 = time.perf_counter()
            print(f"phase imports {t1 - t0:.4f}", flush=True)
            print(f"phase open {t2 - t1:.4f}", flush=True)
            print(f"phase window {t3 - t2:.4f}", flush=True)
            eager = [m for m in ("matplotlib", "openpyxl", "docx", "pptx") if m in sys.modules]
            print("eager", ",".join(eager), flush=True)
            print("painted", flush=True)
            print(f"painted_at {time.time():.6f}", flush=True)
            print(f"cpu_at_paint {time.process_time():.4f}", flush=True)
            if measure_memory:
                # Let the deferred loads (trends, Today) finish, then measure.
                QTimer.singleShot(300, finish)
            else:
                app.quit()
        return False
def finish():
    app.processEvents()
    with open("/proc/self/status") as status:
        rss = next(line for line in status if line.startswith("VmRSS"))
    print("rss", int(rss.split()[1]) / 1024, flush=True)
    app.quit()
f = Painted()
w.tree.view.viewport().installEventFilter(f)
collect_after_first_paint(w.tree.view.viewport())
w.show()
app.exec()
# A clean close: otherwise the next open sees an unclean exit and checks the whole file.
if store.check is not None:
    store.check.wait()  # let the open-time backup finish before the lock goes
w.close()
store.close()
"""


def run_child(script: str, *args: str, config: Path) -> tuple[float, str]:
    """Seconds from process start to its first paint (what the user waits for; the child may
    go on a little to finish the background check before exiting), and what it printed."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", FIELDBOOK_CONFIG_DIR=str(config))
    # Bytecode as an installed app has it (pip and the bundle ship .pyc): a shell that sets
    # PYTHONDONTWRITEBYTECODE made every run compile the app's ~300 modules afresh, which no
    # user pays. The caches go beside the benchmark's workspaces, not into the source tree.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(config.parent / "pycache")
    root = Path(__file__).resolve().parent.parent
    start, started_at = time.perf_counter(), time.time()
    done = subprocess.run(
        [sys.executable, "-c", script, *args],
        capture_output=True, text=True, cwd=root, env=env, check=False,
    )  # fmt: skip
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise ChildFailed(done.returncode, done.stdout, done.stderr)
    for line in done.stdout.splitlines():
        if line.startswith("painted_at "):
            seconds = float(line.split()[1]) - started_at
    return seconds, done.stdout


class ChildFailed(RuntimeError):
    """A benchmark's child process exited with an error: carries what it printed."""

    def __init__(self, status: int, stdout: str, stderr: str) -> None:
        said = (stderr.strip() or stdout.strip() or "(it printed nothing)").splitlines()
        tail = "\n".join(said[-40:])
        super().__init__(f"the benchmark's child process exited with status {status}:\n{tail}")


def figures(output: str) -> dict[str, float]:
    """``phase NAME SECONDS`` lines as milliseconds, ``rss MB``, and the CPU the process had
    used by its first paint (``cpu_ms``: on a shared machine the wall clock also counts the
    time spent waiting for a core)."""
    out: dict[str, float] = {}
    for line in output.splitlines():
        parts = line.split()
        if parts[:1] == ["phase"]:
            out[f"{parts[1]}_ms"] = float(parts[2]) * 1000
        elif parts[:1] == ["rss"]:
            out["rss_mb"] = float(parts[1])
        elif parts[:1] == ["cpu_at_paint"]:
            out["cpu_ms"] = float(parts[1]) * 1000
    return out
