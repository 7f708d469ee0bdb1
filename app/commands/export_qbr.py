"""``fieldbook export qbr``: the QBR deck (.pptx) or brief (.docx) of one account, or many."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from app.commands import ACCOUNT, OWNER, TODAY, UsageError, add_command, opened, parse_date


def register(subparsers: Any) -> None:
    parser = add_command(
        subparsers,
        "qbr",
        run,
        help="write a QBR deck (.pptx) or brief (.docx)",
        description="Write the quarterly business review of an account as a PowerPoint deck "
        "or a Word brief (by --out's extension). With --all or --owner, write one per account "
        "into the folder --out names; a failure on one account does not stop the others.",
    )
    which = parser.add_mutually_exclusive_group(required=True)
    ACCOUNT.add_to(which)
    which.add_argument("--all", action="store_true", help="every account of the workspace")
    OWNER.add_to(which)
    parser.add_argument(
        "--out",
        required=True,
        metavar="FILE",
        help="FILE.pptx or FILE.docx; with --all/--owner, an existing folder",
    )
    parser.add_argument(
        "--format",
        choices=("pptx", "docx"),
        default="pptx",
        help="with --all/--owner: deck or brief (default: pptx)",
    )
    parser.add_argument("--quarter", metavar="2026Q4", help="the quarter (default: this one)")
    parser.add_argument(
        "--audience",
        choices=("customer", "internal"),
        default="customer",
        help="customer (default) leaves out internal labels; internal adds the renewal",
    )
    parser.add_argument("--template", metavar="T.pptx", help="your own PowerPoint template")
    parser.add_argument("--our-logo", metavar="PICTURE", help="our logo for the title slide")
    parser.add_argument(
        "--customer-logo", metavar="PICTURE", help="the customer's logo for the title slide"
    )
    TODAY.add_to(parser)


def run(args: argparse.Namespace) -> int:
    from app.exports.qbr import check_inputs, gather, present, validate, write_qbr
    from app.exports.qbr_batch import export_qbr_batch
    from app.exports.qbr_data import Audience, QbrRequest, Quarter
    from app.exports.safety import ExportError

    today = parse_date(args.today, "--today")
    quarter = None
    if args.quarter:
        try:
            quarter = Quarter.parse(args.quarter)
        except ValueError as exc:
            raise UsageError(str(exc)) from exc
    template = Path(args.template).expanduser() if args.template else None
    logos = tuple(
        Path(given).expanduser() if given else None for given in (args.our_logo, args.customer_logo)
    )
    audience = Audience(args.audience)
    out = Path(args.out).expanduser()
    batch = args.account is None
    request = QbrRequest(args.account or "", audience, quarter, today, template, logos)
    try:
        if batch:
            if not out.is_dir():
                raise UsageError(f"With --all or --owner, --out must be an existing folder: {out}.")
            check_inputs(request)
        else:
            out = validate(request, out)
    except ExportError as exc:
        raise UsageError(str(exc)) from exc
    with opened(args.db, refuse=(ExportError,)) as store:
        if not batch:
            # Validated above: gather once, cut for the audience, write.
            content = present(gather(store, request), audience, (), out.suffix)
            result = write_qbr(content, out, request)
            print(f"Wrote {result.path}: {', '.join(result.parts)}.")
            for note in result.notes:
                print(f"note: {note}", file=sys.stderr)
            return 0

        def show(done: int, total: int, what: str) -> None:
            print(f"[{done}/{total}] {what}", file=sys.stderr)

        outcome = export_qbr_batch(
            store, out, owner=args.owner, suffix=f".{args.format}", quarter=quarter,
            audience=audience, template=template, today=today, progress=show, logos=logos,
        )  # fmt: skip
    for item in outcome.written:
        print(f"Wrote {item.path}")
    for account, note in outcome.notes:
        print(f"note: {account}: {note}", file=sys.stderr)
    for account, message in outcome.failures:
        print(f"fieldbook: {account}: {message}", file=sys.stderr)
    if not outcome.written and not outcome.failures:
        raise UsageError("No account matched; nothing was written.")
    return 1 if outcome.failures else 0
