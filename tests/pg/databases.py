"""Fresh PostgreSQL databases for tests: one per test, cloned from a migrated template."""

from __future__ import annotations

import itertools
import os
import threading

from sqlalchemy import create_engine
from sqlalchemy.engine import URL, make_url

from tests.pg.server import ENV

#: Per process, so two test runs on one server never drop each other's template.
TEMPLATE = f"fieldbook_template_{os.getpid()}"
_counter = itertools.count(1)
_lock = threading.Lock()
_template_ready = False


def admin_url() -> URL | None:
    """The throwaway server's admin URL when the suite runs on PostgreSQL, else None."""
    value = os.environ.get(ENV)
    return make_url(value) if value else None


def _admin_execute(admin: URL, *statements: str) -> None:
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            for statement in statements:
                connection.exec_driver_sql(statement)
    finally:
        engine.dispose()


def _ensure_template(admin: URL) -> None:
    """Migrate an empty database to head once; every test database is a copy of it."""
    global _template_ready
    with _lock:
        if _template_ready:
            return
        from app.models.opening import open_workspace

        _admin_execute(admin, f"DROP DATABASE IF EXISTS {TEMPLATE}", f"CREATE DATABASE {TEMPLATE}")
        open_workspace(admin.set(database=TEMPLATE).render_as_string(False)).close()
        _template_ready = True


def new_database(*, migrated: bool = True) -> str:
    """A new database on the test server (migrated to head, or empty); returns its URL."""
    admin = admin_url()
    assert admin is not None, f"{ENV} is not set"
    name = f"fb_{os.getpid()}_{next(_counter)}"
    if migrated:
        _ensure_template(admin)
        _admin_execute(admin, f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
    else:
        _admin_execute(admin, f"CREATE DATABASE {name}")
    return admin.set(database=name).render_as_string(False)


def drop_database(url: str) -> None:
    admin = admin_url()
    assert admin is not None
    name = make_url(url).database
    _admin_execute(admin, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
