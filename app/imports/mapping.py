"""Which file column feeds which Fieldbook field: auto-detected for CRM exports, saved as JSON."""

from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.imports.sources import ImportRefused
from app.models import WorkspaceMeta

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
#: Ties between kinds go to the earlier one: the import order, but a users file (any list
#: with a name and an id column looks like one) loses every tie.
_PREFERENCE: tuple[Kind, ...] = (*(k for k in KINDS if k != "users"), "users")
FieldType = Literal[
    "text", "money", "date", "datetime", "int", "float", "bool", "choice", "currency"
]
MAPPING_FORMAT = "fieldbook-import-mapping/1"
#: What renewal-type deals become: opportunities, or contracts with their renewal.
RenewalDeals = Literal["opportunities", "contracts"]
RENEWAL_DEALS: tuple[RenewalDeals, ...] = ("opportunities", "contracts")
_META_PREFIX = "import.mapping."
#: The header vocabularies, one JSON file per source (see vocab/README.md).
VOCAB_DIR = Path(__file__).with_name("vocab")
#: Sources in the order their spellings are tried, round by round (see ``_aliases``).
VOCAB_FILES = (
    "fieldbook",
    "salesforce",
    "hubspot",
    "dynamics",
    "pipedrive",
    "zoho",
    "cs_platforms",
)


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


@dataclass(frozen=True)
class Vocabulary:
    """One source's header spellings per kind and field, and the headers that mark a kind."""

    source: str
    fields: dict[str, dict[str, tuple[str, ...]]]
    evidence: dict[str, tuple[str, ...]]
    #: Export file names (without extension) that hold a kind, e.g. "Account" -> accounts.
    files: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: Export file names of records that are not a CSM's (leads, cases, products).
    not_records: tuple[str, ...] = ()
    #: The source's deal types (or pipeline names) that mean a renewal of a contract.
    renewal_types: tuple[str, ...] = ()


@cache
def vocabularies() -> tuple[Vocabulary, ...]:
    """The header catalogue, read from the JSON files under ``vocab/``."""
    out = []
    for name in VOCAB_FILES:
        data = json.loads((VOCAB_DIR / f"{name}.json").read_text(encoding="utf-8"))
        kinds = data["kinds"]
        out.append(
            Vocabulary(
                data["source"],
                {
                    k: {f: tuple(a) for f, a in v.get("fields", {}).items()}
                    for k, v in kinds.items()
                },
                {k: tuple(v.get("evidence", ())) for k, v in kinds.items()},
                {k: tuple(v.get("files", ())) for k, v in kinds.items()},
                tuple(data.get("not_records", ())),
                tuple(kinds.get("opportunities", {}).get("renewal_types", ())),
            )
        )
    return tuple(out)


@cache
def renewal_deal_types() -> frozenset[str]:
    """Every source's deal types that mean a renewal, compared as headers are."""
    return frozenset(
        normalise_header(t) for vocabulary in vocabularies() for t in vocabulary.renewal_types
    )


def kind_from_file_name(name: str) -> tuple[Kind | None, str | None]:
    """(kind, None) when an export's file name says what it holds ("Account.csv",
    "hubspot-crm-exports-all-deals.csv"); (None, source) for records Fieldbook does not keep
    ("Lead.csv"); (None, None) when the name says nothing."""
    stem = Path(name).stem
    whole = normalise_header(stem)
    words = {w.casefold() for w in re.findall(r"[A-Za-z][a-z]+|[A-Z]+(?![a-z])", stem)}
    for exact in (True, False):
        for vocabulary in vocabularies():
            for kind, names in vocabulary.files.items():
                if any(_names_file(n, whole, words, exact) for n in names):
                    return kind, None  # type: ignore[return-value]
            if any(_names_file(n, whole, words, exact) for n in vocabulary.not_records):
                return None, vocabulary.source
    return None, None


def _names_file(name: str, whole: str, words: set[str], exact: bool) -> bool:
    return normalise_header(name) == whole if exact else name.casefold() in words


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


def _evidence(kind: Kind) -> dict[str, str]:
    """Normalised header -> the source whose exports mark ``kind`` with it."""
    out: dict[str, str] = {}
    for vocabulary in vocabularies():
        for header in vocabulary.evidence.get(kind, ()):
            out.setdefault(normalise_header(header), vocabulary.source)
    return out


def normalise_header(text: str) -> str:
    """Header text compared loosely: case, spaces, punctuation and a trailing ``__c`` ignored."""
    text = re.sub(r"__c$", "", text.strip(), flags=re.IGNORECASE)
    return re.sub(r"[^0-9a-z]+", "", text.casefold())


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


@dataclass
class Mapping:
    """How one file's columns fill one kind's fields, plus per-file reading choices."""

    kind: Kind
    #: field key -> header text in the file
    columns: dict[str, str] = field(default_factory=dict)
    default_currency: str = "USD"
    #: Numeric dates: True day-first, False month-first, None decide from the file.
    day_first: bool | None = None
    #: field key -> further headers read, in order, when the mapped column's cell is empty
    #: (an empty Region falls back to a filled Billing Country).
    fallbacks: dict[str, list[str]] = field(default_factory=dict)
    #: Why the kind was chosen: the headers that mark it, as "header (source)".
    evidence: list[str] = field(default_factory=list)
    #: Numbers: True decimal comma (1.234,50), False decimal point, None decide per file.
    decimal_comma: bool | None = None
    #: Deals the CRM types as renewals: kept as "opportunities", or taken as "contracts"
    #: (a Contract with its Renewal: the forecast, or the outcome once the deal closed).
    renewal_deals: RenewalDeals = "opportunities"

    def to_json(self) -> str:
        """The mapping as a JSON document (what ``--mapping`` files hold)."""
        data: dict[str, Any] = {
            "format": MAPPING_FORMAT,
            "kind": self.kind,
            "columns": self.columns,
            "default_currency": self.default_currency,
            "day_first": self.day_first,
        }
        if self.fallbacks:
            data["fallbacks"] = self.fallbacks
        if self.decimal_comma is not None:
            data["decimal_comma"] = self.decimal_comma
        if self.renewal_deals != "opportunities":
            data["renewal_deals"] = self.renewal_deals
        return json.dumps(data, indent=2, ensure_ascii=False)

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
        fallbacks = data.get("fallbacks", {})
        if not isinstance(fallbacks, dict) or not all(
            isinstance(k, str) and isinstance(v, list) and all(isinstance(h, str) for h in v)
            for k, v in fallbacks.items()
        ):
            raise ImportRefused(f"{source} has an invalid fallbacks list.")
        known = {spec.key for spec in FIELDS[kind]}
        unknown = sorted((set(columns) | set(fallbacks)) - known)
        if unknown:
            raise ImportRefused(f"{source} maps an unknown field {unknown[0]!r} for {kind}.")
        currency = data.get("default_currency", "USD")
        day_first = data.get("day_first")
        if not (isinstance(currency, str) and re.fullmatch(r"[A-Z]{3}", currency)):
            raise ImportRefused(f"{source} has an invalid default currency.")
        if day_first not in (True, False, None):
            raise ImportRefused(f"{source} has an invalid day_first choice.")
        decimal_comma = data.get("decimal_comma")
        if decimal_comma not in (True, False, None):
            raise ImportRefused(f"{source} has an invalid decimal_comma choice.")
        renewal_deals = data.get("renewal_deals", "opportunities")
        if renewal_deals not in RENEWAL_DEALS:
            raise ImportRefused(
                f"{source} has an invalid renewal_deals choice (opportunities or contracts)."
            )
        mapping = cls(
            kind, dict(columns), currency, day_first, {k: list(v) for k, v in fallbacks.items()}
        )
        mapping.decimal_comma = decimal_comma
        mapping.renewal_deals = renewal_deals
        return mapping

    def headers_of(self, key: str) -> list[str]:
        """The headers that feed a field: the mapped column, then its fallbacks."""
        first = self.columns.get(key)
        return ([first] if first else []) + [h for h in self.fallbacks.get(key, []) if h != first]

    def check_against(self, headers: list[str], name: str) -> None:
        """Refuse when a mapped column is missing or a required field is unmapped."""
        present = set(headers)
        for key in sorted(set(self.columns) | set(self.fallbacks)):
            for header in self.headers_of(key):
                if header not in present:
                    raise ImportRefused(
                        f"{name} has no column {header!r}, which the mapping uses for "
                        f"{field_spec(self.kind, key).label}; its columns are "
                        f"{_listing(headers)}."
                    )
        for problem in self.missing_required():
            raise ImportRefused(
                f"No column of {name} is mapped to {problem} for {self.kind}; its columns "
                f"are {_listing(headers)}."
            )

    def missing_required(self) -> list[str]:
        """Labels of required fields (or field groups) the mapping leaves unmapped."""
        mapped = set(self.columns)
        missing = [s.label for s in FIELDS[self.kind] if s.required and s.key not in mapped]
        if self.kind == "contacts" and not mapped & {"name", "first_name", "last_name", "email"}:
            missing.append("a name (Full Name, First and Last Name, or Email)")
        if self.kind == "users" and not mapped & {"name", "first_name", "last_name", "email"}:
            missing.append("a name or email")
        if self.kind not in ("accounts", "users") and not mapped & {
            "account_name",
            "account_external_id",
        }:
            missing.append("the account (Account Name or Account ID)")
        return missing

    def ignored(self, headers: list[str]) -> list[str]:
        """The file's columns the mapping does not read."""
        used = {h for key in set(self.columns) | set(self.fallbacks) for h in self.headers_of(key)}
        return [h for h in headers if h not in used]


def _listing(headers: list[str], limit: int = 30) -> str:
    shown = ", ".join(repr(h) for h in headers[:limit])
    return shown + (f" and {len(headers) - limit} more" if len(headers) > limit else "")


class AmbiguousKind(ImportRefused):
    """More than one kind fits a file's headers; ``candidates`` names them with evidence."""

    def __init__(self, message: str, candidates: list[Mapping]) -> None:
        super().__init__(message)
        self.candidates = candidates


def detect_mapping(headers: list[str], kind: Kind | None = None) -> Mapping:
    """Map headers to fields by the catalogue's spellings; guess the kind when not given.

    The guess names its evidence (``mapping.evidence``). When two kinds fit the headers
    equally well, raises AmbiguousKind listing both, rather than picking one silently.
    """
    if kind is not None:
        mapping = Mapping(kind, *_match(headers, kind))
        mapping.evidence = _evidence_in(headers, kind)
        return mapping
    ranked = rank_kinds(headers)
    best = ranked[0]
    fits = [m for m in ranked if not m.missing_required() and m.evidence]
    if len(fits) > 1 and _score(fits[1]) * 3 >= _score(fits[0]) * 2:
        shown = "; ".join(f"{m.kind} ({', '.join(_short_evidence(m))})" for m in fits[:3])
        raise AmbiguousKind(
            f"The columns fit more than one kind: {shown}; give --kind to choose.", fits[:3]
        )
    return best


def rank_kinds(headers: list[str]) -> list[Mapping]:
    """Every kind's mapping for ``headers``, best fit first."""
    scored = []
    for candidate in _PREFERENCE:
        mapping = Mapping(candidate, *_match(headers, candidate))
        mapping.evidence = _evidence_in(headers, candidate)
        score = _score(mapping)
        if candidate == "users" and not mapping.evidence:
            score -= 10  # "Id, Name" is an account list far more often than a user list
        scored.append((score, -_PREFERENCE.index(candidate), mapping))
    scored.sort(key=lambda item: (item[0], item[1]), reverse=True)
    return [item[2] for item in scored]


def _score(mapping: Mapping) -> int:
    return len(mapping.columns) + 2 * len(mapping.evidence) - 4 * len(mapping.missing_required())


def _short_evidence(mapping: Mapping) -> list[str]:
    return [e.split(" (")[0] for e in mapping.evidence[:4]] or list(mapping.columns.values())[:3]


def describe_guess(mapping: Mapping) -> str:
    """ "as opportunities: StageName, CloseDate, Amount" — the kind and why."""
    return f"as {mapping.kind}: {', '.join(_short_evidence(mapping))}"


def _evidence_in(headers: list[str], kind: Kind) -> list[str]:
    marks = _evidence(kind)
    out = []
    for header in headers:
        source = marks.get(normalise_header(header))
        if source is not None:
            out.append(f"{header} ({source})")
    return out


def _match(
    headers: list[str], kind: Kind
) -> tuple[dict[str, str], str, None, dict[str, list[str]]]:
    """(columns, default currency, day order, fallbacks) for ``kind``."""
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
    # Other headers that mean the same field are read when the chosen one is empty.
    fallbacks: dict[str, list[str]] = {}
    for spec in FIELDS[kind]:
        if spec.key not in columns:
            continue
        for alias in spec.aliases:
            found = by_norm.get(normalise_header(alias))
            if found is not None and found not in used:
                fallbacks.setdefault(spec.key, []).append(found)
                used.add(found)
    return columns, "USD", None, fallbacks


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
