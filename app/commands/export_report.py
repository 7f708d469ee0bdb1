"""``fieldbook export report``: the Excel portfolio report of the book or of one owner."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from app.commands import OWNER, TODAY, UsageError, add_command, opened, parse_date


def register(subparsers: Any) -> None:
    parser = add_command(
        subparsers,
        "report",
        run,
        help="write the Excel portfolio report (.xlsx)",
        description="Write the portfolio report: summary with charts, accounts with their "
        "hierarchy, renewals of the next four quarters, weekly health history, risks and "
        "stakeholder coverage.",
    )
    parser.add_argument("--out", required=True, metavar="FILE.xlsx", help="the report to write")
    OWNER.add_to(parser)
    TODAY.add_to(parser)


def run(args: argparse.Namespace) -> int:
    from app.exports.portfolio_report import export_report
    from app.exports.safety import ExportError, check_output_path

    today = parse_date(args.today, "--today")
    try:
        out = check_output_path(Path(args.out), (".xlsx",))
    except ExportError as exc:
        raise UsageError(str(exc)) from exc
    with opened(args.db, refuse=(ExportError,)) as store:
        result = export_report(store, out, owner=args.owner, today=today)
    print(f"Wrote {result.path}: {result.accounts} accounts, sheets {', '.join(result.parts)}.")
    for note in result.notes:
        print(f"note: {note}", file=sys.stderr)
    return 0
