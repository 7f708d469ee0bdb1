"""Running an import all or nothing: plan it, and unless it is a dry run or has errors,
back up the workspace and commit the plan whole."""

from __future__ import annotations

import gc
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypedDict, Unpack

from sqlalchemy.orm import Session

from app.imports.detection import detect_mapping
from app.imports.fields import Kind, kind_words
from app.imports.mapping import Mapping
from app.imports.plan import plan_import
from app.imports.plan_model import Cancel, ImportPlan, Match, Progress
from app.imports.sources import ImportRefused, Table, open_table
from app.imports.writing import write_plan
from app.models.opening import is_url, open_workspace, resolve_target
from app.models.store import Store
from app.services.labels import quoted


class ImportChoices(TypedDict, total=False):
    """How ``import_table`` goes about it (``import_to_path`` passes them on)."""

    match: Match
    dry_run: bool
    before_commit: Callable[[], None] | None
    progress: Progress | None
    cancel: Cancel | None
    skip_bad_rows: bool
    overwrite_edits: bool


@dataclass
class ImportOutcome:
    """What an import did: its plan, and the batch id when it was committed."""

    plan: ImportPlan
    batch_id: str | None = None
    #: The mapping the import used (detected or given).
    mapping: Mapping | None = None

    @property
    def committed(self) -> bool:
        """True when rows were written."""
        return self.batch_id is not None


def import_table(
    store: Store,
    table: Table,
    mapping: Mapping,
    *,
    match: Match = "auto",
    dry_run: bool = False,
    before_commit: Callable[[], None] | None = None,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    skip_bad_rows: bool = False,
    overwrite_edits: bool = False,
) -> ImportOutcome:
    """Plan the import and, unless ``dry_run`` or the plan has errors, commit it whole.

    ``skip_bad_rows`` imports the good rows when some have errors (the plan lists the rest).

    ``before_commit`` runs once the plan is known to be good and before the first write
    (the place for a backup); if it raises, nothing is written. ``cancel`` is polled
    between batches; cancelling rolls everything back and raises ImportCancelled.
    """

    def plan_in(session: Session) -> ImportPlan:
        plan = plan_import(
            session,
            table,
            mapping,
            match=match,
            progress=progress,
            cancel=cancel,
            overwrite_edits=overwrite_edits,
        )
        plan.skip_bad_rows = skip_bad_rows
        return plan

    with _no_cyclic_gc():
        if dry_run:
            with store.read() as session:
                return ImportOutcome(plan_in(session))
        with store.session() as session:
            plan = plan_in(session)
            if not plan.ok or not plan.writes:
                # Nothing to write (the file as the workspace has it): no backup, no empty batch.
                session.rollback()
                return ImportOutcome(plan)
            if before_commit is not None:
                before_commit()
            batch_id = write_plan(session, plan, progress=progress, cancel=cancel)
        if progress is not None:
            progress("Done", 1.0)
        return ImportOutcome(plan, batch_id)


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector: a large import allocates millions of small
    containers, none of them cyclic, and repeated full collections made planning
    superlinear in the number of rows."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def unrecognised(table: Table, kind: Kind | None) -> str:
    """The refusal for a file none of whose columns the catalogue knows."""
    columns = ", ".join(quoted(h) for h in table.headers[:30])
    what = f"as {kind_words(kind)}" if kind is not None else "for any kind of record"
    advice = (
        "write a mapping file (see fieldbook import --help) and give it with --mapping"
        if kind is not None
        else "give --kind, or a mapping file with --mapping (see fieldbook import --help)"
    )
    return (
        f"No column of {table.path.name} is one Fieldbook recognises {what} (its columns are "
        f"{columns}); {advice}."
    )


def _workspace_files(path: Path) -> list[Path]:
    return [Path(f"{path}{suffix}") for suffix in ("", "-wal", "-shm", "-journal")]


def import_to_path(
    db: str | os.PathLike[str] | None,
    file: str | Path,
    *,
    kind: Kind | None = None,
    mapping: Mapping | None = None,
    sheet: str | None = None,
    day_first: bool | None = None,
    default_currency: str | None = None,
    **choices: Unpack[ImportChoices],
) -> ImportOutcome:
    """Import ``file`` into the workspace at ``db``, creating the workspace if it is missing.

    ``choices`` are ``import_table``'s (match, dry run, progress, ...); without a
    ``before_commit`` an existing workspace gets a verified backup before the first write.

    A new workspace made for an import that is refused, has errors, is cancelled or is a
    dry run is removed again, so a failed first import leaves no file behind.
    """
    table = open_table(file, sheet=sheet)
    if mapping is None:
        mapping = detect_mapping(table.headers, kind)
        if not mapping.columns:
            raise ImportRefused(unrecognised(table, kind))
    elif kind is not None and mapping.kind != kind:
        raise ImportRefused(f"The mapping is for {mapping.kind}, not {kind}.")
    if day_first is not None:
        mapping.day_first = day_first
    if default_currency is not None:
        if not re.fullmatch(r"[A-Z]{3}", default_currency):
            raise ImportRefused(f"{quoted(default_currency)} is not a three-letter currency code.")
        mapping.default_currency = default_currency
    mapping.check_against(table.headers, table.path.name)
    target = resolve_target(db)
    new_path = None if is_url(target) else Path(target).expanduser().absolute()
    if new_path is not None and new_path.exists():
        new_path = None
    store = open_workspace(db, create=True)
    if choices.get("before_commit") is None and new_path is None and store.path is not None:
        # An existing book gets a verified backup before the import writes a single row
        # (a team workspace's backups are the server's job: pg_dump).
        from app.services.backup import make_backup

        def backup() -> None:
            make_backup(store, "import")

        choices["before_commit"] = backup
    outcome: ImportOutcome | None = None
    try:
        outcome = import_table(store, table, mapping, **choices)
        outcome.mapping = mapping
        return outcome
    finally:
        store.close()
        if new_path is not None and (outcome is None or not outcome.committed):
            for leftover in _workspace_files(new_path):
                leftover.unlink(missing_ok=True)
