"""``fieldbook copy``: move a book from one workspace to another (file <-> team server)."""

from __future__ import annotations

import argparse
import time
from typing import Any

from app.commands import UsageError, add_command


def register(subparsers: Any) -> None:
    parser = add_command(
        subparsers,
        "copy",
        run,
        db=False,
        help="copy a whole book into an empty workspace (a file or a team server), verified",
        description=(
            "Copy every record of one workspace into another that holds no book yet, e.g. a "
            "laptop file into a team workspace on PostgreSQL or back. Runs in one transaction "
            "on the target and compares the row count of every table before committing."
        ),
    )
    parser.add_argument("--from", dest="source", metavar="DB", required=True, help="source")
    parser.add_argument("--to", dest="target", metavar="DB", required=True, help="target")


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from app.models.copying import copy_book
    from app.models.opening import open_workspace
    from app.models.server import is_server_url

    if args.source == args.target:
        raise UsageError("--from and --to name the same workspace.")
    if not is_server_url(args.source) and not Path(args.source).expanduser().is_file():
        raise UsageError(f"There is no workspace at {args.source}.")
    new_file = None
    if not is_server_url(args.target):
        candidate = Path(args.target).expanduser().absolute()
        new_file = None if candidate.exists() else candidate
    started = time.perf_counter()
    source = open_workspace(args.source)
    try:
        target = open_workspace(args.target, create=True)
        try:
            report = copy_book(source, target)
        except BaseException:
            target.close()
            if new_file is not None:
                for suffix in ("", "-wal", "-shm", "-journal"):
                    Path(f"{new_file}{suffix}").unlink(missing_ok=True)
            raise
        target.close()
    finally:
        source.close()
    print(
        f"Copied {report.total:,} rows from {source.name} to {target.name}, every table verified:"
    )
    width = max(len(name) for name in report.counts)
    for name, count in report.counts.items():
        if count:
            print(f"  {name:<{width}}  {count:>10,}")
    print(f"in {time.perf_counter() - started:.1f} s.")
    return 0
