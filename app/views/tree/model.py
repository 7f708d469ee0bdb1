"""The account tree's item model: the hierarchy flattened to the rows currently visible.

Qt's tree view lays out every row of a model in Python calls (about 1 s at 100,000 accounts)
and ``QSortFilterProxyModel`` over a Python model is as slow, so this model keeps the whole
hierarchy as plain snapshots, filters and sorts it itself, and exposes only the visible rows,
in display order, with their depth. The view draws indentation and branch arrows. Every
change (expand, collapse, filter, sort, edit, move) becomes the smallest block of row
removals and inserts, or ``dataChanged`` for edited rows, never a model reset.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from itertools import compress, repeat
from operator import contains
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor

from app.services.money import format_money
from app.services.tree_rows import AccountRow, Rollup, rollup
from app.views import theme

MIME_TYPE = "application/x-fieldbook-account-ids"

COL_NAME, COL_HEALTH, COL_ARR, COL_RENEWAL, COL_OWNER = range(5)
HEADERS = ("Account", "Health", "ARR", "Next renewal", "Owner")

ROLE_ID = Qt.ItemDataRole.UserRole + 1
ROLE_DEPTH = Qt.ItemDataRole.UserRole + 2
ROLE_HAS_CHILDREN = Qt.ItemDataRole.UserRole + 3
ROLE_EXPANDED = Qt.ItemDataRole.UserRole + 4
ROLE_BAND = Qt.ItemDataRole.UserRole + 5
ROLE_TREND = Qt.ItemDataRole.UserRole + 6
ROLE_SORT = Qt.ItemDataRole.UserRole + 7
ROLE_MATCH = Qt.ItemDataRole.UserRole + 8

#: One call per painted cell: ``(text, colour or None)`` for the cell, plus for the name
#: column ``(depth, has_children, expanded, match, dimmed)`` and for health
#: ``(band, trend)``.
ROLE_CELL = Qt.ItemDataRole.UserRole + 9

Index = QModelIndex | QPersistentModelIndex

# Plain ints: comparing the role (an int) with enum members costs far more per call.
_DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
_EDIT = int(Qt.ItemDataRole.EditRole.value)
_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole.value)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole.value)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole.value)
_ACCESSIBLE = int(Qt.ItemDataRole.AccessibleTextRole.value)
_RIGHT = int((Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value)
_ROLE_ID = int(ROLE_ID)
_ROLE_DEPTH = int(ROLE_DEPTH)
_ROLE_CELL = int(ROLE_CELL)
_ITEM_FLAGS = (
    Qt.ItemFlag.ItemIsEnabled
    | Qt.ItemFlag.ItemIsSelectable
    | Qt.ItemFlag.ItemIsDragEnabled
    | Qt.ItemFlag.ItemIsDropEnabled
    | Qt.ItemFlag.ItemNeverHasChildren
)
_NAME_FLAGS = _ITEM_FLAGS | Qt.ItemFlag.ItemIsEditable


@dataclass(frozen=True)
class QuickFilter:
    """A named predicate over tree rows (``key`` is what settings and tests use)."""

    key: str
    label: str
    test: Callable[[AccountRow, AccountTreeModel], bool]


def _at_risk(row: AccountRow, model: AccountTreeModel) -> bool:
    return row.health_band is not None and row.health_band.value == "red"


def _renewing(row: AccountRow, model: AccountTreeModel) -> bool:
    return row.next_renewal is not None and 0 <= (row.next_renewal - model.today).days <= 120


def _no_champion(row: AccountRow, model: AccountTreeModel) -> bool:
    return row.id not in model.champion_ids


def _review_overdue(row: AccountRow, model: AccountTreeModel) -> bool:
    return row.id in model.review_overdue_ids


QUICK_FILTERS = (
    QuickFilter("at_risk", "At risk", _at_risk),
    QuickFilter("renewing", "Renewing ≤ 120 days", _renewing),
    QuickFilter("no_champion", "No champion", _no_champion),
    QuickFilter("review_overdue", "Review due", _review_overdue),
)


class AccountTreeModel(QAbstractItemModel):
    """Visible accounts in display order; call ``set_rows`` once, then targeted updates.

    Renames and drops are not applied here: the model asks for them with ``rename_requested``
    and ``move_requested`` and the panel turns them into undo commands.
    """

    #: (account_id, new name)
    rename_requested = Signal(str, str)
    #: (account_id, new parent id or None for the top level)
    move_requested = Signal(str, object)

    def __init__(self, today: date, parent: Any = None) -> None:
        super().__init__(parent)
        self.today = today
        self.rows: dict[str, AccountRow] = {}
        self.rollups: dict[str, Rollup] = {}
        self.trends: dict[str, float] = {}
        self.champion_ids: set[str] = set()
        #: Accounts with a governance review overdue (loaded when that quick filter is on).
        self.review_overdue_ids: set[str] = set()
        self._children: dict[str | None, list[str]] = {}
        self._folded: dict[str, str] = {}
        self._expanded: set[str] = set()
        self._filter_expanded: set[str] = set()
        self._text = ""
        self._quick: list[QuickFilter] = []
        self._owner: str | None = None
        self._segment: str | None = None
        self._shown: set[str] | None = None
        self._matches: set[str] = set()
        self._sort_column = COL_NAME
        self._sort_order = Qt.SortOrder.AscendingOrder
        self._visible: list[str] = []
        self._depth: list[int] = []
        self._pos: dict[str, int] | None = None
        self._cell_cache: dict[str, tuple[tuple[str, str | None], ...]] = {}
        #: Every account in display order as if all were expanded (None: rebuild when needed).
        self._preorder: tuple[list[str], list[int]] | None = None
        self._scan: tuple[list[str], list[str]] | None = None
        #: Parent of every account whose parent is in the book.
        self._parent_of: dict[str, str] = {}
        self._filter_auto = True

    # ------------------------------------------------------------------ loading
    def set_rows(
        self,
        rows: Iterable[AccountRow],
        trends: dict[str, float] | None = None,
        expanded: Iterable[str] = (),
    ) -> None:
        """Load the whole book (the only reset: on opening a workspace)."""
        self.beginResetModel()
        self.rows = {r.id: r for r in rows}
        self._folded = {i: r.name.casefold() for i, r in self.rows.items()}
        self.trends = dict(trends or {})
        self.rollups = rollup(self.rows.values())
        self._expanded = {i for i in expanded if i in self.rows}
        self._rebuild_children()
        self._invalidate()
        self._recompute_filter()
        self._visible, self._depth = self._flatten()
        self._pos = None
        self.endResetModel()

    def set_trends(self, trends: dict[str, float]) -> None:
        """Health trends arrive after the first paint; repaint the health column."""
        self.trends = dict(trends)
        self._cell_cache.clear()
        if self._visible:
            self.dataChanged.emit(
                self.index(0, COL_HEALTH), self.index(len(self._visible) - 1, COL_HEALTH)
            )

    def prepare(self) -> None:
        """Build the filter's lookup arrays ahead of the first keystroke (call when idle)."""
        self._index_arrays()
        self._full_preorder()

    def _invalidate(self) -> None:
        """Forget cached display texts and the preorder (after edits, moves or sorting)."""
        self._cell_cache.clear()
        self._preorder = None
        self._scan = None
        rows = self.rows
        self._parent_of = {
            i: r.parent_id
            for i, r in rows.items()
            if r.parent_id is not None and r.parent_id in rows
        }

    def _parent_key(self, row: AccountRow) -> str | None:
        return row.parent_id if row.parent_id in self.rows else None

    def _rebuild_children(self) -> None:
        children: dict[str | None, list[str]] = {}
        rows = self.rows
        for account_id, row in rows.items():  # _parent_key inlined: 10,000 rows at start-up
            parent = row.parent_id
            children.setdefault(parent if parent in rows else None, []).append(account_id)
        key = self._sort_key()
        reverse = self._sort_order == Qt.SortOrder.DescendingOrder
        for ids in children.values():
            ids.sort(key=key, reverse=reverse)
        self._children = children

    def _sort_key(self) -> Callable[[str], Any]:
        rows, rollups, folded = self.rows, self.rollups, self._folded
        column = self._sort_column
        if column == COL_HEALTH:
            return lambda i: (rows[i].health_score is None, rows[i].health_score or 0.0)
        if column == COL_ARR:
            return lambda i: rollups[i].arr_in(rows[i].currency) if i in rollups else 0
        if column == COL_RENEWAL:
            far = date.max

            def renewal(i: str) -> date:
                r = rollups.get(i)
                return (r.next_renewal if r else None) or far

            return renewal
        if column == COL_OWNER:
            return lambda i: ((rows[i].owner or "").casefold(), folded[i])
        return folded.__getitem__

    def _insert_sorted(self, parent: str | None, account_id: str) -> None:
        siblings = self._children.setdefault(parent, [])
        if account_id in siblings:
            siblings.remove(account_id)
        siblings.append(account_id)
        siblings.sort(
            key=self._sort_key(), reverse=self._sort_order == Qt.SortOrder.DescendingOrder
        )

    # ------------------------------------------------------------------ filtering
    @property
    def filter_text(self) -> str:
        return self._text

    def set_filter(
        self,
        text: str | None = None,
        quick: Iterable[str] | None = None,
        owner: str | bool | None = False,
        segment: str | bool | None = False,
    ) -> None:
        """Show matches and their ancestors, expanded down to the matches.

        ``text`` matches names (case-insensitive); ``quick`` names quick filters (all must
        hold); ``owner``/``segment`` restrict to one value (None clears; False: unchanged).
        """
        if text is not None:
            self._text = text.strip().casefold()
        if quick is not None:
            wanted = set(quick)
            self._quick = [q for q in QUICK_FILTERS if q.key in wanted]
        if owner is not False:
            self._owner = owner or None  # type: ignore[assignment]
        if segment is not False:
            self._segment = segment or None  # type: ignore[assignment]
        self._recompute_filter()
        self._apply_visible()

    def filter_active(self) -> bool:
        return self._shown is not None

    def owners(self) -> list[str]:
        """Every owner in the book, sorted."""
        return sorted({r.owner for r in self.rows.values() if r.owner}, key=str.casefold)

    def segments(self) -> list[str]:
        return sorted({r.segment for r in self.rows.values() if r.segment})

    def _predicate(self) -> Callable[[AccountRow], bool] | None:
        tests: list[Callable[[AccountRow], bool]] = []
        if self._owner is not None:
            owner = self._owner
            tests.append(lambda r: r.owner == owner)
        if self._segment is not None:
            segment = self._segment
            tests.append(lambda r: r.segment == segment)
        for quick in self._quick:
            tests.append(lambda r, q=quick: q.test(r, self))  # type: ignore[misc]
        if not tests:
            return None
        return lambda r: all(t(r) for t in tests)

    def _index_arrays(self) -> tuple[list[str], list[str]]:
        """Ids and folded names as parallel lists, so matching runs in C (map + compress)."""
        if self._scan is None:
            ids = list(self._folded)
            self._scan = (ids, [self._folded[i] for i in ids])
        return self._scan

    def _recompute_filter(self) -> None:
        """Matches and their ancestors (which stay visible and open)."""
        self._filter_auto = True
        text = self._text
        predicate = self._predicate()
        if not text and predicate is None:
            self._shown = None
            self._matches = set()
            self._filter_expanded = set()
            return
        if text:
            ids, names = self._index_arrays()
            matches = set(compress(ids, map(contains, names, repeat(text))))
        else:
            matches = set(self.rows)
        if predicate is not None:
            rows = self.rows
            matches = {i for i in matches if predicate(rows[i])}
        shown = set(matches)
        ancestors: set[str] = set()
        parent_of = self._parent_of
        # Only accounts with a parent need a walk up (set intersection runs in C).
        for account_id in matches & parent_of.keys():
            parent = parent_of.get(account_id)
            while parent is not None and parent not in ancestors:
                ancestors.add(parent)
                parent = parent_of.get(parent)
        shown |= ancestors
        self._matches = matches
        self._shown = shown
        self._filter_expanded = ancestors

    def is_match(self, account_id: str) -> bool:
        return self._shown is not None and account_id in self._matches

    def match_count(self) -> int:
        return len(self._matches) if self._shown is not None else len(self.rows)

    # ------------------------------------------------------------------ flattening
    def _expanded_set(self) -> set[str]:
        return self._filter_expanded if self._shown is not None else self._expanded

    def _full_preorder(self) -> tuple[list[str], list[int]]:
        if self._preorder is None:
            ids: list[str] = []
            depths: list[int] = []
            children = self._children
            stack = [(i, 0) for i in reversed(children.get(None, []))]
            while stack:
                account_id, depth = stack.pop()
                ids.append(account_id)
                depths.append(depth)
                kids = children.get(account_id)
                if kids:
                    for kid in reversed(kids):
                        stack.append((kid, depth + 1))
            self._preorder = (ids, depths)
        return self._preorder

    def _flatten(self) -> tuple[list[str], list[int]]:
        shown_set = self._shown
        if shown_set is not None and self._filter_auto:
            # Every ancestor of a match is shown and open: the visible rows are simply the
            # shown accounts in display order.
            ids, depths = self._full_preorder()
            mask = list(map(shown_set.__contains__, ids))
            return list(compress(ids, mask)), list(compress(depths, mask))
        visible: list[str] = []
        depths: list[int] = []
        children = self._children
        shown = self._shown
        expanded = self._expanded_set()
        top = children.get(None, [])
        stack: list[tuple[str, int]] = [
            (i, 0) for i in reversed(top) if shown is None or i in shown
        ]
        append_v, append_d, pop, push = visible.append, depths.append, stack.pop, stack.append
        while stack:
            account_id, depth = pop()
            append_v(account_id)
            append_d(depth)
            if account_id in expanded:
                kids = children.get(account_id)
                if kids:
                    for kid in reversed(kids):
                        if shown is None or kid in shown:
                            push((kid, depth + 1))
        return visible, depths

    def _apply_visible(self, changed: Iterable[str] = ()) -> None:
        """Replace the visible rows with the smallest remove/insert block, then signal
        ``dataChanged`` for rows whose content changed in place."""
        new_visible, new_depth = self._flatten()
        old_visible, old_depth = self._visible, self._depth
        n_old, n_new = len(old_visible), len(new_visible)
        start = 0
        limit = min(n_old, n_new)
        while (
            start < limit
            and old_visible[start] == new_visible[start]
            and old_depth[start] == new_depth[start]
        ):
            start += 1
        end_old, end_new = n_old, n_new
        while (
            end_old > start
            and end_new > start
            and old_visible[end_old - 1] == new_visible[end_new - 1]
            and old_depth[end_old - 1] == new_depth[end_new - 1]
        ):
            end_old -= 1
            end_new -= 1
        if end_old > start:
            self.beginRemoveRows(QModelIndex(), start, end_old - 1)
            self._visible = old_visible[:start] + old_visible[end_old:]
            self._depth = old_depth[:start] + old_depth[end_old:]
            self._pos = None
            self.endRemoveRows()
        if end_new > start:
            self.beginInsertRows(QModelIndex(), start, end_new - 1)
            self._visible = new_visible
            self._depth = new_depth
            self._pos = None
            self.endInsertRows()
        self._visible, self._depth = new_visible, new_depth
        self._pos = None
        for account_id in changed:
            row = self.row_of(account_id)
            if row is not None:
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(HEADERS) - 1))

    # ------------------------------------------------------------------ expansion
    def row_of(self, account_id: str) -> int | None:
        """The visible row of an account, or None when it is hidden or collapsed away."""
        if self._pos is not None:
            return self._pos.get(account_id)
        try:
            return self._visible.index(account_id)
        except ValueError:
            return None

    def id_at(self, row: int) -> str:
        return self._visible[row]

    def visible_ids(self) -> list[str]:
        return list(self._visible)

    def has_children(self, account_id: str) -> bool:
        kids = self._children.get(account_id)
        if not kids:
            return False
        shown = self._shown
        return shown is None or any(k in shown for k in kids)

    def is_expanded(self, account_id: str) -> bool:
        return account_id in self._expanded_set()

    def set_expanded(self, account_id: str, expanded: bool) -> None:
        """Open or close one account's branch (rows inserted or removed below it)."""
        target = self._expanded_set()
        if expanded == (account_id in target):
            return
        if self._shown is not None:
            self._filter_auto = False
        if expanded:
            target.add(account_id)
        else:
            target.discard(account_id)
        self._apply_visible([account_id])

    def expand_to(self, account_id: str) -> None:
        """Open every ancestor so the account is visible (when the filter shows it)."""
        target = self._expanded_set()
        parent = self.rows[account_id].parent_id if account_id in self.rows else None
        opened = []
        while parent is not None and parent in self.rows:
            if parent not in target:
                target.add(parent)
                opened.append(parent)
            parent = self.rows[parent].parent_id
        if opened:
            if self._shown is not None:
                self._filter_auto = False
            self._apply_visible(opened)

    def expand_all(self) -> None:
        if self._shown is not None:
            self._filter_auto = False
        self._expanded_set().update(i for i, kids in self._children.items() if i and kids)
        self._apply_visible(self._visible)

    def collapse_all(self) -> None:
        if self._shown is not None:
            self._filter_auto = False
        self._expanded_set().clear()
        self._apply_visible(self._visible)

    def expanded_ids(self) -> list[str]:
        """The user's expanded accounts (not the ones the filter opened)."""
        return sorted(self._expanded)

    # ------------------------------------------------------------------ targeted updates
    def _ancestors(self, account_id: str | None) -> list[str]:
        out = []
        seen: set[str] = set()
        while account_id is not None and account_id in self.rows and account_id not in seen:
            seen.add(account_id)
            out.append(account_id)
            account_id = self.rows[account_id].parent_id
        return out

    def _recompute_rollup(self, account_ids: Iterable[str]) -> None:
        """Rebuild roll-ups of the given accounts' ancestor chains, bottom up."""
        chains: list[str] = []
        seen: set[str] = set()
        for account_id in account_ids:
            for a in self._ancestors(account_id):
                if a not in seen:
                    seen.add(a)
                    chains.append(a)
        # Deepest first so parents sum fresh children.
        chains.sort(key=lambda i: -len(self._ancestors(i)))
        for account_id in chains:
            row = self.rows[account_id]
            total = Rollup(arr_minor={row.currency: row.arr_minor})
            total.next_renewal = row.next_renewal
            total.worst_band = row.health_band
            for kid in self._children.get(account_id, []):
                sub = self.rollups.get(kid)
                if sub is None:
                    continue
                for cur, amount in sub.arr_minor.items():
                    total.arr_minor[cur] = total.arr_minor.get(cur, 0) + amount
                if sub.next_renewal and (
                    total.next_renewal is None or sub.next_renewal < total.next_renewal
                ):
                    total.next_renewal = sub.next_renewal
                if sub.worst_band and (
                    total.worst_band is None or sub.worst_band.rank < total.worst_band.rank
                ):
                    total.worst_band = sub.worst_band
                total.descendants += 1 + sub.descendants
            self.rollups[account_id] = total

    def update_rows(self, rows: Iterable[AccountRow], trends: dict[str, float]) -> None:
        """Fresh snapshots of some accounts (edited fields, moved, new or restored ones)."""
        changed: list[str] = []
        touched_parents: list[str] = []
        for row in rows:
            old = self.rows.get(row.id)
            if old is not None:
                touched_parents.extend(p for p in [old.parent_id] if p)
                if self._parent_key(old) != (row.parent_id if row.parent_id in self.rows else None):
                    old_siblings = self._children.get(self._parent_key(old), [])
                    if row.id in old_siblings:
                        old_siblings.remove(row.id)
            self.rows[row.id] = row
            self._folded[row.id] = row.name.casefold()
            if row.id in trends:
                self.trends[row.id] = trends[row.id]
            else:
                self.trends.pop(row.id, None)
            changed.append(row.id)
        # Children may arrive before parents: place each once every row is known.
        for account_id in changed:
            self._insert_sorted(self._parent_key(self.rows[account_id]), account_id)
        self._rollup_full_subtrees(changed)
        self._recompute_rollup([*changed, *touched_parents])
        self._invalidate()
        self._recompute_filter()
        affected = set(changed)
        for account_id in [*changed, *touched_parents]:
            affected.update(self._ancestors(account_id))
        self._apply_visible(affected)

    def _rollup_full_subtrees(self, ids: list[str]) -> None:
        missing = [i for i in ids if i not in self.rollups]
        if missing:
            # New subtrees (restored after undo): roll them up whole.
            subtree_rows = []
            for account_id in missing:
                subtree_rows.extend(self.rows[i] for i in self._subtree(account_id))
            fresh = rollup(subtree_rows)
            for key, value in fresh.items():
                if key in set(missing) or key not in self.rollups:
                    self.rollups[key] = value

    def _subtree(self, account_id: str) -> list[str]:
        out = []
        stack = [account_id]
        while stack:
            current = stack.pop()
            out.append(current)
            stack.extend(self._children.get(current, []))
        return out

    def remove_accounts(self, account_ids: Iterable[str]) -> None:
        """Drop accounts and everything below them (deleted)."""
        gone: set[str] = set()
        parents: list[str] = []
        for account_id in account_ids:
            if account_id not in self.rows:
                continue
            parent = self.rows[account_id].parent_id
            if parent:
                parents.append(parent)
            siblings = self._children.get(self._parent_key(self.rows[account_id]), [])
            if account_id in siblings:
                siblings.remove(account_id)
            gone.update(self._subtree(account_id))
        for account_id in gone:
            self.rows.pop(account_id, None)
            self.rollups.pop(account_id, None)
            self.trends.pop(account_id, None)
            self._folded.pop(account_id, None)
            self._children.pop(account_id, None)
            self._expanded.discard(account_id)
            self._filter_expanded.discard(account_id)
            self._matches.discard(account_id)
        self._recompute_rollup(parents)
        self._invalidate()
        self._recompute_filter()
        affected: set[str] = set()
        for parent in parents:
            affected.update(self._ancestors(parent))
        self._apply_visible(affected)

    def subtree_ids(self, account_id: str) -> list[str]:
        """The account and every account below it (as the model knows them)."""
        return self._subtree(account_id) if account_id in self.rows else []

    def set_champions(self, ids: set[str]) -> None:
        self.champion_ids = ids
        if any(q.key == "no_champion" for q in self._quick):
            self._recompute_filter()
            self._apply_visible()

    # ------------------------------------------------------------------ Qt model API
    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if parent.isValid() or not (0 <= row < len(self._visible)):
            return QModelIndex()
        if not (0 <= column < len(HEADERS)):
            return QModelIndex()
        return self.createIndex(row, column)

    def parent(self, index: Index | None = None) -> QModelIndex:  # type: ignore[override]
        return QModelIndex()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._visible)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def hasChildren(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and bool(self._visible)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(HEADERS):
            if role == Qt.ItemDataRole.DisplayRole:
                return HEADERS[section]
            if role == Qt.ItemDataRole.TextAlignmentRole and section in (COL_ARR, COL_HEALTH):
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        return _NAME_FLAGS if index.column() == COL_NAME else _ITEM_FLAGS

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r = index.row()
        if r >= len(self._visible):
            return None
        account_id = self._visible[r]
        column = index.column()
        if role == _ROLE_CELL:
            return self._cell(r, account_id, column)
        if role in (_DISPLAY, _ACCESSIBLE):
            return self._cells(account_id)[column][0]
        if role == _ROLE_ID:
            return account_id
        if role == _ROLE_DEPTH:
            return self._depth[r]
        if role == _ALIGN:
            return _RIGHT if column in (COL_ARR, COL_HEALTH) else None
        if role == _FOREGROUND:
            colour = self._cells(account_id)[column][1]
            return QBrush(QColor(colour)) if colour else None
        if role == _EDIT:
            return self.rows[account_id].name if column == COL_NAME else None
        if role == _TOOLTIP:
            return self._tooltip(self.rows[account_id], column)
        if role == ROLE_HAS_CHILDREN:
            return self.has_children(account_id)
        if role == ROLE_EXPANDED:
            return self.is_expanded(account_id)
        if role == ROLE_BAND:
            band = self.rows[account_id].health_band
            return band.value if band else None
        if role == ROLE_TREND:
            return self.trends.get(account_id)
        if role == ROLE_MATCH:
            return self.is_match(account_id)
        return None

    def _cells(self, account_id: str) -> tuple[tuple[str, str | None], ...]:
        """Display text and colour of every column, computed once per account and cached."""
        cached = self._cell_cache.get(account_id)
        if cached is None:
            row = self.rows[account_id]
            renewal_colour = None
            days = self._days_left(account_id)
            if days is not None and 0 <= days <= 60:
                renewal_colour = theme.RENEWAL_SOON
            elif days is not None and 0 <= days <= 120:
                renewal_colour = theme.RENEWAL_NEAR
            cached = (
                (row.name, None),
                (self._display(row, COL_HEALTH), None),
                (self._display(row, COL_ARR), None),
                (self._display(row, COL_RENEWAL), renewal_colour),
                (row.owner or "", None),
            )
            self._cell_cache[account_id] = cached
        return cached

    def cell(self, row: int, column: int) -> tuple[Any, ...]:
        """What ``ROLE_CELL`` returns, as a plain call (delegates skip the data() round trip)."""
        return self._cell(row, self._visible[row], column)

    def _cell(self, r: int, account_id: str, column: int) -> tuple[Any, ...]:
        text, colour = self._cells(account_id)[column]
        if column == COL_NAME:
            shown = self._shown
            match = shown is not None and account_id in self._matches
            return (
                text,
                colour,
                self._depth[r],
                self.has_children(account_id),
                account_id in self._expanded_set(),
                match,
                shown is not None and not match,
            )
        if column == COL_HEALTH:
            band = self.rows[account_id].health_band
            return (text, colour, band.value if band else None, self.trends.get(account_id))
        return (text, colour)

    def _days_left(self, account_id: str) -> int | None:
        total = self.rollups.get(account_id)
        when = total.next_renewal if total else None
        return None if when is None else (when - self.today).days

    def _display(self, row: AccountRow, column: int) -> str:
        if column == COL_NAME:
            return row.name
        if column == COL_HEALTH:
            if row.health_score is None:
                return "–"
            trend = self.trends.get(row.id)
            arrow = "" if trend is None else (" ▲" if trend > 2 else " ▼" if trend < -2 else " ▶")
            return f"{row.health_score:.0f}{arrow}"
        if column == COL_ARR:
            total = self.rollups.get(row.id)
            amount = total.arr_in(row.currency) if total else row.arr_minor
            text = format_money(amount, row.currency)
            if total and len(total.arr_minor) > 1:
                text += " +"
            return text
        if column == COL_RENEWAL:
            total = self.rollups.get(row.id)
            when = total.next_renewal if total else row.next_renewal
            if when is None:
                return ""
            days = (when - self.today).days
            left = f"{days} d" if days >= 0 else "overdue"
            return f"{when:%d %b %y} · {left}"
        if column == COL_OWNER:
            return row.owner or ""
        return ""

    def _tooltip(self, row: AccountRow, column: int) -> str | None:
        total = self.rollups.get(row.id)
        if column == COL_ARR and total:
            own = format_money(row.arr_minor, row.currency)
            lines = [f"Own ARR {own}"]
            if total.descendants:
                lines.append(f"With {total.descendants:,} sub-accounts:")
                for cur, amount in sorted(total.arr_minor.items()):
                    lines.append(f"  {format_money(amount, cur)} ({cur})")
            return "\n".join(lines)
        if column == COL_HEALTH and row.health_band is not None:
            trend = self.trends.get(row.id)
            change = "" if trend is None else f", {trend:+.0f} over 90 days"
            return f"{row.health_band.value.title()} band{change}"
        if column == COL_RENEWAL and total and total.next_renewal:
            own = "this account" if total.next_renewal == row.next_renewal else "a sub-account"
            return f"Earliest active contract end, in {own}"
        if column == COL_NAME:
            if total and total.descendants:
                return f"{row.name} ({total.descendants:,} sub-accounts)"
            return row.name
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        # Renames go through the undo stack: the panel listens and pushes the command.
        if index.isValid() and index.column() == COL_NAME and role == Qt.ItemDataRole.EditRole:
            name = str(value).strip()
            if name and name != self.rows[self._visible[index.row()]].name:
                self.rename_requested.emit(self._visible[index.row()], name)
            return False
        return False

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not (0 <= column < len(HEADERS)):
            return
        self._sort_column = column
        self._sort_order = order
        self._rebuild_children()
        self._preorder = None
        self._apply_visible()

    # ------------------------------------------------------------------ drag and drop
    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [MIME_TYPE]

    def mimeData(self, indexes: Iterable[QModelIndex]) -> QMimeData:
        ids = []
        for index in indexes:
            if index.isValid():
                account_id = self._visible[index.row()]
                if account_id not in ids:
                    ids.append(account_id)
        mime = QMimeData()
        mime.setData(MIME_TYPE, QByteArray("\n".join(ids).encode("ascii")))
        return mime

    def canDropMimeData(
        self,
        data: QMimeData,
        action: Qt.DropAction,
        row: int,
        column: int,
        parent: Index,
    ) -> bool:
        return data.hasFormat(MIME_TYPE)

    def dropMimeData(
        self,
        data: QMimeData,
        action: Qt.DropAction,
        row: int,
        column: int,
        parent: Index,
    ) -> bool:
        if not data.hasFormat(MIME_TYPE):
            return False
        ids = bytes(data.data(MIME_TYPE).data()).decode("ascii").split()
        target = self._visible[parent.row()] if parent.isValid() else None
        for account_id in ids:
            self.move_requested.emit(account_id, target)
        # The move happens through the undo stack; Qt must not remove the dragged rows.
        return False
