"""Governance cadence: the defaults, editing them, and gaps against hand-made histories."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from app.models import Account, Activity
from app.models.enums import ActivityKind, Segment
from app.models.store import Store
from app.services.cadence import (
    DEFAULT_CADENCE,
    CadenceError,
    CadenceSpec,
    cadence_gaps,
    last_touchpoints,
    list_cadence,
    save_cadence,
    suggested_slots,
)

TODAY = date(2026, 5, 4)


def held(account_id: str, kind: ActivityKind, on: date) -> Activity:
    return Activity(
        account_id=account_id,
        kind=kind,
        title=kind.value.upper(),
        occurred_at=datetime(on.year, on.month, on.day, 15, tzinfo=UTC),
    )


@pytest.fixture
def book(store: Store) -> dict[str, str]:
    """Strategic Acme (Maya), mid-market Globex (Maya), SMB Initech (Sam)."""
    with store.session() as session:
        acme = Account(name="Acme", owner="Maya", segment=Segment.STRATEGIC)
        globex = Account(name="Globex", owner="Maya", segment=Segment.MID_MARKET)
        # Added to the book a year ago, never reviewed: due 182 days after it was added.
        joined = datetime(2025, 5, 4, tzinfo=UTC)
        initech = Account(name="Initech", owner="Sam", segment=Segment.SMB, created_at=joined)
        # Added last month: nothing is due yet, reviewed or not.
        new = Account(
            name="Newco",
            owner="Sam",
            segment=Segment.SMB,
            created_at=datetime(2026, 4, 1, tzinfo=UTC),
        )
        session.add_all([acme, globex, initech, new])
        session.flush()
        session.add_all(
            [
                # Acme: OBR 10 days ago (fine), QBR 111 days ago (91-day cadence: 20 late),
                # an older QBR that must not count, EBR 200 days ago (fine).
                held(acme.id, ActivityKind.OBR, date(2026, 4, 24)),
                held(acme.id, ActivityKind.QBR, date(2026, 1, 13)),
                held(acme.id, ActivityKind.QBR, date(2025, 6, 1)),
                held(acme.id, ActivityKind.EBR, date(2025, 10, 16)),
                # Globex: a QBR 91 days ago: due today. A call does not count as a QBR.
                held(globex.id, ActivityKind.QBR, date(2026, 2, 2)),
                held(globex.id, ActivityKind.CALL, date(2026, 5, 1)),
                # Initech (SMB): nothing on record.
            ]
        )
        return {"acme": acme.id, "globex": globex.id, "initech": initech.id}


def test_defaults_follow_the_segments(store: Store) -> None:
    with store.session() as session:
        rules = list_cadence(session)
    assert rules == list(DEFAULT_CADENCE)
    strategic = {r.kind: r.every_days for r in rules if r.segment == Segment.STRATEGIC}
    assert strategic == {ActivityKind.OBR: 30, ActivityKind.QBR: 91, ActivityKind.EBR: 365}
    assert [r.every_days for r in rules if r.segment == Segment.SMB] == [182]


def test_last_touchpoint_of_each_kind(store: Store, book: dict[str, str]) -> None:
    with store.read() as session:
        last = last_touchpoints(session)
    assert last[(book["acme"], ActivityKind.QBR)] == date(2026, 1, 13)
    assert last[(book["globex"], ActivityKind.CALL)] == date(2026, 5, 1)
    assert (book["initech"], ActivityKind.CBR) not in last


def test_gaps_against_a_hand_made_history(store: Store, book: dict[str, str]) -> None:
    with store.session() as session:
        gaps = cadence_gaps(session, TODAY)
    # Most overdue first.
    assert [(g.account_name, g.text) for g in gaps] == [
        ("Initech", "no CBR on record"),
        ("Acme", "QBR overdue by 20 days"),
        ("Globex", "QBR due today"),
    ]
    assert gaps[0].due_on == date(2025, 11, 2)
    assert gaps[1].due_on == date(2026, 4, 14)
    with store.session() as session:
        ahead = cadence_gaps(session, TODAY, ahead_days=30)
        mine = cadence_gaps(session, TODAY, owner="Maya")
        one = cadence_gaps(session, TODAY, account_id=book["acme"], ahead_days=30)
    # 30 days ahead: Acme's next OBR (24 May) joins.
    assert ("Acme", "OBR due in 20 days") in [(g.account_name, g.text) for g in ahead]
    assert {g.account_name for g in mine} == {"Acme", "Globex"}
    assert [g.kind for g in one] == [ActivityKind.QBR, ActivityKind.OBR]


def test_editing_the_cadence_changes_the_gaps(store: Store, book: dict[str, str]) -> None:
    with store.session() as session:
        rules = list_cadence(session)
        monthly_qbr = [
            CadenceSpec(r.segment, r.kind, r.label, 30)
            if (r.segment, r.kind) == (Segment.MID_MARKET, ActivityKind.QBR)
            else r
            for r in rules
        ]
        before = save_cadence(session, monthly_qbr)
    assert before == rules
    with store.read() as session:
        assert list_cadence(session) == monthly_qbr
        globex = [g for g in cadence_gaps(session, TODAY) if g.account_name == "Globex"]
    assert globex[0].text == "QBR overdue by 61 days"
    with store.session() as session:
        with pytest.raises(CadenceError, match="repeats the QBR"):
            save_cadence(session, [*rules, rules[1]])
        with pytest.raises(CadenceError, match="1 to 3660"):
            save_cadence(session, [CadenceSpec(Segment.SMB, ActivityKind.QBR, "x", 0)])
    with store.session() as session:
        save_cadence(session, [])  # a user may keep no cadence at all; it stays empty
    with store.read() as session:
        assert list_cadence(session) == []


def test_suggested_slots_fill_weekdays_from_the_due_date(
    store: Store, book: dict[str, str]
) -> None:
    with store.session() as session:
        # Acme already has a call on Monday 4 May: its QBR goes to another day.
        session.add(held(book["acme"], ActivityKind.CALL, TODAY))
        slots = suggested_slots(session, TODAY, per_day=1, ahead_days=30)
    placed = {(s.gap.account_name, s.gap.kind): s.day for s in slots}
    # Most overdue first: Initech takes Monday 4 May; Acme (busy Monday) Tuesday; Globex,
    # due today, the next free weekday.
    assert placed[("Initech", ActivityKind.CBR)] == date(2026, 5, 4)
    assert placed[("Acme", ActivityKind.QBR)] == date(2026, 5, 5)
    assert placed[("Globex", ActivityKind.QBR)] == date(2026, 5, 6)
    # Acme's OBR, due Sunday 24 May, moves to Monday 25 May.
    assert placed[("Acme", ActivityKind.OBR)] == date(2026, 5, 25)
    assert all(s.day.weekday() < 5 for s in slots)
