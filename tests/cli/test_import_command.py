"""``fieldbook import``: summary, dry run, refusals with exit 2, new workspaces, undo."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook

from app.cli import main
from app.imports.vocabulary import SOURCES_IN_WORDS
from app.models.opening import open_workspace
from tests.conftest import ON_POSTGRES

ROOT = Path(__file__).resolve().parents[2]
CONTACTS = (
    "First Name,Last Name,Email,Account Name,Reports To\n"
    "Ana,Ruiz,ana@acme.example,Acme,\n"
    "Bo,Li,bo@acme.example,Acme,Ana Ruiz\n"
)


def _rows(db: str | Path, table: str) -> int:
    store = open_workspace(db)
    try:
        with store.read() as session:
            return int(
                session.connection().exec_driver_sql(f"SELECT count(*) FROM {table}").scalar()
            )
    finally:
        store.close()


@pytest.fixture
def contacts(tmp_path: Path) -> Path:
    path = tmp_path / "contacts.csv"
    path.write_text(CONTACTS, encoding="utf-8")
    return path


def test_import_into_a_new_workspace_prints_the_summary(
    workspace_target: str, tmp_path: Path, contacts: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = workspace_target
    assert main(["import", "--db", str(db), str(contacts)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(
        "contacts.csv (UTF-8, comma-separated) as contacts: 2 rows read, 2 created, "
        "0 updated, 0 unchanged, 1 new account."
    )
    assert "undo with --undo" in out
    assert _rows(db, "stakeholder") == 2


@pytest.mark.sqlite_only("compares the workspace file byte for byte")
def test_dry_run_changes_nothing(
    tmp_path: Path, contacts: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "book.db"
    open_workspace(db, create=True).close()
    before = db.read_bytes()
    assert main(["import", "--db", str(db), str(contacts), "--dry-run"]) == 0
    assert "Dry run: nothing was changed." in capsys.readouterr().out
    assert db.read_bytes() == before
    assert _rows(db, "stakeholder") == 0


@pytest.mark.sqlite_only("a dry run into a missing workspace file leaves no file behind")
def test_a_dry_run_into_a_missing_workspace_creates_nothing(tmp_path: Path, contacts: Path) -> None:
    assert main(["import", "--db", str(tmp_path / "new.db"), str(contacts), "--dry-run"]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["contacts.csv"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "book.xlsx",
            b"Name,Email\n",
            "book.xlsx is not an Excel workbook, though its name ends in .xlsx.",
        ),
        ("data.csv", b"\x89PNG\r\n\x1a\n\0\0\0", "data.csv is a PNG picture, not a CSV file."),
        ("rows.csv", b"Foo,Bar\n1,2\n", "No column of rows.csv is one Fieldbook recognises"),
    ],
)
def test_refused_files_exit_2_with_one_sentence_and_no_workspace(
    workspace_target: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    content: bytes,
    message: str,
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert main(["import", "--db", workspace_target, str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"fieldbook: {message}")
    assert err.count("\n") == 0
    if ON_POSTGRES:  # the team workspace was there already: nothing went into it
        assert _rows(workspace_target, "import_batch") == 0
    else:  # no workspace file is made for a file that is refused
        assert not Path(workspace_target).exists()


def test_row_errors_are_listed_and_the_workspace_is_unchanged(
    workspace_target: str, tmp_path: Path, contacts: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = workspace_target
    assert main(["import", "--db", str(db), str(contacts)]) == 0
    before = _rows(db, "stakeholder")
    bad = tmp_path / "bad.csv"
    bad.write_text(CONTACTS + "Cy,Po,cy-at-acme,Acme,\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["import", "--db", str(db), str(bad)]) == 2
    captured = capsys.readouterr()
    assert "  row 4 (Email): “cy-at-acme” is not an email address." in captured.out
    assert (
        captured.err
        == "fieldbook: Nothing was imported: 1 problem needs fixing in the file first (or give "
        "--skip-bad-rows to import the good rows).\n"
    )
    assert _rows(db, "stakeholder") == before


def test_mapping_file_sheet_and_date_order(
    workspace_target: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Notes"
    deals = book.create_sheet("Deals")
    deals.append(["Client", "Ends", "Worth"])
    deals.append(["Acme", "03/04/2026", "1.234,50 €"])
    path = tmp_path / "deals.xlsx"
    book.save(path)
    mapping = tmp_path / "map.json"
    mapping.write_text(
        json.dumps(
            {
                "format": "fieldbook-import-mapping/1",
                "kind": "contracts",
                "columns": {"account_name": "Client", "end_date": "Ends", "value_minor": "Worth"},
            }
        ),
        encoding="utf-8",
    )
    db = workspace_target
    args = ["import", "--db", str(db), str(path), "--sheet", "Deals", "--mapping", str(mapping)]
    assert main(args) == 2
    assert "read both day-first and month-first" in capsys.readouterr().out
    assert main([*args, "--day-first"]) == 0
    store = open_workspace(db)
    with store.read() as session:
        row = (
            session.connection()
            .exec_driver_sql("SELECT end_date, value_minor, currency FROM contract")
            .one()
        )
    store.close()
    assert (str(row[0]), row[1], row[2]) == ("2026-04-03", 123450, "EUR")


def test_undo_a_committed_import(
    workspace_target: str, tmp_path: Path, contacts: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = workspace_target
    assert main(["import", "--db", str(db), str(contacts)]) == 0
    batch = capsys.readouterr().out.split("--undo ")[1].split(")")[0]
    assert main(["import", "--db", str(db), "--history"]) == 0
    listed = capsys.readouterr().out
    assert listed.startswith(batch) and "contacts.csv  (3 created, 0 updated, in place)" in listed
    assert main(["import", "--db", str(db), "--undo", batch]) == 0
    assert "Undid the import of contacts.csv" in capsys.readouterr().out
    assert _rows(db, "stakeholder") == 0 and _rows(db, "account") == 0
    assert main(["import", "--db", str(db), "--undo", batch]) == 2
    assert "already undone" in capsys.readouterr().err
    assert main(["import", "--db", str(db)]) == 2
    assert (
        capsys.readouterr().err
        == "fieldbook: Give the file to import (a .csv or .xlsx, a folder or a .zip).\n"
    )


def test_runs_as_python_dash_m_without_a_terminal(
    workspace_target: str, tmp_path: Path, contacts: Path
) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "app", "import", "--db", workspace_target, str(contacts)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # progress only goes to a terminal


def test_progress_goes_to_stderr_on_a_terminal(
    workspace_target: str, tmp_path: Path, contacts: Path
) -> None:
    import os
    import pty

    primary, secondary = pty.openpty()
    try:
        result = subprocess.run(
            [sys.executable, "-m", "app", "import", "--db", workspace_target, str(contacts)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=secondary,
            check=False,
        )
        os.close(secondary)
        shown = b""
        while True:
            try:
                chunk = os.read(primary, 4096)
            except OSError:
                break
            if not chunk:
                break
            shown += chunk
    finally:
        os.close(primary)
    assert result.returncode == 0
    assert b"Done: 100%" in shown
    assert b"Done" not in result.stdout


def test_help_documents_the_mapping_file(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["import", "--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert '"format": "fieldbook-import-mapping/1"' in out
    assert "fallbacks" in out and "--save-mapping" in out
    assert "opportunities: title, account_name" in out
    # The same sources the import wizard and the first start name (one list).
    assert f"exports from {SOURCES_IN_WORDS} (" in " ".join(out.split())


def test_a_dry_run_names_the_kind_its_evidence_the_mapping_and_ignored_columns(
    workspace_target: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "Opportunity.csv"
    path.write_text(
        "Id,AccountId,Name,StageName,Amount,CloseDate,Pipeline Notes\n"
        "006A,001A,Renewal,Prospecting,6.0E4,2026-01-15,\n",
        encoding="utf-8",
    )
    accounts = tmp_path / "Account.csv"
    accounts.write_text("Id,Name\n001A,Acme\n", encoding="utf-8")
    db = workspace_target
    assert main(["import", "--db", str(db), str(accounts)]) == 0
    capsys.readouterr()
    assert main(["import", "--db", str(db), "--dry-run", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Detected as opportunities: StageName, Amount, CloseDate." in out
    # A column and the field it fills read as a CSM writes them, not as Python quotes a string.
    assert "Mapping used (column → field, rows filled):" in out
    assert "  “Name” → Opportunity name (1 of 1 rows)" in out
    assert "  “Amount” → Amount (1 of 1 rows)" in out
    assert "Ignored columns: “Pipeline Notes”." in out
    assert _rows(db, "opportunity") == 0


def test_save_mapping_writes_even_when_the_import_is_refused(
    workspace_target: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "deals.csv"
    path.write_text("Deal Name,Amount,Close Date\nBig one,100,2026-01-01\n", encoding="utf-8")
    saved = tmp_path / "map.json"
    args = ["import", "--db", workspace_target, "--kind", "opportunities"]
    assert main([*args, "--save-mapping", str(saved), str(path)]) == 2
    err = capsys.readouterr().err
    assert "the account (Account Name or Account ID) for opportunities" in err
    assert "“Deal Name”, “Amount”, “Close Date”" in err
    mapping = json.loads(saved.read_text(encoding="utf-8"))
    assert mapping["kind"] == "opportunities"
    assert mapping["columns"]["title"] == "Deal Name"


def test_two_kinds_that_fit_are_refused_with_the_candidates(
    workspace_target: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "mixed.csv"
    path.write_text(
        "Account Name,Name,Amount,Close Date,Contract End Date,Renewal Date\n"
        "Acme,Renewal,100,2026-01-01,2026-01-31,2026-01-31\n",
        encoding="utf-8",
    )
    assert main(["import", "--db", workspace_target, str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("fieldbook: The columns fit more than one kind: opportunities (")
    assert "contracts (" in err and "give --kind" in err
    assert main(["import", "--db", workspace_target, "--kind", "contracts", str(path)]) == 0


def test_skip_bad_rows_imports_the_good_rows_and_writes_the_rejects(
    workspace_target: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "contacts.csv"
    bad.write_text(CONTACTS + "Cy,Po,cy-at-acme,Acme,\n", encoding="utf-8")
    rejects = tmp_path / "rejects.csv"
    db = workspace_target
    argv = ["import", "--db", str(db), "--skip-bad-rows", "--rejects", str(rejects), str(bad)]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "1 row left out" in out and "Wrote the 1 rows left out" in out
    assert _rows(db, "stakeholder") == 2
    lines = rejects.read_text(encoding="utf-8-sig").splitlines()
    assert lines == [
        "First Name,Last Name,Email,Account Name,Reports To,Reason",
        "Cy,Po,cy-at-acme,Acme,,Email: “cy-at-acme” is not an email address.",
    ]


def test_a_whole_export_zip_imports_with_one_undo(
    workspace_target: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import zipfile

    path = tmp_path / "export.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("Account.csv", "Id,Name,ParentId\r\n001A,Acme,\r\n001B,Acme UK,001A\r\n")
        archive.writestr(
            "Contact.csv", "Id,AccountId,FirstName,LastName,Email\r\n003A,001B,Ana,Ruiz,a@x.io\r\n"
        )
    db = workspace_target
    assert main(["import", "--db", str(db), str(path)]) == 0
    out = capsys.readouterr().out
    assert "  Account.csv: as accounts: ParentId." in out
    assert (_rows(db, "account"), _rows(db, "stakeholder")) == (2, 1)
    batch = out.strip().rsplit("--undo ", 1)[1].rstrip(").")
    assert main(["import", "--db", str(db), "--undo", batch]) == 0
    assert (_rows(db, "account"), _rows(db, "stakeholder")) == (0, 0)


def test_reimporting_an_unchanged_file_records_nothing(
    workspace_target: str, tmp_path: Path, contacts: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = workspace_target
    assert main(["import", "--db", str(db), str(contacts)]) == 0
    capsys.readouterr()
    assert main(["import", "--db", str(db), str(contacts)]) == 0
    out = capsys.readouterr().out
    assert "0 to create, 0 to update, 2 unchanged" in out
    assert out.rstrip().endswith(
        "Nothing changed: the workspace already holds every record as the file has it."
    )
    assert "undo with" not in out
    assert _rows(db, "import_batch") == 1
    assert main(["import", "--db", str(db), "--history"]) == 0
    assert len(capsys.readouterr().out.strip().splitlines()) == 1


def test_a_users_file_alone_goes_in_and_says_what_it_did(
    workspace_target: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = workspace_target
    accounts = tmp_path / "Account.csv"
    accounts.write_text("Id,Name,OwnerId\n001A,Globex,005A\n", encoding="utf-8")
    users = tmp_path / "User.csv"
    users.write_text("Id,Name,Username\n005A,Alice Owner,alice@us.example.sf\n", encoding="utf-8")
    assert main(["import", "--db", str(db), str(accounts)]) == 0
    capsys.readouterr()
    assert main(["import", "--db", str(db), str(users)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("User.csv (UTF-8, comma-separated) as users: 1 row read, 0 created, ")
    assert (
        "Keeps the names of 1 of its 1 users for this and later imports; names the owner of 1 "
        "account already imported." in out
    )
    assert "\n  Globex (account): Owner (CSM) 005A → Alice Owner\n" in out
    assert "undo with --undo" in out
    store = open_workspace(db)
    try:
        with store.read() as session:
            owner = session.connection().exec_driver_sql("SELECT owner FROM account").scalar()
    finally:
        store.close()
    assert owner == "Alice Owner"


def test_renewal_deals_as_contracts_from_a_salesforce_export_folder(
    workspace_target: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "WE_00D"
    folder.mkdir()
    (folder / "Account.csv").write_text("Id,Name,OwnerId\r\n001A,Globex,005A\r\n", encoding="utf-8")
    (folder / "Opportunity.csv").write_text(
        "Id,AccountId,Name,StageName,Amount,CloseDate,Type,Probability\r\n"
        "006R,001A,Globex renewal,Negotiation/Review,1.2E5,2026-09-30,"
        "Existing Customer - Renewal,60\r\n"
        "006U,001A,Globex upgrade,Prospecting,6.0E4,2026-06-30,Existing Customer - Upgrade,10\r\n",
        encoding="utf-8",
    )
    db = workspace_target
    args = ["import", "--db", str(db), "--renewal-deals", "contracts", str(folder)]
    assert main(args) == 0
    assert (_rows(db, "contract"), _rows(db, "renewal"), _rows(db, "opportunity")) == (1, 1, 1)
    capsys.readouterr()
    assert main(args) == 0
    assert "Nothing changed" in capsys.readouterr().out
    assert _rows(db, "import_batch") == 1


def test_renewal_deals_takes_only_its_two_choices(
    tmp_path: Path, contacts: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["import", "--db", str(tmp_path / "b.db"), "--renewal-deals", "deals", str(contacts)])
    assert exit_info.value.code == 2
    assert "invalid choice: 'deals'" in capsys.readouterr().err


def test_a_conflict_says_edited_in_fieldbook_once(
    workspace_target: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # It said it twice: the heading "Conflicts (edited in Fieldbook since the last import;
    # kept as they are):", then the conflict "“Acme” was edited in Fieldbook since ...".
    from app.services.accounts import update_account

    db = workspace_target
    path = tmp_path / "Account.csv"
    path.write_text("Id,Name,OwnerId\r\n001A,Acme,Kim\r\n", encoding="utf-8")
    assert main(["import", "--db", str(db), str(path)]) == 0
    store = open_workspace(db)
    try:
        with store.session() as session:
            acme_id = session.connection().exec_driver_sql("SELECT id FROM account").scalar()
            update_account(session, acme_id, {"owner": "Morgan"})
    finally:
        store.close()
    path.write_text("Id,Name,OwnerId\r\n001A,Acme,Lee\r\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["import", "--db", str(db), "--dry-run", str(path)]) == 0
    out = capsys.readouterr().out
    assert (
        "Conflicts:\n  row 2: “Acme” was edited in Fieldbook since the last import; "
        "Fieldbook's values are kept. Owner (CSM): Fieldbook has “Morgan”, the file has “Lee”.\n"
    ) in out
    assert out.casefold().count("edited in fieldbook") == 1


def test_activities_print_as_touchpoints_and_the_kind_key_stays_accepted(
    workspace_target: str, tmp_path: Path, contacts: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The CLI said "as activities"; the domain's word is touchpoint (``--kind activities``,
    # the key a user types, is still accepted).
    db = workspace_target
    assert main(["import", "--db", str(db), str(contacts)]) == 0
    path = tmp_path / "calls.csv"
    path.write_text(
        "Account Name,Activity Type,Subject,Activity Date\nAcme,Call,Kick-off,2026-05-06 10:30\n",
        encoding="utf-8",
    )
    capsys.readouterr()
    assert main(["import", "--db", str(db), "--kind", "activities", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("calls.csv (UTF-8, comma-separated) as touchpoints: 1 row")
    assert "activit" not in out.lower()
    assert _rows(db, "activity") == 1
    batch = out.split("--undo ")[1].split(")")[0]
    assert main(["import", "--db", str(db), "--history"]) == 0
    listed = capsys.readouterr().out
    assert "  touchpoints    calls.csv  (1 created" in listed and "activit" not in listed
    assert main(["import", "--db", str(db), "--undo", batch]) == 0
    assert capsys.readouterr().out == "Undid the import of calls.csv (touchpoints).\n"
