"""The GUI's one-click exports: ask, progress on a worker thread, Open / Show in folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from pptx import Presentation
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from app.exports.qbr_batch import BatchOutcome
from app.exports.safety import ExportResult
from app.models.opening import open_workspace
from app.models.store import Store
from app.views import export_actions
from app.views.context import AppContext
from app.views.qbr_export_dialog import QbrExportDialog, open_qbr_export
from tests.exports.sample_book import TODAY, build_book


@pytest.fixture
def ctx(workspace_target: str) -> Iterator[tuple[AppContext, dict[str, str]]]:
    store: Store = open_workspace(workspace_target, create=True)
    with store.session() as session:
        ids = build_book(session)
    yield AppContext(store=store, today=TODAY), ids
    store.close()


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    """Replace the save dialog and the desktop opener; record what they were asked."""
    record: dict[str, object] = {"opened": []}

    def ask(_parent: object, title: str, suggested: Path, _filters: str) -> Path | None:
        record["title"], record["suggested"] = title, suggested
        return record.get("answer")  # type: ignore[return-value]

    monkeypatch.setattr(export_actions, "ask_save_path", ask)
    monkeypatch.setattr(export_actions, "open_path", record["opened"].append)  # type: ignore[attr-defined]
    return record


def _review_and_export(qtbot: QtBot, dialog: QbrExportDialog) -> export_actions.ExportDialog:
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.review_button, Qt.MouseButton.LeftButton)
    assert dialog.pages.currentIndex() == 1
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    progress = dialog.progress_dialog
    assert progress is not None
    qtbot.addWidget(progress)
    qtbot.waitUntil(lambda: progress.exported is not None, timeout=30_000)
    return progress


def test_qbr_deck_with_open_and_show_in_folder(
    qtbot: QtBot, ctx: tuple[AppContext, dict[str, str]], answers: dict[str, object], tmp_path: Path
) -> None:
    context, ids = ctx
    answers["answer"] = tmp_path / "acme.pptx"
    dialog = open_qbr_export(context, ids["Acme Logistics"], None)
    assert dialog is not None
    assert dialog.audience.currentData() == "customer"  # the customer by default
    progress = _review_and_export(qtbot, dialog)
    assert answers["title"] == "Export the QBR of Acme Logistics"
    assert Path(str(answers["suggested"])).name == "Acme Logistics - 2026Q4 QBR.pptx"
    assert len(Presentation(str(tmp_path / "acme.pptx")).slides) == 8
    assert progress.open_button.isEnabled() and progress.folder_button.isEnabled()
    assert progress.notes.isHidden()  # nothing was left out
    progress.open_button.click()
    progress.folder_button.click()
    assert answers["opened"] == [tmp_path / "acme.pptx", tmp_path]
    progress.close_button.click()
    assert not progress.isVisible()
    assert progress.result() == QDialog.DialogCode.Accepted  # QDialog's, not the export's


def test_qbr_brief_by_extension_and_choices_remembered(
    qtbot: QtBot, ctx: tuple[AppContext, dict[str, str]], answers: dict[str, object], tmp_path: Path
) -> None:
    context, ids = ctx
    answers["answer"] = tmp_path / "acme.docx"
    dialog = open_qbr_export(context, ids["Acme Logistics"], None)
    assert dialog is not None
    dialog.format.setCurrentIndex(dialog.format.findData(".docx"))
    dialog.audience.setCurrentIndex(dialog.audience.findData("internal"))
    _review_and_export(qtbot, dialog)
    assert (tmp_path / "acme.docx").exists()
    again = open_qbr_export(context, ids["Acme Logistics"], None)
    assert again is not None
    qtbot.addWidget(again)
    assert (again.format.currentData(), again.audience.currentData()) == (".docx", "internal")
    other = open_qbr_export(context, ids["Acme Europe"], None)
    assert other is not None
    qtbot.addWidget(other)
    assert other.audience.currentData() == "customer"  # per account


def test_missing_template_is_named_beside_the_field(
    qtbot: QtBot, ctx: tuple[AppContext, dict[str, str]], tmp_path: Path
) -> None:
    context, ids = ctx
    dialog = open_qbr_export(context, ids["Acme Logistics"], None)
    assert dialog is not None
    qtbot.addWidget(dialog)
    dialog.template.edit.setText(str(tmp_path / "gone.pptx"))
    qtbot.mouseClick(dialog.review_button, Qt.MouseButton.LeftButton)
    assert dialog.pages.currentIndex() == 0
    assert dialog.template.error.text() == f"There is no template at {tmp_path / 'gone.pptx'}."


def test_cancelled_save_dialog_does_nothing(
    qtbot: QtBot, ctx: tuple[AppContext, dict[str, str]], answers: dict[str, object]
) -> None:
    context, ids = ctx
    answers["answer"] = None
    dialog = open_qbr_export(context, ids["Acme Logistics"], None)
    assert dialog is not None
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.review_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert dialog.progress_dialog is None and dialog.isVisible()
    assert export_actions.export_report_interactive(context, None) is None


def test_report_with_progress(
    qtbot: QtBot, ctx: tuple[AppContext, dict[str, str]], answers: dict[str, object], tmp_path: Path
) -> None:
    context, _ = ctx
    answers["answer"] = tmp_path / "book"  # no extension: .xlsx is added
    dialog = export_actions.export_report_interactive(context, None)
    assert dialog is not None
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.exported is not None, timeout=30_000)
    assert dialog.bar.value() == dialog.bar.maximum()
    workbook = openpyxl.load_workbook(tmp_path / "book.xlsx")
    assert workbook.sheetnames[0] == "Summary"


def test_missing_folder_shows_one_sentence(
    qtbot: QtBot, ctx: tuple[AppContext, dict[str, str]], answers: dict[str, object], tmp_path: Path
) -> None:
    context, _ = ctx
    answers["answer"] = tmp_path / "gone" / "book.xlsx"
    dialog = export_actions.export_report_interactive(context, None)
    assert dialog is not None
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.close_button.isEnabled(), timeout=30_000)
    assert dialog.status.text() == f"The folder {tmp_path / 'gone'} does not exist."
    assert not dialog.open_button.isEnabled()


def test_batch_for_a_selection(
    qtbot: QtBot,
    ctx: tuple[AppContext, dict[str, str]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    context, ids = ctx
    folder = tmp_path / "decks"
    folder.mkdir()
    monkeypatch.setattr(export_actions, "ask_folder", lambda *_args: folder)
    selection = [ids["Acme Europe"], ids["Blank Corp"]]
    dialog = export_actions.export_qbr_batch_interactive(context, None, account_ids=selection)
    assert dialog is not None
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.exported is not None, timeout=60_000)
    assert sorted(p.name for p in folder.iterdir()) == [
        "Acme Europe - 2026Q4 QBR.pptx",
        "Blank Corp - 2026Q4 QBR.pptx",
    ]
    assert dialog.status.text() == f"Saved 2 files in {folder}."
    # What a deck left out is shown as for one deck, after its account's name.
    assert dialog.notes.isVisible()
    assert dialog.notes.text().startswith("Blank Corp: Left out for lack of data: ")


def test_a_batch_failure_is_a_note_under_the_files_written(qtbot: QtBot, tmp_path: Path) -> None:
    outcome = BatchOutcome(
        written=[ExportResult(tmp_path / "Acme Logistics - 2026Q4 QBR.pptx")],
        failures=[("Acme Europe", "could not be exported (corrupt history).")],
    )
    dialog = export_actions.ExportDialog(
        "QBR decks", tmp_path, lambda _progress: outcome.result(tmp_path)
    )
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.exported is not None, timeout=10_000)
    assert dialog.status.text() == f"Saved 1 file in {tmp_path}."
    assert dialog.notes.text() == "Acme Europe: could not be exported (corrupt history)."
    assert dialog.notes.isVisible()


def test_the_finish_note_is_shown_whole(qtbot: QtBot, tmp_path: Path) -> None:
    """The report's note on what its totals leave out was cut in half at the dialog's foot."""
    note = "Summary totals are in USD. Leaves out £501.8K (GBP) and €13.1K (EUR): no rate to USD."
    out = tmp_path / "book.xlsx"
    dialog = export_actions.ExportDialog(
        "Portfolio report", out, lambda _progress: ExportResult(out, notes=[note])
    )
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.exported is not None, timeout=10_000)
    qtbot.waitUntil(lambda: dialog.notes.isVisible())
    label = dialog.notes
    assert label.text() == note
    assert label.height() >= label.heightForWidth(label.width())
    assert dialog.rect().contains(label.geometry())
    assert (
        label.geometry().bottom()
        < dialog.close_button.mapTo(dialog, dialog.close_button.rect().topLeft()).y()
    )
