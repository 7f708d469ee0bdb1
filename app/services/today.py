"""The CSM's daily list: what is due or needs a look today, and the book's headline figures."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app.models import Account, Contract, Goal, Milestone, Stakeholder, SuccessPlan, Task
from app.models.enums import ContractStatus, ForecastCategory, HealthBand, MilestoneStatus
from app.services import dates_text
from app.services.hierarchy import AccountRow
from app.services.labels import in_sentence, label_of
from app.services.renewal_dates import DEFAULT_CHECKPOINTS, deadline_before
from app.services.stakeholder_graph import key_contact_clause

#: Notice deadlines this close (or passed, while the contract still runs) are listed.
NOTICE_WARNING_DAYS = 30
#: A stakeholder in a key role not contacted for this long is listed.
QUIET_DAYS = 90
#: A health drop of at least this many points (or a worse band) is listed.
HEALTH_DROP_POINTS = 10.0
#: The renewal window the portfolio figures look ahead.
RENEWING_WINDOW_DAYS = 120


@dataclass(frozen=True)
class AgendaItem:
    """One line of the Today list; ``section`` groups lines, ``when`` sorts them."""

    section: str
    account_id: str
    account_name: str
    title: str
    detail: str
    when: date | None
    #: The task's id for ``section == "task"`` (so it can be ticked off), else None.
    task_id: str | None = None
    overdue: bool = False
    #: The play step's id for ``section == "play"`` (so it can be ticked off), else None.
    step_id: str | None = None


#: Sections in the order the Today view shows them.
SECTIONS = (
    ("task", "Tasks due"),
    ("play", "Play steps due"),
    ("cadence", "Reviews overdue"),
    ("renewal", "Renewal checkpoints"),
    ("notice", "Notice deadlines"),
    ("milestone", "Milestones slipping"),
    ("health", "Health dropped"),
    ("quiet", "Not contacted for 90 days"),
)


def agenda(
    session: Session, today: date, limit_per_section: int = 200, owner: str | None = None
) -> list[AgendaItem]:
    """Everything that needs the CSM today, grouped by section, most urgent first; with
    ``owner``, only that person's book (see ``app.services.my_book``)."""
    from app.services import my_book

    items: list[AgendaItem] = my_book.play_and_cadence_items(session, today, owner)
    items += _tasks(session, today, limit_per_section)
    items += _renewals(session, today, limit_per_section)
    items += _milestones(session, today, limit_per_section)
    items += _health_drops(session, limit_per_section)
    items += _quiet_stakeholders(session, today, limit_per_section)
    return my_book.only_mine(session, items, owner)


def _tasks(session: Session, today: date, limit: int) -> list[AgendaItem]:
    query = (
        select(Task.id, Task.title, Task.due_on, Task.owner, Account.id, Account.name)
        .join(Account, Account.id == Task.account_id)
        .where(Task.done.is_(False), Task.due_on <= today)
        # Today's first, then the most recently missed: old misses are least actionable.
        .order_by(Task.due_on.desc(), Task.title)
        .limit(limit)
    )
    items = []
    for task_id, title, due, owner, account_id, name in session.execute(query):
        late = (today - due).days
        detail = "due today" if late == 0 else dates_text.overdue(late)
        if owner:
            detail += f" · {owner}"
        items.append(
            AgendaItem("task", account_id, name, title, detail, due, task_id, overdue=late > 0)
        )
    return items


def _renewals(session: Session, today: date, limit: int) -> list[AgendaItem]:
    horizon = today + timedelta(days=max(DEFAULT_CHECKPOINTS))
    query = (
        select(
            Contract.name,
            Contract.end_date,
            Contract.notice_days,
            Contract.auto_renew,
            Account.id,
            Account.name,
        )
        .join(Account, Account.id == Contract.account_id)
        .where(Contract.status == ContractStatus.ACTIVE, Contract.end_date >= today)
        .order_by(Contract.end_date)
    )
    renewals: list[AgendaItem] = []
    notices: list[AgendaItem] = []
    for contract, end, notice_days, auto_renew, account_id, name in session.execute(query):
        left = (end - today).days
        if end <= horizon and len(renewals) < limit:
            reached = min(c for c in DEFAULT_CHECKPOINTS if c >= left)
            renewals.append(
                AgendaItem(
                    "renewal",
                    account_id,
                    name,
                    f"{reached}-day checkpoint: {contract}",
                    f"ends {dates_text.day(end)} · {left} days left",
                    end,
                    overdue=left <= 60,
                )
            )
        deadline = deadline_before(end, notice_days or 0)
        to_deadline = (deadline - today).days
        if notice_days and to_deadline <= NOTICE_WARNING_DAYS and len(notices) < limit:
            verb = "auto-renews unless notice is given" if auto_renew else "notice deadline"
            when = "passed" if to_deadline < 0 else f"in {to_deadline} days"
            notices.append(
                AgendaItem(
                    "notice",
                    account_id,
                    name,
                    f"{contract}: {verb}",
                    f"{dates_text.day(deadline)} ({when})",
                    deadline,
                    overdue=to_deadline < 0,
                )
            )
    return renewals + sorted(notices, key=lambda i: i.when or today)


def _milestones(session: Session, today: date, limit: int) -> list[AgendaItem]:
    query = (
        select(Milestone.title, Milestone.due_on, Milestone.status, Account.id, Account.name)
        .join(Goal, Goal.id == Milestone.goal_id)
        .join(SuccessPlan, SuccessPlan.id == Goal.plan_id)
        .join(Account, Account.id == SuccessPlan.account_id)
        .where(
            Milestone.status != MilestoneStatus.DONE,
            (Milestone.status == MilestoneStatus.SLIPPING) | (Milestone.due_on < today),
        )
        .order_by(Milestone.due_on)
        .limit(limit)
    )
    items = []
    for title, due, status, account_id, name in session.execute(query):
        late = (today - due).days
        # Said as a late task is (not "1 days past due"), the day in words (not ISO).
        marked = label_of(status).lower()
        detail = dates_text.overdue(late) if late > 0 else f"{marked} · due {dates_text.day(due)}"
        items.append(AgendaItem("milestone", account_id, name, title, detail, due, overdue=True))
    return items


_HEALTH_DROPS_SQL = text(
    """
    SELECT a.id, a.name, l.score, p.score, l.band, p.band, l.as_of
      FROM account a
      JOIN health_score l
        ON l.account_id = a.id
       AND l.as_of = (SELECT max(as_of) FROM health_score WHERE account_id = a.id)
      JOIN health_score p
        ON p.account_id = a.id
       AND p.as_of = (SELECT max(as_of) FROM health_score
                       WHERE account_id = a.id AND as_of < l.as_of)
     WHERE p.score - l.score >= :points
        OR (l.band = 'red' AND p.band <> 'red')
        OR (l.band = 'yellow' AND p.band = 'green')
    """
)


def _health_drops(session: Session, limit: int) -> list[AgendaItem]:
    items = []
    rows = session.execute(_HEALTH_DROPS_SQL, {"points": HEALTH_DROP_POINTS})
    for account_id, name, latest, previous, band, previous_band, as_of in rows:
        worse_band = HealthBand(band).rank < HealthBand(previous_band).rank
        if previous - latest < HEALTH_DROP_POINTS and not worse_band:
            continue
        when = date.fromisoformat(as_of) if isinstance(as_of, str) else as_of
        items.append(
            AgendaItem(
                "health",
                account_id,
                name,
                f"Health {previous:.0f} → {latest:.0f}",
                f"now {band}" + (f", was {previous_band}" if worse_band else ""),
                when,
                overdue=band == HealthBand.RED.value,
            )
        )
    items.sort(key=lambda i: i.title)
    return items[:limit]


def _quiet_stakeholders(session: Session, today: date, limit: int) -> list[AgendaItem]:
    cutoff = today - timedelta(days=QUIET_DAYS)
    query = (
        select(
            Stakeholder.name,
            Stakeholder.role,
            Stakeholder.last_contact_on,
            Account.id,
            Account.name,
        )
        .join(Account, Account.id == Stakeholder.account_id)
        .where(
            Stakeholder.departed.is_(False),
            key_contact_clause(),
            (Stakeholder.last_contact_on < cutoff) | Stakeholder.last_contact_on.is_(None),
        )
        .order_by(Stakeholder.last_contact_on.is_(None), Stakeholder.last_contact_on)
        .limit(limit)
    )
    items = []
    for person, role, last, account_id, name in session.execute(query):
        role_text = in_sentence(label_of(role)) if role is not None else "executive sponsor"
        detail = (
            "never contacted" if last is None else f"last contact {(today - last).days} days ago"
        )
        items.append(AgendaItem("quiet", account_id, name, f"{person} ({role_text})", detail, last))
    return items


@dataclass
class PortfolioFigures:
    """The book's headline numbers; money per currency in minor units."""

    accounts: int = 0
    total_arr: dict[str, int] = field(default_factory=dict)
    renewing_arr: dict[str, int] = field(default_factory=dict)
    at_risk_arr: dict[str, int] = field(default_factory=dict)
    bands: Counter[str] = field(default_factory=Counter)


_PORTFOLIO_SQL = text(
    """
    SELECT a.currency, h.band,
           count(*) AS accounts,
           sum(a.arr_minor) AS arr,
           sum(CASE WHEN r.next_end BETWEEN :today AND :horizon THEN a.arr_minor ELSE 0 END),
           sum(CASE WHEN h.band = 'red' OR f.account_id IS NOT NULL
                    THEN a.arr_minor ELSE 0 END)
      FROM account a
      LEFT JOIN health_score h
        ON h.account_id = a.id
       AND h.as_of = (SELECT max(as_of) FROM health_score WHERE account_id = a.id)
      LEFT JOIN (SELECT account_id, min(end_date) AS next_end FROM contract
                  WHERE status = 'active' GROUP BY account_id) r
        ON r.account_id = a.id
      LEFT JOIN (SELECT DISTINCT c.account_id FROM renewal rn JOIN contract c
                     ON c.id = rn.contract_id
                  WHERE c.status = 'active' AND rn.forecast IN ('at_risk', 'lost')) f
        ON f.account_id = a.id
     GROUP BY a.currency, h.band
    """
)


def book_figures(session: Session, today: date) -> PortfolioFigures:
    """The same figures as ``portfolio_figures``, aggregated by the database in one query."""
    figures = PortfolioFigures()
    horizon = today + timedelta(days=RENEWING_WINDOW_DAYS)
    params = {"today": today.isoformat(), "horizon": horizon.isoformat()}
    for currency, band, accounts, arr, renewing, at_risk in session.execute(_PORTFOLIO_SQL, params):
        figures.accounts += accounts
        for target, amount in (
            (figures.total_arr, arr),
            (figures.renewing_arr, renewing),
            (figures.at_risk_arr, at_risk),
        ):
            if amount:
                target[currency] = target.get(currency, 0) + int(amount)
        figures.total_arr.setdefault(currency, 0)
        figures.bands[band or "none"] += accounts
    return figures


def portfolio_figures(
    session: Session, rows: Iterable[AccountRow], today: date
) -> PortfolioFigures:
    """Total ARR, ARR renewing within 120 days, ARR at risk (red band or renewal forecast at
    risk / lost) and accounts per health band (``"none"`` for accounts not yet scored)."""
    figures = PortfolioFigures()
    horizon = today + timedelta(days=RENEWING_WINDOW_DAYS)
    risky_forecast = set(
        session.execute(
            text(
                "SELECT DISTINCT c.account_id FROM renewal r JOIN contract c "
                "ON c.id = r.contract_id WHERE c.status = 'active' AND r.forecast IN (:a, :b)"
            ),
            {"a": ForecastCategory.AT_RISK.value, "b": ForecastCategory.LOST.value},
        ).scalars()
    )
    for row in rows:
        figures.accounts += 1
        cur = row.currency
        figures.total_arr[cur] = figures.total_arr.get(cur, 0) + row.arr_minor
        if row.next_renewal is not None and today <= row.next_renewal <= horizon:
            figures.renewing_arr[cur] = figures.renewing_arr.get(cur, 0) + row.arr_minor
        if row.health_band == HealthBand.RED or row.id in risky_forecast:
            figures.at_risk_arr[cur] = figures.at_risk_arr.get(cur, 0) + row.arr_minor
        figures.bands[row.health_band.value if row.health_band else "none"] += 1
    return figures
