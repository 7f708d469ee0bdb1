"""Playbooks as data: built-ins, due dates from offsets, starting, cancelling, progress."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app.models import Account, Contract, Stakeholder
from app.models.enums import LifecycleStage, Segment
from app.models.playbook import (
    OwnerRole,
    Play,
    PlayStatus,
    PlayStep,
    StepAnchor,
    StepKind,
    StepStatus,
)
from app.models.store import Store
from app.services import playbooks, plays
from app.services.playbook_catalog import ONBOARDING, QBR_PREP, RENEWAL
from app.services.playbooks import PlaybookError, PlaybookSpec, StepSpec, add_months, due_date

TODAY = date(2026, 5, 4)  # a Monday


def test_builtins_are_added_once_and_cover_the_issue(store: Store) -> None:
    with store.session() as session:
        names = [p.name for p in playbooks.list_playbooks(session)]
        playbooks.ensure_builtin_playbooks(session)
        assert len(playbooks.list_playbooks(session)) == len(names)
    assert names == [
        "3-phase onboarding",
        "Renewal",
        "Champion or sponsor left",
        "Health fell to red",
        "Low adoption",
        "Escalation opened",
        "QBR preparation",
    ]
    with store.read() as session:
        onboarding = playbooks.find_playbook(session, "3-phase ONBOARDING")
    phases = {s.phase for s in onboarding.steps}
    assert phases == {"Pre-onboarding", "Kick-off", "Continuous follow-up"}
    assert any(s.kind == StepKind.CHECKLIST for s in onboarding.steps)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),  # a month end stays a month end
        (date(2028, 1, 31), 1, date(2028, 2, 29)),  # leap year
        (date(2026, 2, 28), 1, date(2026, 3, 31)),
        (date(2026, 1, 30), 1, date(2026, 2, 28)),  # clamped
        (date(2026, 1, 15), 1, date(2026, 2, 15)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
    ],
)
def test_adding_months_handles_month_ends(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


def test_due_dates_skip_weekends_forward_from_start_and_back_from_deadlines() -> None:
    start = date(2026, 5, 1)  # a Friday
    # Friday + 1 day = Saturday -> Monday.
    assert due_date(start, StepSpec("x", offset_days=1), start) == date(2026, 5, 4)
    assert due_date(start, StepSpec("x", offset_days=2), start) == date(2026, 5, 4)
    assert due_date(start, StepSpec("x", offset_days=3), start) == date(2026, 5, 4)
    renewal = date(2026, 12, 31)  # a Thursday; -60 days = Sunday 1 Nov -> Friday 30 Oct
    step = StepSpec("x", offset_days=-60, anchor=StepAnchor.RENEWAL)
    assert due_date(renewal, step, start) == date(2026, 10, 30)
    # Counting back past the start: due at once, not in the past.
    late = StepSpec("x", offset_days=-120, anchor=StepAnchor.RENEWAL)
    assert due_date(renewal, late, date(2026, 10, 1)) == date(2026, 10, 1)
    # A month from 31 Jan 2026 is Saturday 28 Feb -> Monday 2 March.
    assert due_date(date(2026, 1, 31), StepSpec("x", offset_months=1), date(2026, 1, 31)) == date(
        2026, 3, 2
    )


@pytest.fixture
def acme(store: Store) -> str:
    with store.session() as session:
        account = Account(
            name="Acme",
            owner="Maya",
            segment=Segment.MID_MARKET,
            lifecycle_stage=LifecycleStage.ADOPTION,
        )
        session.add(account)
        session.flush()
        session.add(
            Contract(
                account_id=account.id,
                name="Platform",
                start_date=date(2025, 12, 31),
                end_date=date(2026, 12, 31),
                notice_days=90,
            )
        )
        session.add(
            Stakeholder(
                account_id=account.id,
                name="Ines",
                is_executive_sponsor=True,
                our_counterpart="Our VP",
            )
        )
        return account.id


def test_renewal_steps_count_back_from_the_renewal_and_notice(store: Store, acme: str) -> None:
    with store.session() as session:
        spec = playbooks.find_playbook(session, RENEWAL)
        play_id = plays.start_play(session, acme, spec, date(2026, 8, 1))
        view = plays.play_view(session, play_id)
    due = {s.title: s.due_on for s in view.steps}
    # 120 days before 31 Dec is Wed 2 Sep; 90 -> Thu 2 Oct; 60 -> Sun 1 Nov -> Fri 30 Oct.
    assert due["Executive business review"] == date(2026, 9, 2)
    assert due["Renewal proposal sent"] == date(2026, 10, 2)
    assert due["60-day renewal reminder"] == date(2026, 10, 30)
    # Notice: 90 days before 31 Dec is Fri 2 Oct.
    assert due["Notice deadline"] == date(2026, 10, 2)
    owners = {s.title: s.owner for s in view.steps}
    assert owners["Executive business review"] == "Our VP"  # the sponsor's counterpart
    assert owners["Renewal proposal sent"] == "Sales"
    assert owners["60-day renewal reminder"] == "Maya"
    assert view.progress == "0 of 5 steps"


def test_renewal_play_needs_a_contract(store: Store) -> None:
    with store.session() as session:
        account = Account(name="Bare")
        session.add(account)
        session.flush()
        spec = playbooks.find_playbook(session, RENEWAL)
        with pytest.raises(PlaybookError, match="no running contract"):
            plays.start_play(session, account.id, spec, TODAY)


def test_conditions_leave_steps_out(store: Store, acme: str) -> None:
    with store.session() as session:
        spec = playbooks.find_playbook(session, ONBOARDING)
        mid_market = plays.play_view(session, plays.start_play(session, acme, spec, TODAY))
        session.get(Account, acme).segment = Segment.STRATEGIC  # type: ignore[union-attr]
        session.flush()
        strategic = plays.play_view(session, plays.start_play(session, acme, spec, TODAY))
    assert strategic.total == mid_market.total + 1
    assert "Executive sponsor introduced to our sponsor" in {s.title for s in strategic.steps}


def test_progress_pause_and_completion(store: Store, acme: str) -> None:
    with store.session() as session:
        spec = playbooks.find_playbook(session, QBR_PREP)
        play_id = plays.start_play(session, acme, spec, TODAY)
        steps = plays.play_view(session, play_id).steps
        for step in steps[:3]:
            plays.set_step_done(session, step.id, True, TODAY)
        assert plays.play_view(session, play_id).progress == "3 of 6 steps"
        assert plays.set_paused(session, play_id, True) == PlayStatus.RUNNING
        assert plays.play_view(session, play_id).status == PlayStatus.PAUSED
        plays.set_paused(session, play_id, False)
        for step in steps[3:]:
            plays.set_step_done(session, step.id, True, TODAY)
        done = plays.play_view(session, play_id)
        assert done.status == PlayStatus.COMPLETED
        plays.set_step_done(session, steps[0].id, False, TODAY)
        assert plays.play_view(session, play_id).status == PlayStatus.RUNNING


def test_cancel_closes_open_steps_and_undo_restores_them(store: Store, acme: str) -> None:
    with store.session() as session:
        spec = playbooks.find_playbook(session, QBR_PREP)
        play_id = plays.start_play(session, acme, spec, TODAY)
        first = plays.play_view(session, play_id).steps[0].id
        plays.set_step_done(session, first, True, TODAY)
        record = plays.cancel_play(session, play_id, "Customer postponed the QBR", TODAY)
    with store.read() as session:
        view = plays.play_view(session, play_id)
        assert view.status == PlayStatus.CANCELLED
        closed = [s for s in view.steps if s.status == StepStatus.CLOSED]
        assert len(closed) == 5
        assert {s.closed_reason for s in closed} == {"Customer postponed the QBR"}
        assert view.steps[0].status == StepStatus.DONE
    with store.session() as session:
        with pytest.raises(PlaybookError, match="already cancelled"):
            plays.cancel_play(session, play_id, "", TODAY)
        plays.undo_cancel(session, record)
    with store.read() as session:
        view = plays.play_view(session, play_id)
        assert view.status == PlayStatus.RUNNING
        assert [s.status for s in view.steps].count(StepStatus.OPEN) == 5
        assert all(s.closed_reason is None for s in view.steps)


def test_start_by_name_refuses_bad_names_and_a_second_run(store: Store, acme: str) -> None:
    with store.session() as session:
        with pytest.raises(PlaybookError, match="no account called"):
            plays.start_by_name(session, "Nope", QBR_PREP, TODAY)
        with pytest.raises(PlaybookError, match="no playbook called"):
            plays.start_by_name(session, "Acme", "Nope", TODAY)
        plays.start_by_name(session, "Acme", QBR_PREP, TODAY)
        with pytest.raises(PlaybookError, match="already running"):
            plays.start_by_name(session, "Acme", QBR_PREP, TODAY)
    with store.read() as session:
        assert session.scalar(select(func.count()).select_from(Play)) == 1


def test_edited_playbook_round_trips(store: Store, acme: str) -> None:
    spec = PlaybookSpec(
        "Site visit",
        "manual",
        "Before and after an on-site day.",
        (
            StepSpec("Agenda", StepKind.TASK, 3, owner_role=OwnerRole.SALES, shared=True),
            StepSpec("Visit", StepKind.TOUCHPOINT, offset_months=1, condition="has_sponsor"),
            StepSpec("Notes", StepKind.CHECKLIST, -5, anchor=StepAnchor.NOTICE, phase="After"),
        ),
    )
    with store.session() as session:
        new_id, before = playbooks.save_playbook(session, spec)
        assert before is None
    with store.read() as session:
        back = playbooks.find_playbook(session, "site visit")
    assert back.id == new_id
    assert back.steps == spec.steps
    assert (back.trigger, back.description, back.builtin) == ("manual", spec.description, False)
    with store.session() as session:
        with pytest.raises(PlaybookError, match="already a playbook"):
            playbooks.save_playbook(session, PlaybookSpec("Renewal", steps=spec.steps))
        with pytest.raises(PlaybookError, match="not a condition"):
            playbooks.save_playbook(
                session, PlaybookSpec("X", steps=(StepSpec("a", condition="full moon"),))
            )
        with pytest.raises(PlaybookError, match="Step 2 needs a title"):
            playbooks.save_playbook(session, PlaybookSpec("X", steps=(StepSpec("a"), StepSpec(""))))


def test_deleting_an_account_takes_its_plays(store: Store, acme: str) -> None:
    with store.session() as session:
        plays.start_by_name(session, "Acme", QBR_PREP, TODAY)
        session.delete(session.get(Account, acme))
    with store.read() as session:
        assert session.scalar(select(func.count()).select_from(PlayStep)) == 0


def test_due_steps_for_me_and_the_team(store: Store, acme: str) -> None:
    with store.session() as session:
        plays.start_by_name(session, "Acme", RENEWAL, date(2026, 11, 20))
    with store.read() as session:
        mine = plays.due_steps(session, date(2026, 11, 20), owner="Maya")
        team = plays.due_steps(session, date(2026, 11, 20))
    assert {s.title for s in mine} == {
        "Renewal forecast set",
        "60-day renewal reminder",
        "Notice deadline",
    }
    assert {s.owner for s in team} == {"Maya", "Sales", "Our VP"}
    assert all(s.due_on <= date(2026, 11, 20) for s in team)
