"""Every entity of the model is written and read back unchanged, through a fresh store."""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import Enum
from typing import Any

import pytest
from sqlalchemy import Boolean, Date, Float, Integer, String, Text
from sqlalchemy.sql.sqltypes import Enum as SAEnum

from app.models import Base, activity_attendee
from app.models.base import UTCDateTime
from app.models.opening import open_workspace

#: Values the CHECK constraints demand; everything else is derived from the column type.
OVERRIDES: dict[str, Any] = {
    "currency": "EUR",
    "sentiment": -1,
    "influence": 4,
    "relationship_strength": 5,
    "strength": 3,
    "score": 7,
    "likelihood": 70,
    "start_date": date(2026, 1, 1),
    "end_date": date(2027, 12, 31),
    "opened_on": date(2026, 3, 1),
    "closed_on": date(2026, 4, 1),
    "tier": 2,
    "weight": 12.5,
}

MAPPERS = sorted(
    (m for m in Base.registry.mappers),
    key=lambda m: [t.name for t in Base.metadata.sorted_tables].index(m.local_table.name),
)


def _value(column: Any, index: int) -> Any:
    if column.name in OVERRIDES:
        return OVERRIDES[column.name]
    kind = column.type
    if isinstance(kind, SAEnum):
        return kind.enum_class(kind.enums[index % len(kind.enums)])  # type: ignore[misc]
    if isinstance(kind, UTCDateTime):
        return datetime(2026, 5, 4, 13, 30, 15, tzinfo=UTC)
    if isinstance(kind, Boolean):
        return True
    if isinstance(kind, Date):
        return date(2026, 6, 15)
    if isinstance(kind, Float):
        return 41.5
    if isinstance(kind, Integer):
        return 1_234_567
    if isinstance(kind, String | Text):
        return f"{column.name} «ünïcödé» {index}"[: getattr(kind, "length", None) or 500]
    raise AssertionError(f"no sample value for {column}")


@pytest.mark.parametrize("mapper", MAPPERS, ids=lambda m: m.class_.__name__)
def test_entity_round_trips(workspace_target: str, mapper: Any) -> None:
    target = workspace_target
    store = open_workspace(target, create=True)
    created: dict[str, str] = {}  # table name -> id of its sample row
    expected: dict[str, Any] = {}
    identity: tuple[Any, ...] = ()
    # Build one row of every table this one depends on, in dependency order, then this one.
    with store.session() as session:
        for other in MAPPERS:
            values: dict[str, Any] = {}
            for column in other.local_table.columns:
                # A row's own parents; private notes name theirs without a key (they outlive
                # a delete of their person), by the same ``<table>_id`` names.
                unkeyed = column.key.removesuffix("_id") if column.key.endswith("_id") else ""
                if column.foreign_keys or unkeyed in created:
                    referred = (
                        next(iter(column.foreign_keys)).column.table.name
                        if column.foreign_keys
                        else unkeyed
                    )
                    if referred == other.local_table.name or referred not in created:
                        continue  # self-references and optional links stay empty
                    spare = created.get(f"{referred}#2")
                    use_spare = column.key in {"target_id", "successor_id"} and spare
                    values[column.key] = spare if use_spare else created[referred]
                elif column.primary_key and column.default is not None:
                    continue  # a generated id
                else:
                    values[column.key] = _value(column, len(created))
            row = other.class_(**values)
            session.add(row)
            session.flush()
            pk = other.primary_key[0].key
            created[other.local_table.name] = getattr(row, pk)
            if other.class_.__name__ == "Stakeholder":  # relations need two people
                twin = other.class_(**values)
                session.add(twin)
                session.flush()
                created["stakeholder#2"] = twin.id
            if other is mapper:
                identity = tuple(other.primary_key_from_instance(row))
                expected = {c.key: getattr(row, c.key) for c in other.local_table.columns}
                break
    store.close()

    reopened = open_workspace(target)
    with reopened.read() as session:
        row = session.get(mapper.class_, identity)
        assert row is not None
        actual = {c.key: getattr(row, c.key) for c in mapper.local_table.columns}
    reopened.close()
    for key, value in expected.items():
        got = actual[key]
        if isinstance(value, Enum):
            value = value.value
            got = got.value if isinstance(got, Enum) else got
        assert got == value, key


def test_activity_attendees_round_trip(store: Any) -> None:
    from app.models import Account, Activity, Stakeholder

    with store.session() as session:
        acme = Account(name="Acme")
        people = [Stakeholder(account=acme, name=n) for n in ("Ada", "Bo")]
        meeting = Activity(
            kind="qbr",
            title="Q3 review",
            occurred_at=datetime(2026, 10, 1, 9, tzinfo=UTC),
            attendees=people,
        )
        session.add(acme)
        session.flush()
        meeting.account_id = acme.id
        session.add(meeting)
    with store.read() as session:
        rows = session.execute(activity_attendee.select()).all()
        assert len(rows) == 2
        assert sorted(p.name for p in session.get(Activity, meeting.id).attendees) == ["Ada", "Bo"]
