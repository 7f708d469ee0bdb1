"""What every builder works with: its job (rows, plan, matchers, money, progress), and
turning planned rows into the plan's creates, updates, skips and conflicts."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table as SATable
from sqlalchemy.orm import Session

from app.imports.amounts import Money
from app.imports.fields import FIELDS, Kind
from app.imports.mapping import Mapping
from app.imports.matching import Accounts, Matcher, all_rows, column_defaults
from app.imports.plan_model import Cancel, ImportPlan, Match, Planned, Progress, report_progress
from app.imports.records import Issue, Record
from app.imports.refresh import edited_since_import, shown
from app.models import Account, Activity, Contract, MetricSnapshot, Opportunity, Stakeholder, utcnow
from app.services.labels import field_label, quoted

TABLES: dict[Kind, SATable] = {
    "accounts": Account.__table__,  # type: ignore[dict-item]
    "contacts": Stakeholder.__table__,  # type: ignore[dict-item]
    "contracts": Contract.__table__,  # type: ignore[dict-item]
    "health": MetricSnapshot.__table__,  # type: ignore[dict-item]
    "activities": Activity.__table__,  # type: ignore[dict-item]
    "opportunities": Opportunity.__table__,  # type: ignore[dict-item]
}
#: Rows read or checked between progress reports (and looks at whether to cancel).
CHECK_EVERY = 2000


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
            currency = values.get("currency") or item.existing.get("currency")
            fields = "; ".join(
                f"{_label(plan, table, k)}: Fieldbook has "
                f"{shown(item.existing.get(k), table.c.get(k), item.existing.get('currency'))}, "
                f"the file has {shown(v, table.c.get(k), currency)}"
                for k, v in changes.items()
            )
            name = item.existing.get("name") or item.existing.get("title") or item.row_id
            plan.conflicts.append(
                Issue(
                    item.row,
                    f"{quoted(str(name))} was edited in Fieldbook since the last import; "
                    f"Fieldbook's values are kept. {fields}.",
                )
            )
            continue  # counted as a conflict, not as unchanged: the file does differ
        plan.changed.append(
            (item.row, str(item.existing.get("name") or item.existing.get("title") or ""),
             [_label(plan, table, k) for k in changes])
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


def _label(plan: ImportPlan, table: SATable, key: str) -> str:
    """A column's name as the user knows it: the import's field (as the wizard names it),
    else the record's field as the window names it (``labels.field_label``), a reference by
    what it refers to (``parent_id``: Parent)."""
    if plan.mapping is not None:
        for spec in FIELDS[plan.mapping.kind]:
            if spec.key == key:
                return spec.label
    return field_label(table.name, key.removesuffix("_id"))


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
        plan.errors.append(Issue(record.row, f"{quoted(code)} is not a currency code.", "Currency"))
        return False, None
    return True, code


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

    def accounts(self) -> Accounts:
        """The workspace's accounts, for resolving rows' account references."""
        return Accounts(self.session, self.plan, self.mapping.default_currency)

    def existing(self, table: SATable) -> list[dict[str, Any]]:
        """Every row of ``table`` in the workspace, as dicts."""
        return all_rows(self.session, table)

    def matcher(self, noun: str) -> Matcher:
        """A matcher of file rows to existing ``noun`` records, reporting into the plan."""
        return Matcher(self.plan, noun)

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
        _settle(self.plan if plan is None else plan, table, planned, column_defaults(table))

    def tick(self, phase: str, done: float) -> None:
        """Report progress, and stop (ImportCancelled) when the user asked to."""
        report_progress(self.progress, self.cancel, phase, done)


#: Plans one kind's rows into ``job.plan`` (creates, updates, errors).
Builder = Callable[[BuildJob], None]
