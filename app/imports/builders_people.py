"""Planning accounts (with their hierarchy) and contacts (with their reporting lines)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Table as SATable

from app.imports.amounts import Money
from app.imports.build_job import CHECK_EVERY, BuildJob
from app.imports.matching import ACCOUNT_TABLE, Accounts, fold, fresh_id
from app.imports.plan_model import ImportPlan, Planned
from app.imports.records import Issue
from app.models import Stakeholder
from app.services.labels import quoted

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def name_from_email(email: str) -> str:
    """A readable name from an address: ``jane.doe@acme.com`` -> ``Jane Doe``."""
    local = email.split("@", 1)[0].split("+", 1)[0]
    words = [w for w in re.split(r"[._\-]+", local) if w]
    return " ".join(w.capitalize() for w in words) or email


def build_accounts(job: BuildJob) -> None:
    plan, mapping, match, records = job.plan, job.mapping, job.match, job.records
    accounts = job.accounts()
    existing = list(accounts.rows.values())
    matcher = job.matcher("accounts")
    use_ext = match in ("auto", "external_id", "email") and "external_id" in mapping.columns
    matcher.add_existing(existing, lambda r: [("ext", r["external_id"]), ("name", fold(r["name"]))])
    planned: list[Planned] = []
    for record in records:
        values = record.values
        if values.get("name") is None:
            plan.errors.append(Issue(record.row, "Account Name is empty.", "Account Name"))
            continue
        ok, currency = job.currency(record)
        if not ok:
            continue
        stated = currency is not None or any(
            isinstance(v, Money) and v.stated for v in values.values()
        )
        ext = values.get("external_id")
        keys = [("ext", ext) if use_ext and ext else None]
        if match != "external_id" or not ext:
            keys.append(("name", fold(values["name"])))
        found, row = matcher.find(record, keys)
        if not found:
            continue
        # Bare amounts are in the account's own currency when it exists already.
        fallback = row["currency"] if row is not None else mapping.default_currency
        money = job.money(record, currency, fallback)
        if money is None:
            continue
        columns, currency = money
        if row is None:
            columns["currency"] = currency
        elif stated and currency != row["currency"]:
            # Changing the code alone would silently re-denominate every revenue line.
            plan.errors.append(
                Issue(
                    record.row,
                    f"{row['name']} keeps its figures in {row['currency']}; this row is in "
                    f"{currency} (set the file's currency or write it with the amounts).",
                )
            )
            continue
        planned.append(Planned(record.row, row["id"] if row else fresh_id(), columns, row))
    records.clear()  # their values live on in ``planned``
    # Parents: in the file first (by external id, then name), then in the workspace.
    file_ext = {p.values["external_id"]: p for p in planned if p.values.get("external_id")}
    file_name: dict[str | None, list[Planned]] = {}
    for item in planned:
        file_name.setdefault(fold(item.values["name"]), []).append(item)
    links = {row_id: row["parent_id"] for row_id, row in accounts.rows.items()}
    for item in planned:
        parent_ext = item.values.pop("parent_external_id", None)
        parent_name = item.values.pop("parent_name", None)
        if parent_ext is None and parent_name is None:
            continue
        parent_id = _find_parent(plan, accounts, file_ext, file_name, item, parent_ext, parent_name)
        if parent_id is None:
            continue
        own_parent = (plan.errors, "The account is named as its own parent.")
        _link(item, "parent_id", parent_id, links, if_itself=own_parent)
    message = "The parent accounts form a cycle: an account under itself."
    cycles = _refuse_cycles(plan, links, planned, message)
    kept = [item for item in planned if item.row_id not in cycles]
    job.tick("Checking", 0.5)
    job.settle(ACCOUNT_TABLE, kept)
    new = plan.creates.get("account", [])
    plan.creates["account"] = _depth_order(new, "parent_id")


def _find_parent(
    plan: ImportPlan,
    accounts: Accounts,
    file_ext: dict[str, Planned],
    file_name: dict[str | None, list[Planned]],
    item: Planned,
    parent_ext: str | None,
    parent_name: str | None,
) -> str | None:
    if parent_ext is not None:
        if parent_ext in file_ext:
            return file_ext[parent_ext].row_id
        ids = accounts.by_ext.get(parent_ext, [])
        if len(ids) == 1:
            return ids[0]
    if parent_name is not None:
        in_file = file_name.get(fold(parent_name), [])
        if len(in_file) == 1:
            return in_file[0].row_id
        ids = accounts.by_name.get(fold(parent_name) or "", [])
        if len(in_file) > 1 or len(ids) > 1:
            plan.errors.append(
                Issue(item.row, f"More than one account is named {quoted(parent_name)}.", "Parent")
            )
            return None
        if len(ids) == 1:
            return ids[0]
    shown = parent_ext if parent_ext is not None else parent_name
    plan.warnings.append(
        Issue(
            item.row,
            f"Parent account {quoted(str(shown))} of {quoted(str(item.values['name']))} is "
            "neither in the file nor in the workspace; imported without its parent.",
            "Parent",
        )
    )
    return None


def build_contacts(job: BuildJob) -> None:
    plan, mapping, match, records = job.plan, job.mapping, job.match, job.records
    table: SATable = Stakeholder.__table__  # type: ignore[assignment]
    accounts = job.accounts()
    existing = job.existing(table)
    mode = match
    if mode == "auto":
        mode = "external_id" if "external_id" in mapping.columns else "email"
        if mode == "email" and "email" not in mapping.columns:
            mode = "name"
    matcher = job.matcher("contacts")

    def keys_of(row: dict[str, Any]) -> list[Any]:
        email = row["email"]
        return [
            ("ext", row["external_id"]) if row["external_id"] else None,
            ("email", email.casefold()) if email else None,
            ("name", row["account_id"], fold(row["name"])),
        ]

    matcher.add_existing(existing, keys_of)
    planned: list[Planned] = []
    for count, record in enumerate(records, start=1):
        values = record.values
        first, last = values.pop("first_name", None), values.pop("last_name", None)
        if values.get("name") is None:
            values["name"] = " ".join(p for p in (first, last) if p) or None
        if values["name"] is None and values.get("email"):
            values["name"] = name_from_email(values["email"])
            plan.warnings.append(
                Issue(
                    record.row,
                    f"No name: named {quoted(str(values['name']))} from the email "
                    f"{quoted(str(values['email']))}; check it.",
                    "Name",
                )
            )
        if values["name"] is None:
            plan.errors.append(Issue(record.row, "The contact has no name and no email.", "Name"))
            continue
        if len(values["name"]) > 200:
            plan.errors.append(Issue(record.row, "The name is over 200 characters.", "Name"))
            continue
        email = values.get("email")
        if email is not None and not _EMAIL.match(email):
            plan.errors.append(
                Issue(record.row, f"{quoted(email)} is not an email address.", "Email")
            )
            continue
        account_id = accounts.resolve(record)
        if account_id is None:
            continue
        values["account_id"] = account_id
        ext = values.get("external_id")
        name_key = ("name", account_id, fold(values["name"]))
        keys: list[tuple[Any, ...] | None] = []
        if mode == "external_id" and ext:
            keys.append(("ext", ext))
        elif mode == "email" and email:
            keys.append(("email", email.casefold()))
        keys.append(name_key)
        found, row = matcher.find(record, keys)
        if not found:
            continue
        if row is not None and row["account_id"] != account_id:
            plan.errors.append(
                Issue(record.row, f"{values['name']} already exists at another account.")
            )
            continue
        planned.append(Planned(record.row, row["id"] if row else fresh_id(), values, row))
        if count % CHECK_EVERY == 0:
            job.tick("Checking", count / len(records) / 2)
    records.clear()  # their values live on in ``planned``
    _resolve_managers(plan, planned, existing)
    job.settle(table, planned)
    accounts.add_new_to_plan()
    plan.creates["stakeholder"] = _depth_order(plan.creates["stakeholder"], "reports_to_id")


def _link(
    item: Planned,
    key: str,
    target: str,
    links: dict[str, str | None],
    *,
    if_itself: tuple[list[Issue], str],
) -> bool:
    """Point ``item`` at ``target`` through ``key`` and note the link in ``links`` for the
    cycle check; True when linked. A link to itself is refused instead: ``if_itself`` names
    the list its issue goes to (errors or warnings) and the message."""
    if target == item.row_id:
        issues, message = if_itself
        issues.append(Issue(item.row, message))
        return False
    item.values[key] = target
    links[item.row_id] = target
    return True


def _refuse_cycles(
    plan: ImportPlan, links: dict[str, str | None], items: list[Planned], message: str
) -> set[str]:
    """Ids of ``items`` on a cycle of ``links`` (child -> parent); each one's row is an error."""
    cycles = _find_cycles(links, [item.row_id for item in items])
    plan.errors.extend(Issue(item.row, message) for item in items if item.row_id in cycles)
    return cycles


def _resolve_managers(
    plan: ImportPlan, planned: list[Planned], existing: list[dict[str, Any]]
) -> None:
    """Reports-to by the manager's email, else name, among the same account's people."""
    by_email: dict[tuple[str, str], str] = {}
    by_name: dict[tuple[str, str | None], list[str]] = {}
    by_ext: dict[str, tuple[str, str]] = {}
    links: dict[str, str | None] = {}
    for row in existing:
        links[row["id"]] = row["reports_to_id"]
        if row["external_id"]:
            by_ext[row["external_id"]] = (row["id"], row["account_id"])
        if row["email"]:
            by_email[(row["account_id"], row["email"].casefold())] = row["id"]
        by_name.setdefault((row["account_id"], fold(row["name"])), []).append(row["id"])
    for item in planned:
        account_id = item.values["account_id"]
        if item.values.get("external_id"):
            by_ext[item.values["external_id"]] = (item.row_id, account_id)
        if item.values.get("email"):
            by_email[(account_id, item.values["email"].casefold())] = item.row_id
        names = by_name.setdefault((account_id, fold(item.values["name"])), [])
        if item.row_id not in names:
            names.append(item.row_id)
    touched = []
    for item in planned:
        manager_email = item.values.pop("reports_to_email", None)
        manager = item.values.pop("reports_to", None)
        manager_ext = item.values.pop("reports_to_external_id", None)
        if manager_email is None and manager is None and manager_ext is None:
            continue
        account_id = item.values["account_id"]
        manager_id: str | None = None
        if manager_ext is not None:
            found = by_ext.get(manager_ext)
            if found is not None and found[1] != account_id:
                plan.warnings.append(
                    Issue(
                        item.row,
                        f"Reports To ID {quoted(manager_ext)} is someone at another account; "
                        "left empty.",
                    )
                )
                continue
            manager_id = found[0] if found is not None else None
        if manager_id is None and manager_email is not None:
            manager_id = by_email.get((account_id, manager_email.casefold()))
        if manager_id is None and manager is not None:
            if "@" in manager:
                manager_id = by_email.get((account_id, manager.casefold()))
            else:
                ids = by_name.get((account_id, fold(manager)), [])
                if len(ids) > 1:
                    plan.warnings.append(
                        Issue(
                            item.row,
                            f"Reports To {quoted(manager)} names {len(ids)} people; left empty.",
                        )
                    )
                    continue
                manager_id = ids[0] if ids else None
        shown = manager_email or manager or manager_ext
        if manager_id is None:
            plan.warnings.append(
                Issue(
                    item.row,
                    f"Reports To {quoted(shown)} of {quoted(item.values['name'])} matches nobody "
                    "at the account; left empty.",
                )
            )
            continue
        themselves = (plan.warnings, "The contact reports to themselves; left empty.")
        if _link(item, "reports_to_id", manager_id, links, if_itself=themselves):
            touched.append(item)
    message = "The reporting lines form a cycle: someone is their own boss."
    cycles = _refuse_cycles(plan, links, touched, message)
    if cycles:
        planned[:] = [item for item in planned if item.row_id not in cycles]


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
