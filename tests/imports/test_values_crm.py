"""Values as CRM exports write them: scientific notation, currency words, decimal comma files."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from app.imports.amounts import parse_currency, parse_money
from app.imports.commit import import_table
from app.imports.detection import detect_mapping
from app.imports.sources import open_table
from app.imports.values import ValueProblem, decimal_convention, parse_bool
from app.models import Account
from app.models.store import Store


@pytest.mark.parametrize(
    ("text", "flag"),
    [("TRUE", True), ("False", False), ("Yes", True), ("no", False), ("1", True), ("0", False)],
)
def test_booleans_in_every_spelling(text: str, flag: bool) -> None:
    assert parse_bool(text) is flag


def test_unknown_currency_words_say_what_they_are() -> None:
    with pytest.raises(ValueProblem, match="“Doubloons” is not a currency code, symbol or name"):
        parse_currency("Doubloons")
    assert parse_currency("Swiss Franc") == "CHF" and parse_currency("€") == "EUR"


def test_zero_decimal_currencies_keep_whole_units() -> None:
    assert parse_money("¥1,500").minor == 1500
    assert parse_money("1500", default_currency="KRW").minor == 1500
    assert parse_money("1500", default_currency="KWD").minor == 1_500_000  # three decimals


@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=0, max_value=99))
def test_a_decimal_comma_file_reads_every_amount_right(units: int, cents: int) -> None:
    grouped = f"{units:,}".replace(",", ".")
    text = f"{grouped},{cents:02d}"
    assert decimal_convention(text) is True
    money = parse_money(text, decimal_comma=True)
    assert money.amount == Decimal(units) + Decimal(cents) / 100


def test_a_decimal_comma_file_is_detected_per_file(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "konten.csv"
    path.write_text("Account Name;ARR;Licences\nAcme;1.500;10\nBeta;2.000,50;3\n", encoding="utf-8")
    table = open_table(path)
    outcome = import_table(store, table, detect_mapping(table.headers))
    assert outcome.committed, outcome.plan.errors
    assert outcome.plan.mapping is not None and outcome.plan.mapping.decimal_comma is True
    with store.read() as session:
        arr = dict(session.execute(select(Account.name, Account.arr_minor)).all())
    assert arr == {"Acme": 150_000, "Beta": 200_050}
