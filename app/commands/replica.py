"""``fieldbook replica``: make a laptop replica of a team workspace, to work offline."""

from __future__ import annotations

import argparse
import time
from typing import Any

from app.commands import UsageError, add_command


def register(subparsers: Any) -> None:
    parser = add_command(
        subparsers,
        "replica",
        run,
        db=False,
        help="make a laptop replica of a team workspace (works offline; fieldbook sync)",
        description=(
            "Copy the team book (or, with --mine, the accounts you own or are on the team of, "
            "with their parent accounts and the team's scorecards, playbooks and rates) from a "
            "team workspace on PostgreSQL into a new workspace file that works offline. "
            "fieldbook sync --db FILE then exchanges changes with the team workspace."
        ),
    )
    parser.add_argument(
        "--from",
        dest="source",
        metavar="ADDRESS",
        required=True,
        help="the team workspace, postgresql+psycopg://you@host/database",
    )
    parser.add_argument("--db", metavar="PATH", required=True, help="the new replica file")
    parser.add_argument(
        "--mine", action="store_true", help="only the accounts you own or are on the team of"
    )


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from app.models.replica_copy import create_replica
    from app.models.server import is_server_url

    if not is_server_url(args.source):
        raise UsageError(
            f"{args.source} is not a team workspace address; "
            "give postgresql+psycopg://you@host/database."
        )
    if "://" in args.db:
        raise UsageError("--db names the replica file on this laptop, not a database address.")
    path = Path(args.db).expanduser().absolute()
    if path.exists() and path.stat().st_size > 0:
        raise UsageError(f"{path} already exists; a replica is made in a new file.")
    started = time.perf_counter()
    report = create_replica(args.source, path, mine=args.mine)
    what = "your accounts" if report.scope == "mine" else "the team book"
    print(f"Made {path.name}, a replica of {what}: {report.total:,} records.")
    for name in ("account", "stakeholder", "contract"):
        print(f"  {name:<12} {report.counts.get(name, 0):>10,}")
    seconds = time.perf_counter() - started
    print(f"in {seconds:.1f} s; fieldbook sync --db {args.db} exchanges changes.")
    return 0
