"""File > Connect to team workspace, as a user fills it in: what is missing, or what the
server refuses, is said under its field, where the cursor goes (a refused password against
the real test server, in the PostgreSQL pass)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QLabel, QLineEdit
from pytestqt.qtbot import QtBot

from app.views.connect_dialog import ConnectDialog
from tests.pg.databases import admin_url, drop_database, new_database
from tests.pg.team import admin_sql


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
    dialog = _shown_dialog(qtbot)
    dialog.host.setText("db.example.com")
    for name, text in typed.items():
        getattr(dialog, name).setText(text)
    qtbot.mouseClick(dialog.connect_button, Qt.MouseButton.LeftButton)
    assert dialog.store is None and dialog.isVisible()

    _said_under(qtbot, dialog, getattr(dialog, missing), sentence)


def _shown_dialog(qtbot: QtBot) -> ConnectDialog:
    dialog = ConnectDialog(None, "")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def _said_under(qtbot: QtBot, dialog: ConnectDialog, edit: QLineEdit, sentence: str) -> None:
    """``sentence`` is the one error shown, on the line under ``edit``, which has the cursor;
    typing there puts it away."""
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
    # Whole: as tall as its wrapped lines (a long sentence was cut under the next row).
    assert shown[0].height() >= shown[0].heightForWidth(shown[0].width())
    assert edit.hasFocus()
    qtbot.keyClicks(edit, "x")  # typing there puts the sentence away
    assert not shown[0].isVisible()


def _fill(
    qtbot: QtBot, dialog: ConnectDialog, host: str, port: int, fields: dict[str, str]
) -> None:
    """Type each field as a user does (Alt+key to it, then the text), and click Connect."""
    qtbot.keyClick(dialog, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClicks(dialog.host, host)
    dialog.port.setValue(port)
    for name, text in fields.items():
        edit = getattr(dialog, name)
        qtbot.keyClick(dialog, name[0].upper(), Qt.KeyboardModifier.AltModifier)
        assert edit.hasFocus()
        qtbot.keyClicks(edit, text)
    qtbot.mouseClick(dialog.connect_button, Qt.MouseButton.LeftButton)
    assert dialog.store is None and dialog.isVisible()


def test_a_server_that_does_not_answer_is_said_under_the_server_name(qtbot: QtBot) -> None:
    dialog = _shown_dialog(qtbot)
    _fill(qtbot, dialog, "127.0.0.1", 1, {"database": "team", "user": "pat", "password": "pw"})
    sentence = (
        "The server at 127.0.0.1:1 is not answering; is it running, and is the address right?"
    )
    _said_under(qtbot, dialog, dialog.host, sentence)


@pytest.mark.postgres_only
def test_a_refused_password_is_said_under_the_password(qtbot: QtBot) -> None:
    admin = admin_url()
    assert admin is not None
    url = new_database(migrated=False)
    admin_sql(url, "DROP ROLE IF EXISTS pat", "CREATE ROLE pat LOGIN PASSWORD 'right'")
    try:
        dialog = _shown_dialog(qtbot)
        fields = {"database": url.rsplit("/", 1)[1], "user": "pat", "password": "wrong"}
        _fill(qtbot, dialog, admin.host or "127.0.0.1", admin.port or 5432, fields)
        sentence = (
            f"The server at {admin.host}:{admin.port} refused the password for pat; "
            "check it (File > Connect to team workspace saves it)."
        )
        _said_under(qtbot, dialog, dialog.password, sentence)
    finally:
        drop_database(url)
        admin_sql(admin.render_as_string(False), "DROP ROLE pat")


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
