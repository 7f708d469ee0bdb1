"""Planning rows that hang off an account: opportunities, contracts, health, activities."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from typing import Any

from sqlalchemy import Table as SATable

from app.imports.build_job import TABLES, Builder, BuildJob
from app.imports.deals import is_renewal, prepare_opportunity, renewal_terms
from app.imports.fields import Kind
from app.imports.journal import row_key
from app.imports.matching import Accounts, fold, fresh_id, touchpoint_of
from app.imports.plan_model import ImportPlan, Planned
from app.imports.records import Issue, Record
from app.models import Contract, Renewal

Keys = Callable[[dict[str, Any]], list[tuple[Any, ...] | None]]
CONTRACT_TABLE: SATable = Contract.__table__  # type: ignore[assignment]
RENEWAL_TABLE: SATable = Renewal.__table__  # type: ignore[assignment]


class _AccountOwned:
    """The builder for rows that hang off an account (contracts, deals, health, activities)."""

    def __init__(
        self,
        kind: Kind,
        keys: Keys,
        prepare: Callable[[ImportPlan, Record, dict[str, Any]], bool],
    ) -> None:
        self.kind, self.keys, self.prepare = kind, keys, prepare

    def __call__(self, job: BuildJob) -> None:
        accounts = job.accounts()
        table = TABLES[self.kind]
        planned = self.planned(job, job.records, accounts)
        job.records.clear()  # their values live on in ``planned``
        job.tick("Checking", 0.5)
        job.settle(table, planned)
        accounts.add_new_to_plan()

    def planned(self, job: BuildJob, records: list[Record], accounts: Accounts) -> list[Planned]:
        """The rows as creates or updates of existing records (matched by ``keys``)."""
        plan, mapping = job.plan, job.mapping
        table = TABLES[self.kind]
        matcher = job.matcher(self.kind)
        use_ext = job.match in ("auto", "external_id") and "external_id" in mapping.columns
        matcher.add_existing(job.existing(table), self.keys)
        planned: list[Planned] = []
        for record in records:
            values = _owned_values(job, record, accounts, "currency" in table.columns)
            if values is None or not self.prepare(plan, record, values):
                continue
            row_keys = self.keys(values)
            if not use_ext:
                row_keys = [k for k in row_keys if k is None or k[0] != "ext"]
            found, row = matcher.find(record, row_keys)
            if found:
                key = row_key(row if row else values) if row or "id" not in table.c else fresh_id()
                planned.append(Planned(record.row, key, values, row))
        return planned


def _owned_values(
    job: BuildJob, record: Record, accounts: Accounts, has_currency: bool
) -> dict[str, Any] | None:
    """A row's values with its account and its money in minor units of one currency."""
    ok, currency = job.currency(record)
    if not ok:
        return None
    account_id = accounts.resolve(record)
    if account_id is None:
        return None
    money = job.money(record, currency, accounts.rows[account_id]["currency"])
    if money is None:
        return None
    values, currency = money
    values["account_id"] = account_id
    if has_currency:
        values["currency"] = currency
    return values


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
        plan.errors.append(Issue(record.row, "A touchpoint needs a subject and a date."))
        return False
    values.setdefault("kind", "meeting")
    values["occurred_at"], values["all_day"] = touchpoint_of(values["occurred_at"])
    return True


def _prepare_opportunity(plan: ImportPlan, record: Record, values: dict[str, Any]) -> bool:
    return prepare_opportunity(plan.errors, record.row, values)


def _prepare_renewal_deal(plan: ImportPlan, record: Record, values: dict[str, Any]) -> bool:
    """A renewal deal's values turned into its contract's, its renewal's under ``_renewal``."""
    if not _prepare_opportunity(plan, record, values):
        return False
    terms = renewal_terms(plan.errors, record.row, values)
    if terms is None:
        return False
    contract, renewal = terms
    values.clear()
    values.update(contract, _renewal=renewal)
    return True


def _contract_keys(r: dict[str, Any]) -> list[tuple[Any, ...] | None]:
    return [
        ("ext", r.get("external_id")) if r.get("external_id") else None,
        ("name", r["account_id"], fold(r.get("name")), r.get("end_date")),
    ]


class _Deals(_AccountOwned):
    """Opportunities. When the mapping takes renewal deals as contracts, each deal the CRM
    types as a renewal becomes a Contract (ending on the close date, worth the amount) with
    its Renewal (the forecast while open; renewed or churned once closed), matched again on
    the next import by the deal's id, so importing twice changes nothing."""

    def __call__(self, job: BuildJob) -> None:
        if job.mapping.renewal_deals != "contracts":
            super().__call__(job)
            return
        accounts = job.accounts()
        renewal = [is_renewal(record.values) for record in job.records]
        deals = [r for r, flag in zip(job.records, renewal, strict=True) if not flag]
        renewals = [r for r, flag in zip(job.records, renewal, strict=True) if flag]
        job.records.clear()
        job.plan.notes.append(
            f"{_deals(len(renewals))} typed as renewals go in as contract renewals (a contract "
            f"ending on the close date, with its renewal); {_deals(len(deals))} as opportunities."
        )
        planned = self.planned(job, deals, accounts)
        contracts = _RENEWAL_CONTRACTS.planned(job, renewals, accounts)
        job.tick("Checking", 0.5)
        table = TABLES["opportunities"]
        job.settle(table, planned)
        _settle_renewals(job, contracts)
        accounts.add_new_to_plan()


def _deals(count: int) -> str:
    return f"{count:,} deal{'' if count == 1 else 's'}"


def _settle_renewals(job: BuildJob, contracts: list[Planned]) -> None:
    """Settle renewal deals' contracts, then their renewals; a deal counts once: created
    with its contract, updated when its contract or its renewal changes."""
    plan = job.plan
    terms: dict[str, dict[str, Any]] = {}
    for item in contracts:
        terms[item.row_id] = item.values.pop("_renewal")
        if item.existing is not None:
            item.values.pop("start_date", None)  # the contract's own term stays
    before = (len(plan.creates.get("contract", [])), len(plan.updates), len(plan.conflicts))
    job.settle(CONTRACT_TABLE, contracts)
    touched = {row["id"] for row in plan.creates.get("contract", [])[before[0] :]}
    touched |= {update[1] for update in plan.updates[before[1] :]}
    # Deals whose contract is a conflict: counted as conflicts, not as unchanged.
    conflicted = _rows_of(contracts, plan.conflicts[before[2] :])
    existing = {row["contract_id"]: row for row in job.existing(RENEWAL_TABLE)}
    by_id = {row["id"]: contract_id for contract_id, row in existing.items()}
    renewals = []
    for contract_id, values in terms.items():
        row = existing.get(contract_id)
        row_id = row["id"] if row is not None else fresh_id()
        renewals.append(Planned(0, row_id, {**values, "contract_id": contract_id}, row))
    rows_of = {item.row_id: item.row for item in contracts}
    scratch = replace(plan, creates={}, updates=[], changed=[], conflicts=[], created_rows=0)
    scratch.updated_rows = scratch.skipped = 0
    for item in renewals:
        item.row = rows_of.get(item.values["contract_id"], 0)
    job.settle(RENEWAL_TABLE, renewals, scratch)
    plan.creates.setdefault("renewal", []).extend(scratch.creates.get("renewal", []))
    plan.updates.extend(scratch.updates)
    plan.conflicts.extend(scratch.conflicts)
    plan.changed.extend(scratch.changed)
    renewed = [row["contract_id"] for row in scratch.creates.get("renewal", [])]
    renewed += [by_id[update[1]] for update in scratch.updates]
    # A deal whose contract was unchanged but whose renewal changed is an update, not a skip;
    # one whose renewal is a conflict is a conflict. A conflicting contract whose renewal
    # changed is both (it was never counted unchanged).
    updated = set(renewed) - touched
    clashed = _rows_of(contracts, scratch.conflicts) - touched - conflicted - updated
    plan.skipped -= len(updated - conflicted) + len(clashed)
    plan.updated_rows += len(updated)


def _rows_of(contracts: list[Planned], issues: list[Issue]) -> set[str]:
    """The contract ids of the deals ``issues`` name by row."""
    rows = {issue.row for issue in issues}
    return {item.row_id for item in contracts if item.row in rows}


def _activity_keys(r: dict[str, Any]) -> list[tuple[Any, ...] | None]:
    """A touchpoint is the same when its account, subject and moment are; an all-day one's
    moment is its day (one imported before it was stored at ALL_DAY_UTC, at midnight, is the
    same touchpoint: the import moves it to ALL_DAY_UTC, as an update)."""
    at = r.get("occurred_at")
    when = (at.date() if r.get("all_day") else at.replace(tzinfo=None)) if at else None
    return [("date", r["account_id"], fold(r.get("title")), when)]


#: Renewal deals planned as the contracts they renew.
_RENEWAL_CONTRACTS = _AccountOwned("contracts", _contract_keys, _prepare_renewal_deal)

OWNED_BUILDERS: dict[Kind, Builder] = {
    "contracts": _AccountOwned("contracts", _contract_keys, _prepare_contract),
    "opportunities": _Deals(
        "opportunities",
        lambda r: [
            ("ext", r.get("external_id")) if r.get("external_id") else None,
            ("name", r["account_id"], fold(r.get("title"))),
        ],
        _prepare_opportunity,
    ),
    "health": _AccountOwned(
        "health", lambda r: [("date", r["account_id"], r.get("as_of"))], _prepare_health
    ),
    "activities": _AccountOwned("activities", _activity_keys, _prepare_activity),
}
