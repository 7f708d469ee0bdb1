"""Fixtures for export tests: a workspace holding the sample book, and package readers."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.models.opening import open_workspace
from app.models.store import Store
from tests.exports.sample_book import build_book


@pytest.fixture
def book(workspace_target: str) -> Iterator[tuple[Store, dict[str, str]]]:
    """A workspace with the sample book; yields the store and account ids by name."""
    store = open_workspace(workspace_target, create=True)
    with store.session() as session:
        ids = build_book(session)
    yield store, ids
    store.close()


def package_parts(data: bytes, prefix: str = "") -> Iterator[tuple[str, bytes]]:
    """Every part of an Office package, descending into embedded packages (chart workbooks)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            blob = archive.read(name)
            yield prefix + name, blob
            if blob[:2] == b"PK":
                yield from package_parts(blob, prefix=f"{prefix}{name}!")


def package_text(path: Path) -> str:
    """All XML of a package (embedded packages included) as one string."""
    return "\n".join(
        blob.decode("utf-8", "replace")
        for name, blob in package_parts(path.read_bytes())
        if name.endswith((".xml", ".rels"))
    )


FORMULA_ELEMENT = re.compile(rb"<(?:\w+:)?f[\s>/]")


def sheet_formulas(path: Path) -> list[str]:
    """Names of the worksheet parts (embedded ones too) that hold a formula element."""
    return [
        name
        for name, blob in package_parts(path.read_bytes())
        if "worksheets/sheet" in name and FORMULA_ELEMENT.search(blob)
    ]


def worksheet_count(path: Path) -> int:
    """How many worksheet parts the package holds, embedded ones included."""
    return sum("worksheets/sheet" in name for name, _ in package_parts(path.read_bytes()))
