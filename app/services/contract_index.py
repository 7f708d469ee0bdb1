"""Every contract's placing columns held in memory while a view pages through periods, and
the week ahead read from them (renewals due, notice deadlines, calls missing)."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy.orm import Session

from app.models.enums import ContractStatus, Segment
from app.services.renewal_dates import (
    DEFAULT_CHECKPOINTS,
    Terms,
    add_months,
    checkpoint_marks,
    deadline_before,
    entry_reach,
    needs_call,
    term_months,
)
from app.services.renewal_rows import CALL_KEYS, ContractKey, ContractSelection, load_contract_keys


@dataclass(slots=True)
class ContractIndex:
    """Every contract's placing columns in memory, sorted by end date, for paging periods.

    Reading ~15,000 contracts once costs about what reading one busy month does; after
    that each month is tallied from memory. Reload it when contracts or calls change.
    """

    owner: str | None
    segment: Segment | None
    ends: list[date]
    keys: list[ContractKey]
    #: Open auto-renewing contracts, by end date: they roll forward once ended.
    rolling_ends: list[date]
    rolling: list[ContractKey]
    max_notice: int
    #: Each rolling contract's next end dates, computed once when first needed.
    _anniversaries: dict[str, list[date]] = field(default_factory=dict)

    @classmethod
    def load(
        cls, session: Session, owner: str | None = None, segment: Segment | None = None
    ) -> ContractIndex:
        """Read the book's contracts (one owner's or segment's when given)."""
        keys = load_contract_keys(session, ContractSelection(owner=owner, segment=segment))
        keys.sort(key=lambda k: k[2])
        rolling = [k for k in keys if k[4] and k[7] is ContractStatus.ACTIVE and k[10] is None]
        return cls(
            owner=owner,
            segment=segment,
            ends=[k[2] for k in keys],
            keys=keys,
            rolling_ends=[k[2] for k in rolling],
            rolling=rolling,
            max_notice=max((k[3] for k in keys), default=0),
        )

    def rolled_due(self, key: ContractKey, on_or_after: date) -> date:
        """``renewal_date`` of a rolled contract, from its remembered anniversaries."""
        ident, begins, ends, notice, auto = key[0], key[1], key[2], key[3], key[4]
        dates = self._anniversaries.get(ident)
        if dates is None or dates[-1] < on_or_after:
            step = term_months(Terms(begins, ends, notice, auto))
            dates = []
            count = 1
            while not dates or dates[-1] < on_or_after + timedelta(days=731):
                dates.append(add_months(ends, count * step, keep_month_end=True))
                count += 1
            self._anniversaries[ident] = dates
        return dates[bisect_left(dates, on_or_after)]

    def placing(self, ends_from: date, ends_to: date) -> list[ContractKey]:
        """Contracts ending in the range, and open auto-renewing ones that ended before it."""
        low = bisect_left(self.ends, ends_from)
        high = bisect_right(self.ends, ends_to)
        return self.rolling[: bisect_left(self.rolling_ends, ends_from)] + self.keys[low:high]


@dataclass(slots=True)
class WeekAhead:
    """Monday morning at a glance: renewals this week, notice deadlines soon, calls due."""

    renewals: int = 0
    renewal_arr: dict[str, int] = field(default_factory=dict)
    notices: int = 0
    calls_needed: int = 0


def week_ahead(
    index: ContractIndex,
    today: date,
    *,
    forecast: str | None = None,
    offsets: tuple[int, ...] = DEFAULT_CHECKPOINTS,
    notice_days_ahead: int = 14,
    call_days_ahead: int = 90,
) -> WeekAhead:
    """Open renewals due by Sunday, notice deadlines in the next ``notice_days_ahead`` days,
    and renewals in the next ``call_days_ahead`` days past a checkpoint without a call."""
    marks = checkpoint_marks(offsets)
    week_end = today + timedelta(days=6 - today.weekday())
    notice_end = today + timedelta(days=notice_days_ahead)
    call_end = today + timedelta(days=call_days_ahead)
    notice_reach = timedelta(days=entry_reach((), index.max_notice))
    horizon = max(call_end, week_end, notice_end + notice_reach)
    result = WeekAhead()
    for item in index.placing(today, horizon):
        _ident, _begins, ends, notice, _auto, value, currency, status, call, on, outcome = item
        if status is not ContractStatus.ACTIVE or outcome is not None:
            continue
        if forecast is not None and CALL_KEYS[call] != forecast:
            continue
        due = index.rolled_due(item, today) if ends < today else ends
        if due <= week_end:
            result.renewals += 1
            result.renewal_arr[currency] = result.renewal_arr.get(currency, 0) + value
        if notice > 0:
            deadline = deadline_before(due, notice)
            if today <= deadline <= notice_end:
                result.notices += 1
        if due <= call_end and needs_call(due, today, marks, on if call is not None else None):
            result.calls_needed += 1
    return result
