"""Which schema a workspace is at (read without writing a byte), and upgrading it to head."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.models.errors import WorkspaceDamagedError, WorkspaceError
from app.models.storage import io_problem, is_corruption, read_only_uri

# Alembic and SQLAlchemy load when a workspace is upgraded, not with this module (start-up).
if TYPE_CHECKING:
    from sqlalchemy import Engine

SQLITE_HEADER = b"SQLite format 3\x00"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(connection: Any = None) -> Any:
    """Alembic's configuration for our migrations, run on ``connection``."""
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
    """Every schema revision this version of Fieldbook knows."""
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


def upgrade(engine: Engine, *, verify: bool = False) -> None:
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
                command.upgrade(alembic_config(connection), "head")
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


#: Serialises schema upgrades of one team workspace when several people open it at once.
_UPGRADE_LOCK = 0x46494542  # "FIEB"


def upgrade_server(engine: Engine, where: str) -> None:
    """Upgrade a team workspace to head, one opener at a time; ``where`` names it in refusals."""
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
                command.upgrade(alembic_config(connection), "head")
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
