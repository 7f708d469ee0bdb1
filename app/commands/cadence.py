"""``fieldbook cadence``: the governance reviews due or overdue per account, headless."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from app.commands import AS_OF, OWNER, Number, add_command, parse_date, workspace_session

#: How far ahead reviews count as due: none (only overdue ones) to ten years.
AHEAD = Number("--ahead", 0, 3660, "look ahead", default=30, unit="days", metavar="DAYS")


def register(subparsers: Any) -> None:
    parser = add_command(
        subparsers,
        "cadence",
        run,
        help="reviews (OBR, QBR, EBR) due or overdue by the segment cadence",
        description=(
            "List each account's governance reviews that are due within --ahead days or "
            "overdue, from the last touchpoint of each kind and its segment's cadence."
        ),
        options=(OWNER, AS_OF, AHEAD),
    )
    parser.add_argument("--overdue", action="store_true", help="only reviews already overdue")


def run(args: argparse.Namespace) -> int:
    from app.services import dates_text

    today = parse_date(args.as_of, "--as-of", date.today())
    from app.services.cadence import cadence_gaps, is_gap_overdue
    from app.services.my_book import UnknownOwnerError, check_owner

    with workspace_session(args.db, write=True, refuse=(UnknownOwnerError,)) as session:
        if args.owner is not None:
            check_owner(session, args.owner)
        gaps = cadence_gaps(
            session, today, owner=args.owner, ahead_days=0 if args.overdue else args.ahead
        )
    if args.overdue:
        gaps = [g for g in gaps if is_gap_overdue(g)]
    for gap in gaps:
        last = f"last {dates_text.day(gap.last_on)}" if gap.last_on else "never held"
        print(f"{gap.account_name}: {gap.text} ({gap.label.lower()}; {last})")
    plural = len(gaps) != 1
    if args.overdue:
        print(f"{len(gaps)} overdue review{'s' if plural else ''}.")
    else:
        print(f"{len(gaps)} review{'s' if plural else ''} due.")
    return 0
