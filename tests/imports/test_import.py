"""Planning and committing imports: relations, matching, all-or-nothing, dry run, cancel, undo."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from app.imports.commit import import_table, import_to_path
from app.imports.detection import detect_mapping
from app.imports.mapping import Mapping
from app.imports.plan_model import ImportCancelled
from app.imports.sources import ImportRefused, open_table
from app.imports.undo import list_imports, undo_import
from app.models import (
    Account,
    Activity,
    Contract,
    ImportBatch,
    MetricSnapshot,
    Stakeholder,
    SuccessPlan,
)
from app.models.opening import open_workspace
from app.models.store import Store


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _import(store: Store, path: Path, **kw: Any) -> Any:
    table = open_table(path)
    mapping = kw.pop("mapping", None) or detect_mapping(table.headers, kw.pop("kind", None))
    if "day_first" in kw:
        mapping.day_first = kw.pop("day_first")
    return import_table(store, table, mapping, **kw)


def _counts(store: Store) -> dict[str, int]:
    with store.read() as session:
        return {
            model.__tablename__: session.scalar(select(func.count()).select_from(model)) or 0
            for model in (Account, Stakeholder, Contract, MetricSnapshot, Activity, ImportBatch)
        }


def _people(store: Store) -> dict[str, tuple[str | None, str | None]]:
    """name -> (account name, manager name)"""
    with store.read() as session:
        people = session.scalars(select(Stakeholder)).all()
        names = {p.id: p.name for p in people}
        return {p.name: (p.account.name, names.get(p.reports_to_id or "")) for p in people}


CONTACTS = [
    "First Name,Last Name,Title,Email,Account Name,Reports To",
    "Ana,Ruiz,CEO,ana@acme.example,Acme,",
    "Bo,Li,CTO,bo@acme.example,Acme,ana@acme.example",
    "Cy,Po,Engineer,cy@acme.example,Acme,Bo Li",
    "Di,Ng,CFO,di@beta.example,Beta,Ana Ruiz",
    "Ed,Wu,Analyst,ed@acme.example,Acme,Nobody Here",
]


def test_contacts_resolve_reports_to_by_email_and_name_within_the_account(
    store: Store, tmp_path: Path
) -> None:
    outcome = _import(store, _write(tmp_path / "contacts.csv", CONTACTS))
    plan = outcome.plan
    assert outcome.committed
    assert (plan.created_rows, plan.new_accounts) == (5, 2)
    assert _people(store) == {
        "Ana Ruiz": ("Acme", None),
        "Bo Li": ("Acme", "Ana Ruiz"),
        "Cy Po": ("Acme", "Bo Li"),
        "Di Ng": ("Beta", None),  # Ana works at Acme, not Beta
        "Ed Wu": ("Acme", None),
    }
    assert [(w.row, w.message) for w in plan.warnings] == [
        (5, "Reports To “Ana Ruiz” of “Di Ng” matches nobody at the account; left empty."),
        (6, "Reports To “Nobody Here” of “Ed Wu” matches nobody at the account; left empty."),
    ]


def test_reports_to_resolves_against_people_already_in_the_workspace(
    store: Store, tmp_path: Path
) -> None:
    _import(store, _write(tmp_path / "a.csv", CONTACTS[:2]))
    lines = [CONTACTS[0], "Fay,Oz,COO,fay@acme.example,Acme,Ana Ruiz"]
    outcome = _import(store, _write(tmp_path / "b.csv", lines))
    assert outcome.committed and not outcome.plan.warnings
    assert _people(store)["Fay Oz"] == ("Acme", "Ana Ruiz")


def test_reporting_cycles_are_errors_and_nothing_is_written(store: Store, tmp_path: Path) -> None:
    lines = [
        "Name,Email,Account Name,Reports To",
        "Ann,ann@x.example,X,bob@x.example",
        "Bob,bob@x.example,X,ann@x.example",
        "Cat,cat@x.example,X,Ann",
    ]
    outcome = _import(store, _write(tmp_path / "c.csv", lines))
    assert not outcome.committed
    assert [e.row for e in outcome.plan.errors] == [2, 3]
    assert "cycle" in outcome.plan.errors[0].message
    assert _counts(store)["stakeholder"] == 0


def test_reporting_to_oneself_is_a_warning_and_the_line_left_empty(
    store: Store, tmp_path: Path
) -> None:
    """Unlike an account named as its own parent (an error), a contact reporting to
    themselves imports without a manager; the cycle check does not count them."""
    lines = [
        "Name,Email,Account Name,Reports To",
        "Ann,ann@x.example,X,ann@x.example",
        "Bob,bob@x.example,X,Ann",
    ]
    outcome = _import(store, _write(tmp_path / "c.csv", lines))
    assert outcome.committed and not outcome.plan.errors
    assert [(w.row, w.message) for w in outcome.plan.warnings] == [
        (2, "The contact reports to themselves; left empty.")
    ]
    assert _people(store) == {"Ann": ("X", None), "Bob": ("X", "Ann")}


ACCOUNTS = [
    "Account ID,Account Name,Parent Account ID,Parent Account,ARR,Industry",
    "001A,Globex Holding,,,$1.2M,Energy",
    '001B,Globex Europe,001A,,"1.234,50 €",Energy',
    '001C,Globex France,,Globex Europe,"(1,200)",Energy',
    "001D,Initech,,,,Software",
]


def test_accounts_build_the_hierarchy_from_parent_id_and_name(store: Store, tmp_path: Path) -> None:
    outcome = _import(store, _write(tmp_path / "accounts.csv", ACCOUNTS))
    assert outcome.committed, outcome.plan.errors
    with store.read() as session:
        rows = {a.name: a for a in session.scalars(select(Account))}
        assert rows["Globex Europe"].parent_id == rows["Globex Holding"].id
        assert rows["Globex France"].parent_id == rows["Globex Europe"].id
        assert rows["Initech"].parent_id is None
        assert (rows["Globex Holding"].arr_minor, rows["Globex Holding"].currency) == (
            120_000_000,
            "USD",
        )
        assert (rows["Globex Europe"].arr_minor, rows["Globex Europe"].currency) == (123_450, "EUR")
        assert rows["Globex France"].arr_minor == -120_000
        assert rows["Globex France"].external_id == "001C"


def test_unknown_parents_and_cycles_are_reported_per_row(store: Store, tmp_path: Path) -> None:
    lines = [
        "Account ID,Account Name,Parent Account ID,Parent Account",
        "A1,Alpha,A3,",
        "A2,Beta,A1,",
        "A3,Gamma,A2,",
        "A4,Delta,,Nowhere Corp",
        "A5,Epsilon,A5,",
        "A6,Zeta,A1,",
    ]
    outcome = _import(store, _write(tmp_path / "bad.csv", lines))
    errors = {e.row: e.message for e in outcome.plan.errors}
    assert set(errors) == {2, 3, 4, 6}
    assert "cycle" in errors[2] and "cycle" in errors[4]
    assert errors[6] == "The account is named as its own parent."
    # A parent outside the file and the workspace is a warning: the row imports without it.
    assert [(w.row, w.message) for w in outcome.plan.warnings] == [
        (
            5,
            "Parent account “Nowhere Corp” of “Delta” is neither in the file nor in the "
            "workspace; imported without its parent.",
        )
    ]
    assert _counts(store)["account"] == 0


def test_a_cycle_through_an_existing_account_is_caught(store: Store, tmp_path: Path) -> None:
    _import(store, _write(tmp_path / "a.csv", ACCOUNTS))
    # Globex Holding under Globex France, whose ancestor it is.
    lines = ["Account ID,Account Name,Parent Account ID", "001A,Globex Holding,001C"]
    outcome = _import(store, _write(tmp_path / "b.csv", lines))
    assert [e.row for e in outcome.plan.errors] == [2]
    assert "cycle" in outcome.plan.errors[0].message


def test_an_error_in_the_last_row_leaves_nothing_imported(store: Store, tmp_path: Path) -> None:
    lines = [*CONTACTS, "Zed,Bad,Intern,not-an-email,Acme,"]
    before = _counts(store)
    outcome = _import(store, _write(tmp_path / "c.csv", lines))
    assert not outcome.committed
    assert [(e.row, e.message) for e in outcome.plan.errors] == [
        (7, "“not-an-email” is not an email address.")
    ]
    assert _counts(store) == before


def test_dry_run_writes_nothing(store: Store, tmp_path: Path) -> None:
    _import(store, _write(tmp_path / "a.csv", ACCOUNTS))
    before = _counts(store)
    outcome = _import(store, _write(tmp_path / "c.csv", CONTACTS), dry_run=True)
    assert outcome.plan.created_rows == 5 and not outcome.committed
    assert _counts(store) == before


def test_reimport_updates_changed_rows_and_skips_the_rest(store: Store, tmp_path: Path) -> None:
    _import(store, _write(tmp_path / "a.csv", CONTACTS))
    changed = [CONTACTS[0], CONTACTS[1].replace("CEO", "Chair"), *CONTACTS[2:]]
    outcome = _import(store, _write(tmp_path / "b.csv", changed))
    plan = outcome.plan
    assert (plan.created_rows, plan.updated_rows, plan.skipped) == (0, 1, 4)
    with store.read() as session:
        assert session.scalar(select(Stakeholder.title).where(Stakeholder.name == "Ana Ruiz")) == (
            "Chair"
        )
    assert _counts(store)["stakeholder"] == 5


def test_duplicates_inside_the_file_are_errors(store: Store, tmp_path: Path) -> None:
    lines = [CONTACTS[0], CONTACTS[1], CONTACTS[2], CONTACTS[1].replace("Ana", "Anna")]
    outcome = _import(store, _write(tmp_path / "d.csv", lines))
    assert [(e.row, e.message) for e in outcome.plan.errors] == [
        (4, "Repeats row 2 (same email “ana@acme.example”).")
    ]


def test_match_by_name_within_the_account(store: Store, tmp_path: Path) -> None:
    _import(store, _write(tmp_path / "a.csv", CONTACTS))
    lines = ["Name,Account Name,Email", "Ana Ruiz,Acme,ana.ruiz@acme.example"]
    table = open_table(_write(tmp_path / "b.csv", lines))
    outcome = import_table(store, table, detect_mapping(table.headers), match="name")
    assert outcome.plan.updated_rows == 1 and outcome.plan.created_rows == 0


def test_contracts_health_and_activities_attach_to_accounts(store: Store, tmp_path: Path) -> None:
    _import(store, _write(tmp_path / "a.csv", ACCOUNTS))
    contracts = [
        "Account ID,Contract Name,Contract Start Date,Contract End Date,Contract Value,Auto Renew",
        '001A,Platform,2024-01-01,2024-12-31,"$120,000.00",Yes',
        "001D,Support,,03/31/2025,50k,No",
    ]
    outcome = _import(store, _write(tmp_path / "c.csv", contracts))
    assert outcome.plan.kind == "contracts" and outcome.committed, outcome.plan.errors
    health = ["Account Name,Date,NPS,Active Users,Open Tickets", "Initech,2024-05-06,42,120,3"]
    outcome = _import(store, _write(tmp_path / "h.csv", health), kind="health")
    assert outcome.committed, outcome.plan.errors
    activities = [
        "Account Name,Activity Type,Subject,Activity Date,Notes",
        "Initech,Call,Kick-off,2024-05-06 10:30,Went well",
    ]
    outcome = _import(store, _write(tmp_path / "t.csv", activities), kind="activities")
    assert outcome.committed, outcome.plan.errors
    with store.read() as session:
        deals = {c.name: c for c in session.scalars(select(Contract))}
        assert deals["Platform"].account.name == "Globex Holding"
        assert (deals["Platform"].value_minor, deals["Platform"].auto_renew) == (12_000_000, True)
        assert deals["Support"].end_date == date(2025, 3, 31)
        assert deals["Support"].start_date == date(2024, 3, 31)
        snapshot = session.scalars(select(MetricSnapshot)).one()
        assert (snapshot.nps, snapshot.active_users, snapshot.tickets_open) == (42.0, 120, 3)
        activity = session.scalars(select(Activity)).one()
        assert (activity.kind, activity.title) == ("call", "Kick-off")
        assert activity.occurred_at.hour == 10
    # The same health file again changes nothing.
    again = _import(store, tmp_path / "h.csv", kind="health")
    assert (again.plan.created_rows, again.plan.skipped) == (0, 1)


def test_ambiguous_dates_need_a_choice(store: Store, tmp_path: Path) -> None:
    lines = [
        "Account Name,Contract Name,Contract End Date",
        "Acme,One,03/04/2025",
        "Acme,Two,05/06/2025",
    ]
    path = _write(tmp_path / "c.csv", lines)
    outcome = _import(store, path)
    assert not outcome.committed
    assert outcome.plan.errors[0].row == 0
    assert "03/04/2025" in outcome.plan.errors[0].message
    outcome = _import(store, path, day_first=True)
    assert outcome.committed
    with store.read() as session:
        assert session.scalar(select(Contract.end_date).where(Contract.name == "One")) == date(
            2025, 4, 3
        )


def test_one_unambiguous_date_decides_the_file(store: Store, tmp_path: Path) -> None:
    lines = [
        "Account Name,Contract Name,Contract End Date",
        "Acme,One,03/04/2025",
        "Acme,Two,25/06/2025",
    ]
    outcome = _import(store, _write(tmp_path / "c.csv", lines))
    assert outcome.committed and outcome.plan.day_first is True


def test_mixed_date_orders_are_refused(store: Store, tmp_path: Path) -> None:
    lines = ["Account Name,Contract Name,Contract End Date", "A,1,25/06/2025", "A,2,06/25/2025"]
    with pytest.raises(ImportRefused, match="mixes day-first"):
        _import(store, _write(tmp_path / "c.csv", lines))


def test_cancel_leaves_the_workspace_untouched(store: Store, tmp_path: Path) -> None:
    lines = ["Name,Email,Account Name"] + [f"P{i},p{i}@x.example,X" for i in range(12_000)]
    path = _write(tmp_path / "many.csv", lines)
    calls = []

    def cancel() -> bool:
        calls.append(1)
        return len(calls) > 3

    with pytest.raises(ImportCancelled):
        _import(store, path, cancel=cancel)
    assert _counts(store) == dict.fromkeys(_counts(store), 0)


def test_cancel_during_the_write_rolls_back(store: Store, tmp_path: Path) -> None:
    lines = ["Name,Email,Account Name"] + [f"P{i},p{i}@x.example,X" for i in range(12_000)]
    path = _write(tmp_path / "many.csv", lines)
    phases: list[str] = []

    def progress(phase: str, _done: float) -> None:
        phases.append(phase)

    with pytest.raises(ImportCancelled):
        _import(store, path, progress=progress, cancel=lambda: phases.count("Writing") >= 2)
    assert _counts(store)["stakeholder"] == 0 and _counts(store)["account"] == 0


def test_before_commit_runs_once_a_good_plan_is_known(store: Store, tmp_path: Path) -> None:
    seen: list[int] = []

    def backup() -> None:
        seen.append(_counts(store)["stakeholder"])

    bad = _write(tmp_path / "bad.csv", [*CONTACTS, "X,Y,Z,bad,Acme,"])
    _import(store, bad, before_commit=backup)
    assert seen == []
    _import(store, _write(tmp_path / "ok.csv", CONTACTS), before_commit=backup)
    assert seen == [0]

    def failing() -> None:
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        _import(
            store,
            _write(tmp_path / "more.csv", [CONTACTS[0], "Q,R,S,q@r.example,New,"]),
            before_commit=failing,
        )
    assert _counts(store)["stakeholder"] == 5


def test_undo_removes_what_an_import_created_and_restores_what_it_changed(
    store: Store, tmp_path: Path
) -> None:
    _import(store, _write(tmp_path / "a.csv", ACCOUNTS))
    first = _counts(store)
    changed = [
        "Account ID,Account Name,Industry,Parent Account ID",
        "001A,Globex Holding,Utilities,",
        "001D,Initech,Software,001A",
        "001E,Hooli,Search,",
    ]
    outcome = _import(store, _write(tmp_path / "b.csv", changed))
    assert (outcome.plan.created_rows, outcome.plan.updated_rows) == (1, 2)
    assert list_imports(store)[0].batch_id == outcome.batch_id
    undo_import(store, outcome.batch_id)
    with store.read() as session:
        rows = {a.name: a for a in session.scalars(select(Account))}
        assert "Hooli" not in rows
        assert rows["Globex Holding"].industry == "Energy"
        assert rows["Initech"].parent_id is None
    # The batch stays in the history, marked undone.
    assert _counts(store) == {**first, "import_batch": 2}
    assert list_imports(store)[0].undone
    with pytest.raises(ImportRefused, match="already undone"):
        undo_import(store, outcome.batch_id)
    with pytest.raises(ImportRefused, match="no import"):
        undo_import(store, "0" * 32)


def test_undo_refuses_when_created_accounts_gained_records(store: Store, tmp_path: Path) -> None:
    outcome = _import(store, _write(tmp_path / "c.csv", CONTACTS))
    with store.session() as session:
        acme = session.scalars(select(Account).where(Account.name == "Acme")).one()
        session.add(Stakeholder(name="Added Later", account_id=acme.id))
    with pytest.raises(ImportRefused) as refused:
        undo_import(store, outcome.batch_id)
    assert str(refused.value) == (
        "An account this import created has had a stakeholder added since; undoing would delete it."
    )
    assert _counts(store)["stakeholder"] == 6


def test_undo_names_the_added_record_as_the_window_does(store: Store, tmp_path: Path) -> None:
    # It spelled the table by hand: "has had success plan records added since".
    outcome = _import(store, _write(tmp_path / "c.csv", CONTACTS))
    with store.session() as session:
        acme = session.scalars(select(Account).where(Account.name == "Acme")).one()
        session.add(SuccessPlan(account_id=acme.id, title="Grow the rollout"))
    with pytest.raises(ImportRefused) as refused:
        undo_import(store, outcome.batch_id)
    assert str(refused.value) == (
        "An account this import created has had a success plan added since; "
        "undoing would delete it."
    )


def test_importing_into_a_new_path_creates_the_workspace(tmp_path: Path) -> None:
    target = tmp_path / "new.db"
    outcome = import_to_path(target, _write(tmp_path / "c.csv", CONTACTS))
    assert outcome.committed and target.exists()
    store = open_workspace(target)
    assert _counts(store)["stakeholder"] == 5
    store.close()


@pytest.mark.parametrize(
    "lines",
    [
        ["Foo,Bar", "1,2"],  # nothing recognisable
        [*CONTACTS, "Zed,Bad,Intern,not-an-email,Acme,"],  # a row error
    ],
)
def test_a_refused_first_import_leaves_no_workspace_file(tmp_path: Path, lines: list[str]) -> None:
    target = tmp_path / "new.db"
    try:
        outcome = import_to_path(target, _write(tmp_path / "c.csv", lines))
    except ImportRefused:
        pass
    else:
        assert not outcome.committed
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.csv"]


def test_a_dry_run_into_a_new_path_leaves_no_file(tmp_path: Path) -> None:
    target = tmp_path / "new.db"
    outcome = import_to_path(target, _write(tmp_path / "c.csv", CONTACTS), dry_run=True)
    assert outcome.plan.created_rows == 5
    assert not target.exists()


def test_explicit_mapping_for_a_hand_typed_sheet(store: Store, tmp_path: Path) -> None:
    lines = ["Kunde;Umsatz;Branche", "Müller GmbH;1.234,50 €;Handel"]
    path = _write(tmp_path / "kunden.csv", lines)
    mapping = Mapping(
        "accounts", {"name": "Kunde", "arr_minor": "Umsatz", "industry": "Branche"}, "EUR"
    )
    outcome = _import(store, path, mapping=mapping)
    assert outcome.committed
    with store.read() as session:
        account = session.scalars(select(Account)).one()
        assert (account.name, account.arr_minor, account.currency) == (
            "Müller GmbH",
            123_450,
            "EUR",
        )


def test_cell_errors_name_row_and_column(store: Store, tmp_path: Path) -> None:
    lines = [
        "Account Name,Tier,ARR,Segment",
        "Acme,two,$5,Enterprise",
        "Beta,1,lots,SMB",
        "Gamma,1,$1,Galactic",
    ]
    outcome = _import(store, _write(tmp_path / "a.csv", lines))
    assert [str(e) for e in outcome.plan.errors] == [
        "row 2 (Tier): “two” is not a number.",
        "row 3 (ARR): “lots” is not an amount of money.",
    ]
    # A segment the CRM names in its own words is left not set, with a warning.
    assert [str(w) for w in outcome.plan.warnings] == [
        "row 4 (Segment): “Galactic” is not one of: Strategic, Enterprise, Mid-market, SMB. "
        "Left not set.",
    ]


def test_an_update_never_re_denominates_an_account(store: Store, tmp_path: Path) -> None:
    _import(store, _write(tmp_path / "a.csv", ACCOUNTS))  # Globex Europe is in EUR
    lines = ["Account ID,Account Name,ARR", "001B,Globex Europe,$2000"]
    outcome = _import(store, _write(tmp_path / "b.csv", lines))
    assert [(e.row, e.message) for e in outcome.plan.errors] == [
        (
            2,
            "Globex Europe keeps its figures in EUR; this row is in USD (set the file's "
            "currency or write it with the amounts).",
        )
    ]
    lines = ["Account ID,Account Name,ARR", "001B,Globex Europe,2.000 €"]
    outcome = _import(store, _write(tmp_path / "c.csv", lines))
    assert outcome.committed and outcome.plan.updated_rows == 1


def test_a_typed_workbook_imports_with_auto_detection(store: Store, tmp_path: Path) -> None:
    from datetime import datetime

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(
        ["Account Name", "Contract Name", "Start Date", "End Date", "Amount", "Auto Renew"]
    )
    sheet.append(["Acme", "Platform", datetime(2025, 1, 1), datetime(2025, 12, 31), 1200.5, True])
    sheet.append(["Acme", "Support", 45658, 46022, 99, False])  # dates typed as serials
    path = tmp_path / "typed.xlsx"
    book.save(path)
    outcome = _import(store, path)
    assert outcome.plan.kind == "contracts" and outcome.committed, outcome.plan.errors
    with store.read() as session:
        deals = {c.name: c for c in session.scalars(select(Contract))}
        assert (deals["Platform"].value_minor, deals["Platform"].auto_renew) == (120_050, True)
        assert deals["Platform"].end_date == date(2025, 12, 31)
        assert (deals["Support"].start_date, deals["Support"].end_date) == (
            date(2025, 1, 1),
            date(2025, 12, 31),
        )


def test_accounts_made_by_a_contacts_import_are_found_again_by_their_crm_ids(
    store: Store, tmp_path: Path
) -> None:
    _import(store, _write(tmp_path / "c.csv", CONTACTS))  # makes Acme and Beta by name
    lines = ["Account ID,Account Name,Industry", "001X,Acme,Software", "001Y,Gamma,Retail"]
    outcome = _import(store, _write(tmp_path / "a.csv", lines))
    assert (outcome.plan.created_rows, outcome.plan.updated_rows) == (1, 1)
    with store.read() as session:
        acme = session.scalars(select(Account).where(Account.name == "Acme")).one()
        assert (acme.external_id, acme.industry) == ("001X", "Software")
    # An account that already has another CRM id is a different account of the same name.
    lines = ["Account ID,Account Name", "001Z,Acme"]
    outcome = _import(store, _write(tmp_path / "b.csv", lines))
    assert outcome.plan.created_rows == 1


def test_two_rows_cannot_update_the_same_record(store: Store, tmp_path: Path) -> None:
    _import(store, _write(tmp_path / "c.csv", CONTACTS))
    lines = ["Account ID,Account Name", "001X,Acme", "001Y,Acme"]
    outcome = _import(store, _write(tmp_path / "a.csv", lines))
    assert [(e.row, e.message) for e in outcome.plan.errors] == [
        (3, "Matches the same record as row 2.")
    ]
