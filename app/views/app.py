"""Start the Qt application on a workspace and show the main window."""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from app import paths
from app.models.opening import open_workspace, resolve_target
from app.models.store import Store

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

#: When the window's tree is not shown (a closed dock), the collector comes back after this.
COLLECT_FALLBACK_MS = 10_000


def open_for_gui(db: str | None, demo: bool, last: str | None = None) -> Store:
    """The workspace the GUI should open: ``--demo``, ``--db``, ``FIELDBOOK_DB``, the last
    workspace the window had open (``last``, when it still exists) or the default.

    Raises WorkspaceError (one sentence) when it cannot be opened.
    """
    if demo:
        path = paths.demo_workspace()
        fresh = not path.exists()
        store = open_workspace(path, create=True, backup_on_open=True, check_in_background=True)
        if fresh:
            from app.services.demo import generate_demo

            generate_demo(store, accounts=200, seed=1)
        return store
    if db is None and not os.environ.get("FIELDBOOK_DB") and last and Path(last).is_file():
        return open_workspace(last, backup_on_open=True, check_in_background=True)
    target = resolve_target(db)
    is_default = db is None and target == str(paths.default_workspace())
    return open_workspace(target, create=is_default, backup_on_open=True, check_in_background=True)


def foreground_open(db: str | None, demo: bool, last: str | None = None) -> Store:
    """``open_for_gui`` with the whole-file check done before returning."""
    store = open_for_gui(db, demo, last)
    if store.check is not None:
        store.wait_until_writable()
    return store


def run_gui(db: str | None = None, demo: bool = False) -> int:
    """Open the workspace, then the main window; returns the exit status.

    A damaged workspace gets the recovery dialog, one in use elsewhere the read-only offer.
    """
    from PySide6.QtWidgets import QApplication

    from app.views.first_run import first_run, is_first_run
    from app.views.recovery import open_interactively
    from app.views.settings import WindowSettings
    from app.views.theme import apply_theme

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)  # the GUI never runs under a bare QCoreApplication
    app.setApplicationName(paths.APP_NAME)
    app.setOrganizationName(paths.APP_NAME)
    apply_theme(app, os.environ.get("FIELDBOOK_THEME", "system"))
    _use_system_locale_for_money()
    settings = WindowSettings()
    import_path = None
    if is_first_run(db, demo, settings.last_workspace or None):
        gc.enable()  # a dialog to answer first: no start-up to hurry
        started = first_run()
        if started is None:
            return 0
        db, demo, import_path = started
        if db is not None:
            from app.models.opening import open_workspace

            open_workspace(db, create=True).close()
    store = open_interactively(open_for_gui, db, demo, settings.last_workspace or None)
    if store is None:
        return 1

    from app.views.main_window import MainWindow

    try:
        window = MainWindow(store, settings=settings, rest_after_paint=True)
    except Exception as exc:
        from app.models.storage import is_corruption

        if not is_corruption(exc):
            raise
        # The first read hit damage before the background check said so: check in the
        # foreground now (nothing was written), which offers the recovery dialog.
        store.close(clean=False)
        store = open_interactively(foreground_open, db, demo, settings.last_workspace or None)
        if store is None:
            return 1
        window = MainWindow(store, settings=settings)
    collect_after_first_paint(window.tree.view.viewport())
    window.show()
    if import_path is not None:
        window.import_file(import_path)
    # What opening checked and did (an unclean exit's full check, a backup, a warning).
    said = " ".join(store.report.lines())
    if said:
        window.statusBar().showMessage(said)
    try:
        return int(app.exec())
    finally:
        window.ctx.store.close()


def collect_after_first_paint(widget: QWidget, fallback_ms: int = COLLECT_FALLBACK_MS) -> None:
    """Turn the garbage collector back on (``fieldbook gui`` starts with it off) once
    ``widget`` has painted, or after ``fallback_ms`` if it is not painted by then."""
    from PySide6.QtCore import QTimer

    from app.views.tree.panel import AfterFirstPaint

    AfterFirstPaint(widget, collect_from_now)
    QTimer.singleShot(fallback_ms, collect_from_now)


def collect_from_now() -> None:
    """Turn the collector on, leaving out of its rounds what start-up made.

    Start-up's objects (modules, classes, the window, the tree's rows) live as long as the
    window: frozen (``gc.freeze``), a full collection no longer walks them. With 2,000
    accounts that is 139,000 objects, and a full collection, which Python runs now and
    then in the middle of a click, went from 112 ms to nothing. The few thousand objects
    start-up left unreachable stay (about 7,000 with 2,000 accounts): collecting them first
    would cost the full collection this spares.
    """
    if gc.isenabled():
        return
    gc.freeze()
    gc.enable()


def _use_system_locale_for_money() -> None:
    """Amounts read the way the user's system writes them (Qt knows the locale best)."""
    from PySide6.QtCore import QLocale

    from app.services import money

    name = QLocale.system().name()
    if name in {"C", "POSIX"}:
        return
    try:
        money.set_locale(name)
    except ValueError:
        money.set_locale(None)
