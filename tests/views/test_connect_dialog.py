"""File > Connect to team workspace, as a user fills it in: what is missing is said under
its field, where the cursor goes (no server needed: the dialog refuses before connecting)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from app.views.connect_dialog import ConnectDialog


@pytest.mark.parametrize(
    ("missing", "typed", "sentence"),
    [
        ("database", {"user": "maya"}, "Give the name of the team workspace's database."),
        ("user", {"database": "team"}, "Give your user name on the server."),
    ],
)
def test_a_missing_field_is_said_under_it_and_the_cursor_goes_there(
    qtbot: QtBot, missing: str, typed: dict[str, str], sentence: str
) -> None:
    dialog = ConnectDialog(None, "")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.host.setText("db.example.com")
    for name, text in typed.items():
        getattr(dialog, name).setText(text)
    qtbot.mouseClick(dialog.connect_button, Qt.MouseButton.LeftButton)
    assert dialog.store is None and dialog.isVisible()

    edit = getattr(dialog, missing)
    shown = [
        label
        for label in dialog.findChildren(QLabel)
        if label.isVisible() and label.property("role") == "error"
    ]
    assert [label.text() for label in shown] == [sentence]  # one sentence, once
    # On the line right under the field, in its column (it was under the check boxes).
    note = shown[0].mapTo(dialog, QPoint(0, 0))
    under = edit.mapTo(dialog, QPoint(0, edit.height()))
    assert note.x() == under.x() and 0 <= note.y() - under.y() <= 12
    assert edit.hasFocus()
    qtbot.keyClicks(edit, "x")  # typing there puts the sentence away
    assert not shown[0].isVisible()


def test_each_field_keeps_its_alt_key(qtbot: QtBot) -> None:
    dialog = ConnectDialog(None, "")
    qtbot.addWidget(dialog)
    buddies = {
        label.text(): label.buddy() for label in dialog.findChildren(QLabel) if label.buddy()
    }
    assert buddies == {
        "&Server:": dialog.host,
        "P&ort:": dialog.port,
        "&Database:": dialog.database,
        "&User:": dialog.user,
        "&Password:": dialog.password,
    }
