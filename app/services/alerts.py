"""Health alerts: rules as data, evaluating them once per episode, acknowledging, tasks.

A condition rule (score drop, red band, ticket spike, open P1s, silence) raises one alert
when its condition starts holding and clears it when it stops; it raises again only in a
new episode. The detractor rule raises one alert per qualifying survey answer.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models.account import Account
from app.models.alert import AlertRule, HealthAlert
from app.models.base import utcnow
from app.models.enums import BuyingRole, SurveyKind
from app.models.health import HealthScore, SurveyResponse
from app.models.stakeholder import Stakeholder
from app.models.work import Task
from app.services import dates_text, play_triggers
from app.services.labels import in_sentence, label_of, quoted
from app.services.scoring import load_frame

SCORE_DROP = "score_drop"
BAND_RED = "band_red"
TICKETS_SPIKE = "tickets_spike"
OPEN_P1 = "open_p1"
SILENCE = "silence"
DETRACTOR = "detractor_decision_maker"

#: Roles whose detractor NPS answer is an alert.
DECISION_ROLES = (BuyingRole.DECISION_MAKER, BuyingRole.ECONOMIC_BUYER)


@dataclass(frozen=True)
class RuleSpec:
    """An alert rule as a plain value."""

    key: str
    label: str
    threshold: float | None
    window_days: int | None
    enabled: bool = True

    @property
    def text(self) -> str:
        """The label with its number filled in: "Score dropped by at least 15 points"."""
        if self.threshold is None:
            return self.label
        return self.label.replace(" N ", f" {self.threshold:g} ")


DEFAULT_RULES: tuple[RuleSpec, ...] = (
    RuleSpec(SCORE_DROP, "Score dropped by at least N points", 15, 30),
    RuleSpec(BAND_RED, "Health fell to red", None, None),
    RuleSpec(TICKETS_SPIKE, "More than N new tickets in a week", 10, 7),
    RuleSpec(OPEN_P1, "More than N open P1 tickets", 0, None),
    RuleSpec(SILENCE, "No tickets and adoption below N % (silence)", 30, 60),
    RuleSpec(DETRACTOR, "Detractor NPS answer from a decision maker", 6, 30),
)


@dataclass(frozen=True)
class AlertView:
    """A raised alert as the Today view and the Health tab show it."""

    id: str
    account_id: str
    account_name: str
    rule_key: str
    rule_label: str
    raised_on: date
    message: str
    cleared_on: date | None
    acknowledged_at: datetime | None
    task_id: str | None

    @property
    def is_open(self) -> bool:
        """Not yet acknowledged."""
        return self.acknowledged_at is None


def ensure_default_alert_rules(session: Session) -> None:
    """Add any default rule the workspace does not have yet."""
    have = set(session.scalars(select(AlertRule.key)))
    for position, rule in enumerate(DEFAULT_RULES):
        if rule.key not in have:
            session.add(AlertRule(**asdict(rule), position=position))
    session.flush()


def load_rules(session: Session) -> list[RuleSpec]:
    """The workspace's rules, in display order."""
    ensure_default_alert_rules(session)
    rows = session.scalars(select(AlertRule).order_by(AlertRule.position))
    return [_spec(row) for row in rows]


def _spec(row: AlertRule) -> RuleSpec:
    return RuleSpec(row.key, row.label, row.threshold, row.window_days, row.enabled)


def update_rule(session: Session, rule: RuleSpec) -> RuleSpec:
    """Store new numbers for a rule; returns what it was (for undo)."""
    ensure_default_alert_rules(session)
    row = session.scalars(select(AlertRule).where(AlertRule.key == rule.key)).one()
    before = _spec(row)
    row.threshold = rule.threshold
    row.window_days = rule.window_days
    row.enabled = rule.enabled
    session.flush()
    return before


# -- evaluation --------------------------------------------------------------------------------


@dataclass
class _AccountWeeks:
    dates: list[date]
    scores: dict[date, tuple[float, str]]
    rows: list[int]


def _conditions(rules: dict[str, RuleSpec], weeks: _AccountWeeks, frame: Any) -> dict[str, str]:
    """Rule key -> message, for each condition rule holding on the account's latest week."""
    found: dict[str, str] = {}
    if not weeks.dates:
        return found
    last = weeks.rows[-1]
    on = weeks.dates[-1]
    scored = sorted(weeks.scores)
    now = weeks.scores.get(on)
    rule = rules.get(SCORE_DROP)
    if rule and now is not None and rule.threshold is not None and rule.window_days:
        target = on - timedelta(days=rule.window_days)
        earlier = [d for d in scored if d <= target and (target - d).days <= 7]
        if earlier:
            then = weeks.scores[earlier[-1]][0]
            if then - now[0] >= rule.threshold:
                found[SCORE_DROP] = (
                    f"Health fell {then - now[0]:.0f} points in {rule.window_days} days "
                    f"({then:.0f} → {now[0]:.0f})."
                )
    if BAND_RED in rules and now is not None and now[1] == "red":
        found[BAND_RED] = f"Health is red (score {now[0]:.0f})."
    tickets = frame.signals["tickets_new"]
    rule = rules.get(TICKETS_SPIKE)
    spike = rule is not None and rule.threshold is not None and tickets[last] > rule.threshold
    if rule is not None and spike:  # NaN compares False: no data is no spike
        found[TICKETS_SPIKE] = (
            f"{tickets[last]:.0f} new tickets in the week to {dates_text.short_day(on)} "
            f"(more than {rule.threshold:g})."
        )
    rule = rules.get(OPEN_P1)
    p1 = frame.signals["tickets_p1"][last]
    if rule and rule.threshold is not None and not np.isnan(p1) and p1 > rule.threshold:
        found[OPEN_P1] = f"{p1:.0f} open P1 ticket{'s' if p1 != 1 else ''}."
    rule = rules.get(SILENCE)
    if rule and rule.threshold is not None and rule.window_days:
        start = on - timedelta(days=rule.window_days)
        window = [(d, r) for d, r in zip(weeks.dates, weeks.rows, strict=True) if d > start]
        adoption = frame.signals["adoption"]
        # The window must be covered by weekly snapshots (to within a week), each quiet and low.
        covered = bool(window) and (on - window[0][0]).days >= rule.window_days - 7
        quiet = all(tickets[r] == 0 for _, r in window)
        low = all(adoption[r] < rule.threshold for _, r in window)
        if covered and quiet and low:
            found[SILENCE] = (
                f"No tickets and adoption below {rule.threshold:g} % for "
                f"{rule.window_days} days: is anyone using it?"
            )
    return found


def evaluate_alerts(
    session: Session, as_of: date, account_ids: Iterable[str] | None = None
) -> list[str]:
    """Raise the alerts due on ``as_of`` (each account's latest week at or before it).

    Idempotent: an episode already raised is not raised again; a condition that no longer
    holds clears its open alert. Returns the ids of new alerts.
    """
    rules = {r.key: r for r in load_rules(session) if r.enabled}
    ids = None if account_ids is None else list(account_ids)
    longest = max([r.window_days or 0 for r in rules.values()] + [7])
    since = as_of - timedelta(days=longest + 14)
    frame = load_frame(session, ids, since=since, until=as_of)
    per_account: dict[str, _AccountWeeks] = {}
    for i, (acc, day) in enumerate(
        zip(frame.account_id.tolist(), frame.as_of.tolist(), strict=True)
    ):
        weeks = per_account.setdefault(acc, _AccountWeeks([], {}, []))
        weeks.dates.append(day)
        weeks.rows.append(i)
    t = HealthScore.__table__.c
    query = select(t.account_id, t.as_of, t.score, t.band).where(t.as_of >= since, t.as_of <= as_of)
    if ids is not None:
        query = query.where(t.account_id.in_(ids))
    for acc, day, score, band in session.execute(query):
        if acc in per_account:
            per_account[acc].scores[day] = (score, band)

    # The latest alert of each (account, rule): open means the episode is still running.
    latest_query = select(HealthAlert).where(HealthAlert.subject_id.is_(None))
    if ids is not None:
        latest_query = latest_query.where(HealthAlert.account_id.in_(ids))
    latest: dict[tuple[str, str], HealthAlert] = {}
    for alert in session.scalars(latest_query.order_by(HealthAlert.raised_on)):
        latest[(alert.account_id, alert.rule_key)] = alert

    new: list[HealthAlert] = []
    condition_keys = [
        k for k in (SCORE_DROP, BAND_RED, TICKETS_SPIKE, OPEN_P1, SILENCE) if k in rules
    ]
    for acc, weeks in per_account.items():
        on = weeks.dates[-1]
        holding = _conditions(rules, weeks, frame)
        for key in condition_keys:
            last = latest.get((acc, key))
            # Evaluating a date before what is recorded (out of order) changes nothing.
            if last is not None and max(last.raised_on, last.cleared_on or last.raised_on) > on:
                continue
            running = last is not None and last.cleared_on is None
            if key in holding and not running:
                new.append(
                    HealthAlert(account_id=acc, rule_key=key, raised_on=on, message=holding[key])
                )
            elif key not in holding and running:
                assert last is not None
                last.cleared_on = on
    if DETRACTOR in rules:
        new.extend(_detractor_alerts(session, rules[DETRACTOR], as_of, ids))
    session.add_all(new)
    session.flush()
    play_triggers.alerts_raised(session, [a.id for a in new])
    return [a.id for a in new]


def _detractor_alerts(
    session: Session, rule: RuleSpec, as_of: date, ids: list[str] | None
) -> list[HealthAlert]:
    threshold = 6 if rule.threshold is None else rule.threshold
    since = as_of - timedelta(days=rule.window_days or 30)
    query = (
        select(SurveyResponse, Stakeholder.name, Stakeholder.role)
        .join(Stakeholder, Stakeholder.id == SurveyResponse.stakeholder_id)
        .where(
            SurveyResponse.kind == SurveyKind.NPS,
            SurveyResponse.score <= threshold,
            SurveyResponse.responded_on > since,
            SurveyResponse.responded_on <= as_of,
            Stakeholder.role.in_(DECISION_ROLES),
        )
    )
    if ids is not None:
        query = query.where(SurveyResponse.account_id.in_(ids))
    raised = set(
        session.scalars(select(HealthAlert.subject_id).where(HealthAlert.rule_key == DETRACTOR))
    )
    out = []
    for response, name, role in session.execute(query):
        if response.id in raised:
            continue
        role_text = in_sentence(label_of(BuyingRole(role)))  # "Dana (decision maker) answered"
        comment = f": {quoted(response.comment)}" if response.comment else "."
        out.append(
            HealthAlert(
                account_id=response.account_id,
                rule_key=DETRACTOR,
                subject_id=response.id,
                raised_on=response.responded_on,
                message=f"{name} ({role_text}) answered NPS {response.score}{comment}",
            )
        )
    return out


# -- reading and acting on alerts ---------------------------------------------------------------


def list_alerts(
    session: Session,
    account_id: str | None = None,
    *,
    include_acknowledged: bool = True,
    owner: str | None = None,
) -> list[AlertView]:
    """Alerts newest first, for one account, ``owner``'s accounts, or the whole book."""
    from app.services.my_book import in_book

    labels = {r.key: r.text for r in load_rules(session)}
    query = select(HealthAlert, Account.name).join(Account, Account.id == HealthAlert.account_id)
    query = in_book(query, owner)
    if account_id is not None:
        query = query.where(HealthAlert.account_id == account_id)
    if not include_acknowledged:
        query = query.where(HealthAlert.acknowledged_at.is_(None))
    query = query.order_by(HealthAlert.raised_on.desc(), Account.name)
    return [
        AlertView(
            a.id,
            a.account_id,
            name,
            a.rule_key,
            labels.get(a.rule_key, a.rule_key),
            a.raised_on,
            a.message,
            a.cleared_on,
            a.acknowledged_at,
            a.task_id,
        )
        for a, name in session.execute(query)
    ]


def _alert(session: Session, alert_id: str) -> HealthAlert:
    alert = session.get(HealthAlert, alert_id)
    if alert is None:
        raise LookupError("That alert no longer exists.")
    return alert


def set_acknowledged(session: Session, alert_id: str, at: datetime | None) -> datetime | None:
    """Acknowledge (``at`` a time) or re-open (``None``) an alert; returns the previous value."""
    alert = _alert(session, alert_id)
    before = alert.acknowledged_at
    alert.acknowledged_at = at
    session.flush()
    return before


def acknowledge(session: Session, alert_id: str) -> None:
    """Acknowledge an alert now."""
    set_acknowledged(session, alert_id, utcnow())


def create_task_for_alert(
    session: Session, alert_id: str, due_on: date, owner: str | None = None
) -> str:
    """A follow-up task for the alert's account, linked to the alert; returns its id."""
    alert = _alert(session, alert_id)
    if alert.task_id is not None:
        raise ValueError("This alert already has a task.")
    task = Task(
        account_id=alert.account_id,
        title=f"Follow up: {alert.message}",
        due_on=due_on,
        shared=False,  # our own follow-up of a health alert
    )
    task.owner = owner
    session.add(task)
    session.flush()
    alert.task_id = task.id
    session.flush()
    return task.id


def remove_task_for_alert(session: Session, alert_id: str) -> None:
    """Delete the alert's task (undo of ``create_task_for_alert``)."""
    alert = _alert(session, alert_id)
    if alert.task_id is not None:
        task = session.get(Task, alert.task_id)
        alert.task_id = None
        if task is not None:
            session.delete(task)
        session.flush()
