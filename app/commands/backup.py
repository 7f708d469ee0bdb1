"""``fieldbook backup``: a verified backup of a workspace, now (safe while the GUI has it open)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from app.commands import UsageError, add_command


def register(subparsers: Any) -> None:
    parser = add_command(
        subparsers,
        "backup",
        run,
        help="back up a workspace now (verified, into its backups folder or --out FILE)",
        description=(
            "Back up a workspace with SQLite's online backup API, check the copy, then rename it "
            "into place. Without --out the backup goes to the backups folder beside the "
            "workspace, which is then thinned."
        ),
    )
    parser.add_argument("--out", metavar="FILE", help="write the backup to this new file")


def workspace_file(db: str | None) -> Path:
    """The workspace file ``--db`` names; refuses database URLs and missing files."""
    from app.models.opening import is_url, resolve_target
    from app.models.server import is_server_url

    target = resolve_target(db)
    if is_server_url(target):
        raise UsageError(server_backup_advice(target))
    if is_url(target):
        if target.startswith("sqlite:///"):
            target = target[len("sqlite:///") :]
        else:
            raise UsageError("This command works on workspace files; give --db a file path.")
    path = Path(target).expanduser().absolute()
    if not path.is_file():
        raise UsageError(f"There is no workspace at {path}.")
    return path


def server_backup_advice(target: str) -> str:
    """Backups of a team workspace are the server's job: one sentence naming pg_dump."""
    from app.models.server import parse_server_url

    url = parse_server_url(target)
    user = f" -U {url.username}" if url.username else ""
    return (
        f"A team workspace is backed up (and restored) by its PostgreSQL server, not by "
        f"Fieldbook: use pg_dump, e.g. `pg_dump -Fc -h {url.host or 'localhost'}"
        f" -p {url.port or 5432}{user} -d {url.database} -f fieldbook.dump`."
    )


def run(args: argparse.Namespace) -> int:
    from app.models.backup import make_backup
    from app.models.errors import WorkspaceDamagedError, WorkspaceError
    from app.models.schema import inspect_sqlite_file
    from app.services.backup import human_size

    path = workspace_file(args.db)
    try:
        inspect_sqlite_file(path)
    except WorkspaceDamagedError as exc:
        raise WorkspaceError(
            f"{path.name} is damaged, so it was not backed up; see `fieldbook backups`."
        ) from exc
    out = Path(args.out) if args.out else None
    made = make_backup(path, "manual", out=out)
    print(f"Backed up {path.name} to {made} ({human_size(made.stat().st_size)}, verified).")
    return 0
