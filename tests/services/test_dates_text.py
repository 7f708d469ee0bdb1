"""How a date reads: each named form in en_US, en_GB and de_DE, following money's locale."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime

import pytest

from app.services import dates_text, money

DAY = date(2026, 12, 3)  # a Thursday
# CLDR puts thin and narrow no-break spaces in some forms; compared as plain spaces here.
SPACES = str.maketrans({"\u2009": " ", "\u202f": " ", "\u00a0": " "})


@pytest.fixture(autouse=True)
def _back_to_en_us() -> Iterator[None]:
    yield
    money.set_locale("en_US")


@pytest.mark.parametrize(
    ("form", "en_us", "en_gb", "de_de"),
    [
        (dates_text.day, "Dec 3, 2026", "3 Dec 2026", "3. Dez. 2026"),
        (dates_text.compact_day, "Dec 3, ’26", "3 Dec ’26", "3. Dez. 2026"),
        (dates_text.short_day, "Dec 3", "3 Dec", "3. Dez."),
        (dates_text.weekday_day, "Thu, Dec 3, 2026", "Thu, 3 Dec 2026", "Do., 3. Dez. 2026"),
        (dates_text.short_weekday_day, "Thu, Dec 3", "Thu 3 Dec", "Do., 3. Dez."),
        (
            dates_text.long_day,
            "Thursday, December 3, 2026",
            "Thursday, 3 December 2026",
            "Donnerstag, 3. Dezember 2026",
        ),
        (dates_text.month, "Dec 2026", "Dec 2026", "Dez. 2026"),
        (dates_text.long_month, "December 2026", "December 2026", "Dezember 2026"),
        (dates_text.month_name, "Dec", "Dec", "Dez"),
    ],
)
def test_day_forms_follow_the_locale(
    form: Callable[[date], str], en_us: str, en_gb: str, de_de: str
) -> None:
    for locale, expected in (("en_US", en_us), ("en_GB", en_gb), ("de_DE", de_de)):
        money.set_locale(locale)
        assert form(DAY).translate(SPACES) == expected, locale


def test_a_moment_reads_its_day_and_local_time() -> None:
    at = datetime(2026, 12, 3, 14, 30, 59)  # naive: already local
    expected = {"en_US": "Dec 3, 2026, 2:30 PM", "en_GB": "3 Dec 2026, 14:30"}
    expected["de_DE"] = "3. Dez. 2026, 14:30"
    for locale, text in expected.items():
        money.set_locale(locale)
        assert dates_text.moment(at).translate(SPACES) == text, locale
    money.set_locale("en_GB")
    assert dates_text.time_of_day(at) == "14:30"
    aware = datetime(2026, 12, 3, 14, 30, tzinfo=UTC)
    assert dates_text.moment(aware) == dates_text.moment(aware.astimezone().replace(tzinfo=None))


def test_a_span_says_the_shared_month_and_year_once() -> None:
    end = date(2026, 12, 9)
    cases = {
        "en_US": ("Dec 3 – 9, 2026", "Dec 3, 2026 – Jan 9, 2027"),
        "en_GB": ("3 – 9 Dec 2026", "3 Dec 2026 – 9 Jan 2027"),
        "de_DE": ("3.–9. Dez. 2026", "3. Dez. 2026 – 9. Jan. 2027"),
    }
    for locale, (same_month, across_years) in cases.items():
        money.set_locale(locale)
        assert dates_text.span(DAY, end).translate(SPACES) == same_month, locale
        assert dates_text.span(DAY, date(2027, 1, 9)).translate(SPACES) == across_years, locale
        assert dates_text.span(DAY, DAY) == dates_text.day(DAY)


def test_a_locale_change_is_seen_at_once_despite_the_cache() -> None:
    money.set_locale("en_US")
    assert dates_text.day(DAY) == "Dec 3, 2026"
    money.set_locale("en_GB")
    assert dates_text.day(DAY) == "3 Dec 2026"
    money.set_locale("en_US")
    assert dates_text.day(DAY) == "Dec 3, 2026"
    assert dates_text.day_pattern() == "MMM d, y" and dates_text.locale_name() == "en_US"


def test_the_process_locale_c_reads_as_en_us(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LC_ALL", "C")
    money.set_locale(None)
    assert dates_text.day(DAY) == "Dec 3, 2026"
