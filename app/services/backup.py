"""Backups as the app uses them: on demand, before an import, every 30 minutes while changed.

The mechanics (SQLite backup API, verification, rotation, restore) live in
``app.models.backup`` because the store backs up before every upgrade; this module is the
entry point for the rest of the app and adds the timer rule the GUI drives.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from app.models.backup import (
    BackupCheck,
    HasPath,
    RestoreResult,
    newest_good_backup,
    restore_backup,
    verify_backup,
)
from app.models.backup import make_backup as _make_backup
from app.models.backup_folder import (
    BackupInfo,
    RotationPolicy,
    backups_dir,
    backups_to_keep,
    list_backups,
    rotate_backups,
)
from app.models.errors import BackupError
from app.models.lock import LockedError, acquire, is_locked, read_holder
from app.models.schema import known_revisions
from app.models.store import Store

__all__ = [
    "BACKUP_INTERVAL",
    "BackupCheck",
    "BackupError",
    "BackupInfo",
    "BackupScheduler",
    "BackupStatus",
    "RestoreResult",
    "RotationPolicy",
    "backup_status",
    "backups_dir",
    "backups_to_keep",
    "list_backups",
    "make_backup",
    "newest_good_backup",
    "recover_damaged",
    "restore_workspace",
    "rotate_backups",
    "verify_backup",
]

#: How often the GUI backs up while there are unsaved-to-backup changes.
BACKUP_INTERVAL = timedelta(minutes=30)


def make_backup(store_or_path: Store | HasPath | Path | str, reason: str) -> Path:
    """Back up a workspace now into its backups folder; returns the verified backup file.

    ``reason`` is a short word kept in the file name (``"import"``, ``"manual"``, ...).
    Raises BackupError, having left nothing half-written, when the backup cannot be made.
    """
    return _make_backup(store_or_path, reason)


class BackupScheduler:
    """When the next automatic backup is due: 30 minutes after the first unbacked change.

    Qt-free: the GUI calls ``note_change()`` on every committed edit and asks ``due(now)``
    from a QTimer; after backing up it calls ``backed_up(now)``.
    """

    def __init__(self, interval: timedelta = BACKUP_INTERVAL) -> None:
        self.interval = interval
        self._first_change: datetime | None = None
        self.last_backup: datetime | None = None

    @property
    def pending(self) -> bool:
        """True when changes were made since the last backup."""
        return self._first_change is not None

    def note_change(self, now: datetime | None = None) -> None:
        """Record a committed change (the first since the last backup starts the clock)."""
        if self._first_change is None:
            self._first_change = now or datetime.now(UTC)

    def due(self, now: datetime | None = None) -> bool:
        """True when there are changes and the interval has passed since the clock started."""
        if self._first_change is None:
            return False
        now = now or datetime.now(UTC)
        start = self._first_change
        if self.last_backup is not None and self.last_backup > start:
            start = self.last_backup
        return now - start >= self.interval

    def backed_up(self, now: datetime | None = None) -> None:
        """A backup was made: nothing is pending until the next change."""
        self.last_backup = now or datetime.now(UTC)
        self._first_change = None


@dataclass(frozen=True)
class BackupStatus:
    """What ``fieldbook check`` says about a workspace's backups."""

    count: int
    newest: BackupInfo | None
    newest_check: BackupCheck | None

    def age(self, now: datetime | None = None) -> timedelta | None:
        if self.newest is None:
            return None
        return (now or datetime.now(UTC)) - self.newest.created


def backup_status(workspace: Path) -> BackupStatus:
    """How many backups there are, and whether the newest one passes its check (read-only)."""
    found = list_backups(workspace)
    if not found:
        return BackupStatus(count=0, newest=None, newest_check=None)
    return BackupStatus(
        count=len(found),
        newest=found[0],
        newest_check=verify_backup(found[0].path, known_revisions()),
    )


def restore_workspace(workspace: Path, backup: Path, *, label: str = "replaced") -> RestoreResult:
    """Restore ``backup`` over a closed workspace, keeping the current file aside.

    Refuses (BackupError) while another process has the workspace open.
    """
    workspace = workspace.expanduser().absolute()
    if is_locked(workspace):
        holder = read_holder(workspace)
        who = holder.describe() if holder is not None else "another program"
        raise BackupError(f"{workspace.name} is open in {who}; close it before restoring.")
    try:
        lock = acquire(workspace)
    except LockedError as exc:
        raise BackupError(f"{exc} Close it there before restoring.") from exc
    clean = False
    try:
        result = restore_backup(workspace, backup, label=label, known=known_revisions())
        clean = True
    finally:
        # After a restore the workspace is a verified backup: the open mark can go.
        lock.release(keep_marker=not clean and lock.unclean)
    return result


def recover_damaged(workspace: Path, backup: Path) -> RestoreResult:
    """Put ``backup`` in place of a damaged workspace, which is kept aside as ``*.damaged-*``."""
    return restore_workspace(workspace, backup, label="damaged")


def human_size(size: int) -> str:
    """A file size as people read it: ``980 bytes``, ``316.0 KB``, ``12.3 MB``, ``1.2 GB``."""
    value = float(size)
    for unit in ("bytes", "KB", "MB"):
        if value < 1024:
            return f"{int(value)} {unit}" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"
