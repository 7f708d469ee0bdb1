"""One writer per workspace: an OS lock on a small lock file that also marks a workspace open.

The lock file ``<workspace>.lock`` holds who has the workspace (process, host, user, since).
The OS lock (``flock`` on POSIX, ``msvcrt.locking`` on Windows) is what counts: it dies with
its process, so a lock file left by a crashed process is stale and is taken over. Because a
clean close deletes the lock file, a lock file found on open also means the last session did
not end cleanly, and the store then checks the workspace in full.

Within one process, opening the same workspace again shares the lock (SQLite is safe with
several connections of one process); the lock is released when the last holder lets go.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import socket
import sys
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

LOCK_SUFFIX = ".lock"
_WINDOWS_LOCK_OFFSET = 1 << 30


class LockedError(Exception):
    """Another process holds the workspace lock."""

    def __init__(self, path: Path, holder: LockHolder | None) -> None:
        self.path = path
        self.holder = holder
        who = holder.describe() if holder else "another program"
        super().__init__(f"{path.name} is open in {who}.")


@dataclass(frozen=True)
class LockHolder:
    """Who holds (or held) a workspace lock."""

    pid: int
    host: str
    user: str
    since: datetime

    def describe(self) -> str:
        """Plain words, e.g. ``Fieldbook (process 42) of ana on laptop since 2026-11-22 13:02``."""
        since = self.since.astimezone().strftime("%Y-%m-%d %H:%M")
        return f"Fieldbook (process {self.pid}) of {self.user} on {self.host} since {since}"

    def to_json(self) -> str:
        return json.dumps(
            {"pid": self.pid, "host": self.host, "user": self.user, "since": self.since.isoformat()}
        )

    @classmethod
    def parse(cls, text: str) -> LockHolder | None:
        """The holder a lock file names, or None if the file is empty or unreadable."""
        try:
            data = json.loads(text)
            return cls(
                pid=int(data["pid"]),
                host=str(data["host"]),
                user=str(data["user"]),
                since=datetime.fromisoformat(str(data["since"])),
            )
        except (ValueError, KeyError, TypeError):
            return None


def lock_path(workspace: Path) -> Path:
    """The lock file beside a workspace file."""
    return workspace.with_name(workspace.name + LOCK_SUFFIX)


def _current_user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown user"


def _try_os_lock(handle: IO[bytes]) -> bool:
    if sys.platform == "win32":
        import msvcrt

        try:
            # Lock a byte far past the content so other processes can still read who holds it.
            handle.seek(_WINDOWS_LOCK_OFFSET)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _os_unlock(handle: IO[bytes]) -> None:
    if sys.platform == "win32":
        import msvcrt

        with contextlib.suppress(OSError):
            handle.seek(_WINDOWS_LOCK_OFFSET)
            msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
        return
    import fcntl

    fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def read_holder(workspace: Path) -> LockHolder | None:
    """Who the lock file names (whether or not that process still runs)."""
    try:
        return LockHolder.parse(lock_path(workspace).read_text(encoding="utf-8"))
    except OSError:
        return None


def is_locked(workspace: Path) -> bool:
    """True when a live process (this one included) holds the workspace lock."""
    key = str(workspace.resolve())
    with _REGISTRY_GUARD:
        if key in _REGISTRY:
            return True
    path = lock_path(workspace)
    if not path.exists():
        return False
    try:
        with path.open("rb") as handle:
            if _try_os_lock(handle):
                _os_unlock(handle)
                return False
            return True
    except OSError:
        return False


class WorkspaceLock:
    """The held lock on one workspace. ``stale`` tells whether a crashed session left it."""

    def __init__(self, workspace: Path, handle: IO[bytes], stale: LockHolder | None) -> None:
        self.workspace = workspace
        self.path = lock_path(workspace)
        self._handle: IO[bytes] | None = handle
        self._users = 1
        #: The holder named by a lock file that was left behind (an unclean exit), else None.
        self.stale = stale
        self.unclean = stale is not None

    @property
    def held(self) -> bool:
        return self._handle is not None

    def release(self, *, keep_marker: bool = False) -> None:
        """Let go; the last holder in this process deletes the lock file (a clean close).

        ``keep_marker`` leaves the file, so the next open treats the session as unclean.
        """
        with _REGISTRY_GUARD:
            if self._handle is None:
                return
            self._users -= 1
            if self._users > 0:
                return
            _REGISTRY.pop(str(self.workspace), None)
            handle, self._handle = self._handle, None
        # Delete before unlocking so a waiting process never locks a file about to vanish;
        # acquire() checks that the file it locked is still the one at the path.
        if not keep_marker:
            with contextlib.suppress(OSError):
                self.path.unlink()
        with contextlib.suppress(OSError):
            _os_unlock(handle)
        handle.close()


_REGISTRY: dict[str, WorkspaceLock] = {}
_REGISTRY_GUARD = threading.RLock()


def acquire(workspace: Path) -> WorkspaceLock:
    """Take the lock on ``workspace`` (an absolute path) or raise LockedError naming the holder.

    A lock file whose process is gone is taken over; the returned lock then has ``unclean``.
    """
    # One key per file however it is spelled (symlinks, ".."): two flocks on one file in one
    # process would refuse each other.
    workspace = workspace.resolve()
    key = str(workspace)
    with _REGISTRY_GUARD:
        existing = _REGISTRY.get(key)
        if existing is not None and existing.held:
            existing._users += 1
            return existing
        path = lock_path(workspace)
        for _attempt in range(20):
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
            handle = os.fdopen(fd, "r+b")
            if not _try_os_lock(handle):
                holder = LockHolder.parse(_read_all(handle))
                handle.close()
                raise LockedError(workspace, holder)
            if not _same_file(handle, path):
                # The holder deleted the file between our open and our lock; try again.
                _os_unlock(handle)
                handle.close()
                continue
            left = _read_all(handle)
            stale = LockHolder.parse(left) if left.strip() else None
            if left.strip() and stale is None:
                stale = LockHolder(pid=0, host="?", user="?", since=datetime.now(UTC))
            me = LockHolder(
                pid=os.getpid(), host=socket.gethostname(), user=_current_user(), since=now_utc()
            )
            _write_holder(handle, me)
            _chmod_private(path)
            lock = WorkspaceLock(workspace, handle, stale)
            _REGISTRY[key] = lock
            return lock
    raise LockedError(workspace, read_holder(workspace))


def now_utc() -> datetime:
    return datetime.now(UTC)


def _read_all(handle: IO[bytes]) -> str:
    handle.seek(0)
    return handle.read().decode("utf-8", errors="replace")


def _write_holder(handle: IO[bytes], holder: LockHolder) -> None:
    handle.seek(0)
    handle.truncate()
    handle.write(holder.to_json().encode("utf-8"))
    handle.flush()
    os.fsync(handle.fileno())


def _same_file(handle: IO[bytes], path: Path) -> bool:
    try:
        current = path.stat()
    except FileNotFoundError:
        return False
    mine = os.fstat(handle.fileno())
    return (mine.st_dev, mine.st_ino) == (current.st_dev, current.st_ino)


def _chmod_private(path: Path) -> None:
    if os.name == "posix":
        with contextlib.suppress(OSError):
            path.chmod(0o600)
