"""An open workspace, the ``Store``: short sessions, one per unit of work, each commit counted
and announced; and what opening it found (``OpenReport``). Opening is ``app.models.opening``."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.models import backup as backups
from app.models.changes import ChangeFeed, ChangeKind, ChangeSet
from app.models.engines import BUSY_TIMEOUT_MS, make_engine, sessions_of, sqlite_url
from app.models.errors import WorkspaceError
from app.models.lock import LockHolder, WorkspaceLock
from app.models.opening_check import OpeningCheck
from app.models.schema import known_revisions, upgrade
from app.models.storage import (
    make_workspace_files_private,
    read_only_uri,
    remove_new_empty_companions,
)

# SQLAlchemy, the ORM and the change tracking load when a store first makes its engine, not
# with this module: the GUI opens a workspace and paints the account tree's rows (read with
# plain sqlite3, ``Store.plain_read``) before any of it is imported.
if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.engine import URL
    from sqlalchemy.orm import Session, sessionmaker


@dataclass
class OpenReport:
    """What opening a workspace found and did, in words the app can show."""

    #: The last session did not close cleanly (a crash, a kill, a power cut).
    unclean: bool = False
    previous_holder: LockHolder | None = None
    #: The checks that ran, e.g. ``"quick check: ok"``.
    checks: list[str] = field(default_factory=list)
    #: The backup made while opening (before an upgrade, or because it changed), if any.
    backup: Path | None = None
    backup_problem: str | None = None
    upgraded_from: str | None = None
    warnings: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """One plain sentence per thing worth telling the user."""
        out: list[str] = []
        if self.unclean and self.checks:
            out.append(
                "Fieldbook was not closed properly last time; "
                f"checked the whole workspace ({', '.join(self.checks)})."
            )
        elif self.unclean:
            out.append(
                "Fieldbook was not closed properly last time; checking the whole workspace "
                "before anything is saved to it."
            )
        if self.upgraded_from:
            out.append(f"Upgraded the workspace from schema {self.upgraded_from}.")
        if self.backup is not None:
            out.append(f"Backed up to {self.backup.name}.")
        if self.backup_problem:
            out.append(self.backup_problem)
        out.extend(self.warnings)
        return out


_CHANGED = "fieldbook_changed"
_COUNTED = "fieldbook_counted"
_BUMP_CHANGE_COUNT = (
    "INSERT INTO workspace_meta (key, value) VALUES ('change_count', '1') "
    "ON CONFLICT (key) DO UPDATE "
    "SET value = CAST(CAST(workspace_meta.value AS INTEGER) + 1 AS TEXT)"
)


@dataclass
class Store:
    """An open workspace: hands out short sessions, one per unit of work."""

    url: str
    _engine: Engine | None = None
    _factory: sessionmaker[Session] | None = None
    #: Makes the engine on first use (a file opened with ``check_in_background``: the window
    #: paints its first rows from ``plain_read`` before SQLAlchemy is imported).
    _connect: Callable[[], Engine] | None = None
    _build_lock: threading.Lock = field(default_factory=threading.Lock)
    #: The workspace file (None for a database server).
    file: Path | None = None
    #: Opened with ``read_only=True`` (another process holds the lock): writes fail.
    read_only: bool = False
    lock: WorkspaceLock | None = None
    report: OpenReport = field(default_factory=OpenReport)
    #: Units of work committed with changes since this store opened (drives scheduled backups).
    commits: int = 0
    #: Announces what each commit touched (see app.models.changes).
    changes: ChangeFeed = field(default_factory=ChangeFeed)
    #: The whole-file check still running after a quick open (``check_in_background``):
    #: until it passes the engine is read-only and ``session()`` waits for the verdict.
    check: OpeningCheck | None = None
    _promote_lock: threading.Lock = field(default_factory=threading.Lock)
    #: The -wal/-shm files that existed before opening (a refused file is left as found).
    _companions: set[str] = field(default_factory=set)
    #: People deleted through this store: their private notes go when it closes (only then
    #: can no undo bring them back; app.models.note_keeping).
    _people_deleted: set[str] = field(default_factory=set)

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._start()
        assert self._engine is not None
        return self._engine

    @engine.setter
    def engine(self, engine: Engine) -> None:
        self._engine = engine

    @property
    def _sessions(self) -> sessionmaker[Session]:
        if self._factory is None:
            self._start()
        assert self._factory is not None
        return self._factory

    def _start(self) -> None:
        """Make the deferred engine and the session factory (first use of a quick open)."""
        with self._build_lock:
            if self._factory is not None:
                return
            assert self._connect is not None
            self._engine = self._connect()
            self._factory = sessions_of(self._engine)
            _count_changes(self, self._factory)

    @contextmanager
    def plain_read(self) -> Iterator[Any]:
        """A DB-API connection for one plain read, without SQLAlchemy when the engine is not
        made yet (the window's first rows); rolled back and closed afterwards."""
        if self._engine is None and self.file is not None:
            connection = sqlite3.connect(read_only_uri(self.file), uri=True)
            try:
                connection.execute("PRAGMA query_only = ON")
                yield connection
            finally:
                connection.close()
            return
        raw = self.engine.raw_connection()
        try:
            yield raw.driver_connection
        finally:
            raw.rollback()
            raw.close()

    @property
    def path(self) -> Path | None:
        """The workspace file, for SQLite workspaces."""
        if self.file is not None:
            return self.file
        from sqlalchemy.engine import make_url

        url = make_url(self.url)
        if url.get_backend_name() != "sqlite" or not url.database:
            return None
        return Path(url.database)

    @property
    def name(self) -> str:
        if self.path:
            return self.path.stem
        from sqlalchemy.engine import make_url

        return make_url(self.url).render_as_string()

    @property
    def checking(self) -> bool:
        """The opening check is still running (writes wait for it)."""
        return self.check is not None and not self.check.done

    def wait_until_writable(self) -> None:
        """Block until the opening check passed, then write through a read-write engine.

        Raises WorkspaceDamagedError (the file was never written) when the check found
        damage, WorkspaceError when it could not run.
        """
        check = self.check
        if check is None:
            return
        check.wait_passed()
        with self._promote_lock:
            if self.check is None:
                return
            assert self.file is not None
            pending, self.engine = self.engine, make_engine(sqlite_url(self.file))
            self._sessions.configure(bind=self.engine)
            pending.dispose()
            # From now on it writes: what each commit touched is announced, as on any store.
            _track(self)
            self.report.checks = check.checks_done()
            self.check = None

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: committed whole when the block ends, rolled back whole on error.

        While the opening check runs this waits for it (a damaged file is never written).
        """
        if self.check is not None:
            self.wait_until_writable()
        session = self._sessions()
        try:
            yield session
            session.commit()
        except BaseException as exc:
            session.rollback()
            _raise_refusal(exc)
            raise
        finally:
            session.close()

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading; nothing it does is committed."""
        session = self._sessions()
        try:
            yield session
        finally:
            session.rollback()
            session.close()

    def reread(self) -> None:
        """Announce that anything may have changed, so every view reads the workspace again."""
        self.changes.publish(ChangeSet.of(ChangeKind.WORKSPACE))

    def change_count(self) -> int:
        """How many units of work with changes this workspace has committed, ever."""
        if self.file is not None:
            # Plain sqlite3: the opening check's thread asks, and must not import SQLAlchemy
            # while the window does.
            uri = read_only_uri(self.file)
            with closing(sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000)) as db:
                found = db.execute(
                    "SELECT value FROM workspace_meta WHERE key = 'change_count'"
                ).fetchone()
            return int(found[0]) if found is not None else 0
        with self.engine.connect() as connection:
            row = connection.exec_driver_sql(
                "SELECT value FROM workspace_meta WHERE key = 'change_count'"
            ).fetchone()
        return int(row[0]) if row is not None else 0

    def restore(self, backup: Path) -> backups.RestoreResult:
        """Replace this workspace with ``backup`` in place (the current file is kept aside).

        Open sessions must be finished first; the store then reads the restored file.
        """
        path = self.path
        if path is None or self.read_only or self.lock is None:
            raise WorkspaceError("Only a workspace file opened for writing can be restored.")
        if self.check is not None:  # the restored file replaces whatever the check found
            self.check.wait()
            pending, self.engine = self.engine, make_engine(sqlite_url(path))
            self._sessions.configure(bind=self.engine)
            pending.dispose()
            _track(self)
            self.check = None
        self.engine.dispose()
        result = backups.restore_backup(path, backup, known=known_revisions())
        make_workspace_files_private(path)
        upgrade(self.engine, verify=True)
        self.reread()
        return result

    def close(self, *, clean: bool = True) -> None:
        """Close every connection and let go of the lock; a clean close clears the open mark.

        A file whose opening check has not passed keeps an unclean exit's mark, so the next
        open checks it in full again.
        """
        check = self.check
        if check is not None:
            check.cancel()
        elif not self.read_only:
            from app.models import note_keeping

            note_keeping.forget_at_close(
                self.engine, self._people_deleted, whole_file=self.file is not None
            )
        if self._engine is not None:
            self._engine.dispose()
        if check is not None:
            # Never written: a read-only engine leaves the -wal/-shm it made behind.
            if self.report.unclean and not check.passed:
                clean = False
            if self.file is not None:
                remove_new_empty_companions(self.file, self._companions)
        if self.lock is not None:
            self.lock.release(keep_marker=not clean)
            self.lock = None


def tracked_store(
    url: str | URL,
    *,
    lock: WorkspaceLock | None = None,
    report: OpenReport | None = None,
    file: Path | None = None,
) -> Store:
    """A store on a new engine for ``url`` that counts and announces its commits."""
    engine = make_engine(url)
    sessions = sessions_of(engine)
    # As before for display and callers; the engine uses the built URL, not this string.
    shown = f"sqlite:///{file}" if file is not None else str(url)
    store = Store(url=shown, _engine=engine, _factory=sessions, file=file, lock=lock)
    if report is not None:
        store.report = report
    _count_changes(store, sessions)
    _track(store)
    return store


def _track(store: Store) -> None:
    """Announce what each commit of ``store``'s sessions touched, and keep the people deleted
    (for their private notes): on a store that writes."""
    from app.models import note_keeping
    from app.models.change_tracking import track_changes

    track_changes(store.engine, store._sessions, store.changes)
    note_keeping.track(store._sessions, store._people_deleted)


def _count_changes(store: Store, sessions: sessionmaker[Session]) -> None:
    """Bump ``workspace_meta.change_count`` inside every unit of work that changed something.

    The count is committed with the change itself, so a backup knows exactly which state it
    holds and "changed since the last backup" survives crashes.
    """
    from sqlalchemy import event
    from sqlalchemy.orm import ORMExecuteState

    from app.models.change_tracking import quietly

    @event.listens_for(sessions, "do_orm_execute")
    def _executed(state: ORMExecuteState) -> None:
        if state.is_insert or state.is_update or state.is_delete:
            state.session.info[_CHANGED] = True

    @event.listens_for(sessions, "after_flush")
    def _flushed(session: Session, _context: Any) -> None:
        session.info[_CHANGED] = True

    @event.listens_for(sessions, "before_commit")
    def _bump(session: Session) -> None:
        pending = bool(session.new or session.deleted) or any(
            session.is_modified(obj) for obj in session.dirty
        )
        if session.info.pop(_CHANGED, False) or pending:
            with quietly(session):
                session.connection().exec_driver_sql(_BUMP_CHANGE_COUNT)
            session.info[_COUNTED] = True

    @event.listens_for(sessions, "after_commit")
    def _committed(session: Session) -> None:
        if session.info.pop(_COUNTED, False):
            store.commits += 1

    @event.listens_for(sessions, "after_rollback")
    def _rolled_back(session: Session) -> None:
        session.info.pop(_CHANGED, None)
        session.info.pop(_COUNTED, None)


def _raise_refusal(exc: BaseException) -> None:
    """A team workspace's refusal (not yours to edit, saved by someone else first) in words."""
    from app.models.conflicts import translate

    refusal = translate(exc)
    if refusal is not None:
        raise refusal from exc
