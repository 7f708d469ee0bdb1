"""The account tree in the real main window reads by account name: at 1366x768 a name of
twenty characters (cut to thirteen before) shows whole beside health, ARR, next renewal and
the owner's initials, while the account workspace keeps the room its tabs need; at 1920x1080 the
owner's name shows whole too; a cell shown short keeps its full value in its tooltip."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics

from app.models import Account
from app.views.tree.columns import COL_ARR, COL_HEALTH, COL_NAME, COL_OWNER, COL_RENEWAL
from app.views.tree.view import NAME_INSET

from .conftest import TODAY, Book, main_window_as

LEAF = "Ridge Vector Studios"
PARENT = "Granite & van Dijk Trust Group"
OWNER = "Ethan Caldwell"


@pytest.fixture
def long_names(store, book: Book) -> dict[str, str]:
    with store.session() as session:
        leaf = Account(name=LEAF, owner=OWNER, arr_minor=598_065_00, next_renewal=TODAY)
        parent = Account(name=PARENT, owner="Lucas Brennan", arr_minor=275_538_00)
        session.add_all([leaf, parent])
        session.flush()
        session.add(Account(name="Granite Nordics", owner=OWNER, parent_id=parent.id))
        session.flush()
        return {LEAF: leaf.id, PARENT: parent.id}


def _window(qtbot, store, size):
    """The main window as it opens on a screen of ``size`` (the dock at its default width)."""
    win = main_window_as(qtbot, store, size)
    win.resizeDocks([win.dock], [win.default_dock_width()], Qt.Orientation.Horizontal)
    return win


def _cell(view, account_id: str, column: int, role=Qt.ItemDataRole.DisplayRole):
    row = view.model().row_of(account_id)
    return view.model().index(row, column).data(role)


def _name_fits(view, name: str, bold: bool = False) -> bool:
    font = QFont(view.font())
    if bold:
        font.setWeight(QFont.Weight.DemiBold)
    room = view.columnWidth(COL_NAME) - NAME_INSET
    return QFontMetrics(font).horizontalAdvance(name) <= room


def _text_fits(view, text: str, column: int) -> bool:
    return view.fontMetrics().horizontalAdvance(text) <= view.columnWidth(column) - 12


def test_an_account_name_reads_whole_at_1366(qtbot, store, long_names):
    win = _window(qtbot, store, (1366, 768))
    view = win.tree.view
    qtbot.waitUntil(lambda: _name_fits(view, LEAF))
    leaf = long_names[LEAF]
    # The other columns stay readable: figures whole, the owner as initials.
    for column in (COL_HEALTH, COL_ARR, COL_RENEWAL):
        assert _text_fits(view, str(_cell(view, leaf, column)), column)
    assert not _text_fits(view, OWNER, COL_OWNER)
    assert _text_fits(view, "EC", COL_OWNER)
    # Where the cell is short, its tooltip has the whole value.
    assert _cell(view, leaf, COL_OWNER, Qt.ItemDataRole.ToolTipRole) == OWNER
    assert _cell(view, leaf, COL_NAME, Qt.ItemDataRole.ToolTipRole) == LEAF
    win.close()


def test_the_owner_and_a_long_parent_name_read_whole_at_1920(qtbot, store, long_names):
    win = _window(qtbot, store, (1920, 1080))
    view = win.tree.view
    qtbot.waitUntil(lambda: _text_fits(view, OWNER, COL_OWNER))
    assert _text_fits(view, "Lucas Brennan", COL_OWNER)
    assert _name_fits(view, PARENT, bold=True)
    assert _cell(view, long_names[LEAF], COL_OWNER) == OWNER
    win.close()


def test_the_users_owner_width_is_kept(qtbot, store, long_names):
    win = _window(qtbot, store, (1920, 1080))
    view = win.tree.view
    qtbot.waitUntil(lambda: _text_fits(view, OWNER, COL_OWNER))
    view.setColumnWidth(COL_OWNER, 40)  # dragged narrow: the user's choice
    win.resize(1900, 1080)
    assert view.columnWidth(COL_OWNER) == 40
    win.close()  # saves the header

    again = _window(qtbot, store, (1366, 768))
    qtbot.waitUntil(lambda: _name_fits(again.tree.view, LEAF))
    assert again.tree.view.columnWidth(COL_OWNER) == 40
    again.close()


def test_the_account_tabs_keep_their_room_at_1366(qtbot, store, long_names):
    """The dock grows for names only as far as the account workspace can spare: at 1366x768
    every account tab stays in view (none behind the tab bar's scroll arrows)."""
    win = _window(qtbot, store, (1366, 768))
    win.open_account(long_names[LEAF])
    bar = win.workspace.tabs.tabBar()
    qtbot.waitUntil(lambda: bar.isVisible() and bar.width() > 0)
    last = bar.tabRect(bar.count() - 1)
    assert last.right() <= bar.width(), (last.right(), bar.width())
    win.close()
