"""The window on a team workspace: others' commits appear, a stale save is told, not lost."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.models import Account
from app.models.store import open_workspace
from app.services import accounts

from .conftest import Book

pytestmark = [pytest.mark.postgres_only, pytest.mark.qt_log_ignore("propagateSizeHints")]


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
