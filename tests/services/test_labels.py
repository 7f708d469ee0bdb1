"""How values read to a person: quoted in a sentence with typographic quotes, not Python's."""

from __future__ import annotations

from app.services.labels import quoted


def test_a_value_is_quoted_as_a_sentence_quotes_it() -> None:
    assert quoted("Morgan") == "“Morgan”"
    assert quoted("O'Brien") == "“O'Brien”"  # not "\"O'Brien\"", as repr would
    assert quoted("") == "“”"
