"""One Renewals tab per account: its contracts and its sub-accounts' (each with its account),
roll-up totals, and every action the old "Contracts & renewals" tab had, on the real window."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLineEdit
from sqlalchemy import select

from app.models import Contract, Renewal
from app.models.enums import ForecastCategory, RenewalOutcome
from app.services.renewal_dates import Terms
from app.services.renewals import OutcomeRequest
from app.views.account.forms import ItemForm
from app.views.calendar import renewals_tab

from .conftest import TODAY, Book

LEFT = Qt.MouseButton.LeftButton


def _fill_form(qtbot, answers: dict[str, str], done: list[str]) -> None:
    """Answer the modal item form with real keys, then click OK."""
    form = QApplication.activeModalWidget()
    if not isinstance(form, ItemForm):
        QTimer.singleShot(20, lambda: _fill_form(qtbot, answers, done))
        return
    for name, text in answers.items():
        line = form.findChild(QLineEdit, name)
        assert line is not None, name
        line.setFocus()
        line.selectAll()
        qtbot.keyClick(line, Qt.Key.Key_Delete)
        qtbot.keyClicks(line, text)
        qtbot.keyClick(line, Qt.Key.Key_Tab)
    ok = form.buttons.button(QDialogButtonBox.StandardButton.Ok)
    done.append("ok" if ok.isEnabled() else "refused")
    if ok.isEnabled():
        qtbot.mouseClick(ok, LEFT)
    else:
        form.reject()


def _click_row(qtbot, tab, contract_name: str) -> None:
    row = next(
        i for i, line in enumerate(tab.model.rows()) if line.contract.contract_name == contract_name
    )
    table = tab.table
    rect = table.visualRect(tab.model.index(row, 1))
    qtbot.mouseClick(table.viewport(), LEFT, pos=rect.center())
    assert tab.selected().contract.contract_name == contract_name


def _contracts(store) -> dict[str, tuple[str, int]]:
    """Contract name → (account id, annual value)."""
    with store.read() as session:
        rows = session.execute(select(Contract.name, Contract.account_id, Contract.value_minor))
        return {name: (account, value) for name, account, value in rows}


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)])
def test_a_parent_lists_its_sub_accounts_renewals_with_totals_and_every_action(
    qtbot, window, store, book: Book, monkeypatch, size
):
    window.resize(*size)
    assert "Contracts & renewals" not in window.workspace.tab_titles()
    assert window.workspace.tab_titles().count("Renewals") == 1
    window.open_account(book.acme, "Renewals")
    tab = window.workspace.current_tab()
    qtbot.waitUntil(lambda: tab.isVisible())
    # The child's contract renewing in 50 days is on the parent's tab, with its account.
    lines = tab.model.rows()
    assert [(ln.contract.account_name, ln.contract.contract_name) for ln in lines] == [
        ("Acme Germany", "Germany subscription")
    ]
    assert not tab.table.isColumnHidden(0)
    assert tab.model.index(0, 0).data() == "Acme Germany"
    summary = tab.summary.text()
    assert "1 open renewal" in summary and "$50,000" in summary
    assert "next: Acme Germany" in summary and "(50 days)" in summary

    # Add a contract to the parent: mouse on the button, keys in the form.
    done: list[str] = []
    answers = {
        "field_name": "Acme platform",
        "field_end_date": (TODAY + timedelta(days=120)).isoformat(),
        "field_value_minor": "80,000",
    }
    QTimer.singleShot(20, lambda: _fill_form(qtbot, answers, done))
    qtbot.mouseClick(tab.add_button, LEFT)
    assert done == ["ok"]
    assert _contracts(store)["Acme platform"] == (book.acme, 80_000_00)
    assert tab.selected().contract.contract_name == "Acme platform"
    summary = tab.summary.text()
    assert "2 open renewals</b> across 2 accounts" in summary
    assert "$130,000" in summary
    assert "Acme $80,000" in summary and "Acme Germany $50,000" in summary

    # Edit the sub-account's contract from the parent's tab.
    _click_row(qtbot, tab, "Germany subscription")
    done.clear()
    QTimer.singleShot(20, lambda: _fill_form(qtbot, {"field_name": "Germany suite"}, done))
    qtbot.mouseClick(tab.edit_button, LEFT)
    assert done == ["ok"]
    assert _contracts(store)["Germany suite"][0] == book.germany
    assert "Germany suite" in [ln.contract.contract_name for ln in tab.model.rows()]

    # The forecast call on the sub-account's renewal.
    _click_row(qtbot, tab, "Germany suite")
    tab.forecast.setCurrentIndex(tab.forecast.findData(ForecastCategory.AT_RISK))
    tab.likelihood.setValue(30)
    qtbot.mouseClick(tab.save_button, LEFT)
    with store.read() as session:
        renewal = session.scalars(select(Renewal)).one()
        assert renewal.forecast is ForecastCategory.AT_RISK and renewal.likelihood == 30

    # The renewal's recorded details (the old tab's "Renewal forecast…").
    done.clear()
    QTimer.singleShot(20, lambda: _fill_form(qtbot, {"field_likelihood": "45"}, done))
    qtbot.mouseClick(tab.details_button, LEFT)
    assert done == ["ok"]
    with store.read() as session:
        assert session.scalars(select(Renewal.likelihood)).one() == 45

    # Record the outcome: renewed into a new term, which the tab selects.
    monkeypatch.setattr(
        renewals_tab,
        "ask_outcome",
        lambda _parent, line: OutcomeRequest(
            RenewalOutcome.RENEWED,
            value_minor=line.contract.value_minor,
            terms=Terms(
                line.contract.end_date + timedelta(days=1),
                line.contract.end_date + timedelta(days=365),
                notice_days=90,
                auto_renew=False,
            ),
        ),
    )
    qtbot.mouseClick(tab.outcome_button, LEFT)
    with store.read() as session:
        terms = session.scalars(select(Contract.id).where(Contract.account_id == book.germany))
        assert len(list(terms)) == 2
    assert tab.selected().reading is not None

    # Delete the parent's own contract with the Delete key; undo brings it back.
    _click_row(qtbot, tab, "Acme platform")
    window.activateWindow()
    tab.table.setFocus()
    qtbot.waitUntil(tab.table.hasFocus)
    qtbot.keyClick(tab.table, Qt.Key.Key_Delete)
    assert "Acme platform" not in _contracts(store)
    assert "Acme platform" not in [ln.contract.contract_name for ln in tab.model.rows()]
    window.ctx.undo_stack.undo()
    assert "Acme platform" in _contracts(store)
    assert "Acme platform" in [ln.contract.contract_name for ln in tab.model.rows()]


def test_an_account_without_sub_accounts_hides_the_account_column(window, book: Book):
    window.open_account(book.globex, "Renewals")
    tab = window.workspace.current_tab()
    assert [ln.contract.contract_name for ln in tab.model.rows()] == ["Globex platform"]
    assert tab.table.isColumnHidden(0)
    assert "1 open renewal" in tab.summary.text()
    assert "across" not in tab.summary.text()


def test_a_change_in_a_sub_account_refreshes_the_parents_tab(qtbot, window, store, book: Book):
    window.open_account(book.acme, "Renewals")
    tab = window.workspace.current_tab()
    assert len(tab.model.rows()) == 1
    window.open_account(book.berlin, "Renewals")
    berlin = window.workspace.current_tab()
    done: list[str] = []
    answers = {
        "field_name": "Berlin office",
        "field_end_date": (TODAY + timedelta(days=30)).isoformat(),
    }
    QTimer.singleShot(20, lambda: _fill_form(qtbot, answers, done))
    qtbot.mouseClick(berlin.add_button, LEFT)
    assert done == ["ok"]
    window.open_account(book.acme, "Renewals")
    tab = window.workspace.current_tab()
    names = [ln.contract.contract_name for ln in tab.model.rows()]
    assert "Berlin office" in names  # a grandchild's contract too
    assert "next: Acme Berlin" in tab.summary.text()
