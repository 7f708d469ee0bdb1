"""``fieldbook rates list|set|remove|reporting``: one sentence and exit 2 on bad input."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.cli import main
from app.models import Account, ExchangeRate


@pytest.fixture
def db(store) -> str:
    with store.session() as session:
        session.add(Account(name="Acme", currency="USD", arr_minor=100_000_00))
        session.add(Account(name="Acme Inc", currency="USD", arr_minor=1_000_00))
        session.add(Account(name="Euro GmbH", currency="EUR", arr_minor=200_000_00))
    path = str(store.path or store.url)  # a file, or a team workspace's address
    store.close()
    return path


def rows(db: str) -> list[tuple[str, str, str, date]]:
    from app.models.opening import open_workspace

    store = open_workspace(db)
    try:
        with store.read() as session:
            found = session.scalars(select(ExchangeRate)).all()
            return [(r.currency, r.quote, r.rate, r.as_of) for r in found]
    finally:
        store.close()


def test_set_list_remove(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rates", "list", "--db", db]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Reporting currency: USD\n")  # the currency most accounts use
    assert "No exchange rates yet" in out
    assert main(["rates", "set", "eur", "1.08", "--date", "2026-11-30", "--db", db]) == 0
    assert capsys.readouterr().out == "1 EUR = 1.08 USD (as of Nov 30, 2026).\n"
    assert rows(db) == [("EUR", "USD", "1.08", date(2026, 11, 30))]
    assert main(["rates", "list", "--db", db]) == 0
    assert "  1 EUR = 1.08 USD  (as of Nov 30, 2026)" in capsys.readouterr().out
    assert main(["rates", "remove", "EUR", "--db", db]) == 0
    assert rows(db) == []


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["set", "EUR", "abc"], "abc is not a number."),
        (["set", "EUR", "-1"], "A rate must be a number above zero."),
        (["set", "EUR", "0"], "A rate must be a number above zero."),
        (["set", "XXY", "1.1"], "XXY is not a currency code (e.g. EUR)."),
        (["set", "USD", "1"], "USD is the reporting currency; it needs no rate."),
        (["set", "EUR", "1.1", "--date", "30/11/2026"], "30/11/2026 is not a date like"),
        (
            ["set", "EUR", "1.1", "--date", "2999-01-01"],
            "The rate date Jan 1, 2999 is after today.",
        ),
        (["remove", "GBP"], "There is no rate from GBP to USD to remove."),
        (["reporting", "dollars"], "dollars is not a currency code (e.g. EUR)."),
    ],
)
def test_bad_input_is_one_sentence_exit_2_nothing_changed(
    db: str, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    assert main(["rates", "set", "EUR", "1.08", "--date", "2026-11-30", "--db", db]) == 0
    capsys.readouterr()
    assert main(["rates", *argv, "--db", db]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"fieldbook: {message}")
    assert err.count("\n") == 1
    assert rows(db) == [("EUR", "USD", "1.08", date(2026, 11, 30))]


def test_reporting_currency(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rates", "reporting", "--db", db]) == 0
    assert capsys.readouterr().out == "USD\n"
    assert main(["rates", "reporting", "eur", "--db", db]) == 0
    assert capsys.readouterr().out == "Totals are reported in EUR.\n"
    assert main(["rates", "set", "USD", "0.93", "--db", db]) == 0
    assert [r[:3] for r in rows(db)] == [("USD", "EUR", "0.93")]
