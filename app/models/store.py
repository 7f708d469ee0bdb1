"""The one module that opens workspaces: engines, sessions, pragmas and schema upgrades."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session, sessionmaker

from app import paths

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


class WorkspaceError(Exception):
    """A workspace cannot be opened or created; the message is one sentence for the user."""


def resolve_target(db: str | os.PathLike[str] | None) -> str:
    """The workspace to use: ``--db``, else ``FIELDBOOK_DB``, else the user data folder's."""
    if db is None or str(db) == "":
        db = os.environ.get("FIELDBOOK_DB") or None
    if db is None:
        return str(paths.default_workspace())
    return str(db)


def is_url(target: str) -> bool:
    return "://" in target


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def _alembic_config(connection: Any = None) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The schema revision this version of Fieldbook writes."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None
    return head


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_alembic_config())
    return {rev.revision for rev in script.walk_revisions()}


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
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
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
    except sqlite3.DatabaseError as exc:
        raise WorkspaceError(f"{path} is damaged or not a Fieldbook workspace ({exc}).") from exc
    return None if row is None else str(row[0])


def _configure_sqlite(engine: Engine) -> None:
    """Pragmas on every connection, and real BEGINs so transactions mean what they say."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        # FULL: a commit survives power loss, not only an application crash.
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN")


@dataclass
class Store:
    """An open workspace: hands out short sessions, one per unit of work."""

    url: str
    engine: Engine
    _sessions: sessionmaker[Session]

    @property
    def path(self) -> Path | None:
        """The workspace file, for SQLite workspaces."""
        url = make_url(self.url)
        if url.get_backend_name() != "sqlite" or not url.database:
            return None
        return Path(url.database)

    @property
    def name(self) -> str:
        return self.path.stem if self.path else make_url(self.url).render_as_string()

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: committed whole when the block ends, rolled back whole on error."""
        session = self._sessions()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
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

    def close(self) -> None:
        self.engine.dispose()


def _make_engine(url: str) -> Engine:
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine)
    return engine


def _upgrade(engine: Engine) -> None:
    from alembic import command

    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            # Batch migrations rebuild tables; with foreign keys on, dropping the old table
            # would cascade deletes into its children. Check the keys once done instead.
            connection.connection.driver_connection.execute("PRAGMA foreign_keys = OFF")  # type: ignore[union-attr]
        command.upgrade(_alembic_config(connection), "head")
        connection.commit()
        if engine.dialect.name == "sqlite":
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            connection.rollback()
            connection.connection.driver_connection.execute("PRAGMA foreign_keys = ON")  # type: ignore[union-attr]
            if broken:
                raise WorkspaceError("The workspace upgrade left broken references.")


def open_workspace(db: str | os.PathLike[str] | None = None, *, create: bool = False) -> Store:
    """Open (and upgrade to this version's schema) the workspace ``db`` names.

    With ``create``, a missing workspace file is created (its folder must exist, except for
    the default workspace, whose folder is made). Raises WorkspaceError, having changed
    nothing, when the target is missing, unreadable, not a workspace, or from a newer version.
    """
    target = resolve_target(db)
    if is_url(target):
        try:
            url = make_url(target)
        except ArgumentError as exc:
            raise WorkspaceError(f"{target} is not a valid database address.") from exc
        if url.get_backend_name() == "sqlite" and url.database:
            return _open_sqlite(Path(url.database), create=create)
        store = _store(target)
        _upgrade(store.engine)
        return store
    return _open_sqlite(Path(target), create=create)


def _open_sqlite(path: Path, *, create: bool) -> Store:
    path = path.expanduser().absolute()
    if path.exists():
        revision = inspect_sqlite_file(path)
        if revision is not None and revision not in known_revisions():
            raise WorkspaceError(
                f"{path} was saved by a newer version of Fieldbook; update Fieldbook to open it."
            )
        if not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK):
            raise WorkspaceError(f"{path} cannot be opened for writing: permission denied.")
    elif not create:
        raise WorkspaceError(f"There is no workspace at {path}.")
    else:
        if not path.parent.exists():
            if path.parent == paths.user_data_dir().absolute():
                path.parent.mkdir(parents=True, exist_ok=True)
            else:
                raise WorkspaceError(f"The folder {path.parent} does not exist.")
        if not path.parent.is_dir():
            raise WorkspaceError(f"{path.parent} is not a folder.")
        if not os.access(path.parent, os.W_OK):
            raise WorkspaceError(f"The folder {path.parent} is not writable.")
    existed = path.exists()
    store = _store(sqlite_url(path))
    try:
        _upgrade(store.engine)
    except Exception as exc:
        store.close()
        if not existed:
            _remove_workspace_files(path)
        if isinstance(exc, WorkspaceError):
            raise
        raise WorkspaceError(f"{path} could not be opened: {exc}.") from exc
    return store


def _remove_workspace_files(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _store(url: str) -> Store:
    engine = _make_engine(url)
    return Store(url=url, engine=engine, _sessions=sessionmaker(engine, expire_on_commit=False))
