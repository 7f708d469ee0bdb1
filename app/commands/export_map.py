"""``fieldbook export map``: an account's stakeholder map as a PNG or SVG picture."""

from __future__ import annotations

import argparse
from typing import Any

from app.commands import ACCOUNT, DPI, add_command, find_account_id, opened, out_file


def register(kinds: Any) -> None:
    parser = add_command(
        kinds,
        "map",
        run,
        help="an account's stakeholder map as PNG or SVG",
        description=(
            "Draw an account's org chart and influence map. --customer-safe hides sentiment, "
            "blocker badges, conflict lines, notes and warnings, for showing it to the customer."
        ),
    )
    ACCOUNT.add_to(parser, required=True)
    parser.add_argument("--out", required=True, metavar="FILE", help="FILE.png or FILE.svg")
    parser.add_argument(
        "--customer-safe", action="store_true", help="hide internal labels and notes"
    )
    DPI.add_to(parser)


def run(args: argparse.Namespace) -> int:
    from app.exports.map_image import export_map_image
    from app.exports.safety import ExportError

    out = out_file(args.out, (".png", ".svg"))
    with opened(args.db, refuse=(ValueError, ExportError)) as store:
        with store.read() as session:
            account_id = find_account_id(session, args.account)
        export_map_image(store, account_id, out, customer_safe=args.customer_safe, dpi=args.dpi)
    print(out)
    return 0
