"""A team workspace's connections: a pooled connection the server dropped while it sat idle is
replaced before use (only an idle one is pinged), and a read session writes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from app.models import Account, server
from app.models.store import open_workspace
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


def test_a_read_session_refuses_to_write_and_nothing_is_kept(workspace_target: str) -> None:
    store = open_workspace(workspace_target)
    try:
        refused = pytest.raises(RuntimeError, match="read session does not write")
        with refused, store.read() as session:
            session.add(Account(name="Acme"))
            session.flush()
        with store.read() as session:
            assert session.scalar(select(func.count()).select_from(Account)) == 0
    finally:
        store.close()
