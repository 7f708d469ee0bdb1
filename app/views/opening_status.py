"""The status bar's word on the opening check running behind the window.

The store opens at once and checks the file on a thread (``app.models.opening_check``); this
label says so ("Checking the workspace…"), then what the check found. A damaged file is
handed to ``on_damaged`` (the window offers the recovery dialog); nothing was written to it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import QLabel, QWidget

from app.models.errors import WorkspaceDamagedError, WorkspaceError
from app.models.opening_check import CheckState, OpeningCheck
from app.models.store import Store


class _Relay(QObject):
    """Carries the verdict from the checking thread to the GUI thread (a queued signal)."""

    done = Signal(object)


class OpeningStatus(QLabel):
    """A permanent status-bar label following one store's opening check."""

    def __init__(
        self,
        on_damaged: Callable[[WorkspaceDamagedError], None],
        parent: QWidget | None = None,
        on_writable: Callable[[Store], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("openingStatus")
        self._on_damaged = on_damaged
        #: Called once the workspace may be written (its check passed, or it needs none).
        self._on_writable = on_writable
        self._relay = _Relay(self)
        self._relay.done.connect(self._finished)
        self._store: Store | None = None
        self._check: OpeningCheck | None = None
        self.hide()

    def watch(self, store: Store) -> None:
        """Follow ``store``'s opening check (nothing to show when it has none)."""
        self._store = store
        self._check = check = store.check
        if check is None:
            self.hide()
            if self._on_writable is not None:
                writable = self._on_writable
                QTimer.singleShot(0, lambda: writable(store))
            return
        if check.full:
            self.setText("  Checking the whole workspace (not closed properly last time)…  ")
            self.setToolTip(
                "Fieldbook was not closed properly last time. Your changes are saved once "
                "the integrity and foreign key checks pass."
            )
        else:
            self.setText("  Checking the workspace…  ")
            self.setToolTip("Your changes are saved once SQLite's quick check passes.")
        self.show()
        check.when_done(self._relay.done.emit)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        check = self._check
        if check is not None and not check.done:
            # The window has painted: now the check may have the machine.
            QTimer.singleShot(0, check.start)

    def _finished(self, check: OpeningCheck) -> None:
        store = self._store
        if store is None or check is not self._check:
            return  # another workspace was installed meanwhile
        if check.state is CheckState.PASSED:
            self._show_passed(check, store)
            if self._on_writable is not None:
                self._on_writable(store)
        elif check.state is CheckState.DAMAGED:
            self.setText("  Damaged: nothing is saved to this workspace  ")
            self.setToolTip("\n".join(check.problems[:10]))
            self._on_damaged(check.damaged_error())
        else:
            self.setText("  Could not be checked: nothing is saved to it  ")
            self.setToolTip(check.failure or "")

    def _show_passed(self, check: OpeningCheck, store: Store) -> None:
        done = ", ".join(check.checks_done())
        self.setText(f"  Checked ({done})  " if check.full else "")
        self.setToolTip(" ".join(store.report.lines()))
        self.setVisible(check.full)
        said = " ".join(store.report.lines())
        window = self.window()
        status = getattr(window, "statusBar", None)
        if said and status is not None:
            status().showMessage(said, 15000)


def offer_recovery(
    error: WorkspaceDamagedError,
    store: Store,
    install: Callable[[Store], None],
    parent: QWidget | None = None,
) -> bool:
    """The check found ``store``'s file damaged: offer its backups; on a choice, close the
    store, restore (the damaged file is kept aside), reopen and ``install`` the new store.

    Declined, the window keeps reading the damaged file and nothing is saved to it.
    """
    from app.models.opening import open_workspace
    from app.views.dialogs import tell
    from app.views.recovery import run_recovery_dialog, tell_restored

    while True:
        chosen = run_recovery_dialog(error, parent)
        if chosen is None:
            return False
        from app.services.backup import recover_damaged

        store.close(clean=False)
        try:
            result = recover_damaged(error.path, chosen)
            restored = open_workspace(error.path, backup_on_open=True, check_in_background=True)
        except WorkspaceError as exc:
            tell(parent, "Restore failed", str(exc))
            continue
        install(restored)
        tell_restored(parent, error, chosen, result)
        return True
