"""The GUI's one-click exports: ask, progress on a worker thread, Open / Show in folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from pptx import Presentation
from pytestqt.qtbot import QtBot

from app.models.store import Store, open_workspace
from app.views import export_actions
from app.views.context import AppContext
from tests.exports.sample_book import TODAY, build_book

# The offscreen platform plugin warns when any top-level window is shown.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[tuple[AppContext, dict[str, str]]]:
    store: Store = open_workspace(tmp_path / "book.db", create=True)
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


def test_qbr_deck_with_open_and_show_in_folder(
    qtbot: QtBot, ctx: tuple[AppContext, dict[str, str]], answers: dict[str, object], tmp_path: Path
) -> None:
    context, ids = ctx
    answers["answer"] = tmp_path / "acme.pptx"
    dialog = export_actions.export_qbr_interactive(context, ids["Acme Logistics"], None)
    assert dialog is not None
    qtbot.addWidget(dialog)
    assert answers["title"] == "Export the QBR of Acme Logistics"
    assert Path(str(answers["suggested"])).name == "Acme Logistics - 2026Q4 QBR.pptx"
    if dialog.result is None:
        with qtbot.waitSignal(dialog.completed, timeout=30_000):
            pass
    assert len(Presentation(str(tmp_path / "acme.pptx")).slides) == 7
    assert dialog.open_button.isEnabled() and dialog.folder_button.isEnabled()
    assert "Stakeholder map slide left out" in dialog.notes.text()
    dialog.open_button.click()
    dialog.folder_button.click()
    assert answers["opened"] == [tmp_path / "acme.pptx", tmp_path]
    dialog.close_button.click()
    assert not dialog.isVisible()


def test_qbr_brief_by_extension(
    qtbot: QtBot, ctx: tuple[AppContext, dict[str, str]], answers: dict[str, object], tmp_path: Path
) -> None:
    context, ids = ctx
    answers["answer"] = tmp_path / "acme.docx"
    dialog = export_actions.export_qbr_interactive(context, ids["Acme Logistics"], None)
    assert dialog is not None
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=30_000)
    assert (tmp_path / "acme.docx").exists()


def test_cancelled_save_dialog_does_nothing(
    ctx: tuple[AppContext, dict[str, str]], answers: dict[str, object]
) -> None:
    context, ids = ctx
    answers["answer"] = None
    assert export_actions.export_qbr_interactive(context, ids["Acme Logistics"], None) is None
    assert export_actions.export_report_interactive(context, None) is None


def test_report_with_progress(
    qtbot: QtBot, ctx: tuple[AppContext, dict[str, str]], answers: dict[str, object], tmp_path: Path
) -> None:
    context, _ = ctx
    answers["answer"] = tmp_path / "book"  # no extension: .xlsx is added
    dialog = export_actions.export_report_interactive(context, None)
    assert dialog is not None
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=30_000)
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
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=60_000)
    assert sorted(p.name for p in folder.iterdir()) == [
        "Acme Europe - 2026Q4 QBR.pptx",
        "Blank Corp - 2026Q4 QBR.pptx",
    ]
    assert dialog.status.text() == f"Saved 2 files in {folder}."
