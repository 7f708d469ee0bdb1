"""What a committed unit of work touched: typed change sets and the feed that announces them.

Views never announce changes themselves: the store works out, per commit, which kinds of
record and which accounts the commit touched and publishes one :class:`ChangeSet` on its
:class:`ChangeFeed`. A team workspace publishes other people's commits on the same feed
(PostgreSQL LISTEN/NOTIFY), so a view refreshes the same way whoever made the change.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field


class ChangeKind(enum.Enum):
    """The kinds of record a view can care about (one per table, grouped where views do)."""

    ACCOUNT = "account"  # name, owner, segment, ... and the hierarchy (parent)
    CONTRACT = "contract"
    RENEWAL = "renewal"
    STAKEHOLDER = "stakeholder"  # people and their relations
    MAP = "map"  # card positions and saved map versions
    SUCCESS_PLAN = "success_plan"  # plans, goals, milestones
    ACTIVITY = "activity"  # touchpoints and other logged activities
    TASK = "task"
    RISK = "risk"
    OPPORTUNITY = "opportunity"
    HEALTH = "health"  # metrics, survey answers, scores, scorecards, alerts
    PLAY = "play"  # playbooks, running plays and their steps, the governance cadence
    IMPORT = "import"  # import batches and their journal
    WORKSPACE = "workspace"  # anything book-wide: settings, a restore, a whole import


#: Which kind each table's rows are; a table not listed here is announced as WORKSPACE.
TABLE_KINDS: dict[str, ChangeKind] = {
    "account": ChangeKind.ACCOUNT,
    "contract": ChangeKind.CONTRACT,
    "renewal": ChangeKind.RENEWAL,
    "stakeholder": ChangeKind.STAKEHOLDER,
    "stakeholder_relation": ChangeKind.STAKEHOLDER,
    "private_note": ChangeKind.STAKEHOLDER,
    "map_card": ChangeKind.MAP,
    "map_version": ChangeKind.MAP,
    "success_plan": ChangeKind.SUCCESS_PLAN,
    "goal": ChangeKind.SUCCESS_PLAN,
    "milestone": ChangeKind.SUCCESS_PLAN,
    "activity": ChangeKind.ACTIVITY,
    "activity_attendee": ChangeKind.ACTIVITY,
    "task": ChangeKind.TASK,
    "risk": ChangeKind.RISK,
    "opportunity": ChangeKind.OPPORTUNITY,
    "metric_snapshot": ChangeKind.HEALTH,
    "survey_response": ChangeKind.HEALTH,
    "scorecard": ChangeKind.HEALTH,
    "scorecard_measure": ChangeKind.HEALTH,
    "health_score": ChangeKind.HEALTH,
    "alert_rule": ChangeKind.HEALTH,
    "health_alert": ChangeKind.HEALTH,
    "playbook": ChangeKind.PLAY,
    "playbook_step": ChangeKind.PLAY,
    "play": ChangeKind.PLAY,
    "play_step": ChangeKind.PLAY,
    "cadence_rule": ChangeKind.PLAY,
    "import_batch": ChangeKind.IMPORT,
    "import_journal": ChangeKind.IMPORT,
}


def kind_of_table(table: str) -> ChangeKind:
    """The change kind of a row of ``table`` (WORKSPACE for tables no view shows by kind)."""
    return TABLE_KINDS.get(table, ChangeKind.WORKSPACE)


@dataclass(frozen=True)
class ChangeSet:
    """What one commit touched: kinds of record, and the accounts whose records changed.

    ``account_ids`` empty with a non-empty ``kinds`` means book-wide (no single account).
    ``remote`` is true for changes made by someone else (a team workspace's other users).
    """

    kinds: frozenset[ChangeKind] = frozenset()
    account_ids: frozenset[str] = frozenset()
    remote: bool = False

    @classmethod
    def of(
        cls, *kinds: ChangeKind, accounts: Iterable[str | None] = (), remote: bool = False
    ) -> ChangeSet:
        return cls(frozenset(kinds), frozenset(a for a in accounts if a is not None), remote=remote)

    def __bool__(self) -> bool:
        return bool(self.kinds)

    @property
    def book_wide(self) -> bool:
        return ChangeKind.WORKSPACE in self.kinds or not self.account_ids

    def touches(self, *kinds: ChangeKind, account_id: str | None = None) -> bool:
        """True when this set changed any of ``kinds`` (or everything, for WORKSPACE),
        and, given ``account_id``, when that account is among those touched or the change
        is book-wide."""
        if ChangeKind.WORKSPACE not in self.kinds and self.kinds.isdisjoint(kinds):
            return False
        if account_id is None:
            return True
        return self.book_wide or account_id in self.account_ids

    def merged(self, other: ChangeSet) -> ChangeSet:
        """Both sets as one; book-wide when either was (an empty set merges as nothing)."""
        if not other:
            return self
        if not self:
            return other
        book_wide = (not self.account_ids) or (not other.account_ids)
        return ChangeSet(
            self.kinds | other.kinds,
            frozenset() if book_wide else self.account_ids | other.account_ids,
            remote=self.remote and other.remote,
        )


Listener = Callable[[ChangeSet], None]


@dataclass
class ChangeFeed:
    """Calls every subscriber with each published change set, in subscription order."""

    _listeners: list[Listener] = field(default_factory=list)

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Add ``listener``; returns a function that removes it again."""
        self._listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    def publish(self, changes: ChangeSet) -> None:
        if not changes:
            return
        for listener in list(self._listeners):
            listener(changes)
