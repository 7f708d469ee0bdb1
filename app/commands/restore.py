"""``fieldbook restore``: put a backup in place of a workspace; the current file is kept aside."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from app.commands import UsageError, add_command


def register(subparsers: Any) -> None:
    parser = add_command(
        subparsers,
        "restore",
        run,
        help="restore a workspace from a backup (the current file is kept aside)",
        description=(
            "Verify a backup, then make it the workspace. The current workspace file is renamed "
            "aside (never overwritten or deleted), damaged or not."
        ),
    )
    parser.add_argument(
        "--from",
        dest="source",
        metavar="FILE",
        required=True,
        help="the backup file (a path, or a name from `fieldbook backups`)",
    )


def run(args: argparse.Namespace) -> int:
    from app.commands.backup import server_backup_advice
    from app.models.backup_folder import backups_dir
    from app.models.opening import is_url, resolve_target
    from app.models.server import is_server_url
    from app.services.backup import human_size, restore_workspace

    target = resolve_target(args.db)
    if is_server_url(target):
        raise UsageError(server_backup_advice(target))
    if is_url(target):
        raise UsageError("restore works on workspace files; give --db a file path.")
    path = Path(target).expanduser().absolute()
    source = Path(args.source).expanduser()
    if not source.exists() and not source.is_absolute():
        source = backups_dir(path) / args.source
    if not source.is_file():
        raise UsageError(f"There is no backup at {args.source}.")
    if source.absolute() == path:
        raise UsageError("The backup and the workspace are the same file.")
    result = restore_workspace(path, source)
    print(f"Restored {path.name} from {source.name} ({human_size(path.stat().st_size)}).")
    if result.kept_aside is not None:
        print(f"The previous workspace was kept as {result.kept_aside}.")
    return 0
