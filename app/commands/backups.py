"""``fieldbook backups``: list a workspace's backups with dates, sizes and why each was made."""

from __future__ import annotations

import argparse
from typing import Any

from app.commands import add_command


def register(subparsers: Any) -> None:
    add_command(
        subparsers,
        "backups",
        run,
        help="list a workspace's backups, newest first",
        description="List the backups in the folder beside a workspace, newest first.",
    )


def run(args: argparse.Namespace) -> int:
    from app.commands.backup import workspace_file
    from app.models.backup_folder import backups_dir, list_backups
    from app.services import dates_text
    from app.services.backup import human_size

    path = workspace_file(args.db)
    found = list_backups(path)
    folder = backups_dir(path)
    if not found:
        print(f"No backups of {path.name} yet (they go to {folder}).")
        return 0
    print(f"Backups of {path.name} in {folder}, newest first:")
    whens = [dates_text.moment(info.created) for info in found]
    width = max(len(when) for when in whens)
    for info, when in zip(found, whens, strict=True):
        print(f"  {when:<{width}}  {human_size(info.size):>10}  {info.reason:<16} {info.path.name}")
    return 0
