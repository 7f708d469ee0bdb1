"""The one module that opens workspaces: engines, sessions, pragmas and schema upgrades."""

from __future__ import annotations

import os
import re
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app import paths
from app.models import backup as backups
from app.models.changes import ChangeFeed, ChangeKind, ChangeSet
from app.models.errors import (
    BackupError,
    WorkspaceDamagedError,
    WorkspaceLockedError,
    WorkspaceReadOnlyError,
)
from app.models.errors import WorkspaceError as WorkspaceError
from app.models.lock import LockedError, LockHolder, WorkspaceLock, acquire
from app.models.opening_check import OpeningCheck
from app.models.storage import (
    create_private_file,
    io_problem,
    is_corruption,
    make_private,
    make_private_dir,
    make_workspace_files_private,
    read_only_uri,
    storage_warnings,
)

# SQLAlchemy, the ORM and the change tracking load when a store first makes its engine, not
# with this module: the GUI opens a workspace and paints the account tree's rows (read with
# plain sqlite3, ``Store.plain_read``) before any of it is imported.
if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.engine import URL
    from sqlalchemy.orm import Session, sessionmaker

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def resolve_target(db: str | os.PathLike[str] | None) -> str:
    """The workspace to use: ``--db``, else ``FIELDBOOK_DB``, else the user data folder's."""
    if db is None or str(db) == "":
        db = os.environ.get("FIELDBOOK_DB") or None
    if db is None:
        return str(paths.default_workspace())
    return str(db)


def is_url(target: str) -> bool:
    return "://" in target


def sqlite_url(path: Path) -> URL:
    """The SQLAlchemy URL of a workspace file (built, not parsed: names may hold ``?`` or ``#``)."""
    from sqlalchemy.engine import URL

    return URL.create("sqlite", database=str(path))


def _alembic_config(connection: Any = None) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


_REVISION = re.compile(r"^revision\b[^=]*=\s*['\"]([^'\"]+)['\"]", re.MULTILINE)
_DOWN_REVISION = re.compile(r"^down_revision\b[^=]*=\s*(.+)$", re.MULTILINE)
_QUOTED = re.compile(r"['\"]([^'\"]+)['\"]")
_graphs: dict[Path, tuple[str, frozenset[str]]] = {}


def _revision_graph() -> tuple[str, frozenset[str]]:
    """(head, every revision), read from the migration files' ``revision``/``down_revision``
    lines without importing Alembic (which costs a third of a second at start-up); a test
    checks it agrees with Alembic's own reading."""
    graph = _graphs.get(MIGRATIONS_DIR)
    if graph is None:
        revisions: set[str] = set()
        parents: set[str] = set()
        for script in sorted((MIGRATIONS_DIR / "versions").glob("*.py")):
            source = script.read_text(encoding="utf-8")
            found = _REVISION.search(source)
            if found is None:
                continue
            revisions.add(found.group(1))
            down = _DOWN_REVISION.search(source)
            if down is not None:
                parents.update(_QUOTED.findall(down.group(1)))
        heads = revisions - parents
        if len(heads) != 1:
            raise WorkspaceError(f"The schema migrations have {len(heads)} heads, not one.")
        graph = _graphs[MIGRATIONS_DIR] = (heads.pop(), frozenset(revisions))
    return graph


def head_revision() -> str:
    """The schema revision this version of Fieldbook writes."""
    return _revision_graph()[0]


def known_revisions() -> set[str]:
    return set(_revision_graph()[1])


def inspect_sqlite_file(path: Path) -> str | None:
    """Read a workspace file without writing a byte; return its schema revision (None if new).

    Raises WorkspaceError when the file is not a Fieldbook workspace.
    """
    if path.is_dir():
        raise WorkspaceError(f"{path} is a folder, not a workspace file.")
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except PermissionError as exc:
        raise WorkspaceError(f"{path} cannot be read: permission denied.") from exc
    except OSError as exc:
        raise WorkspaceError(f"{path} cannot be read: {exc.strerror}.") from exc
    if header == b"":
        return None
    if header != SQLITE_HEADER:
        raise WorkspaceError(f"{path} is not a Fieldbook workspace.")
    try:
        conn = sqlite3.connect(read_only_uri(path), uri=True)
        try:
            tables = {
                row[0]
                for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
            if not tables:
                return None
            if "alembic_version" not in tables:
                raise WorkspaceError(f"{path} is an SQLite database but not a Fieldbook workspace.")
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        if is_corruption(exc):
            raise WorkspaceDamagedError(path, [str(exc)], None, searched=False) from exc
        raise WorkspaceError(f"{path} cannot be read: {io_problem(exc) or exc}.") from exc
    return None if row is None else str(row[0])


def _configure_sqlite(engine: Engine, *, read_only: bool = False) -> None:
    """Pragmas on every connection, and real BEGINs so transactions mean what they say."""
    from sqlalchemy import event

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if read_only:
            cursor.execute("PRAGMA query_only = ON")
        else:
            cursor.execute("PRAGMA journal_mode = WAL")
            # FULL: a commit survives power loss, not only an application crash.
            cursor.execute("PRAGMA synchronous = FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN")


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
            self._factory = _sessions_of(self._engine)
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
            pending, self.engine = self.engine, _make_engine(sqlite_url(self.file))
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
            pending, self.engine = self.engine, _make_engine(sqlite_url(path))
            self._sessions.configure(bind=self.engine)
            pending.dispose()
            _track(self)
            self.check = None
        self.engine.dispose()
        result = backups.restore_backup(path, backup, known=known_revisions())
        make_workspace_files_private(path)
        _upgrade(self.engine, verify=True)
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
                _remove_new_empty_companions(self.file, self._companions)
        if self.lock is not None:
            self.lock.release(keep_marker=not clean)
            self.lock = None


def _make_engine(url: str | URL, *, read_only: bool = False) -> Engine:
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    if make_url(url).get_backend_name() == "postgresql":
        from app.models.server import make_server_engine

        return make_server_engine(make_url(url))
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine, read_only=read_only)
    return engine


def _upgrade(engine: Engine, *, verify: bool = False) -> None:
    """Migrate to head in one transaction; with ``verify``, check the result before committing.

    A failure (a migration error, broken references, failed integrity check) rolls the whole
    transaction back, so the workspace keeps its old schema and data.
    """
    from alembic import command

    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        if sqlite:
            # Batch migrations rebuild tables; with foreign keys on, dropping the old table
            # would cascade deletes into its children. Check the keys before committing.
            connection.connection.driver_connection.execute("PRAGMA foreign_keys = OFF")  # type: ignore[union-attr]
        try:
            with connection.begin():
                command.upgrade(_alembic_config(connection), "head")
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise WorkspaceError("The workspace upgrade left broken references.")
                    if verify:
                        result = [
                            str(row[0])
                            for row in connection.exec_driver_sql("PRAGMA integrity_check")
                        ]
                        if result != ["ok"]:
                            raise WorkspaceError(
                                "The upgraded workspace failed its integrity check; "
                                "it was left as it was."
                            )
        finally:
            if sqlite:
                connection.connection.driver_connection.execute("PRAGMA foreign_keys = ON")  # type: ignore[union-attr]


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
    return WorkspaceDamagedError(path, problems, good.summary() if good else None)


def _inspect_existing(path: Path) -> str | None:
    try:
        revision = inspect_sqlite_file(path)
    except WorkspaceDamagedError as exc:
        raise _damaged(path, exc.problems) from exc
    except WorkspaceError as exc:
        # Garbage over the header of a file that has backups: damaged, not a stranger.
        if path.is_file() and backups.list_backups(path):
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
    engine = _read_only_engine(path)
    store = Store(
        url=f"sqlite:///{path}",
        _engine=engine,
        _factory=_sessions_of(engine),
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
    companions = _companions(path)
    revision: str | None = None
    if existed:
        try:
            revision = _inspect_existing(path)
            if not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK):
                raise WorkspaceReadOnlyError(path)
        except WorkspaceError:
            _remove_new_empty_companions(path, companions)
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
            _remove_new_empty_companions(path, companions)
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
        store = _store(sqlite_url(path), lock=lock, report=report, file=path)
        if not current:  # a file at this schema already: no Alembic, no whole-file key check
            _upgrade(store.engine, verify=report.upgraded_from is not None)
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
            _remove_workspace_files(path)
        else:
            _remove_new_empty_companions(path, companions)
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
        url=f"sqlite:///{path}", _connect=lambda: _read_only_engine(path), file=path, lock=lock
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
    newest = backups.list_backups(path)
    if newest:
        if backups.read_change_count(newest[0].path) == current:
            return
    elif current == 0:
        return
    try:
        report.backup = backups.make_backup(path, "open")
    except BackupError as exc:
        report.backup_problem = str(exc)


def _companions(path: Path) -> set[str]:
    return {suffix for suffix in ("-wal", "-shm") if Path(f"{path}{suffix}").exists()}


def _remove_new_empty_companions(path: Path, before: set[str]) -> None:
    """Remove the -wal/-shm a read-only look created, when the -wal holds nothing."""
    wal = Path(f"{path}-wal")
    try:
        if "-wal" not in before and wal.exists() and wal.stat().st_size > 0:
            return
    except OSError:
        return
    for suffix in ("-wal", "-shm"):
        if suffix not in before:
            Path(f"{path}{suffix}").unlink(missing_ok=True)


def _remove_workspace_files(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _store(
    url: str | URL,
    *,
    lock: WorkspaceLock | None = None,
    report: OpenReport | None = None,
    file: Path | None = None,
) -> Store:
    engine = _make_engine(url)
    sessions = _sessions_of(engine)
    # As before for display and callers; the engine uses the built URL, not this string.
    shown = f"sqlite:///{file}" if file is not None else str(url)
    store = Store(url=shown, _engine=engine, _factory=sessions, file=file, lock=lock)
    if report is not None:
        store.report = report
    _count_changes(store, sessions)
    _track(store)
    return store


def _read_only_engine(path: Path) -> Engine:
    from sqlalchemy import create_engine

    uri = read_only_uri(path)

    def connect() -> sqlite3.Connection:
        return sqlite3.connect(uri, uri=True, check_same_thread=False)

    engine = create_engine("sqlite://", creator=connect)
    _configure_sqlite(engine, read_only=True)
    return engine


def _sessions_of(engine: Engine) -> sessionmaker[Session]:
    from sqlalchemy.orm import sessionmaker

    from app.models import load_orm

    load_orm()  # every mapped class, and the listeners layers above keep on sessions
    return sessionmaker(engine, expire_on_commit=False)


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


def open_server(target: str) -> Store:
    """Open a team workspace on a PostgreSQL server, upgrading its schema to head first.

    Raises WorkspaceError with one sentence when the server cannot be reached, refuses us,
    holds a newer schema, or an upgrade fails (which, DDL being transactional on PostgreSQL,
    leaves the schema as it was).
    """
    from app.models.server import parse_server_url, probe, shown

    url = parse_server_url(target)
    store = _store(url)
    store.url = shown(url)
    try:
        probe(store.engine, url)
        _upgrade_server(store.engine, shown(url))
    except BaseException:
        store.engine.dispose()
        raise
    return store


#: Serialises schema upgrades of one team workspace when several people open it at once.
_UPGRADE_LOCK = 0x46494542  # "FIEB"


def _upgrade_server(engine: Engine, where: str) -> None:
    from alembic import command
    from sqlalchemy.exc import DBAPIError

    with engine.connect() as connection:
        try:
            with connection.begin():
                connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_UPGRADE_LOCK})")
                has_schema = connection.exec_driver_sql(
                    "SELECT to_regclass('alembic_version') IS NOT NULL"
                ).scalar()
                revision = (
                    connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
                    if has_schema
                    else None
                )
                if revision is not None and revision not in known_revisions():
                    raise WorkspaceError(
                        f"{where} was saved by a newer version of Fieldbook; "
                        "update Fieldbook to open it."
                    )
                if revision == head_revision():
                    return
                command.upgrade(_alembic_config(connection), "head")
                # What the server does beside the schema follows it: every table announces
                # its changes, and (after team init) every table has its grants and policies.
                from app.models import notify, policies

                notify.install_triggers(connection)
                policies.refresh(connection)
        except DBAPIError as exc:
            code = getattr(exc.orig, "sqlstate", None)
            if code == "42501":  # insufficient privilege: a CSM's role may not change the schema
                raise WorkspaceError(
                    f"{where} needs its schema set up or upgraded by its owner; "
                    "ask your team lead to run `fieldbook team init` on it."
                ) from exc
            first = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
            raise WorkspaceError(
                f"{where} could not be upgraded ({first}); nothing was changed."
            ) from exc
