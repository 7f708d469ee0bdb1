"""The account tree model without a window: flattening, filter, sort, targeted updates."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from app.models.enums import HealthBand
from app.services.hierarchy import AccountRow
from app.views.tree.columns import COL_ARR, COL_NAME, ROLE_DEPTH
from app.views.tree.model import AccountTreeModel

TODAY = date(2026, 5, 4)


def row(id_: str, parent: str | None, name: str, arr: int = 0, **kw: object) -> AccountRow:
    values: dict[str, object] = {
        "id": id_,
        "parent_id": parent,
        "name": name,
        "currency": "USD",
        "arr_minor": arr,
        "owner": "Maya",
        "segment": "mid_market",
        "health_score": None,
        "health_band": None,
        "next_renewal": None,
    }
    values.update(kw)
    return AccountRow(**values)  # type: ignore[arg-type]


ROWS = [
    row("a", None, "Acme", 100_00),
    row("ag", "a", "Acme Germany", 50_00),
    row("ab", "ag", "Acme Berlin", 10_00),
    row("af", "a", "Acme France", 30_00, health_band=HealthBand.RED, health_score=30.0),
    row("g", None, "Globex", 70_00),
    row("i", None, "Initech", 20_00, next_renewal=date(2026, 6, 1)),
]


def names(model: AccountTreeModel) -> list[str]:
    return [model.rows[i].name for i in model.visible_ids()]


@pytest.fixture
def model(qtmodeltester: object) -> AccountTreeModel:
    m = AccountTreeModel(TODAY)
    m.set_rows(ROWS)
    qtmodeltester.check(m)  # type: ignore[attr-defined]
    return m


def test_top_level_sorted_by_name_and_children_hidden_until_expanded(model: AccountTreeModel):
    assert names(model) == ["Acme", "Globex", "Initech"]
    model.set_expanded("a", True)
    assert names(model) == ["Acme", "Acme France", "Acme Germany", "Globex", "Initech"]
    depth = model.index(2, COL_NAME).data(ROLE_DEPTH)
    assert depth == 1


def test_expand_inserts_rows_without_reset(model: AccountTreeModel, qtbot: object):
    resets: list[int] = []
    inserted: list[tuple[int, int]] = []
    model.modelReset.connect(lambda: resets.append(1))
    model.rowsInserted.connect(lambda _p, first, last: inserted.append((first, last)))
    model.set_expanded("a", True)
    assert resets == []
    assert inserted == [(1, 2)]


def test_arr_rolls_up_to_parents(model: AccountTreeModel):
    index = model.index(0, COL_ARR)
    assert index.data() == "$190"  # 100 + 50 + 10 + 30


def test_filter_keeps_ancestors_and_expands_to_matches(model: AccountTreeModel, qtmodeltester):
    model.set_filter(text="berl")
    assert names(model) == ["Acme", "Acme Germany", "Acme Berlin"]
    assert model.is_match("ab") and not model.is_match("a")
    qtmodeltester.check(model)
    model.set_filter(text="")
    assert names(model) == ["Acme", "Globex", "Initech"]


def test_quick_filter_at_risk_and_owner(model: AccountTreeModel):
    model.set_filter(quick=["at_risk"])
    assert names(model) == ["Acme", "Acme France"]
    model.set_filter(quick=[], owner="Nobody")
    assert names(model) == []
    model.set_filter(owner=None, quick=["renewing"])
    assert names(model) == ["Initech"]


def test_sort_by_arr_descending(model: AccountTreeModel):
    model.sort(COL_ARR, Qt.SortOrder.DescendingOrder)
    assert names(model) == ["Acme", "Globex", "Initech"]
    model.sort(COL_ARR, Qt.SortOrder.AscendingOrder)
    assert names(model) == ["Initech", "Globex", "Acme"]


def test_update_moves_a_subtree_and_rolls_up_again(model: AccountTreeModel, qtmodeltester):
    model.set_expanded("a", True)
    model.set_expanded("g", True)
    changed: list[int] = []
    model.dataChanged.connect(lambda tl, _br, _r=(): changed.append(tl.row()))
    moved = row("ag", "g", "Acme Germany", 50_00)
    model.update_rows([moved], {})
    assert model.rollups["g"].arr_in("USD") == 130_00  # Globex 70 + Germany 50 + Berlin 10
    assert model.rollups["a"].arr_in("USD") == 130_00
    assert "Acme Germany" in names(model)
    assert names(model).index("Acme Germany") > names(model).index("Globex")
    qtmodeltester.check(model)


def test_remove_accounts_drops_the_subtree(model: AccountTreeModel, qtmodeltester):
    model.set_expanded("a", True)
    model.remove_accounts(["ag"])
    assert "ab" not in model.rows
    assert names(model) == ["Acme", "Acme France", "Globex", "Initech"]
    assert model.rollups["a"].arr_in("USD") == 130_00
    qtmodeltester.check(model)


def test_rename_and_drop_are_requests_not_edits(model: AccountTreeModel, qtbot):
    with qtbot.waitSignal(model.rename_requested) as blocker:
        assert not model.setData(model.index(0, COL_NAME), "Acme Corp")
    assert blocker.args == ["a", "Acme Corp"]
    assert model.rows["a"].name == "Acme"
    mime = model.mimeData([model.index(2, COL_NAME)])
    with qtbot.waitSignal(model.move_requested) as blocker:
        model.dropMimeData(mime, Qt.DropAction.MoveAction, -1, -1, model.index(0, COL_NAME))
    assert blocker.args == ["i", "a"]
