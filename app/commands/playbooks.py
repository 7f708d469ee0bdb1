"""``fieldbook playbooks list|plays|start|sweep``: the plays, headless."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from app.commands import (
    ACCOUNT,
    AS_OF,
    OWNER,
    add_command,
    add_group,
    parse_date,
    workspace_session,
)


def register(subparsers: Any) -> None:
    actions = add_group(
        subparsers,
        "playbooks",
        help="list playbooks and running plays, start a play on an account",
        description="Playbooks: repeatable plays (onboarding, renewal, ...) run on accounts.",
    )
    add_command(actions, "list", run_list, help="the playbooks, their triggers and steps")
    add_command(
        actions,
        "plays",
        run_plays,
        help="running and paused plays with their progress",
        options=(ACCOUNT, OWNER),
    )
    start = add_command(actions, "start", run_start, help="start a playbook on an account by hand")
    # By name only: plays.start_by_name does not take an id.
    ACCOUNT.add_to(start, required=True, help="the account's name")
    start.add_argument("--playbook", metavar="NAME", required=True)
    start.add_argument("--on", metavar="YYYY-MM-DD", help="start date (default: today)")
    add_command(
        actions,
        "sweep",
        run_sweep,
        help="start the plays due by date (renewals 120 days out), once each",
        options=(AS_OF,),
    )


def run_list(args: argparse.Namespace) -> int:
    from app.services.playbooks import TRIGGERS, list_playbooks

    with workspace_session(args.db, write=True) as session:
        specs = list_playbooks(session)
    for spec in specs:
        state = "" if spec.enabled else " (off)"
        trigger = TRIGGERS.get(spec.trigger, spec.trigger)
        print(f"{spec.name}{state}: {len(spec.steps)} steps; {trigger.lower()}")
    return 0


def run_plays(args: argparse.Namespace) -> int:
    from app.commands.health_lookup import find_account
    from app.services import dates_text
    from app.services.labels import in_sentence, label_of
    from app.services.my_book import UnknownOwnerError, check_owner
    from app.services.plays import list_plays

    with workspace_session(args.db, refuse=(UnknownOwnerError,)) as session:
        if args.owner is not None:
            check_owner(session, args.owner)
        account_id = None
        if args.account is not None:
            account_id = find_account(session, args.account).id
        shown = list_plays(session, account_id, live_only=True, owner=args.owner)
    for play in shown:
        due = f"; next step due {dates_text.day(play.next_due)}" if play.next_due else ""
        status = in_sentence(label_of(play.status))
        print(f"{play.account_name}: {play.name} ({status}), {play.progress}{due}")
    print(f"{len(shown)} running play{'s' if len(shown) != 1 else ''}.")
    return 0


def run_start(args: argparse.Namespace) -> int:
    from app.services import dates_text

    on = parse_date(args.on, "--on", date.today())
    from app.services.labels import quoted
    from app.services.playbooks import PlaybookError
    from app.services.plays import start_by_name

    with workspace_session(args.db, write=True, refuse=(PlaybookError,)) as session:
        _, play = start_by_name(session, args.account, args.playbook, on)
    print(f"Started {quoted(play.name)} on {play.account_name}: {play.total} steps.")
    days = [dates_text.weekday_day(step.due_on) for step in play.steps]
    width = max((len(day) for day in days), default=0)
    for step, day in zip(play.steps, days, strict=True):
        print(f"  {day:<{width}}  {step.title} ({step.owner or 'unassigned'})")
    return 0


def run_sweep(args: argparse.Namespace) -> int:
    on = parse_date(args.as_of, "--as-of", date.today())
    from app.services.labels import quoted
    from app.services.play_triggers import renewal_checkpoints
    from app.services.plays import play_view

    with workspace_session(args.db, write=True) as session:
        started = [play_view(session, i) for i in renewal_checkpoints(session, on)]
    for play in started:
        print(f"{play.account_name}: started {quoted(play.name)} ({play.reason}).")
    print(f"{len(started)} play{'s' if len(started) != 1 else ''} started.")
    return 0
