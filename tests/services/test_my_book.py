""" "My book": Today's list, plays and reviews filtered to the user's accounts."""

from __future__ import annotations

from datetime import UTC, date, datetime

from app.models import Account, Activity, Contract, Task
from app.models.enums import ActivityKind, Segment
from app.models.store import Store
from app.services import my_book, plays
from app.services.playbook_catalog import QBR_PREP, RENEWAL
from app.services.today import agenda

TODAY = date(2026, 5, 4)
LONG_AGO = datetime(2025, 1, 1, tzinfo=UTC)


def make_book(store: Store) -> None:
    with store.session() as session:
        for name, owner in (("Acme", "Maya"), ("Globex", "Sam")):
            account = Account(
                name=name, owner=owner, segment=Segment.MID_MARKET, created_at=LONG_AGO
            )
            session.add(account)
            session.flush()
            session.add(Task(account_id=account.id, title=f"Call {name}", due_on=TODAY))
            session.add(
                Activity(
                    account_id=account.id,
                    kind=ActivityKind.QBR,
                    title="QBR",
                    occurred_at=datetime(2026, 1, 1, tzinfo=UTC),
                )
            )
            session.add(
                Contract(
                    account_id=account.id,
                    name="Platform",
                    start_date=date(2025, 9, 1),
                    end_date=date(2026, 7, 31),
                )
            )
        plays.start_by_name(session, "Acme", QBR_PREP, date(2026, 4, 1))
        plays.start_by_name(session, "Globex", RENEWAL, date(2026, 4, 1))


def test_today_is_mine_until_i_ask_for_the_team(store: Store) -> None:
    make_book(store)
    with store.read() as session:
        team = agenda(session, TODAY)
        mine = agenda(session, TODAY, owner="Maya")
        assert my_book.owners(session) == ["Maya", "Sam"]
    assert {i.account_name for i in team} == {"Acme", "Globex"}
    assert {i.account_name for i in mine} == {"Acme"}
    # Both QBRs (1 Jan, every 91 days) are overdue; only mine on my list.
    assert [i.title for i in mine if i.section == "cadence"] == ["QBR overdue by 32 days"]
    assert len([i for i in team if i.section == "cadence"]) == 2
    steps = [i for i in mine if i.section == "play"]
    assert steps and all(i.step_id for i in steps)
    assert {i.detail.split(" · ")[0] for i in steps} == {QBR_PREP}
    # The team's list names who does each step; the proposal is Sales' on Globex.
    assert any(i.detail.endswith("· Sales") for i in team if i.section == "play")
    assert [i.title for i in mine if i.section == "task"] == ["Call Acme"]


def test_a_step_i_own_on_someone_elses_account_stays_mine(store: Store) -> None:
    make_book(store)
    with store.read() as session:
        sales = agenda(session, TODAY, owner="Sales")
    assert {i.account_name for i in sales} == {"Globex"}
    assert {i.section for i in sales} == {"play"}


def test_a_review_never_held_starts_its_line_with_a_capital(store: Store) -> None:
    """Today's What column: "No QBR on record" beside "QBR overdue by 32 days" (it read
    "no QBR on record", the sentence fragment other lines fit inside)."""
    with store.session() as session:
        session.add(Account(name="Initech", segment=Segment.MID_MARKET, created_at=LONG_AGO))
    with store.read() as session:
        titles = [i.title for i in agenda(session, TODAY) if i.section == "cadence"]
    assert titles == ["No QBR on record"]
