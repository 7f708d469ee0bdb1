"""The dry run: what an import would create, update and skip, and every error by row."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.imports.build_job import CHECK_EVERY, Builder, BuildJob
from app.imports.builders_owned import OWNED_BUILDERS
from app.imports.builders_people import build_accounts, build_contacts
from app.imports.fields import FIELDS, Kind
from app.imports.mapping import Mapping
from app.imports.plan_model import Cancel, ImportPlan, Match, Progress, report_progress
from app.imports.records import Issue, Record, RowReader
from app.imports.refresh import LastImported
from app.imports.sources import ImportRefused, Table
from app.imports.users import kept_users, plan_users
from app.imports.values import ValueProblem, decimal_convention


def plan_import(
    session: Session,
    table: Table,
    mapping: Mapping,
    *,
    match: Match = "auto",
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    owners: dict[str, str] | None = None,
    overwrite_edits: bool = False,
) -> ImportPlan:
    """Read the whole file against the workspace and say what an import would do.

    ``owners`` maps CRM user ids to names (from a users file), for owner columns, with the
    names kept from users files imported before. A users file itself names the owners of
    the records already imported (``users.plan_users``).

    Writes nothing. Raises ImportRefused when the file or the mapping cannot be used at all,
    ImportCancelled when ``cancel`` returns True; row problems land in ``plan.errors``.
    """
    name = table.path.name
    mapping.check_against(table.headers, name)
    if mapping.kind == "users":
        return plan_users(session, table, mapping)
    plan = ImportPlan(mapping.kind, name, table.described_as, match, mapping=mapping)
    plan.overwrite_edits = overwrite_edits
    plan.last_imported = LastImported(session)
    plan.ignored = mapping.ignored(table.headers)
    if mapping.decimal_comma is None:
        mapping.decimal_comma = _decimal_comma_of(table, mapping)
    reader = RowReader(table.headers, mapping)
    records: list[Record] = []
    for count, row in enumerate(table.rows(), start=1):
        record = reader.read(row, plan.errors)
        if record is not None:
            records.append(record)
        if count % CHECK_EVERY == 0:
            report_progress(progress, cancel, "Reading", table.position())
        plan.rows_read = count
    if plan.rows_read == 0:
        raise ImportRefused(f"{name} has a header row but no data rows.")
    plan.filled = dict(reader.filled)
    plan.warnings.extend(reader.warnings)
    owners = {**kept_users(session), **(owners or {})}
    if owners:
        for record in records:
            owner = record.values.get("owner")
            if owner is not None and owner in owners:
                record.values["owner"] = owners[owner]
    try:
        day_first, ambiguous = reader.day_first()
    except ValueProblem as problem:
        raise ImportRefused(str(problem)) from None
    if day_first is None and ambiguous is not None:
        plan.errors.append(
            Issue(
                0,
                f"Dates such as {ambiguous} read both day-first and month-first; "
                "choose the file's date order.",
            )
        )
    plan.day_first = day_first
    records = [r for r in records if reader.finish_dates(r, bool(day_first), plan.errors)]
    report_progress(progress, cancel, "Checking", 0.0)
    builder = _builder(mapping.kind)
    builder(BuildJob(session, plan, mapping, records, match, progress, cancel))
    plan.errors.sort(key=lambda issue: issue.row)
    plan.warnings.sort(key=lambda issue: issue.row)
    plan.conflicts.sort(key=lambda issue: issue.row)
    plan.last_imported = None  # it holds the session
    return plan


#: Rows looked at to tell a decimal-comma file (1.234,50) from a decimal-point one.
_DECIMAL_SNIFF_ROWS = 500


def _decimal_comma_of(table: Table, mapping: Mapping) -> bool | None:
    """The file's decimal separator, from its first numbers that only one convention reads."""
    numeric = {s.key for s in FIELDS[mapping.kind] if s.type in ("money", "int", "float")}
    index = {h: i for i, h in enumerate(table.headers)}
    positions = [
        index[h] for key in numeric & set(mapping.columns) for h in mapping.headers_of(key)
    ]
    votes = {True: 0, False: 0}
    for row in table.preview(_DECIMAL_SNIFF_ROWS) if positions else []:
        for at in positions:
            cell = row.cells[at] if at < len(row.cells) else None
            if isinstance(cell, str) and cell:
                found = decimal_convention(cell)
                if found is not None:
                    votes[found] += 1
    if votes[True] and not votes[False]:
        return True
    if votes[False] and not votes[True]:
        return False
    return None


def _builder(kind: Kind) -> Builder:
    """The function that plans rows of ``kind``."""
    if kind == "accounts":
        return build_accounts
    if kind == "contacts":
        return build_contacts
    return OWNED_BUILDERS[kind]
