"""The Today view lists what is due and lets the CSM tick tasks off (undoably)."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from app.models import Task
from app.services.exchange import set_rate
from app.views.today import TodayView
from app.views.today_list import AgendaModel

from .conftest import TODAY, Book


@pytest.fixture
def today_view(qtbot, store, book: Book):
    from app.views.context import AppContext

    ctx = AppContext(store=store, today=TODAY)
    view = TodayView(ctx)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: view.model.rowCount() > 0)
    return view


def lines(view: TodayView, section: str) -> list[str]:
    model = view.model
    for row, (key, _title, items) in enumerate(model.sections):
        if key == section:
            parent = model.index(row, 0)
            return [model.index(n, 0, parent).data() for n in range(len(items))]
    return []


def test_lists_a_task_due_today_and_ticking_it_marks_it_done(today_view, store, book: Book, qtbot):
    assert lines(today_view, "task") == ["Send the QBR deck"]
    model = today_view.model
    section = next(i for i, s in enumerate(model.sections) if s[0] == "task")
    index = model.index(0, 0, model.index(section, 0))
    assert index.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    assert model.flags(index) & Qt.ItemFlag.ItemIsUserCheckable
    model.setData(index, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    with store.read() as session:
        task = session.get(Task, book.task_today)
        assert task.done and task.done_at is not None
    qtbot.waitUntil(lambda: lines(today_view, "task") == [])
    today_view.ctx.undo_stack.undo()
    with store.read() as session:
        assert not session.get(Task, book.task_today).done
    qtbot.waitUntil(lambda: lines(today_view, "task") == ["Send the QBR deck"])


def test_renewal_checkpoints_health_drops_and_quiet_stakeholders(today_view):
    assert lines(today_view, "renewal") == ["60-day checkpoint: Germany subscription"]
    assert lines(today_view, "health") == ["Health 60 → 35"]
    quiet = lines(today_view, "quiet")
    assert "Ann Champion (champion)" in quiet


def test_portfolio_figures(today_view):
    assert today_view.cards["arr"].value.text() == "$180K"  # 100k + 50k + 10k + 20k
    # Without a EUR rate the total names what it leaves out, in full.
    assert today_view.cards["arr"].note.text() == (
        "6 accounts · Leaves out €100K (EUR): no rate to USD."
    )
    assert today_view.cards["renewing"].value.text() == "$50K"
    assert today_view.cards["at_risk"].value.text() == "$20K"  # Initech is red
    # One meaning per word: red health is not "ARR at risk" (the forecast's word).
    assert today_view.cards["at_risk"].caption.text() == "ARR needing attention"
    assert "red health" in today_view.cards["at_risk"].toolTip()
    assert today_view.cards["bands"].value.text() == "1 red"
    assert today_view.cards["bands"].note.text() == "0 green · 0 yellow · 5 not scored"


def test_portfolio_figures_convert_with_the_users_rates(today_view, qtbot):
    with today_view.ctx.store.session() as session:
        set_rate(session, "EUR", "1.10", date(2026, 5, 1), today=TODAY)
    qtbot.waitUntil(lambda: today_view.cards["arr"].value.text() == "$290K")  # 180K + 110K
    assert today_view.cards["arr"].note.text() == (
        "6 accounts · Converted at rates of May 1, 2026."
    )


def test_a_line_opens_its_account(today_view, qtbot, book: Book):
    model = today_view.model
    section = next(i for i, s in enumerate(model.sections) if s[0] == "renewal")
    index = model.index(0, 1, model.index(section, 0))
    with qtbot.waitSignal(today_view.ctx.events.open_account) as blocker:
        today_view.view.activated.emit(index)
    assert blocker.args == [book.germany, "Renewals"]


def test_agenda_model_passes_the_model_tester(today_view, qtmodeltester):
    qtmodeltester.check(today_view.model)
    qtmodeltester.check(AgendaModel())
