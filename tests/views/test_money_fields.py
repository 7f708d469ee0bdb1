"""Money fields read and show amounts in the record's currency's own precision."""

from __future__ import annotations

import pytest

from app.views.account.fields import FieldSpec

ARR = FieldSpec("arr_minor", "ARR", "money")


def test_yen_amounts_have_no_minor_unit() -> None:
    assert ARR.parse("125,000", "JPY") == 125_000
    assert ARR.to_text(125_000, "JPY") == "125,000"
    with pytest.raises(ValueError, match="no decimals for JPY"):
        ARR.parse("125,000.50", "JPY")


def test_dollars_keep_cents_and_dinars_three_digits() -> None:
    assert ARR.parse("125,000.50", "USD") == 12_500_050
    assert ARR.to_text(12_500_050, "USD") == "125,000.50"
    assert ARR.parse("1.250", "BHD") == 1250


def test_the_item_form_reads_amounts_in_the_currency_beside_them(qtbot) -> None:
    from app.views.account.forms import ItemForm

    specs = [
        FieldSpec("currency", "Currency", "currency"),
        FieldSpec("value_minor", "Value", "money"),
    ]
    form = ItemForm("Contract", specs, {"currency": "USD", "value_minor": 12_345})
    qtbot.addWidget(form)
    value = form.editors["value_minor"]
    assert value.input.text() == "123.45"
    currency = form.editors["currency"].input
    currency.clear()
    qtbot.keyClicks(currency, "JPY")
    # 123.45 has decimals yen cannot have: the message sits beside the field.
    assert not value.error.isHidden()
    assert "no decimals for JPY" in value.error.text()
    value.input.clear()
    qtbot.keyClicks(value.input, "12,345")
    assert form.result_values()["value_minor"] == 12_345
