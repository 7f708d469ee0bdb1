"""Guessing what a file holds and which column feeds which field, from its headers (and an
export's file name), naming the evidence; refusing to pick when two kinds fit alike."""

from __future__ import annotations

import re
from pathlib import Path

from app.imports.fields import FIELDS, KINDS, Kind, kind_words
from app.imports.mapping import Mapping
from app.imports.sources import ImportRefused
from app.imports.vocabulary import normalise_header, vocabularies

#: Ties between kinds go to the earlier one: the import order, but a users file (any list
#: with a name and an id column looks like one) loses every tie.
_PREFERENCE: tuple[Kind, ...] = (*(k for k in KINDS if k != "users"), "users")


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


def _evidence(kind: Kind) -> dict[str, str]:
    """Normalised header -> the source whose exports mark ``kind`` with it."""
    out: dict[str, str] = {}
    for vocabulary in vocabularies():
        for header in vocabulary.evidence.get(kind, ()):
            out.setdefault(normalise_header(header), vocabulary.source)
    return out


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
        return _mapping_for(headers, kind)
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
        mapping = _mapping_for(headers, candidate)
        score = _score(mapping)
        if candidate == "users" and not mapping.evidence:
            score -= 10  # "Id, Name" is an account list far more often than a user list
        scored.append((score, -_PREFERENCE.index(candidate), mapping))
    scored.sort(key=lambda item: (item[0], item[1]), reverse=True)
    return [item[2] for item in scored]


def _mapping_for(headers: list[str], kind: Kind) -> Mapping:
    """The headers' mapping for ``kind``, with the headers that mark the kind as evidence."""
    mapping = Mapping(kind, *_match(headers, kind))
    mapping.evidence = _evidence_in(headers, kind)
    return mapping


def _score(mapping: Mapping) -> int:
    return len(mapping.columns) + 2 * len(mapping.evidence) - 4 * len(mapping.missing_required())


def _short_evidence(mapping: Mapping) -> list[str]:
    return [e.split(" (")[0] for e in mapping.evidence[:4]] or list(mapping.columns.values())[:3]


def describe_guess(mapping: Mapping) -> str:
    """ "as opportunities: StageName, CloseDate, Amount" — the kind and why."""
    return f"as {kind_words(mapping.kind)}: {', '.join(_short_evidence(mapping))}"


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
