"""Round trip: the portfolio report's Accounts and Stakeholders sheets import back."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from app.exports.portfolio_report import export_report
from app.imports.commit import import_to_path
from app.models import REVENUE_LINES, Account, Stakeholder
from app.models.opening import open_workspace
from app.services.demo import generate_demo
from tests.conftest import fresh_workspace

TODAY = date(2026, 6, 1)


def _book(db: str) -> dict[str, tuple[Any, ...]]:
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


def _people(db: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every stakeholder as the Stakeholders sheet shows them, by account name, sorted.

    The sheet (and so the round trip) does not carry what a CRM contact has no column for:
    relationship strength, executive sponsor, where a departed person went and whether they
    are a lead, successor, our counterpart, private notes, other map lines and card places.
    """
    store = open_workspace(db)
    try:
        with store.read() as session:
            accounts = {a.id: a.name for a in session.scalars(select(Account))}
            people = session.scalars(select(Stakeholder)).all()
            names = {p.id: p.name for p in people}
            out: dict[str, list[tuple[Any, ...]]] = {}
            for p in people:
                out.setdefault(accounts[p.account_id], []).append(
                    (
                        p.name,
                        p.title,
                        p.department,
                        p.email,
                        p.phone,
                        names.get(p.reports_to_id or ""),
                        p.role,
                        p.influence,
                        p.sentiment,
                        p.last_contact_on,
                        p.departed,
                        p.departed_on,
                    )
                )
            return {name: sorted(rows, key=repr) for name, rows in out.items()}
    finally:
        store.close()


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A demo book (a file, or a database on the test server) and its portfolio report."""
    folder = tmp_path_factory.mktemp("roundtrip")
    with fresh_workspace(folder, "source.db") as source:
        store = open_workspace(source, create=True)
        # A seed whose 25 accounts bill in USD, EUR and GBP (the demo draws its surveys too).
        generate_demo(store, accounts=25, seed=3, today=TODAY)
        report = folder / "report.xlsx"
        export_report(store, report, today=TODAY)
        store.close()
        yield source, report


def test_the_accounts_sheet_of_the_portfolio_report_imports_back(
    exported: tuple[str, Path], workspace_target: str
) -> None:
    source, report = exported
    original = _book(source)
    # The sample exercises what matters: sub-accounts, and amounts in several currencies
    # written as bare numbers in currency-formatted cells.
    assert len(original) == 25
    assert {row[3] for row in original.values()} == {"USD", "EUR", "GBP"}
    assert sum(1 for row in original.values() if row[0] is not None) > 5

    outcome = import_to_path(workspace_target, report, sheet="Accounts")

    assert outcome.plan.kind == "accounts"
    assert outcome.committed, outcome.plan.errors[:5]
    assert outcome.plan.created_rows == 25
    assert _book(workspace_target) == original


def test_the_stakeholders_sheet_imports_back_after_the_accounts(
    exported: tuple[str, Path], workspace_target: str
) -> None:
    source, report = exported
    original = _people(source)
    every = [p for rows in original.values() for p in rows]
    # The sample exercises what matters: reporting lines, roles, people without an email
    # or phone, departed people, both ends of the sentiment scale.
    assert len(every) > 100 and len(original) == 25
    assert sum(p[5] is not None for p in every) > 50
    assert {p[6] for p in every} > {None}
    assert any(p[10] and p[11] is not None for p in every)
    assert {p[8] for p in every} >= {-1, 1}
    copy = workspace_target
    assert import_to_path(copy, report, sheet="Accounts").committed

    outcome = import_to_path(copy, report, sheet="Stakeholders")

    assert outcome.plan.kind == "contacts"  # detected from the headers alone
    assert outcome.committed, outcome.plan.errors[:5]
    assert outcome.plan.warnings == []  # every reports-to resolved
    assert outcome.plan.new_accounts == 0  # every row found its account by name
    assert outcome.plan.created_rows == len(every)
    assert _people(copy) == original


def test_the_command_line_imports_both_sheets(
    exported: tuple[str, Path], workspace_target: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from app.cli import main

    source, report = exported
    copy = workspace_target
    assert main(["import", "--db", copy, str(report), "--sheet", "Accounts"]) == 0
    argv = ["import", "--db", copy, str(report), "--sheet", "Stakeholders", "--kind", "contacts"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    people = sum(len(rows) for rows in _people(source).values())
    assert f"as contacts: {people} rows read, {people} created" in out
    assert "new account" not in out
    assert _people(copy) == _people(source)
