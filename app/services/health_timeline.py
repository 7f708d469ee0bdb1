"""An account's health over time as plain data: scores, group contributions and events."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models.account import Account
from app.models.contract import Contract
from app.models.enums import ActivityKind, BuyingRole, HealthBand
from app.models.health import HealthScore
from app.models.stakeholder import Stakeholder
from app.models.work import Activity, Risk
from app.services.scorecards import ensure_default_scorecards, load_scorecards
from app.services.scoring import decode_breakdown, scorecard_for

TOUCHPOINT = "touchpoint"
QBR = "qbr"
ESCALATION_OPENED = "escalation_opened"
ESCALATION_CLOSED = "escalation_closed"
RENEWAL = "renewal"
CHAMPION_LEFT = "champion_left"
#: Event kinds in legend order, with their legend text.
EVENT_KINDS: dict[str, str] = {
    QBR: "Business review",
    TOUCHPOINT: "Touchpoint",
    ESCALATION_OPENED: "Escalation opened",
    ESCALATION_CLOSED: "Escalation closed",
    RENEWAL: "Renewal",
    CHAMPION_LEFT: "Champion left",
}
_REVIEWS = {ActivityKind.QBR, ActivityKind.EBR, ActivityKind.OBR, ActivityKind.CBR}


@dataclass(frozen=True)
class ChartEvent:
    """Something that happened to the account, drawn as a marker on the health chart."""

    on: date
    kind: str
    label: str


@dataclass(frozen=True)
class HealthTimeline:
    """Weekly scores with their per-group contributions, and the account's events."""

    account_id: str
    account_name: str
    dates: tuple[date, ...]
    scores: tuple[float, ...]
    bands: tuple[HealthBand, ...]
    red_below: float
    green_from: float
    groups: tuple[str, ...]
    #: Points each group adds to the score per week (stacked they make the score).
    contributions: dict[str, tuple[float, ...]] = field(default_factory=dict)
    events: tuple[ChartEvent, ...] = ()

    def between(self, start: date | None, end: date | None) -> HealthTimeline:
        """The same timeline restricted to ``start``..``end`` (inclusive, open ends allowed)."""

        def inside(day: date) -> bool:
            return (start is None or day >= start) and (end is None or day <= end)

        keep = [i for i, day in enumerate(self.dates) if inside(day)]
        return HealthTimeline(
            self.account_id,
            self.account_name,
            tuple(self.dates[i] for i in keep),
            tuple(self.scores[i] for i in keep),
            tuple(self.bands[i] for i in keep),
            self.red_below,
            self.green_from,
            self.groups,
            {g: tuple(v[i] for i in keep) for g, v in self.contributions.items()},
            tuple(e for e in self.events if inside(e.on)),
        )


def load_timeline(session: Session, account_id: str) -> HealthTimeline:
    """Read everything the health chart of one account draws."""
    account = session.get(Account, account_id)
    if account is None:
        raise LookupError("There is no such account.")
    ensure_default_scorecards(session)
    spec = scorecard_for(load_scorecards(session), account.segment)
    weights = {m.key: (m.group, m.weight) for m in spec.measures}
    groups = tuple(dict.fromkeys(m.group for m in spec.measures))
    t = HealthScore.__table__.c
    rows = session.execute(
        select(t.as_of, t.score, t.band, t.breakdown)
        .where(t.account_id == account_id)
        .order_by(t.as_of)
    ).all()
    contributions: dict[str, list[float]] = {g: [] for g in groups}
    for _, _, _, breakdown in rows:
        points = {k: v for k, v in decode_breakdown(breakdown).items() if k in weights}
        present = {k: v for k, v in points.items() if v is not None}
        total = sum(weights[k][1] for k in present)
        per_group = dict.fromkeys(groups, 0.0)
        for key, value in present.items():
            group, weight = weights[key]
            per_group[group] += weight / total * value if total else 0.0
        for group in groups:
            contributions[group].append(per_group[group])
    return HealthTimeline(
        account.id,
        account.name,
        tuple(r[0] for r in rows),
        tuple(float(r[1]) for r in rows),
        tuple(HealthBand(r[2]) for r in rows),
        spec.red_below,
        spec.green_from,
        groups,
        {g: tuple(v) for g, v in contributions.items()},
        tuple(sorted(load_events(session, account_id), key=lambda e: (e.on, e.kind))),
    )


def load_events(session: Session, account_id: str) -> list[ChartEvent]:
    """Touchpoints and reviews, escalations, renewals and champion departures of an account."""
    events: list[ChartEvent] = []
    activities = session.execute(
        select(Activity.kind, Activity.title, Activity.occurred_at).where(
            Activity.account_id == account_id, Activity.meaningful.is_(True)
        )
    )
    for kind, title, occurred_at in activities:
        is_review = kind in _REVIEWS
        label = f"{kind.value.upper()}" if is_review else title
        events.append(ChartEvent(occurred_at.date(), QBR if is_review else TOUCHPOINT, label))
    risks = session.execute(
        select(Risk.title, Risk.opened_on, Risk.closed_on).where(
            Risk.account_id == account_id, Risk.is_escalation.is_(True)
        )
    )
    for title, opened_on, closed_on in risks:
        events.append(ChartEvent(opened_on, ESCALATION_OPENED, f"Escalation: {title}"))
        if closed_on is not None:
            events.append(ChartEvent(closed_on, ESCALATION_CLOSED, f"Resolved: {title}"))
    for name, end_date in session.execute(
        select(Contract.name, Contract.end_date).where(Contract.account_id == account_id)
    ):
        events.append(ChartEvent(end_date, RENEWAL, f"Renewal: {name}"))
    people = session.execute(
        select(
            Stakeholder.name,
            Stakeholder.departed_on,
            Stakeholder.role,
            Stakeholder.is_executive_sponsor,
        ).where(
            Stakeholder.account_id == account_id,
            Stakeholder.departed_on.is_not(None),
        )
    )
    for name, departed_on, role, sponsor in people:
        if role is BuyingRole.CHAMPION:
            what = "Champion"
        elif sponsor:
            what = "Executive sponsor"
        elif role in (BuyingRole.DECISION_MAKER, BuyingRole.ECONOMIC_BUYER):
            what = "Decision maker"
        else:
            continue
        events.append(ChartEvent(departed_on, CHAMPION_LEFT, f"{what} left: {name}"))
    return events
