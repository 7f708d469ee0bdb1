"""The PostgreSQL server the team-workspace benchmarks run against, in the same run as SQLite.

``FIELDBOOK_TEST_PG`` (an admin URL) when set, else a throwaway local server started on first
use (tests/pg/server.py: Debian's server binaries) and stopped when the run ends.
"""

from __future__ import annotations

import atexit
import os

from tests.pg import databases
from tests.pg.server import ENV, LocalServer

_server: LocalServer | None = None


def new_database() -> str:
    """A fresh, empty database on the benchmark server; returns its URL."""
    global _server
    if not os.environ.get(ENV):
        _server = LocalServer.start()
        os.environ[ENV] = _server.url
        atexit.register(_server.stop)
    return databases.new_database(migrated=False)
