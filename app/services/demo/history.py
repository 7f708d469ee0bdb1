"""Demo health history: two years of weekly metric snapshots, touches and survey answers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from app.models.enums import SurveyKind
from app.services.demo import words
from app.services.demo.accounts import AccountPlan
from app.services.demo.context import DemoContext, clamp
from app.services.demo.people import PeopleFacts

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

    This loop makes most of the demo's rows, so it stays lean: no helper calls per week, and
    rows are tuples in ``SNAPSHOT_COLUMNS`` order with dates already as ISO text.
    """
    rng = ctx.rng
    random = rng.random
    weeks = ctx.weeks
    count = len(weeks)
    licences = plan.licences
    turn = trend.turn
    span = max(1, count - 1 - turn)
    weak = 1.0 if plan.profile in ("declining", "struggling") else 0.0
    overdue_from = count - (rng.randint(3, 20) if plan.overdue_minor else 0)
    overdue = plan.overdue_minor
    credit_week = count - rng.randint(1, 30) if plan.credits_minor else -1
    credits = plan.credits_minor
    pulse_base = 2.5 if plan.profile == "struggling" else 4.7
    sponsor = plan.has_exec_sponsor
    adoption_from, adoption_step = trend.adoption_from, trend.adoption_to - trend.adoption_from
    nps_from, nps_step = trend.nps_from, trend.nps_to - trend.nps_from
    tickets_base, tickets_step = trend.tickets_base, trend.tickets_base * (trend.tickets_factor - 1)
    touch_days = [day.toordinal() for day in touches]
    touch_count = len(touch_days)
    touch_index = 0
    last_touch = ctx.history_start.toordinal() - rng.randint(0, 20)
    tickets_open = tickets_base * 2
    nps_levels: list[float] = []
    account_id = plan.id
    new_id = ctx.new_id
    rows = ctx.snapshot_rows
    as_of_texts = ctx.week_texts
    for index, as_of in enumerate(weeks):
        progress = 0.0 if index <= turn else (index - turn) / span
        slide = progress * weak
        nps = nps_from + nps_step * progress
        nps_levels.append(nps)
        day = as_of.toordinal()
        while touch_index < touch_count and touch_days[touch_index] <= day:
            last_touch = touch_days[touch_index]
            touch_index += 1
        tickets_new = int(
            (tickets_base + tickets_step * progress) * (0.4 + 1.2 * random()) + random()
        )
        tickets_open = tickets_open * 0.55 + tickets_new
        pulse = int(pulse_base - 2.2 * slide + random() - 0.5)
        roll = random()
        if roll < 0.005:  # a week nothing was collected
            signals: tuple[object, ...] = (None,) * 7
        else:
            signals = (
                tickets_new,
                int(tickets_open),
                1 if random() < 0.02 + 0.15 * slide else 0,
                float(int(18 + 30 * random() + 40 * slide)),
                day - last_touch,
                sponsor and (progress < 0.5 or random() < 0.5),
                1 if pulse < 1 else 5 if pulse > 5 else pulse,
            )
        if roll > 0.015:  # the usage feed misses about one week in seventy
            active = int(
                licences * (adoption_from + adoption_step * progress) * (0.93 + 0.14 * random())
            )
            usage: tuple[int | None, int | None] = (
                licences if active > licences else active,
                licences,
            )
        else:
            usage = (None, None)
        if random() > 0.04:  # survey-based figures are missing now and then
            score = nps + 10 * random() - 5
            csat = 3.6 + nps / 60 + 0.4 * random() - 0.2
            surveys: tuple[float | None, float | None] = (
                float(int(-100 if score < -100 else 100 if score > 100 else score)),
                int(10 * (1 if csat < 1 else 5 if csat > 5 else csat)) / 10,
            )
        else:
            surveys = (None, None)
        rows.append(
            (
                new_id(),
                account_id,
                as_of_texts[index],
                *usage,
                *signals[:4],
                *surveys,
                *signals[4:6],
                overdue if index >= overdue_from else 0,
                credits if index == credit_week else 0,
                int(3 * slide * random()) if weak else int(random() < 0.03),
                signals[6],
            )
        )
    return nps_levels


#: Order of the values in each snapshot tuple (the ``metric_snapshot`` table's columns).
SNAPSHOT_COLUMNS = (
    "id",
    "account_id",
    "as_of",
    "active_users",
    "licensed_users",
    "tickets_new",
    "tickets_open",
    "tickets_p1",
    "hours_to_resolve",
    "nps",
    "csat",
    "days_since_touch",
    "executive_access",
    "overdue_invoices_minor",
    "service_credits_minor",
    "milestones_slipping",
    "pulse",
)


def write_surveys(
    ctx: DemoContext, plan: AccountPlan, people: PeopleFacts, nps_levels: list[float]
) -> None:
    """Half-yearly NPS campaigns answered by a few stakeholders, and CSAT after tickets."""
    rng = ctx.rng
    if not people.ids:
        return
    count = len(ctx.weeks)
    for campaign in range(4):
        week = count - 1 - 4 - campaign * 26
        for stakeholder in rng.sample(people.ids, min(len(people.ids), rng.randint(1, 3))):
            score = int(clamp(round(7.4 + nps_levels[week] / 22 + rng.gauss(0, 1.3)), 0, 10))
            _survey(
                ctx,
                plan,
                stakeholder,
                SurveyKind.NPS,
                score,
                ctx.weeks[week] + timedelta(days=rng.randint(0, 10)),
            )
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


def _survey(
    ctx: DemoContext, plan: AccountPlan, stakeholder: str, kind: SurveyKind, score: int, day: date
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
