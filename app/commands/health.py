"""``fieldbook health``: rescore the book and raise due alerts, headless."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from app.commands import AS_OF, add_command, add_group, opened, parse_date, workspace_session


def register(subparsers: Any) -> None:
    actions = add_group(
        subparsers,
        "health",
        help="rescore health from the weekly snapshots, raise due alerts",
        description="Recompute health scores and evaluate alert rules.",
    )
    add_command(actions, "rescore", run_rescore, help="recompute every weekly health score")
    add_command(
        actions, "alerts", run_alerts, help="raise the alerts due on a date", options=(AS_OF,)
    )


def run_rescore(args: argparse.Namespace) -> int:
    from app.services.rescoring import rescore

    with opened(args.db) as store:
        count = rescore(store)
    print(f"{count} weekly scores stored.")
    return 0


def run_alerts(args: argparse.Namespace) -> int:
    as_of = parse_date(args.as_of, "--as-of", date.today())
    from app.services import dates_text
    from app.services.alerts import evaluate_alerts, list_alerts

    with workspace_session(args.db, write=True) as session:
        new = set(evaluate_alerts(session, as_of))
        shown = [a for a in list_alerts(session) if a.id in new]
    for alert in shown:
        print(f"{dates_text.day(alert.raised_on)}  {alert.account_name}: {alert.message}")
    print(f"{len(shown)} new alert{'s' if len(shown) != 1 else ''}.")
    return 0
