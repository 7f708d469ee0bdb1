"""Refreshing from the CRM: which records Fieldbook edited since the import that wrote them.

A record an import wrote carries that import's journal entry; if the record's ``updated_at``
is later than the import's batch, someone edited it in Fieldbook since. A newer export then
does not overwrite it silently: the fields it would change are listed as conflicts.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import ImportBatch, ImportJournal
from app.services.labels import quoted, stored_in_words


class LastImported:
    """When an import last wrote each row of a table (read once, on first need)."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._by_table: dict[str, dict[str, datetime]] = {}

    def of(self, table_name: str) -> dict[str, datetime]:
        """Row id -> when the latest import still in place wrote it."""
        found = self._by_table.get(table_name)
        if found is not None:
            return found
        found = {}
        query = (
            select(ImportJournal.row_ids, ImportBatch.created_at)
            .join(ImportBatch, ImportBatch.id == ImportJournal.batch_id)
            .where(ImportJournal.table_name == table_name, ImportBatch.undone_at.is_(None))
            .order_by(ImportBatch.created_at)
        )
        for row_ids, at in self._session.execute(query):
            for row_id in json.loads(row_ids):
                found[row_id] = at
        self._by_table[table_name] = found
        return found


def edited_since_import(existing: dict[str, Any], imported_at: datetime | None) -> bool:
    """True when the record changed in Fieldbook after the import that last wrote it."""
    updated = existing.get("updated_at")
    if imported_at is None or updated is None:
        return False
    if (updated.tzinfo is None) != (imported_at.tzinfo is None):
        updated, imported_at = updated.replace(tzinfo=None), imported_at.replace(tzinfo=None)
    return bool(updated > imported_at)


def shown(value: Any, column: Any = None, currency: str | None = None) -> str:
    """A value as a conflict message says it: as the window shows it (money in its currency,
    a day in words, a choice by its label; ``labels.stored_in_words``), text as typed
    quoted (``“Lee”``), ``nothing`` for an empty field ("Fieldbook has nothing, the file has
    “Lee”")."""
    if value is None:
        return "nothing"
    words = stored_in_words(value, column, currency)
    if isinstance(value, str) and words == value:
        return quoted(value if len(value) <= 40 else value[:39] + "…")
    return words
