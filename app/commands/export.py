"""``fieldbook export KIND ...``: one sub-command per kind of file, each in ``export_<kind>.py``."""

from __future__ import annotations

import argparse
import importlib
from typing import Any

#: Export kinds, each a module ``app.commands.export_<kind>`` with ``register(subparsers)``.
EXPORT_KINDS: tuple[str, ...] = ("qbr", "report", "calendar", "map", "health")


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "export",
        help="write a QBR deck or brief, the portfolio report, the calendar feed, a map",
        description="Write documents from the workspace. Files are written atomically.",
    )
    kinds = parser.add_subparsers(dest="kind", metavar="KIND", required=True)
    for kind in EXPORT_KINDS:
        importlib.import_module(f"app.commands.export_{kind}").register(kinds)
    parser.set_defaults(run=lambda args: _missing_kind(parser, args))


def _missing_kind(parser: argparse.ArgumentParser, _args: argparse.Namespace) -> int:
    parser.print_help()
    return 2
