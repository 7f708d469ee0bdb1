"""The one place engines and session factories are made: SQLite's pragmas on every connection,
read-only engines on a file, a team server's engine."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.models.storage import read_only_uri

# SQLAlchemy loads when a store first makes its engine, not with this module (start-up).
if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.engine import URL
    from sqlalchemy.orm import Session, sessionmaker

BUSY_TIMEOUT_MS = 5000


def sqlite_url(path: Path) -> URL:
    """The SQLAlchemy URL of a workspace file (built, not parsed: names may hold ``?`` or ``#``)."""
    from sqlalchemy.engine import URL

    return URL.create("sqlite", database=str(path))


def _configure_sqlite(engine: Engine, *, read_only: bool = False) -> None:
    """Pragmas on every connection, and real BEGINs so transactions mean what they say."""
    from sqlalchemy import event

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if read_only:
            cursor.execute("PRAGMA query_only = ON")
        else:
            cursor.execute("PRAGMA journal_mode = WAL")
            # FULL: a commit survives power loss, not only an application crash.
            cursor.execute("PRAGMA synchronous = FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN")


def make_engine(url: str | URL, *, read_only: bool = False) -> Engine:
    """An engine on ``url``: a team server's, or SQLite's with our pragmas."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    if make_url(url).get_backend_name() == "postgresql":
        from app.models.server import make_server_engine

        return make_server_engine(make_url(url))
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine, read_only=read_only)
    return engine


def read_only_engine(path: Path) -> Engine:
    """An engine that only reads the workspace file ``path`` (SQLite's read-only URI)."""
    from sqlalchemy import create_engine

    uri = read_only_uri(path)

    def connect() -> sqlite3.Connection:
        return sqlite3.connect(uri, uri=True, check_same_thread=False)

    engine = create_engine("sqlite://", creator=connect)
    _configure_sqlite(engine, read_only=True)
    return engine


def sessions_of(engine: Engine) -> sessionmaker[Session]:
    """The session factory on ``engine``, every mapped class loaded first."""
    from sqlalchemy.orm import sessionmaker

    from app.models import load_orm

    load_orm()  # every mapped class, and the listeners layers above keep on sessions
    return sessionmaker(engine, expire_on_commit=False)
