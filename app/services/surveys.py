"""NPS and CSAT: recording survey responses and the arithmetic on them.

The one NPS of an account on a day is the NPS of its survey answers in the rolling year up to
that day (``account_nps_on``). The health score's NPS signal is that same figure week by week
(``survey_nps_signal``, read by ``scoring.load_frame``); a week with no answers in its year
keeps the weekly figure an import brought, so the Health tab header, its "why" table, the
report and the QBR deck all read one number.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy import Connection, func, select
from sqlalchemy.orm import Session

from app.models.account import Account
from app.models.batches import batches
from app.models.enums import SurveyKind
from app.models.health import MetricSnapshot, SurveyResponse
from app.models.stakeholder import Stakeholder
from app.services.labels import in_sentence, label_of


@dataclass(frozen=True)
class SurveyAnswer:
    """One NPS or CSAT answer as given: its score on a day, from whom (a stakeholder of the
    account) when known, and what they said."""

    kind: SurveyKind
    score: int
    responded_on: date
    stakeholder_id: str | None = None
    comment: str | None = None


@dataclass(frozen=True)
class NpsSummary:
    """Promoters (9-10), passives (7-8) and detractors (0-6), and the score they make."""

    promoters: int
    passives: int
    detractors: int

    @property
    def responses(self) -> int:
        """How many answers count."""
        return self.promoters + self.passives + self.detractors

    @property
    def nps(self) -> float | None:
        """% promoters minus % detractors, -100..100; None without responses."""
        if self.responses == 0:
            return None
        return 100.0 * (self.promoters - self.detractors) / self.responses


@dataclass(frozen=True)
class CsatSummary:
    """CSAT answers (1-5): their mean and the share of satisfied (4-5) answers."""

    responses: int
    mean: float | None
    satisfied_pct: float | None


def nps_of(scores: Iterable[int]) -> NpsSummary:
    """Classify 0-10 answers into promoters, passives and detractors."""
    promoters = passives = detractors = 0
    for score in scores:
        if not 0 <= score <= 10:
            raise ValueError(f"An NPS answer is 0 to 10, not {score}.")
        if score >= 9:
            promoters += 1
        elif score >= 7:
            passives += 1
        else:
            detractors += 1
    return NpsSummary(promoters, passives, detractors)


def csat_of(scores: Iterable[int]) -> CsatSummary:
    """Mean and % satisfied of 1-5 answers."""
    values = list(scores)
    if any(not 1 <= v <= 5 for v in values):
        raise ValueError("A CSAT answer is 1 to 5.")
    if not values:
        return CsatSummary(0, None, None)
    satisfied = sum(1 for v in values if v >= 4)
    return CsatSummary(len(values), sum(values) / len(values), 100.0 * satisfied / len(values))


def record_response(session: Session, account_id: str, answer: SurveyAnswer) -> str:
    """Store one survey answer (checked: range, and the stakeholder belongs to the account)."""
    kind, score, stakeholder_id = answer.kind, answer.score, answer.stakeholder_id
    if session.get(Account, account_id) is None:
        raise ValueError("There is no such account.")
    if kind is SurveyKind.NPS and not 0 <= score <= 10:
        raise ValueError("An NPS answer is 0 to 10.")
    if kind is SurveyKind.CSAT and not 1 <= score <= 5:
        raise ValueError("A CSAT answer is 1 to 5.")
    if stakeholder_id is not None:
        person = session.get(Stakeholder, stakeholder_id)
        if person is None or person.account_id != account_id:
            raise ValueError("The respondent must be a stakeholder of this account.")
    fields = asdict(answer) | {"comment": answer.comment or None}  # empty is no comment
    response = SurveyResponse(account_id=account_id, **fields)
    session.add(response)
    session.flush()
    return response.id


def _scores(
    session: Session,
    kind: SurveyKind,
    account_id: str | None,
    since: date | None,
    until: date | None,
) -> list[int]:
    query = select(SurveyResponse.score).where(SurveyResponse.kind == kind)
    if account_id is not None:
        query = query.where(SurveyResponse.account_id == account_id)
    if since is not None:
        query = query.where(SurveyResponse.responded_on >= since)
    if until is not None:
        query = query.where(SurveyResponse.responded_on <= until)
    return list(session.scalars(query))


def account_nps(
    session: Session, account_id: str, *, since: date | None = None, until: date | None = None
) -> NpsSummary:
    """The NPS of one account's responses in a date range (all when open)."""
    return nps_of(_scores(session, SurveyKind.NPS, account_id, since, until))


def book_nps(
    session: Session, *, since: date | None = None, until: date | None = None
) -> NpsSummary:
    """The NPS of every response in the book (each response counts once)."""
    return nps_of(_scores(session, SurveyKind.NPS, None, since, until))


#: Survey answers count towards an account's NPS for a rolling year.
NPS_WINDOW_DAYS = 365


def nps_window(as_of: date) -> tuple[date, date]:
    """The first and last day of the answers that make the NPS on ``as_of``."""
    return as_of - timedelta(days=NPS_WINDOW_DAYS - 1), as_of


def account_nps_on(session: Session, account_id: str, as_of: date) -> NpsSummary:
    """The account's NPS on ``as_of``: its answers in the year up to that day."""
    since, until = nps_window(as_of)
    return account_nps(session, account_id, since=since, until=until)


def accounts_nps_on(session: Session, as_of: dict[str, date]) -> dict[str, NpsSummary]:
    """Each account's NPS on its own day (accounts without answers in their year left out)."""
    found = _nps_answers(session, list(as_of))
    out = {}
    for account_id, (days, scores) in found.items():
        since, until = nps_window(as_of[account_id])
        first, last = np.datetime64(since, "D"), np.datetime64(until, "D")
        chosen = scores[(days >= first) & (days <= last)]
        if len(chosen):
            out[account_id] = nps_of(int(s) for s in chosen)
    return out


def nps_of_latest_week(
    session: Session, account_ids: Iterable[str], today: date
) -> dict[str, NpsSummary]:
    """Each account's NPS on its latest weekly snapshot up to ``today`` (else on ``today``):
    the day the Health tab explains, so the report and the tab read the same figure."""
    ids = list(account_ids)
    table = MetricSnapshot.__table__.c
    days: dict[str, date] = dict.fromkeys(ids, today)
    for batch in batches(ids):
        query = (
            select(table.account_id, func.max(table.as_of))
            .where(table.account_id.in_(batch), table.as_of <= today)
            .group_by(table.account_id)
        )
        for account_id, day in session.execute(query):
            days[account_id] = day if isinstance(day, date) else date.fromisoformat(str(day))
    return accounts_nps_on(session, days)


def survey_nps_signal(
    conn: Connection | Session,
    account_ids: npt.NDArray[np.object_],
    days: npt.NDArray[np.datetime64],
) -> npt.NDArray[np.float64]:
    """The survey NPS of each (account, day) row, NaN where no answer falls in its year.

    Rows of one account must be contiguous (a loaded frame's are); vectorised per account.
    """
    out = np.full(len(account_ids), np.nan)
    if not len(account_ids):
        return out
    starts = np.concatenate(([0], np.flatnonzero(account_ids[1:] != account_ids[:-1]) + 1))
    stops = np.append(starts[1:], len(account_ids))
    found = _nps_answers(conn, {str(account_ids[i]) for i in starts})
    window = np.timedelta64(NPS_WINDOW_DAYS - 1, "D")
    for start, stop in zip(starts.tolist(), stops.tolist(), strict=True):
        answers = found.get(str(account_ids[start]))
        if answers is None:
            continue
        answer_days, scores = answers
        promoters = np.concatenate(([0], np.cumsum(scores >= 9)))
        detractors = np.concatenate(([0], np.cumsum(scores <= 6)))
        row_days = days[start:stop].astype("datetime64[D]")
        hi = np.searchsorted(answer_days, row_days, side="right")
        lo = np.searchsorted(answer_days, row_days - window, side="left")
        count = hi - lo
        net = (promoters[hi] - promoters[lo]) - (detractors[hi] - detractors[lo])
        with np.errstate(invalid="ignore", divide="ignore"):
            values = np.where(count > 0, np.round(100.0 * net / np.maximum(count, 1)), np.nan)
        out[start:stop] = values
    return out


def _nps_answers(
    conn: Connection | Session, account_ids: Iterable[str]
) -> dict[str, tuple[npt.NDArray[np.datetime64], npt.NDArray[np.int64]]]:
    """Each account's NPS answers as (days, scores) arrays, sorted by day."""
    ids = list(account_ids)
    table = SurveyResponse.__table__.c
    query: Any = select(table.account_id, table.responded_on, table.score).where(
        table.kind == SurveyKind.NPS.value
    )
    rows: list[Any] = []
    for batch in batches(ids):
        rows.extend(conn.execute(query.where(table.account_id.in_(batch))))
    grouped: dict[str, list[tuple[Any, int]]] = {}
    for account_id, day, score in rows:
        grouped.setdefault(account_id, []).append((day, score))
    out = {}
    for account_id, answers in grouped.items():
        answers.sort()
        days = np.array([str(d) for d, _ in answers], dtype="datetime64[D]")
        out[account_id] = (days, np.array([s for _, s in answers], dtype=np.int64))
    return out


def account_csat(
    session: Session, account_id: str, *, since: date | None = None, until: date | None = None
) -> CsatSummary:
    """CSAT of one account's responses in a date range."""
    return csat_of(_scores(session, SurveyKind.CSAT, account_id, since, until))


@dataclass(frozen=True)
class ResponseView:
    """A survey answer as the Health tab lists it."""

    id: str
    kind: SurveyKind
    score: int
    responded_on: date
    stakeholder: str | None
    comment: str | None


def list_responses(session: Session, account_id: str) -> list[ResponseView]:
    """An account's survey answers, newest first."""
    query = (
        select(SurveyResponse, Stakeholder.name)
        .outerjoin(Stakeholder, Stakeholder.id == SurveyResponse.stakeholder_id)
        .where(SurveyResponse.account_id == account_id)
        .order_by(SurveyResponse.responded_on.desc())
    )
    return [
        ResponseView(r.id, r.kind, r.score, r.responded_on, name, r.comment)
        for r, name in session.execute(query)
    ]


def delete_response(session: Session, response_id: str) -> None:
    """Remove a survey answer (the undo of recording it)."""
    response = session.get(SurveyResponse, response_id)
    if response is not None:
        session.delete(response)
        session.flush()


def respondents(session: Session, account_id: str) -> list[tuple[str, str]]:
    """(id, "name (role)") of the account's current stakeholders, for choosing who answered."""
    query = (
        select(Stakeholder.id, Stakeholder.name, Stakeholder.role)
        .where(Stakeholder.account_id == account_id, Stakeholder.departed.is_(False))
        .order_by(Stakeholder.name)
    )
    out = []
    for sid, name, role in session.execute(query):
        out.append((sid, f"{name} ({in_sentence(label_of(role))})" if role else name))
    return out
