"""``fieldbook team``: set up a team workspace on PostgreSQL and add its people."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

from app.commands import UsageError, add_command, add_group, opened


def register(subparsers: Any) -> None:
    actions = add_group(
        subparsers,
        "team",
        help="set up a team workspace on PostgreSQL (schema, roles, policies) and its members",
        description=(
            "Team workspaces live on a PostgreSQL server. `team init` creates the schema, the "
            "roles fieldbook_csm and fieldbook_lead and the row-level security policies on an "
            "empty database (run it as the database's owner); `team add` gives a person a login."
        ),
    )
    add_command(
        actions, "init", run_init, db_required=True, help="create schema, roles and policies"
    )
    add = add_command(
        actions,
        "add",
        run_add,
        db_required=True,
        help="add a person: a login role in fieldbook_csm (or fieldbook_lead with --lead)",
        description=(
            "Create (or update) a person's login role and team membership. The password is "
            "asked for, or read from the first line of standard input when it is not a terminal."
        ),
    )
    add.add_argument("login", help="their database login, e.g. maya")
    add.add_argument("--name", required=True, help="their name as accounts' owner field has it")
    add.add_argument("--lead", action="store_true", help="a team lead (edits and reassigns all)")
    add.add_argument("--no-password", action="store_true", help="create the login without one")


def _server_target(db: str) -> str:
    from app.models.server import is_server_url

    if not is_server_url(db):
        raise UsageError("A team workspace is a PostgreSQL address (postgresql+psycopg://...).")
    return db


def _refused(exc: Exception, what: str) -> UsageError:
    from sqlalchemy.exc import DBAPIError

    if isinstance(exc, DBAPIError) and getattr(exc.orig, "sqlstate", None) == "42501":
        return UsageError(f"{what} needs the database's owner with the CREATEROLE right.")
    first = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
    return UsageError(f"{what} failed ({first}); nothing was changed.")


def run_init(args: argparse.Namespace) -> int:
    from sqlalchemy.exc import DBAPIError

    from app.models import policies

    try:
        with opened(_server_target(args.db)) as store, store.engine.begin() as connection:
            setup = policies.install(connection)
    except DBAPIError as exc:
        raise _refused(exc, "team init") from exc
    made = ", ".join(setup.roles_created) or "none new"
    print(
        f"Team workspace ready at {store.url}: schema current, roles {made}, "
        f"row-level security on {setup.tables_protected} tables."
    )
    print("Add people with `fieldbook team add --db ADDRESS LOGIN --name NAME [--lead]`.")
    return 0


def _password(no_password: bool) -> str | None:
    if no_password:
        return None
    if sys.stdin is None or not sys.stdin.isatty():
        line = sys.stdin.readline().rstrip("\n") if sys.stdin is not None else ""
        if not line:
            raise UsageError("No password on standard input; give one, or --no-password.")
        return line
    first = getpass.getpass("Password for the new login: ")
    if first != getpass.getpass("Again: "):
        raise UsageError("The two passwords differ; nothing was changed.")
    return first


def run_add(args: argparse.Namespace) -> int:
    from sqlalchemy.exc import DBAPIError

    from app.models import policies

    target = _server_target(args.db)
    if not args.login.replace("_", "").isalnum() or len(args.login) > 63:
        raise UsageError(f"{args.login} is not a usable login (letters, digits, _; 63 at most).")
    password = _password(args.no_password)
    try:
        with opened(target) as store, store.engine.begin() as connection:
            created = policies.add_member(
                connection, args.login, args.name, lead=args.lead, password=password
            )
    except DBAPIError as exc:
        raise _refused(exc, "team add") from exc
    role = "lead" if args.lead else "CSM"
    print(f"{'Added' if created else 'Updated'} {args.login} ({args.name}) as a {role}.")
    return 0
