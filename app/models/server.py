"""Team workspaces on a PostgreSQL server: addresses, saved passwords, connection problems.

A team workspace is a SQLAlchemy URL (``postgresql+psycopg://user@host/db``). The password is
never in settings or on the command line when it need not be: a URL without one is completed
from the OS keyring (``keyring``), where File > Connect to team workspace saves it.
Every connection problem becomes one sentence naming the input that is wrong
(:func:`connection_problem`, :class:`ServerRefusedError`).
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, DisconnectionError, OperationalError

from app.models.errors import WorkspaceError

KEYRING_SERVICE = "fieldbook"
CONNECT_TIMEOUT_S = 5
#: Lets a notification trigger say which open store made a commit (see app.models.notify).
CLIENT_SETTING = "fieldbook.client"
#: A pooled connection idle longer than this is pinged before use (see _ping_when_idle).
PING_AFTER_IDLE_S = 5.0
#: Where a pooled connection remembers when it was last handed back.
_RETURNED = "fieldbook_returned_at"


#: The part of a team workspace's address a connection problem is about.
AddressPart = Literal["host", "database", "user", "password"]


class ServerRefusedError(WorkspaceError):
    """The server could not be reached or refused us; ``part`` names the input to correct
    (the host and its port, the database, the user, the password), None when it is none."""

    def __init__(self, sentence: str, part: AddressPart | None = None) -> None:
        super().__init__(sentence)
        self.part: AddressPart | None = part


def is_server_url(target: str) -> bool:
    """True for a database server address (not a file, not an ``sqlite://`` URL)."""
    if "://" not in target:
        return False
    try:
        return make_url(target).get_backend_name() != "sqlite"
    except (ArgumentError, ValueError):
        return True


def parse_server_url(target: str) -> URL:
    """The URL of a team workspace, with psycopg 3 as its driver; one sentence when bad."""
    try:
        url = make_url(target)
    except (ArgumentError, ValueError) as exc:
        raise WorkspaceError(f"{target} is not a valid database address.") from exc
    if url.get_backend_name() != "postgresql":
        raise WorkspaceError(
            f"{url.get_backend_name()} servers are not supported; "
            "a team workspace is on PostgreSQL (postgresql+psycopg://user@host/database)."
        )
    if url.drivername in ("postgresql", "postgres", "postgresql+psycopg2"):
        url = url.set(drivername="postgresql+psycopg")
    if not url.database:
        raise WorkspaceError(f"{shown(url)} names no database; add /DATABASE to the address.")
    return url


def shown(url: URL) -> str:
    """The address as the user may see it (never the password)."""
    return url.render_as_string(hide_password=True)


def keyring_account(url: URL) -> str:
    """The keyring entry a saved password lives under: ``user@host:port/database``."""
    return f"{url.username or ''}@{url.host or 'localhost'}:{url.port or 5432}/{url.database}"


def saved_password(url: URL) -> str | None:
    """The password saved for ``url`` in the OS keyring, if any (and if a keyring works)."""
    try:
        import keyring
        from keyring.errors import KeyringError

        try:
            return keyring.get_password(KEYRING_SERVICE, keyring_account(url))
        except KeyringError:
            return None
    except Exception:  # no usable keyring backend on this machine
        return None


def save_password(url: URL, password: str) -> None:
    """Keep ``password`` for ``url`` in the OS keyring; WorkspaceError when there is none."""
    import keyring
    from keyring.errors import KeyringError

    try:
        keyring.set_password(KEYRING_SERVICE, keyring_account(url), password)
    except KeyringError as exc:
        raise WorkspaceError(f"The system keyring did not take the password: {exc}") from exc


def with_password(url: URL) -> URL:
    if url.password is None:
        password = saved_password(url)
        if password is not None:
            return url.set(password=password)
    return url


def engine_options(client: str | None = None) -> dict[str, Any]:
    """create_engine keywords for a team workspace: short connect timeout, a client tag."""
    client = client or uuid.uuid4().hex
    return {
        "connect_args": {
            "connect_timeout": CONNECT_TIMEOUT_S,
            "application_name": "fieldbook",
            "options": f"-c {CLIENT_SETTING}={client}",
        },
    }


def connection_problem(exc: BaseException, url: URL) -> ServerRefusedError:
    """Why connecting to ``url`` failed: one sentence, and the part of the address to fix."""
    text = str(getattr(exc, "orig", None) or exc)
    low = text.lower()
    where = f"{url.host or 'localhost'}:{url.port or 5432}"
    user = url.username or "(no user)"
    if "password authentication failed" in low or "no password supplied" in low:
        return ServerRefusedError(
            f"The server at {where} refused the password for {user}; "
            "check it (File > Connect to team workspace saves it).",
            "password",
        )
    if "does not exist" in low and "database" in low:
        return ServerRefusedError(
            f"There is no database {url.database} on the server at {where}.", "database"
        )
    if "does not exist" in low and "role" in low:
        return ServerRefusedError(
            f"The server at {where} has no user {user}; ask your team lead to add you.", "user"
        )
    if "server does not support ssl" in low:
        return ServerRefusedError(
            f"The server at {where} does not offer TLS; remove sslmode from the address."
        )
    if "no encryption" in low or ("ssl" in low and ("required" in low or "ssl off" in low)):
        return ServerRefusedError(
            f"The server at {where} requires an encrypted (TLS) connection; "
            "add ?sslmode=require to the address."
        )
    if "timeout" in low:
        return ServerRefusedError(
            f"The server at {where} did not answer within {CONNECT_TIMEOUT_S} seconds.", "host"
        )
    if "refused" in low or "could not connect" in low or "no such file" in low:
        return ServerRefusedError(
            f"The server at {where} is not answering; is it running, and is the address right?",
            "host",
        )
    if "could not translate host name" in low or "name or service not known" in low:
        return ServerRefusedError(
            f"The server name {url.host} is unknown; check the address.", "host"
        )
    if "pg_hba.conf" in low:
        return ServerRefusedError(
            f"The server at {where} does not let {user} connect from here.", "user"
        )
    first = text.strip().splitlines()[0] if text.strip() else type(exc).__name__
    return ServerRefusedError(f"Could not connect to the server at {where}: {first.rstrip('.')}.")


def probe(engine: Engine, url: URL) -> None:
    """Connect once; WorkspaceError with one sentence when the server cannot be reached."""
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql("SELECT 1")
    except (OperationalError, DBAPIError) as exc:
        raise connection_problem(exc, url) from exc


def make_server_engine(url: URL, *, client: str | None = None) -> Engine:
    engine = create_engine(with_password(url), **engine_options(client))
    _ping_when_idle(engine)
    return engine


def _ping_when_idle(engine: Engine) -> None:
    """Ping a pooled connection before use only when it sat idle for a while.

    A connection handed back moments ago is alive; one idle longer may have been dropped (the
    server restarted, a firewall forgot it) and is pinged first, replaced when the ping fails.
    Pinging every checkout (``pool_pre_ping``) cost a round trip per session, and one account
    screen opens several sessions in a row.
    """

    @event.listens_for(engine, "checkin")
    def _returned(_dbapi_connection: Any, record: Any) -> None:
        record.info[_RETURNED] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _taken(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        returned = record.info.get(_RETURNED)
        if returned is None or time.monotonic() - returned < PING_AFTER_IDLE_S:
            return  # just connected, or used a moment ago
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as exc:  # the pool replaces the connection and tries again
            raise DisconnectionError(str(exc)) from exc


@dataclass(frozen=True)
class ServerCheck:
    """What ``fieldbook check`` tells about a team workspace."""

    address: str
    server_version: str
    user: str
    revision: str | None
    counts: dict[str, int]


def check_server(target: str) -> ServerCheck:
    """Connect read-only and report the schema revision and the row count of every table."""
    url = parse_server_url(target)
    engine = make_server_engine(url)
    try:
        probe(engine, url)
        with engine.connect() as connection:
            version = str(connection.exec_driver_sql("SHOW server_version").scalar())
            user = str(connection.exec_driver_sql("SELECT current_user").scalar())
            tables = sorted(inspect(connection).get_table_names())
            revision = None
            if "alembic_version" in tables:
                revision = connection.exec_driver_sql(
                    "SELECT version_num FROM alembic_version"
                ).scalar()
            counts = {
                table: int(
                    connection.exec_driver_sql(f'SELECT count(*) FROM "{table}"').scalar_one()
                )
                for table in tables
                if table != "alembic_version"
            }
    finally:
        engine.dispose()
    return ServerCheck(shown(url), version, user, revision, counts)
