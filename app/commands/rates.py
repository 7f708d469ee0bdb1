"""``fieldbook rates``: the reporting currency and the exchange rates totals convert with."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from app.commands import UsageError, add_db_argument


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "rates",
        help="list, set or remove exchange rates to the reporting currency",
        description=(
            "Exchange rates you keep (never fetched): 1 CURRENCY = RATE reporting currency, "
            "with the date you read it. Totals across currencies convert with them."
        ),
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="the reporting currency and every rate to it")
    add_db_argument(listing)
    listing.set_defaults(run=run_list)
    setting = actions.add_parser("set", help="record a rate: 1 CURRENCY = RATE reporting currency")
    add_db_argument(setting)
    setting.add_argument("currency", metavar="CURRENCY", help="ISO code, e.g. EUR")
    setting.add_argument("rate", metavar="RATE", help="e.g. 1.08")
    setting.add_argument("--date", metavar="YYYY-MM-DD", help="when you read it (default: today)")
    setting.set_defaults(run=run_set)
    removing = actions.add_parser("remove", help="forget the rate of a currency")
    add_db_argument(removing)
    removing.add_argument("currency", metavar="CURRENCY")
    removing.set_defaults(run=run_remove)
    reporting = actions.add_parser(
        "reporting", help="show or change the reporting currency totals are in"
    )
    add_db_argument(reporting)
    reporting.add_argument("currency", metavar="CURRENCY", nargs="?")
    reporting.set_defaults(run=run_reporting)


def run_list(args: argparse.Namespace) -> int:
    from app.models.store import open_workspace
    from app.services.exchange import list_rates, reporting_currency

    store = open_workspace(args.db)
    try:
        with store.read() as session:
            quote = reporting_currency(session)
            rates = list_rates(session, quote)
    finally:
        store.close()
    print(f"Reporting currency: {quote}")
    if not rates:
        print("No exchange rates yet: totals leave out amounts in other currencies.")
    for rate in rates:
        print(f"  1 {rate.currency} = {rate.rate} {quote}  (as of {rate.as_of.isoformat()})")
    return 0


def run_set(args: argparse.Namespace) -> int:
    from app.models.store import open_workspace
    from app.services.exchange import RateError, set_rate

    today = date.today()
    try:
        as_of = date.fromisoformat(args.date) if args.date else today
    except ValueError as exc:
        raise UsageError(f"{args.date} is not a date like 2026-11-30.") from exc
    store = open_workspace(args.db)
    try:
        with store.session() as session:
            rate = set_rate(session, args.currency, args.rate, as_of, today=today)
    except RateError as exc:
        raise UsageError(str(exc)) from exc
    finally:
        store.close()
    print(f"1 {rate.currency} = {rate.rate} {rate.quote} (as of {rate.as_of.isoformat()}).")
    return 0


def run_remove(args: argparse.Namespace) -> int:
    from app.models.store import open_workspace
    from app.services.exchange import RateError, remove_rate

    store = open_workspace(args.db)
    try:
        with store.session() as session:
            remove_rate(session, args.currency)
    except RateError as exc:
        raise UsageError(str(exc)) from exc
    finally:
        store.close()
    print(f"Removed the rate of {args.currency.strip().upper()}.")
    return 0


def run_reporting(args: argparse.Namespace) -> int:
    from app.models.store import open_workspace
    from app.services.exchange import RateError, reporting_currency, set_reporting_currency

    store = open_workspace(args.db)
    try:
        if args.currency is None:
            with store.read() as session:
                print(reporting_currency(session))
            return 0
        with store.session() as session:
            code = set_reporting_currency(session, args.currency)
    except RateError as exc:
        raise UsageError(str(exc)) from exc
    finally:
        store.close()
    print(f"Totals are reported in {code}.")
    return 0
