"""A CRM users file given alone: names the owners already imported, kept for later imports."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from app.imports.commit import ImportOutcome, import_table
from app.imports.detection import detect_mapping
from app.imports.sources import open_table
from app.imports.undo import list_imports, undo_import
from app.models import Account, Opportunity
from app.models.store import Store

USERS = (
    "Id,Name,FirstName,LastName,Email,Username,IsActive\r\n"
    "005A,Alice Owner,Alice,Owner,alice@us.example,alice@us.example.sf,true\r\n"
    "005B,,Bob,Owner,bob@us.example,bob@us.example.sf,true\r\n"
)
ACCOUNTS = (
    "Id,Name,Industry,OwnerId,BillingCountry\r\n"
    "001A,Globex,Energy,005A,United States\r\n"
    "001B,Initech,Software,005Z,Germany\r\n"
)
DEALS = (
    "Id,AccountId,Name,StageName,Amount,CloseDate,OwnerId\r\n"
    "006A,001A,300 Add'l Users,Prospecting,6.0E4,2026-06-30,005B\r\n"
)


def _import(store: Store, tmp_path: Path, name: str, text: str) -> ImportOutcome:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    table = open_table(path)
    outcome = import_table(store, table, detect_mapping(table.headers))
    assert outcome.plan.ok, outcome.plan.errors
    return outcome


def _owners(store: Store) -> dict[str, str | None]:
    with store.read() as session:
        owners = {a.name: a.owner for a in session.scalars(select(Account))}
        owners |= {o.title: o.owner for o in session.scalars(select(Opportunity))}
        return owners


def test_a_users_file_alone_names_the_owners_already_imported(store: Store, tmp_path: Path) -> None:
    _import(store, tmp_path, "Account.csv", ACCOUNTS)
    assert _owners(store) == {"Globex": "005A", "Initech": "005Z"}
    outcome = _import(store, tmp_path, "User.csv", USERS)
    assert outcome.committed and outcome.plan.kind == "users"
    assert outcome.plan.notes == [
        "Keeps the names of 2 of its 2 users for this and later imports; names the owner of 1 "
        "account already imported."
    ]
    assert outcome.plan.updated_rows == 1
    # 005Z is no user of the file: left as it is.
    assert _owners(store) == {"Globex": "Alice Owner", "Initech": "005Z"}
    # Undo puts the id back.
    assert outcome.batch_id is not None
    undo_import(store, outcome.batch_id)
    assert _owners(store)["Globex"] == "005A"


def test_the_names_are_kept_for_later_imports(store: Store, tmp_path: Path) -> None:
    first = _import(store, tmp_path, "User.csv", USERS)
    assert first.committed  # nothing to name yet, but the users are kept
    assert first.plan.notes == [
        "Keeps the names of 2 of its 2 users for this and later imports; no record already in the "
        "workspace has one of their ids as owner."
    ]
    _import(store, tmp_path, "Account.csv", ACCOUNTS)
    _import(store, tmp_path, "Opportunity.csv", DEALS)
    assert _owners(store) == {
        "Globex": "Alice Owner",
        "Initech": "005Z",
        "300 Add'l Users": "Bob Owner",  # first and last name where Name is empty
    }


def test_the_same_users_file_again_changes_nothing(store: Store, tmp_path: Path) -> None:
    _import(store, tmp_path, "Account.csv", ACCOUNTS)
    _import(store, tmp_path, "User.csv", USERS)
    again = _import(store, tmp_path, "User.csv", USERS)
    assert not again.committed
    assert again.plan.notes == [
        "The workspace already knows its 2 users; no record already in the workspace has one of "
        "their ids as owner."
    ]
    assert [item.kind for item in list_imports(store)] == ["users", "accounts"]


def test_an_owner_named_reads_as_other_changes_do(store: Store, tmp_path: Path) -> None:
    # As the map's versions ("Maya: role champion → blocker") and Today ("Health 60 → 45")
    # write a change, the field named as the window names it: not "Owner 005A -> Alice Owner".
    _import(store, tmp_path, "Account.csv", ACCOUNTS)
    _import(store, tmp_path, "Opportunity.csv", DEALS)
    outcome = _import(store, tmp_path, "User.csv", USERS)
    assert sorted(outcome.plan.changed) == [
        (0, "300 Add'l Users (opportunity)", ["Owner 005B → Bob Owner"]),
        (0, "Globex (account)", ["Owner (CSM) 005A → Alice Owner"]),
    ]
