"""A team workspace's connections: a pooled connection the server dropped while it sat idle is
replaced before use (only an idle one is pinged), and a read session keeps nothing it writes,
savepoints included (the map tries a reporting line in one before saying whether it may)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text, update

from app.models import Account, server
from app.models.opening import open_workspace
from tests.pg.team import admin_sql

pytestmark = pytest.mark.postgres_only


def test_a_connection_dropped_while_idle_is_replaced_before_use(
    workspace_target: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = open_workspace(workspace_target)
    try:
        with store.read() as session:
            first = session.execute(text("SELECT pg_backend_pid()")).scalar_one()
        admin_sql(workspace_target, f"SELECT pg_terminate_backend({first})")
        monkeypatch.setattr(server, "PING_AFTER_IDLE_S", 0.0)  # it has been idle long enough
        with store.read() as session:
            second = session.execute(text("SELECT pg_backend_pid()")).scalar_one()
        assert second != first
    finally:
        store.close()


def test_a_read_session_keeps_no_write(workspace_target: str) -> None:
    store = open_workspace(workspace_target)
    try:
        with store.read() as session:
            session.execute(text("SELECT 1"))
            with session.begin_nested() as savepoint:
                session.add(Account(name="Tried"))
                session.flush()
                savepoint.rollback()
            session.add(Account(name="Acme"))
            session.flush()
            session.execute(update(Account).values(name="Renamed"))
            assert session.scalar(select(Account.name)) == "Renamed"  # seen inside...
        with store.read() as session:
            assert session.scalar(select(func.count()).select_from(Account)) == 0  # ...not kept
    finally:
        store.close()
