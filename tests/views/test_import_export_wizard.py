"""A whole CRM export through the real window: Ctrl+I, Folder…, kinds per file, check, import."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QWizard
from sqlalchemy import func, select

from app.imports.report import issue_lines
from app.models import Account, ImportBatch, Opportunity, Stakeholder
from app.models.store import Store
from app.views import import_support
from app.views.import_wizard import ImportWizard

SHOTS = Path(os.environ.get("FIELDBOOK_SHOTS", "/tmp/shots/imports"))

EXPORT = {
    "Account.csv": [
        "Id,Name,ParentId,Industry,AnnualRevenue,NumberOfEmployees,OwnerId,BillingCountry",
        "001A,Nordwind Holding,,Logistics,5.6E9,12000,005A,Germany",
        "001B,Nordwind Nordics,001A,Logistics,,800,005A,Sweden",
    ],
    "Contact.csv": [
        "Id,AccountId,FirstName,LastName,Email,Title,ReportsToId",
        "003A,001A,Greta,Berg,greta@nordwind.example,CEO,",
        "003B,001B,Lars,Holm,lars@nordwind.example,COO,",
    ],
    "Opportunity.csv": [
        "Id,AccountId,Name,StageName,Amount,CloseDate,Type,Probability,OwnerId",
        "006A,001B,Fleet tracking add-on,Negotiation/Review,4.5E4,2027-02-28,Upgrade,60,005A",
    ],
    "User.csv": ["Id,Name,Email,Username", "005A,Kim Nguyen,kim@us.example,kim@us.example.sf"],
    # Columns that fit opportunities and contracts alike: the wizard asks.
    "renewals.csv": [
        "Account Name,Name,Amount,Close Date,Contract End Date,Renewal Date",
        "Nordwind Holding,Renewal 2027,1000,2027-01-01,2027-01-31,2027-01-31",
    ],
}


def _count(store: Store, model: Any) -> int:
    with store.read() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def _click(qtbot: Any, button: QPushButton) -> None:
    assert button.isEnabled() and button.isVisible(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_a_folder_export_imports_through_the_main_window(
    qtbot: Any, window: Any, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "WE_00D_export"
    folder.mkdir()
    for name, lines in EXPORT.items():
        (folder / name).write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    monkeypatch.setattr(import_support, "ask_open_folder", lambda *_: str(folder))
    accounts_before, people_before = _count(store, Account), _count(store, Stakeholder)
    qtbot.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    wizard = window.findChild(ImportWizard)
    assert wizard is not None
    qtbot.waitExposed(wizard)
    folder_button = next(b for b in wizard.findChildren(QPushButton) if b.text() == "Folder…")
    _click(qtbot, folder_button)
    assert wizard.file_page.path_edit.text() == str(folder)
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    _click(qtbot, next_button)
    page = wizard.export_page
    assert wizard.currentPage() is page
    combos = page.combos
    assert combos["Account.csv"].currentData() == "accounts"
    assert combos["Opportunity.csv"].currentData() == "opportunities"
    assert combos["User.csv"].currentData() == "users"
    # The ambiguous file must be decided before going on.
    assert combos["renewals.csv"].currentData() == ""
    assert not next_button.isEnabled()
    assert "renewals.csv" in page.error.text()
    SHOTS.mkdir(parents=True, exist_ok=True)
    wizard.grab().save(str(SHOTS / "wizard_export_files.png"))
    combos["renewals.csv"].setCurrentIndex(combos["renewals.csv"].findData("contracts"))
    assert next_button.isEnabled()
    _click(qtbot, next_button)
    assert wizard.currentPage() is wizard.match_page
    _click(qtbot, next_button)
    check = wizard.dry_run_page
    qtbot.waitUntil(lambda: check.outcome is not None, timeout=30_000)
    assert check.isComplete(), check.summary.text()
    texts = [check.issues.item(i).text() for i in range(check.issues.count())]
    mapped = "Account.csv: “AnnualRevenue” → Company revenue (annual)"
    assert any(t.startswith(mapped) for t in texts)
    assert _count(store, Account) == accounts_before  # the check wrote nothing
    wizard.grab().save(str(SHOTS / "wizard_export_check.png"))
    _click(qtbot, next_button)
    commit = wizard.commit_page
    qtbot.waitUntil(commit.isComplete, timeout=30_000)
    # The users file first: it names the owners of the files after it.
    assert commit.summary.text().startswith("Imported User.csv: 1 row read")
    assert "Account.csv: 2 rows read, 2 created" in commit.summary.text()
    assert _count(store, Account) == accounts_before + 2
    with store.read() as session:
        deal = session.scalars(
            select(Opportunity).where(Opportunity.title == "Fleet tracking add-on")
        ).one()
        nordics = session.scalars(select(Account).where(Account.name == "Nordwind Nordics")).one()
        assert (deal.owner, deal.value_minor, deal.account_id) == (
            "Kim Nguyen",
            4_500_000,
            nordics.id,
        )
        assert nordics.annual_revenue_minor is None and nordics.employees == 800
        assert session.scalar(select(func.count()).select_from(ImportBatch)) == 1
    wizard.grab().save(str(SHOTS / "wizard_export_done.png"))
    assert commit.undo_button.isVisible()
    _click(qtbot, commit.undo_button)
    assert _count(store, Account) == accounts_before
    assert _count(store, Opportunity) == 0 and _count(store, Stakeholder) == people_before
    wizard.close()


def _run_to_check(qtbot: Any, wizard: ImportWizard, path: Path) -> None:
    wizard.file_page.set_path(str(path))
    for _ in range(4):  # preview, mapping, match, check
        wizard.next()
    assert wizard.currentPage() is wizard.dry_run_page
    qtbot.waitUntil(lambda: wizard.dry_run_page.outcome is not None, timeout=30_000)


def _wizard(qtbot: Any, store: Store) -> ImportWizard:
    from app.views.context import AppContext

    wizard = ImportWizard(AppContext(store))
    qtbot.addWidget(wizard)
    wizard.show()
    return wizard


def test_the_wizard_imports_the_good_rows_when_asked_and_saves_the_rest(
    qtbot: Any, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "contacts.csv"
    path.write_text(
        "First Name,Last Name,Email,Account Name\r\n"
        "Ana,Ruiz,ana@acme.example,Acme\r\n"
        "Cy,Po,not an email,Acme\r\n",
        encoding="utf-8",
    )
    wizard = _wizard(qtbot, store)
    _run_to_check(qtbot, wizard, path)
    check = wizard.dry_run_page
    assert not check.isComplete() and check.skip_box.isVisible()
    assert check.skip_box.text() == "Import the good rows and leave out the 1 row with errors"
    qtbot.mouseClick(check.skip_box, Qt.MouseButton.LeftButton)
    assert check.isComplete()
    wizard.next()
    qtbot.waitUntil(wizard.commit_page.isComplete, timeout=30_000)
    assert _count(store, Stakeholder) == 1
    rejects = tmp_path / "rejects.csv"
    monkeypatch.setattr(import_support, "ask_save_file", lambda *_: str(rejects))
    _click(qtbot, wizard.commit_page.rejects_button)
    assert rejects.read_text(encoding="utf-8-sig").splitlines()[1] == (
        "Cy,Po,not an email,Acme,Email: “not an email” is not an email address."
    )
    wizard.close()


def test_the_wizard_lists_fieldbook_edits_as_conflicts_and_keeps_them(
    qtbot: Any, store: Store, tmp_path: Path
) -> None:
    from app.services.accounts import update_account

    path = tmp_path / "Account.csv"
    path.write_text("Id,Name,OwnerId\r\n001A,Acme,Kim\r\n", encoding="utf-8")
    first = _wizard(qtbot, store)
    _run_to_check(qtbot, first, path)
    first.next()
    qtbot.waitUntil(first.commit_page.isComplete, timeout=30_000)
    first.close()
    with store.session() as session:
        acme = session.scalars(select(Account).where(Account.name == "Acme")).one()
        update_account(session, acme.id, {"owner": "Morgan"})
    path.write_text("Id,Name,OwnerId\r\n001A,Acme,Lee\r\n", encoding="utf-8")
    wizard = _wizard(qtbot, store)
    _run_to_check(qtbot, wizard, path)
    check = wizard.dry_run_page
    texts = [check.issues.item(i).text() for i in range(check.issues.count())]
    # Said once, as the command line says it under its "Conflicts:" heading (it read "Edited
    # in Fieldbook, row 2: “Acme” was edited in Fieldbook since the last import; ...").
    (conflict,) = [t for t in texts if "edited in Fieldbook" in t]
    assert conflict.startswith("Conflict, row 2: “Acme” was edited in Fieldbook since the last")
    assert conflict.casefold().count("edited in fieldbook") == 1
    (plan,) = check.plans()
    listed = issue_lines(plan)
    assert conflict == "Conflict, " + listed[listed.index("Conflicts:") + 1].strip()
    plainly = "Owner (CSM): Fieldbook has “Morgan”, the file has “Lee”."
    assert conflict.endswith(plainly)
    assert check.overwrite_box.isVisible()
    SHOTS.mkdir(parents=True, exist_ok=True)
    wizard.grab().save(str(SHOTS / "wizard_conflicts.png"))
    wizard.next()
    qtbot.waitUntil(wizard.commit_page.isComplete, timeout=30_000)
    with store.read() as session:
        assert session.scalars(select(Account.owner).where(Account.name == "Acme")).one() == (
            "Morgan"
        )
    wizard.close()


RENEWALS = {
    "Account.csv": ["Id,Name,OwnerId", "001A,Nordwind Holding,005A"],
    "Opportunity.csv": [
        "Id,AccountId,Name,StageName,Amount,CloseDate,Type,Probability,NextStep",
        "006R,001A,Nordwind renewal 2027,Negotiation/Review,9.6E4,2027-01-31,"
        "Existing Customer - Renewal,80,Send the renewal quote",
        "006U,001A,Fleet tracking add-on,Prospecting,4.5E4,2027-02-28,"
        "Existing Customer - Upgrade,20,",
    ],
}


def _through_the_window(qtbot: Any, window: Any) -> ImportWizard:
    window.activateWindow()  # back from a closed wizard: the shortcut needs the window active
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    # The one just opened (a closed one may linger until its deferred delete).
    wizard = next(w for w in window.findChildren(ImportWizard) if w.isVisible())
    qtbot.waitExposed(wizard)
    folder_button = next(b for b in wizard.findChildren(QPushButton) if b.text() == "Folder…")
    _click(qtbot, folder_button)
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    _click(qtbot, next_button)  # the files of the export
    assert wizard.currentPage() is wizard.export_page
    _click(qtbot, next_button)
    assert wizard.currentPage() is wizard.match_page
    return wizard


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)], ids=["1366x768", "1920x1080"])
def test_renewal_deals_go_in_as_contract_renewals_when_chosen(
    qtbot: Any,
    window: Any,
    store: Store,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    size: tuple[int, int],
) -> None:
    from app.models import Contract, Renewal
    from app.models.enums import ForecastCategory

    window.resize(*size)
    folder = tmp_path / "WE_00D_renewals"
    folder.mkdir()
    for name, lines in RENEWALS.items():
        (folder / name).write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    monkeypatch.setattr(import_support, "ask_open_folder", lambda *_: str(folder))
    contracts_before = _count(store, Contract)
    wizard = _through_the_window(qtbot, window)
    box = wizard.match_page.renewal_box
    assert box.isVisible() and not box.isChecked()
    SHOTS.mkdir(parents=True, exist_ok=True)
    wizard.grab().save(str(SHOTS / f"wizard_renewal_choice_{size[0]}.png"))
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton)
    assert box.isChecked()
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    _click(qtbot, next_button)
    check = wizard.dry_run_page
    qtbot.waitUntil(lambda: check.outcome is not None, timeout=30_000)
    assert check.isComplete(), check.summary.text()
    assert "Opportunity.csv as opportunities: 2 rows read, 2 to create" in check.summary.text()
    _click(qtbot, next_button)
    commit = wizard.commit_page
    qtbot.waitUntil(commit.isComplete, timeout=30_000)
    assert commit.summary.text().startswith("Imported ")
    wizard.grab().save(str(SHOTS / f"wizard_renewal_done_{size[0]}.png"))
    wizard.close()
    with store.read() as session:
        contract = session.scalars(
            select(Contract).where(Contract.name == "Nordwind renewal 2027")
        ).one()
        renewal = session.scalars(select(Renewal).where(Renewal.contract_id == contract.id)).one()
        assert (contract.end_date.isoformat(), contract.value_minor) == ("2027-01-31", 9_600_000)
        assert (renewal.forecast, renewal.likelihood, renewal.next_step) == (
            ForecastCategory.LIKELY,
            80,
            "Send the renewal quote",
        )
        titles = set(session.scalars(select(Opportunity.title)))
    assert "Nordwind renewal 2027" not in titles and "Fleet tracking add-on" in titles
    assert _count(store, Contract) == contracts_before + 1
    batches = _count(store, ImportBatch)
    # The same export again, the same choice: nothing changes and no import is recorded.
    again = _through_the_window(qtbot, window)
    assert again.match_page.renewal_box.isVisible()
    qtbot.mouseClick(again.match_page.renewal_box, Qt.MouseButton.LeftButton)
    next_button = again.button(QWizard.WizardButton.NextButton)
    _click(qtbot, next_button)
    qtbot.waitUntil(lambda: again.dry_run_page.outcome is not None, timeout=30_000)
    _click(qtbot, next_button)
    qtbot.waitUntil(again.commit_page.isComplete, timeout=30_000)
    assert again.commit_page.summary.text() == (
        "Nothing changed: the workspace already holds these records."
    )
    assert _count(store, ImportBatch) == batches
    again.close()


def test_a_users_file_alone_goes_through_the_wizard(
    qtbot: Any, store: Store, tmp_path: Path
) -> None:
    accounts = tmp_path / "Account.csv"
    accounts.write_text("Id,Name,OwnerId\r\n001A,Acme,005A\r\n", encoding="utf-8")
    first = _wizard(qtbot, store)
    _run_to_check(qtbot, first, accounts)
    first.next()
    qtbot.waitUntil(first.commit_page.isComplete, timeout=30_000)
    first.close()
    users = tmp_path / "User.csv"
    users.write_text("Id,Name,Username\r\n005A,Kim Nguyen,kim@us.example.sf\r\n", encoding="utf-8")
    wizard = _wizard(qtbot, store)
    _run_to_check(qtbot, wizard, users)
    check = wizard.dry_run_page
    assert not wizard.match_page.renewal_box.isVisible()  # no deals in a users file
    assert check.isComplete(), check.summary.text()
    texts = [check.issues.item(i).text() for i in range(check.issues.count())]
    assert (
        "Keeps the names of 1 of its 1 users for this and later imports; names the owner of 1 "
        "account already imported." in texts
    )
    assert "Update, Acme (account): Owner (CSM) 005A → Kim Nguyen" in texts
    SHOTS.mkdir(parents=True, exist_ok=True)
    wizard.grab().save(str(SHOTS / "wizard_users_alone.png"))
    wizard.next()
    qtbot.waitUntil(wizard.commit_page.isComplete, timeout=30_000)
    assert wizard.commit_page.summary.text().startswith("Imported User.csv: 1 row read")
    with store.read() as session:
        assert session.scalars(select(Account.owner).where(Account.name == "Acme")).one() == (
            "Kim Nguyen"
        )
    wizard.close()
