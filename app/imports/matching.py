"""Finding what a file row stands for: existing records by their keys, accounts by a row's
reference (made when new), and new rows' ids and defaults."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import Table as SATable
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.imports.journal import row_key
from app.imports.plan_model import ImportPlan
from app.imports.records import Issue, Record
from app.models import Account, utcnow
from app.services import dates_text
from app.services.labels import quoted
from app.services.touchpoint_time import touchpoint_start

ACCOUNT_TABLE: SATable = Account.__table__  # type: ignore[assignment]


def fold(text: str | None) -> str | None:
    """Text compared loosely: case and runs of whitespace ignored."""
    if text is None:
        return None
    if "  " in text or "\n" in text or "\t" in text:
        text = " ".join(text.split())
    return text.casefold()


class _Ids:
    """New ids in bulk: the same UUID4 hex as ``new_id``, without a uuid object per row."""

    def __init__(self) -> None:
        self._pool: list[str] = []

    def __call__(self) -> str:
        if not self._pool:
            raw = bytearray(os.urandom(16 * 4096))
            for offset in range(0, len(raw), 16):
                raw[offset + 6] = (raw[offset + 6] & 0x0F) | 0x40  # version 4
                raw[offset + 8] = (raw[offset + 8] & 0x3F) | 0x80  # RFC 4122 variant
            hexed = raw.hex()
            self._pool = [hexed[i : i + 32] for i in range(0, len(hexed), 32)]
        return self._pool.pop()


fresh_id = _Ids()


def all_rows(session: Session, table: SATable) -> list[dict[str, Any]]:
    """Every row of ``table`` in the workspace, as dicts."""
    return [dict(row._mapping) for row in session.execute(select(table))]


def column_defaults(table: SATable) -> dict[str, Any]:
    """A new row of ``table`` before the file's values: each column's plain default, else None."""
    out: dict[str, Any] = {}
    for column in table.columns:
        default = column.default
        arg: Any = getattr(default, "arg", None)
        if default is not None and not callable(arg):
            out[column.name] = getattr(arg, "value", arg)
        else:
            out[column.name] = None
    if table.name == "account":
        # A segment or lifecycle stage the file does not give stays "not set".
        out["segment"] = out["lifecycle_stage"] = None
    return out


class Accounts:
    """Existing and new accounts by id, external id and name, for resolving references."""

    def __init__(self, session: Session, plan: ImportPlan, default_currency: str) -> None:
        self.plan = plan
        self.rows = {row["id"]: row for row in all_rows(session, ACCOUNT_TABLE)}
        self.by_ext: dict[str, list[str]] = {}
        self.by_name: dict[str, list[str]] = {}
        for row in self.rows.values():
            self._index(row)
        self.default_currency = default_currency
        self.new: list[dict[str, Any]] = []

    def _index(self, row: dict[str, Any]) -> None:
        if row["external_id"]:
            self.by_ext.setdefault(row["external_id"], []).append(row["id"])
        self.by_name.setdefault(fold(row["name"]) or "", []).append(row["id"])

    def resolve(self, record: Record) -> str | None:
        """The account a row belongs to; made (for a new name) when the workspace lacks it."""
        values = record.values
        ext, name = values.get("account_external_id"), values.get("account_name")
        if ext is not None:
            ids = self.by_ext.get(ext, [])
            if len(ids) == 1:
                return ids[0]
            if len(ids) > 1:
                self._error(record, f"Account ID {quoted(ext)} belongs to {len(ids)} accounts.")
                return None
        if name is not None:
            ids = self.by_name.get(fold(name) or "", [])
            if len(ids) == 1:
                return ids[0]
            if len(ids) > 1:
                self._error(
                    record, f"{len(ids)} accounts are named {quoted(name)}; use Account ID."
                )
                return None
            return self._make(name, ext)
        if ext is not None:
            self._error(record, f"No account has Account ID {quoted(ext)}.")
        else:
            self._error(record, "The row names no account.")
        return None

    def _make(self, name: str, ext: str | None) -> str:
        row = column_defaults(ACCOUNT_TABLE)
        now = utcnow()
        row.update(
            id=fresh_id(),
            name=name,
            external_id=ext,
            currency=self.default_currency,
            created_at=now,
            updated_at=now,
        )
        self.rows[row["id"]] = row
        self._index(row)
        self.new.append(row)
        return str(row["id"])

    def _error(self, record: Record, message: str) -> None:
        self.plan.errors.append(Issue(record.row, message, "Account"))

    def add_new_to_plan(self) -> None:
        """Put the accounts rows named but the workspace lacked first among the plan's creates."""
        self.plan.new_accounts = len(self.new)
        if self.new:
            self.plan.creates = {"account": self.new, **self.plan.creates}


class Matcher:
    """Finds the existing row a file row stands for, and repeats of a key inside the file."""

    def __init__(self, plan: ImportPlan, noun: str) -> None:
        self.plan = plan
        self.noun = noun
        self.existing: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
        self.seen: dict[tuple[Any, ...], int] = {}
        #: existing row id -> the file row that matched it
        self.claimed: dict[str, int] = {}

    def add_existing(self, rows: Iterable[dict[str, Any]], keys: Callable[..., list[Any]]) -> None:
        for row in rows:
            for key in keys(row):
                if key is not None:
                    self.existing.setdefault(key, []).append(row)

    def find(self, record: Record, keys: list[tuple[Any, ...] | None]) -> tuple[bool, Any]:
        """(ok, existing row or None): by the first key the row has, else by later keys.

        A later key (say the name, after an external id no record has) only finds records
        that lack the first key's field: an account made from a contacts file by name is
        found again when its CRM export arrives with ids; one with another id is not.
        """
        present = [key for key in keys if key is not None]
        if not present:
            return True, None
        primary = present[0]
        earlier = self.seen.get(primary)
        if earlier is not None:
            self.plan.errors.append(
                Issue(record.row, f"Repeats row {earlier} (same {_describe(primary, record)}).")
            )
            return False, None
        self.seen[primary] = record.row
        field = _KEY_FIELDS.get(primary[0])
        for key in present:
            matches = self.existing.get(key, [])
            if key is not primary:
                matches = [m for m in matches if field is not None and not m.get(field)]
            if len(matches) > 1:
                self.plan.errors.append(
                    Issue(
                        record.row,
                        f"{len(matches)} existing {self.noun} have the same "
                        f"{_describe(key, record)}.",
                    )
                )
                return False, None
            if matches:
                match = matches[0]
                other = self.claimed.get(row_key(match))
                if other is not None:
                    self.plan.errors.append(
                        Issue(record.row, f"Matches the same record as row {other}.")
                    )
                    return False, None
                self.claimed[row_key(match)] = record.row
                return True, match
        return True, None


#: The column each kind of match key reads, for deciding when a fallback key may match.
_KEY_FIELDS = {"ext": "external_id", "email": "email"}


def _describe(key: tuple[Any, ...], record: Record) -> str:
    """What a match key stands for, quoting the row's own text (the name as written, not a
    folded form) and a day as the window writes one (``dates_text``): ``name “Acme”``,
    ``name “Renewal 2025” ending Jun 30, 2025``."""
    kind, *rest = key
    values = record.values
    if kind in ("ext", "email"):
        return {"ext": "external id", "email": "email"}[kind] + f" {quoted(rest[-1])}"
    if kind == "name":
        shown = values.get("name") or values.get("title") or rest[min(1, len(rest) - 1)]
        text = f"name {quoted(shown)}"
        if len(rest) > 2 and isinstance(rest[-1], date):
            text += f" ending {dates_text.day(rest[-1])}"
        return text
    title = values.get("title")
    # A touchpoint's day or moment as the file has it: its key holds the moment as stored.
    when = _when(values.get("occurred_at") or rest[-1])
    return (f"subject {quoted(title)} and " if title else "") + f"date {when}"


def all_day(moment: datetime) -> bool:
    """Whether a CRM moment is a date with no time of day (a file's cell read as midnight
    UTC): an all-day touchpoint."""
    return moment.timetz().replace(tzinfo=None) == time()


def touchpoint_of(moment: datetime) -> tuple[datetime, bool]:
    """``(occurred_at, all_day)`` as the app stores a touchpoint from a CRM moment: a date
    alone is an all-day touchpoint on that day, stored as the form stores one
    (``touchpoint_start``: at ``ALL_DAY_UTC``, not at midnight, which a day's span west of
    UTC leaves out); a moment keeps its UTC time."""
    if all_day(moment):
        return touchpoint_start(moment.date(), None, UTC)
    return moment, False


def _when(moment: Any) -> str:
    """A key's day or moment in words: a touchpoint's moment (kept in UTC) at the local time
    its form shows, an all-day one (and a day) by its day alone."""
    if isinstance(moment, datetime):
        if all_day(moment):
            return dates_text.day(moment.date())
        return dates_text.moment(moment if moment.tzinfo else moment.replace(tzinfo=UTC))
    if isinstance(moment, date):
        return dates_text.day(moment)
    return str(moment)
