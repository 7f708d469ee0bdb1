"""A workspace's backups folder: the backups' names, listing them, and thinning them.

Backups live in a folder beside the workspace (``<name>-backups/``), named by when and why
they were made, and are thinned: the newest few are kept, older ones down to one a day, a
week and a month. Making, verifying and restoring one is ``app.models.backup``.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

BACKUPS_FOLDER_SUFFIX = "-backups"
BACKUP_SUFFIX = ".db"
_STAMP_FORMAT = "%Y-%m-%d_%H%M%S.%fZ"
_NAME = re.compile(
    r"^(?P<stem>.+)_(?P<stamp>\d{4}-\d{2}-\d{2}_\d{6}\.\d{6}Z)_(?P<reason>[a-z0-9-]+)\.db$"
)


@dataclass(frozen=True)
class BackupInfo:
    """One backup file in a workspace's backups folder."""

    path: Path
    created: datetime
    size: int
    reason: str


@dataclass(frozen=True)
class RotationPolicy:
    """How many backups survive thinning: the newest ``recent``, then one per period."""

    recent: int = 12
    daily: int = 7
    weekly: int = 5
    monthly: int = 12


def backups_dir(workspace: Path) -> Path:
    """The backups folder beside a workspace file."""
    workspace = workspace.absolute()
    return workspace.with_name(workspace.stem + BACKUPS_FOLDER_SUFFIX)


def backup_name(workspace: Path, created: datetime, reason: str) -> str:
    """The name of a backup made at ``created``, e.g. ``book_2026-11-22_130338.000000Z_open.db``."""
    stamp = created.astimezone(UTC).strftime(_STAMP_FORMAT)
    return f"{workspace.stem}_{stamp}_{_clean_reason(reason)}{BACKUP_SUFFIX}"


def _clean_reason(reason: str) -> str:
    cleaned = re.sub(r"[^a-z0-9]+", "-", reason.lower()).strip("-")
    return cleaned or "manual"


def parse_backup_name(name: str) -> tuple[datetime, str] | None:
    """``(created, reason)`` from a backup file name, or None for other files."""
    match = _NAME.match(name)
    if match is None:
        return None
    created = datetime.strptime(match["stamp"], _STAMP_FORMAT).replace(tzinfo=UTC)
    return created, match["reason"]


def list_backups(workspace: Path) -> list[BackupInfo]:
    """The backups of ``workspace``, newest first (temp files of unfinished backups excluded)."""
    folder = backups_dir(workspace)
    found: list[BackupInfo] = []
    try:
        entries = list(folder.iterdir())
    except (FileNotFoundError, NotADirectoryError):
        return []
    prefix = f"{workspace.stem}_"
    for entry in entries:
        parsed = parse_backup_name(entry.name)
        # "book.db" and "book.sqlite" would share a folder; only this workspace's count.
        if parsed is None or not entry.name.startswith(prefix) or not entry.is_file():
            continue
        created, reason = parsed
        found.append(BackupInfo(entry, created, entry.stat().st_size, reason))
    found.sort(key=lambda info: info.created, reverse=True)
    return found


def backups_to_keep(times: Iterable[datetime], policy: RotationPolicy) -> set[datetime]:
    """Which backup times survive thinning (a pure function of the times and the policy).

    The newest ``policy.recent`` are kept; then, for each of the newest ``policy.daily`` days
    (``weekly`` ISO weeks, ``monthly`` months) that have a backup, the newest backup of it.
    """
    ordered = sorted(set(times), reverse=True)
    keep = set(ordered[: policy.recent])
    rules = (
        (policy.daily, lambda t: t.date().isoformat()),
        (policy.weekly, lambda t: f"{t.isocalendar()[0]}-W{t.isocalendar()[1]:02d}"),
        (policy.monthly, lambda t: f"{t.year}-{t.month:02d}"),
    )
    for count, period in rules:
        seen: set[str] = set()
        for moment in ordered:
            key = period(moment)
            if key in seen:
                continue
            seen.add(key)
            if len(seen) > count:
                break
            keep.add(moment)
    return keep


def rotate_backups(workspace: Path, policy: RotationPolicy | None = None) -> list[Path]:
    """Delete the backups thinning does not keep; returns the deleted files."""
    backups = list_backups(workspace)
    keep = backups_to_keep((b.created for b in backups), policy or RotationPolicy())
    deleted = []
    _remove_dead_temp_files(backups_dir(workspace))
    for info in backups:
        if info.created not in keep:
            with contextlib.suppress(FileNotFoundError):
                info.path.unlink()
            deleted.append(info.path)
    return deleted


#: A temp file older than this belongs to a backup that was killed, not one in progress.
DEAD_TEMP_AGE = timedelta(hours=1)


def _remove_dead_temp_files(folder: Path) -> None:
    now = datetime.now(UTC).timestamp()
    with contextlib.suppress(OSError):
        for entry in folder.iterdir():
            if entry.name.startswith(".") and ".tmp" in entry.name:
                with contextlib.suppress(OSError):
                    if now - entry.stat().st_mtime > DEAD_TEMP_AGE.total_seconds():
                        entry.unlink()
