"""NPS and CSAT arithmetic, and recording answers."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.models import Stakeholder
from app.models.enums import SurveyKind
from app.services.surveys import (
    SurveyAnswer,
    account_csat,
    account_nps,
    book_nps,
    csat_of,
    delete_response,
    list_responses,
    nps_of,
    record_response,
    respondents,
)
from tests.services.health_fixtures import add_account


def test_nps_is_percent_promoters_minus_percent_detractors() -> None:
    # 3 promoters (9, 10, 9), 2 passives (7, 8), 5 detractors (0..6): (3 - 5) / 10 = -20
    summary = nps_of([9, 10, 9, 7, 8, 0, 3, 6, 6, 5])
    assert (summary.promoters, summary.passives, summary.detractors) == (3, 2, 5)
    assert summary.nps == -20.0
    assert nps_of([10, 10]).nps == 100.0
    assert nps_of([6]).nps == -100.0
    assert nps_of([7, 8]).nps == 0.0
    assert nps_of([]).nps is None
    with pytest.raises(ValueError):
        nps_of([11])


def test_csat_mean_and_satisfied_share() -> None:
    summary = csat_of([5, 4, 2, 3])
    assert summary.mean == 3.5 and summary.satisfied_pct == 50.0
    assert csat_of([]).mean is None


def test_recorded_responses_make_account_and_book_nps(store) -> None:
    a = add_account(store, "A")
    b = add_account(store, "B")
    with store.session() as session:
        person = Stakeholder(account_id=a, name="Ana")
        session.add(person)
        session.flush()
        for score in (10, 9, 3):
            record_response(
                session,
                a,
                SurveyAnswer(SurveyKind.NPS, score, date(2026, 3, 1), stakeholder_id=person.id),
            )
        record_response(session, b, SurveyAnswer(SurveyKind.NPS, 8, date(2026, 3, 2), comment="ok"))
        record_response(session, b, SurveyAnswer(SurveyKind.NPS, 0, date(2025, 1, 2)))
        record_response(session, b, SurveyAnswer(SurveyKind.CSAT, 4, date(2026, 3, 2)))
        with pytest.raises(ValueError, match="stakeholder of this account"):
            record_response(
                session,
                b,
                SurveyAnswer(SurveyKind.NPS, 5, date(2026, 3, 2), stakeholder_id=person.id),
            )
        with pytest.raises(ValueError, match="1 to 5"):
            record_response(session, b, SurveyAnswer(SurveyKind.CSAT, 0, date(2026, 3, 2)))
    with store.read() as session:
        # A: 2 promoters, 1 detractor of 3 -> 33.3
        assert account_nps(session, a).nps == pytest.approx(100 / 3)
        # book since 2026: 10, 9, 3, 8 -> (2 - 1) / 4 = 25
        assert book_nps(session, since=date(2026, 1, 1)).nps == 25.0
        # whole book: 10, 9, 3, 8, 0 -> (2 - 2) / 5 = 0
        assert book_nps(session).nps == 0.0
        assert account_csat(session, b).mean == 4.0


def test_list_and_delete_responses(store) -> None:
    acc = add_account(store)
    with store.session() as session:
        person = Stakeholder(account_id=acc, name="Bo")
        gone = Stakeholder(account_id=acc, name="Al", departed=True)
        session.add_all([person, gone])
        session.flush()
        first = record_response(
            session,
            acc,
            SurveyAnswer(SurveyKind.NPS, 9, date(2026, 1, 1), stakeholder_id=person.id),
        )
        record_response(
            session, acc, SurveyAnswer(SurveyKind.CSAT, 3, date(2026, 2, 1), comment="meh")
        )
        assert respondents(session, acc) == [(person.id, "Bo")]
    with store.session() as session:
        views = list_responses(session, acc)
        assert [(v.kind, v.score, v.stakeholder) for v in views] == [
            (SurveyKind.CSAT, 3, None),
            (SurveyKind.NPS, 9, "Bo"),
        ]
        delete_response(session, first)
    with store.read() as session:
        assert [v.score for v in list_responses(session, acc)] == [3]


def test_the_nps_signal_is_the_rolling_year_of_answers(store) -> None:
    """The vectorised weekly signal equals the one-account figure on every week."""
    import numpy as np

    from app.models import Account
    from app.services.surveys import account_nps_on, survey_nps_signal

    with store.session() as session:
        account = Account(name="Acme", currency="USD")
        quiet = Account(name="Quiet", currency="USD")
        session.add_all([account, quiet])
        session.flush()
        start = date(2025, 1, 6)
        for i, score in enumerate([10, 2, 9, 7, 10, 0, 8, 9, 6, 10]):
            record_response(
                session,
                account.id,
                SurveyAnswer(SurveyKind.NPS, score, start + timedelta(days=61 * i)),
            )
        record_response(
            session, account.id, SurveyAnswer(SurveyKind.CSAT, 5, start)
        )  # not an NPS answer
        weeks = [start + timedelta(weeks=w) for w in range(0, 104, 3)]
        ids = np.array([account.id] * len(weeks) + [quiet.id] * 2, dtype=object)
        days = np.array([*weeks, *weeks[:2]], dtype="datetime64[D]")
        signal = survey_nps_signal(session, ids, days)
        for index, week in enumerate(weeks):
            expected = account_nps_on(session, account.id, week).nps
            if expected is None:
                assert np.isnan(signal[index])
            else:
                assert signal[index] == round(expected)
        assert np.isnan(signal[-2:]).all()  # no answers: the imported weekly figure stands
