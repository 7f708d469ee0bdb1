"""Demo customers: hierarchies with names, segments and revenue lines (``contracts`` writes
their contracts and renewals)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from app.models.enums import LifecycleStage, Segment
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
