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
        store = open_workspace(path, create=True, backup_on_open=True)
        if fresh:
            from app.services.demo import generate_demo

            generate_demo(store, accounts=200, seed=1)
        return store
    target = resolve_target(db)
    is_default = db is None and target == str(paths.default_workspace())
    return open_workspace(target, create=is_default, backup_on_open=True)


def run_gui(db: str | None = None, demo: bool = False) -> int:
    """Open the workspace, then the main window; returns the exit status.

    A damaged workspace gets the recovery dialog, one in use elsewhere the read-only offer.
    """
    from PySide6.QtWidgets import QApplication

    from app.views.backups import open_interactively
    from app.views.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(paths.APP_NAME)
    app.setOrganizationName(paths.APP_NAME)
    store = open_interactively(open_for_gui, db, demo)
    if store is None:
        return 1
    window = MainWindow(store)
    window.show()
    # What opening checked and did (an unclean exit's full check, a backup, a warning).
    said = " ".join(store.report.lines())
    if said:
        window.statusBar().showMessage(said)
    try:
        return int(app.exec())
    finally:
        store.close()
