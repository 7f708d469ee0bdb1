"""The map scene's items built from a map snapshot: all at once, or in two parts.

A map opening in an empty scene builds nothing at ``sync(lazy=True)``; the tab builds the
part the view shows before the first paint (``build_near``) and the rest right after it
(``complete``); until then ``cards``, ``lines``, ``items()`` and every gesture build it on
demand. ``app/views/map/build_plan.py`` works out which items reach a part of the scene.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene

from app.models.enums import RelationKind
from app.services.map_analysis import MapWarning
from app.services.stakeholder_graph import InfluenceMap, MapLine, MapPerson
from app.views.map.build_plan import NearPlan, plan_near
from app.views.map.card_item import StakeholderCard
from app.views.map.line_groups import ReportingGroup
from app.views.map.line_items import MapLineItem, RelationLine
from app.views.map.line_labels import LABEL_Z, CardBodies

if TYPE_CHECKING:
    from app.views.map.style import MapTheme

    _Scene = QGraphicsScene
else:
    _Scene = object

Position = tuple[float, float]


def _z(layer: float, index: int) -> float:
    """A layer's z with the item's place in the map's order: items of a layer stack as a
    whole build adds them, even when some were built before the first paint."""
    return layer + index * 1e-6


def _reports_by_manager(pairs: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """Report ids by manager id, both in first-seen order."""
    reports: dict[str, list[str]] = {}
    for report_id, manager_id in pairs:
        reports.setdefault(manager_id, []).append(report_id)
    return reports


@dataclass
class _Unbuilt:
    """One map's people and lines, for building its items (all, or in two parts)."""

    people: dict[str, MapPerson]
    warnings: Mapping[str, list[MapWarning]]
    #: Each person's place in the order cards stack.
    order: dict[str, int]
    reports: dict[str, list[str]]
    relations: list[MapLine]
    bodies: CardBodies
    positions: dict[str, Position]


class _CardSpot:
    """A card not built yet, as the lines built before the first paint see it: whose it is
    and where it stands (its lines' geometry needs no more). ``_bind_spots`` hands those
    lines to the card once it is built."""

    def __init__(self, person: MapPerson, position: Position) -> None:
        self.person = person
        self.stakeholder_id = person.id
        self.lines: list[MapLineItem | ReportingGroup] = []
        self._pos = QPointF(*position)

    def pos(self) -> QPointF:
        return self._pos


class SceneBuilding(_Scene):
    """Mixed into ``StakeholderScene``: its cards and lines, and what waits to be built."""

    # Set by ``StakeholderScene.__init__``.
    theme: MapTheme
    today: date
    customer_safe: bool
    _cards: dict[str, StakeholderCard]
    _lines: list[MapLineItem | ReportingGroup]
    _groups: dict[str, ReportingGroup]
    _relations: dict[str, RelationLine]
    _unbuilt: _Unbuilt | None
    _spots: dict[str, _CardSpot]
    _built_near: QRectF | None
    _card_seq: int

    if TYPE_CHECKING:

        def set_customer_safe(self, on: bool) -> None: ...

    @property
    def cards(self) -> dict[str, StakeholderCard]:
        """Every card of the map by person id (what waits for the first paint is built)."""
        self.complete()
        return self._cards

    @property
    def lines(self) -> list[MapLineItem | ReportingGroup]:
        """Every line item: reporting groups, then relation lines, in the map's order."""
        self.complete()
        return self._lines

    def items(self, *args: Any, **kwargs: Any) -> list[QGraphicsItem]:
        """``QGraphicsScene.items``, with every item of the map built first."""
        self.complete()
        return super().items(*args, **kwargs)

    def itemsBoundingRect(self) -> QRectF:
        self.complete()
        return super().itemsBoundingRect()

    def is_empty(self) -> bool:
        """True when the map has no card (built or waiting to be)."""
        return not self._cards and not (self._unbuilt is not None and self._unbuilt.people)

    def sync(
        self,
        imap: InfluenceMap,
        warnings: Mapping[str, list[MapWarning]],
        today: date,
        *,
        lazy: bool = False,
    ) -> None:
        """Show ``imap``: add, update and drop cards; redraw every line.

        ``lazy`` (a map opening in an empty scene) builds nothing yet: the caller builds
        the part it shows first (``build_near``), the rest comes with ``complete``; until
        then ``cards``, ``lines``, ``items()`` and every gesture build it on demand.
        """
        self.complete()
        self.today = today
        on_map = {p.id: p for p in imap.people.values() if p.on_map}
        for pid in [pid for pid in self._cards if pid not in on_map]:
            self.removeItem(self._cards.pop(pid))
        for line in self._lines:
            line.detach()
            self.removeItem(line)
            if isinstance(line, RelationLine):
                self.removeItem(line.label)
        self._lines, self._groups, self._relations = [], {}, {}
        order = {pid: self._card_seq + i for i, pid in enumerate(on_map)}
        if any(pid not in self._cards for pid in on_map):
            self._card_seq += len(on_map)
        positions = {pid: p.position for pid, p in on_map.items() if p.position is not None}
        unbuilt = _Unbuilt(
            people=on_map,
            warnings=warnings,
            order=order,
            reports=_reports_by_manager(imap.reporting_lines()),
            relations=imap.lines_on_map(),
            # Labels are placed against every card's body, built or not yet.
            bodies=CardBodies.of_corners(positions.values()),
            positions=positions,
        )
        if lazy and not self._cards and not self.customer_safe:
            self._unbuilt, self._built_near = unbuilt, None
            # The part built first is painted once in one pass over its few hundred items:
            # a spatial index of them would cost more than it saves. The whole map gets
            # one (drags and clicks ask it) when the rest is built.
            self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)
            return
        for pid, person in on_map.items():
            card = self._cards.get(pid)
            if card is not None:
                card.today = today
                card.set_person(person, list(warnings.get(pid, [])))
        self._build(unbuilt, None)
        if self.customer_safe:
            self.set_customer_safe(True)

    def set_warnings(self, warnings: Mapping[str, list[MapWarning]]) -> None:
        """Show these warnings (by person id) on the cards, built or still to be built."""
        if self._unbuilt is not None:
            self._unbuilt.warnings = warnings
        for pid, card in self._cards.items():
            card.set_person(card.person, list(warnings.get(pid, [])))

    def build_near(self, rect: QRectF) -> None:
        """Build the cards and lines that reach ``rect`` (what the view is about to show)."""
        unbuilt = self._unbuilt
        if unbuilt is None:
            return
        plan = plan_near(
            (rect.left(), rect.top(), rect.right(), rect.bottom()),
            unbuilt.positions,
            unbuilt.reports,
            (
                (line.id, line.source_id, line.target_id, line.kind is RelationKind.DOTTED_LINE)
                for line in unbuilt.relations
            ),
        )
        self._build(unbuilt, plan)
        self._built_near = QRectF(rect)

    @property
    def pending(self) -> bool:
        """True while part of the map waits to be built (see ``build_near``)."""
        return self._unbuilt is not None

    def built_covers(self, rect: QRectF) -> bool:
        """True when everything that reaches ``rect`` is built."""
        return self._unbuilt is None or (
            self._built_near is not None and self._built_near.contains(rect)
        )

    def complete(self) -> None:
        """Build whatever ``sync(lazy=True)`` left for later."""
        unbuilt, self._unbuilt = self._unbuilt, None
        if unbuilt is not None:
            self._build(unbuilt, None)
            self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.BspTreeIndex)

    def forget(self) -> None:
        """Show nothing: every item goes, nothing waits to be built."""
        self._unbuilt = None
        self.clear()
        self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.BspTreeIndex)
        self._cards.clear()
        self._spots.clear()
        self._lines, self._groups, self._relations = [], {}, {}
        self._card_seq = 0

    def _build(self, unbuilt: _Unbuilt, plan: NearPlan | None) -> None:
        """Add the cards and lines of ``unbuilt`` that ``plan`` names (all when None) and
        are not in yet. Items stack as a whole build would stack them (``_z``), whatever
        part came first."""
        for pid, person in unbuilt.people.items():
            if pid in self._cards or (plan is not None and pid not in plan.cards):
                continue
            card = StakeholderCard(person, self.today, self.theme)
            card.customer_safe = self.customer_safe
            card.warnings = list(unbuilt.warnings.get(pid, []))
            card.setZValue(_z(10, unbuilt.order[pid]))
            self._cards[pid] = card
            self.addItem(card)
        self._bind_spots()
        # One item per manager's set of reports, not one per line.
        for index, (manager_id, report_ids) in enumerate(unbuilt.reports.items()):
            if manager_id in self._groups or (plan is not None and manager_id not in plan.managers):
                continue
            reports = [self._end(r, unbuilt) for r in report_ids]
            group = ReportingGroup(self._end(manager_id, unbuilt), reports, self.theme)
            group.setZValue(_z(0, index))
            self._groups[manager_id] = group
            self.addItem(group)
        added = []
        for index, map_line in enumerate(unbuilt.relations):
            if map_line.id in self._relations or (
                plan is not None and map_line.id not in plan.relations
            ):
                continue
            line = RelationLine(
                map_line,
                self._end(map_line.source_id, unbuilt),
                self._end(map_line.target_id, unbuilt),
                self.theme,
                show_note=not self.customer_safe,
            )
            line.setZValue(_z(1, index))
            line.label.setZValue(_z(LABEL_Z, index))
            self._relations[map_line.id] = line
            self.addItem(line)
            self.addItem(line.label)
            added.append(line)
        # Labels are placed once their lines are in: a placement asked between additions
        # would make the scene re-index.
        for line in added:
            line.label.place(unbuilt.bodies)
        self._lines = [
            *(self._groups[m] for m in unbuilt.reports if m in self._groups),
            *(self._relations[x.id] for x in unbuilt.relations if x.id in self._relations),
        ]

    def _end(self, pid: str, unbuilt: _Unbuilt) -> Any:
        """The card a line ends on, or where it will stand when it is not built yet."""
        card = self._cards.get(pid)
        if card is not None:
            return card
        spot = self._spots.get(pid)
        if spot is None:
            spot = self._spots[pid] = _CardSpot(unbuilt.people[pid], unbuilt.positions[pid])
        return spot

    def _bind_spots(self) -> None:
        """Lines built to the spot of a card not built yet now end on the card itself."""
        for pid in [pid for pid in self._spots if pid in self._cards]:
            spot, card = self._spots.pop(pid), self._cards[pid]
            # The lines declare card ends; until now this spot stood in for one (``_end``).
            stand_in: object = spot
            for line in spot.lines:
                if isinstance(line, ReportingGroup):
                    if line.manager is stand_in:
                        line.manager = card
                    line.reports = [
                        card if report is stand_in else report for report in line.reports
                    ]
                else:
                    if line.source is stand_in:
                        line.source = card
                    if line.target is stand_in:
                        line.target = card
            card.lines.extend(spot.lines)

    def cache_cards(self) -> None:
        """Cards paint from a device pixmap from now on (drags, scrolls, lines crossing).

        Turned on after the map's first paint (by the tab) and when a drag begins: a cache
        set up front would render 500 pixmaps into the first paint.
        """
        for card in self.cards.values():
            if card.cacheMode() == card.CacheMode.NoCache:
                card.setCacheMode(card.CacheMode.DeviceCoordinateCache)
