"""The team history says a changed field as the window names it: "changed ARR, owner of the
account", not the stored column ("arr", "arr_minor")."""

from __future__ import annotations

import json

from app.models.team import AuditEntry
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
