"""Opening a workspace that cannot simply be opened: the recovery offer for a damaged one
(restore its newest good backup, or another), read-only for a locked or unwritable one.

``open_interactively`` is what the app calls when it starts. Every modal question goes through
``ask``/``inform`` and ``run_recovery_dialog``/``choose_backup_file`` so tests can answer them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.models.backup import RestoreResult
from app.models.backup_folder import backups_dir
from app.models.errors import (
    WorkspaceDamagedError,
    WorkspaceError,
    WorkspaceLockedError,
    WorkspaceReadOnlyError,
)
from app.models.store import Store
from app.services.backup import recover_damaged
from app.views.backups import describe_when
from app.views.dialogs import ask
from app.views.dialogs import tell as inform


def choose_backup_file(parent: QWidget | None, folder: Path) -> Path | None:
    """Let the user pick a backup file; replaced in tests."""
    name, _filter = QFileDialog.getOpenFileName(
        parent, "Choose a backup", str(folder), "Fieldbook backups (*.db);;All files (*)"
    )
    return Path(name) if name else None


class RecoveryDialog(QDialog):
    """Shown instead of the main window when a workspace is damaged: explain, offer a backup."""

    def __init__(self, error: WorkspaceDamagedError, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.error = error
        #: The backup the user chose; set when the dialog is accepted.
        self.chosen: Path | None = None
        self.setWindowTitle("Workspace damaged — Fieldbook")
        name = error.path.name
        text = [
            f"<p><b>{name} is damaged</b>, so Fieldbook did not open it and wrote nothing to "
            "it. Damage like this comes from a crash, a full disk or a sync program copying "
            "the file while it was in use.</p>"
        ]
        backup = error.backup
        if backup is not None:
            when = describe_when(backup.created)
            text.append(
                f"<p>The newest good backup is from <b>{when}</b>. Restoring it brings the "
                f"workspace back as it was then; changes made after {when.split(' (')[0]} "
                "will be lost.</p>"
            )
        else:
            text.append("<p>There is no backup of this workspace to restore.</p>")
        text.append(
            f"<p>The damaged file is kept beside it (renamed {error.path.stem}.damaged-…), "
            "never deleted.</p>"
        )
        self.message = QLabel("".join(text), self)
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.RichText)
        self.details = QPlainTextEdit("\n".join(error.problems[:50]), self)
        self.details.setReadOnly(True)
        self.details.setMaximumHeight(90)
        buttons = QDialogButtonBox(self)
        self.restore_button = buttons.addButton(
            "Restore this backup", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.restore_button.setEnabled(backup is not None)
        self.restore_button.setDefault(backup is not None)
        self.choose_button = buttons.addButton(
            "Choose another backup…", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.quit_button = buttons.addButton("Quit", QDialogButtonBox.ButtonRole.RejectRole)
        self.restore_button.clicked.connect(self._restore_newest)
        self.choose_button.clicked.connect(self._choose)
        self.quit_button.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(QLabel("What SQLite found:", self))
        layout.addWidget(self.details)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self.resize(560, 320)

    def _restore_newest(self) -> None:
        if self.error.backup is not None:
            self.chosen = self.error.backup.path
            self.accept()

    def _choose(self) -> None:
        picked = choose_backup_file(self, backups_dir(self.error.path))
        if picked is not None:
            self.chosen = picked
            self.accept()


def run_recovery_dialog(error: WorkspaceDamagedError, parent: QWidget | None = None) -> Path | None:
    """Show the recovery dialog; the chosen backup, or None when the user quits. Replaceable."""
    dialog = RecoveryDialog(error, parent)
    return dialog.chosen if dialog.exec() == QDialog.DialogCode.Accepted else None


def tell_restored(
    parent: QWidget | None, error: WorkspaceDamagedError, chosen: Path, result: RestoreResult
) -> None:
    """Say that the damaged workspace was restored from ``chosen``, and where it was kept."""
    kept = result.kept_aside.name if result.kept_aside else "(none)"
    inform(
        parent,
        "Workspace restored",
        f"{error.path.name} was restored from {chosen.name}. The damaged file was kept as {kept}.",
    )


def recover(error: WorkspaceDamagedError, parent: QWidget | None = None) -> bool:
    """Offer a backup for a damaged workspace and restore it; True when restored."""
    while True:
        chosen = run_recovery_dialog(error, parent)
        if chosen is None:
            return False
        try:
            result = recover_damaged(error.path, chosen)
        except WorkspaceError as exc:
            inform(parent, "Restore failed", str(exc))
            continue
        tell_restored(parent, error, chosen, result)
        return True


def open_interactively(
    opener: Callable[..., Store], *args: Any, parent: QWidget | None = None, **kwargs: Any
) -> Store | None:
    """Open with ``opener``; offer recovery when damaged, read-only when locked or unwritable.

    Returns None when the user gives up. Other WorkspaceErrors propagate.
    """
    while True:
        try:
            return opener(*args, **kwargs)
        except WorkspaceDamagedError as exc:
            if not recover(exc, parent):
                return None
        except (WorkspaceLockedError, WorkspaceReadOnlyError) as exc:
            question = f"{exc}\n\nOpen it read-only here? You can look but not change anything."
            if not ask(parent, "Workspace in use", question, "Open read-only"):
                return None
            from app.models.opening import open_workspace

            return open_workspace(exc.path, read_only=True)
