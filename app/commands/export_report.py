"""``fieldbook export report``: the Excel portfolio report of the book or of one owner."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from app.commands import UsageError, add_db_argument


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "report",
        help="write the Excel portfolio report (.xlsx)",
        description="Write the portfolio report: summary with charts, accounts with their "
        "hierarchy, renewals of the next four quarters, weekly health history, risks and "
        "stakeholder coverage.",
    )
    add_db_argument(parser)
    parser.add_argument("--out", required=True, metavar="FILE.xlsx", help="the report to write")
    parser.add_argument("--owner", metavar="NAME", help="only the accounts this CSM owns")
    parser.add_argument(
        "--today", metavar="YYYY-MM-DD", help="the date the report is as of (default: today)"
    )
    parser.set_defaults(run=run)


def parse_day(text: str | None) -> Any:
    """``--today`` as a date (None when not given)."""
    from datetime import date

    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise UsageError(f"{text} is not a date like 2026-11-20.") from exc


def run(args: argparse.Namespace) -> int:
    from app.exports.portfolio_report import export_report
    from app.exports.safety import ExportError, check_output_path
    from app.models.store import open_workspace

    today = parse_day(args.today)
    try:
        out = check_output_path(Path(args.out), (".xlsx",))
    except ExportError as exc:
        raise UsageError(str(exc)) from exc
    store = open_workspace(args.db)
    try:
        result = export_report(store, out, owner=args.owner, today=today)
    except ExportError as exc:
        raise UsageError(str(exc)) from exc
    finally:
        store.close()
    print(f"Wrote {result.path}: {result.accounts} accounts, sheets {', '.join(result.sheets)}.")
    for note in result.notes:
        print(f"note: {note}", file=sys.stderr)
    return 0
