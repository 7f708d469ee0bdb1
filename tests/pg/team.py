"""Plain-SQL helpers for team workspace tests: admin statements, logins, bare connections."""

from __future__ import annotations

from typing import Any

import psycopg
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url


def admin_sql(url: str, *statements: str) -> None:
    """Run ``statements`` on ``url`` one by one, each committed (as the URL's user)."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        for statement in statements:
            connection.exec_driver_sql(statement)
    engine.dispose()


def as_login(url: str, login: str, password: str) -> str:
    """``url`` signed in as ``login``."""
    return make_url(url).set(username=login, password=password).render_as_string(False)


def plain(url: str, login: str, password: str) -> psycopg.Connection[Any]:
    """A plain psycopg connection (no Fieldbook code) as ``login``."""
    u = make_url(url)
    return psycopg.connect(
        host=u.host, port=u.port, dbname=u.database, user=login, password=password
    )
