"""An account's influence map as plain data, and the analysis a CSM needs from it."""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import lru_cache
from typing import Any

from sqlalchemy import Select, String, and_, bindparam, select
from sqlalchemy.orm import Session

from app.models import (
    Account,
    Activity,
    MapCard,
    Stakeholder,
    StakeholderRelation,
    activity_attendee,
)
from app.models.enums import BuyingRole, RelationKind, Sentiment
from app.models.store import Store
from app.services import private_notes

#: A contact not touched for longer than this is "gone quiet".
STALE_AFTER_DAYS = 90
#: Single-threading is judged on the touchpoints of this many recent days...
SINGLE_THREAD_WINDOW_DAYS = 180
#: ...once there are at least this many touchpoints with attendees...
SINGLE_THREAD_MIN_TOUCHPOINTS = 4
#: ...when one contact carries more than this share of all attendances.
SINGLE_THREAD_SHARE = 0.6
#: Influence at or above this makes a detractor dangerous.
HIGH_INFLUENCE = 4

#: Roles whose departure puts the renewal at risk (with executive sponsors).
KEY_ROLES = frozenset({BuyingRole.CHAMPION, BuyingRole.ECONOMIC_BUYER, BuyingRole.DECISION_MAKER})

ROLE_LABELS: Mapping[BuyingRole, str] = {
    BuyingRole.ECONOMIC_BUYER: "Economic buyer",
    BuyingRole.DECISION_MAKER: "Decision maker",
    BuyingRole.CHAMPION: "Champion",
    BuyingRole.COACH: "Coach",
    BuyingRole.TECHNICAL_BUYER: "Technical buyer",
    BuyingRole.USER: "User",
    BuyingRole.INFLUENCER: "Influencer",
    BuyingRole.BLOCKER: "Blocker",
}

SENTIMENT_LABELS: Mapping[int, str] = {
    -2: "Strong detractor",
    -1: "Detractor",
    0: "Neutral",
    1: "Supporter",
    2: "Strong supporter",
}

RELATION_LABELS: Mapping[RelationKind, str] = {
    RelationKind.INFLUENCE: "Influences",
    RelationKind.DOTTED_LINE: "Dotted-line report",
    RelationKind.CONFLICT: "Conflict",
    RelationKind.ALLIANCE: "Alliance",
}


@dataclass(frozen=True)
class MapPerson:
    """One stakeholder as the map shows them (a snapshot, not a live ORM object)."""

    id: str
    name: str
    title: str | None = None
    department: str | None = None
    email: str | None = None
    phone: str | None = None
    reports_to_id: str | None = None
    role: BuyingRole | None = None
    sentiment: int = 0
    influence: int = 3
    relationship_strength: int = 2
    is_executive_sponsor: bool = False
    last_contact_on: date | None = None
    departed: bool = False
    departed_on: date | None = None
    departed_to: str | None = None
    departed_is_lead: bool = False
    successor_id: str | None = None
    our_counterpart: str | None = None
    private_notes: str | None = None
    #: Top-left corner of the card, or None when the person is not on the map.
    position: tuple[float, float] | None = None
    #: Touchpoints (activities) this person attended, all time.
    touchpoints: int = 0
    #: Date of the latest touchpoint they attended.
    last_touch_on: date | None = None

    @property
    def on_map(self) -> bool:
        """True when the person has a card on the map."""
        return self.position is not None

    @property
    def active(self) -> bool:
        """Still at the customer (not departed)."""
        return not self.departed

    @property
    def sentiment_label(self) -> Sentiment:
        """Supporter / neutral / detractor."""
        return Sentiment.from_scale(self.sentiment)

    @property
    def is_key_contact(self) -> bool:
        """Champion, buyer, decision maker or executive sponsor: their leaving is a risk."""
        return self.is_executive_sponsor or self.role in KEY_ROLES

    @property
    def initials(self) -> str:
        """Up to two initials for the avatar."""
        parts = [p for p in self.name.replace("-", " ").split() if p[:1].isalpha()]
        if not parts:
            return "?"
        if len(parts) == 1:
            return parts[0][:2].upper()
        return (parts[0][0] + parts[-1][0]).upper()

    def last_touched(self) -> date | None:
        """The later of the recorded last contact and the latest attended touchpoint."""
        dates = [d for d in (self.last_contact_on, self.last_touch_on) if d is not None]
        return max(dates) if dates else None


@dataclass(frozen=True)
class MapLine:
    """A line between two people other than the formal reporting line."""

    id: str
    source_id: str
    target_id: str
    kind: RelationKind
    strength: int = 2
    note: str | None = None


@dataclass(frozen=True)
class InfluenceMap:
    """An account's people and lines, with the attendance counts the analysis needs."""

    account_id: str
    account_name: str
    people: Mapping[str, MapPerson]
    lines: tuple[MapLine, ...] = ()
    #: Attendee ids of each recent touchpoint (newest first), for single-threading.
    recent_touchpoints: tuple[tuple[str, ...], ...] = ()

    def on_map(self) -> list[MapPerson]:
        """People with a card, in a stable order (name)."""
        return sorted((p for p in self.people.values() if p.on_map), key=_name_key)

    def off_map(self) -> list[MapPerson]:
        """People of the account without a card yet."""
        return sorted((p for p in self.people.values() if not p.on_map), key=_name_key)

    def reporting_lines(self, *, on_map_only: bool = True) -> list[tuple[str, str]]:
        """``(report_id, manager_id)`` pairs, both ends present (and on the map by default)."""
        pairs = []
        for person in self.people.values():
            manager = self.people.get(person.reports_to_id or "")
            if manager is None:
                continue
            if on_map_only and not (person.on_map and manager.on_map):
                continue
            pairs.append((person.id, manager.id))
        return pairs

    def lines_on_map(self) -> list[MapLine]:
        """Relation lines whose both ends have a card."""
        return [
            line
            for line in self.lines
            if self._has_card(line.source_id) and self._has_card(line.target_id)
        ]

    def _has_card(self, person_id: str) -> bool:
        person = self.people.get(person_id)
        return person is not None and person.on_map


#: Stakeholder columns copied into MapPerson as they are: its fields before ``private_notes``.
_PERSON_COLUMNS = tuple(f.name for f in fields(MapPerson))[
    : [f.name for f in fields(MapPerson)].index("private_notes")
]
#: MapPerson's fields after those, in order: ``load_map`` passes a row's values by place (a
#: keyword dict per person cost a 500-person map 2.5 ms).
_PERSON_EXTRAS = ("private_notes", "position", "touchpoints", "last_touch_on")


def _name_key(person: MapPerson) -> tuple[str, str]:
    return (person.name.casefold(), person.id)


@lru_cache(maxsize=4)
def _map_statements(dialect: str) -> tuple[Select[Any], Select[Any], Select[Any]]:
    """The map's three statements for one database dialect, built once.

    Built per call they cost more CPU than running them: SQLAlchemy coerces every column
    and computes the statement's cache key each time; a statement object kept keeps both.
    """
    table = Stakeholder.__table__
    account_id = bindparam("account_id", type_=String())
    on_card = and_(MapCard.stakeholder_id == table.c.id, MapCard.account_id == account_id)
    people = (
        select(
            Account.name,
            *(table.c[name] for name in _PERSON_COLUMNS),
            MapCard.x,
            MapCard.y,
            private_notes.own_note_text(dialect, table.c.id),
        )
        .select_from(Account)
        .outerjoin(table, table.c.account_id == Account.id)
        .outerjoin(MapCard, on_card)
        .where(Account.id == account_id)
        .order_by(table.c.name)
    )
    attendance = (
        select(activity_attendee.c.stakeholder_id, Activity.id, Activity.occurred_at)
        .join(Activity, Activity.id == activity_attendee.c.activity_id)
        .where(Activity.account_id == account_id)
        .order_by(Activity.occurred_at.desc())
    )
    rel = StakeholderRelation
    lines = (
        select(rel.id, rel.source_id, rel.target_id, rel.kind, rel.strength, rel.note)
        .where(rel.account_id == account_id)
        .order_by(rel.id)
    )
    return people, attendance, lines


def load_map(session: Session, account_id: str, *, today: date | None = None) -> InfluenceMap:
    """Read an account's map inside ``session`` (people, cards, lines, touchpoints).

    Three statements: the account with its people, their cards and the reader's own notes;
    the attendance; the lines (each statement is a round trip on a team server).
    """
    # Plain rows on the session's connection, not ORM objects nor the ORM's result layer:
    # the map only reads.
    connection = session.connection()
    dialect = connection.dialect.name
    people_sql, attendance_sql, lines_sql = _map_statements(dialect)
    params = {"account_id": account_id, **private_notes.own_note_params(dialect)}
    rows = connection.execute(people_sql, params).all()
    if not rows:
        raise LookupError(f"There is no account with id {account_id}.")
    attendance = connection.execute(attendance_sql, params).all()
    counts: Counter[str] = Counter()
    latest: dict[str, date] = {}
    by_activity: dict[str, list[str]] = {}
    since = (today or date.today()) - timedelta(days=SINGLE_THREAD_WINDOW_DAYS)
    for stakeholder_id, activity_id, occurred_at in attendance:
        counts[stakeholder_id] += 1
        day = occurred_at.date() if isinstance(occurred_at, datetime) else occurred_at
        if today is not None and day > today:
            # A planned (future-dated) call is not a contact yet.
            continue
        if stakeholder_id not in latest or day > latest[stakeholder_id]:
            latest[stakeholder_id] = day
        if day >= since:
            by_activity.setdefault(activity_id, []).append(stakeholder_id)
    people: dict[str, MapPerson] = {}
    width = len(_PERSON_COLUMNS) + 1
    for row in rows:
        pid = row[1]
        if pid is None:  # an account without people: the one row carries only its name
            continue
        x, y, note = row[width:]
        extras = (note, None if x is None else (x, y), counts.get(pid, 0), latest.get(pid))
        # By place: the columns, then the _PERSON_EXTRAS.
        values: tuple[Any, ...] = (*row[1:width], *extras)
        people[pid] = MapPerson(*values)
    lines = tuple(
        MapLine(id=rid, source_id=src, target_id=dst, kind=kind, strength=strength, note=note)
        for rid, src, dst, kind, strength, note in connection.execute(lines_sql, params)
    )
    return InfluenceMap(
        account_id=account_id,
        account_name=rows[0][0],
        people=people,
        lines=lines,
        # Attendees sorted: the order rows come back in is not the same on every database.
        recent_touchpoints=tuple(tuple(sorted(ids)) for ids in by_activity.values()),
    )


def load_account_map(store: Store, account_id: str, *, today: date | None = None) -> InfluenceMap:
    """Read an account's map in a short read session of its own."""
    with store.read() as session:
        return load_map(session, account_id, today=today)


# --- analysis -------------------------------------------------------------------------------


class WarningKind(StrEnum):
    """What an analysis finding is about; stable codes for exports and reports."""

    NO_ECONOMIC_BUYER = "no_economic_buyer"
    NO_CHAMPION = "no_champion"
    SINGLE_THREADED = "single_threaded"
    CHAMPION_WITHOUT_BACKUP = "champion_without_backup"
    INFLUENTIAL_DETRACTOR = "influential_detractor"
    STALE_CONTACT = "stale_contact"
    DEPARTED_KEY_CONTACT = "departed_key_contact"
    NO_PATH_TO_BUYER = "no_path_to_buyer"
    PATH_TO_BUYER = "path_to_buyer"


class Severity(StrEnum):
    """How loudly a finding is shown."""

    INFO = "info"
    WARNING = "warning"
    CRITICAL = "critical"


@dataclass(frozen=True)
class MapWarning:
    """One finding about the map and the stakeholders it concerns (ids, in a useful order)."""

    kind: WarningKind
    severity: Severity
    message: str
    stakeholder_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Coverage:
    """Stakeholder coverage of an account, as the portfolio report lists it."""

    people: int
    active_people: int
    has_economic_buyer: bool
    has_champion: bool
    has_coach: bool
    has_executive_sponsor: bool
    detractors: int
    warnings: tuple[MapWarning, ...] = field(default=())


def _names(people: Iterable[MapPerson]) -> str:
    names = [p.name for p in people]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def influence_graph(imap: InfluenceMap) -> dict[str, set[str]]:
    """Who can sway whom: the directed graph influence paths are searched in.

    Influence lines are followed in their direction; reporting, dotted-line and alliance
    lines both ways (people sway their manager and their reports); conflicts never.
    Departed people are left out, so they break any chain through them.
    """
    active = {pid for pid, p in imap.people.items() if p.active}
    graph: dict[str, set[str]] = {pid: set() for pid in active}

    def link(a: str, b: str) -> None:
        if a in active and b in active:
            graph[a].add(b)

    for report_id, manager_id in imap.reporting_lines(on_map_only=False):
        link(report_id, manager_id)
        link(manager_id, report_id)
    for line in imap.lines:
        if line.kind is RelationKind.INFLUENCE:
            link(line.source_id, line.target_id)
        elif line.kind in (RelationKind.ALLIANCE, RelationKind.DOTTED_LINE):
            link(line.source_id, line.target_id)
            link(line.target_id, line.source_id)
    return graph


def _shortest(
    graph: Mapping[str, set[str]], sources: Iterable[str], targets: Iterable[str]
) -> list[str] | None:
    """Breadth-first search from all ``sources`` at once to the nearest of ``targets``."""
    goal = set(targets)
    starts = sorted(pid for pid in set(sources) if pid in graph)
    previous: dict[str, str | None] = dict.fromkeys(starts)
    queue = deque(starts)
    while queue:
        current = queue.popleft()
        if current in goal:
            path = [current]
            while (step := previous[path[-1]]) is not None:
                path.append(step)
            return path[::-1]
        for nxt in sorted(graph[current]):
            if nxt not in previous:
                previous[nxt] = current
                queue.append(nxt)
    return None


def influence_path(imap: InfluenceMap, source_id: str, target_id: str) -> list[str] | None:
    """The shortest chain of people through whom ``source_id`` can reach ``target_id``.

    See ``influence_graph`` for which lines count. Returns the ids from source to target,
    or None when there is no such chain (or either end has left).
    """
    graph = influence_graph(imap)
    if source_id not in graph or target_id not in graph:
        return None
    return _shortest(graph, [source_id], [target_id])


def analyse(imap: InfluenceMap, today: date) -> list[MapWarning]:
    """Every finding about the account's stakeholders, worst first within a stable order."""
    active = [p for p in imap.people.values() if p.active]
    active.sort(key=_name_key)
    found: list[MapWarning] = []
    buyers = [p for p in active if p.role is BuyingRole.ECONOMIC_BUYER]
    champions = [p for p in active if p.role is BuyingRole.CHAMPION]
    coaches = [p for p in active if p.role is BuyingRole.COACH]
    if active and not buyers:
        found.append(
            MapWarning(
                WarningKind.NO_ECONOMIC_BUYER,
                Severity.CRITICAL,
                "No economic buyer identified: who signs the renewal?",
            )
        )
    if active and not champions and not coaches:
        found.append(
            MapWarning(
                WarningKind.NO_CHAMPION,
                Severity.CRITICAL,
                "No champion or coach: nobody is selling for us inside the account.",
            )
        )
    if len(champions) + len(coaches) == 1 and champions:
        only = champions[0]
        found.append(
            MapWarning(
                WarningKind.CHAMPION_WITHOUT_BACKUP,
                Severity.WARNING,
                f"{only.name} is the only champion, with no coach as backup.",
                (only.id,),
            )
        )
    found.extend(_single_threaded(imap))
    for person in active:
        dangerous = person.sentiment < 0 or person.role is BuyingRole.BLOCKER
        if dangerous and person.influence >= HIGH_INFLUENCE:
            found.append(
                MapWarning(
                    WarningKind.INFLUENTIAL_DETRACTOR,
                    Severity.CRITICAL if person.influence == 5 else Severity.WARNING,
                    f"{person.name} opposes us and has influence {person.influence}/5.",
                    (person.id,),
                )
            )
    for person in sorted(imap.people.values(), key=_name_key):
        if person.departed and person.is_key_contact and person.successor_id is None:
            what = "executive sponsor" if person.is_executive_sponsor else _role_text(person)
            found.append(
                MapWarning(
                    WarningKind.DEPARTED_KEY_CONTACT,
                    Severity.CRITICAL,
                    f"{person.name} ({what}) has left and has no successor yet.",
                    (person.id,),
                )
            )
    stale_before = today - timedelta(days=STALE_AFTER_DAYS)
    stale = [p for p in active if (p.last_touched() or date.min) < stale_before]
    if stale:
        found.append(
            MapWarning(
                WarningKind.STALE_CONTACT,
                Severity.WARNING,
                f"Not touched in {STALE_AFTER_DAYS} days: {_names(stale)}.",
                tuple(p.id for p in stale),
            )
        )
    found.extend(_path_findings(imap, champions, buyers))
    return found


def _role_text(person: MapPerson) -> str:
    return ROLE_LABELS[person.role].lower() if person.role else "contact"


def _single_threaded(imap: InfluenceMap) -> list[MapWarning]:
    touchpoints = [ids for ids in imap.recent_touchpoints if ids]
    if len(touchpoints) < SINGLE_THREAD_MIN_TOUCHPOINTS:
        return []
    attendances = Counter(pid for ids in touchpoints for pid in ids)
    total = sum(attendances.values())
    top_id, top_count = min(attendances.items(), key=lambda item: (-item[1], item[0]))
    if top_count / total <= SINGLE_THREAD_SHARE or top_id not in imap.people:
        return []
    person = imap.people[top_id]
    share = round(100 * top_count / total)
    return [
        MapWarning(
            WarningKind.SINGLE_THREADED,
            Severity.WARNING,
            f"Single-threaded: {person.name} carries {share}% of recent touchpoints.",
            (top_id,),
        )
    ]


def _path_findings(
    imap: InfluenceMap, champions: list[MapPerson], buyers: list[MapPerson]
) -> list[MapWarning]:
    if not champions or not buyers:
        return []
    best = _shortest(influence_graph(imap), [p.id for p in champions], [p.id for p in buyers])
    if best is None:
        return [
            MapWarning(
                WarningKind.NO_PATH_TO_BUYER,
                Severity.WARNING,
                f"No line of influence from {_names(champions)} to {_names(buyers)}.",
                tuple(p.id for p in [*champions, *buyers]),
            )
        ]
    chain = " → ".join(imap.people[pid].name for pid in best)
    return [
        MapWarning(
            WarningKind.PATH_TO_BUYER,
            Severity.INFO,
            f"Path to the economic buyer: {chain} "
            f"({len(best) - 1} step{'s' if len(best) > 2 else ''}).",
            tuple(best),
        )
    ]


def coverage(imap: InfluenceMap, today: date) -> Coverage:
    """Coverage figures and findings for one account (the portfolio report's row)."""
    active = [p for p in imap.people.values() if p.active]
    return Coverage(
        people=len(imap.people),
        active_people=len(active),
        has_economic_buyer=any(p.role is BuyingRole.ECONOMIC_BUYER for p in active),
        has_champion=any(p.role is BuyingRole.CHAMPION for p in active),
        has_coach=any(p.role is BuyingRole.COACH for p in active),
        has_executive_sponsor=any(p.is_executive_sponsor for p in active),
        detractors=sum(1 for p in active if p.sentiment < 0),
        warnings=tuple(analyse(imap, today)),
    )


def warnings_by_person(found: Iterable[MapWarning]) -> dict[str, list[MapWarning]]:
    """The findings each stakeholder is concerned by (info findings left out)."""
    result: dict[str, list[MapWarning]] = {}
    for warning in found:
        if warning.severity is Severity.INFO:
            continue
        for pid in warning.stakeholder_ids:
            result.setdefault(pid, []).append(warning)
    return result
