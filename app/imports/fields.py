"""The fields an import fills for each kind of record: key, label, type, limits, and the
headers (from every source's vocabulary) that mean each one."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Literal

from app.imports.vocabulary import normalise_header, vocabularies
from app.services.labels import account_field_label, field_label, in_sentence, records_label

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


def _account(key: str, type_: FieldType = "text", **kw: Any) -> FieldSpec:
    """An account field the Overview shows, named as it names it."""
    return FieldSpec(key, account_field_label(key), type_, **kw)


def _stakeholder(key: str, type_: FieldType = "text", **kw: Any) -> FieldSpec:
    """A contact field the map's person form shows, named as it names it ("Last contact")."""
    return FieldSpec(key, field_label("stakeholder", key), type_, **kw)


#: Kinds whose records the window calls otherwise than the kind's key (the key, which a
#: mapping file or ``--kind`` gives, stays accepted): ``activities`` are touchpoints.
_KIND_TABLES: dict[str, str] = {"activities": "activity"}


def kind_words(kind: str) -> str:
    """How an import kind reads inside a sentence: ``activities`` → ``touchpoints``,
    ``contacts`` → ``contacts``."""
    table = _KIND_TABLES.get(kind)
    return kind if table is None else in_sentence(records_label(table))


_ACCOUNT_REF = (
    _f("account_name", "Account name", max_length=200),
    _f("account_external_id", "Account ID", max_length=100),
)

_SPECS: dict[Kind, tuple[FieldSpec, ...]] = {
    "accounts": (
        _f("name", "Account name", required=True, max_length=200),
        _f("external_id", "Account ID", max_length=100),
        _f("parent_name", "Parent account", max_length=200),
        _f("parent_external_id", "Parent account ID", max_length=100),
        _account("industry", max_length=100),
        _account("account_type", max_length=100),
        _account("annual_revenue_minor", "money"),
        _account("employees", "int", low=0),
        _account("segment", "choice"),
        _account("tier", "int", low=0, high=100),
        _account("region", max_length=100),
        _account("owner", max_length=100),
        _account("lifecycle_stage", "choice"),
        _account("currency", "currency"),
        _account("arr_minor", "money"),
        _account("baseline_revenue_minor", "money"),
        _account("forecast_revenue_minor", "money"),
        _account("usage_target_minor", "money"),
        _account("usage_actual_minor", "money"),
        _account("price_erosion_minor", "money"),
        _account("terminations_minor", "money"),
        _account("service_credits_minor", "money"),
        _account("overdue_debt_minor", "money"),
        _account("licences", "int", low=0),
        _f("notes", "Notes"),
    ),
    "contacts": (
        _f("first_name", "First name", max_length=100),
        _f("last_name", "Last name", max_length=100),
        _f("name", "Full name", max_length=200),
        *_ACCOUNT_REF,
        _f("title", "Title", max_length=200),
        _f("department", "Department", max_length=100),
        _f("email", "Email", max_length=254),
        _f("phone", "Phone", max_length=50),
        _f("reports_to", "Reports to", max_length=254),
        _f("reports_to_email", "Reports to email", max_length=254),
        _f("reports_to_external_id", "Reports to ID", max_length=100),
        _f("external_id", "Contact ID", max_length=100),
        _stakeholder("role", "choice"),
        _f("sentiment", "Sentiment", "int", low=-2, high=2),
        _f("influence", "Influence", "int", low=1, high=5),
        _stakeholder("last_contact_on", "date"),
        _f("departed", "Departed", "bool"),
        _f("departed_on", "Departed on", "date"),
    ),
    "opportunities": (
        _f("title", "Opportunity name", required=True, max_length=200),
        *_ACCOUNT_REF,
        _f("external_id", "Opportunity ID", max_length=100),
        _f("crm_stage", "Stage", max_length=100),
        _f("value_minor", "Amount", "money"),
        _f("currency", "Currency", "currency"),
        _f("expected_close_on", "Close date", "date"),
        _f("crm_type", "Type", max_length=100),
        _f("pipeline", "Pipeline", max_length=100),
        _f("probability", "Probability", "int", low=0, high=100),
        _f("next_step", "Next step", max_length=255),
        _f("owner", "Owner", max_length=100),
        _f("notes", "Description"),
    ),
    "contracts": (
        _f("name", "Contract name", max_length=200),
        *_ACCOUNT_REF,
        _f("external_id", "Contract ID", max_length=100),
        _f("start_date", "Contract start date", "date"),
        _f("end_date", "Contract end date", "date", required=True),
        _f("value_minor", "Contract value", "money"),
        _f("currency", "Currency", "currency"),
        _f("notice_days", "Notice days", "int", low=0, high=3650),
        _f("auto_renew", "Auto renew", "bool"),
        _f("status", "Status", "choice"),
        _f("products", "Products"),
    ),
    "health": (
        *_ACCOUNT_REF,
        _f("as_of", "As of", "date", required=True),
        _f("active_users", "Active users", "int", low=0),
        _f("licensed_users", "Licensed users", "int", low=0),
        _f("tickets_new", "New tickets", "int", low=0),
        _f("tickets_open", "Open tickets", "int", low=0),
        _f("tickets_p1", "P1 tickets", "int", low=0),
        _f("hours_to_resolve", "Hours to resolve", "float", low=0),
        _f("nps", "NPS", "float", low=-100, high=100),
        _f("csat", "CSAT", "float", low=0, high=100),
        _f("days_since_touch", "Days since touch", "int", low=0),
        _f("executive_access", "Executive access", "bool"),
        _f("overdue_invoices_minor", "Overdue invoices", "money"),
        _f("milestones_slipping", "Milestones slipping", "int", low=0),
        _f("pulse", "Pulse", "int", low=1, high=5),
    ),
    "activities": (
        *_ACCOUNT_REF,
        _f("kind", "Touchpoint type", "choice"),
        _f("title", "Subject", required=True, max_length=200),
        _f("occurred_at", "Date", "datetime", required=True),
        _f("duration_minutes", "Duration", "int", low=0),
        _f("minutes", "Notes"),
        _f("meaningful", "Meaningful", "bool"),
    ),
    "users": (
        _f("external_id", "User ID", required=True, max_length=100),
        _f("name", "Full name", max_length=200),
        _f("first_name", "First name", max_length=100),
        _f("last_name", "Last name", max_length=100),
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
