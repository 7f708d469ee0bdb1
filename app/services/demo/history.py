"""Demo health history: two years of weekly metric snapshots, touches and survey answers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from app.models.enums import SurveyKind
from app.services.demo import words
from app.services.demo.accounts import AccountPlan
from app.services.demo.context import DemoContext, clamp
from app.services.demo.people import PeopleFacts
from app.services.scoring import SIGNAL_COLUMNS
from app.services.surveys import NPS_WINDOW_DAYS

#: Days between meaningful touches, by segment, when all is well.
CADENCE = {"strategic": 8, "enterprise": 14, "mid_market": 24, "smb": 40}


@dataclass
class Trend:
    """An account's trajectory: where its signals start, end, and when a slide begins."""

    adoption_from: float
    adoption_to: float
    nps_from: float
    nps_to: float
    tickets_base: float
    tickets_factor: float
    #: Index of the week the change starts (linear from there to the last week).
    turn: int


def draw_trend(ctx: DemoContext, plan: AccountPlan) -> Trend:
    """Most accounts are stable or improving; declining ones slide over the last months."""
    rng = ctx.rng
    weeks = len(ctx.weeks)
    adoption = rng.uniform(0.6, 0.92)
    nps = rng.uniform(15, 60)
    tickets = max(0.3, (plan.licences**0.5) / 6 * rng.uniform(0.6, 1.4))
    if plan.profile == "improving":
        return Trend(
            rng.uniform(0.3, 0.5),
            adoption,
            rng.uniform(-30, 5),
            nps,
            tickets,
            0.6,
            rng.randint(10, 60),
        )
    if plan.profile == "declining":
        return Trend(
            adoption,
            adoption * rng.uniform(0.45, 0.7),
            nps,
            rng.uniform(-45, -5),
            tickets,
            rng.uniform(2.0, 3.5),
            weeks - rng.randint(8, 26),
        )
    if plan.profile == "struggling":
        low = rng.uniform(0.25, 0.45)
        return Trend(
            low,
            low * rng.uniform(0.9, 1.1),
            rng.uniform(-40, 0),
            rng.uniform(-40, 0),
            tickets * 1.8,
            1.0,
            0,
        )
    return Trend(
        adoption,
        adoption * rng.uniform(0.97, 1.06),
        nps,
        nps + rng.uniform(-8, 8),
        tickets,
        rng.uniform(0.8, 1.1),
        rng.randint(0, weeks - 1),
    )


def draw_touches(ctx: DemoContext, plan: AccountPlan, trend: Trend) -> list[date]:
    """Dates of meaningful touches over the history; declining accounts get neglected."""
    rng = ctx.rng
    cadence = CADENCE[plan.segment.value]
    neglect_from = ctx.weeks[trend.turn] if plan.profile == "declining" else ctx.today
    touches: list[date] = []
    day = ctx.history_start - timedelta(days=rng.randint(0, cadence))
    while True:
        gap = cadence * (2.5 if day >= neglect_from else 1.0) * rng.uniform(0.5, 1.5)
        day += timedelta(days=max(1, round(gap)))
        if day > ctx.today:
            return touches
        touches.append(day)


def write_snapshots(
    ctx: DemoContext, plan: AccountPlan, trend: Trend, touches: list[date]
) -> list[float]:
    """One MetricSnapshot per week; returns the NPS level per week for the survey answers.

    Most of the demo's rows are made here, so each account's 105 weeks are computed as numpy
    columns and zipped into tuples in ``SNAPSHOT_COLUMNS`` order (dates already ISO text).
    """
    rng = ctx.rng
    count = len(ctx.weeks)
    licences = plan.licences
    weak = 1.0 if plan.profile in ("declining", "struggling") else 0.0
    overdue_from = count - (rng.randint(3, 20) if plan.overdue_minor else 0)
    credit_week = count - rng.randint(1, 30) if plan.credits_minor else -1
    first_touch = ctx.history_start.toordinal() - rng.randint(0, 20)
    noise = ctx.np_rng.random((12, count))
    index = ctx.week_index
    progress = np.clip((index - trend.turn) / max(1, count - 1 - trend.turn), 0.0, None)
    slide = progress * weak
    nps = trend.nps_from + (trend.nps_to - trend.nps_from) * progress
    adoption = trend.adoption_from + (trend.adoption_to - trend.adoption_from) * progress
    rate = trend.tickets_base * (1 + (trend.tickets_factor - 1) * progress)
    tickets_new = (rate * (0.4 + 1.2 * noise[0]) + noise[1]).astype(np.int64).tolist()
    tickets_open: list[int | None] = []
    backlog = trend.tickets_base * 2
    for new in tickets_new:
        backlog = backlog * 0.55 + new
        tickets_open.append(int(backlog))
    touch_days = np.array([first_touch] + [day.toordinal() for day in touches], dtype=np.int64)
    last_touch = touch_days[np.searchsorted(touch_days, ctx.week_ordinals, side="right") - 1]
    pulse = np.clip(
        np.trunc(4.7 - 2.2 * (plan.profile == "struggling") - 2.2 * slide + noise[2] - 0.5), 1, 5
    )
    if weak:
        slipping = (3 * slide * noise[3]).astype(np.int64)
    else:
        slipping = (noise[3] < 0.03).astype(np.int64)
    active = np.minimum(licences, (licences * adoption * (0.93 + 0.14 * noise[4])).astype(np.int64))
    columns: list[list[object]] = [
        [plan.id] * count,
        list(ctx.week_texts),
        active.tolist(),
        [licences] * count,
        list(tickets_new),
        list(tickets_open),
        (noise[5] < 0.02 + 0.15 * slide).astype(np.int64).tolist(),
        np.floor(18 + 30 * noise[6] + 40 * slide).tolist(),
        np.trunc(np.clip(nps + 10 * noise[7] - 5, -100, 100)).tolist(),
        (np.trunc(10 * np.clip(3.6 + nps / 60 + 0.4 * noise[8] - 0.2, 1, 5)) / 10).tolist(),
        (ctx.week_ordinals - last_touch).tolist(),
        (plan.has_exec_sponsor & ((progress < 0.5) | (noise[9] < 0.5))).tolist(),
        np.where(index >= overdue_from, plan.overdue_minor, 0).tolist(),
        np.where(index == credit_week, plan.credits_minor, 0).tolist(),
        slipping.tolist(),
        pulse.astype(np.int64).tolist(),
    ]
    # Missing data: a week nothing was collected, the usage feed missing about one week in
    # seventy, survey-based figures missing now and then.
    for week in np.flatnonzero(noise[10] < 0.005).tolist():
        for column in _SIGNAL_COLUMNS:
            columns[column][week] = None
    for week in np.flatnonzero(noise[10] < 0.015).tolist():
        columns[_ACTIVE][week] = columns[_LICENSED][week] = None
    for week in np.flatnonzero(noise[11] < 0.04).tolist():
        columns[_NPS][week] = columns[_CSAT][week] = None
    ctx.snapshot_rows.extend(zip(*columns, strict=True))
    return list(nps.tolist())


#: Order of the values in each snapshot tuple (the ``metric_snapshot`` table's columns).
SNAPSHOT_COLUMNS = ("account_id", "as_of", *SIGNAL_COLUMNS)
_ACTIVE, _LICENSED, _NPS, _CSAT = (
    SNAPSHOT_COLUMNS.index(name) for name in ("active_users", "licensed_users", "nps", "csat")
)
# Positions of the signals blanked in a week when nothing was collected.
_SIGNAL_COLUMNS = tuple(
    SNAPSHOT_COLUMNS.index(name)
    for name in (
        "tickets_new",
        "tickets_open",
        "tickets_p1",
        "hours_to_resolve",
        "days_since_touch",
        "executive_access",
        "pulse",
    )
)


#: Weeks between NPS campaigns, and answers per campaign.
CAMPAIGN_WEEKS = 13
CAMPAIGN_ANSWERS = 4


def write_surveys(
    ctx: DemoContext, plan: AccountPlan, people: PeopleFacts, nps_levels: list[float]
) -> None:
    """Quarterly NPS campaigns whose answers make the account's weekly NPS, and CSAT answers.

    Each campaign's promoters and detractors are drawn so its NPS is the NPS level of its
    week; the weekly snapshots' NPS column is then the rolling year of those answers, the
    figure the health score reads (``app.services.surveys``): one NPS in the demo too.
    """
    rng = ctx.rng
    if not people.ids:
        return
    count = len(ctx.weeks)
    days: list[int] = []
    scores: list[int] = []
    for week in range(count - 1 - 2, -1, -CAMPAIGN_WEEKS):
        answered = rng.sample(people.ids, min(len(people.ids), CAMPAIGN_ANSWERS))
        respondents: list[str | None] = [*answered]
        respondents += [None] * (CAMPAIGN_ANSWERS - len(answered))  # users we have no card for
        for stakeholder, score in zip(
            respondents, _campaign_scores(ctx, nps_levels[week]), strict=True
        ):
            day = min(ctx.weeks[week] + timedelta(days=rng.randint(0, 6)), ctx.today)
            _survey(ctx, plan, stakeholder, SurveyKind.NPS, score, day)
            days.append(day.toordinal())
            scores.append(score)
    _weekly_nps_from_answers(ctx, count, days, scores)
    for _ in range(rng.randint(1, 4)):
        week = rng.randint(count - 52, count - 1)
        score = int(clamp(round(3.8 + nps_levels[week] / 60 + rng.gauss(0, 0.7)), 1, 5))
        _survey(
            ctx,
            plan,
            rng.choice(people.present or people.ids),
            SurveyKind.CSAT,
            score,
            ctx.weeks[week],
        )


def _campaign_scores(ctx: DemoContext, level: float) -> list[int]:
    """``CAMPAIGN_ANSWERS`` 0-10 answers whose NPS is ``level`` as near as they can make it."""
    rng = ctx.rng
    n = CAMPAIGN_ANSWERS
    net = int(clamp(round(level * n / 100), -n, n))
    pairs = rng.randint(0, (n - abs(net)) // 2)
    promoters = max(net, 0) + pairs
    detractors = max(-net, 0) + pairs
    answers = [rng.choice((9, 10)) for _ in range(promoters)]
    answers += [rng.randint(2, 6) for _ in range(detractors)]
    answers += [rng.choice((7, 8)) for _ in range(n - promoters - detractors)]
    rng.shuffle(answers)
    return answers


def _weekly_nps_from_answers(
    ctx: DemoContext, count: int, days: list[int], scores: list[int]
) -> None:
    """Set this account's weekly NPS column (its ``count`` rows just queued) to the rolling
    year of its answers, as the health score reads it."""
    order = np.argsort(days, kind="stable")
    day = np.array(days, dtype=np.int64)[order]
    score = np.array(scores, dtype=np.int64)[order]
    promoters = np.concatenate(([0], np.cumsum(score >= 9)))
    detractors = np.concatenate(([0], np.cumsum(score <= 6)))
    hi = np.searchsorted(day, ctx.week_ordinals, side="right")
    lo = np.searchsorted(day, ctx.week_ordinals - (NPS_WINDOW_DAYS - 1), side="left")
    answered = hi - lo
    net = (promoters[hi] - promoters[lo]) - (detractors[hi] - detractors[lo])
    rows = ctx.snapshot_rows
    first = len(rows) - count
    for week in range(count):
        value = None if not answered[week] else float(round(100.0 * net[week] / answered[week]))
        row = rows[first + week]
        rows[first + week] = (*row[:_NPS], value, *row[_NPS + 1 :])


def _survey(
    ctx: DemoContext,
    plan: AccountPlan,
    stakeholder: str | None,
    kind: SurveyKind,
    score: int,
    day: date,
) -> None:
    ctx.emit(
        "survey_response",
        {
            "id": ctx.new_id(),
            "account_id": plan.id,
            "stakeholder_id": stakeholder,
            "kind": kind,
            "score": score,
            "comment": ctx.rng.choice(words.SURVEY_COMMENTS),
            "responded_on": min(day, ctx.today),
        },
    )
