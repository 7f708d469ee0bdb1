"""Account tabs: add, edit, tick and delete items through the undo stack; forms validate."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from sqlalchemy import select

from app.models import Activity, Goal, Milestone, Renewal, Risk, SuccessPlan, Task
from app.views.account import forms, sections
from app.views.account.forms import ItemForm

from .conftest import TODAY, Book


def answer_form(monkeypatch, *answers):
    """Replace the form dialog: each call returns the next answer."""
    calls: list[dict] = []
    queue = list(answers)

    def fake(parent, title, specs, values=None, choices=None, new=False):
        calls.append({"title": title, "values": values, "choices": choices, "new": new})
        return queue.pop(0)

    monkeypatch.setattr(forms, "edit_form", fake)
    return calls


def test_add_edit_delete_a_risk_with_undo(window, store, book: Book, monkeypatch, qtmodeltester):
    window.open_account(book.globex, "Risks & escalations")
    section = window.workspace.current_tab().section("risk")
    calls = answer_form(
        monkeypatch,
        {"title": "Budget freeze", "category": "company", "severity": "high", "status": "open",
         "opened_on": TODAY, "is_escalation": False},
        {"severity": "critical"},
    )  # fmt: skip
    section.add()
    assert calls[0]["values"]["opened_on"] == TODAY
    with store.read() as session:
        risk = session.execute(select(Risk).where(Risk.account_id == book.globex)).scalar_one()
        assert risk.title == "Budget freeze"
        risk_id = risk.id
    assert [r["title"] for r in section.model.items] == ["Budget freeze"]
    qtmodeltester.check(section.model)
    section.select_item(risk_id)
    section.edit()
    with store.read() as session:
        assert session.get(Risk, risk_id).severity.value == "critical"
    assert window.actions_by_id["undo"].text() == "&Undo edit Budget freeze"
    section.delete()
    with store.read() as session:
        assert session.get(Risk, risk_id) is None
    assert section.model.items == []
    window.ctx.undo_stack.undo()
    with store.read() as session:
        assert session.get(Risk, risk_id).severity.value == "critical"
    window.ctx.undo_stack.undo()
    with store.read() as session:
        assert session.get(Risk, risk_id).severity.value == "high"


def test_log_a_meeting_with_attendees_and_follow_up_tasks(window, store, book: Book, monkeypatch):
    window.open_account(book.acme, "Touchpoints")
    tab = window.workspace.current_tab()
    activities = tab.section("activity")
    # The domain's word, as the calendar and the health chart say (the tab said "Activities",
    # its button "Add activity").
    tabs = window.workspace.tabs
    assert tabs.tabText(tabs.currentIndex()) == "Touchpoints"
    assert activities.add_button.toolTip() == "Add touchpoint"
    assert activities.edit_button.accessibleName() == "Edit touchpoint"
    with store.read() as session:
        from app.services.work_items import stakeholder_choices

        people = stakeholder_choices(session, book.acme)
    answer_form(
        monkeypatch,
        {"kind": "meeting", "title": "QBR prep", "occurred_at": TODAY,
         "attendee_ids": [people[0][0]], "minutes": "Agreed the agenda.", "duration_minutes": 45,
         "_follow_ups": "Send the deck by 2026-05-10\nBook the room"},
    )  # fmt: skip
    activities.add()
    with store.read() as session:
        activity = session.execute(
            select(Activity).where(Activity.title == "QBR prep")
        ).scalar_one()
        assert [s.name for s in activity.attendees] == ["Ann Champion"]
        tasks = session.execute(select(Task).where(Task.activity_id == activity.id)).scalars()
        assert sorted((t.title, t.due_on) for t in tasks) == [
            ("Book the room", None),
            ("Send the deck", date(2026, 5, 10)),
        ]
    assert [t["title"] for t in tab.section("task").model.items] == [
        "Send the deck",
        "Book the room",
    ]
    assert window.actions_by_id["undo"].text() == "&Undo add QBR prep"
    window.ctx.undo_stack.undo()  # one step removes the meeting and its tasks
    with store.read() as session:
        assert session.execute(select(Task).where(Task.account_id == book.acme)).first() is None


def test_tick_a_task_in_the_table(window, store, book: Book):
    window.open_account(book.globex, "Touchpoints")
    tasks = window.workspace.current_tab().section("task")
    index = tasks.model.index(0, 0)
    tasks.model.setData(index, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    with store.read() as session:
        assert session.get(Task, book.task_today).done


def test_first_goal_creates_the_plan_and_milestones_pick_a_goal(window, store, book, monkeypatch):
    window.open_account(book.initech, "Success plan")
    tab = window.workspace.current_tab()
    answer_form(monkeypatch, {"title": "Roll out to EMEA", "status": "on_track"})
    tab.section("goal").add()
    with store.read() as session:
        goal = session.execute(select(Goal)).scalar_one()
        assert session.get(SuccessPlan, goal.plan_id).account_id == book.initech
        goal_id = goal.id
    calls = answer_form(
        monkeypatch,
        {"title": "Pilot live", "goal_id": goal_id, "due_on": TODAY, "status": "planned"},
    )
    tab.section("milestone").add()
    assert calls[0]["choices"]["goal_id"] == [(goal_id, "Roll out to EMEA")]
    with store.read() as session:
        assert session.execute(select(Milestone.title)).scalar_one() == "Pilot live"
    assert [m["goal_title"] for m in tab.section("milestone").model.items] == ["Roll out to EMEA"]
    window.ctx.undo_stack.undo()
    window.ctx.undo_stack.undo()
    with store.read() as session:
        assert session.execute(select(SuccessPlan)).first() is None


def test_renewal_forecast_on_a_contract(window, store, book: Book, monkeypatch):
    window.open_account(book.germany, "Renewals")
    tab = window.workspace.current_tab()
    tab.table.selectRow(0)
    assert tab.details_button.isEnabled()
    answer_form(monkeypatch, {"forecast": "at_risk", "likelihood": 40})
    tab.edit_renewal()
    with store.read() as session:
        renewal = session.execute(select(Renewal)).scalar_one()
        assert renewal.forecast.value == "at_risk" and renewal.likelihood == 40
    assert tab.selected().contract.likelihood == 40


def test_form_explains_bad_input_beside_the_field(qtbot):
    form = ItemForm("New contract", sections.CONTRACTS.fields, {"currency": "EUR"})
    qtbot.addWidget(form)
    ok = form.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()  # name and dates are required
    name = form.editors["name"]
    assert name.error.text() == "Contract is required."
    qtbot.keyClicks(name.input, "Platform")
    qtbot.keyClicks(form.editors["start_date"].input, "2026-01-01")
    qtbot.keyClicks(form.editors["end_date"].input, "2025-12-31")
    end = form.editors["end_date"]
    assert end.error.text() == "Must not be before the start date."
    assert not ok.isEnabled()
    end.input.clear()
    qtbot.keyClicks(end.input, "31 Dec 2026")
    value = form.editors["value_minor"]
    qtbot.keyClicks(value.input, "1,234.5x")
    assert "1,234.50" in value.error.text()
    assert not ok.isEnabled()
    value.input.clear()
    qtbot.keyClicks(value.input, "1,234.50")
    assert ok.isEnabled()
    values = form.result_values()
    assert values["value_minor"] == 123450
    assert values["end_date"] == date(2026, 12, 31)
    assert values["currency"] == "EUR"


def test_overview_shows_key_figures(window, book: Book):
    window.open_account(book.acme, "Overview")
    tab = window.workspace.current_tab()
    assert tab.cards["arr"].value.text() == "$160K"
    assert "€30K" in tab.cards["arr"].note.text()
    assert tab.cards["risks"].value.text() == "1"
    assert "Champion unhappy" in tab.risks_list.text()


def test_overview_amounts_say_the_accounts_currency(window, book: Book):
    # "299,000.00" beside "Baseline revenue" did not say which money: every amount field
    # says the account's currency after it, the ARR and the company's revenue alike.
    from app.views.account.overview import DETAIL_FIELDS, REVENUE_FIELDS

    window.open_account(book.globex, "Overview")
    tab = window.workspace.current_tab()
    money = [s.name for s in (*DETAIL_FIELDS, *REVENUE_FIELDS) if s.kind == "money"]
    assert len(money) == 10
    for name in money:
        unit = tab.editors[name].unit
        assert unit is not None and unit.text() == "EUR" and unit.isVisibleTo(tab), name
    window.open_account(book.acme, "Overview")
    tab = window.workspace.current_tab()
    assert tab.editors["baseline_revenue_minor"].unit.text() == "USD"


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)], ids=["1366x768", "1920x1080"])
def test_overview_inputs_line_up_with_a_currency_code_beside_one(window, book: Book, size):
    # "Company revenue (annual)" and its "USD" took the width of one Details field, so its
    # box ended short of its neighbours': every box of a column now ends at one edge (an
    # amount's code inside its box, after the figure), and no box got narrower for it.
    from PySide6.QtCore import QPoint

    from app.views.account.overview import DETAIL_FIELDS, REVENUE_FIELDS

    window.resize(*size)
    window.open_account(book.globex, "Overview")
    tab = window.workspace.current_tab()
    for specs in (DETAIL_FIELDS, REVENUE_FIELDS):
        editors = [tab.editors[s.name] for s in specs if s.kind != "multiline"]
        rights = {e.input.mapTo(tab, QPoint(e.input.width(), 0)).x() for e in editors}
        assert len(rights) == 1, [s.name for s in specs]
        for e in editors:
            if e.unit is not None:  # inside the box, clear of the figure
                assert e.unit.parent() is e.input and e.unit.geometry().right() < e.input.width()
                assert e.input.textMargins().right() > e.unit.width()


def test_overview_lists_open_tasks_and_says_the_overdue_ones(window, store, book: Book):
    # The list was "Upcoming tasks" yet showed a task missed three days ago as "May 1".
    from PySide6.QtWidgets import QLabel

    with store.session() as session:
        session.add(Task(account_id=book.globex, title="Chase the PO", due_on=date(2026, 5, 1)))
    window.open_account(book.globex, "Overview")
    tab = window.workspace.current_tab()
    headings = [w.text() for w in tab.findChildren(QLabel) if w.property("role") == "section"]
    assert "Open tasks" in headings and "Upcoming tasks" not in headings
    text = tab.tasks_list.text()
    assert "3 days overdue</b> · Chase the PO" in text
    assert "Later task" in text


def test_one_click_on_the_mark_switches_a_task_between_shared_and_internal(
    window, store, book: Book, qtbot
):
    from PySide6.QtTest import QTest

    window.open_account(book.globex, "Touchpoints")
    tasks = window.workspace.current_tab().section("task")
    column = [c.key for c in tasks.spec.columns].index("shared")
    row = [t["id"] for t in tasks.model.items].index(book.task_today)
    index = tasks.model.index(row, column)
    assert index.data() == "Shared"
    tasks.table.scrollTo(index)
    centre = tasks.table.visualRect(index).center()
    QTest.mouseClick(tasks.table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    with store.read() as session:
        assert session.get(Task, book.task_today).shared is False
    qtbot.waitUntil(lambda: tasks.model.index(row, column).data() == "Internal")
    assert "Internal" in tasks.model.index(row, column).data(Qt.ItemDataRole.ToolTipRole)
    assert window.actions_by_id["undo"].text() == "&Undo make internal Send the QBR deck"
    window.ctx.undo_stack.undo()
    with store.read() as session:
        assert session.get(Task, book.task_today).shared is True


@pytest.mark.parametrize("name", ["GOALS", "MILESTONES", "ACTIVITIES", "TASKS", "RISKS"])
def test_every_work_list_and_form_shows_visibility(name):
    spec = getattr(sections, name)
    kind = spec.kind
    assert any(c.kind == "visibility" and c.key == "shared" for c in spec.columns)
    (field,) = [f for f in spec.fields if f.name == "shared"]
    assert field.kind == "bool" and field.default is (kind != "risk")
