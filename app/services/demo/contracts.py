"""Demo contracts and renewals: terms ending over the past weeks and the next 18 months,
outcomes of the terms already ended, forecast calls on the open ones."""

from __future__ import annotations

from datetime import date, timedelta

from app.models.enums import ContractStatus, ForecastCategory, RenewalOutcome
from app.services.demo import words
from app.services.demo.accounts import AccountPlan
from app.services.demo.context import DemoContext


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
