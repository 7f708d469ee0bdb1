"""What each cell of the account tree shows: text, colour, tooltip (cached per account)."""

from __future__ import annotations

from typing import Any

from app.services import dates_text
from app.services.health_trend import direction, trend_words
from app.services.labels import label_of
from app.services.money import format_money
from app.services.tree_rows import AccountRow
from app.views import theme
from app.views.tree.columns import (
    COL_ARR,
    COL_HEALTH,
    COL_NAME,
    COL_OWNER,
    COL_RENEWAL,
    TREND_GLYPHS,
)
from app.views.tree.visible_rows import VisibleAccounts


class AccountCells(VisibleAccounts):
    """Display texts of the visible accounts, for ``data()`` and the delegates."""

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
            arrow = "" if trend is None else f" {TREND_GLYPHS[direction(trend)]}"
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
            return f"{dates_text.compact_day(when)} · {left}"
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
            change = "" if trend is None else f", {trend_words(trend)} over 90 days"
            return f"{label_of(row.health_band)} band{change}"
        if column == COL_RENEWAL and total and total.next_renewal:
            own = "this account" if total.next_renewal == row.next_renewal else "a sub-account"
            return f"Earliest active contract end, {dates_text.day(total.next_renewal)}, in {own}"
        if column == COL_OWNER:
            return row.owner or None  # the name, also where the cell shows initials
        if column == COL_NAME:
            if total and total.descendants:
                return f"{row.name} ({total.descendants:,} sub-accounts)"
            return row.name
        return None
