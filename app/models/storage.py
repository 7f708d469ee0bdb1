"""Where and how a workspace file lives: private permissions, risky folders, I/O error words."""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
import sys
from pathlib import Path, PurePath

#: Companions SQLite keeps beside a database file.
COMPANION_SUFFIXES = ("-wal", "-shm", "-journal")

#: Filesystems where SQLite's WAL (shared memory between processes) is not safe.
NETWORK_FILESYSTEMS = frozenset(
    {
        "nfs",
        "nfs4",
        "cifs",
        "smb",
        "smb2",
        "smb3",
        "smbfs",
        "afs",
        "9p",
        "ceph",
        "glusterfs",
        "lustre",
        "davfs",
        "fuse.sshfs",
        "fuse.rclone",
        "fuse.s3fs",
        "fuse.gcsfuse",
        "fuse.davfs",
        "fuse.glusterfs",
    }
)

#: Folder names cloud-sync clients create; files inside are copied while SQLite writes them.
CLOUD_SYNC_FOLDERS = (
    "dropbox",
    "onedrive",
    "google drive",
    "googledrive",
    "my drive",
    "icloud drive",
    "icloud",
    "mobile documents",
    "cloudstorage",
    "box",
    "box sync",
    "pcloud drive",
    "nextcloud",
    "owncloud",
    "mega",
    "megasync",
    "yandex.disk",
    "synologydrive",
    "seafile",
    "tresorit",
    "resilio sync",
)

#: Marker files some sync clients leave in the folders they sync.
CLOUD_SYNC_MARKERS = (
    ".dropbox",
    ".dropbox.cache",
    ".sync",
    ".nextcloudsync.log",
    ".owncloudsync.log",
)


def is_posix() -> bool:
    return os.name == "posix"


def make_private(path: Path) -> None:
    """Owner-only permissions (0600 files, 0700 folders) on POSIX; a no-op elsewhere."""
    if not is_posix():
        return
    with contextlib.suppress(OSError):
        path.chmod(0o700 if path.is_dir() else 0o600)


def make_workspace_files_private(workspace: Path) -> None:
    """The workspace and its SQLite companions (-wal, -shm, -journal) owner-only."""
    for suffix in ("", *COMPANION_SUFFIXES):
        companion = Path(f"{workspace}{suffix}")
        if companion.exists():
            make_private(companion)


def create_private_file(path: Path) -> None:
    """Create an empty owner-only file (SQLite gives its -wal and -shm the same mode)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)


def make_private_dir(path: Path) -> None:
    """Create ``path`` (and parents) if missing, the leaf owner-only."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    make_private(path)


def fsync_dir(path: Path) -> None:
    """Make a rename inside ``path`` durable (POSIX; Windows has no directory handles)."""
    if not is_posix():
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def filesystem_type(path: Path, mounts_text: str | None = None) -> str | None:
    """The filesystem type of the mount holding ``path`` (Linux ``/proc/mounts``), or None."""
    if mounts_text is None:
        try:
            mounts_text = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None
    target = str(path)
    best: tuple[int, str] | None = None
    for line in mounts_text.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        mount_point = fields[1].replace("\\040", " ")
        inside = target == mount_point or target.startswith(mount_point.rstrip("/") + "/")
        if inside and (best is None or len(mount_point) > best[0]):
            best = (len(mount_point), fields[2])
    return None if best is None else best[1]


def storage_warnings(workspace: Path, mounts_text: str | None = None) -> list[str]:
    """Plain-words warnings when the workspace sits where SQLite is not safe to write."""
    workspace = workspace.absolute()
    warnings: list[str] = []
    if sys.platform == "win32" and str(workspace).startswith("\\\\"):
        warnings.append(
            f"{workspace.name} is on a network share; keep workspaces on this computer's own "
            "disk, where a crash cannot damage them."
        )
    fstype = filesystem_type(workspace, mounts_text)
    if fstype is not None and (fstype in NETWORK_FILESYSTEMS or fstype.startswith("nfs")):
        warnings.append(
            f"{workspace.name} is on a network filesystem ({fstype}); keep workspaces on this "
            "computer's own disk, where a crash cannot damage them."
        )
    service = cloud_sync_folder(workspace)
    if service is not None:
        warnings.append(
            f"{workspace.name} is inside a cloud-sync folder ({service}); the sync can copy it "
            "half-written. Keep workspaces in a folder on this computer that is not synced."
        )
    return warnings


def cloud_sync_folder(workspace: Path) -> str | None:
    """The cloud-sync folder name holding ``workspace``, if any."""
    parts = PurePath(workspace).parent.parts
    for part in parts:
        lowered = part.lower()
        for name in CLOUD_SYNC_FOLDERS:
            if lowered == name or (len(name) > 4 and lowered.startswith(name + " ")):
                return part
        if lowered.startswith(("onedrive - ", "dropbox (")):
            return part
    folder = workspace.parent
    for candidate in (folder, *folder.parents):
        for marker in CLOUD_SYNC_MARKERS:
            with contextlib.suppress(OSError):
                if (candidate / marker).exists():
                    return candidate.name or str(candidate)
    return None


# SQLite primary result codes (the low byte of an extended code).
SQLITE_PERM = 3
SQLITE_READONLY = 8
SQLITE_IOERR = 10
SQLITE_CORRUPT = 11
SQLITE_FULL = 13
SQLITE_CANTOPEN = 14
SQLITE_NOTADB = 26


def is_corruption(exc: BaseException) -> bool:
    """True when an error means the file's content is damaged, not that the disk said no."""
    code = _sqlite_code(exc)
    if code is not None:
        return code & 0xFF in (SQLITE_CORRUPT, SQLITE_NOTADB)
    text = str(exc).lower()
    return "malformed" in text or "not a database" in text


def io_problem(exc: BaseException) -> str | None:
    """Plain words for an ordinary I/O failure (disk full, permission, read-only), else None."""
    if isinstance(exc, OSError) and exc.errno is not None:
        if exc.errno in (errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", -1)):
            return "the disk is full (or a file size limit was reached)"
        if exc.errno in (errno.EACCES, errno.EPERM):
            return "permission denied"
        if exc.errno == errno.EROFS:
            return "the disk is read-only"
        return f"an input/output error ({exc.strerror})"
    code = _sqlite_code(exc)
    if code is None:
        return None
    primary = code & 0xFF
    if primary == SQLITE_FULL:
        return "the disk is full (or a file size limit was reached)"
    if primary in (SQLITE_READONLY, SQLITE_PERM):
        return "the file or its folder is read-only"
    if primary == SQLITE_CANTOPEN:
        return "the file cannot be opened (missing folder or permission denied)"
    if primary == SQLITE_IOERR:
        return "an input/output error (the disk may be full, removed or failing)"
    return None


def _sqlite_code(exc: BaseException) -> int | None:
    current: BaseException | None = exc
    while current is not None:
        if isinstance(current, sqlite3.Error):
            code = getattr(current, "sqlite_errorcode", None)
            return int(code) if code is not None else None
        current = getattr(current, "orig", None) or current.__cause__
    return None


def failure_sentence(exc: BaseException, what: str = "The change") -> str:
    """One sentence for a failed write (edit, import, export): I/O trouble or damage, never both.

    For example ``"The change was not saved: the disk is full (...). Nothing already saved
    was lost."``; damage points the user at the backups instead.
    """
    if is_corruption(exc):
        return (
            f"{what} was not saved because the workspace is damaged; close Fieldbook and "
            "reopen it to restore the newest backup."
        )
    problem = io_problem(exc) or str(exc)
    return f"{what} was not saved: {problem}. Nothing already saved was lost."


def read_only_uri(path: Path) -> str:
    """An SQLite URI that reads ``path`` without writing a byte, even in a read-only folder.

    A WAL workspace needs its -shm to be read; in a folder nobody may write to (a read-only
    share, a locked-down copy) it cannot be made, so such a file is opened ``immutable``,
    which is exact as long as no -wal holds committed changes beside it.
    """
    path = path.resolve()
    uri = f"{path.as_uri()}?mode=ro"
    shm, wal = Path(f"{path}-shm"), Path(f"{path}-wal")
    if not shm.exists() and not os.access(path.parent, os.W_OK):
        try:
            pending = wal.exists() and wal.stat().st_size > 0
        except OSError:
            pending = False
        if not pending:
            uri += "&immutable=1"
    return uri


def existing_companions(path: Path) -> set[str]:
    """The -wal/-shm files beside the workspace file ``path`` now."""
    return {suffix for suffix in ("-wal", "-shm") if Path(f"{path}{suffix}").exists()}


def remove_new_empty_companions(path: Path, before: set[str]) -> None:
    """Remove the -wal/-shm a read-only look created, when the -wal holds nothing."""
    wal = Path(f"{path}-wal")
    try:
        if "-wal" not in before and wal.exists() and wal.stat().st_size > 0:
            return
    except OSError:
        return
    for suffix in ("-wal", "-shm"):
        if suffix not in before:
            Path(f"{path}{suffix}").unlink(missing_ok=True)


def remove_workspace_files(path: Path) -> None:
    """Remove the workspace file ``path`` and its companions."""
    for suffix in ("", *COMPANION_SUFFIXES):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
