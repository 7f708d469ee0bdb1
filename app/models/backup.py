"""Verified workspace backups: making one with SQLite's online backup API, checking, restoring.

A backup is written to a hidden temp file with SQLite's backup API (never a file copy of a
live database), checked with ``PRAGMA integrity_check``, then renamed into place, so a
backup either exists whole and verified or not at all. Where backups live, their names and
their thinning are ``app.models.backup_folder``. Restoring never overwrites: the current file
is moved aside.

The store needs this module (a backup comes before every schema upgrade), which is why it
lives in ``app.models``; ``app.services.backup`` is the face the rest of the app uses.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from app.models.backup_folder import (
    BackupInfo,
    RotationPolicy,
    backup_name,
    backups_dir,
    list_backups,
    rotate_backups,
)
from app.models.errors import BackupError
from app.models.storage import (
    COMPANION_SUFFIXES,
    create_private_file,
    fsync_dir,
    io_problem,
    is_corruption,
    make_private,
    make_private_dir,
    read_only_uri,
)

#: Key in ``workspace_meta`` counting committed units of work; a backup carries its value.
CHANGE_COUNT_KEY = "change_count"


class HasPath(Protocol):
    """Anything with the workspace file's path (a Store)."""

    @property
    def path(self) -> Path | None: ...


@dataclass
class BackupCheck:
    """The verdict on one backup file."""

    path: Path
    problems: list[str] = field(default_factory=list)
    revision: str | None = None
    change_count: int | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class RestoreResult:
    """What a restore did: which backup is now the workspace, where the old file went."""

    workspace: Path
    backup: Path
    kept_aside: Path | None


def source_path(source: HasPath | Path | str) -> Path:
    """The workspace file behind a store or path."""
    if isinstance(source, (str, Path)):
        return Path(source).expanduser().absolute()
    path = source.path
    if path is None:
        raise BackupError(
            "Only workspace files can be backed up here; back up a server database on the server."
        )
    return path.absolute()


def make_backup(
    source: HasPath | Path | str,
    reason: str,
    *,
    out: Path | None = None,
    now: datetime | None = None,
    policy: RotationPolicy | None = None,
) -> Path:
    """Back up a workspace (a Store or a file path) and return the verified backup file.

    Without ``out`` the backup goes to the backups folder beside the workspace and the folder
    is thinned afterwards; with ``out`` it is written exactly there (which must not exist).
    Raises BackupError (nothing half-written left behind) when it cannot be made or verified.
    """
    workspace = source_path(source)
    if not workspace.is_file():
        raise BackupError(f"There is no workspace at {workspace}.")
    created = now or datetime.now(UTC)
    if out is None:
        folder = backups_dir(workspace)
        try:
            make_private_dir(folder)
        except OSError as exc:
            raise BackupError(_io_sentence(f"The backups folder {folder}", exc)) from exc
        final = folder / backup_name(workspace, created, reason)
    else:
        final = out.expanduser().absolute()
        folder = final.parent
        if final.exists():
            raise BackupError(f"{final} already exists; choose a new file name.")
        if not folder.is_dir():
            raise BackupError(f"The folder {folder} does not exist.")
    _copy_verified(workspace, final)
    if out is None:
        rotate_backups(workspace, policy)
    return final


def _copy_verified(source: Path, final: Path) -> None:
    """SQLite backup API into a temp file beside ``final``, integrity check, fsync, rename."""
    temp = final.with_name(f".{final.name}.{secrets.token_hex(4)}.tmp")
    try:
        create_private_file(temp)
        src = _connect_readonly(source)
        try:
            dst = sqlite3.connect(temp)
            try:
                src.backup(dst)
                # A self-contained file: no -wal needed beside the backup.
                dst.execute("PRAGMA journal_mode = DELETE")
                result = [str(row[0]) for row in dst.execute("PRAGMA integrity_check")]
            finally:
                dst.close()
        finally:
            src.close()
        if result != ["ok"]:
            raise BackupError(
                f"The backup of {source.name} failed its integrity check "
                f"({'; '.join(result[:3])}); the workspace itself may be damaged."
            )
        fd = os.open(temp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        if final.exists():
            raise BackupError(f"{final} already exists; choose a new file name.")
        temp.replace(final)
        make_private(final)
        fsync_dir(final.parent)
    except BackupError:
        _remove_quietly(temp)
        raise
    except (OSError, sqlite3.Error) as exc:
        _remove_quietly(temp)
        if is_corruption(exc):
            raise BackupError(
                f"{source.name} could not be backed up because it is damaged ({exc})."
            ) from exc
        raise BackupError(_io_sentence(f"The backup {final.name}", exc)) from exc
    finally:
        for suffix in COMPANION_SUFFIXES:
            _remove_quietly(Path(f"{temp}{suffix}"))


def _io_sentence(what: str, exc: BaseException) -> str:
    problem = io_problem(exc) or str(exc)
    return f"{what} could not be written: {problem}. Nothing already saved was lost."


def _remove_quietly(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


def _connect_readonly(path: Path) -> sqlite3.Connection:
    """A connection that cannot change the file (not even a checkpoint when it closes)."""
    conn = sqlite3.connect(read_only_uri(path), uri=True, timeout=5.0)
    conn.execute("PRAGMA query_only = ON")
    return conn


def verify_backup(path: Path, known: set[str] | None = None) -> BackupCheck:
    """Check a backup file read-only: SQLite's integrity check and a known schema revision."""
    check = BackupCheck(path=path)
    try:
        conn = _connect_readonly(path)
    except sqlite3.Error as exc:
        check.problems.append(f"cannot be opened ({exc})")
        return check
    try:
        result = [str(row[0]) for row in conn.execute("PRAGMA integrity_check")]
        if result != ["ok"]:
            check.problems.extend(result[:5])
            return check
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "alembic_version" not in tables:
            check.problems.append("not a Fieldbook workspace")
            return check
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        check.revision = None if row is None else str(row[0])
        if known is not None and check.revision is not None and check.revision not in known:
            check.problems.append("saved by a newer version of Fieldbook")
        if "workspace_meta" in tables:
            count = conn.execute(
                "SELECT value FROM workspace_meta WHERE key = ?", (CHANGE_COUNT_KEY,)
            ).fetchone()
            check.change_count = int(count[0]) if count is not None else 0
    except sqlite3.Error as exc:
        check.problems.append(str(exc))
    finally:
        conn.close()
    return check


def read_change_count(path: Path) -> int | None:
    """The change count a backup (or workspace) file holds, read-only; None if unreadable."""
    try:
        conn = _connect_readonly(path)
        try:
            row = conn.execute(
                "SELECT value FROM workspace_meta WHERE key = ?", (CHANGE_COUNT_KEY,)
            ).fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    return int(row[0]) if row is not None else 0


def newest_good_backup(workspace: Path, known: set[str] | None = None) -> BackupInfo | None:
    """The newest backup that passes ``verify_backup`` (older ones are tried in turn)."""
    for info in list_backups(workspace):
        if verify_backup(info.path, known).ok:
            return info
    return None


def aside_path(workspace: Path, label: str, now: datetime | None = None) -> Path:
    """A free name beside ``workspace`` for keeping a file aside, e.g. ``book.damaged-….db``."""
    stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%d_%H%M%S")
    for n in range(1000):
        extra = "" if n == 0 else f"-{n}"
        candidate = workspace.with_name(
            f"{workspace.stem}.{label}-{stamp}{extra}{workspace.suffix}"
        )
        if not any(Path(f"{candidate}{s}").exists() for s in ("", *COMPANION_SUFFIXES)):
            return candidate
    raise BackupError(f"No free name to keep {workspace.name} aside.")


def move_aside(workspace: Path, label: str, now: datetime | None = None) -> Path | None:
    """Rename the workspace and its -wal/-shm together to a new name; never overwrites.

    Companions move first and are put back if anything fails, so the workspace name is never
    left with another file's -wal beside it.
    """
    if not workspace.exists():
        return None
    target = aside_path(workspace, label, now)
    moved: list[tuple[Path, Path]] = []
    try:
        for suffix in (*COMPANION_SUFFIXES, ""):
            src = Path(f"{workspace}{suffix}")
            if src.exists():
                dst = Path(f"{target}{suffix}")
                if dst.exists():
                    raise BackupError(f"{dst} already exists.")
                src.rename(dst)
                moved.append((src, dst))
        fsync_dir(workspace.parent)
    except OSError as exc:
        for src, dst in reversed(moved):
            with contextlib.suppress(OSError):
                dst.rename(src)
        raise BackupError(_io_sentence(f"{workspace.name} could not be moved aside;", exc)) from exc
    return target


def restore_backup(
    workspace: Path, backup: Path, *, label: str = "replaced", known: set[str] | None = None
) -> RestoreResult:
    """Make ``backup`` the workspace; the current file (and its -wal) is kept aside, renamed.

    The caller holds the workspace lock. The backup is verified first and copied with the
    backup API into a temp file, checked again, and only then is anything moved.
    """
    workspace = workspace.absolute()
    backup = backup.expanduser().absolute()
    if not backup.is_file():
        raise BackupError(f"There is no backup at {backup}.")
    check = verify_backup(backup, known)
    if not check.ok:
        raise BackupError(f"{backup.name} cannot be restored: {'; '.join(check.problems)}.")
    temp = workspace.with_name(f".{workspace.name}.restore-{secrets.token_hex(4)}.tmp")
    _copy_verified(backup, temp)
    try:
        kept = move_aside(workspace, label)
        try:
            temp.replace(workspace)
            fsync_dir(workspace.parent)
        except OSError as exc:
            if kept is not None:
                move_back(kept, workspace)
            raise BackupError(_io_sentence(f"{workspace.name}", exc)) from exc
    finally:
        _remove_quietly(temp)
    return RestoreResult(workspace=workspace, backup=backup, kept_aside=kept)


def move_back(kept: Path, workspace: Path) -> None:
    """Undo ``move_aside`` after a failed restore."""
    for suffix in ("", *COMPANION_SUFFIXES):
        src = Path(f"{kept}{suffix}")
        if src.exists() and not Path(f"{workspace}{suffix}").exists():
            with contextlib.suppress(OSError):
                src.rename(Path(f"{workspace}{suffix}"))
