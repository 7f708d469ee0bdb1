"""``fieldbook export map``: an account's stakeholder map as a PNG or SVG picture."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from app.commands import UsageError, add_db_argument


def register(kinds: Any) -> None:
    parser = kinds.add_parser(
        "map",
        help="an account's stakeholder map as PNG or SVG",
        description=(
            "Draw an account's org chart and influence map. --customer-safe hides sentiment, "
            "blocker badges, conflict lines, notes and warnings, for showing it to the customer."
        ),
    )
    add_db_argument(parser)
    parser.add_argument("--account", required=True, metavar="NAME", help="account name (or id)")
    parser.add_argument("--out", required=True, metavar="FILE", help="FILE.png or FILE.svg")
    parser.add_argument(
        "--customer-safe", action="store_true", help="hide internal labels and notes"
    )
    parser.add_argument("--dpi", type=int, default=150, help="PNG resolution (default 150)")
    parser.set_defaults(run=run)


def find_account(store: Any, name: str) -> str:
    """The id of the one account called ``name`` (any case) or with that id."""
    from app.services import accounts

    with store.read() as session:
        try:
            return accounts.find_account(session, name)[0]
        except accounts.AccountNotFoundError as exc:
            raise UsageError(str(exc)) from exc


def run(args: argparse.Namespace) -> int:
    from app.exports.map_image import export_map_image
    from app.models.store import open_workspace

    out = Path(args.out).expanduser()
    if out.suffix.lower() not in (".png", ".svg"):
        raise UsageError("--out must end in .png or .svg.")
    if not out.parent.is_dir():
        raise UsageError(f"The folder {out.parent} does not exist.")
    if not 30 <= args.dpi <= 600:
        raise UsageError("--dpi must be between 30 and 600.")
    store = open_workspace(args.db)
    try:
        account_id = find_account(store, args.account)
        try:
            export_map_image(store, account_id, out, customer_safe=args.customer_safe, dpi=args.dpi)
        except ValueError as exc:
            raise UsageError(str(exc)) from exc
    finally:
        store.close()
    print(out)
    return 0
