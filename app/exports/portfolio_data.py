"""What the portfolio report says about the book, read with a few grouped tuple queries."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import bindparam, select, text
from sqlalchemy.orm import Session

from app.exports.qbr_data import Quarter
from app.models import Account
from app.services.cadence import CadenceGap, cadence_gaps
from app.services.exchange import Converter, converter
from app.services.hierarchy import AccountRow, children_index, load_account_rows, rollup
from app.services.surveys import nps_of_latest_week

#: Weeks of health history the report holds (two years).
HISTORY_WEEKS = 104
_CHUNK = 500


#: The Review gaps sheet lists reviews due this many days ahead, besides overdue ones.
REVIEW_AHEAD_DAYS = 30


@dataclass
class AccountLine:
    """One row of the Accounts sheet, with its depth in the (filtered) hierarchy."""

    row: AccountRow
    depth: int
    parent_name: str | None
    revenue: dict[str, int]
    arr_with_children: int
    trend_90d: float | None = None
    renewal_value_minor: int | None = None
    forecast: str | None = None
    economic_buyer: bool = False
    champion: bool = False
    executive_sponsor: bool = False
    stakeholders: int = 0
    supporters: int = 0
    detractors: int = 0
    last_contact: date | None = None
    open_risks: int = 0
    escalations: int = 0
    #: Survey NPS in the year to the account's latest week (the Health tab's figure).
    nps: float | None = None
    #: Company facts from the CRM: the customer's own head count and annual revenue.
    employees: int | None = None
    annual_revenue_minor: int | None = None


@dataclass(frozen=True)
class RenewalLine:
    """A contract ending in the next four quarters."""

    quarter: str
    end_date: date
    account: str
    owner: str | None
    contract: str
    value_minor: int
    currency: str
    auto_renew: bool
    notice_days: int
    forecast: str | None
    likelihood: int | None
    next_step: str | None
    band: str | None


@dataclass(frozen=True)
class RiskLine:
    """An open risk of an account in the report."""

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


@dataclass(frozen=True, slots=True)
class StakeholderLine:
    """A person at an account in the report, departed ones included."""

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


@dataclass
class Book:
    """The accounts in the report (tree order), their renewals, risks and the week columns."""

    today: date
    owner: str | None
    accounts: list[AccountLine] = field(default_factory=list)
    renewals: list[RenewalLine] = field(default_factory=list)
    risks: list[RiskLine] = field(default_factory=list)
    stakeholders: list[StakeholderLine] = field(default_factory=list)
    weeks: list[date] = field(default_factory=list)
    #: Each account with its weekly scores and bands aligned to ``weeks``, read in chunks as
    #: the report is written (a million scores are never held at once).
    history: Iterable[tuple[AccountLine, list[float | None], list[str | None]]] = ()
    #: The reporting currency and the user's rates to it: the summary's totals convert with it.
    rates: Converter = field(default_factory=lambda: Converter("USD", {}))
    #: Governance reviews due within 30 days or overdue, on the report's accounts.
    review_gaps: list[CadenceGap] = field(default_factory=list)

    @property
    def currency(self) -> str:
        """The reporting currency the summary's totals are in."""
        return self.rates.currency

    @property
    def quarters(self) -> list[Quarter]:
        """This quarter and the three after it."""
        first = Quarter.containing(self.today)
        quarters = [first]
        while len(quarters) < 4:
            quarters.append(quarters[-1].next())
        return quarters


def _tree_order(rows: Sequence[AccountRow]) -> Iterator[tuple[AccountRow, int]]:
    ids = {r.id for r in rows}
    index = children_index(rows)
    tops = [r for r in rows if r.parent_id is None or r.parent_id not in ids]
    tops.sort(key=lambda r: r.name.casefold())
    stack = [(r, 0) for r in reversed(tops)]
    while stack:
        row, depth = stack.pop()
        yield row, depth
        stack.extend((kid, depth + 1) for kid in reversed(index.get(row.id, [])))


def gather_book(session: Session, today: date, owner: str | None = None) -> Book:
    """Read the book (or one owner's accounts) for the report."""
    book = Book(today=today, owner=owner, rates=converter(session))
    all_rows = load_account_rows(session)
    rows = all_rows
    if owner:
        wanted = owner.strip().casefold()
        rows = [r for r in all_rows if (r.owner or "").casefold() == wanted]
    totals = rollup(rows)
    names = {r.id: r.name for r in all_rows}
    revenue = _revenue_lines(session)
    for row, depth in _tree_order(rows):
        book.accounts.append(
            AccountLine(
                row=row,
                depth=depth,
                parent_name=names.get(row.parent_id) if row.parent_id else None,
                revenue=revenue.get(row.id, {}),
                arr_with_children=totals[row.id].arr_in(row.currency),
            )
        )
    by_id = {line.row.id: line for line in book.accounts}
    for account_id, summary in nps_of_latest_week(session, by_id, today).items():
        by_id[account_id].nps = summary.nps
    facts = select(Account.id, Account.employees, Account.annual_revenue_minor)
    for account_id, employees, annual_revenue in session.execute(facts):
        if account_id in by_id:
            by_id[account_id].employees = employees
            by_id[account_id].annual_revenue_minor = annual_revenue
    _add_trends(by_id)
    _add_coverage(session, by_id)
    _add_stakeholders(session, book)
    _add_risks(session, book, by_id)
    _add_renewals(session, book, by_id)
    _sorted_renewals(book)
    book.weeks = _weeks(session, today)
    gaps = cadence_gaps(session, today, ahead_days=REVIEW_AHEAD_DAYS)
    book.review_gaps = [g for g in gaps if g.account_id in by_id]
    book.history = health_rows(session, book)
    return book


def _revenue_lines(session: Session) -> dict[str, dict[str, int]]:
    query = text(
        "SELECT id, baseline_revenue_minor, forecast_revenue_minor, usage_target_minor, "
        "usage_actual_minor, price_erosion_minor, terminations_minor, service_credits_minor, "
        "overdue_debt_minor FROM account"
    )
    keys = (
        "baseline",
        "forecast",
        "usage_target",
        "usage_actual",
        "price_erosion",
        "terminations",
        "service_credits",
        "overdue_debt",
    )
    return {
        row[0]: dict(zip(keys, (v or 0 for v in row[1:]), strict=True))
        for row in session.execute(query)
    }


def _add_trends(by_id: dict[str, AccountLine]) -> None:
    # The one trend rule (app.services.health_trend), kept on each account's row.
    for line in by_id.values():
        line.trend_90d = line.row.health_trend


def _add_coverage(session: Session, by_id: dict[str, AccountLine]) -> None:
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
    for account_id, count, buyer, champion, sponsor, fans, critics, last in session.execute(query):
        line = by_id.get(account_id)
        if line is None:
            continue
        line.stakeholders = count
        line.economic_buyer = bool(buyer)
        line.champion = bool(champion)
        line.executive_sponsor = bool(sponsor)
        line.supporters = fans or 0
        line.detractors = critics or 0
        line.last_contact = date.fromisoformat(last) if isinstance(last, str) else last


def _add_stakeholders(session: Session, book: Book) -> None:
    """Everyone at the report's accounts, account by account in tree order, then by name."""
    order = {line.row.id: index for index, line in enumerate(book.accounts)}
    names = {line.row.id: line.row.name for line in book.accounts}
    query = text(
        """
        SELECT s.account_id, a.external_id, s.name, s.title, s.department, s.email, s.phone,
               coalesce(m.email, m.name), s.role, s.influence, s.sentiment, s.last_contact_on,
               s.departed, s.departed_on
          FROM stakeholder s
          JOIN account a ON a.id = s.account_id
          LEFT JOIN stakeholder m ON m.id = s.reports_to_id
        """
    )
    found = []
    for row in session.execute(query):
        index = order.get(row[0])
        if index is None:
            continue
        line = StakeholderLine(
            account=names[row[0]],
            account_ref=row[1] or row[0],
            name=row[2],
            title=row[3],
            department=row[4],
            email=row[5],
            phone=row[6],
            reports_to=row[7],
            role=row[8],
            influence=row[9] if row[9] is not None else 3,
            sentiment=row[10] or 0,
            last_contact=_date(row[11]),
            departed=bool(row[12]),
            departed_on=_date(row[13]),
        )
        found.append((index, line.departed, line.name.casefold(), line))
    found.sort(key=lambda item: item[:3])
    book.stakeholders = [item[3] for item in found]


def _add_risks(session: Session, book: Book, by_id: dict[str, AccountLine]) -> None:
    query = text(
        """
        SELECT account_id, title, category, severity, status, is_escalation, owner,
               opened_on, due_on, mitigation, internal_notes
          FROM risk WHERE status <> 'closed'
         ORDER BY CASE severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1
                                WHEN 'medium' THEN 2 ELSE 3 END, opened_on
        """
    )
    for row in session.execute(query):
        line = by_id.get(row[0])
        if line is None:
            continue
        line.open_risks += 1
        line.escalations += bool(row[5])
        book.risks.append(
            RiskLine(
                account=line.row.name,
                title=row[1],
                category=row[2],
                severity=row[3],
                status=row[4],
                escalation=bool(row[5]),
                owner=row[6],
                opened_on=_date(row[7]) or book.today,
                due_on=_date(row[8]),
                mitigation=row[9],
                internal_notes=row[10],
            )
        )


def _add_renewals(session: Session, book: Book, by_id: dict[str, AccountLine]) -> None:
    last = book.quarters[-1].end
    query = text(
        """
        SELECT c.account_id, c.name, c.end_date, c.value_minor, c.currency, c.auto_renew,
               c.notice_days, r.forecast, r.likelihood, r.next_step
          FROM contract c LEFT JOIN renewal r ON r.contract_id = c.id
         WHERE c.status = 'active' AND c.end_date >= :today
         ORDER BY c.end_date
        """
    )
    for row in session.execute(query, {"today": book.today.isoformat()}):
        line = by_id.get(row[0])
        if line is None:
            continue
        end = _date(row[2])
        assert end is not None
        if line.renewal_value_minor is None:
            line.renewal_value_minor = row[3] or 0
            line.forecast = row[7]
        if end > last:
            continue
        book.renewals.append(
            RenewalLine(
                quarter=Quarter.containing(end).code,
                end_date=end,
                account=line.row.name,
                owner=line.row.owner,
                contract=row[1],
                value_minor=row[3] or 0,
                currency=row[4],
                auto_renew=bool(row[5]),
                notice_days=row[6] or 0,
                forecast=row[7],
                likelihood=row[8],
                next_step=row[9],
                band=None if line.row.health_band is None else line.row.health_band.value,
            )
        )


def _sorted_renewals(book: Book) -> None:
    book.renewals.sort(key=lambda r: (r.end_date, r.account.casefold()))


def week_of(day: date) -> date:
    """The Monday starting ``day``'s week: scores land in one column per week."""
    return day - timedelta(days=day.weekday())


def _weeks(session: Session, today: date) -> list[date]:
    since = today - timedelta(weeks=HISTORY_WEEKS)
    days = session.execute(
        text("SELECT DISTINCT as_of FROM health_score WHERE as_of > :since AND as_of <= :today"),
        {"since": since.isoformat(), "today": today.isoformat()},
    ).scalars()
    return sorted({week_of(d if isinstance(d, date) else date.fromisoformat(d)) for d in days})


def health_rows(
    session: Session, book: Book
) -> Iterator[tuple[AccountLine, list[float | None], list[str | None]]]:
    """Each account with its weekly scores and bands aligned to ``book.weeks``, by chunks."""
    column = {week: index for index, week in enumerate(book.weeks)}
    by_day: dict[Any, int | None] = {}  # a stored day -> its week's column, worked out once
    since = book.weeks[0] if book.weeks else book.today
    query = text(
        "SELECT account_id, as_of, score, band FROM health_score "
        "WHERE account_id IN :ids AND as_of >= :since AND as_of <= :today"
    ).bindparams(bindparam("ids", expanding=True))
    accounts = book.accounts
    connection = session.connection()
    # A million scores: on SQLite read them straight from the driver, skipping the ORM's
    # per-row result processing (the report is held to 1.5x the bare write time).
    raw = connection.connection.driver_connection if connection.dialect.name == "sqlite" else None
    for start in range(0, len(accounts), _CHUNK):
        chunk = accounts[start : start + _CHUNK]
        scores: dict[str, list[float | None]] = {
            line.row.id: [None] * len(book.weeks) for line in chunk
        }
        bands: dict[str, list[str | None]] = {
            line.row.id: [None] * len(book.weeks) for line in chunk
        }
        ids = [line.row.id for line in chunk]
        result: Iterable[Any]
        if raw is not None:
            marks = ",".join("?" * len(ids))
            result = raw.execute(
                "SELECT account_id, as_of, score, band FROM health_score "
                f"WHERE account_id IN ({marks}) AND as_of >= ? AND as_of <= ?",
                [*ids, since.isoformat(), book.today.isoformat()],
            )
        else:
            result = connection.execute(
                query, {"ids": ids, "since": since.isoformat(), "today": book.today.isoformat()}
            )
        for account_id, as_of, score, band in result:
            index = by_day.get(as_of, -1)
            if index == -1:
                day = as_of if isinstance(as_of, date) else date.fromisoformat(as_of)
                index = by_day[as_of] = column.get(week_of(day))
            if index is not None:
                scores[account_id][index] = score
                bands[account_id][index] = band
        for line in chunk:
            yield line, scores[line.row.id], bands[line.row.id]


def _date(value: object) -> date | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))
