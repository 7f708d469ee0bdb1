"""``fieldbook playbooks list|plays|start``: the plays, headless."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from app.commands import UsageError, add_db_argument


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "playbooks",
        help="list playbooks and running plays, start a play on an account",
        description="Playbooks: repeatable plays (onboarding, renewal, ...) run on accounts.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="the playbooks, their triggers and steps")
    add_db_argument(listing)
    listing.set_defaults(run=run_list)
    running = actions.add_parser("plays", help="running and paused plays with their progress")
    add_db_argument(running)
    running.add_argument("--account", metavar="NAME", help="one account only")
    running.add_argument("--owner", metavar="NAME", help="accounts this person owns")
    running.set_defaults(run=run_plays)
    start = actions.add_parser("start", help="start a playbook on an account by hand")
    add_db_argument(start)
    start.add_argument("--account", metavar="NAME", required=True)
    start.add_argument("--playbook", metavar="NAME", required=True)
    start.add_argument("--on", metavar="YYYY-MM-DD", help="start date (default: today)")
    start.set_defaults(run=run_start)
    sweep = actions.add_parser(
        "sweep", help="start the plays due by date (renewals 120 days out), once each"
    )
    add_db_argument(sweep)
    sweep.add_argument("--as-of", metavar="YYYY-MM-DD", help="default: today")
    sweep.set_defaults(run=run_sweep)


def parse_day(text: str | None, option: str) -> date:
    """``text`` as a date (today when None); bad input is a usage error."""
    if text is None:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise UsageError(f"{option} {text} is not a date like 2026-03-31.") from exc


def run_list(args: argparse.Namespace) -> int:
    from app.models.store import open_workspace
    from app.services.playbooks import TRIGGERS, list_playbooks

    store = open_workspace(args.db)
    try:
        with store.session() as session:
            specs = list_playbooks(session)
    finally:
        store.close()
    for spec in specs:
        state = "" if spec.enabled else " (off)"
        trigger = TRIGGERS.get(spec.trigger, spec.trigger)
        print(f"{spec.name}{state}: {len(spec.steps)} steps; {trigger.lower()}")
    return 0


def run_plays(args: argparse.Namespace) -> int:
    from app.commands.health_lookup import find_account
    from app.models.store import open_workspace
    from app.services.my_book import UnknownOwnerError, check_owner
    from app.services.plays import list_plays

    store = open_workspace(args.db)
    try:
        with store.read() as session:
            if args.owner is not None:
                check_owner(session, args.owner)
            account_id = None
            if args.account is not None:
                account_id = find_account(session, args.account).id
            shown = list_plays(session, account_id, live_only=True, owner=args.owner)
    except UnknownOwnerError as exc:
        raise UsageError(str(exc)) from exc
    finally:
        store.close()
    for play in shown:
        due = f"; next step due {play.next_due}" if play.next_due else ""
        print(f"{play.account_name}: {play.name} ({play.status.value}), {play.progress}{due}")
    print(f"{len(shown)} running play{'s' if len(shown) != 1 else ''}.")
    return 0


def run_start(args: argparse.Namespace) -> int:
    on = parse_day(args.on, "--on")
    from app.models.store import open_workspace
    from app.services.playbooks import PlaybookError
    from app.services.plays import start_by_name

    store = open_workspace(args.db)
    try:
        with store.session() as session:
            _, play = start_by_name(session, args.account, args.playbook, on)
    except PlaybookError as exc:
        raise UsageError(str(exc)) from exc
    finally:
        store.close()
    print(f"Started {play.name!r} on {play.account_name}: {play.total} steps.")
    for step in play.steps:
        print(f"  {step.due_on}  {step.title} ({step.owner or 'unassigned'})")
    return 0


def run_sweep(args: argparse.Namespace) -> int:
    on = parse_day(args.as_of, "--as-of")
    from app.models.store import open_workspace
    from app.services.play_triggers import renewal_checkpoints
    from app.services.plays import play_view

    store = open_workspace(args.db)
    try:
        with store.session() as session:
            started = [play_view(session, i) for i in renewal_checkpoints(session, on)]
    finally:
        store.close()
    for play in started:
        print(f"{play.account_name}: started {play.name!r} ({play.reason}).")
    print(f"{len(started)} play{'s' if len(started) != 1 else ''} started.")
    return 0
