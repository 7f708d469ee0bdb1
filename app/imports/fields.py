"""The fields an import fills for each kind of record: key, label, type, limits, and the
headers (from every source's vocabulary) that mean each one."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Literal

from app.imports.vocabulary import normalise_header, vocabularies

Kind = Literal[
    "accounts", "contacts", "opportunities", "contracts", "health", "activities", "users"
]
#: Every kind, in the order a whole export is imported (parents before what refers to them).
KINDS: tuple[Kind, ...] = (
    "users",
    "accounts",
    "contacts",
    "opportunities",
    "contracts",
    "health",
    "activities",
)
FieldType = Literal[
    "text", "money", "date", "datetime", "int", "float", "bool", "choice", "currency"
]


@dataclass(frozen=True)
class FieldSpec:
    """One field an import fills: its key, label, type, limits and the headers that mean it."""

    key: str
    label: str
    type: FieldType = "text"
    aliases: tuple[str, ...] = ()
    required: bool = False
    max_length: int | None = None
    low: float | None = None
    high: float | None = None


def _f(key: str, label: str, type_: FieldType = "text", **kw: Any) -> FieldSpec:
    return FieldSpec(key, label, type_, **kw)


_ACCOUNT_REF = (
    _f("account_name", "Account Name", max_length=200),
    _f("account_external_id", "Account ID", max_length=100),
)

_SPECS: dict[Kind, tuple[FieldSpec, ...]] = {
    "accounts": (
        _f("name", "Account Name", required=True, max_length=200),
        _f("external_id", "Account ID", max_length=100),
        _f("parent_name", "Parent Account", max_length=200),
        _f("parent_external_id", "Parent Account ID", max_length=100),
        _f("industry", "Industry", max_length=100),
        _f("account_type", "Account Type", max_length=100),
        _f("annual_revenue_minor", "Annual Revenue", "money"),
        _f("employees", "Employees", "int", low=0),
        _f("segment", "Segment", "choice"),
        _f("tier", "Tier", "int", low=0, high=100),
        _f("region", "Region", max_length=100),
        _f("owner", "Account Owner", max_length=100),
        _f("lifecycle_stage", "Lifecycle Stage", "choice"),
        _f("currency", "Currency", "currency"),
        _f("arr_minor", "ARR", "money"),
        _f("baseline_revenue_minor", "Baseline Revenue", "money"),
        _f("forecast_revenue_minor", "Forecast Revenue", "money"),
        _f("usage_target_minor", "Usage Target", "money"),
        _f("usage_actual_minor", "Usage Revenue", "money"),
        _f("price_erosion_minor", "Price Erosion", "money"),
        _f("terminations_minor", "Terminations", "money"),
        _f("service_credits_minor", "Service Credits", "money"),
        _f("overdue_debt_minor", "Overdue Debt", "money"),
        _f("licences", "Licences", "int", low=0),
        _f("notes", "Notes"),
    ),
    "contacts": (
        _f("first_name", "First Name", max_length=100),
        _f("last_name", "Last Name", max_length=100),
        _f("name", "Full Name", max_length=200),
        *_ACCOUNT_REF,
        _f("title", "Title", max_length=200),
        _f("department", "Department", max_length=100),
        _f("email", "Email", max_length=254),
        _f("phone", "Phone", max_length=50),
        _f("reports_to", "Reports To", max_length=254),
        _f("reports_to_email", "Reports To Email", max_length=254),
        _f("reports_to_external_id", "Reports To ID", max_length=100),
        _f("external_id", "Contact ID", max_length=100),
        _f("role", "Buying Role", "choice"),
        _f("sentiment", "Sentiment", "int", low=-2, high=2),
        _f("influence", "Influence", "int", low=1, high=5),
        _f("last_contact_on", "Last Contacted", "date"),
        _f("departed", "Departed", "bool"),
        _f("departed_on", "Departed On", "date"),
    ),
    "opportunities": (
        _f("title", "Opportunity Name", required=True, max_length=200),
        *_ACCOUNT_REF,
        _f("external_id", "Opportunity ID", max_length=100),
        _f("crm_stage", "Stage", max_length=100),
        _f("value_minor", "Amount", "money"),
        _f("currency", "Currency", "currency"),
        _f("expected_close_on", "Close Date", "date"),
        _f("crm_type", "Type", max_length=100),
        _f("pipeline", "Pipeline", max_length=100),
        _f("probability", "Probability", "int", low=0, high=100),
        _f("next_step", "Next Step", max_length=255),
        _f("owner", "Owner", max_length=100),
        _f("notes", "Description"),
    ),
    "contracts": (
        _f("name", "Contract Name", max_length=200),
        *_ACCOUNT_REF,
        _f("external_id", "Contract ID", max_length=100),
        _f("start_date", "Contract Start Date", "date"),
        _f("end_date", "Contract End Date", "date", required=True),
        _f("value_minor", "Contract Value", "money"),
        _f("currency", "Currency", "currency"),
        _f("notice_days", "Notice Days", "int", low=0, high=3650),
        _f("auto_renew", "Auto Renew", "bool"),
        _f("status", "Status", "choice"),
        _f("products", "Products"),
    ),
    "health": (
        *_ACCOUNT_REF,
        _f("as_of", "As Of", "date", required=True),
        _f("active_users", "Active Users", "int", low=0),
        _f("licensed_users", "Licensed Users", "int", low=0),
        _f("tickets_new", "New Tickets", "int", low=0),
        _f("tickets_open", "Open Tickets", "int", low=0),
        _f("tickets_p1", "P1 Tickets", "int", low=0),
        _f("hours_to_resolve", "Hours To Resolve", "float", low=0),
        _f("nps", "NPS", "float", low=-100, high=100),
        _f("csat", "CSAT", "float", low=0, high=100),
        _f("days_since_touch", "Days Since Touch", "int", low=0),
        _f("executive_access", "Executive Access", "bool"),
        _f("overdue_invoices_minor", "Overdue Invoices", "money"),
        _f("milestones_slipping", "Milestones Slipping", "int", low=0),
        _f("pulse", "Pulse", "int", low=1, high=5),
    ),
    "activities": (
        *_ACCOUNT_REF,
        _f("kind", "Activity Type", "choice"),
        _f("title", "Subject", required=True, max_length=200),
        _f("occurred_at", "Date", "datetime", required=True),
        _f("duration_minutes", "Duration", "int", low=0),
        _f("minutes", "Notes"),
        _f("meaningful", "Meaningful", "bool"),
    ),
    "users": (
        _f("external_id", "User ID", required=True, max_length=100),
        _f("name", "Full Name", max_length=200),
        _f("first_name", "First Name", max_length=100),
        _f("last_name", "Last Name", max_length=100),
        _f("email", "Email", max_length=254),
    ),
}


def _aliases(kind: Kind, spec: FieldSpec) -> tuple[str, ...]:
    """The field's label and key, then every source's spellings taken round by round
    (each source's first choice before anyone's second), duplicates dropped."""
    lists = [v.fields.get(kind, {}).get(spec.key, ()) for v in vocabularies()]
    out = [spec.label, spec.key]
    for rank in range(max((len(x) for x in lists), default=0)):
        out.extend(x[rank] for x in lists if rank < len(x))
    seen: set[str] = set()
    unique = []
    for alias in out:
        norm = normalise_header(alias)
        if norm not in seen:
            seen.add(norm)
            unique.append(alias)
    return tuple(unique)


FIELDS: dict[Kind, tuple[FieldSpec, ...]] = {
    kind: tuple(replace(spec, aliases=_aliases(kind, spec)) for spec in specs)
    for kind, specs in _SPECS.items()
}


def field_spec(kind: Kind, key: str) -> FieldSpec:
    """The spec of one field of a kind."""
    for spec in FIELDS[kind]:
        if spec.key == key:
            return spec
    raise KeyError(key)
