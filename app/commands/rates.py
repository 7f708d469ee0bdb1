"""``fieldbook rates``: the reporting currency and the exchange rates totals convert with."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from app.commands import add_command, add_group, opened, parse_date, workspace_session


def register(subparsers: Any) -> None:
    actions = add_group(
        subparsers,
        "rates",
        help="list, set or remove exchange rates to the reporting currency",
        description=(
            "Exchange rates you keep (never fetched): 1 CURRENCY = RATE reporting currency, "
            "with the date you read it. Totals across currencies convert with them."
        ),
    )
    add_command(actions, "list", run_list, help="the reporting currency and every rate to it")
    setting = add_command(
        actions, "set", run_set, help="record a rate: 1 CURRENCY = RATE reporting currency"
    )
    setting.add_argument("currency", metavar="CURRENCY", help="ISO code, e.g. EUR")
    setting.add_argument("rate", metavar="RATE", help="e.g. 1.08")
    setting.add_argument("--date", metavar="YYYY-MM-DD", help="when you read it (default: today)")
    removing = add_command(actions, "remove", run_remove, help="forget the rate of a currency")
    removing.add_argument("currency", metavar="CURRENCY")
    reporting = add_command(
        actions,
        "reporting",
        run_reporting,
        help="show or change the reporting currency totals are in",
    )
    reporting.add_argument("currency", metavar="CURRENCY", nargs="?")


def run_list(args: argparse.Namespace) -> int:
    from app.services import dates_text
    from app.services.exchange import list_rates, reporting_currency

    with workspace_session(args.db) as session:
        quote = reporting_currency(session)
        rates = list_rates(session, quote)
    print(f"Reporting currency: {quote}")
    if not rates:
        print("No exchange rates yet: totals leave out amounts in other currencies.")
    for rate in rates:
        print(f"  1 {rate.currency} = {rate.rate} {quote}  (as of {dates_text.day(rate.as_of)})")
    return 0


def run_set(args: argparse.Namespace) -> int:
    from app.services import dates_text
    from app.services.exchange import RateError, set_rate

    today = date.today()
    as_of = parse_date(args.date, "--date", today)
    with workspace_session(args.db, write=True, refuse=(RateError,)) as session:
        rate = set_rate(session, args.currency, args.rate, as_of, today=today)
    print(f"1 {rate.currency} = {rate.rate} {rate.quote} (as of {dates_text.day(rate.as_of)}).")
    return 0


def run_remove(args: argparse.Namespace) -> int:
    from app.services.exchange import RateError, remove_rate

    with workspace_session(args.db, write=True, refuse=(RateError,)) as session:
        remove_rate(session, args.currency)
    print(f"Removed the rate of {args.currency.strip().upper()}.")
    return 0


def run_reporting(args: argparse.Namespace) -> int:
    from app.services.exchange import RateError, reporting_currency, set_reporting_currency

    with opened(args.db, refuse=(RateError,)) as store:
        if args.currency is None:
            with store.read() as session:
                print(reporting_currency(session))
            return 0
        with store.session() as session:
            code = set_reporting_currency(session, args.currency)
    print(f"Totals are reported in {code}.")
    return 0
