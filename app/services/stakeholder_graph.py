"""An account's influence map as plain data, read in one go (``map_analysis`` reads it)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, Select, String, and_, bindparam, select
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
from app.services.labels import label_of
from app.services.names import initials

#: Single-threading is judged on the touchpoints of this many recent days (``map_analysis``).
SINGLE_THREAD_WINDOW_DAYS = 180

#: Roles whose departure puts the renewal at risk (with executive sponsors).
KEY_ROLES = frozenset({BuyingRole.CHAMPION, BuyingRole.ECONOMIC_BUYER, BuyingRole.DECISION_MAKER})


def key_contact_clause() -> ColumnElement[bool]:
    """``MapPerson.is_key_contact`` as SQL over ``Stakeholder``: a key role or a sponsor."""
    return Stakeholder.role.in_(KEY_ROLES) | Stakeholder.is_executive_sponsor.is_(True)


#: A role's words, as ``labels.label_of`` says them everywhere (in the enum's order).
ROLE_LABELS: Mapping[BuyingRole, str] = {role: label_of(role) for role in BuyingRole}

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


class MapPerson(NamedTuple):
    """One stakeholder as the map shows them (a snapshot, not a live ORM object).

    A named tuple rather than a frozen dataclass: a map of 500 people makes 500 of them on
    every open, and a frozen dataclass sets each of its 23 fields through
    ``object.__setattr__`` (1.8 ms for 500 against 0.2 ms).
    """

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
        return initials(self.name)

    def last_touched(self) -> date | None:
        """The later of the recorded last contact and the latest attended touchpoint."""
        recorded, attended = self.last_contact_on, self.last_touch_on
        if recorded is None or attended is None:
            return attended if recorded is None else recorded
        return max(recorded, attended)


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
        return sorted((p for p in self.people.values() if p.on_map), key=by_name)

    def off_map(self) -> list[MapPerson]:
        """People of the account without a card yet."""
        return sorted((p for p in self.people.values() if not p.on_map), key=by_name)

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
_PERSON_COLUMNS = MapPerson._fields[: MapPerson._fields.index("private_notes")]
#: MapPerson's fields after those, in order: ``load_map`` passes a row's values by place (a
#: keyword dict per person cost a 500-person map 2.5 ms).
_PERSON_EXTRAS = ("private_notes", "position", "touchpoints", "last_touch_on")


def by_name(person: MapPerson) -> tuple[str, str]:
    """Sort key: the name as people read it, then the id for a stable order."""
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
