"""``fieldbook check``: is this workspace healthy? Reads only; exit 0 only when it is."""

from __future__ import annotations

import argparse
from datetime import timedelta
from pathlib import Path
from typing import Any

from app.commands import UsageError, add_command


def register(subparsers: Any) -> None:
    add_command(
        subparsers,
        "check",
        run,
        help="report schema version, row counts and integrity of a workspace",
        description="Check a workspace without changing it; exit 0 only when it is healthy.",
    )


def run(args: argparse.Namespace) -> int:
    from app.models.integrity import check_workspace
    from app.models.opening import is_url, resolve_target
    from app.models.server import is_server_url

    target = resolve_target(args.db)
    if is_server_url(target):
        return _check_server(target)
    if is_url(target):
        raise UsageError("check works on workspace files or team workspace addresses.")
    path = Path(target).expanduser()
    if not path.exists():
        raise UsageError(f"There is no workspace at {path}.")
    from app.models.errors import WorkspaceDamagedError

    try:
        report = check_workspace(path)
    except WorkspaceDamagedError as exc:
        print(f"Workspace:   {path}")
        print(f"Integrity:   damaged ({'; '.join(exc.problems[:3])})")
        _report_backups(path)
        print("NOT healthy: restore it with `fieldbook restore --db PATH --from BACKUP`.")
        return 1
    print(f"Workspace:   {path}")
    status = f"{report.schema_status}; this version: {report.head}"
    print(f"Schema:      {report.revision or '-'} ({status})")
    print("Rows:")
    width = max((len(name) for name in report.counts), default=0)
    for name, count in report.counts.items():
        print(f"  {name:<{width}}  {count:>10,}")
    print(f"Integrity:   {'ok' if report.integrity == ['ok'] else '; '.join(report.integrity)}")
    fk = report.foreign_key_violations
    print(f"Foreign keys: {'ok' if not fk else f'{len(fk)} broken'}")
    for line in fk[:20]:
        print(f"  {line}")
    backups_ok = _report_backups(path)
    healthy = report.healthy and backups_ok
    print("Healthy." if healthy else "NOT healthy.")
    return 0 if healthy else 1


def _check_server(target: str) -> int:
    """A team workspace: reachable, its schema, its rows; backups are the server's job."""
    from app.models.schema import head_revision, known_revisions
    from app.models.server import check_server

    report = check_server(target)
    head = head_revision()
    if report.revision is None:
        status = "empty: run `fieldbook team init` on it"
    elif report.revision == head:
        status = "current"
    elif report.revision in known_revisions():
        status = "older: opening it upgrades it"
    else:
        status = "newer than this version of Fieldbook"
    print(f"Workspace:   {report.address} (PostgreSQL {report.server_version}, as {report.user})")
    print(f"Schema:      {report.revision or '-'} ({status}; this version: {head})")
    print("Rows:")
    width = max((len(name) for name in report.counts), default=0)
    for name, count in report.counts.items():
        print(f"  {name:<{width}}  {count:>10,}")
    print("Backups:     the server's job (pg_dump); see `fieldbook backup --db ADDRESS`.")
    healthy = report.revision is not None and report.revision in known_revisions()
    print("Healthy." if healthy else "NOT healthy.")
    return 0 if healthy else 1


def _report_backups(path: Path) -> bool:
    """Print the newest backup's age and verdict; False only when that backup is bad."""
    from app.services import dates_text
    from app.services.backup import backup_status, human_size

    status = backup_status(path)
    if status.newest is None or status.newest_check is None:
        print("Backups:     none yet")
        return True
    age = status.age()
    assert age is not None
    when = dates_text.moment(status.newest.created)
    print(
        f"Backups:     {status.count}; newest {when} ({describe_age(age)} ago, "
        f"{human_size(status.newest.size)})"
    )
    check = status.newest_check
    if check.ok:
        print("Newest backup: verified (integrity ok)")
        return True
    print(f"Newest backup: FAILED its check ({'; '.join(check.problems)})")
    return False


def describe_age(age: timedelta) -> str:
    """``3 minutes``, ``5 hours``, ``12 days``."""
    seconds = max(0, int(age.total_seconds()))
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            count = seconds // size
            return f"{count} {unit}{'s' if count != 1 else ''}"
    return f"{seconds} second{'s' if seconds != 1 else ''}"
