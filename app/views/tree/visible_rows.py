"""Which accounts the tree shows, in display order: filtering, flattening, expansion.

Every change becomes the smallest block of row removals and inserts (``_apply_visible``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import compress, repeat
from operator import contains

from PySide6.QtCore import QModelIndex

from app.services.tree_rows import AccountRow
from app.views.tree.columns import HEADERS
from app.views.tree.hierarchy import TreeHierarchy


@dataclass(frozen=True)
class QuickFilter:
    """A named predicate over tree rows (``key`` is what settings and tests use)."""

    key: str
    label: str
    test: Callable[[AccountRow, VisibleAccounts], bool]


def _at_risk(row: AccountRow, model: VisibleAccounts) -> bool:
    return row.health_band is not None and row.health_band.value == "red"


def _renewing(row: AccountRow, model: VisibleAccounts) -> bool:
    return row.next_renewal is not None and 0 <= (row.next_renewal - model.today).days <= 120


def _no_champion(row: AccountRow, model: VisibleAccounts) -> bool:
    return row.id not in model.champion_ids


def _review_overdue(row: AccountRow, model: VisibleAccounts) -> bool:
    return row.id in model.review_overdue_ids


QUICK_FILTERS = (
    QuickFilter("at_risk", "At risk", _at_risk),
    QuickFilter("renewing", "Renewing ≤ 120 days", _renewing),
    QuickFilter("no_champion", "No champion", _no_champion),
    QuickFilter("review_overdue", "Review due", _review_overdue),
)


class VisibleAccounts(TreeHierarchy):
    """The visible accounts and their depths, kept in step with filter and expansion."""

    def prepare(self) -> None:
        """Build the filter's lookup arrays ahead of the first keystroke (call when idle)."""
        self._index_arrays()
        self._full_preorder()

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
            every_id, every_depth = self._full_preorder()
            mask = list(map(shown_set.__contains__, every_id))
            return list(compress(every_id, mask)), list(compress(every_depth, mask))
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
