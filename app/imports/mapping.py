"""Which file column feeds which Fieldbook field: auto-detected for CRM exports, saved as JSON."""

from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.imports.sources import ImportRefused
from app.models import WorkspaceMeta

Kind = Literal["accounts", "contacts", "contracts", "health", "activities"]
KINDS: tuple[Kind, ...] = ("accounts", "contacts", "contracts", "health", "activities")
FieldType = Literal["text", "money", "date", "datetime", "int", "float", "bool", "choice"]
MAPPING_FORMAT = "fieldbook-import-mapping/1"
_META_PREFIX = "import.mapping."


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


def _f(key: str, label: str, type_: FieldType = "text", *aliases: str, **kw: Any) -> FieldSpec:
    return FieldSpec(key, label, type_, (label, key, *aliases), **kw)


_ACCOUNT_REF = (
    _f(
        "account_name",
        "Account Name",
        "text",
        "Account",
        "Company",
        "Company Name",
        "Associated Company",
        "Organization",
        "Customer",
        "Customer Name",
        max_length=200,
    ),
    _f(
        "account_external_id",
        "Account ID",
        "text",
        "Account Id",
        "Company ID",
        "Company GSID",
        "Associated Company ID",
        "Account Number",
        "SFDC Account ID",
        max_length=100,
    ),
)

FIELDS: dict[Kind, tuple[FieldSpec, ...]] = {
    "accounts": (
        _f(
            "name",
            "Account Name",
            "text",
            "Account",
            "Company Name",
            "Company",
            "Name",
            "Customer",
            "Customer Name",
            "Organization",
            required=True,
            max_length=200,
        ),
        _f(
            "external_id",
            "Account ID",
            "text",
            "Account Id",
            "Record ID",
            "Company ID",
            "GSID",
            "Id",
            "SFDC ID",
            "Account Number",
            "Salesforce ID",
            max_length=100,
        ),
        _f(
            "parent_name",
            "Parent Account",
            "text",
            "Parent Company",
            "Parent Account Name",
            "Parent",
            "Parent Company Name",
            max_length=200,
        ),
        _f(
            "parent_external_id",
            "Parent Account ID",
            "text",
            "Parent Company ID",
            "Parent Record ID",
            "Parent GSID",
            "Parent ID",
            max_length=100,
        ),
        _f("industry", "Industry", "text", "Vertical", max_length=100),
        _f("segment", "Segment", "choice", "Customer Segment", "Tier Segment"),
        _f("tier", "Tier", "int", "Customer Tier", low=0, high=100),
        _f(
            "region",
            "Region",
            "text",
            "Billing Country",
            "Country",
            "Territory",
            "Country/Region",
            "Billing State/Province",
            max_length=100,
        ),
        _f(
            "owner",
            "Account Owner",
            "text",
            "Owner",
            "CSM",
            "Company owner",
            "CSM Name",
            "Customer Success Manager",
            max_length=100,
        ),
        _f("lifecycle_stage", "Lifecycle Stage", "choice", "Stage", "Lifecycle", "Journey Stage"),
        _f("currency", "Currency", "text", "Account Currency", "Currency Code", max_length=3),
        _f(
            "arr_minor",
            "ARR",
            "money",
            "Annual Revenue",
            "Annual Recurring Revenue",
            "Current ARR",
            "ARR (USD)",
        ),
        _f("baseline_revenue_minor", "Baseline Revenue", "money", "Contracted Revenue"),
        _f("forecast_revenue_minor", "Forecast Revenue", "money"),
        _f("usage_target_minor", "Usage Target", "money"),
        _f("usage_actual_minor", "Usage Revenue", "money", "Usage Actual"),
        _f("price_erosion_minor", "Price Erosion", "money"),
        _f("terminations_minor", "Terminations", "money"),
        _f("service_credits_minor", "Service Credits", "money"),
        _f("overdue_debt_minor", "Overdue Debt", "money", "Aged Debt", "Overdue Amount"),
        _f("licences", "Licences", "int", "Licenses", "Seats", "Licensed Users", low=0),
        _f("notes", "Notes", "text", "Description", "Account Description"),
    ),
    "contacts": (
        _f("first_name", "First Name", "text", "Firstname", "Given Name", max_length=100),
        _f("last_name", "Last Name", "text", "Lastname", "Surname", "Family Name", max_length=100),
        _f("name", "Full Name", "text", "Name", "Contact Name", "Contact", max_length=200),
        *_ACCOUNT_REF,
        _f("title", "Title", "text", "Job Title", "Position", "Role Title", max_length=200),
        _f("department", "Department", "text", max_length=100),
        _f("email", "Email", "text", "Email Address", "E-mail", "Work Email", max_length=254),
        _f(
            "phone",
            "Phone",
            "text",
            "Phone Number",
            "Business Phone",
            "Mobile",
            "Mobile Phone",
            max_length=50,
        ),
        _f(
            "reports_to",
            "Reports To",
            "text",
            "Manager",
            "Reports To Name",
            "Manager Name",
            max_length=254,
        ),
        _f("reports_to_email", "Reports To Email", "text", "Manager Email", max_length=254),
        _f(
            "external_id",
            "Contact ID",
            "text",
            "Record ID",
            "Id",
            "Person GSID",
            "GSID",
            "Contact Id",
            max_length=100,
        ),
        _f("role", "Buying Role", "choice", "Role", "Contact Role", "Persona"),
        _f("sentiment", "Sentiment", "int", low=-2, high=2),
        _f("influence", "Influence", "int", low=1, high=5),
        _f(
            "last_contact_on",
            "Last Contacted",
            "date",
            "Last Contact",
            "Last Activity",
            "Last Activity Date",
        ),
        _f("departed", "Departed", "bool", "Left Company", "Has Left"),
        _f("departed_on", "Departed On", "date", "Left On", "Left Company On", "Departure Date"),
    ),
    "contracts": (
        _f(
            "name",
            "Contract Name",
            "text",
            "Contract",
            "Name",
            "Opportunity Name",
            "Subscription Name",
            max_length=200,
        ),
        *_ACCOUNT_REF,
        _f(
            "external_id",
            "Contract ID",
            "text",
            "Contract Number",
            "Subscription ID",
            "Id",
            max_length=100,
        ),
        _f(
            "start_date",
            "Contract Start Date",
            "date",
            "Start Date",
            "Start",
            "Effective Date",
            "Subscription Start Date",
        ),
        _f(
            "end_date",
            "Contract End Date",
            "date",
            "End Date",
            "End",
            "Renewal Date",
            "Expiration Date",
            "Subscription End Date",
            required=True,
        ),
        _f(
            "value_minor",
            "Contract Value",
            "money",
            "Amount",
            "ACV",
            "ARR",
            "Annual Value",
            "Total Contract Value",
        ),
        _f("currency", "Currency", "text", "Contract Currency", "Currency Code", max_length=3),
        _f(
            "notice_days",
            "Notice Days",
            "int",
            "Notice Period",
            "Notice Period (Days)",
            low=0,
            high=3650,
        ),
        _f("auto_renew", "Auto Renew", "bool", "Auto-Renew", "Auto Renewal", "Evergreen"),
        _f("status", "Status", "choice", "Contract Status"),
        _f("products", "Products", "text", "Product", "Product Name", "Line Items"),
    ),
    "health": (
        *_ACCOUNT_REF,
        _f("as_of", "As Of", "date", "Date", "Snapshot Date", "Week", "Score Date", required=True),
        _f("active_users", "Active Users", "int", "Monthly Active Users", "MAU", low=0),
        _f("licensed_users", "Licensed Users", "int", "Licences", "Licenses", "Seats", low=0),
        _f("tickets_new", "New Tickets", "int", "Tickets Opened", low=0),
        _f("tickets_open", "Open Tickets", "int", "Open Cases", low=0),
        _f("tickets_p1", "P1 Tickets", "int", "Priority 1 Tickets", "Critical Tickets", low=0),
        _f("hours_to_resolve", "Hours To Resolve", "float", "Avg Resolution Hours", low=0),
        _f("nps", "NPS", "float", "Net Promoter Score", low=-100, high=100),
        _f("csat", "CSAT", "float", "Customer Satisfaction", low=0, high=100),
        _f("days_since_touch", "Days Since Touch", "int", "Days Since Last Activity", low=0),
        _f("executive_access", "Executive Access", "bool", "Exec Sponsor Engaged"),
        _f("overdue_invoices_minor", "Overdue Invoices", "money", "Overdue Amount"),
        _f("milestones_slipping", "Milestones Slipping", "int", low=0),
        _f("pulse", "Pulse", "int", "CSM Sentiment", "CSM Pulse", low=1, high=5),
    ),
    "activities": (
        *_ACCOUNT_REF,
        _f("kind", "Activity Type", "choice", "Type", "Kind", "Timeline Type", "Activity Kind"),
        _f("title", "Subject", "text", "Title", "Activity Subject", required=True, max_length=200),
        _f(
            "occurred_at",
            "Date",
            "datetime",
            "Activity Date",
            "Occurred At",
            "Date Time",
            "Meeting Date",
            "Created Date",
            required=True,
        ),
        _f("duration_minutes", "Duration", "int", "Duration (Minutes)", "Duration Minutes", low=0),
        _f("minutes", "Notes", "text", "Comments", "Description", "Minutes", "Meeting Notes"),
        _f("meaningful", "Meaningful", "bool"),
    ),
}


def normalise_header(text: str) -> str:
    """Header text compared loosely: case, spaces, punctuation and a trailing ``__c`` ignored."""
    text = re.sub(r"__c$", "", text.strip(), flags=re.IGNORECASE)
    return re.sub(r"[^0-9a-z]+", "", text.casefold())


def field_spec(kind: Kind, key: str) -> FieldSpec:
    """The spec of one field of a kind."""
    for spec in FIELDS[kind]:
        if spec.key == key:
            return spec
    raise KeyError(key)


@dataclass
class Mapping:
    """How one file's columns fill one kind's fields, plus per-file reading choices."""

    kind: Kind
    #: field key -> header text in the file
    columns: dict[str, str] = field(default_factory=dict)
    default_currency: str = "USD"
    #: Numeric dates: True day-first, False month-first, None decide from the file.
    day_first: bool | None = None

    def to_json(self) -> str:
        """The mapping as a JSON document (what ``--mapping`` files hold)."""
        return json.dumps(
            {
                "format": MAPPING_FORMAT,
                "kind": self.kind,
                "columns": self.columns,
                "default_currency": self.default_currency,
                "day_first": self.day_first,
            },
            indent=2,
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, text: str, source: str = "The mapping") -> Mapping:
        """Read a mapping; raises ImportRefused naming what is wrong."""
        try:
            data = json.loads(text)
        except ValueError:
            raise ImportRefused(f"{source} is not a JSON mapping file.") from None
        if not isinstance(data, dict) or data.get("format") != MAPPING_FORMAT:
            raise ImportRefused(f"{source} is not a Fieldbook import mapping.")
        kind = data.get("kind")
        if kind not in KINDS:
            raise ImportRefused(f"{source} names an unknown kind {kind!r}.")
        columns = data.get("columns")
        if not isinstance(columns, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in columns.items()
        ):
            raise ImportRefused(f"{source} has no valid column list.")
        known = {spec.key for spec in FIELDS[kind]}
        unknown = sorted(set(columns) - known)
        if unknown:
            raise ImportRefused(f"{source} maps an unknown field {unknown[0]!r} for {kind}.")
        currency = data.get("default_currency", "USD")
        day_first = data.get("day_first")
        if not (isinstance(currency, str) and re.fullmatch(r"[A-Z]{3}", currency)):
            raise ImportRefused(f"{source} has an invalid default currency.")
        if day_first not in (True, False, None):
            raise ImportRefused(f"{source} has an invalid day_first choice.")
        return cls(kind, dict(columns), currency, day_first)

    def check_against(self, headers: list[str], name: str) -> None:
        """Refuse when a mapped column is missing or a required field is unmapped."""
        present = set(headers)
        for key, header in self.columns.items():
            if header not in present:
                raise ImportRefused(
                    f"{name} has no column {header!r}, which the mapping uses for "
                    f"{field_spec(self.kind, key).label}."
                )
        for problem in self.missing_required():
            raise ImportRefused(f"No column of {name} is mapped to {problem}.")

    def missing_required(self) -> list[str]:
        """Labels of required fields (or field groups) the mapping leaves unmapped."""
        mapped = set(self.columns)
        missing = [s.label for s in FIELDS[self.kind] if s.required and s.key not in mapped]
        if self.kind == "contacts" and not mapped & {"name", "first_name", "last_name"}:
            missing.append("a name (Full Name, or First and Last Name)")
        if self.kind != "accounts" and not mapped & {"account_name", "account_external_id"}:
            missing.append("the account (Account Name or Account ID)")
        return missing


def detect_mapping(headers: list[str], kind: Kind | None = None) -> Mapping:
    """Map headers to fields by the aliases CRM exports use; guess the kind when not given."""
    if kind is not None:
        return Mapping(kind, _match(headers, kind))
    scored = []
    for candidate in KINDS:
        columns = _match(headers, candidate)
        mapping = Mapping(candidate, columns)
        score = len(columns) - 3 * len(mapping.missing_required())
        scored.append((score, -KINDS.index(candidate), mapping))
    scored.sort(key=lambda item: (item[0], item[1]), reverse=True)
    return scored[0][2]


def _match(headers: list[str], kind: Kind) -> dict[str, str]:
    by_norm: dict[str, str] = {}
    for header in headers:
        by_norm.setdefault(normalise_header(header), header)
    columns: dict[str, str] = {}
    used: set[str] = set()
    # Earlier aliases win, and a header feeds one field only.
    for rank in range(max(len(s.aliases) for s in FIELDS[kind])):
        for spec in FIELDS[kind]:
            if spec.key in columns or rank >= len(spec.aliases):
                continue
            found = by_norm.get(normalise_header(spec.aliases[rank]))
            if found is not None and found not in used:
                columns[spec.key] = found
                used.add(found)
    return columns


def load_mapping(path: str | Path) -> Mapping:
    """Read a mapping saved as a JSON file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ImportRefused(f"There is no mapping file at {path}.") from None
    except (OSError, UnicodeDecodeError):
        raise ImportRefused(f"The mapping file {path.name} cannot be read.") from None
    return Mapping.from_json(text, f"The mapping file {path.name}")


def save_mapping(mapping: Mapping, path: str | Path) -> None:
    """Write a mapping as JSON, atomically (temp file in the same folder, then replace)."""
    path = Path(path)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(mapping.to_json())
        Path(temp).replace(path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def save_workspace_mapping(session: Session, name: str, mapping: Mapping) -> None:
    """Keep a named mapping in the workspace, for the next import of the same export."""
    key = _META_PREFIX + name
    row = session.get(WorkspaceMeta, key)
    if row is None:
        session.add(WorkspaceMeta(key=key, value=mapping.to_json()))
    else:
        row.value = mapping.to_json()


def workspace_mappings(session: Session) -> dict[str, Mapping]:
    """The mappings saved in the workspace, by name."""
    rows = session.scalars(
        select(WorkspaceMeta).where(WorkspaceMeta.key.startswith(_META_PREFIX))
    ).all()
    out: dict[str, Mapping] = {}
    for row in rows:
        try:
            out[row.key.removeprefix(_META_PREFIX)] = Mapping.from_json(row.value)
        except ImportRefused:
            continue
    return out
