"""The team history says a changed field as the window names it: "changed ARR, owner of the
account", not the stored column ("arr", "arr_minor")."""

from __future__ import annotations

import json

import pytest

from app.models import Account
from app.models.conflicts import EditConflictError
from app.models.enums import Segment
from app.models.store import Store
from app.models.team import AuditEntry
from app.services.accounts import update_account
from app.services.team import describe


def _entry(action: str, table: str, fields: list[str] | None = None) -> AuditEntry:
    changes = None if fields is None else json.dumps(fields)
    return AuditEntry(action=action, table_name=table, changes=changes)


def test_history_lines_use_the_windows_words() -> None:
    assert describe(_entry("update", "account", ["owner", "arr_minor"])) == (
        "changed ARR, owner of the account"
    )
    assert describe(_entry("update", "contract", ["end_date", "notice_days"])) == (
        "changed end date, notice days of the contract"
    )
    assert describe(_entry("insert", "activity")) == "added an activity"
    assert describe(_entry("delete", "risk")) == "removed a risk"


def test_a_stale_save_says_the_field_and_value_as_the_overview_shows_them(store: Store) -> None:
    # It said "changed the segment of Acme to mid_market", "the arr minor ... to 12000000".
    with store.session() as session:
        acme = Account(name="Acme", segment=Segment.ENTERPRISE, arr_minor=0, currency="EUR")
        session.add(acme)
        session.flush()
        update_account(session, acme.id, {"segment": Segment.MID_MARKET, "arr_minor": 12_000_000})
        seen = {"segment": Segment.ENTERPRISE}
        with pytest.raises(EditConflictError) as segment:
            update_account(session, acme.id, {"segment": Segment.SMB}, seen)
        with pytest.raises(EditConflictError) as arr:
            update_account(session, acme.id, {"arr_minor": 5}, {"arr_minor": 0})
    # Who: "Someone else" on a file, the person on a team workspace (test_team_server).
    assert str(segment.value).endswith(
        " changed the segment of Acme to Mid-market meanwhile; your change was not saved."
    )
    assert " changed the ARR of Acme to €120,000.00 meanwhile" in str(arr.value)
