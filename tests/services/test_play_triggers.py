"""Each trigger starts its play exactly once per episode; undo of the edit withdraws it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from sqlalchemy import select

from app.models import Account, Contract, Play, Stakeholder
from app.models.enums import BuyingRole, LifecycleStage, RiskCategory
from app.models.store import Store
from app.services import accounts, map_departures, play_triggers, plays, work_items
from app.services.alerts import SCORE_DROP, RuleSpec, evaluate_alerts, update_rule
from app.services.playbook_catalog import CONTACT_LEFT, ESCALATION, HEALTH_RED, ONBOARDING, RENEWAL
from app.services.playbooks import find_playbook, save_playbook
from app.services.rescoring import rescore
from tests.map_helpers import in_unit
from tests.services.health_fixtures import add_account, add_weeks, use_scorecard

TODAY = date(2026, 5, 4)


def names(store: Store, account_id: str) -> list[str]:
    with store.read() as session:
        return sorted(p.name for p in plays.list_plays(session, account_id))


def new_account(store: Store, stage: LifecycleStage = LifecycleStage.ADOPTION) -> str:
    with store.session() as session:
        return accounts.create_account(session, "Acme", owner="Maya", lifecycle_stage=stage)


def test_lifecycle_set_to_onboarding_starts_onboarding_once(store: Store) -> None:
    acme = new_account(store)
    with store.session() as session:
        accounts.update_account(session, acme, {"lifecycle_stage": LifecycleStage.ONBOARDING})
        started = play_triggers.take_started(session)
    assert len(started) == 1
    assert names(store, acme) == [ONBOARDING]
    with store.read() as session:
        view = plays.play_view(session, started[0])
    assert view.reason == "lifecycle stage set to onboarding"
    assert {s.phase for s in view.steps} == {"Pre-onboarding", "Kick-off", "Continuous follow-up"}
    # Saving onboarding again, or leaving and coming back while it runs: no second play.
    with store.session() as session:
        accounts.update_account(session, acme, {"lifecycle_stage": LifecycleStage.ONBOARDING})
        accounts.update_account(session, acme, {"lifecycle_stage": LifecycleStage.ADOPTION})
        accounts.update_account(session, acme, {"lifecycle_stage": LifecycleStage.ONBOARDING})
    assert names(store, acme) == [ONBOARDING]
    # Other stages start nothing.
    other = new_account(store)
    with store.session() as session:
        accounts.update_account(session, other, {"lifecycle_stage": LifecycleStage.RENEWAL})
    assert names(store, other) == []


def test_undoing_the_lifecycle_edit_withdraws_its_play(store: Store) -> None:
    acme = new_account(store)
    with store.session() as session:
        old = accounts.update_account(session, acme, {"lifecycle_stage": LifecycleStage.ONBOARDING})
        started = play_triggers.take_started(session)
    with store.session() as session:
        accounts.update_account(session, acme, old)
        play_triggers.withdraw(session, started)
    assert names(store, acme) == []


def test_champion_departed_starts_contact_left_once(store: Store) -> None:
    acme = new_account(store)
    with store.session() as session:
        champion = Stakeholder(account_id=acme, name="Chris", role=BuyingRole.CHAMPION)
        user = Stakeholder(account_id=acme, name="Uma", role=BuyingRole.USER)
        session.add_all([champion, user])
        session.flush()
        ids = champion.id, user.id
    departure = in_unit(store, map_departures.mark_departed, ids[0], departed_on=TODAY, today=TODAY)
    assert len(departure.play_ids) == 1
    in_unit(
        store, map_departures.mark_departed, ids[1], departed_on=TODAY, today=TODAY
    )  # a user: no play
    assert names(store, acme) == [CONTACT_LEFT]
    with store.session() as session:  # firing again for the same person: same episode
        assert play_triggers.contact_departed(session, ids[0], TODAY) == []
    in_unit(store, map_departures.undo_departure, departure)
    assert names(store, acme) == []
    again = in_unit(store, map_departures.mark_departed, ids[0], departed_on=TODAY, today=TODAY)
    assert len(again.play_ids) == 1
    assert names(store, acme) == [CONTACT_LEFT]


def test_red_alert_starts_health_red_once_per_episode(store: Store) -> None:
    use_scorecard(store)
    acc = add_account(store)
    monday = date(2026, 1, 5)
    add_weeks(store, acc, monday, [{"pulse": p} for p in [5, 5, 1, 1, 5, 1]])
    rescore(store)
    with store.session() as session:
        update_rule(session, RuleSpec(SCORE_DROP, "", 15, 30, enabled=False))
    for week in range(4):
        with store.session() as session:
            evaluate_alerts(session, monday + timedelta(weeks=week))
    assert names(store, acc) == [HEALTH_RED]
    # The play is cancelled; health recovers and falls again: a new episode, a new play.
    with store.session() as session:
        play_id = plays.list_plays(session, acc)[0].id
        plays.cancel_play(session, play_id, "recovered", monday)
    for week in (4, 5, 5):
        with store.session() as session:
            evaluate_alerts(session, monday + timedelta(weeks=week))
    assert names(store, acc) == [HEALTH_RED, HEALTH_RED]


def test_renewal_checkpoint_starts_renewal_once_per_term(store: Store) -> None:
    acme = new_account(store)
    with store.session() as session:
        session.add(
            Contract(
                account_id=acme,
                name="Platform",
                start_date=date(2025, 12, 31),
                end_date=date(2026, 12, 31),
                notice_days=90,
            )
        )
    with store.session() as session:  # 121 days out: not yet
        assert play_triggers.renewal_checkpoints(session, date(2026, 9, 1)) == []
    for day in (date(2026, 9, 2), date(2026, 9, 3), date(2026, 10, 1)):
        with store.session() as session:
            play_triggers.renewal_checkpoints(session, day)
    assert names(store, acme) == [RENEWAL]
    with store.session() as session:  # finished, still the same term: not again
        play_id = plays.list_plays(session, acme)[0].id
        for step in plays.play_view(session, play_id).steps:
            plays.set_step_done(session, step.id, True, date(2026, 10, 1))
        assert play_triggers.renewal_checkpoints(session, date(2026, 10, 2)) == []
        # The next term is a new episode.
        contract = session.scalars(select(Contract)).one()
        contract.end_date = date(2027, 12, 31)
        session.flush()
        assert len(play_triggers.renewal_checkpoints(session, date(2027, 9, 2))) == 1


def test_escalation_opened_starts_escalation_once(store: Store) -> None:
    acme = new_account(store)
    values = {
        "account_id": acme,
        "category": RiskCategory.SUPPORT,
        "title": "P1 outage",
        "is_escalation": True,
        "opened_on": TODAY,
    }
    with store.session() as session:
        work_items.create_item(session, "risk", values)
        work_items.create_item(session, "risk", {**values, "is_escalation": False})
    assert names(store, acme) == [ESCALATION]
    with store.session() as session:  # a second escalation while the first play runs
        work_items.create_item(session, "risk", values)
    assert names(store, acme) == [ESCALATION]


def test_a_disabled_playbook_does_not_start(store: Store) -> None:
    acme = new_account(store)
    with store.session() as session:
        spec = find_playbook(session, ONBOARDING)
        save_playbook(session, replace(spec, enabled=False))
        accounts.update_account(session, acme, {"lifecycle_stage": LifecycleStage.ONBOARDING})
    with store.read() as session:
        assert session.scalars(select(Play)).all() == []
        assert session.get(Account, acme) is not None
