"""Opening a workspace: which one is meant, the checks (and backup) before writing to it, its
lock, the upgrade to this version's schema; a file, or a team workspace on a server."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from app import paths
from app.models import backup as backups
from app.models.backup_folder import list_backups
from app.models.engines import read_only_engine, sessions_of, sqlite_url
from app.models.errors import (
    BackupError,
    WorkspaceDamagedError,
    WorkspaceError,
    WorkspaceLockedError,
    WorkspaceReadOnlyError,
)
from app.models.lock import LockedError, WorkspaceLock, acquire
from app.models.opening_check import OpeningCheck
from app.models.schema import (
    head_revision,
    inspect_sqlite_file,
    known_revisions,
    upgrade,
    upgrade_server,
)
from app.models.storage import (
    create_private_file,
    existing_companions,
    io_problem,
    is_corruption,
    make_private,
    make_private_dir,
    make_workspace_files_private,
    remove_new_empty_companions,
    remove_workspace_files,
    storage_warnings,
)
from app.models.store import OpenReport, Store, tracked_store


def resolve_target(db: str | os.PathLike[str] | None) -> str:
    """The workspace to use: ``--db``, else ``FIELDBOOK_DB``, else the user data folder's."""
    if db is None or str(db) == "":
        db = os.environ.get("FIELDBOOK_DB") or None
    if db is None:
        return str(paths.default_workspace())
    return str(db)


def is_url(target: str) -> bool:
    """Whether ``target`` is a database address rather than a file path."""
    return "://" in target


def open_workspace(
    db: str | os.PathLike[str] | None = None,
    *,
    create: bool = False,
    read_only: bool = False,
    backup_on_open: bool = False,
    backup_before_migrate: bool = True,
    check_in_background: bool = False,
) -> Store:
    """Open (and upgrade to this version's schema) the workspace ``db`` names.

    With ``create``, a missing workspace file is created (its folder must exist, except for
    the default workspace, whose folder is made). Raises WorkspaceError, having changed
    nothing, when the target is missing, unreadable, not a workspace, or from a newer version;
    WorkspaceLockedError when another process has it (``read_only=True`` then opens it
    without writing); WorkspaceDamagedError, never writing to it, when it is damaged.

    A workspace file is locked for the store's lifetime. After an unclean exit it gets the
    full integrity and foreign-key checks, otherwise SQLite's quick check. ``backup_on_open``
    (the GUI) backs it up when it changed since its newest backup; an upgrade is always
    preceded by a backup unless ``backup_before_migrate`` is False. ``store.report`` says
    what was checked and done.

    ``check_in_background`` (the GUI): a workspace file already at this version's schema
    opens at once, read-only, and those checks (and the open-time backup) run on a thread
    (``store.check``, started by ``check.start()`` once the window has painted, or by the
    first write); the first unit of work waits for them and then writes, or raises
    WorkspaceDamagedError without having written a byte. Files that need an upgrade are
    checked first, as without it.
    """
    target = resolve_target(db)
    if is_url(target):
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError

        try:
            url = make_url(target)
        except (ArgumentError, ValueError) as exc:
            raise WorkspaceError(f"{target} is not a valid database address.") from exc
        if url.get_backend_name() == "sqlite" and url.database:
            target = url.database
        else:
            return open_server(target)
    path = Path(target).expanduser().absolute()
    if read_only:
        return _open_read_only(path)
    return _open_sqlite(
        path,
        create=create,
        backup_on_open=backup_on_open,
        backup_before_migrate=backup_before_migrate,
        check_in_background=check_in_background,
    )


def _damaged(path: Path, problems: list[str]) -> WorkspaceDamagedError:
    good = backups.newest_good_backup(path, known_revisions())
    return WorkspaceDamagedError(path, problems, good)


def _inspect_existing(path: Path) -> str | None:
    try:
        revision = inspect_sqlite_file(path)
    except WorkspaceDamagedError as exc:
        raise _damaged(path, exc.problems) from exc
    except WorkspaceError as exc:
        # Garbage over the header of a file that has backups: damaged, not a stranger.
        if path.is_file() and list_backups(path):
            raise _damaged(path, [str(exc)]) from exc
        raise
    if revision is not None and revision not in known_revisions():
        raise WorkspaceError(
            f"{path} was saved by a newer version of Fieldbook; update Fieldbook to open it."
        )
    return revision


def _open_read_only(path: Path) -> Store:
    if not path.exists():
        raise WorkspaceError(f"There is no workspace at {path}.")
    revision = _inspect_existing(path)
    if revision != head_revision():
        raise WorkspaceError(
            f"{path.name} needs an upgrade to this version of Fieldbook; open it for writing once."
        )
    engine = read_only_engine(path)
    store = Store(
        url=f"sqlite:///{path}",
        _engine=engine,
        _factory=sessions_of(engine),
        file=path,
        read_only=True,
    )
    store.report.warnings = storage_warnings(path)
    return store


def _open_sqlite(
    path: Path,
    *,
    create: bool,
    backup_on_open: bool,
    backup_before_migrate: bool,
    check_in_background: bool = False,
) -> Store:
    existed = path.exists()
    companions = existing_companions(path)
    revision: str | None = None
    if existed:
        try:
            revision = _inspect_existing(path)
            if not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK):
                raise WorkspaceReadOnlyError(path)
        except WorkspaceError:
            remove_new_empty_companions(path, companions)
            raise
        if path.parent == paths.user_data_dir().absolute():
            make_private(path.parent)
    elif not create:
        raise WorkspaceError(f"There is no workspace at {path}.")
    else:
        if not path.parent.exists():
            if path.parent == paths.user_data_dir().absolute():
                make_private_dir(path.parent)
            else:
                raise WorkspaceError(f"The folder {path.parent} does not exist.")
        if not path.parent.is_dir():
            raise WorkspaceError(f"{path.parent} is not a folder.")
        if not os.access(path.parent, os.W_OK):
            raise WorkspaceError(f"The folder {path.parent} is not writable.")
    try:
        lock = acquire(path)
    except LockedError as exc:
        raise WorkspaceLockedError(path, exc.holder) from exc
    except OSError as exc:
        raise WorkspaceError(f"{path.name} could not be locked: {io_problem(exc)}.") from exc
    report = OpenReport(unclean=lock.unclean, previous_holder=lock.stale)
    store: Store | None = None
    current = existed and revision == head_revision()
    if current and check_in_background:
        try:
            store = _open_checking(path, lock, report, backup_on_open=backup_on_open)
            store._companions = companions
        except BaseException:
            lock.release(keep_marker=lock.unclean)
            remove_new_empty_companions(path, companions)
            raise
        return store
    try:
        if existed and revision is not None:
            _check_before_writing(path, report)
        if not existed:
            create_private_file(path)
        make_workspace_files_private(path)
        if existed and revision is not None and revision != head_revision():
            report.upgraded_from = revision
            if backup_before_migrate:
                try:
                    report.backup = backups.make_backup(path, "before-upgrade")
                except BackupError as exc:
                    raise WorkspaceError(
                        f"{path.name} was not upgraded because no backup could be made first: {exc}"
                    ) from exc
        store = tracked_store(sqlite_url(path), lock=lock, report=report, file=path)
        if not current:  # a file at this schema already: no Alembic, no whole-file key check
            upgrade(store.engine, verify=report.upgraded_from is not None)
        make_workspace_files_private(path)
        if backup_on_open and existed and report.backup is None:
            _backup_if_changed(store, path, report)
        report.warnings.extend(storage_warnings(path))
    except BaseException as exc:
        if store is not None:
            store.engine.dispose()
        # Refused: leave things as they were, the open mark of an unclean exit included (so
        # the next open checks in full again), minus the empty -wal/-shm our checks made.
        lock.release(keep_marker=lock.unclean and existed)
        if not existed:
            remove_workspace_files(path)
        else:
            remove_new_empty_companions(path, companions)
        if isinstance(exc, WorkspaceError) or not isinstance(exc, Exception):
            raise
        if is_corruption(exc):
            raise _damaged(path, [str(exc)]) from exc
        problem = io_problem(exc)
        if problem is not None:
            raise WorkspaceError(f"{path} could not be opened: {problem}.") from exc
        raise WorkspaceError(f"{path} could not be opened: {exc}.") from exc
    return store


def _open_checking(
    path: Path, lock: WorkspaceLock, report: OpenReport, *, backup_on_open: bool
) -> Store:
    """A store on a read-only engine, made at first use, while ``OpeningCheck`` runs; see
    ``open_workspace``."""
    store = Store(
        url=f"sqlite:///{path}", _connect=lambda: read_only_engine(path), file=path, lock=lock
    )
    store.report = report
    report.warnings.extend(storage_warnings(path))

    def after_pass() -> None:
        report.checks = (
            ["integrity check: ok", "foreign key check: ok"]
            if report.unclean
            else ["quick check: ok"]
        )
        if backup_on_open:
            _backup_if_changed(store, path, report)

    # Started by the window after its first paint, or by the first write, whichever is first.
    store.check = OpeningCheck(path, full=report.unclean, after_pass=after_pass)
    return store


def _check_before_writing(path: Path, report: OpenReport) -> None:
    """Run SQLite's checks read-only; raise WorkspaceDamagedError on any finding."""
    from app.models.integrity import find_damage

    full = report.unclean
    try:
        problems = find_damage(path, full=full)
    except (OSError, sqlite3.Error) as exc:
        raise WorkspaceError(f"{path} could not be checked: {io_problem(exc) or exc}.") from exc
    if problems:
        raise _damaged(path, problems)
    report.checks = (
        ["integrity check: ok", "foreign key check: ok"] if full else ["quick check: ok"]
    )


def _backup_if_changed(store: Store, path: Path, report: OpenReport) -> None:
    current = store.change_count()
    newest = list_backups(path)
    if newest:
        if backups.read_change_count(newest[0].path) == current:
            return
    elif current == 0:
        return
    try:
        report.backup = backups.make_backup(path, "open")
    except BackupError as exc:
        report.backup_problem = str(exc)


def open_server(target: str) -> Store:
    """Open a team workspace on a PostgreSQL server, upgrading its schema to head first.

    Raises WorkspaceError with one sentence when the server cannot be reached, refuses us,
    holds a newer schema, or an upgrade fails (which, DDL being transactional on PostgreSQL,
    leaves the schema as it was).
    """
    from app.models.server import parse_server_url, probe, shown

    url = parse_server_url(target)
    store = tracked_store(url)
    store.url = shown(url)
    try:
        probe(store.engine, url)
        upgrade_server(store.engine, shown(url))
    except BaseException:
        store.engine.dispose()
        raise
    return store
