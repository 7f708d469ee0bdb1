"""Demo customers: hierarchies with names, segments, revenue lines, contracts and renewals."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta

from app.models.enums import (
    ContractStatus,
    ForecastCategory,
    LifecycleStage,
    RenewalOutcome,
    Segment,
)
from app.services.demo import words
from app.services.demo.context import DemoContext
from app.services.money import to_minor

#: How the book's health will develop, drawn per account: most are fine, some slide.
PROFILES = {"healthy": 50, "improving": 15, "declining": 22, "struggling": 13}
#: Hierarchy ARR ranges in USD by segment (log-uniform inside).
SEGMENT_ARR = {
    Segment.STRATEGIC: (1_000_000, 6_000_000),
    Segment.ENTERPRISE: (250_000, 1_000_000),
    Segment.MID_MARKET: (50_000, 250_000),
    Segment.SMB: (8_000, 50_000),
}
SEGMENT_WEIGHTS = {
    Segment.STRATEGIC: 6,
    Segment.ENTERPRISE: 18,
    Segment.MID_MARKET: 40,
    Segment.SMB: 36,
}
EMEA_CURRENCIES = {"EUR": 55, "GBP": 30, "USD": 15}
#: Units of the currency per US dollar (demo rates).
FX = {"USD": 1.0, "EUR": 0.92, "GBP": 0.79}
#: Licence list price per user and year, in USD.
SEAT_PRICE = 900


@dataclass
class AccountPlan:
    """One account as drawn, before and while its rows are written."""

    id: str
    parent_id: str | None
    depth: int
    name: str
    industry: str
    region: str
    currency: str
    owner: str
    segment: Segment
    arr_usd: float
    profile: str
    domain: str
    licences: int
    created_on: date
    arr_minor: int = 0
    overdue_minor: int = 0
    credits_minor: int = 0
    next_renewal: date | None = None
    has_exec_sponsor: bool = False
    people: list[str] = field(default_factory=list)

    def money(self, usd: float) -> int:
        """``usd`` in this account's currency, as minor units rounded to whole hundreds."""
        return to_minor(round(usd * FX[self.currency] / 100.0) * 100, self.currency)


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "", ascii_text.lower())


def _repeats_a_word(name: str) -> bool:
    """Whether a name says a word twice ("Solar Wolf Engineering Finance Finance")."""
    said = name.lower().replace("&", " ").split()
    return len(said) != len(set(said))


def _company_name(ctx: DemoContext, industry: str, region: str) -> str:
    rng = ctx.rng
    fallback = ""
    for _ in range(1000):
        head = rng.choice(words.NAME_HEADS)
        form = rng.random()
        if form < 0.55:
            stem = head + rng.choice(words.NAME_TAILS)
        elif form < 0.8:
            stem = f"{head} {rng.choice(words.NAME_HEADS)}"
        else:
            stem = f"{head} & {rng.choice(words.LAST_NAMES)}"
        noun = rng.choice(words.INDUSTRIES[industry])
        suffix = rng.choice(words.LEGAL_SUFFIXES[region])
        name = f"{stem} {noun}" + (f" {suffix}" if suffix else "")
        if _repeats_a_word(name):
            continue
        fallback = f"{stem} {noun}"
        key = name.lower()
        if key not in ctx.used_company_names:
            ctx.used_company_names.add(key)
            return name
    # Word lists exhausted (hundreds of thousands of accounts): number the name.
    name = f"{fallback or rng.choice(words.NAME_HEADS)} {len(ctx.used_company_names)}"
    ctx.used_company_names.add(name.lower())
    return name


_LEGAL_SUFFIX = re.compile(
    "("
    + "|".join(sorted({re.escape(f" {s}") for v in words.LEGAL_SUFFIXES.values() for s in v if s}))
    + ")$"
)


def _unit_name(ctx: DemoContext, parent: str, region: str, depth: int) -> tuple[str, str]:
    """A subsidiary's unique name and region: a country unit (first level) or a business unit."""
    rng = ctx.rng
    base = _LEGAL_SUFFIX.sub("", parent)
    for _ in range(50):
        if depth == 1 and rng.random() < 0.6:
            unit_region = region if rng.random() < 0.5 else ctx.pick_weighted(words.REGION_WEIGHTS)
            name = f"{base} {rng.choice(words.REGIONS[unit_region])}"
        else:
            unit_region = region
            name = f"{base} {rng.choice(words.BUSINESS_UNITS)}"
        if _repeats_a_word(name):
            continue  # a unit of "... Finance" is not "... Finance Finance"
        if name.lower() not in ctx.used_company_names:
            ctx.used_company_names.add(name.lower())
            return name, unit_region
    name = f"{base} Unit {len(ctx.used_company_names)}"
    ctx.used_company_names.add(name.lower())
    return name, region


def _shape(ctx: DemoContext, remaining: int) -> list[int]:
    """Depth of each account of one hierarchy, parents before their children (0 = top)."""
    rng = ctx.rng
    roll = rng.random()
    if roll < 0.55 or remaining == 1:
        return [0]
    if roll < 0.85:
        depths = [0] + [1] * rng.randint(1, 4)
    else:
        depths = [0]
        for _ in range(rng.randint(2, 3)):
            depths.append(1)
            depths.extend([2] * rng.randint(0, 3))
    return depths[:remaining]


def plan_hierarchy(ctx: DemoContext, remaining: int) -> list[AccountPlan]:
    """Draw one customer: its top-level account and subsidiaries, at most ``remaining``."""
    rng = ctx.rng
    depths = _shape(ctx, remaining)
    industry = rng.choice(list(words.INDUSTRIES))
    region = ctx.pick_weighted(words.REGION_WEIGHTS)
    # A whole hierarchy bills in one currency; only European customers pay in EUR or GBP.
    currency = ctx.pick_weighted(EMEA_CURRENCIES) if region == "EMEA" else "USD"
    segment = Segment(ctx.pick_weighted({s.value: w for s, w in SEGMENT_WEIGHTS.items()}))
    low, high = SEGMENT_ARR[segment]
    total = low * (high / low) ** rng.random()
    owner = rng.choice(words.CSM_OWNERS)
    shares = [rng.uniform(1.5, 3.0) if d == 0 else rng.uniform(0.3, 1.0) / d for d in depths]
    share_sum = sum(shares)
    plans: list[AccountPlan] = []
    parents: dict[int, AccountPlan] = {}
    top_name = _company_name(ctx, industry, region)
    domain = _slug(top_name.split(" ")[0]) + ".example"
    for depth, share in zip(depths, shares, strict=True):
        if depth == 0:
            name, unit_region = top_name, region
        else:
            parent = parents[depth - 1]
            name, unit_region = _unit_name(ctx, parent.name, parent.region, depth)
        arr_usd = total * share / share_sum
        plan = AccountPlan(
            id=ctx.new_account_id(),
            parent_id=parents[depth - 1].id if depth else None,
            depth=depth,
            name=name,
            industry=industry,
            region=unit_region,
            currency=currency,
            owner=owner if rng.random() < 0.85 else rng.choice(words.CSM_OWNERS),
            segment=segment,
            arr_usd=arr_usd,
            profile=ctx.pick_weighted(PROFILES),
            domain=domain,
            licences=max(5, int(arr_usd * rng.uniform(0.5, 0.9) / SEAT_PRICE)),
            created_on=ctx.days_ago(rng.randint(740, 2200)),
        )
        parents[depth] = plan
        plans.append(plan)
    return plans


def _tier(arr_usd: float) -> int:
    return 1 if arr_usd >= 500_000 else 2 if arr_usd >= 100_000 else 3 if arr_usd >= 25_000 else 4


def write_contracts(ctx: DemoContext, plan: AccountPlan) -> None:
    """Contracts whose end dates spread over the past weeks and the next 18 months."""
    rng = ctx.rng
    lines = 1 if plan.arr_usd < 40_000 else rng.choice((1, 2, 2, 3))
    weights = [rng.uniform(1, 3) for _ in range(lines)]
    products = rng.sample(words.PRODUCTS, lines)
    total_minor = 0
    upcoming: list[date] = []
    for index, (weight, product) in enumerate(zip(weights, products, strict=True)):
        value = plan.money(plan.arr_usd * weight / sum(weights))
        end = ctx.days_ago(-rng.randint(-75, 545))
        # Long enough that the current term has started: a contract ending in 17 months
        # cannot be a one-year deal.
        term_years = max(rng.choice((1, 1, 2, 3)), 1 + (end - ctx.today).days // 365)
        notice = rng.choice((30, 60, 90, 90, 120))
        auto = rng.random() < 0.35
        name = f"{plan.name.split(' ')[0]} {product} {end.year}"
        contract = _contract(ctx, plan, name, product, end, term_years, value, notice, auto)
        if end < ctx.today:
            outcome = _past_outcome(ctx, plan)
            follow_on_value = {
                RenewalOutcome.RENEWED: value,
                RenewalOutcome.EXPANDED: value * rng.randint(110, 140) // 10000 * 100,
                RenewalOutcome.DOWNSOLD: value * rng.randint(60, 90) // 10000 * 100,
                RenewalOutcome.CHURNED: 0,
            }[outcome]
            follow_on = None
            if outcome is not RenewalOutcome.CHURNED or index == 0:
                # The main line never churns outright: a churned renewal is a lost product.
                if outcome is RenewalOutcome.CHURNED:
                    outcome, follow_on_value = RenewalOutcome.DOWNSOLD, value * 7 // 1000 * 100
                new_end = end + timedelta(days=365 * term_years)
                follow_on = _contract(
                    ctx,
                    plan,
                    f"{name[:-4]}{new_end.year}",
                    product,
                    new_end,
                    term_years,
                    follow_on_value,
                    notice,
                    auto,
                )
                total_minor += follow_on_value
                upcoming.append(new_end)
            contract["status"] = (
                ContractStatus.CHURNED if follow_on is None else ContractStatus.RENEWED
            )
            ctx.emit(
                "renewal",
                {
                    "id": ctx.new_id(),
                    "contract_id": contract["id"],
                    "forecast": ForecastCategory.LOST
                    if follow_on is None
                    else ForecastCategory.COMMIT,
                    "likelihood": 0 if follow_on is None else 100,
                    "forecast_on": end - timedelta(days=rng.randint(30, 120)),
                    "next_step": None,
                    "outcome": outcome,
                    "outcome_on": end - timedelta(days=rng.randint(0, 20)),
                    "reason": _outcome_reason(outcome),
                    "new_contract_id": None if follow_on is None else follow_on["id"],
                    "created_at": ctx.stamp(end - timedelta(days=150)),
                    "updated_at": ctx.stamp(min(end, ctx.today)),
                },
            )
        else:
            total_minor += value
            upcoming.append(end)
            if (end - ctx.today).days <= 365:
                _forecast(ctx, plan, contract, end)
    plan.arr_minor = total_minor
    plan.next_renewal = min(upcoming) if upcoming else None


def _contract(
    ctx: DemoContext,
    plan: AccountPlan,
    name: str,
    product: str,
    end: date,
    years: int,
    value: int,
    notice: int,
    auto: bool,
) -> dict[str, object]:
    start = end - timedelta(days=365 * years - 1)
    row = {
        "id": ctx.new_id(),
        "account_id": plan.id,
        "name": name,
        "products": product,
        "start_date": start,
        "end_date": end,
        "value_minor": value,
        "currency": plan.currency,
        "notice_days": notice,
        "auto_renew": auto,
        "status": ContractStatus.ACTIVE,
        "external_id": f"CTR-{ctx.rng.randint(100000, 999999)}",
        "created_at": ctx.stamp(min(start, ctx.today)),
        "updated_at": ctx.stamp(min(start, ctx.today)),
    }
    ctx.emit("contract", row)
    return row


def _past_outcome(ctx: DemoContext, plan: AccountPlan) -> RenewalOutcome:
    if plan.profile in ("declining", "struggling"):
        weights = {"renewed": 50, "expanded": 5, "downsold": 30, "churned": 15}
    else:
        weights = {"renewed": 60, "expanded": 30, "downsold": 8, "churned": 2}
    return RenewalOutcome(ctx.pick_weighted(weights))


def _outcome_reason(outcome: RenewalOutcome) -> str:
    return {
        RenewalOutcome.RENEWED: "Renewed on the same terms.",
        RenewalOutcome.EXPANDED: "Added licences for new teams.",
        RenewalOutcome.DOWNSOLD: "Fewer licences after a budget review.",
        RenewalOutcome.CHURNED: "Product dropped: moved to a competitor's suite.",
    }[outcome]


def _forecast(ctx: DemoContext, plan: AccountPlan, contract: dict[str, object], end: date) -> None:
    rng = ctx.rng
    if plan.profile in ("declining", "struggling"):
        category = ctx.pick_weighted({"at_risk": 55, "likely": 35, "commit": 10})
    else:
        category = ctx.pick_weighted({"commit": 45, "likely": 45, "at_risk": 10})
    likelihood = {
        "commit": rng.randint(85, 98),
        "likely": rng.randint(60, 84),
        "at_risk": rng.randint(15, 55),
    }[category]
    ctx.emit(
        "renewal",
        {
            "id": ctx.new_id(),
            "contract_id": contract["id"],
            "forecast": category,
            "likelihood": likelihood,
            "forecast_on": ctx.days_ago(rng.randint(0, 45)),
            "next_step": rng.choice(words.NEXT_STEPS),
            "outcome": None,
            "outcome_on": None,
            "reason": None,
            "new_contract_id": None,
            "created_at": ctx.stamp(ctx.days_ago(rng.randint(46, 120))),
            "updated_at": ctx.stamp(ctx.days_ago(rng.randint(0, 45))),
        },
    )


def write_account(ctx: DemoContext, plan: AccountPlan) -> None:
    """The account row with its revenue lines (call after ``write_contracts``)."""
    rng = ctx.rng
    arr = plan.arr_minor
    weak = plan.profile in ("declining", "struggling")

    def share(probability: float, low: float, high: float) -> int:
        if rng.random() >= probability:
            return 0
        return int(arr * rng.uniform(low, high)) // 10000 * 10000

    usage_target = share(0.4, 0.1, 0.3)
    plan.overdue_minor = share(0.3 if weak else 0.1, 0.01, 0.1)
    plan.credits_minor = share(0.25 if weak else 0.08, 0.005, 0.04)
    soon = plan.next_renewal is not None and (plan.next_renewal - ctx.today).days <= 120
    if soon and rng.random() < 0.7:
        stage = LifecycleStage.RENEWAL
    else:
        stage = LifecycleStage(
            ctx.pick_weighted(
                {
                    "onboarding": 10,
                    "adoption": 30,
                    "value_realisation": 40,
                    "expansion": 5 if weak else 20,
                }
            )
        )
    ctx.emit(
        "account",
        {
            "id": plan.id,
            "parent_id": plan.parent_id,
            "name": plan.name,
            "industry": plan.industry,
            "segment": plan.segment,
            "tier": _tier(plan.arr_usd),
            "region": plan.region,
            "owner": plan.owner,
            "lifecycle_stage": stage,
            "currency": plan.currency,
            "arr_minor": arr,
            "baseline_revenue_minor": int(arr * rng.uniform(0.85, 1.05)) // 10000 * 10000,
            "forecast_revenue_minor": share(0.35, 0.05, 0.3),
            "usage_target_minor": usage_target,
            "usage_actual_minor": int(
                usage_target * rng.uniform(0.5, 0.9)
                if weak
                else usage_target * rng.uniform(0.8, 1.25)
            )
            // 100
            * 100,
            "price_erosion_minor": share(0.2, 0.01, 0.05),
            "terminations_minor": share(0.2 if weak else 0.05, 0.02, 0.15),
            "service_credits_minor": plan.credits_minor,
            "overdue_debt_minor": plan.overdue_minor,
            "licences": plan.licences,
            "external_id": f"CRM-{rng.randint(1000000, 9999999)}",
            "notes": None,
            "created_at": ctx.stamp(plan.created_on),
            "updated_at": ctx.stamp(ctx.days_ago(rng.randint(0, 30))),
        },
    )
