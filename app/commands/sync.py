"""``fieldbook sync``: exchange a laptop replica's changes with the team workspace."""

from __future__ import annotations

import argparse
from typing import Any

from app.commands import Number, UsageError, add_command, opened

#: A conflict, by the number ``--conflicts`` lists it under.
KEEP = Number("--keep", 1, None, "keep your value of conflict ID", metavar="ID")
TAKE_THEIRS = Number("--take-theirs", 1, None, "take the team's value of conflict ID", metavar="ID")


def register(subparsers: Any) -> None:
    parser = add_command(
        subparsers,
        "sync",
        run,
        help="push a replica's changes to the team workspace and pull everyone else's",
        description=(
            "Send the changes made on this laptop to the team workspace, then bring in the "
            "changes made there since the last sync. Changes are merged per field; a value a "
            "merge did not keep is listed with --conflicts and resolved with --keep ID or "
            "--take-theirs ID (the choice is sent by the next sync)."
        ),
    )
    choice = parser.add_mutually_exclusive_group()
    choice.add_argument("--conflicts", action="store_true", help="list the conflicts to review")
    KEEP.add_to(choice)
    TAKE_THEIRS.add_to(choice)


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from app.models.opening import resolve_target
    from app.models.replica import info_of
    from app.services import sync

    target = resolve_target(args.db)
    if "://" in target:
        raise UsageError("--db names a replica file on this laptop, not a database address.")
    if not Path(target).expanduser().is_file():
        raise UsageError(f"There is no replica at {target}; make one with fieldbook replica.")
    with opened(target) as store:
        info_of(store)
        if args.conflicts:
            found = sync.conflicts(store)
            if not found:
                print("No conflicts to review.")
            for c in found:
                _print_conflict(c)
            return 0
        if args.keep is not None or args.take_theirs is not None:
            ident = args.keep if args.keep is not None else args.take_theirs
            try:
                said = sync.resolve(store, ident, "mine" if args.keep is not None else "theirs")
            except sync.NoSuchConflict as missing:
                raise UsageError(
                    f"There is no conflict {missing.conflict_id}; list them with --conflicts."
                ) from None
            print(said)
            return 0
        result = sync.sync(store)
        line = f"Sent {result.pushed:,} change{'s' if result.pushed != 1 else ''}"
        if result.pushed and result.applied != result.pushed:
            line += f" ({result.applied:,} applied)"
        line += f", received {result.pulled:,}."
        print(line)
        if result.left:
            print(
                f"{result.left:,} account{'s' if result.left != 1 else ''} no longer yours "
                "left this laptop's book."
            )
        if result.conflicts:
            count = len(result.conflicts)
            print(
                f"{count} new conflict{'s' if count != 1 else ''} to review "
                "(fieldbook sync --conflicts):"
            )
            for c in result.conflicts:
                _print_conflict(c)
        state = sync.state(store)
        if state is not None:
            print(state.line())
        return 0


def _print_conflict(c: Any) -> None:
    from app.services import dates_text

    where = f"{c.record}, {c.field}" if c.field else c.record
    when = dates_text.moment(c.when) if c.when else "unknown time"
    print(f"  #{c.id} {where}: {c.words}")
    print(f"      mine: {c.mine}   theirs: {c.theirs}   ({c.person}, {when})")
    if c.reason:
        print(f"      {c.reason}")
