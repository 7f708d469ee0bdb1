"""The account tree's book as a hierarchy: children in sort order, roll-ups, subtrees.

The base of ``AccountTreeModel`` (``app/views/tree/model.py``): it holds the model's state
and keeps the children lists and ARR/renewal roll-ups in step with the rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractItemModel, Qt

from app.services.tree_rows import AccountRow, Rollup, rollup
from app.views.tree.columns import COL_ARR, COL_HEALTH, COL_NAME, COL_OWNER, COL_RENEWAL

if TYPE_CHECKING:
    from app.views.tree.visible_rows import QuickFilter


class TreeHierarchy(QAbstractItemModel):
    """The book's rows, their children in display order, and roll-ups of every subtree."""

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

    # ------------------------------------------------------------------ hierarchy
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

    def _rollup_full_subtrees(self, ids: list[str]) -> None:
        missing = [i for i in ids if i not in self.rollups]
        if missing:
            # New subtrees (restored after undo): roll them up whole.
            subtree_rows: list[AccountRow] = []
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

    def subtree_ids(self, account_id: str) -> list[str]:
        """The account and every account below it (as the model knows them)."""
        return self._subtree(account_id) if account_id in self.rows else []
