"""``fieldbook import``: load a CRM export (one file, a folder or a .zip) from CSV/XLSX.

The module is ``import_`` because ``import`` is a keyword; the subcommand is ``import``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from app.commands import UsageError, add_command, opened

KINDS = ("accounts", "contacts", "opportunities", "contracts", "health", "activities")
RENEWAL_DEALS = ("opportunities", "contracts")
MATCHES = ("auto", "external_id", "email", "name")

MAPPING_HELP = """\
The mapping file (--mapping, --save-mapping) is JSON:

  {
    "format": "fieldbook-import-mapping/1",
    "kind": "accounts",
    "columns": {"name": "Account Name", "external_id": "Id",
                "parent_external_id": "ParentId", "annual_revenue_minor": "AnnualRevenue"},
    "fallbacks": {"region": ["BillingCountry", "ShippingCountry"]},
    "default_currency": "USD",
    "day_first": null
  }

"kind" is accounts, contacts, opportunities, contracts, health or activities (touchpoints).
"columns" maps a Fieldbook field to the file's header; "fallbacks" (optional) lists headers
read, in order, where the mapped column is empty. "day_first" is true, false or null (decide
from the dates); an optional "decimal_comma" is true (1.234,50), false (1,234.50) or null
(decide from the file's numbers). The easiest way to write one: run with --dry-run --save-mapping
MAP.json (it is saved even when the import is refused), edit it, then pass it with
--mapping. A dry run lists every field with the column that fills it and the columns left
unread.

Fields by kind:
{fields}

Given a folder or a .zip (a Salesforce weekly export, a HubSpot export), every file's kind
is detected and the files go in together, in dependency order, all or nothing, with one
backup and one undo; a users file (User.csv) turns owner ids into names. A users file given
alone names the owners of the records already imported, and its names are kept for the
imports that follow. "renewal_deals": "contracts" in an opportunities mapping does what
--renewal-deals contracts does.
"""


def _fields_help() -> str:
    import textwrap

    from app.imports.fields import FIELDS

    lines = []
    for kind in KINDS:
        keys = ", ".join(spec.key for spec in FIELDS[kind])  # type: ignore[index]
        lines.append(
            textwrap.fill(f"{kind}: {keys}", 92, initial_indent="  ", subsequent_indent="    ")
        )
    return "\n".join(lines)


class _MappingHelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Fills in the fields of every kind only when the help is shown: the catalogue comes from
    ``app.imports.fields`` (every CRM's column names), too heavy to load for each command."""

    def add_text(self, text: str | None) -> None:
        if text is MAPPING_HELP:
            text = MAPPING_HELP.replace("{fields}", _fields_help())
        elif text is DESCRIPTION:
            from app.imports.vocabulary import SOURCES_IN_WORDS

            text = DESCRIPTION.replace("{sources}", SOURCES_IN_WORDS)
        super().add_text(text)


#: ``{sources}``: the sources the wizard and the first start name too, filled in when shown.
DESCRIPTION = (
    "Import a CRM export (CSV or .xlsx; one file, a folder or a .zip) into the workspace, all "
    "or nothing. Columns are recognised in exports from {sources} (Salesforce's by API names "
    "and report labels), or given by --mapping. A workspace path that does not exist yet is "
    "created."
)


def register(subparsers: Any) -> None:
    parser = add_command(
        subparsers,
        "import",
        run,
        help="import accounts, contacts, opportunities, contracts, health or activities "
        "(touchpoints)",
        description=DESCRIPTION,
        epilog=MAPPING_HELP,
        formatter_class=_MappingHelpFormatter,
    )
    parser.add_argument(
        "file", metavar="FILE", nargs="?", help="a .csv, .tsv, .txt or .xlsx file, a folder or .zip"
    )
    parser.add_argument("--kind", choices=KINDS, help="what the rows are (default: detected)")
    parser.add_argument("--mapping", metavar="MAP.json", help="a column mapping (see below)")
    parser.add_argument(
        "--save-mapping", metavar="MAP.json", help="save the mapping used (even when refused)"
    )
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
    parser.add_argument(
        "--skip-bad-rows",
        action="store_true",
        help="import the good rows and leave out rows with errors (default: all or nothing)",
    )
    parser.add_argument(
        "--rejects",
        metavar="FILE.csv",
        help="with --skip-bad-rows: write the rows left out, with a Reason column",
    )
    parser.add_argument(
        "--overwrite-edits",
        action="store_true",
        help="take the file's values even for records edited in Fieldbook since the last import "
        "(default: keep them and list them as conflicts)",
    )
    parser.add_argument(
        "--renewal-deals",
        choices=RENEWAL_DEALS,
        help="deals the CRM types as renewals (Salesforce 'Existing Customer - Renewal', "
        "HubSpot and Zoho 'Existing Business', a renewals pipeline): keep them as "
        "opportunities (default), or take each as a contract renewing on its close date, "
        "worth its amount, with its forecast or outcome",
    )
    parser.add_argument("--dry-run", action="store_true", help="report what would happen only")
    parser.add_argument("--undo", metavar="BATCH", help="undo a committed import by its id")
    parser.add_argument("--history", action="store_true", help="list the imports made so far")


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


def _history(args: argparse.Namespace) -> int:
    from app.imports.fields import kind_words
    from app.imports.undo import list_imports, undo_import
    from app.services import dates_text

    with opened(args.db) as store:
        if args.undo:
            record = undo_import(store, args.undo)
            print(f"Undid the import of {record.file_name} ({kind_words(record.kind)}).")
            return 0
        for item in list_imports(store):
            state, kind = ("undone" if item.undone else "in place"), kind_words(item.kind)
            print(
                f"{item.batch_id}  {dates_text.moment(item.created_at)}  {kind:<13}  "
                f"{item.file_name}  ({item.created_count:,} created, "
                f"{item.updated_count:,} updated, {state})"
            )
        return 0


def run(args: argparse.Namespace) -> int:
    from app.imports.sources import ImportRefused

    try:
        if args.history or args.undo:
            return _history(args)
        if not args.file:
            raise UsageError("Give the file to import (a .csv or .xlsx, a folder or a .zip).")
        if args.rejects and not args.skip_bad_rows:
            raise UsageError("--rejects goes with --skip-bad-rows.")
        path = Path(args.file)
        if path.is_dir() or path.suffix.lower() == ".zip":
            from app.commands.import_set import run_set

            return run_set(args, path)
        return _run_file(args, path)
    except ImportRefused as exc:
        raise UsageError(str(exc)) from None


def _run_file(args: argparse.Namespace, path: Path) -> int:
    import re

    from app.imports.commit import import_to_path, unrecognised
    from app.imports.detection import describe_guess, detect_mapping
    from app.imports.fields import kind_words
    from app.imports.mapping import load_mapping, save_mapping
    from app.imports.report import issue_lines, mapping_lines, write_rejects
    from app.imports.sources import ImportRefused, open_table
    from app.services.labels import quoted

    table = open_table(path, sheet=args.sheet)
    if args.mapping:
        mapping = load_mapping(args.mapping)
        if args.kind is not None and mapping.kind != args.kind:
            raise ImportRefused(f"The mapping is for {mapping.kind}, not {args.kind}.")
    else:
        mapping = detect_mapping(table.headers, args.kind)
        if not mapping.columns:
            raise ImportRefused(unrecognised(table, args.kind))
    if args.day_first is not None:
        mapping.day_first = args.day_first
    if args.renewal_deals:
        mapping.renewal_deals = args.renewal_deals
    if args.currency:
        code = args.currency.upper()
        if not re.fullmatch(r"[A-Z]{3}", code):
            raise ImportRefused(f"{quoted(args.currency)} is not a three-letter currency code.")
        mapping.default_currency = code
    if args.save_mapping:
        # Saved before anything can refuse, so the user can correct it and try again.
        save_mapping(mapping, args.save_mapping)
    outcome = import_to_path(
        args.db,
        path,
        mapping=mapping,
        sheet=args.sheet,
        match=args.match,
        dry_run=args.dry_run,
        progress=_progress_printer(),
        skip_bad_rows=args.skip_bad_rows,
        overwrite_edits=args.overwrite_edits,
    )
    plan = outcome.plan
    summary = plan.summary(done=outcome.committed)
    print(f"{plan.file_name} ({plan.described_as}) as {kind_words(plan.kind)}: {summary}.")
    if not args.mapping and not args.kind:
        print(f"Detected {describe_guess(mapping)}.")
    if args.dry_run or not plan.ok:
        for line in mapping_lines(plan):
            print(line)
    for line in [*plan.notes, *issue_lines(plan)]:
        print(line)
    if not plan.ok:
        count = len(plan.errors)
        problems = "1 problem needs" if count == 1 else f"{count:,} problems need"
        hint = "" if args.skip_bad_rows else " (or give --skip-bad-rows to import the good rows)"
        raise UsageError(f"Nothing was imported: {problems} fixing in the file first{hint}.")
    if args.rejects and plan.rejected_rows:
        written = write_rejects(table, plan, args.rejects)
        print(f"Wrote the {written:,} rows left out, with their reasons, to {args.rejects}.")
    if args.dry_run:
        print("Dry run: nothing was changed.")
        return 0
    if not outcome.committed:
        print("Nothing changed: the workspace already holds every record as the file has it.")
        return 0
    print(f"Imported (batch {outcome.batch_id}; undo with --undo {outcome.batch_id}).")
    return 0
