"""Health scores computed by hand: weights, scales, thresholds, gaps, the red cap."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest
from sqlalchemy import func, select

from app.models import HealthScore, Scorecard
from app.models.enums import HealthBand, Segment
from app.services.health_scores import explain, latest_scores, score_history
from app.services.rescoring import rescore
from app.services.score_breakdown import breakdown_layout, encode_breakdowns
from app.services.scorecards import (
    SIGNALS,
    MeasureSpec,
    ScorecardSpec,
    default_scorecards,
    ensure_default_scorecards,
    load_scorecards,
)
from app.services.scoring import (
    BREAKDOWN_KEYS,
    decode_breakdown,
    encode_breakdown,
    measure_points,
    scorecard_for,
)
from tests.services.health_fixtures import (
    ADOPTION,
    PULSE,
    TWO_MEASURES,
    add_account,
    add_weeks,
    use_scorecard,
)

MONDAY = date(2026, 1, 5)


def test_linear_scale_maps_ends_to_0_and_100_and_clips() -> None:
    values = np.array([20, 50, 80, 10, 95, np.nan])
    spec = MeasureSpec("adoption", "Adoption", "Adoption", 10, "linear", 20, 80)
    points = measure_points(spec, values)
    assert points[:5].tolist() == [0, 50, 100, 0, 100]
    assert np.isnan(points[5])


def test_linear_scale_lower_is_better_when_low_end_is_larger() -> None:
    spec = MeasureSpec("days_since_touch", "Touch", "Engagement", 10, "linear", 90, 14)
    # (52 - 90) / (14 - 90) = 0.5
    assert measure_points(spec, np.array([52.0, 14.0, 120.0])).tolist() == [50, 100, 0]


def test_thresholds_give_the_step_at_or_below_the_value() -> None:
    steps = ((0.0, 100.0), (4.0, 70.0), (8.0, 40.0), (13.0, 0.0))
    spec = MeasureSpec("tickets_new", "New", "Support", 5, "thresholds", thresholds=steps)
    values = np.array([-1, 0, 3, 4, 7.5, 8, 12, 13, 50, np.nan])
    points = measure_points(spec, values)
    assert points[:9].tolist() == [100, 100, 100, 70, 70, 40, 40, 0, 0]
    assert np.isnan(points[9])


def test_weighted_score_band_and_breakdown_are_stored(store) -> None:
    use_scorecard(store)
    acc = add_account(store)
    # adoption 30/60 = 50 % -> 50 pts; pulse 4 on 1..5 -> 75 pts; (60*50 + 40*75) / 100 = 60
    add_weeks(store, acc, MONDAY, [{"active_users": 30, "licensed_users": 60, "pulse": 4}])
    assert rescore(store) == 1
    with store.read() as session:
        row = session.scalars(select(HealthScore)).one()
        session.expunge(row)
    assert row.score == 60.0
    assert row.band is HealthBand.YELLOW
    assert decode_breakdown(row.breakdown) == {"adoption": 50.0, "pulse": 75.0}
    assert row.breakdown == "129:50,75"  # adoption is bit 0, pulse bit 7


def test_missing_measure_is_excluded_and_weights_renormalised(store) -> None:
    use_scorecard(store)
    acc = add_account(store)
    # pulse missing: the score is adoption alone (weight 60 -> 100 %), not (60*50 + 40*0)/100
    add_weeks(store, acc, MONDAY, [{"active_users": 30, "licensed_users": 60}])
    rescore(store)
    with store.read() as session:
        row = session.scalars(select(HealthScore)).one()
        session.expunge(row)
        why = explain(session, acc, MONDAY)
    assert row.score == 50.0
    assert decode_breakdown(row.breakdown) == {"adoption": 50.0, "pulse": None}
    assert why.missing == ("CSM pulse",)
    adoption = why.lines[0]
    assert adoption.effective_weight == 100.0
    assert adoption.contribution == 50.0
    assert "No data for CSM pulse" in why.summary()


def test_three_measures_with_one_missing(store) -> None:
    spec = ScorecardSpec(
        "Three",
        None,
        (
            MeasureSpec("adoption", "Adoption", "Adoption", 50, "linear", 0, 100),
            MeasureSpec("nps", "NPS", "Sentiment", 30, "linear", -100, 100),
            MeasureSpec("csat", "CSAT", "Sentiment", 20, "linear", 1, 5),
        ),
    )
    use_scorecard(store, spec)
    acc = add_account(store)
    # adoption 80 -> 80 pts, nps missing, csat 2.2 -> 30 pts: (50*80 + 20*30) / 70 = 65.714...
    add_weeks(store, acc, MONDAY, [{"active_users": 80, "licensed_users": 100, "csat": 2.2}])
    rescore(store)
    with store.read() as session:
        assert session.scalars(select(HealthScore.score)).one() == 65.7
        why = explain(session, acc, MONDAY)
    assert why.score == pytest.approx(4600 / 70)
    assert [round(line.effective_weight, 2) for line in why.lines] == [71.43, 0.0, 28.57]
    assert sum(line.contribution or 0 for line in why.lines) == pytest.approx(why.score)


@pytest.mark.sqlite_only("stores pulse 2.6 in the integer pulse column, which only SQLite keeps")
def test_any_red_measure_caps_the_band_at_yellow(store) -> None:
    use_scorecard(store)
    acc = add_account(store)
    # adoption 100 % -> 100 pts (w 60), pulse 1 -> 0 pts (w 40): 60 -> yellow anyway;
    # so use adoption 100 and pulse 2.6 -> 40 pts: (6000 + 1600)/100 = 76, green but pulse is red.
    add_weeks(store, acc, MONDAY, [{"active_users": 10, "licensed_users": 10, "pulse": 2.6}])
    rescore(store)
    with store.read() as session:
        row = session.scalars(select(HealthScore)).one()
        session.expunge(row)
        why = explain(session, acc, MONDAY)
    assert row.score == 76.0
    assert row.band is HealthBand.YELLOW
    assert why.capped and [line.is_red for line in why.lines] == [False, True]

    with store.session() as session:
        session.scalars(select(Scorecard)).one().red_caps_at_yellow = False
    rescore(store)
    with store.read() as session:
        assert session.scalars(select(HealthScore.band)).one() is HealthBand.GREEN


def test_no_data_at_all_stores_no_score(store) -> None:
    use_scorecard(store)
    acc = add_account(store)
    add_weeks(store, acc, MONDAY, [{"tickets_new": 3}])  # not a measure of this scorecard
    assert rescore(store) == 0
    with store.read() as session:
        assert explain(session, acc, MONDAY).summary().startswith("No score")


def test_rescore_replaces_only_the_given_accounts(store) -> None:
    use_scorecard(store)
    a = add_account(store, "A")
    b = add_account(store, "B")
    for acc in (a, b):
        add_weeks(store, acc, MONDAY, [{"pulse": 5}, {"pulse": 3}])
    assert rescore(store) == 4
    add_weeks(store, a, MONDAY + timedelta(weeks=2), [{"pulse": 1}])
    assert rescore(store, [a]) == 3
    with store.read() as session:
        counts = dict(
            session.execute(
                select(HealthScore.account_id, func.count()).group_by(HealthScore.account_id)
            ).all()
        )
        assert [p.score for p in score_history(session, a)] == [100.0, 50.0, 0.0]
    assert counts == {a: 3, b: 2}


def test_latest_scores_trend_over_30_and_90_days(store) -> None:
    use_scorecard(store)
    acc = add_account(store)
    # pulse 5 for 6 weeks, then 4, 3, 2: score = (pulse - 1) * 25
    pulses = [5.0] * 6 + [4.0] * 4 + [3.0] * 4 + [2.0] * 1
    add_weeks(store, acc, MONDAY, [{"pulse": p} for p in pulses])
    rescore(store)
    last = MONDAY + timedelta(weeks=len(pulses) - 1)
    with store.read() as session:
        latest = latest_scores(session)[acc]
        why = explain(session, acc, last)
    assert latest.as_of == last
    assert latest.score == 25.0 and latest.band is HealthBand.RED
    # last is week 14. 30 days back = week 9.7 -> week 9 (pulse 4 -> 75 pts): 25 - 75 = -50;
    # 90 days back = week 1.1 -> week 1 (pulse 5 -> 100 pts): -75
    assert latest.trend_30d == -50.0
    assert latest.trend_90d == -75.0
    assert latest.arrow == "↓"
    assert why.previous_score == 75.0
    assert [m.key for m in why.movers] == ["pulse"]
    assert why.movers[0].change == pytest.approx(-50.0)
    assert why.movers[0].previous_raw_text == "4 / 5"


def test_default_scorecards_weigh_100_and_are_seeded_once(store) -> None:
    for spec in default_scorecards():
        assert spec.total_weight == 100, spec.name
    with store.session() as session:
        ensure_default_scorecards(session)
        ensure_default_scorecards(session)
    with store.read() as session:
        specs = load_scorecards(session)
    assert [s.segment for s in specs] == [None, Segment.SMB, Segment.STRATEGIC]
    assert scorecard_for(specs, Segment.STRATEGIC).name == "Strategic"
    assert scorecard_for(specs, Segment.ENTERPRISE).name == "Default"


def test_segment_scorecard_scores_its_accounts(store) -> None:
    smb = add_account(store, "Small", segment=Segment.SMB)
    mid = add_account(store, "Mid")
    week = {"active_users": 50, "licensed_users": 100, "executive_access": False}
    for acc in (smb, mid):
        add_weeks(store, acc, MONDAY, [week])
    rescore(store)  # seeds the defaults
    with store.read() as session:
        scores = {s.account_id: s.score for s in session.scalars(select(HealthScore))}
    # SMB has no executive-access measure: only adoption counts, (50-20)/60 = 50 pts.
    assert scores[smb] == 50.0
    # Default: adoption 50 pts (w 25) + executive access 0 pts (w 6): 1250 / 31 = 40.3
    assert scores[mid] == 40.3


def test_invalid_measures_are_refused() -> None:
    with pytest.raises(ValueError, match="two different ends"):
        MeasureSpec("nps", "NPS", "Sentiment", 10, "linear", 5, 5)
    with pytest.raises(ValueError, match="must rise"):
        MeasureSpec("nps", "NPS", "S", 10, "thresholds", thresholds=((5, 0), (1, 100)))
    with pytest.raises(ValueError, match="at most once"):
        ScorecardSpec("x", None, (ADOPTION, ADOPTION))
    assert TWO_MEASURES.with_measure("pulse", weight=10).measures == (
        ADOPTION,
        MeasureSpec("pulse", PULSE.label, PULSE.group, 10, "linear", 1, 5),
    )


def test_rescore_accepts_a_session_or_a_connection(store) -> None:
    acc = add_account(store)
    add_weeks(store, acc, MONDAY, [{"pulse": 3}, {"pulse": 5}])
    with store.engine.begin() as connection:  # seeds the default scorecards on it too
        assert rescore(connection) == 2
    with store.session() as session:
        assert rescore(session, [acc]) == 2
    with store.read() as session:
        assert len(load_scorecards(session)) == 3
        assert [p.score for p in score_history(session, acc)] == [50.0, 100.0]


def test_raw_values_read_as_the_csm_says_them() -> None:
    from app.services.scorecards import SIGNALS

    assert SIGNALS["tickets_p1"].format(1) == "1 ticket"
    assert SIGNALS["tickets_open"].format(4) == "4 tickets"
    assert SIGNALS["days_since_touch"].format(1) == "1 day"
    assert SIGNALS["hours_to_resolve"].format(12.25) == "12.2 hours"
    assert SIGNALS["adoption"].format(41.52) == "41.5% of licences"
    assert SIGNALS["executive_access"].format(0) == "no"
    assert SIGNALS["nps"].format(None) == "no data"


def test_breakdown_keys_cover_every_signal() -> None:
    assert set(BREAKDOWN_KEYS) == set(SIGNALS)
    assert len(BREAKDOWN_KEYS) == len(set(BREAKDOWN_KEYS))


def test_breakdown_encodes_compactly_and_decodes_to_the_same_points() -> None:
    points = {"pulse": 75.0, "nps": None, "adoption": 12.34, "milestones_slipping": 100.0}
    text = encode_breakdown(points)
    assert text == "4257:12.3,-,75"  # full points (milestones_slipping's 100) left out
    assert int(text.split(":")[0]) == 1 | 1 << 5 | 1 << 7 | 1 << 12
    assert decode_breakdown(text) == {**points, "adoption": 12.3}
    assert decode_breakdown(encode_breakdown({})) == {}
    assert decode_breakdown("") == {}
    assert decode_breakdown("129:") == {"adoption": 100.0, "pulse": 100.0}


def test_many_breakdowns_at_once_are_written_as_one_at_a_time() -> None:
    mask, keys = breakdown_layout(["adoption", "nps", "pulse"])
    rows = [[100.0, np.nan, 75.04], [0.0, 99.96, 100.0], [np.nan, np.nan, np.nan], [66.66, 7, 100]]
    texts = encode_breakdowns(mask, np.array(rows))
    assert texts == ["161:,-,75", "161:0", "161:-,-,-", "161:66.7,7"]
    for text, row in zip(texts, rows, strict=True):
        points = {k: None if np.isnan(v) else float(v) for k, v in zip(keys, row, strict=True)}
        assert text == encode_breakdown(points)


def test_stored_breakdown_matches_explain_for_every_default_measure(store) -> None:
    acc = add_account(store)
    add_weeks(
        store,
        acc,
        MONDAY,
        [{"active_users": 30, "licensed_users": 60, "pulse": 4, "nps": 20, "tickets_open": 3}],
    )
    rescore(store)
    with store.read() as session:
        (point,) = score_history(session, acc)
        why = explain(session, acc, MONDAY)
    assert point.breakdown == {
        line.key: None if line.points is None else round(line.points, 1) for line in why.lines
    }
    assert any(value is None for value in point.breakdown.values())
