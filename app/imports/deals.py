"""Opportunities and deals from a CRM: its stage and type read into ours, its own words kept."""

from __future__ import annotations

import re
from typing import Any

from app.imports.records import Issue
from app.models.enums import OpportunityKind, OpportunityStage

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
    """True for a deal the CRM types as a renewal."""
    return bool(_RENEWAL.search(values.get("crm_type") or ""))


def prepare_opportunity(issues: list[Issue], row: int, values: dict[str, Any]) -> bool:
    """Fill our stage and kind from the CRM's words; False (issue added) when unusable."""
    if not values.get("title"):
        issues.append(Issue(row, "Opportunity Name is empty.", "Opportunity Name"))
        return False
    values["stage"] = opportunity_stage(values.get("crm_stage"))
    values["kind"] = opportunity_kind(values.get("crm_type"))
    if values.get("value_minor", 0) < 0:
        issues.append(Issue(row, f"The amount of {values['title']!r} is negative.", "Amount"))
        return False
    return True
