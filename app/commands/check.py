"""``fieldbook check``: is this workspace healthy? Reads only; exit 0 only when it is."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from app.commands import UsageError, add_db_argument


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "check",
        help="report schema version, row counts and integrity of a workspace",
        description="Check a workspace without changing it; exit 0 only when it is healthy.",
    )
    add_db_argument(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from app.models.integrity import check_workspace
    from app.models.store import is_url, resolve_target

    target = resolve_target(args.db)
    if is_url(target):
        raise UsageError("check works on workspace files; give --db a file path.")
    path = Path(target).expanduser()
    if not path.exists():
        raise UsageError(f"There is no workspace at {path}.")
    report = check_workspace(path)
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
    print("Healthy." if report.healthy else "NOT healthy.")
    return 0 if report.healthy else 1
