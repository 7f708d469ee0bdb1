"""The header vocabularies of CRM exports: each source's spellings of our fields, the headers
and file names that mark a kind, and its renewal deal types (JSON files under ``vocab/``)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

#: The header vocabularies, one JSON file per source (see vocab/README.md).
VOCAB_DIR = Path(__file__).with_name("vocab")
#: Sources in the order their spellings are tried, round by round (see ``fields._aliases``).
VOCAB_FILES = (
    "fieldbook",
    "salesforce",
    "hubspot",
    "dynamics",
    "pipedrive",
    "zoho",
    "cs_platforms",
)
#: The sources whose exports are recognised, in words (what the import wizard and the first
#: start promise; one list, so neither leaves out a source the other names).
SOURCES_IN_WORDS = (
    "Salesforce, HubSpot, Dynamics 365, Pipedrive, Zoho, Gainsight, ChurnZero or Totango"
)


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


def normalise_header(text: str) -> str:
    """Header text compared loosely: case, spaces, punctuation and a trailing ``__c`` ignored."""
    text = re.sub(r"__c$", "", text.strip(), flags=re.IGNORECASE)
    return re.sub(r"[^0-9a-z]+", "", text.casefold())
