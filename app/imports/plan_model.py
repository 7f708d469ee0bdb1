"""What a dry run found: the writes an import would make and its problems by row, and the
types its callers pass (how rows match, progress, cancel)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from app.imports.fields import Kind
from app.imports.mapping import Mapping
from app.imports.records import Issue
from app.imports.refresh import LastImported

Match = Literal["auto", "external_id", "email", "name"]
MATCHES: tuple[Match, ...] = ("auto", "external_id", "email", "name")
#: Called with a phase label and the fraction done (0..1).
Progress = Callable[[str, float], None]
#: Returns True when the user asked to stop.
Cancel = Callable[[], bool]


class ImportCancelled(Exception):
    """The user stopped the import; nothing was written."""


@dataclass
class Planned:
    """One file row that will become a create or an update (or nothing, if unchanged)."""

    row: int
    row_id: str
    values: dict[str, Any]
    existing: dict[str, Any] | None = None
    label: str = ""


@dataclass
class ImportPlan:
    """The outcome of a dry run: the writes to make and the problems found."""

    kind: Kind
    file_name: str
    described_as: str
    match: Match
    rows_read: int = 0
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    day_first: bool | None = None
    #: Rows to insert, per table, in an order that respects foreign keys.
    creates: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    #: (table, row id, changed values, old values)
    updates: list[tuple[str, str, dict[str, Any], dict[str, Any]]] = field(default_factory=list)
    skipped: int = 0
    created_rows: int = 0
    updated_rows: int = 0
    #: Accounts made because rows named an account the workspace did not have.
    new_accounts: int = 0
    #: The mapping used, how many rows filled each field, and the columns nobody read.
    mapping: Mapping | None = None
    filled: dict[str, int] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)
    #: Records edited in Fieldbook since their last import: left as they are, listed here.
    conflicts: list[Issue] = field(default_factory=list)
    #: (row, record name, labels of the fields the import changes) per update.
    changed: list[tuple[int, str, list[str]]] = field(default_factory=list)
    #: Take the file's values even for records edited in Fieldbook (the user's choice).
    overwrite_edits: bool = False
    last_imported: LastImported | None = None

    #: Import the good rows and leave the rows with errors out (the user's choice).
    skip_bad_rows: bool = False
    #: CRM user names (id -> name) a users file adds to those the workspace keeps.
    kept_users: dict[str, str] = field(default_factory=dict)
    #: What the import does besides its rows, in a sentence each (a users file's owners).
    notes: list[str] = field(default_factory=list)

    @property
    def records_created(self) -> int:
        """Every record the import creates, the accounts made for rows that named them
        included: what its batch counts as created."""
        return self.created_rows + self.new_accounts

    @property
    def writes(self) -> bool:
        """True when committing the plan would change the workspace."""
        return any(self.creates.values()) or bool(self.updates) or bool(self.kept_users)

    @property
    def ok(self) -> bool:
        """True when the import may be committed: no errors, or (when skipping bad rows)
        none about the file as a whole."""
        if self.skip_bad_rows:
            return all(issue.row > 0 for issue in self.errors)
        return not self.errors

    @property
    def rejected_rows(self) -> list[int]:
        """The rows left out because of their errors, when skipping bad rows."""
        return sorted({issue.row for issue in self.errors if issue.row > 0})

    def summary(self, *, done: bool = False) -> str:
        """One line: rows read, and what would be (``done``: what was) created, updated."""
        create, change = ("created", "updated") if done else ("to create", "to update")
        parts = [
            _plural(self.rows_read, "row") + " read",
            f"{self.created_rows:,} {create}",
            f"{self.updated_rows:,} {change}",
            f"{self.skipped:,} unchanged",
        ]
        if self.new_accounts:
            parts.append(_plural(self.new_accounts, "new account"))
        if self.errors and self.skip_bad_rows:
            parts.append(_plural(len(self.rejected_rows), "row") + " left out")
        elif self.errors:
            parts.append(_plural(len(self.errors), "error"))
        if self.warnings:
            parts.append(_plural(len(self.warnings), "warning"))
        if self.conflicts:
            parts.append(_plural(len(self.conflicts), "conflict"))
        return ", ".join(parts)


def _plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}" + ("" if count == 1 else "s")


def report_progress(
    progress: Progress | None, cancel: Cancel | None, phase: str, done: float
) -> None:
    """Report ``phase`` and the fraction done, and stop (ImportCancelled) when the user asked to."""
    if cancel is not None and cancel():
        raise ImportCancelled("The import was cancelled; nothing was changed.")
    if progress is not None:
        progress(phase, done)
