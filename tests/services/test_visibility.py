"""Visibility defaults: plan work and follow-ups are shared, our own risk work is internal."""

from __future__ import annotations

from datetime import date

from app.models import Goal, Milestone, Risk, Task
from app.models.enums import RiskCategory
from app.models.store import Store
from app.services import work_items
from app.services.visibility import risk_shared_by_default, task_shared_by_default
from tests.map_helpers import add_account


def test_new_items_get_the_default_visibility(store: Store) -> None:
    acc = add_account(store)
    with store.session() as session:
        plan = work_items.ensure_plan(session, acc)
        goal = work_items.create_item(session, "goal", {"plan_id": plan, "title": "Go live"})
        milestone = work_items.create_item(
            session, "milestone", {"goal_id": goal, "title": "Pilot", "due_on": date(2026, 5, 1)}
        )
        task = work_items.create_item(session, "task", {"account_id": acc, "title": "Send deck"})
        risk = work_items.create_item(
            session,
            "risk",
            {
                "account_id": acc,
                "title": "Budget",
                "category": "renewal",
                "opened_on": date(2026, 4, 1),
            },
        )
    with store.read() as session:
        assert session.get(Goal, goal).shared  # type: ignore[union-attr]
        assert session.get(Milestone, milestone).shared  # type: ignore[union-attr]
        assert session.get(Task, task).shared  # type: ignore[union-attr]
        assert not session.get(Risk, risk).shared  # type: ignore[union-attr]


def test_one_edit_switches_visibility(store: Store) -> None:
    acc = add_account(store)
    with store.session() as session:
        task = work_items.create_item(session, "task", {"account_id": acc, "title": "Send deck"})
        old = work_items.update_item(session, "task", task, {"shared": False})
    assert old == {"shared": True}
    with store.read() as session:
        (row,) = work_items.list_items(session, "task", acc)
    assert row["shared"] is False


def test_default_rules() -> None:
    assert risk_shared_by_default(RiskCategory.PRODUCT)
    assert not risk_shared_by_default("sentiment")
    assert not risk_shared_by_default(None)
    assert task_shared_by_default()
    assert not task_shared_by_default(risk_id="r")
    assert not task_shared_by_default(made_for_us=True)


def test_created_items_follow_the_rules_unless_told(store: Store) -> None:
    """A task tied to a risk is internal, a product risk is shared, whoever creates them (the
    model's column default alone made every task shared and every risk internal)."""
    acc = add_account(store)
    with store.session() as session:
        risk = work_items.create_item(
            session,
            "risk",
            {"account_id": acc, "title": "SSO gap", "category": "product",
             "opened_on": date(2026, 4, 1)},
        )  # fmt: skip
        mitigation = work_items.create_item(
            session, "task", {"account_id": acc, "title": "Mitigate: SSO gap", "risk_id": risk}
        )
        told = work_items.create_item(
            session,
            "task",
            {"account_id": acc, "title": "Joint SSO workshop", "risk_id": risk, "shared": True},
        )
    with store.read() as session:
        assert session.get(Risk, risk).shared  # type: ignore[union-attr]
        assert not session.get(Task, mitigation).shared  # type: ignore[union-attr]
        assert session.get(Task, told).shared  # type: ignore[union-attr]
