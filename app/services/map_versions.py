"""Saved versions of an account's stakeholder map, and what changed between two of them."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from app.models import MapVersion
from app.models.enums import BuyingRole
from app.models.store import Store
from app.services.labels import field_label, in_sentence, label_of
from app.services.stakeholder_graph import ROLE_LABELS, SENTIMENT_LABELS, InfluenceMap, load_map

SNAPSHOT_FORMAT = 1
#: Fields compared person by person, with how to say them.
COMPARED_FIELDS = ("role", "sentiment", "influence", "title", "reports_to_id", "departed")


@dataclass(frozen=True)
class VersionInfo:
    """A saved map version as listed for the user (without its snapshot)."""

    id: str
    name: str
    reason: str
    created_at: datetime


def snapshot_of(imap: InfluenceMap) -> dict[str, Any]:
    """The JSON-ready picture of the map a version keeps: people on it, lines, positions."""
    people = {}
    for person in imap.on_map():
        assert person.position is not None
        people[person.id] = {
            "name": person.name,
            "title": person.title,
            "role": person.role.value if person.role else None,
            "sentiment": person.sentiment,
            "influence": person.influence,
            "reports_to_id": person.reports_to_id,
            "departed": person.departed,
            "x": person.position[0],
            "y": person.position[1],
        }
    lines = [
        {
            "id": line.id,
            "source_id": line.source_id,
            "target_id": line.target_id,
            "kind": line.kind.value,
            "strength": line.strength,
        }
        for line in imap.lines_on_map()
    ]
    return {"format": SNAPSHOT_FORMAT, "people": people, "lines": lines}


def save_map_version(store: Store, account_id: str, name: str, *, reason: str = "manual") -> str:
    """Save the account's map as it is now (``reason``: "manual" or e.g. "qbr"); returns its id."""
    name = name.strip()
    if not name:
        raise ValueError("A map version needs a name.")
    with store.session() as session:
        snapshot = snapshot_of(load_map(session, account_id))
        version = MapVersion(
            account_id=account_id, name=name, reason=reason, snapshot=json.dumps(snapshot)
        )
        session.add(version)
        session.flush()
        return version.id


def list_map_versions(store: Store, account_id: str) -> list[VersionInfo]:
    """The account's saved versions, newest first."""
    with store.read() as session:
        rows = session.execute(
            select(MapVersion.id, MapVersion.name, MapVersion.reason, MapVersion.created_at)
            .where(MapVersion.account_id == account_id)
            .order_by(MapVersion.created_at.desc(), MapVersion.id)
        ).all()
    return [VersionInfo(r.id, r.name, r.reason, r.created_at) for r in rows]


def load_map_version(store: Store, version_id: str) -> dict[str, Any]:
    """A saved version's snapshot."""
    with store.read() as session:
        version = session.get(MapVersion, version_id)
        if version is None:
            raise LookupError("That map version no longer exists.")
        data: dict[str, Any] = json.loads(version.snapshot)
    return data


@dataclass(frozen=True)
class PersonChange:
    """One field of one person that differs between two versions, said for the user."""

    stakeholder_id: str
    name: str
    field: str
    before: str
    after: str


@dataclass(frozen=True)
class LineChange:
    """A line present in only one of the two versions."""

    source_id: str
    target_id: str
    kind: str
    text: str


@dataclass(frozen=True)
class MapDiff:
    """Differences from an older map snapshot to a newer one."""

    joined: tuple[tuple[str, str], ...]
    left: tuple[tuple[str, str], ...]
    changed: tuple[PersonChange, ...]
    lines_added: tuple[LineChange, ...]
    lines_removed: tuple[LineChange, ...]

    @property
    def empty(self) -> bool:
        """True when the two versions show the same map."""
        return not (
            self.joined or self.left or self.changed or self.lines_added or self.lines_removed
        )

    def lines_of_text(self) -> list[str]:
        """The differences as short sentences, in the order a CSM reads them."""
        out = [f"Joined: {name}" for _, name in self.joined]
        out += [f"Left: {name}" for _, name in self.left]
        out += [f"{c.name}: {c.field} {c.before} → {c.after}" for c in self.changed]
        out += [f"New line: {line.text}" for line in self.lines_added]
        out += [f"Line removed: {line.text}" for line in self.lines_removed]
        return out


def _say(field_name: str, value: Any, people: Mapping[str, Any]) -> str:
    if value is None:
        return "none"
    if field_name == "role":
        return ROLE_LABELS[BuyingRole(value)].lower()
    if field_name == "sentiment":
        return SENTIMENT_LABELS.get(int(value), str(value)).lower()
    if field_name == "influence":
        return f"{value}/5"
    if field_name == "reports_to_id":
        return str(people.get(value, {}).get("name", "someone off the map"))
    if field_name == "departed":
        return "departed" if value else "present"
    return str(value)


def _field_words(key: str) -> str:
    """A compared field inside a sentence, as the person form names it: "reports to" (the
    column is ``reports_to_id``), "buying role" (``role``)."""
    return in_sentence(field_label("stakeholder", key))


def compare_snapshots(old: Mapping[str, Any], new: Mapping[str, Any]) -> MapDiff:
    """Who joined, who left (or departed), whose fields changed, lines added and removed."""
    old_people: Mapping[str, Any] = old.get("people", {})
    new_people: Mapping[str, Any] = new.get("people", {})
    everyone = {**old_people, **new_people}
    joined = [(pid, p["name"]) for pid, p in new_people.items() if pid not in old_people]
    left = [(pid, p["name"]) for pid, p in old_people.items() if pid not in new_people]
    changed: list[PersonChange] = []
    for pid, after in new_people.items():
        before = old_people.get(pid)
        if before is None:
            continue
        if after.get("departed") and not before.get("departed"):
            left.append((pid, after["name"]))
        for key in COMPARED_FIELDS:
            if key == "departed" or before.get(key) == after.get(key):
                continue
            changed.append(
                PersonChange(
                    pid,
                    after["name"],
                    _field_words(key),
                    _say(key, before.get(key), everyone),
                    _say(key, after.get(key), everyone),
                )
            )

    def keyed(lines: Any) -> dict[tuple[str, str, str], Any]:
        return {(li["source_id"], li["target_id"], li["kind"]): li for li in lines}

    old_lines = keyed(old.get("lines", []))
    new_lines = keyed(new.get("lines", []))

    def line_change(key: tuple[str, str, str]) -> LineChange:
        src = everyone.get(key[0], {}).get("name", "?")
        dst = everyone.get(key[1], {}).get("name", "?")
        kind = in_sentence(label_of(key[2]))  # as the map's Undo names it: "dotted line"
        return LineChange(key[0], key[1], key[2], f"{src} → {dst} ({kind})")

    by_name = lambda item: (item[1].casefold(), item[0])  # noqa: E731
    return MapDiff(
        joined=tuple(sorted(joined, key=by_name)),
        left=tuple(sorted(left, key=by_name)),
        changed=tuple(sorted(changed, key=lambda c: (c.name.casefold(), c.field))),
        lines_added=tuple(line_change(k) for k in sorted(new_lines.keys() - old_lines.keys())),
        lines_removed=tuple(line_change(k) for k in sorted(old_lines.keys() - new_lines.keys())),
    )


def compare_versions(store: Store, old_id: str, new_id: str | None) -> MapDiff:
    """Compare two saved versions; ``new_id`` None compares with the map as it is now."""
    old = load_map_version(store, old_id)
    if new_id is not None:
        return compare_snapshots(old, load_map_version(store, new_id))
    with store.read() as session:
        version = session.get(MapVersion, old_id)
        assert version is not None
        current = snapshot_of(load_map(session, version.account_id))
    return compare_snapshots(old, current)
