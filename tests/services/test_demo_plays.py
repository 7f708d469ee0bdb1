"""The demo book has plays in every state and reviews overdue, so a new user sees them."""

from __future__ import annotations

from collections import Counter
from datetime import date

from app.models.playbook import PlayStatus
from app.models.store import Store
from app.services.cadence import cadence_gaps, is_gap_overdue
from app.services.demo import generate_demo
from app.services.play_triggers import renewal_checkpoints
from app.services.plays import list_plays

TODAY = date(2026, 11, 22)


def test_demo_has_plays_in_every_state_and_cadence_gaps(store: Store) -> None:
    try:
        generate_demo(store, accounts=60, seed=3, today=TODAY)
        with store.read() as session:
            plays = list_plays(session)
            gaps = cadence_gaps(session, TODAY)
    finally:
        store.close()
    states = Counter(p.status for p in plays)
    assert set(states) == set(PlayStatus)
    names = {p.name for p in plays}
    assert {"3-phase onboarding", "Renewal", "QBR preparation"} <= names
    # Plays part-way through: some steps done, some open.
    assert any(0 < p.done < p.total for p in plays if p.status == PlayStatus.RUNNING)
    overdue = [g for g in gaps if is_gap_overdue(g)]
    assert overdue and any(g.last_on is not None for g in overdue)
    # Most accounts are on cadence: the gaps are the exception.
    assert len({g.account_id for g in overdue}) < 40


def test_a_fresh_demo_leaves_no_renewal_play_for_the_window_to_start(store: Store) -> None:
    """The window's sweep (renewal_checkpoints) starts nothing on a fresh demo book: the demo
    already started every renewal play that is due, through the same sweep."""
    try:
        generate_demo(store, accounts=200, seed=1, today=TODAY)
        with store.read() as session:
            renewals = [p for p in list_plays(session) if p.name == "Renewal"]
            assert renewal_checkpoints(session, TODAY) == []
    finally:
        store.close()
    assert len(renewals) > 15  # more than the old cap of the nearest 15
    # Started by earlier weekly sweeps too, so some are part-way through.
    assert {p.status for p in renewals} >= {PlayStatus.RUNNING}
    assert any(p.done > 0 for p in renewals)
