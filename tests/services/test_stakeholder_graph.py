"""The stakeholder-map analysis: each finding fires exactly when it should."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.models.enums import BuyingRole, RelationKind
from app.models.store import Store
from app.services.map_analysis import (
    Severity,
    WarningKind,
    analyse,
    influence_path,
    warnings_by_person,
)
from app.services.stakeholder_graph import (
    _PERSON_COLUMNS,
    _PERSON_EXTRAS,
    InfluenceMap,
    MapLine,
    MapPerson,
    load_account_map,
)
from tests.map_helpers import TODAY, add_account, add_line, add_person, add_touchpoint

R = BuyingRole


def person(pid: str, role: BuyingRole | None = None, **kw: object) -> MapPerson:
    kw.setdefault("last_contact_on", TODAY)
    return MapPerson(id=pid, name=pid.capitalize(), role=role, **kw)  # type: ignore[arg-type]


def build(*people: MapPerson, lines: tuple[MapLine, ...] = (), touches=()) -> InfluenceMap:  # type: ignore[no-untyped-def]
    return InfluenceMap(
        "acc", "Acme", {p.id: p for p in people}, lines, tuple(tuple(t) for t in touches)
    )


def kinds(imap: InfluenceMap) -> list[WarningKind]:
    return [w.kind for w in analyse(imap, TODAY)]


def only(imap: InfluenceMap, kind: WarningKind) -> list[tuple[str, ...]]:
    return [w.stakeholder_ids for w in analyse(imap, TODAY) if w.kind is kind]


def influence(a: str, b: str, kind: RelationKind = RelationKind.INFLUENCE) -> MapLine:
    return MapLine(f"{a}-{b}", a, b, kind)


# A healthy map: buyer, two champions, champion influences the buyer; nothing fires but the path.
HEALTHY = (
    person("bea", R.ECONOMIC_BUYER, influence=5, sentiment=1),
    person("carl", R.CHAMPION, sentiment=2, reports_to_id="bea"),
    person("cora", R.COACH, sentiment=1),
)


def test_healthy_map_has_only_the_path_finding() -> None:
    found = analyse(build(*HEALTHY), TODAY)
    assert [w.kind for w in found] == [WarningKind.PATH_TO_BUYER]
    assert found[0].severity is Severity.INFO
    assert found[0].stakeholder_ids == ("carl", "bea")


def test_empty_account_raises_nothing() -> None:
    assert kinds(build()) == []


def test_no_economic_buyer_fires_only_without_an_active_buyer() -> None:
    assert WarningKind.NO_ECONOMIC_BUYER not in kinds(build(*HEALTHY))
    no_buyer = build(person("carl", R.CHAMPION), person("cora", R.COACH))
    assert WarningKind.NO_ECONOMIC_BUYER in kinds(no_buyer)
    departed_buyer = build(
        person("bea", R.ECONOMIC_BUYER, departed=True), person("carl", R.CHAMPION)
    )
    assert WarningKind.NO_ECONOMIC_BUYER in kinds(departed_buyer)


def test_no_champion_is_silenced_by_a_coach_alone() -> None:
    assert WarningKind.NO_CHAMPION in kinds(build(person("bea", R.ECONOMIC_BUYER)))
    coach_only = build(person("bea", R.ECONOMIC_BUYER), person("cora", R.COACH))
    assert WarningKind.NO_CHAMPION not in kinds(coach_only)


def test_champion_without_backup() -> None:
    lone = build(person("bea", R.ECONOMIC_BUYER), person("carl", R.CHAMPION))
    assert only(lone, WarningKind.CHAMPION_WITHOUT_BACKUP) == [("carl",)]
    assert only(build(*HEALTHY), WarningKind.CHAMPION_WITHOUT_BACKUP) == []
    two = build(person("carl", R.CHAMPION), person("chris", R.CHAMPION))
    assert only(two, WarningKind.CHAMPION_WITHOUT_BACKUP) == []


def test_influential_detractor_needs_both_opposition_and_influence() -> None:
    imap = build(
        *HEALTHY,
        person("dan", sentiment=-1, influence=4),
        person("dora", sentiment=-2, influence=3),
        person("bob", R.BLOCKER, sentiment=0, influence=5),
        person("sam", sentiment=1, influence=5),
        person("gone", sentiment=-2, influence=5, departed=True),
    )
    found = [w for w in analyse(imap, TODAY) if w.kind is WarningKind.INFLUENTIAL_DETRACTOR]
    assert [w.stakeholder_ids for w in found] == [("bob",), ("dan",)]
    assert [w.severity for w in found] == [Severity.CRITICAL, Severity.WARNING]


def test_stale_contacts_after_ninety_days() -> None:
    imap = build(
        *HEALTHY,
        person("fresh", last_contact_on=TODAY - timedelta(days=90)),
        person("old", last_contact_on=TODAY - timedelta(days=91)),
        person("never", last_contact_on=None),
        person("met", last_contact_on=None, last_touch_on=TODAY - timedelta(days=10)),
        person("left", last_contact_on=None, departed=True),
    )
    assert only(imap, WarningKind.STALE_CONTACT) == [("never", "old")]


def test_departed_key_contact_until_a_successor_is_named() -> None:
    imap = build(
        *HEALTHY,
        person("ann", R.CHAMPION, departed=True),
        person("spo", is_executive_sponsor=True, departed=True),
        person("usr", R.USER, departed=True),
        person("old", R.CHAMPION, departed=True, successor_id="carl"),
    )
    assert only(imap, WarningKind.DEPARTED_KEY_CONTACT) == [("ann",), ("spo",)]


def test_single_threaded_when_one_contact_carries_most_touchpoints() -> None:
    people = (*HEALTHY,)
    lone = build(*people, touches=[["carl"], ["carl"], ["carl", "bea"], ["carl"]])
    assert only(lone, WarningKind.SINGLE_THREADED) == [("carl",)]
    shared = build(*people, touches=[["carl", "bea"], ["carl", "cora"], ["bea"], ["carl"]])
    assert only(shared, WarningKind.SINGLE_THREADED) == []
    too_few = build(*people, touches=[["carl"], ["carl"], ["carl"]])
    assert only(too_few, WarningKind.SINGLE_THREADED) == []


def test_shortest_influence_path_follows_directions_and_skips_conflicts() -> None:
    people = (
        person("carl", R.CHAMPION),
        person("cora", R.COACH),
        person("mid"),
        person("far"),
        person("bea", R.ECONOMIC_BUYER),
    )
    lines = (
        influence("carl", "far"),
        influence("far", "mid"),
        influence("mid", "bea"),
        influence("carl", "cora"),
        influence("cora", "bea", RelationKind.CONFLICT),
    )
    imap = build(*people, lines=lines)
    assert influence_path(imap, "carl", "bea") == ["carl", "far", "mid", "bea"]
    # Influence is directed: the buyer cannot reach the champion that way.
    assert influence_path(imap, "bea", "carl") is None
    # An alliance works both ways and shortens the chain.
    shorter = build(*people, lines=(*lines, influence("bea", "cora", RelationKind.ALLIANCE)))
    assert influence_path(shorter, "carl", "bea") == ["carl", "cora", "bea"]
    # A departed go-between breaks the chain.
    broken = build(*people[:2], person("mid", departed=True), *people[3:], lines=lines)
    assert influence_path(broken, "carl", "bea") is None
    assert only(broken, WarningKind.NO_PATH_TO_BUYER) == [("carl", "bea")]


def test_reporting_lines_carry_influence_both_ways() -> None:
    imap = build(
        person("bea", R.ECONOMIC_BUYER),
        person("vp", reports_to_id="bea"),
        person("carl", R.CHAMPION, reports_to_id="vp"),
    )
    assert influence_path(imap, "carl", "bea") == ["carl", "vp", "bea"]
    assert influence_path(imap, "bea", "carl") == ["bea", "vp", "carl"]


def test_warnings_by_person_leaves_out_info() -> None:
    lone = build(
        person("bea", R.ECONOMIC_BUYER, influence=5, sentiment=-2), person("carl", R.CHAMPION)
    )
    by_person = warnings_by_person(analyse(lone, TODAY))
    assert set(by_person) == {"bea", "carl"}
    assert [w.kind for w in by_person["bea"]] == [
        WarningKind.INFLUENTIAL_DETRACTOR,
        WarningKind.NO_PATH_TO_BUYER,
    ]
    linked = build(*HEALTHY)
    assert warnings_by_person(analyse(linked, TODAY)) == {}


def test_load_account_map_reads_cards_lines_and_touchpoints(store: Store) -> None:
    acc = add_account(store)
    other = add_account(store, "Other Inc")
    bea = add_person(store, acc, "Bea Buyer", role=R.ECONOMIC_BUYER, at=(10, 20))
    carl = add_person(store, acc, "Carl Champ", role=R.CHAMPION, reports_to_id=bea)
    add_person(store, other, "Stranger", at=(0, 0))
    add_line(store, acc, carl, bea, RelationKind.INFLUENCE, strength=3)
    for days in (1, 5, 9, 12, 400):
        add_touchpoint(store, acc, [carl], TODAY - timedelta(days=days))
    imap = load_account_map(store, acc, today=TODAY)
    assert imap.account_name == "Acme Corp"
    assert [p.name for p in imap.on_map()] == ["Bea Buyer"]
    assert [p.name for p in imap.off_map()] == ["Carl Champ"]
    assert imap.people[bea].position == (10, 20)
    assert imap.people[carl].touchpoints == 5
    assert imap.people[carl].last_touch_on == TODAY - timedelta(days=1)
    assert len(imap.recent_touchpoints) == 4  # the 400-day-old one is outside the window
    assert [(line.kind, line.strength) for line in imap.lines] == [(RelationKind.INFLUENCE, 3)]
    assert imap.reporting_lines(on_map_only=False) == [(carl, bea)]
    assert imap.reporting_lines() == []
    assert imap.lines_on_map() == []
    found = analyse(imap, TODAY)
    single = [w for w in found if w.kind is WarningKind.SINGLE_THREADED]
    assert [w.stakeholder_ids for w in single] == [(carl,)]
    # Roles and sponsorship come through the load (the report's coverage is book_facts').
    people = imap.people.values()
    assert {p.role for p in people} == {R.ECONOMIC_BUYER, R.CHAMPION}
    assert not any(p.is_executive_sponsor for p in people)


def test_load_unknown_account_is_refused(store: Store) -> None:
    with pytest.raises(LookupError):
        load_account_map(store, "0" * 32)


def test_a_row_fills_a_map_person_by_place() -> None:
    """``load_map`` passes a row's values by place: its columns, then the values it adds,
    are MapPerson's fields in order."""
    assert (*_PERSON_COLUMNS, *_PERSON_EXTRAS) == MapPerson._fields


@pytest.mark.parametrize(
    ("name", "initials"),
    [("Ada Lovelace", "AL"), ("Cher", "CH"), ("Jean-Luc Picard", "JP"), ("", "?")],
)
def test_initials(name: str, initials: str) -> None:
    assert MapPerson(id="x", name=name).initials == initials


def test_last_touched_is_the_later_of_the_recorded_contact_and_the_touchpoint() -> None:
    may, june = date(2026, 5, 4), date(2026, 6, 1)
    assert MapPerson(id="x", name="X").last_touched() is None
    assert MapPerson(id="x", name="X", last_contact_on=may).last_touched() == may
    assert MapPerson(id="x", name="X", last_touch_on=june).last_touched() == june
    both = MapPerson(id="x", name="X", last_contact_on=june, last_touch_on=may)
    assert both.last_touched() == june
    assert both._replace(last_touch_on=date(2026, 7, 1)).last_touched() == date(2026, 7, 1)
