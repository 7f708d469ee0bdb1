"""The tree's ARR and Next renewal columns fit their widest text: ¥12,000,000 and a renewal
years away show whole, at 1366x768 and 1920x1080, even after a saved narrow header."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt

from app.models import Account
from app.views.tree.columns import COL_ARR, COL_RENEWAL

from .conftest import TODAY, Book


def _clipped(window) -> list[str]:
    """Texts of the ARR and Next renewal cells wider than their column (less the margins)."""
    view = window.tree.view
    model = view.model()
    fm = view.fontMetrics()
    out = []
    for row in range(model.rowCount()):
        for column in (COL_ARR, COL_RENEWAL):
            text = str(model.index(row, column).data(Qt.ItemDataRole.DisplayRole) or "")
            if fm.horizontalAdvance(text) > view.columnWidth(column) - 12:
                out.append(text)
    return out


@pytest.fixture
def far_and_large(store, book: Book) -> str:
    with store.session() as session:
        account = Account(
            name="Tokyo Holdings",
            owner="Maya Patel",
            currency="JPY",
            arr_minor=12_000_000,
            next_renewal=TODAY + timedelta(days=3650),
        )
        session.add(account)
        session.flush()
        return account.id


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)])
def test_large_yen_and_far_renewals_are_not_clipped(qtbot, store, book, far_and_large, size):
    from app.views.main_window import MainWindow

    window = MainWindow(store, today=TODAY)
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    view = window.tree.view
    row = view.model().row_of(far_and_large)
    assert row is not None
    texts = [
        str(view.model().index(row, c).data(Qt.ItemDataRole.DisplayRole))
        for c in (COL_ARR, COL_RENEWAL)
    ]
    assert texts[0] == "¥12,000,000" and texts[1].endswith("3650 d")
    qtbot.waitUntil(lambda: not _clipped(window))
    # A header saved narrow (an older version's widths) grows back to the content.
    view.setColumnWidth(COL_ARR, 40)
    view.setColumnWidth(COL_RENEWAL, 40)
    assert _clipped(window)
    window.close()  # saves the header in the settings, as the user left it

    again = MainWindow(store, today=TODAY)
    qtbot.addWidget(again)
    again.resize(*size)
    again.show()
    assert again.settings.tree_header is not None
    qtbot.waitUntil(lambda: not _clipped(again))
    again.close()
