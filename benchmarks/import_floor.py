"""What the two import benchmarks share: fresh workspace copies, the raw-executemany floor,
and the peak-memory measurement in a fresh process."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.core import Run

#: Raw rows for the floor: (table, columns, row tuples) per table, parents first.
RawRows = list[tuple[str, list[str], list[tuple[Any, ...]]]]

# ru_maxrss survives exec, so a child forked from a large parent reports the parent's size:
# the peak scripts read the kernel's high-water mark of their own process image instead.
HIGH_WATER = """
from pathlib import Path

def high_water_kb():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise SystemExit("needs Linux /proc")
"""


def fresh_copy(template: Path, target: Path) -> Path:
    """``target`` as a copy of the empty ``template`` workspace (its WAL files removed)."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copy(template, target)
    return target


def stored(value: Any) -> Any:
    """A planned value as the driver stores it."""
    if hasattr(value, "value"):
        return value.value
    if hasattr(value, "hour"):
        return value.replace(tzinfo=None).isoformat(sep=" ")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def raw_rows(creates: list[dict[str, list[dict[str, Any]]]], tables: tuple[str, ...]) -> RawRows:
    """The rows the plans create, per table, as the tuples the floor inserts."""
    from app.models import Base

    out: RawRows = []
    for name in tables:
        columns = [c.name for c in Base.metadata.tables[name].columns]
        rows = [row for planned in creates for row in planned.get(name, [])]
        out.append((name, columns, [tuple(stored(r[c]) for c in columns) for r in rows]))
    return out


def insert_floor(target: Path, raw: RawRows) -> Run:
    """The floor: raw ``sqlite3.executemany`` of the rows, the app's pragmas, one transaction."""
    connection = sqlite3.connect(target, isolation_level=None)
    connection.execute("PRAGMA foreign_keys = ON")
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = FULL")
    started = time.perf_counter()
    connection.execute("BEGIN")
    for name, columns, rows in raw:
        marks = ", ".join("?" * len(columns))
        connection.executemany(f"INSERT INTO {name} ({', '.join(columns)}) VALUES ({marks})", rows)
    connection.execute("COMMIT")
    seconds = time.perf_counter() - started
    connection.close()
    return Run(seconds)


def peak_kb(script: str, *args: str) -> int:
    """Run ``HIGH_WATER`` + ``script`` in a fresh Python; it prints the kilobytes it added."""
    result = subprocess.run(
        [sys.executable, "-c", HIGH_WATER + script, *args],
        cwd=Path(__file__).resolve().parents[1],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(result.stdout.strip())
