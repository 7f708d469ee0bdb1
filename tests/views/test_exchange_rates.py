"""File > Currency & Exchange Rates in the real window: validation beside the fields, Today
converts with what the user saved, and a bad rate changes nothing."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QDate, Qt

from app.models import ExchangeRate
from app.services.exchange import list_rates
from app.views.today import TodayView

from .conftest import TODAY


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)])
def test_rates_dialog_from_the_menu(window, qtbot, store, size) -> None:
    window.resize(*size)
    window.actions_by_id["home"].trigger()
    qtbot.waitUntil(lambda: window.findChild(TodayView) is not None)
    today = window.findChild(TodayView)
    qtbot.waitUntil(lambda: today.cards["arr"].value.text() == "$180K")
    assert "Leaves out €100K (EUR): no rate to USD." in today.cards["arr"].note.text()
    window.actions_by_id["exchange_rates"].trigger()
    dialog = window.rates_dialog
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.reporting_edit.text() == "USD"
    assert dialog.missing.text() == "No rate yet for EUR: totals leave those amounts out."

    # Bad input: the message sits beside the field and Save stays off.
    qtbot.keyClicks(dialog.currency_edit, "EUX")
    assert dialog.currency_error.isVisible()
    assert dialog.currency_error.text() == "EUX is not a currency code (e.g. EUR)."
    assert not dialog.save_button.isEnabled()
    dialog.currency_edit.clear()
    qtbot.keyClicks(dialog.currency_edit, "eur")
    qtbot.keyClicks(dialog.rate_edit, "-1")
    assert dialog.rate_error.text() == "A rate must be a number above zero."
    assert not dialog.save_button.isEnabled()
    with store.read() as session:
        assert list_rates(session) == []

    dialog.rate_edit.clear()
    qtbot.keyClicks(dialog.rate_edit, "1.10")
    dialog.date_edit.setDate(QDate(TODAY.year, TODAY.month, 1))
    assert dialog.save_button.isEnabled() and not dialog.rate_error.isVisible()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    with store.read() as session:
        rows = [(r.currency, r.quote, r.rate) for r in session.query(ExchangeRate)]
    assert rows == [("EUR", "USD", "1.1")]
    assert dialog.table.rowCount() == 1
    assert dialog.table.item(0, 1).text() == "1 EUR = 1.1 USD"
    assert dialog.missing.text() == "Every currency in the book has a rate."
    # Today converts with it and says which rate date it used.
    qtbot.waitUntil(lambda: today.cards["arr"].value.text() == "$290K")
    rates_on = f"{TODAY:%b} 1, {TODAY:%Y}"  # the rate date set above
    assert today.cards["arr"].note.text().endswith(f"Converted at rates of {rates_on}.")

    # Remove it again by selecting its row.
    dialog.table.selectRow(0)
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    with store.read() as session:
        assert list_rates(session) == []
    qtbot.waitUntil(lambda: today.cards["arr"].value.text() == "$180K")
    dialog.close()


def test_reporting_currency_validated_beside_the_field(window, qtbot, store) -> None:
    window.actions_by_id["exchange_rates"].trigger()
    dialog = window.rates_dialog
    dialog.reporting_edit.clear()
    qtbot.keyClicks(dialog.reporting_edit, "ZZ")
    assert dialog.reporting_error.text() == "ZZ is not a currency code (e.g. EUR)."
    assert not dialog.reporting_button.isEnabled()
    dialog.reporting_edit.clear()
    qtbot.keyClicks(dialog.reporting_edit, "eur")
    qtbot.mouseClick(dialog.reporting_button, Qt.MouseButton.LeftButton)
    assert dialog.reporting_edit.text() == "EUR"
    assert dialog.missing.text() == "No rate yet for USD: totals leave those amounts out."
    dialog.close()


def test_a_rate_reads_as_one_line_with_its_currency(window, qtbot) -> None:
    """The rate reads "equals [1.08] USD" on one line, its message under it: the reporting
    currency sat alone on the next row, under the message when there was one."""
    window.actions_by_id["exchange_rates"].trigger()
    dialog = window.rates_dialog
    qtbot.waitUntil(dialog.isVisible)
    qtbot.keyClicks(dialog.rate_edit, "-1")
    assert dialog.rate_error.isVisible()
    rate, quote = dialog.rate_edit.geometry(), dialog.quote_label.geometry()
    assert dialog.quote_label.text() == "USD"
    assert quote.left() >= rate.right() and abs(quote.center().y() - rate.center().y()) <= 2
    assert dialog.rate_error.geometry().top() >= rate.bottom()
    dialog.close()
