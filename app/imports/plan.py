"""The dry run: what an import would create, update and skip, and every error by row."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from sqlalchemy import Table as SATable
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.imports.mapping import FIELDS, Kind, Mapping
from app.imports.records import Issue, Record, RowReader
from app.imports.refresh import LastImported, edited_since_import, shown
from app.imports.sources import ImportRefused, Table
from app.imports.values import Money, ValueProblem, decimal_convention
from app.models import (
    Account,
    Activity,
    Contract,
    MetricSnapshot,
    Opportunity,
    Stakeholder,
    utcnow,
)

Match = Literal["auto", "external_id", "email", "name"]
MATCHES: tuple[Match, ...] = ("auto", "external_id", "email", "name")
#: Called with a phase label and the fraction done (0..1).
Progress = Callable[[str, float], None]
#: Returns True when the user asked to stop.
Cancel = Callable[[], bool]

TABLES: dict[Kind, SATable] = {
    "accounts": Account.__table__,  # type: ignore[dict-item]
    "contacts": Stakeholder.__table__,  # type: ignore[dict-item]
    "contracts": Contract.__table__,  # type: ignore[dict-item]
    "health": MetricSnapshot.__table__,  # type: ignore[dict-item]
    "activities": Activity.__table__,  # type: ignore[dict-item]
    "opportunities": Opportunity.__table__,  # type: ignore[dict-item]
}
ACCOUNT_TABLE: SATable = Account.__table__  # type: ignore[assignment]
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_CHECK_EVERY = 2000


class ImportCancelled(Exception):
    """The user stopped the import; nothing was written."""


@dataclass
class Planned:
    """One file row that will become a create or an update (or nothing, if unchanged)."""

    row: int
    row_id: str
    values: dict[str, Any]
    existing: dict[str, Any] | None = None
    label: str = ""


@dataclass
class ImportPlan:
    """The outcome of a dry run: the writes to make and the problems found."""

    kind: Kind
    file_name: str
    described_as: str
    match: Match
    rows_read: int = 0
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    day_first: bool | None = None
    #: Rows to insert, per table, in an order that respects foreign keys.
    creates: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    #: (table, row id, changed values, old values)
    updates: list[tuple[str, str, dict[str, Any], dict[str, Any]]] = field(default_factory=list)
    skipped: int = 0
    created_rows: int = 0
    updated_rows: int = 0
    #: Accounts made because rows named an account the workspace did not have.
    new_accounts: int = 0
    #: The mapping used, how many rows filled each field, and the columns nobody read.
    mapping: Mapping | None = None
    filled: dict[str, int] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)
    #: Records edited in Fieldbook since their last import: left as they are, listed here.
    conflicts: list[Issue] = field(default_factory=list)
    #: (row, record name, labels of the fields the import changes) per update.
    changed: list[tuple[int, str, list[str]]] = field(default_factory=list)
    #: Take the file's values even for records edited in Fieldbook (the user's choice).
    overwrite_edits: bool = False
    last_imported: LastImported | None = None

    #: Import the good rows and leave the rows with errors out (the user's choice).
    skip_bad_rows: bool = False
    #: CRM user names (id -> name) a users file adds to those the workspace keeps.
    kept_users: dict[str, str] = field(default_factory=dict)
    #: What the import does besides its rows, in a sentence each (a users file's owners).
    notes: list[str] = field(default_factory=list)

    @property
    def writes(self) -> bool:
        """True when committing the plan would change the workspace."""
        return any(self.creates.values()) or bool(self.updates) or bool(self.kept_users)

    @property
    def ok(self) -> bool:
        """True when the import may be committed: no errors, or (when skipping bad rows)
        none about the file as a whole."""
        if self.skip_bad_rows:
            return all(issue.row > 0 for issue in self.errors)
        return not self.errors

    @property
    def rejected_rows(self) -> list[int]:
        """The rows left out because of their errors, when skipping bad rows."""
        return sorted({issue.row for issue in self.errors if issue.row > 0})

    def summary(self, *, done: bool = False) -> str:
        """One line: rows read, and what would be (``done``: what was) created, updated."""
        create, change = ("created", "updated") if done else ("to create", "to update")
        parts = [
            _plural(self.rows_read, "row") + " read",
            f"{self.created_rows:,} {create}",
            f"{self.updated_rows:,} {change}",
            f"{self.skipped:,} unchanged",
        ]
        if self.new_accounts:
            parts.append(_plural(self.new_accounts, "new account"))
        if self.errors and self.skip_bad_rows:
            parts.append(_plural(len(self.rejected_rows), "row") + " left out")
        elif self.errors:
            parts.append(_plural(len(self.errors), "error"))
        if self.warnings:
            parts.append(_plural(len(self.warnings), "warning"))
        if self.conflicts:
            parts.append(_plural(len(self.conflicts), "conflict"))
        return ", ".join(parts)


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}" + ("" if count == 1 else "s")


def _fold(text: str | None) -> str | None:
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


def row_key(row: dict[str, Any]) -> str:
    """What the journal records a row by: its id, or ``account_id:as_of`` for a weekly row.

    Weekly snapshots are keyed by (account, week) and have no id of their own.
    """
    if "id" in row:
        return str(row["id"])
    as_of = row["as_of"]
    return f"{row['account_id']}:{as_of.isoformat() if isinstance(as_of, date) else as_of}"


def _rows(session: Session, table: SATable) -> list[dict[str, Any]]:
    return [dict(row._mapping) for row in session.execute(select(table))]


def _defaults(table: SATable) -> dict[str, Any]:
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


class _Accounts:
    """Existing and new accounts by id, external id and name, for resolving references."""

    def __init__(self, session: Session, plan: ImportPlan, default_currency: str) -> None:
        self.plan = plan
        self.rows = {row["id"]: row for row in _rows(session, ACCOUNT_TABLE)}
        self.by_ext: dict[str, list[str]] = {}
        self.by_name: dict[str, list[str]] = {}
        for row in self.rows.values():
            self._index(row)
        self.default_currency = default_currency
        self.new: list[dict[str, Any]] = []

    def _index(self, row: dict[str, Any]) -> None:
        if row["external_id"]:
            self.by_ext.setdefault(row["external_id"], []).append(row["id"])
        self.by_name.setdefault(_fold(row["name"]) or "", []).append(row["id"])

    def resolve(self, record: Record) -> str | None:
        """The account a row belongs to; made (for a new name) when the workspace lacks it."""
        values = record.values
        ext, name = values.get("account_external_id"), values.get("account_name")
        if ext is not None:
            ids = self.by_ext.get(ext, [])
            if len(ids) == 1:
                return ids[0]
            if len(ids) > 1:
                self._error(record, f"Account ID {ext!r} belongs to {len(ids)} accounts.")
                return None
        if name is not None:
            ids = self.by_name.get(_fold(name) or "", [])
            if len(ids) == 1:
                return ids[0]
            if len(ids) > 1:
                self._error(record, f"{len(ids)} accounts are named {name!r}; use Account ID.")
                return None
            return self._make(name, ext)
        if ext is not None:
            self._error(record, f"No account has Account ID {ext!r}.")
        else:
            self._error(record, "The row names no account.")
        return None

    def _make(self, name: str, ext: str | None) -> str:
        row = _defaults(ACCOUNT_TABLE)
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


def plan_import(
    session: Session,
    table: Table,
    mapping: Mapping,
    *,
    match: Match = "auto",
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    owners: dict[str, str] | None = None,
    overwrite_edits: bool = False,
) -> ImportPlan:
    """Read the whole file against the workspace and say what an import would do.

    ``owners`` maps CRM user ids to names (from a users file), for owner columns, with the
    names kept from users files imported before. A users file itself names the owners of
    the records already imported (``users.plan_users``).

    Writes nothing. Raises ImportRefused when the file or the mapping cannot be used at all,
    ImportCancelled when ``cancel`` returns True; row problems land in ``plan.errors``.
    """
    name = table.path.name
    mapping.check_against(table.headers, name)
    if mapping.kind == "users":
        from app.imports.users import plan_users

        return plan_users(session, table, mapping)
    plan = ImportPlan(mapping.kind, name, table.described_as, match, mapping=mapping)
    plan.overwrite_edits = overwrite_edits
    plan.last_imported = LastImported(session)
    plan.ignored = mapping.ignored(table.headers)
    if mapping.decimal_comma is None:
        mapping.decimal_comma = _decimal_comma_of(table, mapping)
    reader = RowReader(table.headers, mapping)
    records: list[Record] = []
    for count, row in enumerate(table.rows(), start=1):
        record = reader.read(row, plan.errors)
        if record is not None:
            records.append(record)
        if count % _CHECK_EVERY == 0:
            _tick(progress, cancel, "Reading", table.position())
        plan.rows_read = count
    if plan.rows_read == 0:
        raise ImportRefused(f"{name} has a header row but no data rows.")
    plan.filled = dict(reader.filled)
    plan.warnings.extend(reader.warnings)
    from app.imports.users import kept_users

    owners = {**kept_users(session), **(owners or {})}
    if owners:
        for record in records:
            owner = record.values.get("owner")
            if owner is not None and owner in owners:
                record.values["owner"] = owners[owner]
    try:
        day_first, ambiguous = reader.day_first()
    except ValueProblem as problem:
        raise ImportRefused(str(problem)) from None
    if day_first is None and ambiguous is not None:
        plan.errors.append(
            Issue(
                0,
                f"Dates such as {ambiguous} read both day-first and month-first; "
                "choose the file's date order.",
            )
        )
    plan.day_first = day_first
    records = [r for r in records if reader.finish_dates(r, bool(day_first), plan.errors)]
    _tick(progress, cancel, "Checking", 0.0)
    builder = _builder(mapping.kind)
    builder(BuildJob(session, plan, mapping, records, match, progress, cancel))
    plan.errors.sort(key=lambda issue: issue.row)
    plan.warnings.sort(key=lambda issue: issue.row)
    plan.conflicts.sort(key=lambda issue: issue.row)
    plan.last_imported = None  # it holds the session
    return plan


#: Rows looked at to tell a decimal-comma file (1.234,50) from a decimal-point one.
_DECIMAL_SNIFF_ROWS = 500


def _decimal_comma_of(table: Table, mapping: Mapping) -> bool | None:
    """The file's decimal separator, from its first numbers that only one convention reads."""
    numeric = {s.key for s in FIELDS[mapping.kind] if s.type in ("money", "int", "float")}
    index = {h: i for i, h in enumerate(table.headers)}
    positions = [
        index[h] for key in numeric & set(mapping.columns) for h in mapping.headers_of(key)
    ]
    votes = {True: 0, False: 0}
    for row in table.preview(_DECIMAL_SNIFF_ROWS) if positions else []:
        for at in positions:
            cell = row.cells[at] if at < len(row.cells) else None
            if isinstance(cell, str) and cell:
                found = decimal_convention(cell)
                if found is not None:
                    votes[found] += 1
    if votes[True] and not votes[False]:
        return True
    if votes[False] and not votes[True]:
        return False
    return None


def _tick(progress: Progress | None, cancel: Cancel | None, phase: str, done: float) -> None:
    if cancel is not None and cancel():
        raise ImportCancelled("The import was cancelled; nothing was changed.")
    if progress is not None:
        progress(phase, done)


# --- matching and actions ------------------------------------------------------------------


class _Matcher:
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
    date or a folded form): ``name 'Acme'``, ``name 'Renewal 2025' ending 2025-06-30``."""
    kind, *rest = key
    values = record.values
    if kind in ("ext", "email"):
        return {"ext": "external id", "email": "email"}[kind] + f" {rest[-1]!r}"
    if kind == "name":
        shown = values.get("name") or values.get("title") or rest[min(1, len(rest) - 1)]
        text = f"name {shown!r}"
        if len(rest) > 2 and isinstance(rest[-1], date):
            text += f" ending {rest[-1].isoformat()}"
        return text
    moment = rest[-1]
    title = values.get("title")
    when = moment.isoformat() if isinstance(moment, date) else str(moment)
    return (f"subject {title!r} and " if title else "") + f"date {when}"


def _settle(
    plan: ImportPlan,
    table: SATable,
    planned: list[Planned],
    defaults: dict[str, Any],
) -> None:
    """Turn planned rows into creates, updates and skips."""
    columns = set(table.columns.keys())
    creates = plan.creates.setdefault(table.name, [])
    now = utcnow()
    for item in planned:
        values = {k: v for k, v in item.values.items() if k in columns}
        item.values = {}  # the row below replaces it: free as we go, not at the end
        if item.existing is None:
            row = dict(defaults)
            row.update(values)
            if "id" in columns:
                row["id"] = item.row_id
            if "created_at" in columns:
                row["created_at"] = row["updated_at"] = now
            creates.append(row)
            plan.created_rows += 1
            continue
        changes = {k: v for k, v in values.items() if item.existing.get(k) != v}
        if not changes:
            plan.skipped += 1
            continue
        changes = dict(sorted(changes.items(), key=lambda kv: _rank(plan, kv[0])))
        if (
            not plan.overwrite_edits
            and plan.last_imported is not None
            and edited_since_import(
                item.existing, plan.last_imported.of(table.name).get(item.row_id)
            )
        ):
            fields = ", ".join(
                f"{_label(plan, k)} (Fieldbook {shown(item.existing.get(k))}, file {shown(v)})"
                for k, v in changes.items()
            )
            name = item.existing.get("name") or item.existing.get("title") or item.row_id
            plan.conflicts.append(
                Issue(
                    item.row,
                    f"{name!r} was edited in Fieldbook since the last import; kept: {fields}.",
                )
            )
            plan.skipped += 1
            continue
        plan.changed.append(
            (item.row, str(item.existing.get("name") or item.existing.get("title") or ""),
             [_label(plan, k) for k in changes])
        )  # fmt: skip
        before = {k: item.existing.get(k) for k in changes}
        if "updated_at" in columns:
            changes["updated_at"] = now
        plan.updates.append((table.name, item.row_id, changes, before))
        plan.updated_rows += 1


def _rank(plan: ImportPlan, key: str) -> int:
    """Where a column's field comes in the kind's field list (others last)."""
    if plan.mapping is not None:
        for index, spec in enumerate(FIELDS[plan.mapping.kind]):
            if spec.key == key:
                return index
    return 1_000


def _label(plan: ImportPlan, key: str) -> str:
    """A column's name as the user knows it: the field's label, else the column in words."""
    if plan.mapping is not None:
        for spec in FIELDS[plan.mapping.kind]:
            if spec.key == key:
                return spec.label
    return key.removesuffix("_id").removesuffix("_minor").replace("_", " ").capitalize()


def _money_columns(
    plan: ImportPlan, record: Record, currency: str | None, fallback: str
) -> tuple[dict[str, Any], str] | None:
    """Money fields as minor units, all in one currency: the row's, else the first stated,
    else ``fallback``; bare numbers take that currency."""
    out: dict[str, Any] = {}
    if currency is None:
        stated = [v.currency for v in record.values.values() if isinstance(v, Money) and v.stated]
        currency = stated[0] if stated else None
    for key, value in record.values.items():
        if not isinstance(value, Money):
            out[key] = value
            continue
        value = value.in_currency(currency or fallback)
        if currency is None:
            currency = value.currency
        elif value.currency != currency:
            plan.errors.append(
                Issue(record.row, f"An amount is in {value.currency} but the row is in {currency}.")
            )
            return None
        out[key] = value.minor
    return out, currency or fallback


def _currency(plan: ImportPlan, record: Record) -> tuple[bool, str | None]:
    code = record.values.pop("currency", None)
    if code is None:
        return True, None
    code = code.upper()
    if not re.fullmatch(r"[A-Z]{3}", code):
        plan.errors.append(Issue(record.row, f"{code!r} is not a currency code.", "Currency"))
        return False, None
    return True, code


def _depth_order(rows: list[dict[str, Any]], parent_key: str) -> list[dict[str, Any]]:
    """Rows sorted so each one's parent (if also new) comes first."""
    by_id = {row["id"]: row for row in rows}
    depth: dict[str, int] = {}

    def depth_of(row_id: str) -> int:
        chain = []
        current: str | None = row_id
        while current is not None and current in by_id and current not in depth:
            chain.append(current)
            current = by_id[current][parent_key]
            if len(chain) > len(by_id):
                break
        base = -1 if current is None else depth.get(current, -1)
        for node in reversed(chain):
            base += 1
            depth[node] = base
        return depth[row_id]

    return sorted(rows, key=lambda row: depth_of(row["id"]))


def _find_cycles(links: dict[str, str | None], starts: Iterable[str]) -> set[str]:
    """Ids among ``starts`` that sit on a cycle of ``links`` (child -> parent)."""
    on_cycle: set[str] = set()
    safe: set[str] = set()
    for start in starts:
        path: list[str] = []
        index: dict[str, int] = {}
        current: str | None = start
        while current is not None and current not in safe and current not in on_cycle:
            if current in index:
                on_cycle.update(path[index[current] :])
                break
            index[current] = len(path)
            path.append(current)
            current = links.get(current)
        safe.update(node for node in path if node not in on_cycle)
    return on_cycle


# --- per kind ------------------------------------------------------------------------------


@dataclass
class BuildJob:
    """One file's rows to plan and what planning them needs: every builder's one argument."""

    session: Session
    plan: ImportPlan
    mapping: Mapping
    records: list[Record]
    match: Match
    progress: Progress | None = None
    cancel: Cancel | None = None

    def accounts(self) -> _Accounts:
        """The workspace's accounts, for resolving rows' account references."""
        return _Accounts(self.session, self.plan, self.mapping.default_currency)

    def existing(self, table: SATable) -> list[dict[str, Any]]:
        """Every row of ``table`` in the workspace, as dicts."""
        return _rows(self.session, table)

    def matcher(self, noun: str) -> _Matcher:
        """A matcher of file rows to existing ``noun`` records, reporting into the plan."""
        return _Matcher(self.plan, noun)

    def currency(self, record: Record) -> tuple[bool, str | None]:
        """(ok, the row's currency code or None); not ok (error added) for a bad code."""
        return _currency(self.plan, record)

    def money(
        self, record: Record, currency: str | None, fallback: str
    ) -> tuple[dict[str, Any], str] | None:
        """The row's values with money in minor units of one currency (``_money_columns``)."""
        return _money_columns(self.plan, record, currency, fallback)

    def settle(
        self, table: SATable, planned: list[Planned], plan: ImportPlan | None = None
    ) -> None:
        """Turn planned rows of ``table`` into the plan's creates, updates and skips."""
        _settle(self.plan if plan is None else plan, table, planned, _defaults(table))

    def tick(self, phase: str, done: float) -> None:
        """Report progress, and stop (ImportCancelled) when the user asked to."""
        _tick(self.progress, self.cancel, phase, done)


#: Plans one kind's rows into ``job.plan`` (creates, updates, errors).
Builder = Callable[[BuildJob], None]


def _builder(kind: Kind) -> Builder:
    """The function that plans rows of ``kind`` (imported here: the builders use this module)."""
    from app.imports.builders_owned import OWNED_BUILDERS
    from app.imports.builders_people import build_accounts, build_contacts

    if kind == "accounts":
        return build_accounts
    if kind == "contacts":
        return build_contacts
    return OWNED_BUILDERS[kind]
