"""``fieldbook gui`` (and plain ``fieldbook``): open the main window on a workspace."""

from __future__ import annotations

import argparse
import gc
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
    # Start-up makes a few hundred thousand objects (modules, classes, the tree's rows) that
    # live as long as the window; the collector's passes over them cost ~8% of the CPU to the
    # first paint and find nothing. Off until the window has painted (``run_gui``).
    gc.disable()
    try:
        from app.views.app import run_gui

        return run_gui(db=args.db, demo=args.demo)
    finally:
        gc.enable()
