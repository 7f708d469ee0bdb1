"""NPS and CSAT: recording survey responses and the arithmetic on them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models.account import Account
from app.models.enums import SurveyKind
from app.models.health import SurveyResponse
from app.models.stakeholder import Stakeholder


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


def record_response(
    session: Session,
    account_id: str,
    kind: SurveyKind,
    score: int,
    responded_on: date,
    *,
    stakeholder_id: str | None = None,
    comment: str | None = None,
) -> str:
    """Store one survey answer (checked: range, and the stakeholder belongs to the account)."""
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
    response = SurveyResponse(
        account_id=account_id,
        stakeholder_id=stakeholder_id,
        kind=kind,
        score=score,
        comment=comment or None,
        responded_on=responded_on,
    )
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
        out.append((sid, f"{name} ({role.value.replace('_', ' ')})" if role else name))
    return out
