"""Which file column feeds which Fieldbook field, with per-file reading choices: checked
against a file, saved as JSON or kept in the workspace."""

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

from app.imports.fields import FIELDS, KINDS, Kind, field_spec, kind_words
from app.imports.sources import ImportRefused
from app.models import WorkspaceMeta
from app.services.labels import in_sentence, quoted

MAPPING_FORMAT = "fieldbook-import-mapping/1"
#: What renewal-type deals become: opportunities, or contracts with their renewal.
RenewalDeals = Literal["opportunities", "contracts"]
RENEWAL_DEALS: tuple[RenewalDeals, ...] = ("opportunities", "contracts")
_META_PREFIX = "import.mapping."


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
            raise ImportRefused(f"{source} names an unknown kind {quoted(str(kind))}.")
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
            raise ImportRefused(f"{source} maps an unknown field {quoted(unknown[0])} for {kind}.")
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
                        f"{name} has no column {quoted(header)}, which the mapping uses for "
                        f"{in_sentence(field_spec(self.kind, key).label)}; its columns are "
                        f"{_listing(headers)}."
                    )
        for problem in self.missing_required():
            raise ImportRefused(
                f"No column of {name} is mapped to {in_sentence(problem)} for "
                f"{kind_words(self.kind)}; its columns are {_listing(headers)}."
            )

    def missing_required(self) -> list[str]:
        """Labels of required fields (or field groups) the mapping leaves unmapped."""
        mapped = set(self.columns)
        missing = [s.label for s in FIELDS[self.kind] if s.required and s.key not in mapped]
        if self.kind == "contacts" and not mapped & {"name", "first_name", "last_name", "email"}:
            missing.append("a name (full name, first and last name, or email)")
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
    shown = ", ".join(quoted(h) for h in headers[:limit])
    return shown + (f" and {len(headers) - limit} more" if len(headers) > limit else "")


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
