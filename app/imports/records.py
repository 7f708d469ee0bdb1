"""Turning one file row into typed field values, with a reason for every cell it cannot read."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from app.imports.amounts import Money, parse_currency, parse_money
from app.imports.dates import date_order_evidence, parse_date, parse_datetime
from app.imports.fields import FieldSpec, Kind, field_spec
from app.imports.mapping import Mapping
from app.imports.sources import SourceRow
from app.imports.values import Cell, ValueProblem, clean_text, parse_bool, parse_float, parse_int
from app.imports.vocabulary import normalise_header
from app.models.enums import ActivityKind, BuyingRole, ContractStatus, LifecycleStage, Segment
from app.services.labels import label_of, quoted

#: Spellings CRMs use for our closed vocabularies, normalised like headers.
_SYNONYMS: dict[str, dict[str, str]] = {
    "segment": {
        "midmarket": "mid_market",
        "mm": "mid_market",
        "mid": "mid_market",
        "smallbusiness": "smb",
        "smallandmediumbusiness": "smb",
        "ent": "enterprise",
        "largeenterprise": "enterprise",
        "strategic": "strategic",
        "key": "strategic",
        "keyaccount": "strategic",
    },
    "lifecycle_stage": {
        "kickoff": "onboarding",
        "preonboarding": "onboarding",
        "implementation": "onboarding",
        "adopting": "adoption",
        "valuerealization": "value_realisation",
        "valuerealisation": "value_realisation",
        "mature": "value_realisation",
        "launched": "adoption",
        "expansion": "expansion",
        "renewing": "renewal",
    },
    "role": {
        "economicdecisionmaker": "economic_buyer",
        "budgetholder": "economic_buyer",
        "executivesponsor": "decision_maker",
        "decisionmaker": "decision_maker",
        "evaluator": "technical_buyer",
        "technicalevaluator": "technical_buyer",
        "businessuser": "user",
        "enduser": "user",
        "detractor": "blocker",
        "advocate": "champion",
    },
    "status": {"cancelled": "churned", "canceled": "churned", "terminated": "churned"},
    "kind": {
        "phonecall": "call",
        "logacall": "call",
        "onsite": "on_site",
        "onsitevisit": "on_site",
        "visit": "on_site",
        "workshop": "workshop",
        "emailsent": "email",
        "quarterlybusinessreview": "qbr",
        "executivebusinessreview": "ebr",
        "video": "meeting",
        "videocall": "call",
        "task": "call",
    },
}
#: Choices a CRM fills with its own vocabulary (HubSpot's lifecycle stage is a marketing
#: funnel: "Customer", "Lead"): a value we do not know is left not set, with a warning.
_LENIENT = frozenset({"segment", "lifecycle_stage"})
_CHOICES: dict[str, type[StrEnum]] = {
    "segment": Segment,
    "lifecycle_stage": LifecycleStage,
    "role": BuyingRole,
    "status": ContractStatus,
    "kind": ActivityKind,
}


@dataclass
class Issue:
    """A problem with one row: its row number, the column concerned, and the reason."""

    row: int
    message: str
    column: str | None = None

    def __str__(self) -> str:
        where = f"row {self.row}" if self.row else "file"
        column = f" ({self.column})" if self.column else ""
        return f"{where}{column}: {self.message}"


@dataclass
class Record:
    """A row's readable values by field key; dates wait for the file's day/month order."""

    row: int
    values: dict[str, Any]
    #: Date fields whose raw text is kept until the file's date order is known.
    raw_dates: dict[str, Cell]


def parse_choice(key: str, value: Cell) -> str:
    """One of the enum's values, matched loosely and by the usual CRM synonyms."""
    enum = _CHOICES[key]
    text = normalise_header(clean_text(value) or "")
    for member in enum:
        if normalise_header(member.value) == text:
            return member.value
    synonym = _SYNONYMS.get(key, {}).get(text)
    if synonym is not None:
        return synonym
    options = ", ".join(label_of(m) for m in enum)  # as the window lists the choices
    raise ValueProblem(f"{quoted(str(clean_text(value)))} is not one of: {options}.")


class RowReader:
    """Reads rows of one file with one mapping; collects issues instead of stopping."""

    def __init__(self, headers: list[str], mapping: Mapping) -> None:
        self.mapping = mapping
        self.kind: Kind = mapping.kind
        index = {header: i for i, header in enumerate(headers)}
        #: (column positions, first then fallbacks; spec; converter) per mapped field
        self.columns: list[tuple[tuple[int, ...], FieldSpec, Callable[[Cell], Any]]] = []
        for key in mapping.columns:
            spec = field_spec(mapping.kind, key)
            positions = tuple(index[h] for h in mapping.headers_of(key))
            self.columns.append((positions, spec, self._converter(spec)))
        #: Rows each field was filled in, for the dry run's mapping report.
        self.filled: dict[str, int] = dict.fromkeys(mapping.columns, 0)
        #: Problems that do not stop a row (an unknown segment is left not set).
        self.warnings: list[Issue] = []
        #: First date text seen that only reads day-first / month-first / either way.
        self.date_evidence: dict[str, str] = {}

    def _converter(self, spec: FieldSpec) -> Callable[[Cell], Any]:
        currency = self.mapping.default_currency
        comma = self.mapping.decimal_comma
        if spec.type == "money":
            return lambda v: parse_money(v, default_currency=currency, decimal_comma=comma)
        if spec.type == "int":
            low = None if spec.low is None else int(spec.low)
            high = None if spec.high is None else int(spec.high)
            return lambda v: parse_int(v, low=low, high=high, decimal_comma=comma)
        if spec.type == "float":
            return lambda v: parse_float(v, low=spec.low, high=spec.high, decimal_comma=comma)
        if spec.type == "bool":
            return parse_bool
        if spec.type == "choice":
            return lambda v: parse_choice(spec.key, v)
        if spec.type == "currency":
            return parse_currency
        limit = spec.max_length

        def text(value: Cell) -> str | None:
            result = value if type(value) is str else clean_text(value)
            if result is not None and limit is not None and len(result) > limit:
                raise ValueProblem(f"is {len(result):,} characters long, over {limit}.")
            return result

        return text

    def read(self, row: SourceRow, issues: list[Issue]) -> Record | None:
        """The row's values, or None (with issues added) when a cell cannot be read."""
        cells = row.cells
        width = len(cells)
        values: dict[str, Any] = {}
        raw_dates: dict[str, Cell] = {}
        ok = True
        for positions, spec, convert in self.columns:
            cell: Cell = None
            for index in positions:
                cell = cells[index] if index < width else None
                if type(cell) is str:
                    cell = clean_text(cell)
                if cell is not None:
                    break
            if cell is None:
                continue
            self.filled[spec.key] += 1
            if spec.type in ("date", "datetime"):
                raw_dates[spec.key] = cell
                if isinstance(cell, str):
                    evidence = date_order_evidence(cell)
                    if evidence is not None:
                        self.date_evidence.setdefault(evidence, cell.strip())
                continue
            try:
                value = convert(cell)
            except ValueProblem as problem:
                if spec.key in _LENIENT:
                    self.warnings.append(
                        Issue(row.number, f"{_sentence(spec, problem)} Left not set.", spec.label)
                    )
                    continue
                issues.append(Issue(row.number, _sentence(spec, problem), spec.label))
                ok = False
                continue
            if value is not None:
                values[spec.key] = value
        return Record(row.number, values, raw_dates) if ok else None

    def day_first(self) -> tuple[bool | None, str | None]:
        """The file's date order: (choice, None), or (None, an ambiguous example).

        The mapping's explicit choice wins; otherwise the dates themselves decide.
        Raises ValueProblem when the file mixes both orders.
        """
        evidence = self.date_evidence
        if "day" in evidence and "month" in evidence:
            raise ValueProblem(
                f"The file mixes day-first ({evidence['day']}) and month-first "
                f"({evidence['month']}) dates; fix one of them."
            )
        if self.mapping.day_first is not None:
            return self.mapping.day_first, None
        if "day" in evidence:
            return True, None
        if "month" in evidence:
            return False, None
        return None, evidence.get("ambiguous")

    def finish_dates(self, record: Record, day_first: bool, issues: list[Issue]) -> bool:
        """Parse the record's dates with the file's order; False (issues added) on failure."""
        ok = True
        for key, raw in record.raw_dates.items():
            spec = field_spec(self.kind, key)
            try:
                if spec.type == "datetime":
                    record.values[key] = parse_datetime(raw, day_first=day_first)
                else:
                    record.values[key] = parse_date(raw, day_first=day_first)
            except ValueProblem as problem:
                issues.append(Issue(record.row, _sentence(spec, problem), spec.label))
                ok = False
        record.raw_dates = {}
        return ok


def _sentence(spec: FieldSpec, problem: ValueProblem) -> str:
    text = str(problem)
    if text.startswith("is "):
        return f"{spec.label} {text}"
    return text


def money_fields(values: dict[str, Any]) -> dict[str, Money]:
    """The record's money values by field key."""
    return {k: v for k, v in values.items() if isinstance(v, Money)}
