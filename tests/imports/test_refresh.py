"""Refreshing from the CRM: the same file twice, a newer export, and edits made in Fieldbook."""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app import imports
from app.imports.commit import import_table
from app.imports.detection import detect_mapping
from app.imports.refresh import shown
from app.imports.report import issue_lines
from app.imports.sources import open_table
from app.models import Account, ImportBatch
from app.models.enums import Segment
from app.models.store import Store
from app.services.accounts import update_account

FIRST = [
    "Id,Name,Industry,OwnerId,NumberOfEmployees,AnnualRevenue",
    "001A,Acme,Retail,Kim,500,1.0E7",
    "001B,Beta,Energy,Kim,80,",
]
NEWER = [
    "Id,Name,Industry,OwnerId,NumberOfEmployees,AnnualRevenue",
    "001A,Acme,Retail,Lee,650,1.0E7",
    "001B,Beta,Utilities,Kim,80,",
]


def _import(store: Store, tmp_path: Path, lines: list[str], **kw: Any) -> Any:
    path = tmp_path / "Account.csv"
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    table = open_table(path)
    return import_table(store, table, detect_mapping(table.headers), **kw)


def _account(store: Store, name: str) -> Account:
    with store.read() as session:
        account = session.scalars(select(Account).where(Account.name == name)).one()
        session.expunge(account)
        return account


def test_the_same_file_twice_changes_nothing(store: Store, tmp_path: Path) -> None:
    assert _import(store, tmp_path, FIRST).committed
    again = _import(store, tmp_path, FIRST).plan
    assert (again.created_rows, again.updated_rows, again.skipped) == (0, 0, 2)
    assert again.conflicts == [] and again.changed == []


def test_a_newer_export_updates_only_what_changed_and_says_which(
    store: Store, tmp_path: Path
) -> None:
    assert _import(store, tmp_path, FIRST).committed
    outcome = _import(store, tmp_path, NEWER)
    plan = outcome.plan
    assert outcome.committed and (plan.updated_rows, plan.skipped) == (2, 0)
    assert plan.changed == [(2, "Acme", ["Employees", "Owner (CSM)"]), (3, "Beta", ["Industry"])]
    assert issue_lines(plan)[:3] == [
        "Updates (row, record: fields changed):",
        "  row 2, Acme: Employees, Owner (CSM)",
        "  row 3, Beta: Industry",
    ]
    acme = _account(store, "Acme")
    assert (acme.owner, acme.employees, acme.annual_revenue_minor) == ("Lee", 650, 1_000_000_000)


def test_a_field_edited_in_fieldbook_is_a_conflict_not_overwritten(
    store: Store, tmp_path: Path
) -> None:
    assert _import(store, tmp_path, FIRST).committed
    acme_id = _account(store, "Acme").id
    with store.session() as session:
        update_account(session, acme_id, {"owner": "Morgan"})  # the CSM took the account over
    outcome = _import(store, tmp_path, NEWER)
    plan = outcome.plan
    assert outcome.committed
    assert [(c.row, c.message) for c in plan.conflicts] == [
        (
            2,
            "“Acme” was edited in Fieldbook since the last import; Fieldbook's values are "
            "kept. Employees: Fieldbook has 500, the file has 650; Owner (CSM): Fieldbook has "
            "“Morgan”, the file has “Lee”.",
        )
    ]
    # Acme is a conflict, not "unchanged": the file differs from what Fieldbook keeps.
    assert plan.summary() == "2 rows read, 0 to create, 1 to update, 0 unchanged, 1 conflict"
    assert _account(store, "Acme").owner == "Morgan"
    assert _account(store, "Beta").industry == "Utilities"  # not edited here: refreshed
    # The user may choose the file's values.
    chosen = _import(store, tmp_path, NEWER, overwrite_edits=True)
    assert chosen.committed and chosen.plan.conflicts == []
    assert (_account(store, "Acme").owner, _account(store, "Acme").employees) == ("Lee", 650)
    with store.read() as session:
        assert len(session.scalars(select(ImportBatch)).all()) == 3


def test_a_conflicts_values_read_as_a_sentence_quotes_them() -> None:
    assert shown("Lee") == "“Lee”"
    assert shown(None) == "nothing"  # "Fieldbook has nothing", not "Fieldbook has empty"
    assert shown(1_500) == "1,500"
    assert shown("x" * 50) == "“" + "x" * 39 + "…”"


def test_a_conflicts_amounts_days_and_choices_read_as_the_window_shows_them() -> None:
    revenue = Account.__table__.c.annual_revenue_minor
    assert shown(1_000_000_000, revenue, "USD") == "$10,000,000.00"  # not 1,000,000,000
    assert shown(1_000_000_000, revenue, "EUR") == "€10,000,000.00"
    assert shown(date(2026, 5, 4)) == "May 4, 2026"  # not 2026-05-04
    assert shown(Segment.MID_MARKET) == "Mid-market"  # not mid_market
    assert shown("mid_market", Account.__table__.c.segment) == "Mid-market"


def test_a_field_the_import_does_not_list_reads_as_the_window_names_it(
    store: Store, tmp_path: Path
) -> None:
    # build_job spelled such a column itself (parent_id → "Parent"); now labels.field_label
    # names it, a reference by what it refers to, and no import spells a column by hand.
    assert _import(store, tmp_path, FIRST).committed
    moved = [
        "Id,Name,Industry,OwnerId,NumberOfEmployees,AnnualRevenue,ParentId",
        "001A,Acme,Retail,Kim,500,1.0E7,",
        "001B,Beta,Energy,Kim,80,,001A",
    ]
    plan = _import(store, tmp_path, moved).plan
    assert plan.changed == [(3, "Beta", ["Parent"])]
    by_hand = []
    for path in sorted(Path(imports.__file__).parent.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            # key.replace("_", " ").capitalize(): a column's name made into words
            if (
                isinstance(node, ast.Attribute)
                and node.attr == "capitalize"
                and isinstance(node.value, ast.Call)
                and isinstance(node.value.func, ast.Attribute)
                and node.value.func.attr == "replace"
            ):
                by_hand.append(f"{path.name}:{node.lineno}")
    assert by_hand == []
