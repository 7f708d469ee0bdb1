"""The team history says a changed field as the window names it: "changed ARR, owner (CSM) of
the account", not the stored column ("arr", "arr_minor") or another name for it ("owner")."""

from __future__ import annotations

import json

import pytest

from app.models import Account
from app.models.conflicts import EditConflictError
from app.models.enums import Segment
from app.models.store import Store
from app.models.team import AuditEntry
from app.services.accounts import update_account
from app.services.sync import Conflict
from app.services.team import describe


def _entry(action: str, table: str, fields: list[str] | None = None) -> AuditEntry:
    changes = None if fields is None else json.dumps(fields)
    return AuditEntry(action=action, table_name=table, changes=changes)


def test_history_lines_use_the_windows_words() -> None:
    assert describe(_entry("update", "account", ["owner", "arr_minor"])) == (
        "changed ARR, owner (CSM) of the account"
    )
    assert describe(_entry("update", "contract", ["end_date", "notice_days"])) == (
        "changed end date, notice days of the contract"
    )
    # An activity record is a touchpoint, as the calendar and the account's tab say.
    assert describe(_entry("insert", "activity")) == "added a touchpoint"
    assert describe(_entry("delete", "risk")) == "removed a risk"


def test_history_names_an_accounts_field_as_its_overview_does() -> None:
    # History said "changed annual revenue, owner of the account" (labels.column_label),
    # while the Overview, the import wizard and a stale save say "Company revenue (annual)"
    # and "Owner (CSM)" (labels.account_field_label): two names for one field.
    assert describe(_entry("update", "account", ["annual_revenue_minor", "owner"])) == (
        "changed company revenue (annual), owner (CSM) of the account"
    )
    # Another record's owner is the person doing it (its form says Owner), not the CSM.
    # Its date reads as what it is ("due date"), not as its column ("due on").
    assert describe(_entry("update", "task", ["owner", "due_on"])) == (
        "changed due date, owner of the task"
    )


def test_a_sync_conflict_names_an_accounts_field_as_its_overview_does() -> None:
    def conflict(table: str, field: str) -> Conflict:
        return Conflict(1, table, "k", "r", field, "both", "a", "b", None, "lee", "Lee", None, None)

    assert conflict("account", "owner").field_words == "Owner (CSM)"  # was "Owner"
    assert conflict("account", "annual_revenue_minor").field_words == "Company revenue (annual)"
    assert conflict("task", "owner").field_words == "Owner"
    assert conflict("contract", "value_minor").field_words == "Value"


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
