"""Renewal-type deals taken as contract renewals: per CRM's own types, dates, money, re-import."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from app.imports.commit import ImportOutcome, import_table
from app.imports.detection import detect_mapping
from app.imports.mapping import Mapping
from app.imports.sources import open_table
from app.imports.undo import list_imports, undo_import
from app.models import Contract, Opportunity, Renewal, utcnow
from app.models.enums import ContractStatus, ForecastCategory, RenewalOutcome
from app.models.store import Store

#: Salesforce Opportunity (Data Loader: API names). Type is the org's picklist: its
#: defaults (New Customer, Existing Customer - Upgrade/Replacement/Downgrade) plus the
#: "Existing Customer - Renewal" value orgs add to track renewals.
SALESFORCE = (
    "Id,AccountId,Account.Name,Name,StageName,Amount,CloseDate,Type,Probability,NextStep,"
    "CurrencyIsoCode\r\n"
    "006R1,001A,Globex,Globex renewal FY27,Negotiation/Review,1.2E5,2026-09-30,"
    "Existing Customer - Renewal,75,Send the quote,USD\r\n"
    "006R2,001B,Initech,Initech renewal,Closed Won,5.0E4,2026-03-31,Existing Customer - Renewal,"
    "100,,USD\r\n"
    "006R3,001C,Hooli,Hooli renewal,Closed Lost,2.0E4,2026-02-28,Renewal,0,,USD\r\n"
    "006U1,001A,Globex,300 Add'l Users,Prospecting,6.0E4,2026-06-30,Existing Customer - Upgrade,"
    "10,Call the CFO,USD\r\n"
)
#: HubSpot deals export: "Deal Type" holds New Business / Existing Business; a renewals
#: pipeline also marks a renewal.
HUBSPOT = (
    "Record ID,Deal Name,Deal Stage,Amount,Close Date,Deal Type,Pipeline,Associated Company\n"
    '901,Acme renewal 2027,Contract Sent,"24,000",2027-01-31,Existing Business,Sales Pipeline,'
    "Acme\n"
    "902,Umbrella term 2,Appointment Scheduled,9000,2026-11-30,,Renewals,Umbrella\n"
    "903,Acme new module,Qualified To Buy,5000,2026-12-15,New Business,Sales Pipeline,Acme\n"
)
#: Zoho CRM Deals export: Type is New Business or Existing Business.
ZOHO = (
    "Record Id,Deal Name,Account Name,Stage,Amount,Closing Date,Type,Probability (%)\n"
    "z1,Contoso 2027,Contoso,Negotiation/Review,8000,2027-03-31,Existing Business,90\n"
    "z2,Contoso pilot,Contoso,Qualification,1000,2026-10-01,New Business,20\n"
)


def _file(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _import(store: Store, path: Path, renewal_deals: str = "contracts") -> ImportOutcome:
    table = open_table(path)
    mapping = detect_mapping(table.headers)
    assert mapping.kind == "opportunities"
    mapping.renewal_deals = renewal_deals  # type: ignore[assignment]
    outcome = import_table(store, table, mapping)
    assert outcome.plan.ok, outcome.plan.errors
    return outcome


def _contracts(store: Store) -> dict[str, tuple[Contract, Renewal | None]]:
    with store.read() as session:
        out = {}
        for contract in session.scalars(select(Contract)):
            renewal = session.scalars(
                select(Renewal).where(Renewal.contract_id == contract.id)
            ).first()
            session.expunge(contract)
            if renewal is not None:
                session.expunge(renewal)
            out[contract.name] = (contract, renewal)
        return out


def _titles(store: Store) -> set[str]:
    with store.read() as session:
        return set(session.scalars(select(Opportunity.title)))


def test_salesforce_renewal_deals_become_contracts_with_their_renewal(
    store: Store, tmp_path: Path
) -> None:
    outcome = _import(store, _file(tmp_path, "Opportunity.csv", SALESFORCE))
    assert outcome.committed
    assert outcome.plan.created_rows == 4  # one per deal: 3 contracts, 1 opportunity
    assert outcome.plan.notes == [
        "3 deals typed as renewals go in as contract renewals (a contract ending on the close "
        "date, with its renewal); 1 deal as opportunities."
    ]
    assert _titles(store) == {"300 Add'l Users"}
    found = _contracts(store)
    assert set(found) == {"Globex renewal FY27", "Initech renewal", "Hooli renewal"}
    open_, renewal = found["Globex renewal FY27"]
    assert (open_.start_date, open_.end_date) == (date(2025, 9, 30), date(2026, 9, 30))
    assert (open_.value_minor, open_.currency) == (12_000_000, "USD")
    assert (open_.status, open_.external_id) == (ContractStatus.ACTIVE, "006R1")
    assert renewal is not None
    assert (renewal.forecast, renewal.likelihood, renewal.next_step) == (
        ForecastCategory.LIKELY,
        75,
        "Send the quote",
    )
    assert renewal.outcome is None
    won, won_renewal = found["Initech renewal"]
    assert won.status is ContractStatus.RENEWED and won.value_minor == 5_000_000
    assert won_renewal is not None
    assert (won_renewal.outcome, won_renewal.outcome_on) == (
        RenewalOutcome.RENEWED,
        date(2026, 3, 31),
    )
    lost, lost_renewal = found["Hooli renewal"]
    assert lost.status is ContractStatus.CHURNED
    assert lost_renewal is not None and lost_renewal.outcome is RenewalOutcome.CHURNED
    assert lost_renewal.reason == "Closed Lost in the CRM"


def test_by_default_renewal_deals_stay_opportunities(store: Store, tmp_path: Path) -> None:
    _import(store, _file(tmp_path, "Opportunity.csv", SALESFORCE), "opportunities")
    assert len(_titles(store)) == 4
    assert _contracts(store) == {}


def test_reimporting_renewal_deals_changes_nothing_then_only_what_changed(
    store: Store, tmp_path: Path
) -> None:
    path = _file(tmp_path, "Opportunity.csv", SALESFORCE)
    _import(store, path)
    again = _import(store, path)
    assert not again.committed  # nothing to write: no batch recorded
    assert (again.plan.created_rows, again.plan.updated_rows, again.plan.skipped) == (0, 0, 4)
    assert len(list_imports(store)) == 1
    # A newer export: the open renewal's probability moved (its renewal only) and the
    # Initech amount was corrected (its contract).
    newer = SALESFORCE.replace("Existing Customer - Renewal,75,", "Existing Customer - Renewal,95,")
    newer = newer.replace("Initech renewal,Closed Won,5.0E4", "Initech renewal,Closed Won,5.5E4")
    outcome = _import(store, _file(tmp_path, "Opportunity.csv", newer))
    assert (outcome.plan.created_rows, outcome.plan.updated_rows, outcome.plan.skipped) == (
        0,
        2,
        2,
    )
    found = _contracts(store)
    renewal = found["Globex renewal FY27"][1]
    assert renewal is not None
    assert (renewal.likelihood, renewal.forecast) == (95, ForecastCategory.COMMIT)
    assert found["Initech renewal"][0].value_minor == 5_500_000
    assert len(found) == 3 and len(_titles(store)) == 1
    # Undo puts the first import's values back; undoing that one removes the contracts.
    assert outcome.batch_id is not None
    undo_import(store, outcome.batch_id)
    assert _contracts(store)["Initech renewal"][0].value_minor == 5_000_000
    undo_import(store, list_imports(store)[-1].batch_id)
    assert _contracts(store) == {} and _titles(store) == set()


def test_a_renewal_deal_edited_in_fieldbook_counts_as_a_conflict_not_unchanged(
    store: Store, tmp_path: Path
) -> None:
    path = _file(tmp_path, "Opportunity.csv", SALESFORCE)
    _import(store, path)
    later = utcnow() + timedelta(minutes=1)
    with store.session() as session:  # the CSM corrected a value and a likelihood by hand
        initech = session.scalars(select(Contract).where(Contract.name == "Initech renewal"))
        contract = initech.one()
        contract.value_minor, contract.updated_at = 5_200_000, later
        globex = session.scalars(select(Contract).where(Contract.name == "Globex renewal FY27"))
        renewal = session.scalars(
            select(Renewal).where(Renewal.contract_id == globex.one().id)
        ).one()
        renewal.likelihood, renewal.updated_at = 80, later
    newer = SALESFORCE.replace("Existing Customer - Renewal,75,", "Existing Customer - Renewal,95,")
    newer = newer.replace("Initech renewal,Closed Won,5.0E4", "Initech renewal,Closed Won,5.5E4")
    plan = _import(store, _file(tmp_path, "Opportunity.csv", newer)).plan
    assert [c.row for c in plan.conflicts] == [2, 3]
    # Globex's contract and Initech's renewal are as the file has them, but each deal is a
    # conflict: counted once, as a conflict, not among the unchanged.
    assert plan.summary() == "4 rows read, 0 to create, 0 to update, 2 unchanged, 2 conflicts"


def test_a_hand_made_contract_is_matched_and_keeps_its_own_term(
    store: Store, tmp_path: Path
) -> None:
    _import(store, _file(tmp_path, "Opportunity.csv", SALESFORCE))
    with store.session() as session:
        contract = session.scalars(select(Contract).where(Contract.name == "Initech renewal")).one()
        contract.start_date = date(2024, 4, 1)
        contract.external_id = None
    outcome = _import(store, _file(tmp_path, "Opportunity.csv", SALESFORCE))
    # Found again by account, name and renewal date; its start date is not the file's.
    assert outcome.plan.created_rows == 0
    assert _contracts(store)["Initech renewal"][0].start_date == date(2024, 4, 1)


@pytest.mark.parametrize(
    ("name", "text", "contracts", "opportunities"),
    [
        ("hubspot-crm-exports-all-deals.csv", HUBSPOT, {"Acme renewal 2027", "Umbrella term 2"},
         {"Acme new module"}),
        ("Deals.csv", ZOHO, {"Contoso 2027"}, {"Contoso pilot"}),
    ],
    ids=["hubspot", "zoho"],
)  # fmt: skip
def test_each_crm_says_renewal_its_own_way(
    store: Store,
    tmp_path: Path,
    name: str,
    text: str,
    contracts: set[str],
    opportunities: set[str],
) -> None:
    _import(store, _file(tmp_path, name, text))
    assert set(_contracts(store)) == contracts
    assert _titles(store) == opportunities


def test_a_renewal_deal_without_a_close_date_is_an_error_naming_the_row(
    store: Store, tmp_path: Path
) -> None:
    text = SALESFORCE.replace("2026-09-30", "")
    table = open_table(_file(tmp_path, "Opportunity.csv", text))
    mapping = detect_mapping(table.headers)
    mapping.renewal_deals = "contracts"
    outcome = import_table(store, table, mapping)
    assert not outcome.committed
    assert [(e.row, e.column) for e in outcome.plan.errors] == [(2, "Close Date")]
    assert "“Globex renewal FY27” has no Close Date" in outcome.plan.errors[0].message


def test_the_choice_travels_in_the_mapping_file() -> None:
    mapping = Mapping("opportunities", {"title": "Name"})
    mapping.renewal_deals = "contracts"
    assert Mapping.from_json(mapping.to_json()).renewal_deals == "contracts"
    plain = Mapping("opportunities", {"title": "Name"})
    assert Mapping.from_json(plain.to_json()).renewal_deals == "opportunities"
    assert "renewal_deals" not in Mapping("opportunities", {"title": "Name"}).to_json()
