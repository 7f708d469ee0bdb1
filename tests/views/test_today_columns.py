"""The Today list's columns when they must share the width (a window too narrow for every
line): the width goes where it wraps the fewest lines, not in equal shares."""

from __future__ import annotations

from PySide6.QtGui import QStandardItem, QStandardItemModel
from pytestqt.qtbot import QtBot

from app.views.today_list import AgendaTree, WrappingDelegate, share_width


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


def test_with_no_width_to_spare_each_long_column_keeps_an_equal_share() -> None:
    """A laptop screen: every column needing more than a third gets a third (as before)."""
    lines = [[504, 482, 300], [317, 317, 200], [416, 408, 361]]
    assert share_width(lines, 799) == [266, 266, 267]
    assert share_width(lines, 2000) == [504, 317, 416]  # room for all: each its need
