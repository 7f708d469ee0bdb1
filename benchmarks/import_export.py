"""Importing a whole Salesforce-style export: 10,000 accounts, 50,000 contacts, 30,000 deals.

Target (issue 13): the export (a folder of Account.csv, Contact.csv, Opportunity.csv and
User.csv, API-name headers, ParentId / AccountId / ReportsToId / OwnerId across files) goes
in through ``import_export`` in at most 3x the floor, raw ``sqlite3.executemany`` of the same
account, stakeholder and opportunity rows into the same schema with the same pragmas in one
transaction, measured in the same run. Memory: the peak resident memory the import adds is
at most 4 KB per row (measured in a fresh process).
"""

from __future__ import annotations

import time
from pathlib import Path

from benchmarks.core import Benchmark, Run
from benchmarks.import_floor import RawRows, fresh_copy, insert_floor, peak_kb, raw_rows

ACCOUNTS, CONTACTS, DEALS = 10_000, 50_000, 30_000
QUICK = (1_000, 5_000, 3_000)
MAX_RATIO = 3.0
MAX_BYTES_PER_ROW = 4096
OWNERS = 50


def write_export(folder: Path, accounts: int, contacts: int, deals: int) -> Path:
    """A Salesforce weekly-export folder: every tenth account under a parent, every contact
    but the first at an account reporting to the one before, amounts in scientific notation."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "User.csv").open("w", encoding="utf-8", newline="") as out:
        out.write("Id,Name,Email,Username,IsActive\r\n")
        for i in range(OWNERS):
            out.write(f"005{i:015d},Owner {i},o{i}@us.example,o{i}@us.example.sf,true\r\n")
    with (folder / "Account.csv").open("w", encoding="utf-8", newline="") as out:
        out.write(
            "Id,Name,ParentId,Type,Industry,AnnualRevenue,NumberOfEmployees,OwnerId,"
            "BillingCountry,CurrencyIsoCode\r\n"
        )
        for i in range(accounts):
            parent = f"001{i - i % 10:015d}" if i % 10 else ""
            out.write(
                f"001{i:015d},Account {i},{parent},Customer - Direct,Energy,{i + 1}.0E6,"
                f"{i % 5000 + 1},005{i % OWNERS:015d},Germany,USD\r\n"
            )
    with (folder / "Contact.csv").open("w", encoding="utf-8", newline="") as out:
        out.write("Id,AccountId,FirstName,LastName,Email,Title,ReportsToId,Phone,OwnerId\r\n")
        for i in range(contacts):
            account = i % accounts
            manager = f"003{i - accounts:015d}" if i >= accounts else ""
            out.write(
                f"003{i:015d},001{account:015d},First{i},Last{i},p{i}@a{account}.example,"
                f"Engineer,{manager},+1 555 {i:07d},005{i % OWNERS:015d}\r\n"
            )
    with (folder / "Opportunity.csv").open("w", encoding="utf-8", newline="") as out:
        out.write(
            "Id,AccountId,Name,StageName,Amount,CloseDate,Type,Probability,NextStep,OwnerId,"
            "CurrencyIsoCode\r\n"
        )
        for i in range(deals):
            out.write(
                f"006{i:015d},001{i % accounts:015d},Deal {i},Prospecting,{i + 1}.5E3,"
                f"2027-0{i % 9 + 1}-15,Existing Customer - Upgrade,{i % 100},Call,"
                f"005{i % OWNERS:015d},USD\r\n"
            )
    return folder


class State:
    """The export folder, an empty workspace to copy, and the raw rows for the floor."""

    def __init__(self, folder: Path, rows: int) -> None:
        self.folder = folder
        self.rows = rows
        self.template = folder.parent / "template.db"
        self.raw: RawRows = []
        self.bytes_per_row = 0.0


def _fresh(state: State, name: str) -> Path:
    return fresh_copy(state.template, state.folder.parent / name)


def prepare(workdir: Path, quick: bool) -> State:
    from app.imports.export_set import import_export, open_export
    from app.models.opening import open_workspace

    accounts, contacts, deals = QUICK if quick else (ACCOUNTS, CONTACTS, DEALS)
    base = workdir / "import_export"
    folder = write_export(base / "export", accounts, contacts, deals)
    state = State(folder, accounts + contacts + deals)
    open_workspace(state.template, create=True).close()
    # The floor's rows: what the import writes, captured from a dry run's plans.
    store = open_workspace(_fresh(state, "plan.db"))
    try:
        with open_export(folder) as export:
            outcome = import_export(store, export, dry_run=True)
    finally:
        store.close()
    assert outcome.ok, [p.errors[:3] for p in outcome.plans]
    creates = [plan.creates for plan in outcome.plans]
    state.raw = raw_rows(creates, ("account", "stakeholder", "opportunity"))
    if not quick:
        state.bytes_per_row = peak_memory_per_row(base / "memory", accounts, contacts, deals)
    return state


def subject(state: State) -> Run:
    from app.imports.export_set import import_export, open_export
    from app.models.opening import open_workspace

    store = open_workspace(_fresh(state, "subject.db"))
    try:
        started = time.perf_counter()
        with open_export(state.folder) as export:
            outcome = import_export(store, export)
        ended = time.perf_counter()
    finally:
        store.close()
    assert outcome.committed, [p.summary() for p in outcome.plans]
    figures = {"rows": float(state.rows)}
    if state.bytes_per_row:
        figures["peak bytes/row"] = state.bytes_per_row
    return Run(ended - started, figures)


def floor(state: State) -> Run:
    return insert_floor(_fresh(state, "floor.db"), state.raw)


_PEAK = """
import sys
from benchmarks.import_export import write_export
from app.imports.export_set import import_export, open_export
from app.models.opening import open_workspace

folder = Path(sys.argv[1])
write_export(folder / "export", *map(int, sys.argv[2:5]))
store = open_workspace(folder / "w.db", create=True)
before = high_water_kb()
with open_export(folder / "export") as export:
    import_export(store, export)
print(high_water_kb() - before)
store.close()
"""


def peak_memory_per_row(folder: Path, accounts: int, contacts: int, deals: int) -> float:
    """Peak resident memory the import adds, in bytes per row, in a fresh process."""
    folder.mkdir(parents=True, exist_ok=True)
    kilobytes = peak_kb(_PEAK, str(folder), str(accounts), str(contacts), str(deals))
    return kilobytes * 1024 / (accounts + contacts + deals)


BENCHMARK = Benchmark(
    name="import_export",
    what="import a whole Salesforce-style export ({size} rows: accounts, contacts, deals)",
    floor_what="raw sqlite3 executemany of the same account, stakeholder and opportunity rows",
    prepare=prepare,
    subject=subject,
    floor=floor,
    runs=3,
    quick_runs=2,
    max_ratio=MAX_RATIO,
    max_figures={"peak bytes/row": MAX_BYTES_PER_ROW},
    size=ACCOUNTS + CONTACTS + DEALS,
    quick_size=sum(QUICK),
)
