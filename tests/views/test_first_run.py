"""The first start offers an empty workspace, the demo book, or an import, and remembers it."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app import paths
from app.models.opening import open_workspace
from app.views.first_run import FirstRunDialog, Start, first_run, is_first_run

pytestmark = pytest.mark.sqlite_only("the first run makes the default workspace file")


def test_first_run_only_when_nothing_names_a_workspace(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert is_first_run(None, False, None)
    assert not is_first_run(str(tmp_path / "x.db"), False, None)
    assert not is_first_run(None, True, None)
    last = tmp_path / "last.db"
    assert is_first_run(None, False, str(last))  # remembered but gone: ask again
    last.write_bytes(b"")
    assert not is_first_run(None, False, str(last))
    monkeypatch.setenv("FIELDBOOK_DB", str(tmp_path / "env.db"))
    assert not is_first_run(None, False, None)
    monkeypatch.delenv("FIELDBOOK_DB")
    paths.user_data_dir().mkdir(parents=True, exist_ok=True)
    open_workspace(paths.default_workspace(), create=True).close()
    assert not is_first_run(None, False, None)


@pytest.mark.parametrize("start", list(Start))
def test_each_button_makes_its_choice(qtbot: QtBot, start: Start) -> None:
    dialog = FirstRunDialog()
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.buttons[start], Qt.MouseButton.LeftButton)
    assert dialog.choice is start


def test_choices_map_to_what_the_gui_opens(tmp_path: Path) -> None:
    default = str(paths.default_workspace())
    assert first_run(ask=lambda _p: Start.DEMO) == (None, True, None)
    assert first_run(ask=lambda _p: Start.EMPTY) == (default, False, None)
    assert first_run(ask=lambda _p: None) is None
    source = str(tmp_path / "accounts.csv")
    assert first_run(ask=lambda _p: Start.IMPORT, pick_file=lambda _p: source) == (
        default,
        False,
        source,
    )
    # Cancelling the file picker goes back to the choice.
    answers = iter([Start.IMPORT, Start.EMPTY])
    assert first_run(ask=lambda _p: next(answers), pick_file=lambda _p: None) == (
        default,
        False,
        None,
    )


def test_dialog_renders(qtbot: QtBot) -> None:
    dialog = FirstRunDialog()
    qtbot.addWidget(dialog)
    image = dialog.grab().toImage()
    step = 8
    colours = {
        image.pixel(x, y)
        for x in range(0, image.width(), step)
        for y in range(0, image.height(), step)
    }
    assert len(colours) > 3


def test_the_first_start_and_the_import_wizard_name_every_source_they_read(
    qtbot: QtBot, store
) -> None:
    """The first start named Salesforce, HubSpot and Gainsight; the wizard Salesforce,
    HubSpot, Dynamics 365, Pipedrive and Zoho: each left out sources the other read."""
    from app.imports.vocabulary import vocabularies
    from app.views.context import AppContext
    from app.views.import_wizard import ImportWizard

    dialog = FirstRunDialog()
    qtbot.addWidget(dialog)
    wizard = ImportWizard(AppContext(store))
    qtbot.addWidget(wizard)
    said = {
        "first start": dialog.buttons[Start.IMPORT].text().replace("\n", " "),
        "wizard": wizard.file_page.subTitle(),
    }
    # Every vocabulary but our own, by its product names ("Gainsight, ChurnZero and Totango").
    products = [
        name.strip().removesuffix(" CRM").split(" / ")[0]
        for vocabulary in vocabularies()
        if vocabulary.source != "Fieldbook and common spreadsheets"
        for name in vocabulary.source.replace(" and ", ", ").split(",")
    ]
    assert len(products) == 8
    for where, text in said.items():
        assert [p for p in products if p not in text] == [], where
