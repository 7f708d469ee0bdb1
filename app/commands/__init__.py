"""Subcommands of the ``fieldbook`` command line, one module each."""

from __future__ import annotations

import argparse
from typing import Any


class UsageError(Exception):
    """Bad input on the command line; the message is one sentence for the user."""


def add_db_argument(parser: argparse.ArgumentParser, **kwargs: Any) -> None:
    """The ``--db`` option every workspace command takes."""
    parser.add_argument(
        "--db",
        metavar="PATH",
        help="workspace file or SQLAlchemy URL (default: $FIELDBOOK_DB, else the user data folder)",
        **kwargs,
    )
