"""A whole CRM export at once: kinds per file, dependency order, cross-file ids, one undo."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.imports.export_set import import_export, open_export
from app.imports.sources import ImportRefused
from app.imports.undo import list_imports, undo_import
from app.models import Account, ImportBatch, Opportunity, Stakeholder
from app.models.store import Store

#: A Salesforce weekly export (Data Export service): one CSV per object, API names, CRLF.
WEEKLY = {
    "User.csv": [
        "Id,Name,FirstName,LastName,Email,Username,IsActive",
        "005A,Alice Owner,Alice,Owner,alice@us.example,alice@us.example.sf,true",
        "005B,,Bob,Owner,bob@us.example,bob@us.example.sf,true",
    ],
    "Account.csv": [
        "Id,Name,ParentId,Type,Industry,AnnualRevenue,NumberOfEmployees,OwnerId,BillingCountry,"
        "CurrencyIsoCode",
        "001A,Globex Holding,,Customer - Direct,Energy,5.6E9,12000,005A,United States,USD",
        "001B,Globex Europe,001A,Customer - Channel,Energy,,800,005B,Germany,EUR",
        "001C,Initech,001Z,Prospect,Software,1.2E7,,005A,,USD",
    ],
    "Contact.csv": [
        "Id,AccountId,FirstName,LastName,Email,Title,Department,ReportsToId,Phone,OwnerId",
        "003A,001A,Hank,Scorpio,hank@globex.example,CEO,Exec,,555,005A",
        "003B,001A,Frank,Grimes,frank@globex.example,VP Ops,Ops,003A,,005A",
        "003C,001B,,,jane.doe@globex.example,,,,,005B",
    ],
    "Opportunity.csv": [
        "Id,AccountId,Name,StageName,Amount,CloseDate,Type,Probability,NextStep,OwnerId,"
        "CurrencyIsoCode",
        "006A,001A,300 Add'l Users,Closed Won,6.0E4,2026-01-15,Existing Customer - Upgrade,100,,"
        "005A,USD",
        "006B,001B,System Assessment,Prospecting,1.5E5,2026-06-30,New Customer,10,Call CFO,"
        "005B,EUR",
    ],
    "Lead.csv": ["Id,FirstName,LastName,Company,Email", "00Q1,Lee,Lead,Leadco,lee@leadco.example"],
}


def _zip(path: Path, files: dict[str, list[str]]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, lines in files.items():
            archive.writestr(name, "\r\n".join(lines) + "\r\n")
    return path


def _count(store: Store, model: type) -> int:
    with store.read() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_a_salesforce_weekly_export_zip_goes_in_whole(store: Store, tmp_path: Path) -> None:
    with open_export(_zip(tmp_path / "WE_00D_1.zip", WEEKLY)) as export:
        kinds = {f.name: (f.mapping.kind if f.mapping else f.skipped) for f in export.files}
        assert kinds["Lead.csv"] == "Salesforce Lead records are not something Fieldbook keeps"
        assert [f.name for f in export.to_import] == [
            "User.csv",
            "Account.csv",
            "Contact.csv",
            "Opportunity.csv",
        ]
        outcome = import_export(store, export)
    assert outcome.committed, [p.errors for p in outcome.plans]
    with store.read() as session:
        accounts = {a.name: a for a in session.scalars(select(Account))}
        europe = accounts["Globex Europe"]
        assert europe.parent_id == accounts["Globex Holding"].id  # ParentId within the file
        assert (europe.owner, accounts["Globex Holding"].owner) == ("Bob Owner", "Alice Owner")
        assert accounts["Initech"].parent_id is None  # 001Z is not in the export: a warning
        people = {p.name: p for p in session.scalars(select(Stakeholder))}
        assert people["Frank Grimes"].reports_to_id == people["Hank Scorpio"].id
        assert people["Jane Doe"].account_id == europe.id  # AccountId across files
        deals = {o.title: o for o in session.scalars(select(Opportunity))}
        assert deals["System Assessment"].account_id == europe.id
        assert (deals["System Assessment"].value_minor, deals["System Assessment"].currency) == (
            15_000_000,
            "EUR",
        )
        assert deals["System Assessment"].owner == "Bob Owner"
    assert [w.row for p in outcome.plans for w in p.warnings] == [4, 4]
    # One batch, one undo, for the whole export.
    history = list_imports(store)
    assert [(r.kind, r.file_name, r.created_count) for r in history] == [
        ("export", "WE_00D_1.zip", 8)
    ]
    undo_import(store, history[0].batch_id)
    assert _count(store, Account) == _count(store, Stakeholder) == _count(store, Opportunity) == 0


def test_the_same_export_twice_changes_nothing(store: Store, tmp_path: Path) -> None:
    path = _zip(tmp_path / "export.zip", WEEKLY)
    with open_export(path) as export:
        assert import_export(store, export).committed
    with open_export(path) as export:
        again = import_export(store, export)
    assert not again.committed and again.ok
    assert all(p.created_rows == p.updated_rows == 0 for p in again.plans)
    assert _count(store, ImportBatch) == 1


def test_a_folder_dry_run_reports_every_file_and_changes_nothing(
    store: Store, tmp_path: Path
) -> None:
    folder = tmp_path / "export"
    folder.mkdir()
    for name, lines in WEEKLY.items():
        (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    with open_export(folder) as export:
        outcome = import_export(store, export, dry_run=True)
    assert [(p.file_name, p.created_rows) for p in outcome.plans] == [
        ("User.csv", 0),  # its users are kept; it names the owners of the files after it
        ("Account.csv", 3),
        ("Contact.csv", 3),
        ("Opportunity.csv", 2),
    ]
    assert _count(store, Account) == 0 and _count(store, ImportBatch) == 0


def test_one_bad_file_leaves_the_whole_export_out(store: Store, tmp_path: Path) -> None:
    files = dict(WEEKLY)
    files["Opportunity.csv"] = [*WEEKLY["Opportunity.csv"], "006C,001A,Bad,Prospecting,lots,,,,,,"]
    with open_export(_zip(tmp_path / "bad.zip", files)) as export:
        outcome = import_export(store, export)
    assert not outcome.ok and not outcome.committed
    assert [str(e) for p in outcome.plans for e in p.errors] == [
        "row 4 (Amount): “lots” is not an amount of money."
    ]
    assert _count(store, Account) == 0


def test_a_zip_that_escapes_its_folder_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "evil.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("../outside.csv", "Account Name\nAcme\n")
    with pytest.raises(ImportRefused, match="outside its folder"):
        open_export(path)


def test_a_hubspot_export_zip(store: Store, tmp_path: Path) -> None:
    files = {
        "hubspot-crm-exports-all-companies-2026-12-01.csv": [
            "Record ID,Company name,Annual Revenue,Number of Employees,Company owner,Industry",
            "9001,Acme Corporation,2000000,250,Kim CSM,RETAIL",
        ],
        "hubspot-crm-exports-all-contacts-2026-12-01.csv": [
            "Record ID,First Name,Last Name,Email,Job Title,Associated Company,Record ID - Company",
            "1,Ana,Ruiz,ana@acme.example,CEO,Acme Corporation,9001",
        ],
        "hubspot-crm-exports-all-deals-2026-12-01.csv": [
            "Record ID,Deal Name,Deal Stage,Amount,Close Date,Pipeline,Associated Company,"
            "Record ID - Company",
            "77,Acme expansion,Contract Sent,25000,2026-12-20,Sales Pipeline,Acme Corporation,9001",
        ],
    }
    with open_export(_zip(tmp_path / "hubspot.zip", files)) as export:
        outcome = import_export(store, export)
    assert outcome.committed, [p.errors for p in outcome.plans]
    assert _count(store, Account) == 1
    with store.read() as session:
        deal = session.scalars(select(Opportunity)).one()
        assert (deal.title, deal.value_minor, deal.crm_stage) == (
            "Acme expansion",
            2_500_000,
            "Contract Sent",
        )
