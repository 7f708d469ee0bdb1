"""Property tests: any bytes, any CSV table. Import consistently or refuse in one sentence."""

from __future__ import annotations

import csv
import io
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.imports.commit import ImportOutcome, import_to_path
from app.imports.sources import ImportRefused
from app.imports.values import clean_text
from app.models.opening import open_workspace

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_TEMPLATE: list[Path] = []
pytestmark = pytest.mark.sqlite_only("copies a template workspace file for every example")


@contextmanager
def _workspace() -> Iterator[Path]:
    """A fresh workspace file per example, copied from one made by the migrations."""
    with tempfile.TemporaryDirectory() as folder:
        if not _TEMPLATE or not _TEMPLATE[0].exists():
            template = Path(tempfile.mkdtemp()) / "template.db"
            open_workspace(template, create=True).close()
            _TEMPLATE[:] = [template]
        target = Path(folder) / "book.db"
        shutil.copy(_TEMPLATE[0], target)
        yield target


def _state(db: Path) -> tuple[int, int, int, list[str]]:
    """(accounts, stakeholders, import batches, stakeholder names), read without migrating."""
    connection = sqlite3.connect(db)
    try:
        count = lambda table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: E731
        names = sorted(r[0] for r in connection.execute("SELECT name FROM stakeholder"))
        return count("account"), count("stakeholder"), count("import_batch"), names
    finally:
        connection.close()


def _attempt(db: Path, path: Path, kind: str | None = None) -> ImportOutcome | None:
    """The import's outcome, or None when it was refused with one clear sentence."""
    try:
        return import_to_path(db, path, kind=kind)  # type: ignore[arg-type]
    except ImportRefused as exc:
        message = str(exc)
        assert message and not message[0].isspace() and message.endswith("."), message
        assert "\n" not in message and "Traceback" not in message
        return None


@SETTINGS
@given(content=st.binary(max_size=2000), suffix=st.sampled_from([".csv", ".txt", ".xlsx"]))
def test_arbitrary_bytes_import_consistently_or_are_refused(content: bytes, suffix: str) -> None:
    with _workspace() as db:
        before = _state(db)
        path = db.parent / f"input{suffix}"
        path.write_bytes(content)
        outcome = _attempt(db, path)
        after = _state(db)
        if outcome is None or not outcome.committed:
            assert after == before
        else:
            assert outcome.plan.ok
            assert after[2] == before[2] + 1


_CELL = st.text(alphabet=st.sampled_from(list("abcXYZ019 ,;\t\"'\n-.@éü€ß")), max_size=12)
_ROW = st.tuples(_CELL, _CELL, _CELL, st.text(alphabet="abcdefgh", min_size=1, max_size=6))


def _encode(text: str, encoding: str) -> bytes:
    try:
        return text.encode(encoding)
    except UnicodeEncodeError:
        return text.encode("utf-8")


@SETTINGS
@given(
    rows=st.lists(_ROW, min_size=1, max_size=25),
    delimiter=st.sampled_from([",", ";", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]),
    blank_lines=st.booleans(),
)
def test_arbitrary_contact_tables_import_exactly_or_not_at_all(
    rows: list[tuple[str, str, str, str]], delimiter: str, encoding: str, blank_lines: bool
) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(["First Name", "Last Name", "Title", "Account Name"])
    for row in rows:
        writer.writerow(row)
        if blank_lines:
            buffer.write("\r\n")
    with _workspace() as db:
        before = _state(db)
        path = db.parent / "contacts.csv"
        path.write_bytes(_encode(buffer.getvalue(), encoding))
        outcome = _attempt(db, path, "contacts")
        after = _state(db)
        if outcome is None or not outcome.committed:
            assert after == before
            return
        # Committed: every row became exactly one stakeholder, named as the file says.
        expected = []
        for first, last, _title, _account in rows:
            parts = [p for p in (clean_text(first), clean_text(last)) if p]
            expected.append(" ".join(parts))
        assert outcome.plan.created_rows + outcome.plan.updated_rows + outcome.plan.skipped == (
            len(rows)
        )
        assert set(after[3]) == set(expected)
        assert after[1] == outcome.plan.created_rows


@SETTINGS
@given(
    amounts=st.lists(
        st.tuples(st.integers(min_value=-(10**9), max_value=10**9), st.booleans()),
        min_size=1,
        max_size=10,
    )
)
def test_money_written_either_way_reads_back_exactly(amounts: list[tuple[int, bool]]) -> None:
    from app.imports.amounts import parse_money

    for cents, european in amounts:
        units, rest = divmod(abs(cents), 100)
        grouped = f"{units:,}"
        if european:
            text = grouped.replace(",", ".") + f",{rest:02d} €"
        else:
            text = f"${grouped}.{rest:02d}"
        if cents < 0:
            text = f"({text})"
        money = parse_money(text)
        assert money.minor == cents
        assert money.currency == ("EUR" if european else "USD")
