"""Book-wide facts the portfolio report and the calendar feed read, a grouped query each.

The exports gather through these functions into their presentation models and render without
queries of their own. Rows come back as plain tuples or small dataclasses, never ORM objects.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import bindparam, select, text
from sqlalchemy.orm import Session

from app.models import Account
from app.services.labels import label_of
from app.services.qbr_facts import RenewalFacts

#: The revenue lines of an account, in the order the report's columns show them.
REVENUE_KEYS = (
    "baseline",
    "forecast",
    "usage_target",
    "usage_actual",
    "price_erosion",
    "terminations",
    "service_credits",
    "overdue_debt",
)


@dataclass(frozen=True, slots=True)
class AccountSummary:
    """The few account facts a calendar event's description carries; ``segment`` and
    ``stage`` in the window's words (``labels.label_of``), empty when not set."""

    name: str
    segment: str
    owner: str | None
    arr_minor: int
    currency: str
    stage: str


@dataclass(frozen=True, slots=True)
class Coverage:
    """Who an account's current (not departed) stakeholders are, counted."""

    stakeholders: int
    economic_buyer: bool
    champion: bool
    executive_sponsor: bool
    supporters: int
    detractors: int
    last_contact: date | None


class PersonRow(NamedTuple):
    """A stakeholder as the report lists them (departed ones included)."""

    account: str
    account_ref: str
    name: str
    title: str | None
    department: str | None
    email: str | None
    phone: str | None
    reports_to: str | None
    role: str | None
    influence: int
    sentiment: int
    last_contact: date | None
    departed: bool
    departed_on: date | None


class RiskRow(NamedTuple):
    """An open risk, most severe first, then oldest first."""

    account: str
    title: str
    category: str
    severity: str
    status: str
    escalation: bool
    owner: str | None
    opened_on: date
    due_on: date | None
    mitigation: str | None
    internal_notes: str | None


#: Reads ``(account_id, as_of, score, band)`` rows of some accounts between two days.
ScoreReader = Callable[[Sequence[str], date, date], Iterable[Any]]


def as_date(value: object) -> date | None:
    """A stored day as a date (SQLite hands back text, PostgreSQL dates)."""
    if value is None:
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def account_summaries(session: Session, owner: str | None = None) -> dict[str, AccountSummary]:
    """Every account's summary (one tuple query), optionally only one owner's."""
    query = select(
        Account.id,
        Account.name,
        Account.segment,
        Account.owner,
        Account.arr_minor,
        Account.currency,
        Account.lifecycle_stage,
    )
    if owner is not None:
        query = query.where(Account.owner == owner)
    # A choice reads as the window shows it ("Mid-market", not "mid_market"); "" when unset.
    return {
        ident: AccountSummary(name, label_of(segment), acc_owner, arr, currency, label_of(stage))
        for ident, name, segment, acc_owner, arr, currency, stage in session.connection().execute(
            query
        )
    }


def revenue_lines(session: Session) -> dict[str, dict[str, int]]:
    """Each account's revenue lines (minor units, 0 where unset), keyed by ``REVENUE_KEYS``."""
    query = text(
        "SELECT id, baseline_revenue_minor, forecast_revenue_minor, usage_target_minor, "
        "usage_actual_minor, price_erosion_minor, terminations_minor, service_credits_minor, "
        "overdue_debt_minor FROM account"
    )
    return {
        row[0]: dict(zip(REVENUE_KEYS, (v or 0 for v in row[1:]), strict=True))
        for row in session.execute(query)
    }


def company_facts(session: Session) -> dict[str, tuple[int | None, int | None]]:
    """Each account's head count and annual revenue (minor units) from the CRM."""
    query = select(Account.id, Account.employees, Account.annual_revenue_minor)
    return {ident: (employees, revenue) for ident, employees, revenue in session.execute(query)}


def coverage(session: Session) -> dict[str, Coverage]:
    """Each account's stakeholder coverage, over the people who have not departed."""
    query = text(
        """
        SELECT account_id, count(*),
               count(CASE WHEN role IN ('economic_buyer', 'decision_maker') THEN 1 END),
               count(CASE WHEN role = 'champion' THEN 1 END),
               count(CASE WHEN is_executive_sponsor THEN 1 END),
               count(CASE WHEN sentiment > 0 THEN 1 END),
               count(CASE WHEN sentiment < 0 THEN 1 END),
               max(last_contact_on)
          FROM stakeholder WHERE NOT departed GROUP BY account_id
        """
    )
    return {
        account_id: Coverage(
            stakeholders=count,
            economic_buyer=bool(buyer),
            champion=bool(champion),
            executive_sponsor=bool(sponsor),
            supporters=fans or 0,
            detractors=critics or 0,
            last_contact=as_date(last),
        )
        for account_id, count, buyer, champion, sponsor, fans, critics, last in session.execute(
            query
        )
    }


def people(session: Session) -> Iterator[tuple[str, PersonRow]]:
    """Everyone at every account (account id, person), with the account's name and reference
    (its external id, else its id) and their manager's email, else name."""
    query = text(
        """
        SELECT s.account_id, a.name, coalesce(nullif(a.external_id, ''), a.id), s.name,
               s.title, s.department, s.email, s.phone, coalesce(m.email, m.name), s.role,
               s.influence, s.sentiment, s.last_contact_on, s.departed, s.departed_on
          FROM stakeholder s
          JOIN account a ON a.id = s.account_id
          LEFT JOIN stakeholder m ON m.id = s.reports_to_id
        """
    )
    for row in session.execute(query):
        influence, sentiment = 3 if row[10] is None else row[10], row[11] or 0
        contact_and_leaving = as_date(row[12]), bool(row[13]), as_date(row[14])
        yield row[0], PersonRow._make((*row[1:10], influence, sentiment, *contact_and_leaving))


def open_risks(session: Session, today: date) -> Iterator[tuple[str, RiskRow]]:
    """Every risk not closed (account id, risk), most severe first, then oldest first; one
    without an opening day counts as opened ``today``."""
    query = text(
        """
        SELECT r.account_id, a.name, r.title, r.category, r.severity, r.status,
               r.is_escalation, r.owner, r.opened_on, r.due_on, r.mitigation, r.internal_notes
          FROM risk r JOIN account a ON a.id = r.account_id
         WHERE r.status <> 'closed'
         ORDER BY CASE r.severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1
                                  WHEN 'medium' THEN 2 ELSE 3 END, r.opened_on
        """
    )
    for row in session.execute(query):
        opened, due = as_date(row[8]) or today, as_date(row[9])
        yield row[0], RiskRow._make((*row[1:6], bool(row[6]), row[7], opened, due, *row[10:]))


def active_contracts(session: Session, since: date) -> Iterator[tuple[str, RenewalFacts]]:
    """Active contracts ending on or after ``since`` (account id, terms), soonest first, with
    their renewal call."""
    query = text(
        """
        SELECT c.account_id, c.name, c.end_date, c.value_minor, c.currency, c.auto_renew,
               c.notice_days, r.forecast, r.likelihood, r.next_step
          FROM contract c LEFT JOIN renewal r ON r.contract_id = c.id
         WHERE c.status = 'active' AND c.end_date >= :today
         ORDER BY c.end_date
        """
    )
    for row in session.execute(query, {"today": since.isoformat()}):
        end = as_date(row[2])
        assert end is not None
        yield (
            row[0],
            RenewalFacts(
                contract=row[1],
                end_date=end,
                value_minor=row[3] or 0,
                currency=row[4],
                auto_renew=bool(row[5]),
                notice_days=row[6] or 0,
                forecast=row[7],
                likelihood=row[8],
                next_step=row[9],
            ),
        )


def score_days(session: Session, after: date, until: date) -> list[date]:
    """The distinct days health was scored on, after ``after`` up to ``until``."""
    days = session.execute(
        text("SELECT DISTINCT as_of FROM health_score WHERE as_of > :since AND as_of <= :today"),
        {"since": after.isoformat(), "today": until.isoformat()},
    ).scalars()
    return [d if isinstance(d, date) else date.fromisoformat(d) for d in days]


def score_reader(session: Session) -> ScoreReader:
    """A function reading ``(account_id, as_of, score, band)`` rows for some accounts.

    It is called once per chunk of accounts while a report is written, so a million scores are
    never held at once. On SQLite it reads straight from the driver, skipping the ORM's per-row
    result processing (the report is held to 1.5x the bare write time); ``as_of`` is then text.
    """
    query = text(
        "SELECT account_id, as_of, score, band FROM health_score "
        "WHERE account_id IN :ids AND as_of >= :since AND as_of <= :today"
    ).bindparams(bindparam("ids", expanding=True))
    connection = session.connection()
    raw = connection.connection.driver_connection if connection.dialect.name == "sqlite" else None

    def read(ids: Sequence[str], since: date, until: date) -> Iterable[Any]:
        if raw is not None:
            marks = ",".join("?" * len(ids))
            return raw.execute(  # type: ignore[no-any-return]
                "SELECT account_id, as_of, score, band FROM health_score "
                f"WHERE account_id IN ({marks}) AND as_of >= ? AND as_of <= ?",
                [*ids, since.isoformat(), until.isoformat()],
            )
        return connection.execute(
            query, {"ids": list(ids), "since": since.isoformat(), "today": until.isoformat()}
        )

    return read
