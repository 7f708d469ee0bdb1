"""The header catalogue: well formed, every field real, every source cited."""

from __future__ import annotations

import json

import pytest

from app.imports.detection import detect_mapping
from app.imports.fields import _SPECS
from app.imports.vocabulary import VOCAB_DIR, VOCAB_FILES, normalise_header


@pytest.mark.parametrize("name", VOCAB_FILES)
def test_every_vocabulary_names_real_fields_and_cites_its_source(name: str) -> None:
    data = json.loads((VOCAB_DIR / f"{name}.json").read_text(encoding="utf-8"))
    assert data["source"] and data["about"]
    if name != "fieldbook":
        assert data["references"], f"{name} cites no published field list"
    for kind, entry in data["kinds"].items():
        assert kind in _SPECS, f"{name}: unknown kind {kind}"
        keys = {spec.key for spec in _SPECS[kind]}
        for key, headers in entry.get("fields", {}).items():
            assert key in keys, f"{name}: {kind} has no field {key}"
            assert all(isinstance(h, str) and normalise_header(h) for h in headers)


def test_every_vocabulary_file_is_listed() -> None:
    assert {p.stem for p in VOCAB_DIR.glob("*.json")} == set(VOCAB_FILES)


@pytest.mark.parametrize(
    ("headers", "kind"),
    [
        (["Organization - Name", "Organization - Owner", "Organization - ID"], "accounts"),
        (["Person - Name", "Person - Email", "Person - Organization"], "contacts"),
        (
            ["Deal - Title", "Deal - Value", "Deal - Currency", "Deal - Organization"],
            "opportunities",
        ),
        (["Account Name", "Account Owner", "Parent Account", "Annual Revenue"], "accounts"),
        (["First Name", "Last Name", "Account Name", "Reports To", "Email"], "contacts"),
        (["Deal Name", "Account Name", "Stage", "Closing Date", "Amount"], "opportunities"),
        (
            ["(Do Not Modify) Account", "Account Name", "Primary Contact", "Annual Revenue"],
            "accounts",
        ),
        (["(Do Not Modify) Contact", "Full Name", "Company Name", "Manager"], "contacts"),
        (["GSID", "Name", "ARR", "CSM", "Stage"], "accounts"),
        (["Person GSID", "Company GSID", "First Name", "Last Name", "Email"], "contacts"),
    ],
)
def test_each_source_is_detected_by_its_own_headers(headers: list[str], kind: str) -> None:
    assert detect_mapping(headers).kind == kind
