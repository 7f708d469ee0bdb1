"""What a CSM needs to know from an account's influence map: its findings and the paths of
influence between people."""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from app.models.enums import BuyingRole, RelationKind
from app.services.stakeholder_graph import ROLE_LABELS, InfluenceMap, MapPerson, by_name

#: A contact not touched for longer than this is "gone quiet".
STALE_AFTER_DAYS = 90
#: Single-threading is judged once there are at least this many recent touchpoints with
#: attendees (over ``stakeholder_graph.SINGLE_THREAD_WINDOW_DAYS``)...
SINGLE_THREAD_MIN_TOUCHPOINTS = 4
#: ...when one contact carries more than this share of all attendances.
SINGLE_THREAD_SHARE = 0.6
#: Influence at or above this makes a detractor dangerous.
HIGH_INFLUENCE = 4


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
    active.sort(key=by_name)
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
    unreplaced = (
        p
        for p in imap.people.values()
        if p.departed and p.is_key_contact and p.successor_id is None
    )
    for person in sorted(unreplaced, key=by_name):
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


def warnings_by_person(found: Iterable[MapWarning]) -> dict[str, list[MapWarning]]:
    """The findings each stakeholder is concerned by (info findings left out)."""
    result: dict[str, list[MapWarning]] = {}
    for warning in found:
        if warning.severity is Severity.INFO:
            continue
        for pid in warning.stakeholder_ids:
            result.setdefault(pid, []).append(warning)
    return result
