"""Read-only checks of a workspace file: schema revision, row counts, SQLite's own checks."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from app.models.schema import head_revision, inspect_sqlite_file, known_revisions
from app.models.storage import read_only_uri


@dataclass
class CheckReport:
    """What ``fieldbook check`` found; ``healthy`` is the verdict."""

    path: Path
    revision: str | None
    head: str
    counts: dict[str, int] = field(default_factory=dict)
    integrity: list[str] = field(default_factory=list)
    foreign_key_violations: list[str] = field(default_factory=list)

    @property
    def schema_status(self) -> str:
        if self.revision == self.head:
            return "current"
        if self.revision is None:
            return "empty"
        return "older (upgraded when opened)"

    @property
    def healthy(self) -> bool:
        return self.integrity == ["ok"] and not self.foreign_key_violations


def check_workspace(path: Path) -> CheckReport:
    """Inspect a workspace without writing to it. Raises WorkspaceError if it is not one."""
    revision = inspect_sqlite_file(path)
    if revision is not None and revision not in known_revisions():
        from app.models.errors import WorkspaceError

        raise WorkspaceError(f"{path} was saved by a newer version of Fieldbook.")
    from app.models import Base  # here: the opening check's thread needs no SQLAlchemy

    report = CheckReport(path=path, revision=revision, head=head_revision())
    conn = sqlite3.connect(read_only_uri(path), uri=True)
    try:
        tables = {
            row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        for table in sorted(Base.metadata.tables.values(), key=lambda t: t.name):
            if table.name in tables:
                (count,) = conn.execute(f'SELECT count(*) FROM "{table.name}"').fetchone()
                report.counts[table.name] = int(count)
        report.integrity = [str(row[0]) for row in conn.execute("PRAGMA integrity_check")]
        report.foreign_key_violations = [
            f"{table} row {rowid} points to a missing {parent}"
            for table, rowid, parent, _fk in conn.execute("PRAGMA foreign_key_check")
        ]
    except sqlite3.DatabaseError as exc:
        report.integrity = [f"damaged: {exc}"]
    finally:
        conn.close()
    return report


def find_damage(path: Path, *, full: bool) -> list[str]:
    """SQLite's findings on a workspace file, read-only; an empty list means none.

    ``full`` runs ``integrity_check`` and ``foreign_key_check`` (after an unclean exit);
    otherwise the faster ``quick_check``. Raises OSError/sqlite3.Error for ordinary I/O
    failures, so a full disk or a permission problem is never mistaken for damage.
    """
    from app.models.storage import is_corruption

    try:
        conn = sqlite3.connect(read_only_uri(path), uri=True, timeout=5.0)
    except sqlite3.Error as exc:
        if is_corruption(exc):
            return [str(exc)]
        raise
    try:
        conn.execute("PRAGMA query_only = ON")
        pragma = "integrity_check" if full else "quick_check"
        problems = [str(row[0]) for row in conn.execute(f"PRAGMA {pragma}")]
        if problems == ["ok"]:
            problems = []
        if full and not problems:
            problems = [
                f"{table} row {rowid} points to a missing {parent}"
                for table, rowid, parent, _fk in conn.execute("PRAGMA foreign_key_check")
            ]
        return problems
    except sqlite3.Error as exc:
        if is_corruption(exc):
            return [str(exc)]
        raise
    finally:
        conn.close()
