"""The command line: every capability that reads or writes files, scriptable and headless.

Each subcommand lives in ``app/commands/<name>.py`` with ``register(subparsers)``; its handler
returns the exit status. Bad input raises ``UsageError`` (or ``WorkspaceError``): one sentence
on stderr, exit status 2, nothing written.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from app import __version__
from app.commands import UsageError
from app.errors import WorkspaceError

#: Subcommand modules under ``app/commands``, in the order ``--help`` lists them.
COMMANDS = (
    "gui",
    "demo",
    "check",
    "import_",
    "export",
    "backup",
    "backups",
    "restore",
    "health",
    "rates",
    "playbooks",
    "cadence",
    "snapshot",
    "copy",
    "team",
    "replica",
    "sync",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fieldbook",
        description="Fieldbook: the offline workbench for customer success managers.",
    )
    parser.add_argument("--version", action="version", version=f"fieldbook {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"app.commands.{name}").register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit status."""
    try:
        try:
            status = _main(argv)
        finally:
            if sys.stdout is not None:  # None in a windowed bundle
                sys.stdout.flush()  # here, so a reader gone early is met in the try
    except BrokenPipeError:
        # The reader (``| head``) closed early. As the Python docs advise: point stdout at
        # devnull so the flush at exit cannot fail again, and exit 1 without a traceback.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    return status


def _main(argv: Sequence[str] | None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    if not args_list or args_list[0].startswith("--db") or args_list[0] == "--demo":
        args_list = ["gui", *args_list]
    try:
        # A number option's reader (app.commands.Number) raises UsageError while parsing:
        # argparse passes on what is not a ValueError, TypeError or ArgumentTypeError.
        args = parser.parse_args(args_list)
        return int(args.run(args))
    except (UsageError, WorkspaceError) as exc:
        print(f"fieldbook: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("fieldbook: interrupted; nothing was changed.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
