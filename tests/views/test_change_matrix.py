"""Every kind of record: an edit made through a service reaches every open view showing it.

No view is told about the edit: the store announces each commit on its change feed, and
the views subscribe by kind. The edits here run in plain service sessions (as a script, an
import or, on a team workspace, a colleague would make them).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from app.models.changes import ChangeKind, ChangeSet
from app.models.enums import ActivityKind, RiskCategory, Severity, SurveyKind
from app.models.store import Store
from app.services import accounts, map_edits, surveys, work_items
from app.views.account.overview import OverviewTab
from app.views.account.section_tabs import ActivitiesTab, RisksTab, SuccessPlanTab
from app.views.account.workspace import AccountWorkspace
from app.views.calendar import CalendarView
from app.views.calendar.renewals_tab import RenewalsTab
from app.views.context import AppContext
from app.views.health import HealthTab
from app.views.map import StakeholderMapTab
from app.views.today import TodayView
from app.views.tree.panel import AccountTreePanel
from tests.map_helpers import in_unit

from .conftest import TODAY, Book


@dataclass
class Views:
    """One of each view, open side by side on the same workspace."""

    tree: AccountTreePanel
    header: AccountWorkspace  # on Acme Berlin: its breadcrumb names Acme and Acme Germany
    today: TodayView
    calendar: CalendarView
    overview: OverviewTab  # Acme
    plan: SuccessPlanTab  # Acme
    activities: ActivitiesTab  # Acme
    risks: RisksTab  # Acme
    map: StakeholderMapTab  # Acme
    renewals: RenewalsTab  # Acme Germany
    health: HealthTab  # Initech
    host: QWidget | None = None  # holds them all (qtbot keeps only a weak reference)


@pytest.fixture
def ctx(store: Store, book: Book) -> AppContext:
    return AppContext(store=store, today=TODAY)


@pytest.fixture
def views(qtbot: QtBot, ctx: AppContext, book: Book) -> Views:
    host = QWidget()
    qtbot.addWidget(host)
    layout = QVBoxLayout(host)
    made = Views(
        tree=AccountTreePanel(ctx),
        header=AccountWorkspace(ctx, []),
        today=TodayView(ctx),
        calendar=CalendarView(ctx),
        overview=OverviewTab(ctx),
        plan=SuccessPlanTab(ctx),
        activities=ActivitiesTab(ctx),
        risks=RisksTab(ctx),
        map=StakeholderMapTab(ctx),
        renewals=RenewalsTab(ctx),
        health=HealthTab(ctx),
    )
    for widget in vars(made).values():
        if widget is not None:
            layout.addWidget(widget)
    made.host = host
    host.resize(1920, 4000)
    host.show()
    made.tree.load()
    made.header.set_account(book.berlin)
    made.today.reload()
    made.calendar.reload()
    for view in (made.overview, made.plan, made.activities, made.risks, made.map):
        view.set_account(book.acme)
    made.renewals.set_account(book.germany)
    made.health.set_account(book.initech)
    return made


def _in_a_session(store: Store, edit: Callable[..., object]) -> object:
    with store.session() as session:
        return edit(session)


def _calendar_titles(views: Views) -> set[str]:
    return {event.title for event in views.calendar.events}


def _today_titles(views: Views) -> set[str]:
    return {item.title for _k, _t, items in views.today.model.sections for item in items}


def _section_titles(tab: object, kind: str) -> list[str]:
    section = tab.section(kind)  # type: ignore[attr-defined]
    return [str(row.get("title") or row.get("name")) for row in section.model.items]


def test_a_new_milestone_shows_in_the_calendar_and_the_success_plan(
    views: Views, store: Store, book: Book
) -> None:
    def add(session: object) -> None:
        plan = work_items.create_item(session, "plan", {"account_id": book.acme, "title": "P"})  # type: ignore[arg-type]
        goal = work_items.create_item(session, "goal", {"plan_id": plan, "title": "Grow"})  # type: ignore[arg-type]
        work_items.create_item(
            session,  # type: ignore[arg-type]
            "milestone",
            {"goal_id": goal, "title": "Go live", "due_on": TODAY + timedelta(days=3)},
        )

    assert not any("Go live" in t for t in _calendar_titles(views))
    _in_a_session(store, add)
    assert any("Go live" in t for t in _calendar_titles(views))
    assert _section_titles(views.plan, "milestone") == ["Go live"]
    assert _section_titles(views.plan, "goal") == ["Grow"]


def test_renaming_a_parent_updates_the_childs_breadcrumb_and_the_tree(
    views: Views, store: Store, book: Book
) -> None:
    assert "Acme" in views.header.path_label.text()
    _in_a_session(store, lambda s: accounts.update_account(s, book.acme, {"name": "Acme Group"}))
    assert "Acme Group" in views.header.path_label.text()
    assert views.tree.model.rows[book.acme].name == "Acme Group"
    _in_a_session(
        store, lambda s: accounts.update_account(s, book.germany, {"name": "Acme Deutschland"})
    )
    assert "Acme Deutschland" in views.header.path_label.text()


def test_a_task_reaches_today_the_calendar_and_the_account(
    qtbot: QtBot, views: Views, store: Store, book: Book
) -> None:
    _in_a_session(
        store,
        lambda s: work_items.create_item(
            s, "task", {"account_id": book.acme, "title": "Call the CFO", "due_on": TODAY}
        ),
    )
    qtbot.waitUntil(lambda: "Call the CFO" in _today_titles(views))
    assert any("Call the CFO" in t for t in _calendar_titles(views))
    assert "Call the CFO" in views.overview.tasks_list.text()


def test_a_stakeholder_appears_on_the_map(views: Views, store: Store, book: Book) -> None:
    person = in_unit(
        store, map_edits.create_stakeholder, book.acme, "Dana Sponsor", position=(40, 40)
    )
    assert person in views.map.scene.cards
    in_unit(store, map_edits.update_stakeholder, person, {"name": "Dana Exec"})
    assert views.map.imap is not None and views.map.imap.people[person].name == "Dana Exec"


def test_a_contract_reaches_the_renewals_tab_and_the_tree(
    views: Views, store: Store, book: Book
) -> None:
    end = TODAY + timedelta(days=20)
    contract = _in_a_session(
        store,
        lambda s: work_items.create_item(
            s,
            "contract",
            {
                "account_id": book.germany,
                "name": "Germany add-on",
                "start_date": TODAY - timedelta(days=345),
                "end_date": end,
                "value_minor": 5_000_00,
            },
        ),
    )
    names = [line.contract.contract_name for line in views.renewals.model.rows()]
    assert "Germany add-on" in names
    assert views.tree.model.rows[book.germany].next_renewal == end
    assert any(event.ref_id == contract for event in views.calendar.events)


def test_an_activity_reaches_the_account_and_the_calendar(
    views: Views, store: Store, book: Book
) -> None:
    when = datetime.combine(TODAY + timedelta(days=1), datetime.min.time(), tzinfo=UTC)
    _in_a_session(
        store,
        lambda s: work_items.create_item(
            s,
            "activity",
            {
                "account_id": book.acme,
                "kind": ActivityKind.MEETING,
                "title": "Roadmap workshop",
                "occurred_at": when.replace(hour=10),
            },
        ),
    )
    assert "Roadmap workshop" in _section_titles(views.activities, "activity")
    assert any("Roadmap workshop" in t for t in _calendar_titles(views))


def test_a_risk_reaches_the_risks_tab(views: Views, store: Store, book: Book) -> None:
    _in_a_session(
        store,
        lambda s: work_items.create_item(
            s,
            "risk",
            {
                "account_id": book.acme,
                "category": RiskCategory.PRODUCT,
                "title": "Missing SSO",
                "severity": Severity.MEDIUM,
                "opened_on": TODAY,
            },
        ),
    )
    assert "Missing SSO" in _section_titles(views.risks, "risk")


def test_a_survey_answer_reaches_the_health_tab(views: Views, store: Store, book: Book) -> None:
    before = views.health.timeline
    _in_a_session(
        store,
        lambda s: surveys.record_response(
            s, book.initech, surveys.SurveyAnswer(SurveyKind.NPS, 2, TODAY)
        ),
    )
    assert views.health.timeline is not before  # read again


def test_edits_of_other_accounts_leave_account_views_alone(
    views: Views, store: Store, book: Book
) -> None:
    reads: list[str] = []
    views.renewals.reload = lambda: reads.append("renewals")  # type: ignore[method-assign]
    views.map.refresh = lambda: reads.append("map")  # type: ignore[method-assign]
    _in_a_session(
        store,
        lambda s: work_items.create_item(s, "task", {"account_id": book.globex, "title": "Other"}),
    )
    in_unit(store, map_edits.create_stakeholder, book.globex, "Someone Else", position=(0, 0))
    assert reads == []


def test_changes_published_on_another_thread_arrive_on_the_gui_thread(
    qtbot: QtBot, ctx: AppContext, store: Store
) -> None:
    seen: list[tuple[ChangeSet, bool]] = []
    gui = QApplication.instance()
    assert gui is not None
    ctx.events.changed.connect(
        lambda changes: seen.append((changes, QThread.currentThread() == gui.thread()))
    )
    remote = ChangeSet.of(ChangeKind.TASK, accounts=["abc"], remote=True)
    listener = threading.Thread(target=store.changes.publish, args=(remote,))
    with qtbot.waitSignal(ctx.events.changed):
        listener.start()
        listener.join()
    assert seen == [(remote, True)]


def test_only_the_store_announces_changes() -> None:
    """No view emits change notices by hand, and none names a kind as a string."""
    from pathlib import Path

    views = Path(__file__).resolve().parents[2] / "app" / "views"
    offenders = [
        str(path.relative_to(views))
        for path in views.rglob("*.py")
        # The bridges: the store's feed to Qt, and a team server's notifications to the feed.
        if path.name not in ("context.py", "remote.py")
        and (
            "events.changed.emit(" in (text := path.read_text(encoding="utf-8"))
            or "changes.publish(" in text
            or "_on_changed(self, account_id" in text
        )
    ]
    assert offenders == []
