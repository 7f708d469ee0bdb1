"""Opportunities and deals from a CRM: its stage and type read into ours, its own words kept."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from app.imports.records import Issue
from app.imports.vocabulary import normalise_header, renewal_deal_types
from app.models.enums import (
    ContractStatus,
    ForecastCategory,
    OpportunityKind,
    OpportunityStage,
    RenewalOutcome,
)
from app.services.labels import quoted

#: Words in a CRM's opportunity type that say which kind of opportunity it is.
_KIND_WORDS = (
    (re.compile(r"cross", re.IGNORECASE), OpportunityKind.CROSS_SELL),
    (
        re.compile(r"downgrade|change|replace|amend|macd|move|cancel", re.IGNORECASE),
        OpportunityKind.MACD,
    ),
    (re.compile(r"new (business|customer|logo)", re.IGNORECASE), OpportunityKind.CROSS_SELL),
)
_RENEWAL = re.compile(r"renew", re.IGNORECASE)


def opportunity_kind(crm_type: str | None) -> OpportunityKind:
    """Our kind for the CRM's type: cross-sell, a MACD change, else an up-sell (an upgrade,
    expansion, add-on or renewal of an existing customer)."""
    for pattern, kind in _KIND_WORDS:
        if crm_type and pattern.search(crm_type):
            return kind
    return OpportunityKind.UPSELL


def opportunity_stage(crm_stage: str | None) -> OpportunityStage:
    """Our stage for the CRM's: won, lost, or with sales (any open stage of its pipeline)."""
    if crm_stage is None:
        return OpportunityStage.IDENTIFIED
    text = crm_stage.casefold()
    if "won" in text or text in ("closed", "closedwon"):
        return OpportunityStage.WON
    if "lost" in text or "dead" in text or "cancel" in text:
        return OpportunityStage.LOST
    return OpportunityStage.HANDED_TO_SALES


def is_renewal(values: dict[str, Any]) -> bool:
    """True for a deal the CRM types as a renewal: a type its source uses for renewals
    (Salesforce "Existing Customer - Renewal", HubSpot "existingbusiness", Zoho "Existing
    Business"; the catalogue's ``renewal_types``), or a type or pipeline saying "renew"."""
    crm_type = values.get("crm_type") or ""
    if crm_type and normalise_header(crm_type) in renewal_deal_types():
        return True
    return bool(_RENEWAL.search(crm_type) or _RENEWAL.search(values.get("pipeline") or ""))


def renewal_terms(
    issues: list[Issue], row: int, deal: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """A renewal deal read as (contract values, renewal values); None (issue added) when the
    deal lacks what a contract needs.

    The close date is the date the contract renews: the contract ends then, after a year's
    term. The amount is its annual value. An open deal is an active contract whose renewal
    carries the deal's probability and next step (and a forecast from the probability); a
    won deal renewed it, a lost one churned, on the close date.
    """
    title = deal.get("title")
    end: date | None = deal.get("expected_close_on")
    if end is None:
        issues.append(
            Issue(
                row,
                f"The renewal deal {quoted(str(title))} has no Close Date (its contract's "
                "renewal date).",
                "Close Date",
            )
        )
        return None
    stage = opportunity_stage(deal.get("crm_stage"))
    probability = deal.get("probability")
    contract: dict[str, Any] = {
        "name": title,
        "end_date": end,
        "start_date": end - timedelta(days=365),
        "value_minor": deal.get("value_minor", 0),
        "external_id": deal.get("external_id"),
        "account_id": deal["account_id"],
        "status": ContractStatus.ACTIVE,
    }
    if "currency" in deal:
        contract["currency"] = deal["currency"]
    renewal: dict[str, Any] = {
        "likelihood": probability,
        "next_step": deal.get("next_step"),
        "forecast": None,
        "outcome": None,
        "outcome_on": None,
        "reason": None,
    }
    if stage is OpportunityStage.WON:
        contract["status"] = ContractStatus.RENEWED
        renewal.update(outcome=RenewalOutcome.RENEWED, outcome_on=end)
    elif stage is OpportunityStage.LOST:
        contract["status"] = ContractStatus.CHURNED
        renewal.update(
            outcome=RenewalOutcome.CHURNED,
            outcome_on=end,
            reason=f"{deal.get('crm_stage')} in the CRM",
        )
    elif probability is not None:
        renewal["forecast"] = (
            ForecastCategory.COMMIT
            if probability >= 90
            else ForecastCategory.LIKELY
            if probability >= 50
            else ForecastCategory.AT_RISK
        )
    return contract, renewal


def prepare_opportunity(issues: list[Issue], row: int, values: dict[str, Any]) -> bool:
    """Fill our stage and kind from the CRM's words; False (issue added) when unusable."""
    if not values.get("title"):
        issues.append(Issue(row, "Opportunity Name is empty.", "Opportunity Name"))
        return False
    values["stage"] = opportunity_stage(values.get("crm_stage"))
    values["kind"] = opportunity_kind(values.get("crm_type"))
    if values.get("value_minor", 0) < 0:
        issues.append(Issue(row, f"The amount of {quoted(values['title'])} is negative.", "Amount"))
        return False
    return True
