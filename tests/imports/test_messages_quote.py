"""What an import tells a person quotes the file's text as the rest of Fieldbook does
(``labels.quoted``: “lots”), not as Python writes a string ('lots', or "O'Brien")."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from app.imports.amounts import parse_currency, parse_money
from app.imports.dates import parse_date
from app.imports.mapping import Mapping
from app.imports.sources import ImportRefused
from app.imports.values import ValueProblem, parse_bool, parse_decimal, parse_int


@pytest.mark.parametrize(
    ("parse", "cell", "message"),
    [
        (parse_decimal, "lots", "“lots” is not a number."),
        (parse_decimal, "1.2.3,4", "“1.2.3,4” has misplaced separators."),
        (parse_int, "2.5", "“2.5” is not a whole number."),
        (parse_bool, "perhaps", "“perhaps” is not yes or no."),
        (parse_money, "lots", "“lots” is not an amount of money."),
        (parse_currency, "Doubloons", "“Doubloons” is not a currency code, symbol or name."),
        (parse_date, "O'Brien", "“O'Brien” is not a date in a form Fieldbook reads."),
    ],
)
def test_a_cell_fieldbook_cannot_read_is_quoted_as_people_quote(
    parse: Callable[[Any], Any], cell: str, message: str
) -> None:
    with pytest.raises(ValueProblem) as raised:
        parse(cell)
    assert str(raised.value) == message


def test_a_mapping_refusal_quotes_the_files_columns() -> None:
    with pytest.raises(ImportRefused) as raised:
        Mapping("accounts", {"name": "Client"}).check_against(["Customer", "O'Brien"], "x.csv")
    assert str(raised.value) == (
        "x.csv has no column “Client”, which the mapping uses for account name; its columns "
        "are “Customer”, “O'Brien”."
    )
