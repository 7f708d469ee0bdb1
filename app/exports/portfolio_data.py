"""The portfolio report's presentation model: the book gathered through the services."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

from app.models.batches import batches
from app.services import book_facts as facts
from app.services.cadence import CadenceGap, cadence_gaps
from app.services.exchange import Converter, converter
from app.services.hierarchy import AccountRow, children_index, load_account_rows, rollup
from app.services.qbr_facts import Quarter, RenewalFacts
from app.services.surveys import nps_of_latest_week

#: Weeks of health history the report holds (two years).
HISTORY_WEEKS = 104


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
class RenewalLine(RenewalFacts):
    """A contract ending in the next four quarters: its terms, account and quarter."""

    quarter: str = ""
    account: str = ""
    owner: str | None = None
    band: str | None = None


#: An open risk of an account in the report.
RiskLine = facts.RiskRow
#: A person at an account in the report, departed ones included.
StakeholderLine = facts.PersonRow


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
    """Read the book (or one owner's accounts) for the report, through the services."""
    book = Book(today=today, owner=owner, rates=converter(session))
    all_rows = load_account_rows(session)
    rows = all_rows
    if owner:
        wanted = owner.strip().casefold()
        rows = [r for r in all_rows if (r.owner or "").casefold() == wanted]
    totals = rollup(rows)
    names = {r.id: r.name for r in all_rows}
    revenue = facts.revenue_lines(session)
    for row, depth in _tree_order(rows):
        book.accounts.append(
            AccountLine(
                row=row,
                depth=depth,
                parent_name=names.get(row.parent_id) if row.parent_id else None,
                revenue=revenue.get(row.id, {}),
                arr_with_children=totals[row.id].arr_in(row.currency),
                # The one trend rule (app.services.health_trend), kept on each account's row.
                trend_90d=row.health_trend,
            )
        )
    by_id = {line.row.id: line for line in book.accounts}
    for account_id, summary in nps_of_latest_week(session, by_id, today).items():
        by_id[account_id].nps = summary.nps
    for account_id, (employees, annual_revenue) in facts.company_facts(session).items():
        if account_id in by_id:
            by_id[account_id].employees = employees
            by_id[account_id].annual_revenue_minor = annual_revenue
    _add_coverage(facts.coverage(session), by_id)
    _add_stakeholders(facts.people(session), book)
    _add_risks(facts.open_risks(session, today), book, by_id)
    _add_renewals(facts.active_contracts(session, today), book, by_id)
    since = today - timedelta(weeks=HISTORY_WEEKS)
    book.weeks = sorted({week_of(day) for day in facts.score_days(session, since, today)})
    gaps = cadence_gaps(session, today, ahead_days=REVIEW_AHEAD_DAYS)
    book.review_gaps = [g for g in gaps if g.account_id in by_id]
    book.history = health_rows(facts.score_reader(session), book)
    return book


def _add_coverage(found: dict[str, facts.Coverage], by_id: dict[str, AccountLine]) -> None:
    for account_id, seen in found.items():
        line = by_id.get(account_id)
        if line is None:
            continue
        line.stakeholders = seen.stakeholders
        line.economic_buyer = seen.economic_buyer
        line.champion = seen.champion
        line.executive_sponsor = seen.executive_sponsor
        line.supporters = seen.supporters
        line.detractors = seen.detractors
        line.last_contact = seen.last_contact


def _add_stakeholders(people: Iterable[tuple[str, StakeholderLine]], book: Book) -> None:
    """Everyone at the report's accounts, account by account in tree order, then by name."""
    order = {line.row.id: index for index, line in enumerate(book.accounts)}
    found = []
    for account_id, line in people:
        index = order.get(account_id)
        if index is None:
            continue
        found.append((index, line.departed, line.name.casefold(), line))
    found.sort(key=lambda item: item[:3])
    book.stakeholders = [item[3] for item in found]


def _add_risks(
    risks: Iterable[tuple[str, RiskLine]], book: Book, by_id: dict[str, AccountLine]
) -> None:
    for account_id, risk in risks:
        line = by_id.get(account_id)
        if line is None:
            continue
        line.open_risks += 1
        line.escalations += risk.escalation
        book.risks.append(risk)


def _add_renewals(
    contracts: Iterable[tuple[str, RenewalFacts]], book: Book, by_id: dict[str, AccountLine]
) -> None:
    last = book.quarters[-1].end
    for account_id, contract in contracts:
        line = by_id.get(account_id)
        if line is None:
            continue
        if line.renewal_value_minor is None:
            line.renewal_value_minor = contract.value_minor
            line.forecast = contract.forecast
        if contract.end_date > last:
            continue
        book.renewals.append(
            RenewalLine(
                **vars(contract),
                quarter=Quarter.containing(contract.end_date).code,
                account=line.row.name,
                owner=line.row.owner,
                band=None if line.row.health_band is None else line.row.health_band.value,
            )
        )
    book.renewals.sort(key=lambda r: (r.end_date, r.account.casefold()))


def week_of(day: date) -> date:
    """The Monday starting ``day``'s week: scores land in one column per week."""
    return day - timedelta(days=day.weekday())


def health_rows(
    read: facts.ScoreReader, book: Book
) -> Iterator[tuple[AccountLine, list[float | None], list[str | None]]]:
    """Each account with its weekly scores and bands aligned to ``book.weeks``, by chunks."""
    column = {week: index for index, week in enumerate(book.weeks)}
    by_day: dict[Any, int | None] = {}  # a stored day -> its week's column, worked out once
    since = book.weeks[0] if book.weeks else book.today
    for chunk in batches(book.accounts):
        scores: dict[str, list[float | None]] = {
            line.row.id: [None] * len(book.weeks) for line in chunk
        }
        bands: dict[str, list[str | None]] = {
            line.row.id: [None] * len(book.weeks) for line in chunk
        }
        for account_id, as_of, score, band in read(
            [line.row.id for line in chunk], since, book.today
        ):
            index = by_day.get(as_of, -1)
            if index == -1:
                day = as_of if isinstance(as_of, date) else date.fromisoformat(as_of)
                index = by_day[as_of] = column.get(week_of(day))
            if index is not None:
                scores[account_id][index] = score
                bands[account_id][index] = band
        for line in chunk:
            yield line, scores[line.row.id], bands[line.row.id]
