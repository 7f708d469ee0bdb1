"""Each alert rule fires exactly when it should, once per episode; acknowledging; tasks."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.models import HealthAlert, Stakeholder, Task
from app.models.enums import BuyingRole, SurveyKind
from app.services.alerts import (
    BAND_RED,
    DEFAULT_RULES,
    DETRACTOR,
    OPEN_P1,
    SCORE_DROP,
    SILENCE,
    TICKETS_SPIKE,
    RuleSpec,
    acknowledge,
    create_task_for_alert,
    evaluate_alerts,
    list_alerts,
    load_rules,
    remove_task_for_alert,
    set_acknowledged,
    update_rule,
)
from app.services.rescoring import rescore
from app.services.surveys import SurveyAnswer, record_response
from tests.services.health_fixtures import add_account, add_weeks, use_scorecard

MONDAY = date(2026, 1, 5)


def week(n: int) -> date:
    return MONDAY + timedelta(weeks=n)


def run(store, n: int) -> list[tuple[str, str]]:
    """Evaluate on week ``n``; returns (rule, message) of the new alerts."""
    with store.session() as session:
        ids = evaluate_alerts(session, week(n))
        alerts = [session.get(HealthAlert, i) for i in ids]
        return [(a.rule_key, a.message) for a in alerts if a is not None]


def keys(store, n: int) -> list[str]:
    return sorted(key for key, _ in run(store, n))


def open_episodes(store, rule: str) -> int:
    with store.read() as session:
        query = select(HealthAlert).where(
            HealthAlert.rule_key == rule, HealthAlert.cleared_on.is_(None)
        )
        return len(session.scalars(query).all())


def test_score_drop_fires_once_per_episode(store) -> None:
    use_scorecard(store)
    acc = add_account(store)
    # adoption 80 % -> 80 pts (w 60); pulse 5 -> 100 (w 40): 88. Pulse 2 -> 25: 58.
    add_weeks(
        store,
        acc,
        MONDAY,
        [
            {"active_users": 80, "licensed_users": 100, "pulse": 5 if i < 6 else 2}
            for i in range(12)
        ],
    )
    rescore(store)
    assert keys(store, 5) == []
    new = run(store, 6)  # 30 days before week 6 is week 1 (88): a 30-point fall
    assert new == [(SCORE_DROP, "Health fell 30 points in 30 days (88 → 58).")]
    assert keys(store, 6) == []  # not twice
    assert keys(store, 7) == []  # still holding: same episode
    assert keys(store, 11) == []  # week 7 was already 58: no fall any more, cleared
    assert open_episodes(store, SCORE_DROP) == 0


@pytest.mark.sqlite_only("stores pulse 4.5 in the integer pulse column, which only SQLite keeps")
def test_a_drop_below_the_threshold_does_not_fire(store) -> None:
    use_scorecard(store)
    acc = add_account(store)
    # pulse 5 -> 4.5 is 100 -> 87.5 pts, 0.4 * 12.5 = 5 points: below 15
    add_weeks(store, acc, MONDAY, [{"pulse": 5 if i < 5 else 4.5} for i in range(8)])
    rescore(store)
    assert keys(store, 7) == []  # 30 days before week 7 is week 2: 100 -> 87.5, 12.5 < 15
    with store.session() as session:
        update_rule(session, RuleSpec(SCORE_DROP, "", 12.5, 30))
    assert keys(store, 7) == [SCORE_DROP]  # exactly the threshold fires


def test_band_red_fires_when_it_falls_to_red_and_again_after_recovering(store) -> None:
    use_scorecard(store)
    acc = add_account(store)
    pulses = [5, 5, 1, 1, 5, 1]  # pulse-only scores: 100, 100, 0, 0, 100, 0
    add_weeks(store, acc, MONDAY, [{"pulse": p} for p in pulses])
    rescore(store)
    with store.session() as session:
        update_rule(session, RuleSpec(SCORE_DROP, "", 15, 30, enabled=False))
    assert keys(store, 1) == []
    assert keys(store, 2) == [BAND_RED]
    assert keys(store, 3) == []
    assert keys(store, 4) == []
    assert keys(store, 5) == [BAND_RED]
    with store.read() as session:
        alerts = list_alerts(session, acc)
    assert [(a.raised_on, a.cleared_on) for a in alerts] == [(week(5), None), (week(2), week(4))]


def test_ticket_spike_and_open_p1(store) -> None:
    use_scorecard(store)
    acc = add_account(store)
    add_weeks(
        store,
        acc,
        MONDAY,
        [
            {"tickets_new": 10, "tickets_p1": 0},
            {"tickets_new": 11, "tickets_p1": None},
            {"tickets_new": 12, "tickets_p1": 2},
            {"tickets_new": 3, "tickets_p1": 2},
        ],
    )
    assert keys(store, 0) == []  # 10 is not more than 10; 0 P1 is not more than 0
    assert run(store, 1) == [
        (TICKETS_SPIKE, "11 new tickets in the week to Jan 12 (more than 10).")
    ]
    assert run(store, 2) == [(OPEN_P1, "2 open P1 tickets.")]
    assert keys(store, 3) == []
    assert open_episodes(store, TICKETS_SPIKE) == 0
    assert open_episodes(store, OPEN_P1) == 1


def test_silence_needs_the_whole_window_quiet_and_low(store) -> None:
    use_scorecard(store)
    quiet = add_account(store, "Quiet")
    busy = add_account(store, "Busy")
    missing = add_account(store, "Unknown")
    low = {"active_users": 10, "licensed_users": 100}
    add_weeks(store, quiet, MONDAY, [{"tickets_new": 0, **low} for _ in range(9)])
    add_weeks(store, busy, MONDAY, [{"tickets_new": 1 if i == 3 else 0, **low} for i in range(9)])
    add_weeks(store, missing, MONDAY, [{"tickets_new": None, **low} for _ in range(9)])
    assert keys(store, 7) == []  # 49 days of data: not yet 60 days (to within a week)
    new = run(store, 8)
    assert new == [(SILENCE, "No tickets and adoption below 30 % for 60 days: is anyone using it?")]
    assert keys(store, 8) == []
    with store.read() as session:
        assert [a.account_name for a in list_alerts(session)] == ["Quiet"]


def test_detractor_answer_from_a_decision_maker(store) -> None:
    acc = add_account(store)
    with store.session() as session:
        boss = Stakeholder(account_id=acc, name="Dana", role=BuyingRole.DECISION_MAKER)
        user = Stakeholder(account_id=acc, name="Uli", role=BuyingRole.USER)
        session.add_all([boss, user])
        session.flush()
        record_response(
            session,
            acc,
            SurveyAnswer(SurveyKind.NPS, 5, week(1), stakeholder_id=boss.id, comment="slow"),
        )
        record_response(
            session, acc, SurveyAnswer(SurveyKind.NPS, 7, week(1), stakeholder_id=boss.id)
        )
        record_response(
            session, acc, SurveyAnswer(SurveyKind.NPS, 2, week(1), stakeholder_id=user.id)
        )
        record_response(session, acc, SurveyAnswer(SurveyKind.NPS, 1, week(1)))
        record_response(
            session, acc, SurveyAnswer(SurveyKind.NPS, 6, week(9), stakeholder_id=boss.id)
        )
    assert keys(store, 0) == []  # not answered yet
    assert run(store, 2) == [(DETRACTOR, "Dana (decision maker) answered NPS 5: “slow”")]
    assert keys(store, 2) == []
    assert keys(store, 4) == []
    assert keys(store, 9) == [DETRACTOR]  # a new answer, a new alert


def test_acknowledge_and_task(store) -> None:
    use_scorecard(store)
    acc = add_account(store)
    add_weeks(store, acc, MONDAY, [{"tickets_p1": 1}])
    (alert_id,) = _ids(store)
    with store.session() as session:
        acknowledge(session, alert_id)
        task_id = create_task_for_alert(session, alert_id, week(1), owner="me")
        with pytest.raises(ValueError, match="already has a task"):
            create_task_for_alert(session, alert_id, week(1))
    with store.read() as session:
        (view,) = list_alerts(session, acc)
        assert list_alerts(session, acc, include_acknowledged=False) == []
        task = session.get(Task, task_id)
        assert task is not None and task.title == "Follow up: 1 open P1 ticket."
        assert not task.shared  # an alert's follow-up is internal
    assert view.task_id == task_id and not view.is_open
    with store.session() as session:
        set_acknowledged(session, alert_id, None)
        remove_task_for_alert(session, alert_id)
    with store.read() as session:
        (view,) = list_alerts(session, acc, include_acknowledged=False)
        assert view.task_id is None and session.get(Task, task_id) is None


def _ids(store) -> list[str]:
    with store.session() as session:
        return evaluate_alerts(session, MONDAY)


def test_rules_are_data_with_defaults(store) -> None:
    with store.session() as session:
        rules = {r.key: r for r in load_rules(session)}
        assert rules[SCORE_DROP].threshold == 15 and rules[SCORE_DROP].window_days == 30
        before = update_rule(session, RuleSpec(OPEN_P1, "", 2, None))
        assert before.threshold == 0
    with store.read() as session:
        assert {r.key: r for r in load_rules(session)}[OPEN_P1].threshold == 2
        assert len(load_rules(session)) == 6


def test_evaluating_an_earlier_date_changes_nothing(store) -> None:
    use_scorecard(store)
    acc = add_account(store)
    add_weeks(store, acc, MONDAY, [{"pulse": p} for p in (1, 5, 1)])  # red, green, red
    rescore(store)
    with store.session() as session:
        update_rule(session, RuleSpec(SCORE_DROP, "", 15, 30, enabled=False))
    assert keys(store, 2) == [BAND_RED]
    assert keys(store, 0) == []
    assert keys(store, 1) == []
    with store.read() as session:
        assert [(a.raised_on, a.cleared_on) for a in list_alerts(session, acc)] == [(week(2), None)]


def test_rule_text_fills_in_its_number() -> None:
    texts = {
        r.key: RuleSpec(r.key, r.label, r.threshold, r.window_days).text for r in DEFAULT_RULES
    }
    assert texts[SCORE_DROP] == "Score dropped by at least 15 points"
    assert texts[SILENCE] == "No tickets and adoption below 30 % (silence)"
    assert texts[BAND_RED] == "Health fell to red"
