"""``fieldbook export calendar``: the renewal calendar as an .ics feed for Outlook or Google."""

from __future__ import annotations

import argparse
import os
from datetime import date
from pathlib import Path
from typing import Any

from app.commands import (
    OWNER,
    TODAY,
    Number,
    UsageError,
    add_command,
    parse_date,
    workspace_session,
)

#: How far ahead the feed reaches: a day to ten years (90 days, a quarter, by default).
DAYS = Number("--days", 1, 3660, "how far ahead of today", default=90, unit="days")


def register(kinds: Any) -> None:
    parser = add_command(
        kinds,
        "calendar",
        run,
        help="the renewal calendar as an .ics feed",
        description=(
            "Write renewals, checkpoints, notice deadlines and touchpoints (with --tasks, task "
            "and milestone dues too) as an RFC 5545 calendar file. Importing a newer file "
            "updates the events."
        ),
    )
    parser.add_argument("--out", metavar="FILE.ics", required=True, help="the file to write")
    DAYS.add_to(parser)
    OWNER.add_to(parser)
    parser.add_argument("--tasks", action="store_true", help="also task and milestone due dates")
    parser.add_argument(
        "--tz",
        metavar="ZONE",
        default="UTC",
        help="IANA time zone for timed touchpoints, e.g. Europe/Berlin (default UTC)",
    )
    TODAY.add_to(parser, help=argparse.SUPPRESS)


def _out(text: str) -> Path:
    path = Path(text).expanduser().absolute()
    if path.is_dir():
        raise UsageError(f"{path} is a folder; give a file name such as renewals.ics.")
    if not path.parent.is_dir():
        raise UsageError(f"The folder {path.parent} does not exist.")
    if not os.access(path.parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise UsageError(f"{path} cannot be written: permission denied.")
    return path


def _zone(text: str) -> str:
    if text == "UTC":
        return text
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        raise UsageError(f"{text} is not a known time zone (try Europe/Berlin or UTC).") from None
    return text


def run(args: argparse.Namespace) -> int:
    from app.services import dates_text

    out = _out(args.out)
    tz_name = _zone(args.tz)
    today = parse_date(args.today, "--today", date.today())

    from app.exports.ics import export_calendar
    from app.services.my_book import owners
    from app.services.renewals import checkpoint_offsets

    with workspace_session(args.db) as session:
        if args.owner is not None and args.owner not in owners(session):
            raise UsageError(f"No account in this workspace is owned by {args.owner}.")
        result = export_calendar(
            session,
            out,
            today=today,
            days=args.days,
            owner=args.owner,
            tz_name=tz_name,
            offsets=checkpoint_offsets(session),
            with_tasks=args.tasks,
        )
    print(
        f"Wrote {result.events} events ({dates_text.span(result.start, result.end)}) "
        f"to {result.path}."
    )
    return 0
