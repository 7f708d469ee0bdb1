"""Edit services: delete captures everything so undo restores it; items; Today; money."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.models import (
    Account,
    Activity,
    Contract,
    Goal,
    HierarchyCycleError,
    Milestone,
    Renewal,
    Stakeholder,
    SuccessPlan,
    Task,
)
from app.models.enums import ActivityKind, BuyingRole, MilestoneStatus
from app.models.store import Store
from app.services import accounts, work_items
from app.services.money import format_compact, format_money, parse_amount
from app.services.today import agenda

TODAY = date(2026, 5, 4)


def counts(store: Store) -> dict[str, int]:
    out = {}
    with store.read() as session:
        for model in (Account, Stakeholder, Contract, Renewal, Activity, Task, SuccessPlan, Goal):
            out[model.__name__] = session.execute(select(func.count()).select_from(model)).scalar()
    return out


@pytest.fixture
def tree(store: Store) -> dict[str, str]:
    with store.session() as session:
        top = accounts.create_account(session, "Acme", owner="Maya", currency="EUR")
        mid = accounts.create_account(session, "Acme DE", top)
        low = accounts.create_account(session, "Acme Berlin", mid)
        other = accounts.create_account(session, "Globex")
        boss = Stakeholder(account_id=mid, name="Boss", role=BuyingRole.CHAMPION)
        session.add(boss)
        session.flush()
        session.add(Stakeholder(account_id=mid, name="Report", reports_to_id=boss.id))
        # A person at another account whose successor sits at Acme DE.
        session.add(Stakeholder(account_id=other, name="Left", successor_id=boss.id))
        contract = Contract(
            account_id=low, name="C", start_date=TODAY, end_date=TODAY + timedelta(days=40)
        )
        session.add(contract)
        session.flush()
        session.add(Renewal(contract_id=contract.id, likelihood=50))
        activity = Activity(
            account_id=mid,
            kind=ActivityKind.MEETING,
            title="M",
            occurred_at=datetime(2026, 5, 1, tzinfo=UTC),
        )
        activity.attendees = [boss]
        session.add(activity)
        session.flush()
        session.add(Task(account_id=mid, activity_id=activity.id, title="T", due_on=TODAY))
        plan = SuccessPlan(account_id=top, title="Plan")
        session.add(plan)
        session.flush()
        goal = Goal(plan_id=plan.id, title="G")
        session.add(goal)
        session.flush()
        session.add(Milestone(goal_id=goal.id, title="M1", due_on=TODAY - timedelta(days=3)))
    return {"top": top, "mid": mid, "low": low, "other": other}


def test_delete_and_restore_round_trip(store: Store, tree: dict[str, str]):
    before = counts(store)
    with store.read() as session:
        impact = accounts.deletion_impact(session, tree["top"])
    assert impact.sentence() == (
        "Delete Acme with 2 sub-accounts, 2 stakeholders, 1 contract, 1 success plan, "
        "1 touchpoint and 1 task?"
    )
    with store.session() as session:
        snapshot = accounts.delete_account(session, tree["top"])
    after = counts(store)
    assert after["Account"] == 1 and after["Stakeholder"] == 1 and after["Goal"] == 0
    with store.read() as session:
        left = session.execute(select(Stakeholder).where(Stakeholder.name == "Left")).scalar_one()
        assert left.successor_id is None
    with store.session() as session:
        accounts.restore_account(session, snapshot)
    assert counts(store) == before
    with store.read() as session:
        left = session.execute(select(Stakeholder).where(Stakeholder.name == "Left")).scalar_one()
        report = session.execute(
            select(Stakeholder).where(Stakeholder.name == "Report")
        ).scalar_one()
        assert left.successor_id == report.reports_to_id
        activity = session.execute(select(Activity)).scalar_one()
        assert [s.name for s in activity.attendees] == ["Boss"]
        assert session.get(Account, tree["low"]).parent_id == tree["mid"]


def test_reparent_check_refuses_cycles(store: Store, tree: dict[str, str]):
    with store.read() as session, pytest.raises(HierarchyCycleError, match="Acme cannot sit"):
        accounts.check_reparent(session, tree["top"], tree["low"])
    with store.read() as session:
        accounts.check_reparent(session, tree["low"], tree["other"])


def test_update_returns_old_values_and_validates(store: Store, tree: dict[str, str]):
    with store.session() as session:
        old = accounts.update_account(session, tree["top"], {"name": " Acme Corp ", "arr_minor": 5})
    assert old == {"name": "Acme", "arr_minor": 0}
    with store.session() as session, pytest.raises(ValueError, match="needs a name"):
        accounts.update_account(session, tree["top"], {"name": "  "})
    with store.session() as session, pytest.raises(ValueError, match="three-letter"):
        accounts.update_account(session, tree["top"], {"currency": "EURO"})


def test_child_inherits_owner_and_currency(store: Store, tree: dict[str, str]):
    with store.read() as session:
        child = session.get(Account, tree["mid"])
        assert (child.owner, child.currency) == ("Maya", "EUR")


def test_item_crud_and_restore(store: Store, tree: dict[str, str]):
    with store.session() as session:
        risk_id = work_items.create_item(
            session,
            "risk",
            {"account_id": tree["mid"], "title": "R", "category": "support", "opened_on": TODAY},
        )
    with store.session() as session:
        old = work_items.update_item(session, "risk", risk_id, {"severity": "critical"})
    assert old == {"severity": "medium"}
    with store.read() as session:
        assert work_items.account_of_item(session, "risk", risk_id) == tree["mid"]
        rows = work_items.list_items(session, "risk", tree["mid"])
        assert [r["severity"].value for r in rows] == ["critical"]
    with store.session() as session:
        snap = work_items.delete_item(session, "goal", _goal(store))
    with store.read() as session:
        assert session.execute(select(Milestone)).first() is None
    with store.session() as session:
        work_items.restore_item(session, snap)
    with store.read() as session:
        assert session.execute(select(Milestone.title)).scalar_one() == "M1"


def _goal(store: Store) -> str:
    with store.read() as session:
        return session.execute(select(Goal.id)).scalar_one()


def test_ticking_a_task_stamps_done_at(store: Store, tree: dict[str, str]):
    with store.read() as session:
        task_id = session.execute(select(Task.id)).scalar_one()
    with store.session() as session:
        old = work_items.update_item(session, "task", task_id, {"done": True})
    assert old == {"done": False, "done_at": None}
    with store.read() as session:
        assert session.get(Task, task_id).done_at is not None


def test_agenda_sections(store: Store, tree: dict[str, str]):
    with store.read() as session:
        items = agenda(session, TODAY)
    by_section = {}
    for item in items:
        by_section.setdefault(item.section, []).append(item.title)
    assert by_section["task"] == ["T"]
    assert by_section["renewal"] == ["60-day checkpoint: C"]
    assert by_section["notice"] == ["C: notice deadline"]  # 90 days' notice already passed
    assert by_section["milestone"] == ["M1"]
    assert "Boss (champion)" in by_section["quiet"]
    with store.session() as session:
        session.execute(Milestone.__table__.update().values(status=MilestoneStatus.DONE.value))
    with store.read() as session:
        assert not [i for i in agenda(session, TODAY) if i.section == "milestone"]


def test_a_milestone_on_today_reads_like_a_task(store: Store, tree: dict[str, str]):
    """Its lateness as a task's ("1 day overdue"), a slipping one's due day in words: they
    read "1 days past due" and "marked slipping, due 2026-05-14"."""
    with store.session() as session:
        goal = session.execute(select(Goal.id)).scalar_one()
        session.execute(Milestone.__table__.update().values(due_on=TODAY - timedelta(days=1)))
        session.add(
            Milestone(
                goal_id=goal,
                title="M2",
                due_on=TODAY + timedelta(days=10),
                status=MilestoneStatus.SLIPPING,
            )
        )
    with store.read() as session:
        details = {i.title: i.detail for i in agenda(session, TODAY) if i.section == "milestone"}
    assert details == {"M1": "1 day overdue", "M2": "slipping · due May 14, 2026"}


@pytest.mark.parametrize(
    ("text", "minor"),
    [("1,234.50", 123450), ("1234.5", 123450), ("1234", 123400), ("$1,000", 100000), ("0.07", 7)],
)
def test_parse_amount(text: str, minor: int):
    assert parse_amount(text) == minor


@pytest.mark.parametrize("text", ["1,23.00", "12,34x", "1.234", "-5", "", "1,2345"])
def test_parse_amount_refuses(text: str):
    with pytest.raises(ValueError):
        parse_amount(text)


def test_formatting():
    assert format_money(123456789, "EUR") == "€1,234,568"
    assert format_money(-5050, "GBP", exact=True) == "-£50.50"
    assert format_compact(250_000_00, "USD") == "$250K"
    assert format_compact(1_250_000_00, "CHF") == "CHF\u00a01.2M"


def test_a_new_top_level_account_gets_the_books_owner(store: Store) -> None:
    with store.session() as session:
        assert accounts.default_owner(session) is None
        first = accounts.create_account(session, "Lonely")
        accounts.create_account(session, "A", owner="Maya")
        accounts.create_account(session, "B", owner="Maya")
        accounts.create_account(session, "C", owner="Jonas")
        new = accounts.create_account(session, "Fresh")
        explicit = accounts.create_account(session, "Theirs", owner="Jonas")
        values = {a: accounts.account_values(session, a)["owner"] for a in (first, new, explicit)}
    assert values == {first: None, new: "Maya", explicit: "Jonas"}


def test_a_new_task_defaults_to_the_accounts_owner(store: Store, tree: dict[str, str]) -> None:
    with store.session() as session:
        mine = work_items.create_item(session, "task", {"account_id": tree["top"], "title": "Call"})
        theirs = work_items.create_item(
            session, "task", {"account_id": tree["top"], "title": "Send", "owner": "Ben"}
        )
        assert session.get(Task, mine).owner == "Maya"  # type: ignore[union-attr]
        assert session.get(Task, theirs).owner == "Ben"  # type: ignore[union-attr]
