"""Demo stakeholders: a reporting tree per account, buying roles, relations and map cards."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from app.models.enums import BuyingRole, RelationKind, Segment
from app.services.demo import words
from app.services.demo.accounts import AccountPlan
from app.services.demo.context import DemoContext, Row, clamp
from app.services.map_layout import tidy_layout

HEADCOUNT = {
    Segment.STRATEGIC: (12, 25),
    Segment.ENTERPRISE: (8, 18),
    Segment.MID_MARKET: (5, 12),
    Segment.SMB: (3, 8),
}
#: Departments a head is drawn from, most relevant to a software purchase first.
HEAD_DEPARTMENTS = ("IT", "Finance", "Operations", "Customer Service", "Sales", "Marketing", "HR")


@dataclass
class Person:
    """A stakeholder being drawn; ``level`` 0 top executive, 1 head, 2 manager, 3 staff."""

    id: str
    level: int
    department: str
    manager: Person | None
    title: str = ""
    reports: list[Person] = field(default_factory=list)
    row: Row = field(default_factory=dict)


@dataclass
class PeopleFacts:
    """What the rest of the generator needs to know about an account's people."""

    ids: list[str]
    present: list[str]
    champion_id: str | None
    departed_on: date | None


@lru_cache(maxsize=4096)
def _ascii(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z]", "", plain.lower())


def _phone(ctx: DemoContext, region: str) -> str:
    rng = ctx.rng
    if region == "North America":
        return f"+1 ({rng.randint(201, 989)}) 555-01{rng.randint(0, 99):02d}"
    if region == "EMEA":
        return f"+44 20 7946 0{rng.randint(0, 999):03d}"
    if region == "APAC":
        return f"+61 2 5550 {rng.randint(0, 9999):04d}"
    return f"+55 11 5555 {rng.randint(0, 9999):04d}"


def _build_tree(ctx: DemoContext, plan: AccountPlan, size: int) -> list[Person]:
    rng = ctx.rng
    top = Person(ctx.new_id(), 0, "Executive", None)
    top.title = (
        rng.choice(words.DEPARTMENTS["Executive"][0]) if plan.depth == 0 else "Managing Director"
    )
    people = [top]
    heads_wanted = min(size - 1, max(1, round((size - 1) / 4)), len(HEAD_DEPARTMENTS))
    departments = list(HEAD_DEPARTMENTS[:2]) + rng.sample(HEAD_DEPARTMENTS[2:], 5)
    heads: list[Person] = []
    big = plan.segment in (Segment.STRATEGIC, Segment.ENTERPRISE) and plan.depth == 0
    for department in departments[:heads_wanted]:
        head = Person(ctx.new_id(), 1, department, top)
        titles = words.DEPARTMENTS[department]
        head.title = rng.choice(titles[0] if big and rng.random() < 0.6 else titles[1])
        heads.append(head)
        people.append(head)
    managers: list[Person] = []
    for index in range(size - 1 - len(heads)):
        head = heads[index % len(heads)] if heads else top
        titles = words.DEPARTMENTS[head.department]
        own_managers = [m for m in managers if m.manager is head]
        if own_managers and rng.random() < 0.65:
            boss = rng.choice(own_managers)
            person = Person(ctx.new_id(), 3, head.department, boss, rng.choice(titles[3]))
        else:
            person = Person(ctx.new_id(), 2, head.department, head, rng.choice(titles[2]))
            managers.append(person)
        people.append(person)
    for person in people:
        if person.manager is not None:
            person.manager.reports.append(person)
    return people


def write_people(ctx: DemoContext, plan: AccountPlan) -> PeopleFacts:
    """Stakeholders in a real reporting tree, their roles, relations and map cards."""
    rng = ctx.rng
    low, high = HEADCOUNT[plan.segment]
    size = rng.randint(low, high) if plan.depth == 0 else rng.randint(3, max(3, (low + high) // 2))
    people = _build_tree(ctx, plan, size)
    weak = plan.profile in ("declining", "struggling")
    mood = -0.4 if weak else 0.6
    used_names: set[str] = set()
    for person in people:
        while True:
            first, last = rng.choice(words.FIRST_NAMES), rng.choice(words.LAST_NAMES)
            if f"{first} {last}" not in used_names:
                used_names.add(f"{first} {last}")
                break
        influence = {0: 5, 1: 4, 2: 3, 3: rng.choice((1, 2, 2))}[person.level]
        sentiment = round(clamp(rng.gauss(mood, 0.9), -2, 2))
        person.row = {
            "id": person.id,
            "account_id": plan.id,
            "name": f"{first} {last}",
            "title": person.title,
            "department": person.department,
            "email": f"{_ascii(first)}.{_ascii(last)}@{plan.domain}",
            "phone": _phone(ctx, plan.region) if rng.random() < 0.85 else None,
            "reports_to_id": person.manager.id if person.manager else None,
            "role": BuyingRole.USER if person.level == 3 else None,
            "sentiment": sentiment,
            "influence": influence,
            "relationship_strength": int(clamp(round(rng.gauss(3 + sentiment / 2, 0.8)), 1, 5)),
            "is_executive_sponsor": False,
            "last_contact_on": ctx.days_ago(rng.randint(0, 120)) if rng.random() < 0.8 else None,
            "departed": False,
            "departed_on": None,
            "departed_to": None,
            "departed_is_lead": False,
            "successor_id": None,
            "our_counterpart": None,
            "external_id": None,
            "created_at": ctx.stamp(plan.created_on),
            "updated_at": ctx.stamp(plan.created_on),
        }
    champion_id, departed_on = _assign_roles(ctx, plan, people, weak)
    # Parents before the rows that point at them: managers come first in ``people``, and a
    # departed champion (who may point at a successor) goes last.
    for person in sorted(people, key=lambda p: bool(p.row["departed"])):
        ctx.emit("stakeholder", person.row)
    present = [p.id for p in people if not p.row["departed"]]
    _write_relations(ctx, plan, people)
    _write_cards(ctx, plan, people)
    return PeopleFacts([p.id for p in people], present, champion_id, departed_on)


def _assign_roles(
    ctx: DemoContext, plan: AccountPlan, people: list[Person], weak: bool
) -> tuple[str | None, date | None]:
    rng = ctx.rng
    top, rest = people[0], people[1:]
    heads = [p for p in rest if p.level == 1]
    finance = next((p for p in heads if p.department == "Finance"), None)
    it_head = next((p for p in heads if p.department == "IT"), None)
    if rng.random() < 0.12:
        top.row["role"] = BuyingRole.DECISION_MAKER  # no economic buyer identified
    elif finance is not None and rng.random() < 0.35:
        finance.row["role"] = BuyingRole.ECONOMIC_BUYER
        top.row["role"] = BuyingRole.DECISION_MAKER
    else:
        top.row["role"] = BuyingRole.ECONOMIC_BUYER
    top.row["influence"] = 5
    if it_head is not None:
        it_head.row["role"] = BuyingRole.TECHNICAL_BUYER
    for head in heads:
        if head.row["role"] is None:
            head.row["role"] = rng.choice((BuyingRole.DECISION_MAKER, BuyingRole.INFLUENCER))
    middle = [p for p in rest if p.level == 2] or [p for p in rest if p.row["role"] is None] or rest
    champion: Person | None = None
    departed_on: date | None = None
    if middle and rng.random() >= 0.15:
        champion = rng.choice(middle)
        champion.row.update(role=BuyingRole.CHAMPION, sentiment=2, relationship_strength=5)
        champion.row["our_counterpart"] = plan.owner
        if rng.random() < (0.2 if weak else 0.07):
            departed_on = ctx.days_ago(rng.randint(5, 150))
            champion.row.update(
                departed=True,
                departed_on=departed_on,
                departed_to=f"{rng.choice(words.NAME_HEADS)}{rng.choice(words.NAME_TAILS)}",
                departed_is_lead=rng.random() < 0.5,
                updated_at=ctx.stamp(departed_on),
                last_contact_on=departed_on - timedelta(days=rng.randint(3, 40)),
            )
            for report in champion.reports:  # the team now reports one level up
                report.row["reports_to_id"] = champion.row["reports_to_id"]
            successors = [p for p in middle if p is not champion]
            if successors and rng.random() < 0.5:
                successor = rng.choice(successors)
                successor.row.update(role=BuyingRole.CHAMPION, sentiment=1)
                champion.row["successor_id"] = successor.id
    others = [p for p in rest if p.row["role"] in (None, BuyingRole.USER) and p is not champion]
    rng.shuffle(others)
    for person, role in zip(others, (BuyingRole.COACH, BuyingRole.INFLUENCER), strict=False):
        person.row.update(role=role, sentiment=max(1, person.row["sentiment"]))
    blockers = others[2:3] if rng.random() < (0.6 if weak else 0.2) else []
    for person in blockers:
        person.row.update(role=BuyingRole.BLOCKER, sentiment=rng.choice((-2, -1)), influence=3)
    for person in others[3:]:
        if rng.random() < 0.2:
            person.row["role"] = None  # role not known yet
    sponsor_pool = [top, *heads]
    if rng.random() < (0.45 if weak else 0.75):
        sponsor = rng.choice(sponsor_pool)
        sponsor.row.update(
            is_executive_sponsor=True, our_counterpart=rng.choice(words.OUR_EXECUTIVES)
        )
        plan.has_exec_sponsor = True
    return (champion.id if champion and not departed_on else None), departed_on


def _write_relations(ctx: DemoContext, plan: AccountPlan, people: list[Person]) -> None:
    rng = ctx.rng
    if len(people) < 3:
        return
    seen: set[tuple[str, str, str]] = set()
    senior = [p for p in people if p.level <= 2]
    kinds = [RelationKind.INFLUENCE] * max(1, len(people) // 3)
    kinds += [RelationKind.DOTTED_LINE] * rng.randint(0, 2 if len(people) >= 6 else 0)
    kinds += [RelationKind.CONFLICT] * rng.randint(0, 2)
    kinds += [RelationKind.ALLIANCE] * rng.randint(0, 2)
    for kind in kinds:
        source = rng.choice(senior if kind is RelationKind.INFLUENCE else people)
        target = rng.choice(people)
        if target is source or target is source.manager or (source.id, target.id, kind) in seen:
            continue
        seen.add((source.id, target.id, kind))
        ctx.emit(
            "stakeholder_relation",
            {
                "id": ctx.new_id(),
                "account_id": plan.id,
                "source_id": source.id,
                "target_id": target.id,
                "kind": kind,
                "strength": rng.randint(1, 3),
                "note": "Disagree on the rollout scope." if kind is RelationKind.CONFLICT else None,
            },
        )


def _write_cards(ctx: DemoContext, plan: AccountPlan, people: list[Person]) -> None:
    """Cards laid out as the map's Tidy layout would (an org chart that fits a 1366x768
    window's map at the readable zoom); a few accounts have no map yet."""
    rng = ctx.rng
    if rng.random() < 0.06:
        return
    skip_some = rng.random() < 0.12
    placed = [
        person
        for person in people
        if not (person.row["departed"] or (skip_some and person.level == 3 and rng.random() < 0.5))
    ]
    laid = tidy_layout(
        [person.id for person in placed],
        {person.id: person.manager.id if person.manager else None for person in placed},
    )
    for person in placed:
        x, y = laid[person.id]
        ctx.emit(
            "map_card",
            {"stakeholder_id": person.id, "account_id": plan.id, "x": x, "y": y},
        )
