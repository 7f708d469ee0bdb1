"""``fieldbook demo``: fill a workspace with a believable demo book, the same for the same seed."""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

from app.commands import Number, UsageError, add_command, opened

#: As many as the demo service makes (its MAX_ACCOUNTS, not imported: building the parser
#: loads no service).
ACCOUNTS = Number(
    "--accounts", 1, 200_000, "number of accounts, subsidiaries included", default=200
)
#: Any seed makes a book; the same seed, the same book.
SEED = Number("--seed", 0, None, "random seed", default=1, metavar="S")


def register(subparsers: Any) -> None:
    parser = add_command(
        subparsers,
        "demo",
        run,
        help="fill a workspace with a demo book of accounts",
        description=(
            "Create (or fill an empty) workspace with demo accounts, stakeholders, contracts, "
            "two years of weekly health metrics and the CSM's work. The same seed gives the "
            "same book. Everything is written in one transaction."
        ),
        options=(ACCOUNTS, SEED),
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="replace the accounts already in the workspace (in the same transaction)",
    )


def _progress_printer() -> Any:
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        end = "\n" if done >= total else ""
        print(f"\rfieldbook: {done:,}/{total:,} accounts", end=end, file=sys.stderr, flush=True)

    return show


def run(args: argparse.Namespace) -> int:
    from app.models.opening import resolve_target
    from app.services.demo import WorkspaceNotEmptyError, generate_demo

    started = time.perf_counter()
    try:
        with opened(args.db, create=True) as store:
            summary = generate_demo(
                store,
                accounts=args.accounts,
                seed=args.seed,
                replace=args.force,
                progress=_progress_printer(),
            )
    except WorkspaceNotEmptyError as exc:
        target = resolve_target(args.db)
        raise UsageError(
            f"{target} already holds accounts; use --force to replace them with the demo."
        ) from exc
    where = store.path if store.path is not None else store.url
    print(
        f"Demo written to {where}: {summary.describe().rsplit(' in ', 1)[0]} "
        f"in {time.perf_counter() - started:.1f} s."
    )
    return 0
