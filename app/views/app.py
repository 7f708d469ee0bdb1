"""Start the Qt application on a workspace and show the main window."""

from __future__ import annotations

import sys

from app import paths
from app.models.store import Store, open_workspace, resolve_target


def open_for_gui(db: str | None, demo: bool) -> Store:
    """The workspace the GUI should open: ``--demo``, ``--db``, ``FIELDBOOK_DB`` or the default.

    Raises WorkspaceError (one sentence) when it cannot be opened.
    """
    if demo:
        path = paths.demo_workspace()
        fresh = not path.exists()
        store = open_workspace(path, create=True)
        if fresh:
            from app.services.demo import generate_demo

            generate_demo(store, accounts=200, seed=1)
        return store
    target = resolve_target(db)
    is_default = db is None and target == str(paths.default_workspace())
    return open_workspace(target, create=is_default)


def run_gui(db: str | None = None, demo: bool = False) -> int:
    """Open the workspace, then the main window; returns the exit status."""
    store = open_for_gui(db, demo)
    from PySide6.QtWidgets import QApplication

    from app.views.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(paths.APP_NAME)
    app.setOrganizationName(paths.APP_NAME)
    window = MainWindow(store)
    window.show()
    try:
        return int(app.exec())
    finally:
        store.close()
