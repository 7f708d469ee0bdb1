"""``fieldbook gui``'s window paints the chrome and the populated tree first, then builds the
rest (Today, the account workspace, what watches the workspace) right after that paint."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from app.models.opening import open_workspace
from app.models.store import Store
from app.views.main_window import MainWindow

from .conftest import TODAY, Book

ROOT = Path(__file__).resolve().parents[2]


def test_the_rest_is_built_after_the_first_paint(qtbot, store: Store, book: Book) -> None:
    win = MainWindow(store, today=TODAY, rest_after_paint=True)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    toolbar = [(a.text(), a.isEnabled()) for a in win.toolbar.actions()]
    QApplication.processEvents()
    assert win.tree.model.rowCount() == 3  # the top-level accounts, before the paint
    assert not hasattr(win, "workspace") and win.home.widget(0).layout().count() == 0
    win.show()
    qtbot.waitUntil(lambda: hasattr(win, "workspace"))
    # The same window: the toolbar looked then as it does now, and Today is in its tab.
    assert [(a.text(), a.isEnabled()) for a in win.toolbar.actions()] == toolbar
    assert win.home.widget(0).layout().count() == 1
    assert win.stack.currentWidget() is win.home
    win.tree.select(book.globex)
    assert win.stack.currentWidget() is win.workspace
    assert win.workspace.account_id == book.globex
    win.close()


def test_the_account_open_last_time_is_opened_after_the_paint(qtbot, store: Store, book: Book):
    first = MainWindow(store, today=TODAY)
    qtbot.addWidget(first)
    first.tree.select(book.initech)
    first.close()  # remembers the account
    win = MainWindow(store, today=TODAY, rest_after_paint=True)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: hasattr(win, "workspace"))
    assert win.tree.current_id() == book.initech
    assert win.workspace.account_id == book.initech
    win.close()


def test_a_window_closed_before_its_rest_was_built_closes_cleanly(qtbot, store: Store, book):
    win = MainWindow(store, today=TODAY, rest_after_paint=True)
    qtbot.addWidget(win)
    win.close()
    assert not hasattr(win, "workspace")


def test_the_gui_paints_its_tree_before_importing_sqlalchemy(tmp_path: Path) -> None:
    """As ``fieldbook gui`` opens a workspace file: the first paint of the populated tree
    comes before SQLAlchemy, the ORM and the services are imported; they load right after."""
    path = tmp_path / "book.db"
    store = open_workspace(path, create=True)
    from app.models import Account

    with store.session() as session:
        session.add_all(Account(name=f"Account {n}") for n in range(5))
    store.close()
    code = f"""
import sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication
from app.views.app import open_for_gui
from app.views.main_window import MainWindow
app = QApplication([])
store = open_for_gui({str(path)!r}, demo=False)
window = MainWindow(store, rest_after_paint=True)
class Painted(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and not hasattr(self, "rows"):
            self.rows = window.tree.model.rowCount()
            self.loaded = "sqlalchemy" in sys.modules
        return False
painted = Painted()
window.tree.view.viewport().installEventFilter(painted)
window.show()
def done():
    if hasattr(window, "workspace"):
        app.quit()
    else:
        QTimer.singleShot(20, done)
QTimer.singleShot(0, done)
app.exec()
print(painted.rows, painted.loaded, "sqlalchemy" in sys.modules)
store.check.wait()
window.close()
store.close()
"""
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.split() == ["5", "False", "True"]
