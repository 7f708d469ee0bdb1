"""Today shows my overdue reviews and play steps, only mine until I ask for the team's."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from PySide6.QtCore import Qt

from app.models import Activity, PlayStep
from app.models.enums import ActivityKind
from app.models.playbook import StepStatus
from app.services import plays
from app.services.playbook_catalog import QBR_PREP
from app.views.playbooks import my_book
from app.views.settings import WindowSettings
from app.views.today import TodayView

from .conftest import TODAY, Book, main_window_as
from .test_today import lines


@pytest.fixture
def history(store, book: Book) -> None:
    """Acme (Maya Patel's) and Globex (Jonas Weber's) each held a QBR in January; each runs
    a QBR preparation started in April."""
    with store.session() as session:
        for account_id in (book.acme, book.globex):
            session.add(
                Activity(
                    account_id=account_id,
                    kind=ActivityKind.QBR,
                    title="QBR",
                    occurred_at=datetime(2026, 1, 13, 10, tzinfo=UTC),
                )
            )
        plays.start_by_name(session, "Acme", QBR_PREP, date(2026, 4, 20))
        plays.start_by_name(session, "Globex", QBR_PREP, date(2026, 4, 20))


def today_tab(window) -> TodayView:
    view = window.findChild(TodayView)
    assert view is not None
    return view


def open_today(qtbot, store, size=(1366, 768), me: str = ""):
    """The real main window at ``size`` (the user being ``me``) and its Today, filled."""
    window = main_window_as(qtbot, store, size, me)
    view = today_tab(window)
    qtbot.waitUntil(lambda: view.model.rowCount() > 0)
    return window, view


def test_today_is_my_book_until_i_ask_for_the_team(qtbot, store, book: Book, history) -> None:
    window, view = open_today(qtbot, store, me="Maya Patel")

    assert view.scope.mine.text() == "My book: Maya Patel"
    # The QBR every 91 days from 13 Jan was due 14 Apr: 20 days overdue on 4 May.
    assert lines(view, "cadence") == ["QBR overdue by 20 days"]
    steps = lines(view, "play")
    assert steps and "Health, adoption and support figures pulled" in steps
    accounts = {item.account_name for _k, _t, items in view.model.sections for item in items}
    assert "Globex" not in accounts
    assert lines(view, "task") == []  # Globex's task is Jonas's
    assert "5 accounts" in view.cards["arr"].note.text()  # the figures are my book's too

    # One click: the whole team's.
    qtbot.mouseClick(view.scope.team, Qt.MouseButton.LeftButton)
    assert view.scope.team.isChecked() and not view.scope.mine.isChecked()
    assert lines(view, "cadence") == ["QBR overdue by 20 days", "QBR overdue by 20 days"]
    assert lines(view, "task") == ["Send the QBR deck"]
    assert "6 accounts" in view.cards["arr"].note.text()
    qtbot.mouseClick(view.scope.team, Qt.MouseButton.LeftButton)  # already on: stays on
    assert view.scope.team.isChecked() and lines(view, "task") == ["Send the QBR deck"]
    qtbot.mouseClick(view.scope.mine, Qt.MouseButton.LeftButton)
    assert lines(view, "task") == []

    # Ticking a play step on Today is one undo step.
    model = view.model
    section = next(i for i, s in enumerate(model.sections) if s[0] == "play")
    index = model.index(0, 0, model.index(section, 0))
    step_id = model.item(index).step_id
    assert model.flags(index) & Qt.ItemFlag.ItemIsUserCheckable
    model.setData(index, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    with store.read() as session:
        assert session.get(PlayStep, step_id).status == StepStatus.DONE
    window.ctx.undo_stack.undo()
    with store.read() as session:
        assert session.get(PlayStep, step_id).status == StepStatus.OPEN
    window.close()


def test_first_run_asks_who_i_am_inline(qtbot, store, book: Book, history, monkeypatch) -> None:
    from app.views.main_window import MainWindow

    window = MainWindow(store, today=TODAY)
    qtbot.addWidget(window)
    window.show()
    view = today_tab(window)
    qtbot.waitUntil(lambda: view.model.rowCount() > 0)
    assert view.scope.who.isVisible() and not view.scope.switch.isVisible()
    assert [view.scope.who.itemText(i) for i in range(view.scope.who.count())] == [
        "Jonas Weber",
        "Maya Patel",
    ]
    assert "Send the QBR deck" in lines(view, "task")  # everyone's until I say who I am
    view.scope.who.setCurrentText("Jonas Weber")
    qtbot.mouseClick(view.scope.confirm, Qt.MouseButton.LeftButton)
    assert WindowSettings().me == "Jonas Weber"
    assert view.scope.switch.isVisible()
    assert lines(view, "task") == ["Send the QBR deck"]
    assert {i.account_name for _k, _t, items in view.model.sections for i in items} == {"Globex"}

    # Edit › Who I Am… changes it later.
    asked: list[tuple[list[str], str]] = []

    def answer(parent, names, me):
        asked.append((names, me))
        return "Maya Patel"

    monkeypatch.setattr(my_book, "ask_name", answer)
    window.actions_by_id["who_am_i"].trigger()
    assert asked == [(["Jonas Weber", "Maya Patel"], "Jonas Weber")]
    assert view.scope.mine.text() == "My book: Maya Patel"
    assert lines(view, "task") == []
    window.close()


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)])
def test_my_book_switch_looks_like_a_switch(qtbot, store, book: Book, history, size) -> None:
    """ "My book | Whole team": two joined segments, the chosen one filled with the highlight
    colour, the other drawn as a button (not flat text on the window's background)."""
    window, view = open_today(qtbot, store, size, me="Maya Patel")
    mine, team = view.scope.mine, view.scope.team
    assert (mine.text(), team.text()) == ("My book: Maya Patel", "Whole team")
    assert mine.isVisible() and team.isVisible()
    # Joined: side by side, touching, the same height, both inside the window.
    assert mine.geometry().right() + 1 == team.geometry().left()
    assert mine.height() == team.height()
    assert team.mapTo(window, team.rect().bottomRight()).x() < window.width()

    def fill(button) -> tuple[int, int, int]:
        """The colour just inside the button's left edge (padding, no text)."""
        image = button.grab().toImage()
        colour = image.pixelColor(4, image.height() // 2)
        return (colour.red(), colour.green(), colour.blue())

    palette = view.palette()
    highlight = palette.color(palette.ColorRole.Highlight)
    background = palette.color(palette.ColorRole.Window)
    as_rgb = lambda c: (c.red(), c.green(), c.blue())  # noqa: E731
    assert fill(mine) == as_rgb(highlight)
    assert fill(team) != as_rgb(highlight) and fill(team) != as_rgb(background)
    qtbot.mouseClick(team, Qt.MouseButton.LeftButton)
    assert team.isChecked() and not mine.isChecked()
    assert fill(team) == as_rgb(highlight) and fill(mine) != as_rgb(highlight)
    assert "Send the QBR deck" in lines(view, "task")
    window.close()


def _cut_cells(view: TodayView) -> list[str]:
    """Every Today line whose text the view would not show whole: wider than its column
    and not wrapped onto rows tall enough for it."""
    from PySide6.QtCore import QRect
    from PySide6.QtWidgets import QStyle, QStyleOptionViewItem

    tree, model = view.view, view.model
    delegate, style = tree.itemDelegate(), tree.style()
    margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, tree) + 1
    cut = []
    for row in range(model.rowCount()):
        parent = model.index(row, 0)
        for line in range(model.rowCount(parent)):
            for column in range(model.columnCount()):
                index = model.index(line, column, parent)
                option = QStyleOptionViewItem()
                option.initFrom(tree)
                delegate.initStyleOption(option, index)
                option.rect = tree.visualRect(index)
                text = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, option, tree)
                width = text.width() - 2 * margin
                needed = option.fontMetrics.boundingRect(
                    QRect(0, 0, width, 100_000), Qt.TextFlag.TextWordWrap, option.text
                )
                if needed.width() > width or needed.height() > text.height():
                    cut.append(option.text)
    return cut


@pytest.mark.parametrize("theme", [None, "light"])
@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)])
def test_today_shows_long_play_lines_whole(
    qtbot, qapp, store, book: Book, history, size, theme
) -> None:
    """A long step title on a long account name, a play name and an owner in the details:
    at 1366x768 the lines wrap rather than being cut; at 1920x1080 each fits on one line.
    Also with the app's theme, whose item padding takes room from the text (the rows were
    one line short of a wrapped line's height with it)."""
    from app.models import Account
    from app.views.theme import apply_theme

    if theme:
        apply_theme(qapp, theme)

    with store.session() as session:
        session.get(Account, book.globex).name = "Globex Engineering Netherlands Field Services"
        plays.start_by_name(
            session,
            "Globex Engineering Netherlands Field Services",
            "3-phase onboarding",
            date(2026, 3, 2),
        )
    window, view = open_today(qtbot, store, size)
    details = [item.detail for _k, _t, items in view.model.sections for item in items]
    assert "3-phase onboarding · 63 days overdue · Jonas Weber" in details

    def nothing_cut() -> None:
        tree = view.view
        widths = [tree.header().sectionSize(c) for c in range(tree.header().count())]
        assert _cut_cells(view) == [], (
            f"viewport {tree.viewport().width()}, needs {tree.needs}, widths {widths}"
        )

    qtbot.waitUntil(nothing_cut)
    if size == (1920, 1080):
        tree = view.view
        heights = {
            tree.visualRect(view.model.index(0, 0, view.model.index(r, 0))).height()
            for r in range(view.model.rowCount())
        }
        assert len(heights) == 1  # no line needed a second row
    window.close()
