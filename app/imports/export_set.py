"""A whole CRM export at once: a folder or a .zip of files, imported together, all or nothing.

Every file's kind is detected (its name first, "Account.csv", then its headers); the files go
in dependency order (users, accounts, contacts, opportunities, contracts, health, activities)
inside one transaction, each written before the next is planned, so a contact's AccountId or
an account's ParentId finds a record from another file of the same export. One batch holds
them all: one backup before, one undo after.
"""

from __future__ import annotations

import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from sqlalchemy import func, select, update

from app.imports.detection import AmbiguousKind, detect_mapping, kind_from_file_name
from app.imports.fields import KINDS, Kind
from app.imports.journal import BATCH_TABLE, JOURNAL_TABLE, new_batch
from app.imports.mapping import Mapping
from app.imports.plan import plan_import
from app.imports.plan_model import Cancel, ImportPlan, Match, Progress
from app.imports.sources import ImportRefused, Table, open_table
from app.imports.users import read_users
from app.imports.writing import write_plan
from app.models.store import Store

#: Files an export may hold that we read.
READABLE = {".csv", ".tsv", ".txt", ".xlsx", ".xlsm"}
#: A zip may unpack to at most this much, and at most this many times its own size.
MAX_UNPACKED = 4 * 1024**3
MAX_RATIO = 200


@dataclass
class ExportFile:
    """One file of an export: how it reads, and as what (or why it is left out)."""

    name: str
    table: Table | None = None
    mapping: Mapping | None = None
    #: Why the file is left out (not a kind Fieldbook keeps, not recognised).
    skipped: str | None = None
    #: Kinds that fit equally well: the user must choose (``choose``).
    candidates: list[Mapping] = field(default_factory=list)

    def choose(self, kind: Kind) -> None:
        """Settle an ambiguous file (or override a detected one) as ``kind``."""
        assert self.table is not None
        self.mapping = detect_mapping(self.table.headers, kind)
        self.candidates = []
        self.skipped = None


@dataclass
class ExportSet:
    """The files of one export, in import order; ``close`` removes an unpacked zip."""

    path: Path
    files: list[ExportFile]
    _temp: tempfile.TemporaryDirectory[str] | None = None

    def close(self) -> None:
        """Remove what unpacking a zip left on disk."""
        if self._temp is not None:
            self._temp.cleanup()
            self._temp = None

    def __enter__(self) -> ExportSet:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    @property
    def to_import(self) -> list[ExportFile]:
        """Files with a kind, in dependency order."""
        ready = [f for f in self.files if f.mapping is not None and f.skipped is None]
        return sorted(ready, key=lambda f: (KINDS.index(f.mapping.kind), f.name))  # type: ignore[union-attr]

    @property
    def undecided(self) -> list[ExportFile]:
        """Files whose kind the user must choose."""
        return [f for f in self.files if f.candidates]


def open_export(path: str | Path) -> ExportSet:
    """Open a folder or a .zip of export files; raises ImportRefused, one sentence."""
    path = Path(path)
    if not path.exists():
        raise ImportRefused(f"There is no folder or .zip at {path}.")
    temp = None
    root = path
    if path.is_file():
        temp = tempfile.TemporaryDirectory(prefix="fieldbook-export-")
        try:
            _unzip(path, Path(temp.name))
        except BaseException:
            temp.cleanup()
            raise
        root = Path(temp.name)
    names = sorted(
        p
        for p in root.rglob("*")
        if p.is_file() and p.suffix.lower() in READABLE and not p.name.startswith((".", "~$"))
    )
    if not names:
        if temp is not None:
            temp.cleanup()
        raise ImportRefused(f"{path.name} holds no .csv or .xlsx files to import.")
    files = [_read(p, p.relative_to(root).as_posix()) for p in names]
    return ExportSet(path, files, temp)


def _unzip(path: Path, target: Path) -> None:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        raise ImportRefused(f"{path.name} is not a readable .zip archive.") from None
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir()]
        total = sum(m.file_size for m in members)
        if total > MAX_UNPACKED or total > MAX_RATIO * max(1, path.stat().st_size):
            raise ImportRefused(f"{path.name} unpacks to too much data to be an export.")
        for member in members:
            inner = PurePosixPath(member.filename)
            if inner.is_absolute() or ".." in inner.parts:
                raise ImportRefused(f"{path.name} holds a file outside its folder: {inner}.")
            if inner.suffix.lower() not in READABLE:
                continue
            destination = target.joinpath(*inner.parts)
            destination.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(member) as source, destination.open("wb") as out:
                while chunk := source.read(1 << 20):
                    out.write(chunk)


def _read(path: Path, name: str) -> ExportFile:
    entry = ExportFile(name)
    kind, not_ours = kind_from_file_name(name)
    if not_ours is not None:
        entry.skipped = f"{not_ours} {Path(name).stem} records are not something Fieldbook keeps"
        return entry
    try:
        entry.table = open_table(path)
    except ImportRefused as exc:
        entry.skipped = str(exc).rstrip(".")
        return entry
    headers = entry.table.headers
    if kind is not None:
        guess = detect_mapping(headers, kind)
        if not guess.missing_required():
            entry.mapping = guess
            return entry
    try:
        guess = detect_mapping(headers)
    except AmbiguousKind as exc:
        entry.candidates = exc.candidates
        return entry
    if guess.missing_required() or not guess.evidence:
        entry.skipped = "its columns match no kind of record Fieldbook imports"
        return entry
    entry.mapping = guess
    return entry


@dataclass
class ExportOutcome:
    """What importing an export did: a plan per file, and the batch when committed."""

    plans: list[ImportPlan]
    batch_id: str | None = None

    @property
    def ok(self) -> bool:
        """True when every file's plan may be committed."""
        return all(plan.ok for plan in self.plans)

    @property
    def committed(self) -> bool:
        """True when rows were written."""
        return self.batch_id is not None


def owners_from(export: ExportSet) -> dict[str, str]:
    """CRM user id -> name, from the export's users files (for OwnerId columns)."""
    owners: dict[str, str] = {}
    for entry in export.to_import:
        if entry.mapping is not None and entry.mapping.kind == "users" and entry.table:
            owners.update(read_users(entry.table, entry.mapping))
    return owners


def import_export(
    store: Store,
    export: ExportSet,
    *,
    match: Match = "auto",
    dry_run: bool = False,
    skip_bad_rows: bool = False,
    overwrite_edits: bool = False,
    before_commit: Callable[[], None] | None = None,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> ExportOutcome:
    """Plan every file in dependency order and, unless ``dry_run`` or a plan has errors,
    commit them all in one transaction as one batch (one undo)."""
    if export.undecided:
        names = ", ".join(f.name for f in export.undecided)
        raise ImportRefused(f"Choose what {names} holds first: its columns fit more than one kind.")
    entries = [e for e in export.to_import if e.mapping is not None]
    if not entries:
        raise ImportRefused(f"{export.path.name} holds no accounts, contacts or deals to import.")
    owners = owners_from(export)
    plans: list[ImportPlan] = []
    scope = store.read() if dry_run else store.session()
    with scope as session:
        if before_commit is not None and not dry_run:
            before_commit()
        batch_id = new_batch(session, "export", export.path.name)
        for entry in entries:
            assert entry.table is not None and entry.mapping is not None
            plan = plan_import(
                session,
                entry.table,
                entry.mapping,
                match=match,
                progress=progress,
                cancel=cancel,
                owners=owners,
                overwrite_edits=overwrite_edits,
            )
            plan.file_name = entry.name
            plan.skip_bad_rows = skip_bad_rows
            plans.append(plan)
            if plan.ok:
                start = session.scalar(
                    select(func.count()).where(JOURNAL_TABLE.c.batch_id == batch_id)
                )
                write_plan(session, plan, batch_id=batch_id, journal_start=int(start or 0))
        outcome = ExportOutcome(plans)
        if dry_run or not outcome.ok or not any(p.writes for p in plans):
            session.rollback()
            return outcome
        session.execute(
            update(BATCH_TABLE)
            .where(BATCH_TABLE.c.id == batch_id)
            .values(
                created_count=sum(p.records_created for p in plans),
                updated_count=sum(p.updated_rows for p in plans),
            )
        )
        outcome.batch_id = batch_id
    return outcome
