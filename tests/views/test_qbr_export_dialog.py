"""Export QBR from the real window: the review lists each slide, and what is unticked there
is left out of the file."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from pptx import Presentation
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.models import Risk, Task
from app.models.enums import RiskCategory
from app.views import export_actions
from app.views.qbr_export_dialog import QbrExportDialog

from .conftest import TODAY, Book


def _deck_text(path: Path) -> str:
    return "\n".join(
        cell.text
        for slide in Presentation(str(path)).slides
        for shape in slide.shapes
        if shape.has_table
        for row in shape.table.rows
        for cell in row.cells
    )


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)])
def test_unticked_items_are_left_out_of_the_deck(
    window, store, book: Book, qtbot, monkeypatch, tmp_path: Path, size: tuple[int, int]
) -> None:
    window.resize(*size)
    with store.session() as session:
        session.add_all(
            [
                Task(account_id=book.globex, title="Run the EMEA training", owner="Jonas",
                     due_on=TODAY + timedelta(days=5)),
                Task(account_id=book.globex, title="Internal pricing prep", owner="Jonas",
                     due_on=TODAY + timedelta(days=6), shared=False),
                Risk(account_id=book.globex, category=RiskCategory.PRODUCT,
                     title="Reporting gap", owner="Jonas", opened_on=TODAY,
                     due_on=TODAY + timedelta(days=30), shared=True),
                Risk(account_id=book.globex, category=RiskCategory.SUPPORT,
                     title="Ticket backlog", owner="Jonas", opened_on=TODAY,
                     due_on=TODAY + timedelta(days=30), shared=True),
            ]
        )  # fmt: skip
    out = tmp_path / "globex.pptx"
    monkeypatch.setattr(export_actions, "ask_save_path", lambda *_args: out)
    window.open_account(book.globex)
    window.tree.view.setFocus()
    qtbot.keyClick(window.tree.view, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget() or window.qbr_dialog,
                                       QbrExportDialog))  # fmt: skip
    dialog: QbrExportDialog = window.qbr_dialog
    assert dialog.audience.currentData() == "customer"
    qtbot.mouseClick(dialog.review_button, Qt.MouseButton.LeftButton)
    slides = [
        dialog.outline.topLevelItem(n).text(0) for n in range(dialog.outline.topLevelItemCount())
    ]
    assert slides[0] == "1. Globex" and slides[-1].endswith(". Next steps")
    # An item reads "title, owner ..."; the comma of a date ("Jun 3, 2026") is not that one.
    items = {re.split(r",(?! \d{4})", item.text(0))[0]: item for item in dialog.review_items()}
    assert "Internal pricing prep" not in items  # internal work never offered
    assert {"Send the QBR deck", "Run the EMEA training", "Reporting gap (due Jun 3, 2026)",
            "Ticket backlog (due Jun 3, 2026)"} <= set(items)  # fmt: skip
    for title in ("Run the EMEA training", "Ticket backlog (due Jun 3, 2026)"):
        item = items[title]
        dialog.outline.scrollToItem(item)
        dialog.outline.setCurrentItem(item)
        qtbot.keyClick(dialog.outline, Qt.Key.Key_Space)
        assert item.checkState(0) == Qt.CheckState.Unchecked
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    progress = dialog.progress_dialog
    assert progress is not None
    qtbot.addWidget(progress)
    qtbot.waitUntil(lambda: progress.exported is not None, timeout=30_000)
    text = _deck_text(out)
    assert "Send the QBR deck" in text and "Reporting gap" in text
    assert "Run the EMEA training" not in text and "Ticket backlog" not in text
    assert "Internal pricing prep" not in text
    progress.close_button.click()


def test_a_missing_file_is_named_beside_its_field_until_it_is_fixed(
    window, book: Book, qtbot, tmp_path: Path
) -> None:
    dialog = QbrExportDialog(window.ctx, book.globex, "Globex", window)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.template.error.isVisible()
    missing = tmp_path / "nowhere.pptx"
    dialog.template.edit.setText(str(missing))
    assert not dialog._check_files()
    assert dialog.template.error.isVisible()
    assert dialog.template.error.text() == f"There is no template at {missing}."
    assert dialog.template.error.property("role") == "error"
    dialog.template.edit.clear()
    assert dialog._check_files() and not dialog.template.error.isVisible()


def test_the_review_lists_both_map_slides_when_the_map_is_split(
    window, store, book: Book, qtbot
) -> None:
    """A chart too tall to read on one slide goes on two, "Stakeholder map" and "Stakeholder
    map (continued)"; the review listed one. The brief holds both under one heading."""
    from tests.exports.test_qbr_map_slide import _org_the_window_wrapped_tall

    _org_the_window_wrapped_tall(store, book.globex)
    dialog = QbrExportDialog(window.ctx, book.globex, "Globex", window)
    qtbot.addWidget(dialog)
    dialog.show()

    def titles() -> list[str]:
        top = [dialog.outline.topLevelItem(n) for n in range(dialog.outline.topLevelItemCount())]
        return [item.text(0).split(". ", 1)[1] for item in top if item is not None]

    dialog.format.setCurrentIndex(dialog.format.findData(".pptx"))
    qtbot.mouseClick(dialog.review_button, Qt.MouseButton.LeftButton)
    maps = [title for title in titles() if title.startswith("Stakeholder map")]
    assert maps == ["Stakeholder map", "Stakeholder map (continued)"]
    dialog.pages.setCurrentIndex(0)
    dialog.format.setCurrentIndex(dialog.format.findData(".docx"))
    qtbot.mouseClick(dialog.review_button, Qt.MouseButton.LeftButton)
    assert [title for title in titles() if title.startswith("Stakeholder map")] == [
        "Stakeholder map"
    ]
