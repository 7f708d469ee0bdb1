"""What can go wrong with a workspace file, each with one plain sentence for the user."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from app.errors import WorkspaceError as WorkspaceError

if TYPE_CHECKING:
    from app.models.backup_folder import BackupInfo
    from app.models.lock import LockHolder


class WorkspaceLockedError(WorkspaceError):
    """Another Fieldbook holds the workspace; it can still be opened read-only."""

    def __init__(self, path: Path, holder: LockHolder | None) -> None:
        self.path = path
        self.holder = holder
        who = holder.describe() if holder is not None else "another program"
        super().__init__(
            f"{path.name} is already open in {who}; close it there, or open it read-only."
        )


class WorkspaceReadOnlyError(WorkspaceError):
    """The workspace (or its folder) may not be written here; it can be opened read-only."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(f"{path} cannot be opened for writing: permission denied.")


class WorkspaceDamagedError(WorkspaceError):
    """The workspace file is damaged; nothing was written to it.

    ``problems`` are SQLite's findings; ``backup`` is the newest backup that passed its own
    check (None when there is none).
    """

    def __init__(
        self,
        path: Path,
        problems: list[str],
        backup: BackupInfo | None,
        *,
        searched: bool = True,
    ) -> None:
        self.path = path
        self.problems = problems
        self.backup = backup
        if not searched:
            offer = "see `fieldbook backups`"
        elif backup is None:
            offer = "there is no backup to restore"
        else:
            when = backup.created.astimezone().strftime("%Y-%m-%d %H:%M")
            offer = (
                f"the newest good backup is from {when} (fieldbook restore --from {backup.path})"
            )
        super().__init__(f"{path.name} is damaged and was not opened; {offer}.")


class BackupError(WorkspaceError):
    """A backup or restore could not be made; nothing already saved was lost."""
