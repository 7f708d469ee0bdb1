"""``fieldbook import``: load accounts, contacts, contracts, health or activities from CSV/XLSX.

The module is ``import_`` because ``import`` is a keyword; the subcommand is ``import``.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from app.commands import UsageError, add_db_argument

KINDS = ("accounts", "contacts", "contracts", "health", "activities")
MATCHES = ("auto", "external_id", "email", "name")
#: Errors and warnings listed before "... and N more".
SHOWN_ISSUES = 50


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "import",
        help="import accounts, contacts, contracts, health or activities from CSV or Excel",
        description=(
            "Import a CRM export (CSV or .xlsx) into the workspace, all or nothing. Columns are "
            "mapped automatically for Salesforce, HubSpot and Gainsight exports, or by --mapping. "
            "A workspace path that does not exist yet is created."
        ),
    )
    add_db_argument(parser)
    parser.add_argument("file", metavar="FILE", nargs="?", help="a .csv, .tsv, .txt or .xlsx file")
    parser.add_argument("--kind", choices=KINDS, help="what the rows are (default: guessed)")
    parser.add_argument("--mapping", metavar="MAP.json", help="a saved column mapping")
    parser.add_argument("--save-mapping", metavar="MAP.json", help="save the mapping used")
    parser.add_argument("--sheet", metavar="NAME", help="the workbook sheet (default: first)")
    parser.add_argument(
        "--match",
        choices=MATCHES,
        default="auto",
        help="how rows find existing records (default: external id, else email, else name)",
    )
    order = parser.add_mutually_exclusive_group()
    order.add_argument("--day-first", dest="day_first", action="store_const", const=True)
    order.add_argument("--month-first", dest="day_first", action="store_const", const=False)
    parser.add_argument(
        "--currency", metavar="CODE", help="currency of amounts without a symbol (default USD)"
    )
    parser.add_argument("--dry-run", action="store_true", help="report what would happen only")
    parser.add_argument("--undo", metavar="BATCH", help="undo a committed import by its id")
    parser.add_argument("--history", action="store_true", help="list the imports made so far")
    parser.set_defaults(run=run)


def _progress_printer() -> Any:
    if not sys.stderr.isatty():
        return None
    last: list[tuple[str, int]] = [("", -1)]

    def show(phase: str, fraction: float) -> None:
        percent = int(fraction * 100)
        if (phase, percent) != last[0]:
            last[0] = (phase, percent)
            print(f"\r{phase}: {percent:3d}%", end="", file=sys.stderr, flush=True)
            if phase == "Done":
                print(file=sys.stderr)

    return show


def run(args: argparse.Namespace) -> int:
    from app.imports.commit import import_to_path, list_imports, undo_import
    from app.imports.mapping import load_mapping, save_mapping
    from app.imports.sources import ImportRefused
    from app.models.store import open_workspace

    try:
        if args.history:
            store = open_workspace(args.db)
            try:
                records = list_imports(store)
            finally:
                store.close()
            for record in records:
                state = "undone" if record.undone else "in place"
                print(
                    f"{record.batch_id}  {record.created_at:%Y-%m-%d %H:%M}  {record.kind:<10}  "
                    f"{record.file_name}  ({record.created_count:,} created, "
                    f"{record.updated_count:,} updated, {state})"
                )
            return 0
        if args.undo:
            store = open_workspace(args.db)
            try:
                record = undo_import(store, args.undo)
            finally:
                store.close()
            print(f"Undid the import of {record.file_name} ({record.kind}).")
            return 0
        if not args.file:
            raise UsageError("Give the file to import (a .csv or .xlsx).")
        mapping = load_mapping(args.mapping) if args.mapping else None
        outcome = import_to_path(
            args.db,
            args.file,
            kind=args.kind,
            mapping=mapping,
            sheet=args.sheet,
            match=args.match,
            day_first=args.day_first,
            default_currency=args.currency.upper() if args.currency else None,
            dry_run=args.dry_run,
            progress=_progress_printer(),
        )
        if args.save_mapping and outcome.mapping is not None:
            save_mapping(outcome.mapping, args.save_mapping)
    except ImportRefused as exc:
        raise UsageError(str(exc)) from None
    plan = outcome.plan
    summary = plan.summary(done=outcome.committed)
    print(f"{plan.file_name} ({plan.described_as}) as {plan.kind}: {summary}.")
    for title, issues in (("Errors", plan.errors), ("Warnings", plan.warnings)):
        if issues:
            print(f"{title}:")
            for issue in issues[:SHOWN_ISSUES]:
                print(f"  {issue}")
            if len(issues) > SHOWN_ISSUES:
                print(f"  ... and {len(issues) - SHOWN_ISSUES:,} more")
    if not plan.ok:
        count = len(plan.errors)
        problems = "1 problem needs" if count == 1 else f"{count:,} problems need"
        raise UsageError(f"Nothing was imported: {problems} fixing in the file first.")
    if args.dry_run:
        print("Dry run: nothing was changed.")
        return 0
    print(f"Imported (batch {outcome.batch_id}; undo with --undo {outcome.batch_id}).")
    return 0
