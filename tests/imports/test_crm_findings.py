"""The 13 findings of a new user's first import of real CRM exports, one regression test each.

Fixtures follow each source's published conventions: Salesforce API names (Data Loader,
SFDX, weekly export) and report labels, HubSpot property labels with associated-record
columns, Dynamics 365 display names, scientific notation, currency names, BOM and CRLF.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from app.imports.commit import import_table, import_to_path
from app.imports.detection import AmbiguousKind, describe_guess, detect_mapping
from app.imports.sources import ImportRefused, open_table
from app.models import Account, Opportunity, Stakeholder
from app.models.store import Store
from app.services import dates_text


def _csv(path: Path, lines: list[str], *, bom: bool = False, crlf: bool = False) -> Path:
    text = ("\r\n" if crlf else "\n").join(lines) + ("\r\n" if crlf else "\n")
    path.write_bytes(("\ufeff" if bom else "").encode() + text.encode("utf-8"))
    return path


def _import(store: Store, path: Path, **kw: Any) -> Any:
    table = open_table(path)
    mapping = detect_mapping(table.headers, kw.pop("kind", None))
    return import_table(store, table, mapping, **kw)


def _accounts(store: Store) -> dict[str, Account]:
    with store.read() as session:
        rows = session.scalars(select(Account)).all()
        session.expunge_all()
        return {a.name: a for a in rows}


SF_OPPORTUNITIES = [
    "Id,AccountId,Name,StageName,Amount,CloseDate,Type,Probability,NextStep,OwnerId,"
    "CurrencyIsoCode",
    "006A,001A,System Assessment,Prospecting,6.0E7,2026-03-31,New Customer,10,Call CFO,005A,USD",
    "006B,001A,300 Add'l Users,Closed Won,1.5E5,2026-01-15,Existing Customer - Upgrade,100,,"
    "005A,USD",
]


def test_1_opportunity_exports_are_detected_as_opportunities_not_contacts(
    store: Store, tmp_path: Path
) -> None:
    headers = SF_OPPORTUNITIES[0].split(",")
    mapping = detect_mapping(headers)
    assert mapping.kind == "opportunities"
    assert describe_guess(mapping).startswith("as opportunities: StageName, Amount, CloseDate")
    # HubSpot deals and Dynamics opportunities too.
    hubspot = ["Record ID", "Deal Name", "Deal Stage", "Amount", "Close Date", "Pipeline"]
    dynamics = ["(Do Not Modify) Opportunity", "Topic", "Potential Customer", "Est. Revenue"]
    assert detect_mapping([*hubspot, "Associated Company"]).kind == "opportunities"
    assert detect_mapping([*dynamics, "Est. Close Date"]).kind == "opportunities"
    accounts = ["Id,Name", "001A,Globex"]
    assert _import(store, _csv(tmp_path / "Account.csv", accounts)).committed
    outcome = _import(store, _csv(tmp_path / "Opportunity.csv", SF_OPPORTUNITIES))
    assert outcome.committed, outcome.plan.errors
    with store.read() as session:
        deals = {o.title: o for o in session.scalars(select(Opportunity))}
        assert session.scalars(select(Stakeholder)).all() == []
        session.expunge_all()
    assert set(deals) == {"System Assessment", "300 Add'l Users"}
    won = deals["300 Add'l Users"]
    assert (won.stage.value, won.crm_stage, won.kind.value) == ("won", "Closed Won", "upsell")
    assert (won.value_minor, won.currency, won.external_id) == (15_000_000, "USD", "006B")
    open_deal = deals["System Assessment"]
    assert (open_deal.stage.value, open_deal.probability, open_deal.next_step) == (
        "handed_to_sales",
        10,
        "Call CFO",
    )
    assert open_deal.expected_close_on is not None and open_deal.owner == "005A"


def test_2_annual_revenue_is_a_company_fact_not_arr(store: Store, tmp_path: Path) -> None:
    lines = [
        "Id,Name,AnnualRevenue,NumberOfEmployees",
        "001A,Globex,5600000000,12000",
    ]
    assert _import(store, _csv(tmp_path / "Account.csv", lines)).committed
    globex = _accounts(store)["Globex"]
    assert (globex.annual_revenue_minor, globex.employees, globex.arr_minor) == (
        560_000_000_000,
        12000,
        0,
    )
    # ARR comes from a field that means recurring value.
    assert detect_mapping(["Account Name", "ARR"]).columns["arr_minor"] == "ARR"
    assert "arr_minor" not in detect_mapping(["Account Name", "Annual Revenue"]).columns


def test_3_scientific_notation_amounts_import(store: Store, tmp_path: Path) -> None:
    lines = ["Account Name,ARR,AnnualRevenue", "Acme,6.0E7,1.25E9", "Beta,-2.5e3,"]
    outcome = _import(store, _csv(tmp_path / "a.csv", lines))
    assert outcome.committed, outcome.plan.errors
    accounts = _accounts(store)
    assert accounts["Acme"].arr_minor == 6_000_000_000
    assert accounts["Acme"].annual_revenue_minor == 125_000_000_000
    assert accounts["Beta"].arr_minor == -250_000


def _managers(store: Store) -> dict[str, str | None]:
    with store.read() as session:
        people = session.scalars(select(Stakeholder)).all()
        names = {p.id: p.name for p in people}
        return {p.name: names.get(p.reports_to_id or "") for p in people}


def test_4_salesforce_reports_to_id_links_reporting_lines(store: Store, tmp_path: Path) -> None:
    lines = [
        "Id,AccountId,FirstName,LastName,Email,Title,ReportsToId,Account Name",
        "003A,001A,Hank,Scorpio,hank@globex.example,CEO,,Globex",
        "003B,001A,Frank,Grimes,frank@globex.example,VP,003A,Globex",
        "003C,001A,Homer,Simpson,homer@globex.example,Safety,003B,Globex",
        "003D,001A,Lenny,Leonard,lenny@globex.example,Tech,003Z,Globex",
    ]
    outcome = _import(store, _csv(tmp_path / "Contact.csv", lines, crlf=True))
    assert outcome.committed, outcome.plan.errors
    assert _managers(store) == {
        "Hank Scorpio": None,
        "Frank Grimes": "Hank Scorpio",
        "Homer Simpson": "Frank Grimes",
        "Lenny Leonard": None,
    }
    assert [(w.row, w.message) for w in outcome.plan.warnings] == [
        (5, "Reports To “003Z” of “Lenny Leonard” matches nobody at the account; left empty.")
    ]


def test_5_a_parent_outside_the_file_is_a_warning_not_a_block(store: Store, tmp_path: Path) -> None:
    lines = ["Id,Name,ParentId", "001A,Globex,", "001B,Globex EU,001A", "001C,Orphan,001Q"]
    outcome = _import(store, _csv(tmp_path / "Account.csv", lines))
    assert outcome.committed and outcome.plan.errors == []
    assert [w.row for w in outcome.plan.warnings] == [4]
    accounts = _accounts(store)
    assert accounts["Globex EU"].parent_id == accounts["Globex"].id
    assert accounts["Orphan"].parent_id is None


def test_6_an_empty_column_never_beats_a_filled_alternative(store: Store, tmp_path: Path) -> None:
    lines = ["Account Name,Region,Billing Country", "Acme,,Germany", "Beta,EMEA,France"]
    assert _import(store, _csv(tmp_path / "a.csv", lines)).committed
    accounts = _accounts(store)
    assert (accounts["Acme"].region, accounts["Beta"].region) == ("Germany", "EMEA")


def test_6_hubspot_contacts_belong_to_the_associated_company_record(
    store: Store, tmp_path: Path
) -> None:
    companies = [
        "Record ID,Company name,Annual Revenue,Number of Employees,Company owner",
        "9001,Acme Corporation,2000000,250,Kim CSM",
    ]
    assert _import(store, _csv(tmp_path / "companies.csv", companies, bom=True)).committed
    contacts = [
        "Record ID,First Name,Last Name,Email,Job Title,Company Name,Associated Company,"
        "Record ID - Company",
        "1,Ana,Ruiz,ana@acme.example,CEO,ACME Inc (typed by hand),Acme Corporation,9001",
        "2,Bo,Li,bo@acme.example,CTO,Acme,,9001",
    ]
    mapping = detect_mapping(contacts[0].split(","))
    assert mapping.columns["account_name"] == "Associated Company"
    assert mapping.columns["account_external_id"] == "Record ID - Company"
    outcome = _import(store, _csv(tmp_path / "contacts.csv", contacts, bom=True, crlf=True))
    assert outcome.committed, outcome.plan.errors
    assert outcome.plan.new_accounts == 0
    with store.read() as session:
        people = session.scalars(select(Stakeholder)).all()
        assert {p.account.name for p in people} == {"Acme Corporation"}


def test_7_columns_a_csm_needs_are_kept_and_the_rest_listed_as_ignored(
    store: Store, tmp_path: Path
) -> None:
    lines = [
        "account_name,subsidiary_of,sector,owner,account_type,employees,favourite_colour",
        "Acme Group,,Retail,Kim,Customer,5000,blue",
        "Acme UK,Acme Group,Retail,Lee,Customer,300,red",
    ]
    outcome = _import(store, _csv(tmp_path / "crm.csv", lines))
    assert outcome.committed
    assert outcome.plan.ignored == ["favourite_colour"]
    assert outcome.plan.filled["parent_name"] == 1 and outcome.plan.filled["industry"] == 2
    uk = _accounts(store)["Acme UK"]
    assert (uk.industry, uk.owner, uk.account_type, uk.employees) == (
        "Retail",
        "Lee",
        "Customer",
        300,
    )
    assert uk.parent_id == _accounts(store)["Acme Group"].id


@pytest.mark.parametrize(
    ("written", "code"),
    [("US Dollar", "USD"), ("Euro", "EUR"), ("£", "GBP"), ("Japanese Yen", "JPY"), ("chf", "CHF")],
)
def test_8_currencies_by_name_symbol_or_code(
    store: Store, tmp_path: Path, written: str, code: str
) -> None:
    lines = ["Account Name,Currency,ARR", f"Acme,{written},1000"]
    outcome = _import(store, _csv(tmp_path / "a.csv", lines))
    assert outcome.committed, outcome.plan.errors
    acme = _accounts(store)["Acme"]
    # JPY has no minor unit (ISO 4217): 1000 yen are stored as 1000.
    assert (acme.currency, acme.arr_minor) == (code, 1000 if code == "JPY" else 100_000)


def test_9_a_duplicate_row_message_quotes_the_name(store: Store, tmp_path: Path) -> None:
    lines = [
        "Account Name,Contract Name,Contract End Date",
        "Acme,Platform 2026,2026-12-31",
        "Acme,platform 2026,2026-12-31",
    ]
    outcome = _import(store, _csv(tmp_path / "c.csv", lines), kind="contracts")
    assert [(e.row, e.message) for e in outcome.plan.errors] == [
        (3, "Repeats row 2 (same name “platform 2026” ending Dec 31, 2026).")
    ]


def test_9_a_duplicate_rows_day_reads_as_the_window_writes_a_day(
    store: Store, tmp_path: Path
) -> None:
    # They said "date 2024-05-06" and "ending 2026-12-31" (ISO), not the app's day in words.
    health = ["Account Name,Date,NPS", "Initech,2024-05-06,42", "Initech,2024-05-06,40"]
    outcome = _import(store, _csv(tmp_path / "h.csv", health), kind="health")
    assert [(e.row, e.message) for e in outcome.plan.errors] == [
        (3, "Repeats row 2 (same date May 6, 2024).")
    ]
    activities = [
        "Account Name,Activity Type,Subject,Activity Date",
        "Initech,Email,Sent the deck,2024-05-07",
        "Initech,Email,Sent the deck,2024-05-07",
        "Initech,Call,Kick-off,2024-05-06 10:30",
        "Initech,Call,Kick-off,2024-05-06 10:30",
    ]
    outcome = _import(store, _csv(tmp_path / "a.csv", activities), kind="activities")
    # An all-day touchpoint by its day; a timed one at its local time, as its form shows it.
    kick_off = dates_text.moment(datetime(2024, 5, 6, 10, 30, tzinfo=UTC))
    assert [(e.row, e.message) for e in outcome.plan.errors] == [
        (3, "Repeats row 2 (same subject “Sent the deck” and date May 7, 2024)."),
        (5, f"Repeats row 4 (same subject “Kick-off” and date {kick_off})."),
    ]


def test_10_messages_say_what_to_do(tmp_path: Path) -> None:
    path = _csv(tmp_path / "odd.csv", ["Foo,Bar", "1,2"])
    with pytest.raises(ImportRefused) as refused:
        import_to_path(tmp_path / "b.db", path, kind="accounts")
    message = str(refused.value)
    assert "as accounts" in message and "“Foo”, “Bar”" in message
    assert "give --kind" not in message  # --kind was given
    assert not (tmp_path / "b.db").exists()


def test_10_two_kinds_that_fit_are_named_not_guessed() -> None:
    headers = ["Account Name", "Name", "Amount", "Close Date", "Contract End Date", "Renewal Date"]
    with pytest.raises(AmbiguousKind) as refused:
        detect_mapping(headers)
    kinds = {m.kind for m in refused.value.candidates}
    assert kinds == {"opportunities", "contracts"}
    assert "give --kind" in str(refused.value)


def test_11_no_invented_segment_or_lifecycle_stage(store: Store, tmp_path: Path) -> None:
    lines = ["Account Name,Industry,Segment", "Acme,Retail,", "Beta,Retail,Enterprise"]
    contacts = ["Email,First Name,Account Name", "x@gamma.example,Xi,Gamma"]
    assert _import(store, _csv(tmp_path / "a.csv", lines)).committed
    assert _import(store, _csv(tmp_path / "c.csv", contacts)).committed
    accounts = _accounts(store)
    assert (accounts["Acme"].segment, accounts["Acme"].lifecycle_stage) == (None, None)
    assert accounts["Beta"].segment is not None and accounts["Beta"].segment.value == "enterprise"
    assert (accounts["Gamma"].segment, accounts["Gamma"].lifecycle_stage) == (None, None)


def test_12_a_contact_with_only_an_email_is_named_from_it_and_flagged(
    store: Store, tmp_path: Path
) -> None:
    lines = ["Email,First Name,Last Name,Associated Company", "jane.doe@acme.example,,,Acme"]
    outcome = _import(store, _csv(tmp_path / "hubspot-contacts.csv", lines))
    assert outcome.committed
    assert [(w.row, w.message) for w in outcome.plan.warnings] == [
        (2, "No name: named “Jane Doe” from the email “jane.doe@acme.example”; check it.")
    ]


FOOTER = [
    "",
    "Accounts with Revenue",
    '"Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved."',
    "Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved.",
    "Confidential Information - Do Not Distribute",
    "Generated By:  Kim CSM  12/2/2026 10:15 AM",
    "Globex Corporation",
]


def test_13_salesforce_report_footer_is_dropped_from_csv(store: Store, tmp_path: Path) -> None:
    lines = ['"Account Name","Annual Revenue","Billing Country"', '"Acme","1000","US"', *FOOTER]
    outcome = _import(store, _csv(tmp_path / "report.csv", lines))
    assert outcome.committed and outcome.plan.rows_read == 1
    assert set(_accounts(store)) == {"Acme"}


def test_13_salesforce_report_footer_is_dropped_from_xlsx(store: Store, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Account Name", "Annual Revenue", "Billing Country"])
    sheet.append(["Acme", 1000, "US"])
    sheet.append(["Beta", 2000, "FR"])
    for line in FOOTER:
        sheet.append([line or None])
    path = tmp_path / "report.xlsx"
    book.save(path)
    outcome = _import(store, path)
    assert outcome.committed and outcome.plan.rows_read == 2
    assert set(_accounts(store)) == {"Acme", "Beta"}


def test_one_cell_rows_after_a_blank_line_without_a_footer_are_data(
    store: Store, tmp_path: Path
) -> None:
    lines = ["Account Name,Industry", "Acme,Retail", "", "Beta", "Gamma"]
    outcome = _import(store, _csv(tmp_path / "a.csv", lines))
    assert outcome.committed
    assert set(_accounts(store)) == {"Acme", "Beta", "Gamma"}
