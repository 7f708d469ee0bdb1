"""A tidy top-down org-chart layout of an account's reporting forest (no Qt)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

#: Card size and gaps in scene units (the map's cards are drawn at this size).
CARD_WIDTH = 230.0
CARD_HEIGHT = 92.0
H_GAP = 36.0
V_GAP = 70.0
#: People with no line at all are set out in rows of this many under the forest.
LOOSE_PER_ROW = 6
#: A manager whose reports are all individual contributors and at least this many gets
#: them stacked in a column under them (as org-chart tools do) instead of one wide row.
COLUMN_FROM = 3
#: How far a stacked column sits right of its manager, and the gap between its cards.
COLUMN_INDENT = 40.0
COLUMN_GAP = 22.0
#: The widest a layout is made by default: a 1366x768 window's map at its readable zoom
#: (about 520 px at 0.72). A manager whose reports' subtrees side by side would be wider
#: has them wrapped into rows under a spine (see ``tidy_layout``).
FIT_WIDTH = 720.0


@dataclass(frozen=True)
class LayoutSpec:
    """Sizes the layout works with; defaults match the map's cards."""

    card_width: float = CARD_WIDTH
    card_height: float = CARD_HEIGHT
    h_gap: float = H_GAP
    v_gap: float = V_GAP
    #: Stack all-leaf teams of at least this many in a column (0: never stack).
    column_from: int = COLUMN_FROM
    #: Wrap a manager's reports into rows when side by side they would be wider than this
    #: (0: never wrap). The map passes its own view's width at the readable zoom.
    max_width: float = FIT_WIDTH


def tidy_layout(
    people: Iterable[str],
    reports_to: Mapping[str, str | None],
    influences: Iterable[tuple[str, str]] = (),
    current: Mapping[str, tuple[float, float]] | None = None,
    spec: LayoutSpec = LayoutSpec(),
) -> dict[str, tuple[float, float]]:
    """Top-left card positions for ``people`` laid out as an org chart.

    ``reports_to`` maps a person to their manager (ignored when the manager is not among
    ``people``). Every report sits one row below their manager, managers are centred over
    their reports, separate trees stand side by side. People with no reporting line but an
    influence line (``influences`` holds ``(source, target)`` pairs) sit beside the first
    person they influence, or who influences them; people with no line at all are set out
    in rows under the forest. Siblings and trees keep their current left-to-right order
    (``current`` positions), else people keep the order they were given in. A manager whose
    reports have no reports themselves gets them stacked in a column (``spec.column_from``),
    so a wide team stays one card wide. A manager whose reports' subtrees side by side would
    be wider than ``spec.max_width`` sits at the left of its band and has them wrapped into
    rows below, indented past a spine that runs down from the manager (so no line crosses a
    card), each row starting under the deepest card of the row above.
    """
    order = list(dict.fromkeys(people))
    members = set(order)
    rank = {pid: i for i, pid in enumerate(order)}
    current = current or {}

    def sort_key(pid: str) -> tuple[float, int]:
        pos = current.get(pid)
        return (pos[0] if pos is not None else float("inf"), rank[pid])

    parent: dict[str, str | None] = {}
    for pid in order:
        manager = reports_to.get(pid)
        parent[pid] = manager if manager in members and manager != pid else None
    # A cycle cannot be stored, but be safe: break any loop at the node closing it.
    for pid in order:
        seen = {pid}
        node = parent[pid]
        while node is not None:
            if node in seen:
                parent[pid] = None
                break
            seen.add(node)
            node = parent[node]
    children: dict[str, list[str]] = {pid: [] for pid in order}
    for pid in order:
        if parent[pid] is not None:
            children[parent[pid]].append(pid)  # type: ignore[index]
    in_tree = {pid for pid in order if parent[pid] is not None or children[pid]}
    # Unplaced influencers hang beside the person they are linked to.
    beside: dict[str, list[str]] = {}
    attached: set[str] = set()
    for source, target in influences:
        for loose, anchor in ((source, target), (target, source)):
            if (
                loose in members
                and anchor in in_tree
                and loose not in in_tree
                and loose not in attached
            ):
                beside.setdefault(anchor, []).append(loose)
                attached.add(loose)
    loose_people = [pid for pid in order if pid not in in_tree and pid not in attached]

    # Layout tree: attached people become siblings just right of their anchor.
    layout_children: dict[str, list[str]] = {}
    for pid in in_tree:
        kids: list[str] = []
        for child in sorted(children[pid], key=sort_key):
            kids.append(child)
            kids.extend(beside.get(child, []))
        layout_children[pid] = kids
    for pid in attached:
        layout_children[pid] = []
    roots: list[str] = []
    for root in sorted((pid for pid in in_tree if parent[pid] is None), key=sort_key):
        roots.append(root)
        roots.extend(beside.get(root, []))

    step_x = spec.card_width + spec.h_gap
    step_y = spec.card_height + spec.v_gap
    col_step = spec.card_height + COLUMN_GAP
    positions: dict[str, tuple[float, float]] = {}
    width: dict[str, float] = {}
    #: From the top of a subtree's band to where a row below it may start.
    height: dict[str, float] = {}
    #: Where the card's centre sits from the left edge of its subtree's band.
    centre: dict[str, float] = {}
    #: Managers whose reports are wrapped into rows: the reports of each row.
    wrapped: dict[str, list[list[str]]] = {}
    #: Managers whose reports hang in a column below them.
    stacked = {
        pid
        for pid, kids in layout_children.items()
        if spec.column_from > 0
        and len(kids) >= spec.column_from
        and all(not layout_children[k] for k in kids)
    }

    # Post-order widths without recursion (deep chains must not hit the recursion limit).
    stack: list[tuple[str, bool]] = [(r, False) for r in reversed(roots)]
    while stack:
        pid, done = stack.pop()
        kids = layout_children[pid]
        if pid in stacked:
            for k in kids:
                width[k], centre[k], height[k] = step_x, step_x / 2, step_y
            width[pid] = step_x + COLUMN_INDENT
            centre[pid] = step_x / 2
            height[pid] = 2 * step_y + (len(kids) - 1) * col_step
            continue
        if done and spec.max_width > 0 and sum(width[k] for k in kids) > spec.max_width:
            bands: list[list[str]] = [[]]
            room = max(step_x, spec.max_width - COLUMN_INDENT)
            used = 0.0
            for k in kids:
                if bands[-1] and used + width[k] > room:
                    bands.append([])
                    used = 0.0
                bands[-1].append(k)
                used += width[k]
            wrapped[pid] = bands
            width[pid] = COLUMN_INDENT + max(sum(width[k] for k in band) for band in bands)
            centre[pid] = step_x / 2
            height[pid] = step_y + sum(max(height[k] for k in band) for band in bands)
            continue
        if done or not kids:
            width[pid] = max(step_x, sum(width[k] for k in kids))
            height[pid] = step_y + max((height[k] for k in kids), default=0.0)
            if kids:
                # Centre over the real reports only, not the influencers hung beside them.
                lefts, x = [], 0.0
                for k in kids:
                    lefts.append(x)
                    x += width[k]
                real = [i for i, k in enumerate(kids) if parent[k] == pid]
                first, last = real[0], real[-1]
                centre[pid] = (
                    lefts[first] + centre[kids[first]] + lefts[last] + centre[kids[last]]
                ) / 2
            else:
                centre[pid] = step_x / 2
            continue
        stack.append((pid, True))
        stack.extend((k, False) for k in reversed(kids))

    cursor = 0.0
    for root in roots:
        place: list[tuple[str, float, float]] = [(root, cursor, 0.0)]
        while place:
            pid, left, top = place.pop()
            x0 = left + centre[pid] - spec.card_width / 2
            positions[pid] = (x0, top)
            if pid in stacked:
                for i, kid in enumerate(layout_children[pid]):
                    positions[kid] = (x0 + COLUMN_INDENT, top + step_y + i * col_step)
                continue
            if pid in wrapped:
                row_top = top + step_y
                for band in wrapped[pid]:
                    x = left + COLUMN_INDENT
                    for kid in band:
                        place.append((kid, x, row_top))
                        x += width[kid]
                    row_top += max(height[k] for k in band)
                continue
            x = left
            for kid in layout_children[pid]:
                place.append((kid, x, top + step_y))
                x += width[kid]
        cursor += width[root]

    if loose_people:
        bottom = max((y for _, y in positions.values()), default=-step_y) + step_y
        if positions:
            bottom += spec.v_gap
        per_row = max(LOOSE_PER_ROW, int(cursor // step_x))
        if spec.max_width > 0:
            per_row = max(1, min(per_row, int(spec.max_width // step_x)))
        for i, pid in enumerate(loose_people):
            row, col = divmod(i, per_row)
            positions[pid] = (col * step_x + spec.h_gap / 2, bottom + row * step_y)
    return positions


def overlaps(
    positions: Mapping[str, tuple[float, float]], spec: LayoutSpec = LayoutSpec()
) -> list[tuple[str, str]]:
    """Pairs of cards whose rectangles intersect (a sweep over x; used by tests and checks)."""
    items = sorted(positions.items(), key=lambda item: item[1][0])
    found: list[tuple[str, str]] = []
    active: list[tuple[str, tuple[float, float]]] = []
    for pid, (x, y) in items:
        active = [(o, p) for o, p in active if p[0] + spec.card_width > x]
        for other, (_ox, oy) in active:
            if abs(oy - y) < spec.card_height:
                found.append((other, pid))
        active.append((pid, (x, y)))
    return found


def fold_rows(
    positions: Mapping[str, tuple[float, float]], bands: int, spec: LayoutSpec = LayoutSpec()
) -> dict[str, tuple[float, float]]:
    """``positions`` cut between rows of cards into ``bands`` runs of rows as even as can
    be, set side by side left to right: a long reporting chain read as newspaper columns.

    A row is the cards at one height; a run starts at its first row's height, and each
    band is as wide as the whole layout, so no two cards meet.
    """
    if not positions or bands < 2:
        return dict(positions)
    rows = sorted({y for _, y in positions.values()})
    per = -(-len(rows) // bands)  # rows per band, rounded up
    xs = [x for x, _ in positions.values()]
    left = min(xs)
    band_width = max(xs) - left + spec.card_width + 2 * spec.h_gap
    index = {y: i for i, y in enumerate(rows)}
    folded: dict[str, tuple[float, float]] = {}
    for pid, (x, y) in positions.items():
        band = index[y] // per
        folded[pid] = (x - left + band * band_width, y - rows[band * per])
    return folded
