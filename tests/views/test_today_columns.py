"""The Today list's columns when they must share the width (a window too narrow for every
line): the width goes where it wraps the fewest lines, not in equal shares."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from PySide6.QtGui import QStandardItem, QStandardItemModel
from pytestqt.qtbot import QtBot

from app.models.opening import open_workspace
from app.models.store import Store
from app.views.main_window import MainWindow
from app.views.today_list import AgendaTree, WrappingDelegate, share_width
from tests.views.conftest import write_demo

DECEMBER = date(2026, 12, 3)


def _cells_wrapped(tree: AgendaTree, column: int) -> int:
    """How many of the column's lines are wider than the column gives them."""
    model = tree.model()
    width = tree.columnWidth(column)
    delegate = tree.itemDelegate()
    assert isinstance(delegate, WrappingDelegate)
    delegate.wrap = False
    try:
        wrapped = 0
        for row in range(model.rowCount()):
            index = model.index(row, column)
            one_line = tree.sizeHintForIndex(index).width()
            wrapped += int(one_line > width)
    finally:
        delegate.wrap = True
    return wrapped


def test_the_column_with_room_gives_width_before_the_full_one(qtbot: QtBot) -> None:
    """One long "What" among short ones, every "Details" line long: squeezed, What wraps
    its one long line and Details keeps its lines whole (equal shares wrapped all of them)."""
    model = QStandardItemModel(0, 3)
    model.setHorizontalHeaderLabels(["What", "Account", "Details"])
    what = ["Send the recap"] * 11 + [
        "Anchormont Professional Services 2027: auto-renews unless notice is given to us"
    ]
    for n, title in enumerate(what):
        detail = f"Renewal · {n + 20} days overdue · Dana Whitfield (VP Customer Success)"
        model.appendRow([QStandardItem(title), QStandardItem("Acme"), QStandardItem(detail)])
    tree = AgendaTree()
    qtbot.addWidget(tree)
    tree.setWordWrap(True)
    tree.setItemDelegate(WrappingDelegate(tree))
    tree.header().setStretchLastSection(False)  # as Today sets it
    tree.setModel(model)
    tree.show()
    qtbot.waitExposed(tree)
    tree.measure()
    needs = tree.needs
    # Wide enough for What's short lines and every Details line, not for What's long line.
    tree.resize(sum(needs) - needs[0] // 4 + tree.width() - tree.viewport().width(), 400)
    qtbot.waitUntil(lambda: tree.viewport().width() < sum(needs))

    assert _cells_wrapped(tree, 2) == 0  # Details: all whole (it wrapped every line)
    assert _cells_wrapped(tree, 0) == 1  # What: its one long line wraps
    assert sum(tree.columnWidth(c) for c in range(3)) <= tree.viewport().width()


def _wrapped(lines: list[list[int]], widths: list[int]) -> int:
    """How many lines the widths wrap (a line wider than its column)."""
    return sum(w > width for column, width in zip(lines, widths, strict=True) for w in column)


def test_with_no_width_to_spare_the_columns_still_share_by_what_they_wrap() -> None:
    """A laptop screen: equal thirds wrapped 7 of these 9 lines; the same rule as on a wide
    screen wraps 6, no column under half its longest line (a line wraps onto two rows)."""
    lines = [[504, 482, 300], [317, 317, 200], [416, 408, 361]]
    widths = share_width(lines, 799)
    assert sum(widths) == 799 and _wrapped(lines, widths) < _wrapped(lines, [266, 266, 267])
    assert widths == [252, 317, 230]
    assert all(2 * width >= max(column) for column, width in zip(lines, widths, strict=True))
    assert share_width(lines, 2000) == [504, 317, 416]  # room for all: each its need
    assert sum(share_width(lines, 300)) == 300  # a narrow window: a third each at least


@pytest.fixture(scope="module")
def december(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The 60-account demo as of 3 December 2026: a Today list too wide for a laptop."""
    store = open_workspace(write_demo(tmp_path_factory.mktemp("december"), DECEMBER))
    yield store
    store.close()


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)], ids=["1366x768", "1920x1080"])
def test_todays_columns_on_the_demo_wrap_fewer_lines_than_equal_thirds(
    qtbot: QtBot, december: Store, size: tuple[int, int]
) -> None:
    """At 1366x768 Today split its columns in equal thirds (83 of the demo's lines wrapped)
    rather than by the rule it uses when a wider window is short of room."""
    window = MainWindow(december, today=DECEMBER)
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    tree = window.findChild(AgendaTree)
    assert tree is not None
    qtbot.waitUntil(lambda: bool(tree.needs) and tree.isVisible())
    available = tree.viewport().width()
    widths = [tree.columnWidth(c) for c in range(len(tree.lines))]
    assert sum(widths) <= available
    if size == (1920, 1080):  # room for every line whole
        assert _wrapped(tree.lines, widths) == 0
        return
    assert sum(tree.needs) > available  # the columns must share
    assert _wrapped(tree.lines, widths) < _wrapped(tree.lines, [available // 3] * 3)
