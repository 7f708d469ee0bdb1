"""The tree defaults to my book and has a "Review overdue" quick filter."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt

from app.models import Account, Activity
from app.models.enums import ActivityKind
from app.views.settings import WindowSettings

from .conftest import TODAY, Book


def shown(panel) -> list[str]:
    model = panel.model
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def test_tree_opens_on_my_book_with_one_click_to_the_team(qtbot, store, book: Book) -> None:
    settings = WindowSettings()
    settings.me = "Jonas Weber"
    settings.sync()
    from app.views.main_window import MainWindow

    window = MainWindow(store, today=TODAY)
    qtbot.addWidget(window)
    window.show()
    panel = window.tree
    assert panel.owner_box.currentText() == "Jonas Weber"
    assert shown(panel) == ["Globex"]
    panel.owner_box.setCurrentIndex(0)  # "All owners": the whole team
    assert "Acme" in shown(panel) and "Globex" in shown(panel)
    window.close()


def test_review_overdue_quick_filter(window, qtbot, store, book: Book) -> None:
    with store.session() as session:
        # Globex (mid-market, QBR every 91 days) last met in January: overdue on 4 May.
        session.add(
            Activity(
                account_id=book.globex,
                kind=ActivityKind.QBR,
                title="QBR",
                occurred_at=datetime(2026, 1, 13, tzinfo=UTC),
            )
        )
        # Initech (SMB, every 182 days) met in March: not yet due.
        session.add(
            Activity(
                account_id=book.initech,
                kind=ActivityKind.CBR,
                title="Review",
                occurred_at=datetime(2026, 3, 2, tzinfo=UTC),
            )
        )
        # The other accounts joined the book long ago and never met.
        for account_id in (book.acme, book.germany, book.berlin, book.france):
            session.get(Account, account_id).created_at = datetime(2025, 1, 1, tzinfo=UTC)
    panel = window.tree
    button = panel.quick_buttons["review_overdue"]
    assert button.text() == "Review due"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    names = shown(panel)
    assert "Globex" in names and "Initech" not in names
    assert "Acme Berlin" in names or "Acme" in names
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert "Initech" in shown(panel)


def test_a_new_task_is_mine_by_default(window, store, book: Book, monkeypatch) -> None:
    from app.views.account import forms

    seen: list[dict] = []

    def fake(parent, title, specs, values=None, choices=None, new=False):
        seen.append(dict(values or {}))
        return {**(values or {}), "title": "Send the roadmap", "due_on": TODAY}

    monkeypatch.setattr(forms, "edit_form", fake)
    window.open_account(book.acme, "Touchpoints")
    tasks = window.workspace.current_tab().section("task")
    tasks.add()  # before I have said who I am: the account's owner (issue 16's default)
    assert seen[-1].get("owner") is None
    settings = WindowSettings()
    settings.me = "Jonas Weber"
    settings.sync()
    tasks.add()
    assert seen[-1]["owner"] == "Jonas Weber"
    with store.read() as session:
        from sqlalchemy import select

        from app.models import Task

        owners = session.scalars(
            select(Task.owner).where(Task.title == "Send the roadmap").order_by(Task.created_at)
        ).all()
    assert owners == ["Maya Patel", "Jonas Weber"]


def test_the_calendar_feed_is_my_book_until_the_calendar_shows_the_team(
    qtbot, store, book: Book, monkeypatch, tmp_path
) -> None:
    from app.views.calendar import export_action
    from app.views.main_window import MainWindow

    def feed_for(window: MainWindow, name: str) -> str:
        target = tmp_path / name
        monkeypatch.setattr(export_action, "ask_feed_path", lambda _parent: target)
        window.actions_by_id["export_calendar"].trigger()
        return target.read_text(encoding="utf-8")

    window = MainWindow(store, today=TODAY)
    qtbot.addWidget(window)
    team = feed_for(window, "team.ics")
    assert "Acme" in team and "Globex" in team
    settings = WindowSettings()
    settings.me = "Jonas Weber"
    settings.sync()
    mine = feed_for(window, "mine.ics")
    assert "Globex" in mine and "Acme" not in mine
    titles = [window.home.tabText(i).replace("&", "") for i in range(window.home.count())]
    calendar = window._home_view(titles.index("Calendar"))
    calendar.owner_box.setCurrentIndex(0)  # "All owners": one click to the whole team's
    again = feed_for(window, "team-again.ics")
    assert "Acme" in again and "Globex" in again
    window.close()


def test_opening_the_window_starts_the_plays_of_renewals_120_days_out(
    qtbot, store, book: Book
) -> None:
    """The renewal trigger fires in the window too, not only in `fieldbook playbooks sweep`."""
    from sqlalchemy import select

    from app.models.playbook import Play
    from app.views.main_window import MainWindow

    def plays() -> list[tuple[str, str]]:
        with store.read() as session:
            return list(session.execute(select(Play.account_id, Play.name)).tuples())

    assert plays() == []
    window = MainWindow(store, today=TODAY)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: bool(plays()))
    # Acme Germany's contract ends in 50 days; Globex's in 200 (not yet).
    assert {account for account, _name in plays()} == {book.germany}
    assert "1 renewal play started" in window.statusBar().currentMessage()
    window._start_due_plays(store)  # the next opening: once per term
    assert len(plays()) == 1
    window.close()
