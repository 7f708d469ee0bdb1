"""``fieldbook health``: rescore the book and raise due alerts, headless."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from app.commands import UsageError, add_db_argument


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "health",
        help="rescore health from the weekly snapshots, raise due alerts",
        description="Recompute health scores and evaluate alert rules.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    rescore = actions.add_parser("rescore", help="recompute every weekly health score")
    add_db_argument(rescore)
    rescore.set_defaults(run=run_rescore)
    alerts = actions.add_parser("alerts", help="raise the alerts due on a date")
    add_db_argument(alerts)
    alerts.add_argument("--as-of", metavar="YYYY-MM-DD", help="default: today")
    alerts.set_defaults(run=run_alerts)


def run_rescore(args: argparse.Namespace) -> int:
    from app.models.store import open_workspace
    from app.services.scoring import rescore

    store = open_workspace(args.db)
    try:
        count = rescore(store)
    finally:
        store.close()
    print(f"{count} weekly scores stored.")
    return 0


def run_alerts(args: argparse.Namespace) -> int:
    try:
        as_of = date.fromisoformat(args.as_of) if args.as_of else date.today()
    except ValueError as exc:
        raise UsageError(f"{args.as_of} is not a date like 2026-03-31.") from exc
    from app.models.store import open_workspace
    from app.services.alerts import evaluate_alerts, list_alerts

    store = open_workspace(args.db)
    try:
        with store.session() as session:
            new = set(evaluate_alerts(session, as_of))
            shown = [a for a in list_alerts(session) if a.id in new]
    finally:
        store.close()
    for alert in shown:
        print(f"{alert.raised_on}  {alert.account_name}: {alert.message}")
    print(f"{len(shown)} new alert{'s' if len(shown) != 1 else ''}.")
    return 0
