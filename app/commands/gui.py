"""``fieldbook gui`` (and plain ``fieldbook``): open the main window on a workspace."""

from __future__ import annotations

import argparse
from typing import Any

from app.commands import add_command


def register(subparsers: Any) -> None:
    parser = add_command(
        subparsers,
        "gui",
        run,
        help="open the main window (the default command)",
        description="Open Fieldbook's main window on a workspace.",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open the demo workspace in the user data folder, creating it on first use",
    )


def run(args: argparse.Namespace) -> int:
    from app.views.app import run_gui

    return run_gui(db=args.db, demo=args.demo)
