"""Book-wide health: bands and ARR per band, band flow, and the what-if against a recompute."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from app.models.enums import HealthBand
from app.services.book_health import (
    apply_scorecard,
    band_flow,
    band_summary,
    bands_on,
    current_scorecards,
    load_book_latest,
    what_if,
)
from app.services.rescoring import rescore
from tests.services.health_fixtures import add_account, add_weeks, use_scorecard

MONDAY = date(2026, 1, 5)
H = HealthBand


def book(store) -> dict[str, str]:
    """Five accounts; adoption 40..80 %, pulse 1..5; two weeks each, the second different."""
    use_scorecard(store)
    ids = {}
    for i, (adoption, pulse) in enumerate([(90, 5), (80, 3), (60, 2), (40, 4), (20, 1)]):
        acc = add_account(store, f"A{i}", arr=(i + 1) * 1000_00)
        add_weeks(
            store,
            acc,
            MONDAY,
            [
                {"active_users": 100, "licensed_users": 100, "pulse": 5},
                {"active_users": adoption, "licensed_users": 100, "pulse": pulse},
            ],
        )
        ids[f"A{i}"] = acc
    rescore(store)
    return ids


def test_band_summary_and_flow(store) -> None:
    ids = book(store)
    # second week: (60a + 40p) / 100 with p = (pulse - 1) * 25
    # A0: 54 + 40 = 94 green; A1: 48 + 20 = 68 yellow; A2: 36 + 10 = 46 red;
    # A3: 24 + 30 = 54 yellow; A4: 12 + 0 = 12 red. First week: all 100, green.
    with store.read() as session:
        summary = band_summary(session)
        flow = band_flow(session, MONDAY, MONDAY + timedelta(weeks=1))
        assert bands_on(session, MONDAY) == dict.fromkeys(ids.values(), H.GREEN)
    assert summary.accounts == {H.RED: 2, H.YELLOW: 2, H.GREEN: 1}
    assert summary.arr_minor == {H.RED: 800_00 * 10, H.YELLOW: 600_00 * 10, H.GREEN: 100_00 * 10}
    assert flow.moves == {(H.GREEN, H.GREEN): 1, (H.GREEN, H.YELLOW): 2, (H.GREEN, H.RED): 2}
    assert flow.changed == 4
    assert flow.arr_minor[(H.GREEN, H.RED)] == 800_00 * 10


def test_what_if_counts_match_a_full_recompute(store) -> None:
    ids = book(store)
    with store.read() as session:
        before = bands_on(session)
        latest = load_book_latest(session)
        now = current_scorecards(session)
    (stored,) = now
    # Red below 40, green from 65 (latest scores above: 94, 68, 46, 54, 12):
    # A1 68 -> green (its pulse at 50 pts is no longer red); A2 46 -> yellow; others stay.
    edited = replace(stored, red_below=40.0, green_from=65.0)
    result = what_if(latest, now, [edited])
    assert result.changed == 2
    assert result.moves == {(H.YELLOW, H.GREEN): 1, (H.RED, H.YELLOW): 1}
    assert result.arr_changed_minor == 2000_00 + 3000_00
    assert (result.better, result.worse) == (2, 0)
    assert [name for name, _, _ in result.accounts] == ["A1", "A2"]

    with store.session() as session:
        previous = apply_scorecard(session, edited)
    assert previous == stored
    with store.read() as session:
        after = bands_on(session)
    changed = {acc for acc in before if before[acc] != after[acc]}
    assert changed == {ids["A1"], ids["A2"]}

    # A weight change, checked only against the recompute.
    heavier = edited.with_measure("pulse", weight=90.0)
    with store.read() as session:
        result = what_if(load_book_latest(session), current_scorecards(session), [heavier])
    with store.session() as session:
        apply_scorecard(session, heavier)
    with store.read() as session:
        again = bands_on(session)
    assert result.changed == sum(1 for acc in after if after[acc] != again[acc])


def test_band_summary_converts_to_the_reporting_currency(store) -> None:
    from app.services.exchange import set_rate, set_reporting_currency

    book(store)  # five EUR accounts
    with store.session() as session:
        set_reporting_currency(session, "USD")
    with store.read() as session:
        summary = band_summary(session)
    # No EUR rate: the ARR is left out and the summary counts what it left out.
    assert (summary.currency, summary.other_currency) == ("USD", 5)
    assert summary.arr_minor == {H.RED: 0, H.YELLOW: 0, H.GREEN: 0}
    with store.session() as session:
        set_rate(session, "EUR", "1.1", MONDAY, today=MONDAY + timedelta(weeks=2))
    with store.read() as session:
        summary = band_summary(session)
    assert summary.other_currency == 0
    assert summary.arr_minor[H.RED] == 8_800_00  # A2 and A4 are red: EUR 8,000 x 1.1
