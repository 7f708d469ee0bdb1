"""Roll-ups over a hand-built account tree, and the tree rows query."""

from __future__ import annotations

from datetime import date

import pytest

from app.models import Account, Contract, HealthScore
from app.models.enums import ContractStatus, HealthBand
from app.models.guards import HierarchyCycleError
from app.models.store import Store
from app.services.hierarchy import (
    ancestor_ids,
    descendant_ids,
    load_account_rows,
    reparent,
    rollup,
    rollup_revenue,
)


@pytest.fixture
def book(store: Store) -> dict[str, str]:
    """Globex (USD) > Europe (USD) > France (USD) and Germany (EUR); Initech alone."""
    with store.session() as s:
        globex = Account(name="Globex", arr_minor=100_00, overdue_debt_minor=5_00)
        europe = Account(name="Globex Europe", parent=globex, arr_minor=50_00)
        france = Account(name="Globex France", parent=europe, arr_minor=20_00)
        germany = Account(name="Globex Germany", parent=europe, arr_minor=30_00, currency="EUR")
        initech = Account(name="Initech", arr_minor=7_00, overdue_debt_minor=1_00)
        s.add_all([globex, europe, france, germany, initech])
        s.flush()
        for account, end, status in [
            (globex, date(2027, 6, 30), ContractStatus.ACTIVE),
            (france, date(2027, 2, 28), ContractStatus.ACTIVE),
            (germany, date(2026, 12, 31), ContractStatus.CHURNED),  # not open: ignored
            (initech, date(2027, 1, 15), ContractStatus.ACTIVE),
        ]:
            s.add(
                Contract(
                    account_id=account.id,
                    name="Platform",
                    start_date=date(2026, 1, 1),
                    end_date=end,
                    status=status,
                )
            )
        for account, as_of, score, band in [
            (globex, date(2026, 11, 9), 80.0, HealthBand.GREEN),
            (germany, date(2026, 10, 26), 90.0, HealthBand.GREEN),
            (germany, date(2026, 11, 9), 40.0, HealthBand.RED),  # latest wins
            (france, date(2026, 11, 9), 60.0, HealthBand.YELLOW),
        ]:
            s.add(HealthScore(account_id=account.id, as_of=as_of, score=score, band=band))
        return {a.name: a.id for a in (globex, europe, france, germany, initech)}


def test_tree_rows_carry_latest_health_and_earliest_open_renewal(
    store: Store, book: dict[str, str]
) -> None:
    with store.read() as session:
        rows = {r.name: r for r in load_account_rows(session)}
    assert len(rows) == 5
    germany = rows["Globex Germany"]
    assert (germany.health_score, germany.health_band) == (40.0, HealthBand.RED)
    assert germany.next_renewal is None  # its only contract churned
    assert rows["Globex France"].next_renewal == date(2027, 2, 28)
    assert rows["Globex Europe"].health_band is None
    assert rows["Globex Europe"].parent_id == book["Globex"]


def test_rollup_sums_per_currency_and_takes_earliest_renewal_and_worst_band(
    store: Store, book: dict[str, str]
) -> None:
    with store.read() as session:
        totals = rollup(load_account_rows(session))
    globex = totals[book["Globex"]]
    assert globex.arr_minor == {"USD": 170_00, "EUR": 30_00}
    assert globex.arr_in("USD") == 170_00
    assert globex.next_renewal == date(2027, 2, 28)
    assert globex.worst_band is HealthBand.RED
    assert globex.descendants == 3
    europe = totals[book["Globex Europe"]]
    assert europe.arr_minor == {"USD": 70_00, "EUR": 30_00}
    assert europe.worst_band is HealthBand.RED
    france = totals[book["Globex France"]]
    assert (france.arr_minor, france.descendants) == ({"USD": 20_00}, 0)
    initech = totals[book["Initech"]]
    assert (initech.arr_minor, initech.worst_band) == ({"USD": 7_00}, None)


def test_rollup_reads_stored_text_and_typed_values_alike() -> None:
    """Rows as SQLite returns them (band and renewal as text) and as built in code (a
    ``HealthBand`` and a ``date``) roll up the same, leaves keeping their own figures."""
    from app.services.hierarchy import AccountRow

    def book(band: object, renewal: object) -> dict[str, object]:
        rows = [
            AccountRow("p", None, "Parent", "USD", 10, None, None, 80.0, "green", None),
            AccountRow("c", "p", "Child", "USD", 5, None, None, 20.0, band, renewal),
        ]
        totals = rollup(rows)
        child, parent = totals["c"], totals["p"]
        assert (child.arr_minor, child.descendants) == ({"USD": 5}, 0)
        assert parent.arr_minor == {"USD": 15} and parent.descendants == 1
        return {"child": (child.worst_band, child.next_renewal), "parent": parent.worst_band}

    stored = book("red", "2027-03-01")
    typed = book(HealthBand.RED, date(2027, 3, 1))
    assert (
        stored
        == typed
        == {
            "child": (HealthBand.RED, date(2027, 3, 1)),
            "parent": HealthBand.RED,
        }
    )
    assert book(None, None) == {"child": (None, None), "parent": HealthBand.GREEN}


def test_rollup_revenue_sums_every_line_over_the_subtree(
    store: Store, book: dict[str, str]
) -> None:
    with store.read() as session:
        totals = rollup_revenue(session, book["Globex"])
    assert totals["USD"]["arr_minor"] == 170_00
    assert totals["USD"]["overdue_debt_minor"] == 5_00
    assert totals["EUR"]["arr_minor"] == 30_00


def test_descendants_and_ancestors(store: Store, book: dict[str, str]) -> None:
    with store.read() as session:
        below = descendant_ids(session, book["Globex"])
        above = ancestor_ids(session, book["Globex France"])
    assert below[0] == book["Globex Europe"]
    assert set(below) == {book["Globex Europe"], book["Globex France"], book["Globex Germany"]}
    assert above == [book["Globex Europe"], book["Globex"]]


def test_reparent_moves_and_refuses_a_cycle(store: Store, book: dict[str, str]) -> None:
    with store.session() as session:
        old = reparent(session, book["Initech"], book["Globex Europe"])
    assert old is None
    with pytest.raises(HierarchyCycleError), store.session() as session:
        reparent(session, book["Globex"], book["Globex France"])
    with store.read() as session:
        totals = rollup(load_account_rows(session))
    assert totals[book["Globex"]].arr_in("USD") == 177_00
    with pytest.raises(LookupError), store.session() as session:
        reparent(session, "f" * 32, None)
