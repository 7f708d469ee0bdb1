"""Map edits as units of work: each does what it says, refuses what it must, and undoes."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import func, select

from app.models import MapCard, Risk, Stakeholder, StakeholderRelation, SurveyResponse, Task
from app.models.enums import BuyingRole, RelationKind, RiskCategory
from app.models.store import Store
from app.services import map_departures
from app.services import map_edits as edits
from app.services.map_versions import (
    compare_snapshots,
    compare_versions,
    list_map_versions,
    save_map_version,
)
from app.services.stakeholder_graph import load_account_map
from tests.map_helpers import TODAY, add_account, add_line, add_person, add_touchpoint, in_unit


def count(store: Store, model: type) -> int:
    with store.read() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def manager_of(store: Store, pid: str) -> str | None:
    with store.read() as session:
        return session.get(Stakeholder, pid).reports_to_id  # type: ignore[union-attr]


def test_place_cards_moves_adds_removes_and_returns_previous(store: Store) -> None:
    acc = add_account(store)
    a = add_person(store, acc, "Ann", at=(0, 0))
    b = add_person(store, acc, "Ben")
    previous = in_unit(store, edits.place_cards, acc, {a: (50.0, 60.0), b: (1.0, 2.0)})
    assert previous == {a: (0.0, 0.0), b: None}
    imap = load_account_map(store, acc)
    assert imap.people[a].position == (50.0, 60.0)
    assert imap.people[b].position == (1.0, 2.0)
    in_unit(store, edits.place_cards, acc, {b: None})
    assert count(store, MapCard) == 1


def test_card_for_another_accounts_person_is_refused(store: Store) -> None:
    acc, other = add_account(store), add_account(store, "Other")
    stranger = add_person(store, other, "Stranger")
    with pytest.raises(edits.MapEditError, match="another account"):
        in_unit(store, edits.place_cards, acc, {stranger: (0.0, 0.0)})
    assert count(store, MapCard) == 0


def test_reporting_cycles_are_refused_with_a_sentence(store: Store) -> None:
    acc = add_account(store)
    boss = add_person(store, acc, "Boss")
    mid = add_person(store, acc, "Mid", reports_to_id=boss)
    low = add_person(store, acc, "Low", reports_to_id=mid)
    assert in_unit(store, edits.check_reports_to, low, boss) is None
    message = in_unit(store, edits.check_reports_to, boss, low)
    assert message == "Boss cannot report to someone who already reports to them."
    with pytest.raises(edits.MapEditError, match="already reports to them"):
        in_unit(store, edits.set_reports_to, boss, low)
    assert manager_of(store, boss) is None
    assert in_unit(store, edits.set_reports_to, low, boss) == mid
    assert manager_of(store, low) == boss
    with pytest.raises(edits.MapEditError, match="themselves"):
        in_unit(store, edits.set_reports_to, low, low)


def test_manager_at_another_account_is_refused(store: Store) -> None:
    acc, other = add_account(store), add_account(store, "Other")
    a = add_person(store, acc, "Ann")
    stranger = add_person(store, other, "Stranger")
    assert in_unit(store, edits.check_reports_to, a, stranger) == (
        "Ann can only report to someone at the same account."
    )
    with pytest.raises(edits.MapEditError):
        in_unit(store, edits.set_reports_to, a, stranger)


def test_relations_add_update_remove_restore(store: Store) -> None:
    acc = add_account(store)
    a, b = add_person(store, acc, "Ann"), add_person(store, acc, "Ben")
    spec = edits.RelationSpec("line-1", a, b, RelationKind.INFLUENCE, 3, "golf", account_id=acc)
    in_unit(store, edits.add_relation, spec)
    assert count(store, StakeholderRelation) == 1
    old = in_unit(store, edits.update_relation, spec.id, kind=RelationKind.ALLIANCE, strength=1)
    assert old == spec
    removed = in_unit(store, edits.remove_relation, spec.id)
    assert (removed.kind, removed.strength, removed.note) == (RelationKind.ALLIANCE, 1, "golf")
    assert count(store, StakeholderRelation) == 0
    in_unit(store, edits.add_relation, removed)
    assert load_account_map(store, acc).lines[0].id == spec.id
    with pytest.raises(edits.MapEditError):
        in_unit(store, edits.add_relation, replace(spec, id="line-2", target_id=a))
    with pytest.raises(edits.MapEditError):
        in_unit(store, edits.add_relation, replace(spec, id="line-3", strength=4))


def test_update_stakeholder_validates_and_returns_old_values(store: Store) -> None:
    acc = add_account(store)
    a = add_person(store, acc, "Ann", sentiment=0)
    old = in_unit(
        store, edits.update_stakeholder, a, {"sentiment": -2, "role": "champion", "title": " VP "}
    )
    assert old == {"sentiment": 0, "role": None, "title": None}
    person = load_account_map(store, acc).people[a]
    assert (person.sentiment, person.role, person.title) == (-2, BuyingRole.CHAMPION, "VP")
    for bad in ({"sentiment": 3}, {"influence": 0}, {"name": "  "}, {"account_id": "x"}):
        with pytest.raises(edits.MapEditError):
            in_unit(store, edits.update_stakeholder, a, bad)


def test_delete_and_restore_brings_everything_back(store: Store) -> None:
    acc = add_account(store)
    boss = add_person(store, acc, "Boss", at=(0, 0), role=BuyingRole.ECONOMIC_BUYER)
    a = add_person(store, acc, "Ann", at=(10, 200), reports_to_id=boss)
    b = add_person(store, acc, "Ben", successor_id=boss)
    add_line(store, acc, b, boss, RelationKind.INFLUENCE)
    add_touchpoint(store, acc, [boss, a], TODAY)
    before = load_account_map(store, acc, today=TODAY)
    deleted = in_unit(store, edits.delete_stakeholder, boss)
    after = load_account_map(store, acc, today=TODAY)
    assert set(after.people) == {a, b}
    assert after.people[a].reports_to_id is None
    assert after.lines == ()
    in_unit(store, edits.restore_stakeholder, deleted)
    assert load_account_map(store, acc, today=TODAY) == before


def test_undoing_a_delete_gives_a_person_back_their_survey_answers(store: Store) -> None:
    from app.models.enums import SurveyKind
    from app.services.surveys import SurveyAnswer, record_response

    acc = add_account(store)
    ann = add_person(store, acc, "Ann", at=(0, 0))
    with store.session() as session:
        answer = record_response(
            session, acc, SurveyAnswer(SurveyKind.NPS, 9, TODAY, stakeholder_id=ann)
        )
    deleted = in_unit(store, edits.delete_stakeholder, ann)
    in_unit(store, edits.restore_stakeholder, deleted)
    with store.read() as session:
        assert session.get(SurveyResponse, answer).stakeholder_id == ann


def test_mark_departed_champion_opens_risk_and_tasks_in_one_step(store: Store) -> None:
    acc = add_account(store)
    champ = add_person(store, acc, "Carla", at=(0, 0), role=BuyingRole.CHAMPION)
    departure = in_unit(
        store,
        map_departures.mark_departed,
        champ,
        departed_on=date(2026, 5, 30),
        departed_to="Globex",
        is_lead=True,
        today=TODAY,
    )
    person = load_account_map(store, acc).people[champ]
    assert (person.departed, person.departed_to, person.departed_is_lead) == (True, "Globex", True)
    assert person.on_map
    with store.read() as session:
        risk = session.get(Risk, departure.risk_id)
        assert risk is not None and risk.category is RiskCategory.RENEWAL
        assert risk.title == "Champion Carla has left"  # the role in the window's words
        assert not risk.shared  # our own work: never in a customer document
        tasks = session.execute(select(Task.title, Task.shared).order_by(Task.title)).all()
    assert [tuple(t) for t in tasks] == [
        ("Identify Carla's successor and re-introduce our team", False),
        ("Tell sales: Carla moved to Globex (lead)", False),
    ]
    with pytest.raises(edits.MapEditError, match="already"):
        in_unit(store, map_departures.mark_departed, champ, departed_on=TODAY, today=TODAY)
    in_unit(store, map_departures.undo_departure, departure)
    assert not load_account_map(store, acc).people[champ].departed
    assert (count(store, Risk), count(store, Task)) == (0, 0)


def test_departure_of_an_ordinary_user_opens_no_risk(store: Store) -> None:
    acc = add_account(store)
    user = add_person(store, acc, "Uma", role=BuyingRole.USER)
    departure = in_unit(store, map_departures.mark_departed, user, departed_on=TODAY, today=TODAY)
    assert departure.risk_id is None
    assert (count(store, Risk), count(store, Task)) == (0, 1)


def test_versions_compare_lists_the_right_differences(store: Store) -> None:
    acc = add_account(store)
    boss = add_person(store, acc, "Boss", at=(0, 0), role=BuyingRole.ECONOMIC_BUYER)
    ann = add_person(store, acc, "Ann", at=(0, 200), sentiment=1, reports_to_id=boss)
    ben = add_person(store, acc, "Ben", at=(300, 200))
    cid = add_person(store, acc, "Cid")
    line = add_line(store, acc, ann, boss, RelationKind.INFLUENCE)
    v1 = save_map_version(store, acc, "Before QBR", reason="qbr")
    in_unit(store, edits.update_stakeholder, ann, {"sentiment": -1, "influence": 5})
    in_unit(store, edits.place_cards, acc, {ben: None, cid: (600.0, 200.0)})
    in_unit(store, edits.remove_relation, line)
    conflict = edits.RelationSpec("conflict", cid, boss, RelationKind.CONFLICT, account_id=acc)
    in_unit(store, edits.add_relation, conflict)
    in_unit(store, map_departures.mark_departed, boss, departed_on=TODAY, today=TODAY)
    v2 = save_map_version(store, acc, "After")
    assert [v.name for v in list_map_versions(store, acc)] in (
        ["After", "Before QBR"],
        ["Before QBR", "After"],  # same-second saves tie on the timestamp
    )
    diff = compare_versions(store, v1, v2)
    assert diff.joined == ((cid, "Cid"),)
    assert diff.left == ((ben, "Ben"), (boss, "Boss"))
    assert [(c.name, c.field, c.before, c.after) for c in diff.changed] == [
        ("Ann", "influence", "3/5", "5/5"),
        ("Ann", "sentiment", "supporter", "detractor"),
    ]
    assert [ch.text for ch in diff.lines_added] == ["Cid → Boss (conflict)"]
    assert [ch.text for ch in diff.lines_removed] == ["Ann → Boss (influence)"]
    assert compare_versions(store, v2, None).empty
    assert compare_snapshots({}, {}).empty
    assert "Joined: Cid" in diff.lines_of_text()


def test_a_changed_field_is_named_as_in_a_sentence() -> None:
    # The words are the person form's (labels.field_label): "title", "buying role" for the
    # role column (it said "role"), and "reports to" for reports_to_id (not "reports to ID").
    boss = {"name": "Boss"}
    before = {"name": "Ann", "title": "CTO", "role": "champion", "reports_to_id": None}
    after = {"name": "Ann", "title": "CIO", "role": "coach", "reports_to_id": "b"}
    diff = compare_snapshots(
        {"people": {"a": before, "b": boss}}, {"people": {"a": after, "b": boss}}
    )
    assert [(c.field, c.before, c.after) for c in diff.changed] == [
        ("buying role", "champion", "coach"),
        ("reports to", "none", "Boss"),
        ("title", "CTO", "CIO"),
    ]
    assert "Ann: reports to none → Boss" in diff.lines_of_text()


def test_a_scale_out_of_range_is_named_as_the_person_form_names_it(store: Store) -> None:
    # It said "Relationship strength goes from 1 to 5." beside a form labelled
    # "Relationship (1-5)".
    acc = add_account(store)
    ann = add_person(store, acc, "Ann")
    with pytest.raises(edits.MapEditError) as refused:
        in_unit(store, edits.update_stakeholder, ann, {"relationship_strength": 9})
    assert str(refused.value) == "Relationship goes from 1 to 5."
