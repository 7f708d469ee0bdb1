"""Planning rows that hang off an account: opportunities, contracts, health, activities."""

from __future__ import annotations

from collections.abc import Callable
from datetime import time, timedelta
from typing import Any

from sqlalchemy.orm import Session

from app.imports.deals import prepare_opportunity
from app.imports.mapping import Kind, Mapping
from app.imports.plan import (
    TABLES,
    Builder,
    Cancel,
    ImportPlan,
    Match,
    Planned,
    Progress,
    _Accounts,
    _currency,
    _defaults,
    _fold,
    _Matcher,
    _money_columns,
    _rows,
    _settle,
    _tick,
    fresh_id,
    row_key,
)
from app.imports.records import Issue, Record


def _account_owned(
    kind: Kind,
    keys: Callable[[dict[str, Any]], list[tuple[Any, ...] | None]],
    prepare: Callable[[ImportPlan, Record, dict[str, Any]], bool],
) -> Builder:
    """A builder for rows that hang off an account (contracts, health, activities)."""

    def build(
        session: Session,
        plan: ImportPlan,
        mapping: Mapping,
        records: list[Record],
        match: Match,
        progress: Progress | None,
        cancel: Cancel | None,
    ) -> None:
        table = TABLES[kind]
        accounts = _Accounts(session, plan, mapping.default_currency)
        matcher = _Matcher(plan, kind)
        use_ext = match in ("auto", "external_id") and "external_id" in mapping.columns
        matcher.add_existing(_rows(session, table), lambda row: keys(row))
        planned: list[Planned] = []
        for record in records:
            ok, currency = _currency(plan, record)
            if not ok:
                continue
            account_id = accounts.resolve(record)
            if account_id is None:
                continue
            account_currency = accounts.rows[account_id]["currency"]
            money = _money_columns(plan, record, currency, account_currency)
            if money is None:
                continue
            values, currency = money
            values["account_id"] = account_id
            if "currency" in table.columns:
                values["currency"] = currency
            if not prepare(plan, record, values):
                continue
            row_keys = keys(values)
            if not use_ext:
                row_keys = [k for k in row_keys if k is None or k[0] != "ext"]
            found, row = matcher.find(record, row_keys)
            if found:
                key = row_key(row if row else values) if row or "id" not in table.c else fresh_id()
                planned.append(Planned(record.row, key, values, row))
        records.clear()  # their values live on in ``planned``
        _tick(progress, cancel, "Checking", 0.5)
        _settle(plan, table, planned, _defaults(table))
        plan.new_accounts = len(accounts.new)
        if accounts.new:
            plan.creates = {"account": accounts.new, **plan.creates}

    return build


def _prepare_contract(plan: ImportPlan, record: Record, values: dict[str, Any]) -> bool:
    end = values.get("end_date")
    if end is None:
        plan.errors.append(Issue(record.row, "Contract End Date is empty.", "Contract End Date"))
        return False
    start = values.setdefault("start_date", end - timedelta(days=365))
    if start > end:
        plan.errors.append(Issue(record.row, "The contract starts after it ends."))
        return False
    values.setdefault("name", f"Contract ending {end.isoformat()}")
    if values.get("value_minor", 0) < 0:
        plan.errors.append(Issue(record.row, "The contract value is negative."))
        return False
    return True


def _prepare_health(plan: ImportPlan, record: Record, values: dict[str, Any]) -> bool:
    if values.get("as_of") is None:
        plan.errors.append(Issue(record.row, "As Of (the snapshot's date) is empty.", "As Of"))
        return False
    return True


def _prepare_activity(plan: ImportPlan, record: Record, values: dict[str, Any]) -> bool:
    if values.get("title") is None or values.get("occurred_at") is None:
        plan.errors.append(Issue(record.row, "An activity needs a subject and a date."))
        return False
    values.setdefault("kind", "meeting")
    # A CRM date with no time of day (read as midnight UTC) is an all-day touchpoint.
    values["all_day"] = values["occurred_at"].timetz().replace(tzinfo=None) == time()
    return True


def _prepare_opportunity(plan: ImportPlan, record: Record, values: dict[str, Any]) -> bool:
    return prepare_opportunity(plan.errors, record.row, values)


OWNED_BUILDERS: dict[Kind, Builder] = {
    "contracts": _account_owned(
        "contracts",
        lambda r: [
            ("ext", r.get("external_id")) if r.get("external_id") else None,
            ("name", r["account_id"], _fold(r.get("name")), r.get("end_date")),
        ],
        _prepare_contract,
    ),
    "opportunities": _account_owned(
        "opportunities",
        lambda r: [
            ("ext", r.get("external_id")) if r.get("external_id") else None,
            ("name", r["account_id"], _fold(r.get("title"))),
        ],
        _prepare_opportunity,
    ),
    "health": _account_owned(
        "health", lambda r: [("date", r["account_id"], r.get("as_of"))], _prepare_health
    ),
    "activities": _account_owned(
        "activities",
        lambda r: [
            (
                "date",
                r["account_id"],
                _fold(r.get("title")),
                r["occurred_at"].replace(tzinfo=None) if r.get("occurred_at") else None,
            )
        ],
        _prepare_activity,
    ),
}
