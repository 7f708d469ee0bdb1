"""Auto-detected mappings for CRM exports, and mappings saved as JSON or in the workspace."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.imports.detection import detect_mapping
from app.imports.mapping import (
    Mapping,
    load_mapping,
    save_mapping,
    save_workspace_mapping,
    workspace_mappings,
)
from app.imports.sources import ImportRefused
from app.models.store import Store


@pytest.mark.parametrize(
    ("headers", "kind", "expected"),
    [
        (  # Salesforce accounts report
            ["Account ID", "Account Name", "Parent Account", "Annual Revenue", "Industry",
             "Account Owner", "Billing Country"],
            "accounts",
            {"external_id": "Account ID", "name": "Account Name", "parent_name": "Parent Account",
             "annual_revenue_minor": "Annual Revenue", "industry": "Industry",
             "owner": "Account Owner", "region": "Billing Country"},
        ),
        (  # Salesforce contacts report
            ["Contact ID", "First Name", "Last Name", "Title", "Email", "Account Name",
             "Account ID", "Reports To"],
            "contacts",
            {"external_id": "Contact ID", "first_name": "First Name", "last_name": "Last Name",
             "title": "Title", "email": "Email", "account_name": "Account Name",
             "account_external_id": "Account ID", "reports_to": "Reports To"},
        ),
        (  # HubSpot contacts export
            ["Record ID", "First Name", "Last Name", "Email", "Job Title", "Associated Company",
             "Phone Number"],
            "contacts",
            {"external_id": "Record ID", "first_name": "First Name", "last_name": "Last Name",
             "email": "Email", "title": "Job Title", "account_name": "Associated Company",
             "phone": "Phone Number"},
        ),
        (  # HubSpot companies export
            ["Record ID", "Company name", "Parent Company", "Annual Revenue", "Industry"],
            "accounts",
            {"external_id": "Record ID", "name": "Company name", "parent_name": "Parent Company",
             "annual_revenue_minor": "Annual Revenue", "industry": "Industry"},
        ),
        (  # Gainsight companies
            ["GSID", "Company Name", "ARR", "CSM", "Stage", "Renewal Date"],
            "accounts",
            {"external_id": "GSID", "name": "Company Name", "arr_minor": "ARR", "owner": "CSM",
             "lifecycle_stage": "Stage"},
        ),
        (  # a contracts sheet
            ["Account Name", "Contract Name", "Contract Start Date", "Contract End Date",
             "Contract Value", "Auto Renew"],
            "contracts",
            {"account_name": "Account Name", "name": "Contract Name",
             "start_date": "Contract Start Date", "end_date": "Contract End Date",
             "value_minor": "Contract Value", "auto_renew": "Auto Renew"},
        ),
        (  # Salesforce custom fields end in __c
            ["Account Name", "NPS__c", "Snapshot Date", "Open Tickets"],
            "health",
            {"account_name": "Account Name", "nps": "NPS__c", "as_of": "Snapshot Date",
             "tickets_open": "Open Tickets"},
        ),
    ],
)  # fmt: skip
def test_crm_headers_are_detected(headers: list[str], kind: str, expected: dict[str, str]) -> None:
    mapping = detect_mapping(headers)
    assert mapping.kind == kind
    assert mapping.columns == expected


def test_headers_match_loosely() -> None:
    mapping = detect_mapping(["  account   NAME ", "E-Mail", "first_name", "LAST-NAME"], "contacts")
    assert mapping.columns == {
        "account_name": "  account   NAME ",
        "email": "E-Mail",
        "first_name": "first_name",
        "last_name": "LAST-NAME",
    }


def test_json_round_trip_and_file_save(tmp_path: Path) -> None:
    mapping = Mapping("contracts", {"end_date": "Ends", "account_name": "Client"}, "EUR", True)
    path = tmp_path / "map.json"
    save_mapping(mapping, path)
    assert load_mapping(path) == mapping
    assert [p.name for p in tmp_path.iterdir()] == ["map.json"]  # no temp file left


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not json", "not a JSON mapping"),
        ('{"format": "other"}', "not a Fieldbook import mapping"),
        ('{"format": "fieldbook-import-mapping/1", "kind": "pets"}', "unknown kind"),
        (
            '{"format": "fieldbook-import-mapping/1", "kind": "accounts", "columns": {"x": "y"}}',
            "unknown field “x”",
        ),
        (
            '{"format": "fieldbook-import-mapping/1", "kind": "accounts", "columns": {},'
            ' "default_currency": "euro"}',
            "invalid default currency",
        ),
    ],
)
def test_bad_mapping_files_are_refused(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ImportRefused, match=message):
        load_mapping(path)


def test_a_mapping_naming_a_missing_column_is_refused() -> None:
    mapping = Mapping("accounts", {"name": "Client"})
    with pytest.raises(ImportRefused, match="has no column “Client”"):
        mapping.check_against(["Customer"], "x.csv")
    with pytest.raises(ImportRefused, match="mapped to account name for accounts"):
        Mapping("accounts", {}).check_against(["Customer"], "x.csv")


def test_mappings_saved_in_the_workspace(store: Store) -> None:
    mapping = Mapping("contacts", {"email": "Mail", "name": "Wer", "account_name": "Firma"})
    with store.session() as session:
        save_workspace_mapping(session, "Old CRM", mapping)
    with store.session() as session:
        save_workspace_mapping(session, "Old CRM", Mapping("contacts", {"email": "E-Mail"}))
    with store.read() as session:
        assert workspace_mappings(session) == {"Old CRM": Mapping("contacts", {"email": "E-Mail"})}


def test_fields_are_named_in_sentence_case() -> None:
    # The wizard said "Lifecycle Stage" and "Close Date" where the window says
    # "Lifecycle stage": words after the first are lower-case unless acronyms.
    from app.imports.fields import FIELDS

    for specs in FIELDS.values():
        for spec in specs:
            for word in spec.label.split(" ")[1:]:
                assert word.islower() or word.strip("()") in {"ID", "ARR", "NPS", "CSAT", "CSM"}, (
                    spec.label
                )
    labels = {spec.key: spec.label for spec in FIELDS["opportunities"]}
    assert labels["expected_close_on"] == "Close date"
