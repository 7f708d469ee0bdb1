"""Round trip: the portfolio report's Accounts sheet imports back into an empty workspace."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.exports.portfolio_report import export_report
from app.imports.commit import import_to_path
from app.models import REVENUE_LINES, Account
from app.models.store import open_workspace
from app.services.demo import generate_demo

TODAY = date(2026, 6, 1)


def _book(db: Path) -> dict[str, tuple[Any, ...]]:
    """Every account as the report shows it: name -> parent, owner, segment, money."""
    store = open_workspace(db)
    try:
        with store.read() as session:
            accounts = session.scalars(select(Account)).all()
            names = {a.id: a.name for a in accounts}
            return {
                a.name: (
                    names.get(a.parent_id or ""),
                    a.owner,
                    a.segment,
                    a.currency,
                    *(getattr(a, line) for line in REVENUE_LINES),
                )
                for a in accounts
            }
    finally:
        store.close()


def test_the_accounts_sheet_of_the_portfolio_report_imports_back(tmp_path: Path) -> None:
    source = tmp_path / "source.db"
    store = open_workspace(source, create=True)
    generate_demo(store, accounts=25, seed=2, today=TODAY)
    report = tmp_path / "report.xlsx"
    export_report(store, report, today=TODAY)
    store.close()
    original = _book(source)
    # The sample exercises what matters: sub-accounts, and amounts in several currencies
    # written as bare numbers in currency-formatted cells.
    assert len(original) == 25
    assert {row[3] for row in original.values()} == {"USD", "EUR", "GBP"}
    assert sum(1 for row in original.values() if row[0] is not None) > 5

    outcome = import_to_path(tmp_path / "copy.db", report, sheet="Accounts")

    assert outcome.plan.kind == "accounts"
    assert outcome.committed, outcome.plan.errors[:5]
    assert outcome.plan.created_rows == 25
    assert _book(tmp_path / "copy.db") == original
