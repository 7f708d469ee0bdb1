"""The window on a team workspace: others' commits appear, a stale save is told, not lost."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import keyring
import pytest
from keyring.backend import KeyringBackend
from PySide6.QtCore import QRect, Qt

from app.models import Account, TeamMember
from app.models.opening import open_workspace
from app.services import accounts, dates_text
from app.views.connect_dialog import ConnectDialog

from .conftest import Book

pytestmark = [pytest.mark.postgres_only]


def _other_person(store):
    """A second connection to the same team workspace, as another person's app would hold."""
    return open_workspace(store.engine.url.render_as_string(hide_password=False))


def test_an_open_view_refreshes_from_another_connections_commit(window, qtbot, store, book: Book):
    assert window.remote.listener is not None
    window.tree.select(book.globex)
    window.workspace.show_tab("Overview")
    name_field = window.workspace.tab("Overview").editors["name"].input
    other = _other_person(store)
    try:
        with other.session() as session:
            accounts.update_account(session, book.globex, {"name": "Globex Holdings"})
        qtbot.waitUntil(
            lambda: window.tree.model.rows[book.globex].name == "Globex Holdings", timeout=5000
        )
        qtbot.waitUntil(lambda: name_field.text() == "Globex Holdings", timeout=5000)
        assert window.remote.received >= 1
        # Only what changed: the other accounts' rows were not touched by the refresh.
        assert window.tree.model.rows[book.initech].name == "Initech"
    finally:
        other.close()


def test_a_second_save_is_told_what_changed_and_sees_the_new_value(
    window, qtbot, store, book: Book
):
    window.tree.select(book.globex)
    window.workspace.show_tab("Overview")
    field = window.workspace.tab("Overview").editors["industry"]
    other = _other_person(store)
    try:
        # Someone else saves the industry while this window still shows the old value;
        # the window hears of it only when its own save is refused (the listener is off).
        window.remote.stop()
        with other.session() as session:
            accounts.update_account(session, book.globex, {"industry": "Retail"})
        field.input.setFocus()
        field.input.selectAll()
        qtbot.keyClicks(field.input, "Banking")
        qtbot.keyClick(field.input, Qt.Key.Key_Return)
        assert field.error.isVisible()
        assert "changed the industry of Globex to Retail meanwhile" in field.error.text()
        assert field.input.text() == "Retail"
        with store.read() as session:
            assert session.get(Account, book.globex).industry == "Retail"
    finally:
        other.close()


class MemoryKeyring(KeyringBackend):
    """The OS keyring stand-in: tests never touch the user's real keyring."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.saved: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.saved.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.saved[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.saved.pop((service, username), None)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    before = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    yield ring
    keyring.set_keyring(before)


def _type(qtbot, widget, text: str) -> None:
    widget.setFocus()
    widget.selectAll()
    qtbot.keyClicks(widget, text)


def test_connect_to_a_team_workspace_keeps_the_password_in_the_keyring(
    window, qtbot, store, memory_keyring, _settings_folder, monkeypatch
):
    url = store.engine.url
    with store.engine.connect() as connection, connection.begin():
        connection.exec_driver_sql("DROP ROLE IF EXISTS sam")
        # A superuser, so the new database of each run is hers to open (and migrate).
        connection.exec_driver_sql("CREATE ROLE sam LOGIN PASSWORD 's3cret' SUPERUSER")
    seen: list[ConnectDialog] = []

    def run_dialog(self) -> int:
        seen.append(self)
        self.show()
        _type(qtbot, self.host, url.host)
        self.port.setValue(url.port)
        _type(qtbot, self.database, url.database)
        _type(qtbot, self.user, "sam")
        _type(qtbot, self.password, "wrong")
        qtbot.mouseClick(self.connect_button, Qt.MouseButton.LeftButton)
        said = self.field_errors[self.password]  # under the password, where the cursor goes
        assert said.isVisible()
        assert said.text().endswith(
            "refused the password for sam; check it (File > Connect to team workspace saves it)."
        )
        _type(qtbot, self.password, "s3cret")
        qtbot.mouseClick(self.connect_button, Qt.MouseButton.LeftButton)
        return int(self.result())

    monkeypatch.setattr(ConnectDialog, "exec", run_dialog)
    try:
        window.actions_by_id["connect_team"].trigger()
        assert seen and seen[0].store is not None
        assert window.ctx.store.engine.url.username == "sam"
        assert window.remote.listener is not None
        saved = list(memory_keyring.saved.values())
        assert saved == ["s3cret"]
        settings_text = "".join(
            p.read_text(encoding="utf-8") for p in _settings_folder.glob("*.ini")
        )
        assert "s3cret" not in settings_text and "sam@" in settings_text
        # Next time the dialog starts filled in, and the keyring supplies the password.
        again = ConnectDialog(window, window.settings.team_connection)
        qtbot.addWidget(again)
        assert again.user.text() == "sam" and again.database.text() == url.database
        again.try_connect()
        assert again.store is not None
        again.store.close()
    finally:
        window.close()  # the role stays (the throwaway server goes), so late reads still work


def test_the_audit_trail_of_an_account_is_in_the_window(
    window, qtbot, store, book: Book, monkeypatch
):
    other = _other_person(store)
    try:
        with other.session() as session:
            # The login writing the trail is on the team as "Pat Admin": Who says so.
            session.add(TeamMember(login=store.engine.url.username, name="Pat Admin"))
        with other.session() as session:
            accounts.update_account(session, book.globex, {"owner": "Maya Patel", "tier": 2})
    finally:
        other.close()
    window.tree.select(book.globex)
    # A machine east of UTC (5:30, so no clock reads the same): the header said "When (UTC)"
    # above the local times the app shows everywhere (dates_text.moment).
    monkeypatch.setenv("TZ", "Asia/Kolkata")
    time.tzset()
    try:
        window.actions_by_id["account_history"].trigger()
        dialog = window.history_dialog
        qtbot.waitUntil(dialog.isVisible)
    finally:
        monkeypatch.undo()
        time.tzset()
    rows = [
        [dialog.list.item(i, c).text() for c in range(3)] for i in range(dialog.list.rowCount())
    ]
    assert rows[0][1] == "Pat Admin"  # it read the login, "postgres"
    assert rows[0][2] == "changed owner (CSM), tier of the account"  # as the Overview names it
    assert any(row[2] == "added a task" for row in rows)  # the book's tasks, as created
    header = [dialog.list.horizontalHeaderItem(c).text() for c in range(3)]
    assert header == ["When", "Who", "What"]
    at = dialog.lines[0].at.astimezone(ZoneInfo("Asia/Kolkata")).replace(tzinfo=None)
    assert rows[0][0] == dates_text.moment(at)  # the local time in India, not UTC's
    dialog.close()


@pytest.mark.parametrize("screen", [(1366, 768), (1920, 1080)])
def test_a_long_change_reads_whole_in_the_history(window, qtbot, store, book: Book, screen):
    # A change of three fields read "changed company revenue (annual), owner (CSM), tier of
    # the acc…" in the 640-pixel dialog: its What is now wrapped in its row, and its tooltip.
    other = _other_person(store)
    try:
        with other.session() as session:
            changes = {"owner": "Maya Patel", "tier": 2, "annual_revenue_minor": 5_000_000_00}
            accounts.update_account(session, book.globex, changes)
    finally:
        other.close()
    window.resize(*screen)
    window.tree.select(book.globex)
    window.actions_by_id["account_history"].trigger()
    dialog = window.history_dialog
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.width() <= 1366 - 40 and dialog.height() <= 768 - 80  # fits a laptop
    table = dialog.list
    what = "changed company revenue (annual), owner (CSM), tier of the account"
    assert table.item(0, 2).text() == what and table.item(0, 2).toolTip() == what
    shots = os.environ.get("FIELDBOOK_SHOTS")  # where to keep the pictures, to look at them
    if shots:
        dialog.grab().save(str(Path(shots) / f"history-{screen[0]}.png"))
    _whole(table)
    dialog.resize(520, 480)  # made narrower by hand: What wraps, its row grows
    qtbot.waitUntil(lambda: table.rowHeight(0) > table.rowHeight(1))
    if shots:
        dialog.grab().save(str(Path(shots) / f"history-{screen[0]}-narrow.png"))
    _whole(table)
    dialog.close()


def _whole(table) -> None:
    """Every row's What fits its cell, wrapped if need be; When and Who on one line."""
    for row in range(table.rowCount()):
        cell = table.visualRect(table.model().index(row, 2))
        room = cell.adjusted(6, 0, -6, 0)  # the style's item padding
        text = table.item(row, 2).text()
        needed = table.fontMetrics().boundingRect(
            QRect(0, 0, room.width(), 10_000), Qt.TextFlag.TextWordWrap, text
        )
        assert needed.width() <= room.width() and needed.height() <= cell.height(), text
    for column in range(2):  # When and Who are whole on one line
        for row in range(table.rowCount()):
            text = table.item(row, column).text()
            assert table.fontMetrics().horizontalAdvance(text) < table.columnWidth(column)
