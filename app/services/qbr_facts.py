"""The QBR facts of one account for one quarter, as plain values (``qbr_gather`` reads them).

Everything is gathered, shared and internal alike, with each item's visibility; what an
audience may see is decided afterwards (``app.exports.qbr_data.for_audience``), so the
customer's documents are built from a copy that holds nothing internal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from app.models.enums import GoalStatus, MilestoneStatus, RiskCategory, RiskStatus, Severity
from app.services.health_scores import HealthPoint
from app.services.health_trend import trend_of
from app.services.labels import quoted
from app.services.stakeholder_graph import InfluenceMap

#: Weeks of health and adoption history the charts show.
HISTORY_WEEKS = 26
_QUARTER = re.compile(r"^(\d{4})\s*-?\s*[Qq]([1-4])$")


@dataclass(frozen=True)
class Quarter:
    """A calendar quarter, e.g. 2026Q4."""

    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> Quarter:
        """``2026Q4`` (also ``2026-Q4``, ``2026q4``); ValueError for anything else."""
        match = _QUARTER.match(text.strip())
        if match is None:
            raise ValueError(f"{quoted(text)} is not a quarter like 2026Q4.")
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def containing(cls, day: date) -> Quarter:
        """The quarter ``day`` falls in."""
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def label(self) -> str:
        """``Q4 2026``."""
        return f"Q{self.number} {self.year}"

    @property
    def code(self) -> str:
        """``2026Q4``."""
        return f"{self.year}Q{self.number}"

    @property
    def start(self) -> date:
        """First day of the quarter."""
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> date:
        """Last day of the quarter."""
        following = self.next()
        return following.start - timedelta(days=1)

    def next(self) -> Quarter:
        """The quarter after this one."""
        return Quarter(self.year + self.number // 4, self.number % 4 + 1)


@dataclass(frozen=True)
class UsagePoint:
    """One week of adoption: active users against licences."""

    as_of: date
    active_users: int
    licensed_users: int | None


@dataclass(frozen=True)
class SupportFigures:
    """The latest support and sentiment signals, and tickets opened in the quarter."""

    tickets_open: int | None
    tickets_p1: int | None
    tickets_new_in_quarter: int | None
    hours_to_resolve: float | None
    csat: float | None
    nps: float | None


@dataclass(frozen=True)
class MilestoneLine:
    """A milestone of a goal, as the QBR shows it."""

    title: str
    due_on: date
    owner: str | None
    status: MilestoneStatus
    done_on: date | None = None
    shared: bool = True
    id: str = ""


@dataclass(frozen=True)
class GoalLine:
    """A success-plan goal with its milestone counts."""

    plan: str
    title: str
    status: GoalStatus
    target_on: date | None
    milestones: tuple[MilestoneLine, ...]
    shared: bool = True
    id: str = ""

    @property
    def done(self) -> int:
        """Milestones done."""
        return sum(m.status is MilestoneStatus.DONE for m in self.milestones)

    @property
    def slipping(self) -> int:
        """Milestones slipping."""
        return sum(m.status is MilestoneStatus.SLIPPING for m in self.milestones)


@dataclass(frozen=True)
class RiskLine:
    """An open risk; ``internal_notes`` and ``description`` never reach the customer."""

    title: str
    category: RiskCategory
    severity: Severity
    status: RiskStatus
    owner: str | None
    mitigation: str | None
    due_on: date | None
    is_escalation: bool
    description: str | None
    internal_notes: str | None
    shared: bool = False
    id: str = ""

    def past_due(self, today: date) -> bool:
        """Whether the risk's due date has passed while it is still open."""
        return self.due_on is not None and self.due_on < today


@dataclass(frozen=True)
class NextStep:
    """An agreed follow-up with its owner and date."""

    title: str
    owner: str | None
    due_on: date | None
    overdue: bool = False
    shared: bool = True
    id: str = ""


@dataclass(frozen=True)
class TicketPoint:
    """One week of support load."""

    as_of: date
    new: int | None
    open: int | None


@dataclass(frozen=True)
class RenewalFacts:
    """The next renewal: the contract ending first and its forecast (internal)."""

    contract: str
    end_date: date
    value_minor: int
    currency: str
    auto_renew: bool
    notice_days: int
    forecast: str | None
    likelihood: int | None
    next_step: str | None
    #: The last day to give notice: ``app.services.renewal_dates.deadline_before``.
    notice_by: date | None = None

    def days_left(self, today: date) -> int:
        """Days from ``today`` to the end of the contract."""
        return (self.end_date - today).days


@dataclass(frozen=True)
class StakeholderLine:
    """A current stakeholder; role, sentiment and notes are for internal eyes."""

    name: str
    title: str | None
    role: str | None
    sentiment: int
    influence: int
    executive_sponsor: bool
    private_notes: str | None


@dataclass(frozen=True)
class DepartureLine:
    """A key contact who has left (internal): when, where to, and the successor work."""

    name: str
    title: str | None
    role: str | None
    executive_sponsor: bool
    departed_on: date | None
    departed_to: str | None
    is_lead: bool
    #: The successor's name, once the CSM has recorded one.
    successor: str | None
    #: Open work about the departure: its play's steps and the tasks naming the person.
    work: tuple[NextStep, ...] = ()


@dataclass(frozen=True)
class OpportunityLine:
    """An open up-sell or cross-sell (internal)."""

    title: str
    kind: str
    value_minor: int
    currency: str
    stage: str


@dataclass
class QbrContent:
    """Everything a QBR says about one account for one quarter, as plain values."""

    account_id: str
    account: str
    owner: str | None
    segment: str
    industry: str | None
    currency: str
    arr_minor: int
    licences: int | None
    quarter: Quarter
    today: date
    health: list[HealthPoint] = field(default_factory=list)
    usage: list[UsagePoint] = field(default_factory=list)
    support: SupportFigures | None = None
    goals: list[GoalLine] = field(default_factory=list)
    risks: list[RiskLine] = field(default_factory=list)
    #: Open follow-ups due from today on (or undated); ``overdue_steps`` are past due.
    #: Every open task is here after gathering; ``for_audience`` picks what is shown.
    next_steps: list[NextStep] = field(default_factory=list)
    overdue_steps: list[NextStep] = field(default_factory=list)
    tickets: list[TicketPoint] = field(default_factory=list)
    renewal: RenewalFacts | None = None
    stakeholders: list[StakeholderLine] = field(default_factory=list)
    opportunities: list[OpportunityLine] = field(default_factory=list)
    #: Key contacts who have left, latest first (internal).
    departures: list[DepartureLine] = field(default_factory=list)
    #: ARR of the account and every sub-account, in the account's currency.
    arr_with_children_minor: int = 0
    #: The stakeholder map as read (``None`` when the account has nobody on it yet).
    influence_map: InfluenceMap | None = None
    #: The stakeholder map as PNG (customer-safe for a customer QBR), or why there is none.
    map_png: bytes | None = None
    #: The map's further pictures when one cannot show it readably (``map_png`` is the first).
    map_more: tuple[bytes, ...] = ()
    map_missing: str = "no stakeholders to draw yet"
    #: Our company, as the workspace records it.
    company: str = ""

    @property
    def milestones_done_in_quarter(self) -> int:
        """Milestones (of the goals shown) done within the quarter."""
        q = self.quarter
        return sum(
            m.done_on is not None and q.start <= m.done_on <= q.end
            for g in self.goals
            for m in g.milestones
        )

    @property
    def latest_health(self) -> HealthPoint | None:
        """The most recent health score, if scoring has run."""
        return self.health[-1] if self.health else None

    def health_trend(self, days: int = 90) -> float | None:
        """Score change over the last ``days`` (None without a score that far back), by the
        one trend rule (``health_trend.trend_of``)."""
        return trend_of([(p.as_of, p.score) for p in self.health], days)

    @property
    def adoption_rate(self) -> float | None:
        """Latest active users as a share of licences (0..1), when both are known."""
        for point in reversed(self.usage):
            licences = point.licensed_users or self.licences
            if licences:
                return point.active_users / licences
        return None
