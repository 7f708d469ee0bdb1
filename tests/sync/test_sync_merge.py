"""Laptop replicas of a team workspace merge per field, and lose nothing (PostgreSQL)."""

from __future__ import annotations

import pytest

from app.models import Account, Stakeholder
from app.services import sync
from tests.sync.team import Team, edit, field_of, rows, run_sync, team

pytestmark = pytest.mark.postgres_only
__all__ = ["team"]


def test_a_replica_holds_the_book_and_an_edit_travels_both_ways(team: Team) -> None:
    server = team.server()
    laptop = team.laptop("a")
    assert rows(laptop) == rows(server)
    edit(laptop, Account, team.ids["acme"], notes="from the plane")
    result = run_sync(laptop)
    assert (result.pushed, result.conflicts) == (result.pushed, [])
    assert result.pushed >= 1
    assert field_of(server, "account", team.ids["acme"], "notes") == "from the plane"
    edit(server, Account, team.ids["acme"], tier=3)
    run_sync(laptop)
    assert field_of(laptop, "account", team.ids["acme"], "tier") == 3
    assert rows(laptop) == rows(server)
    assert sync.state(laptop) is not None and sync.state(laptop).line() == "Replica: synced"
