"""Every output carries our document properties, never the libraries' defaults."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.exports.portfolio_report import export_report
from app.exports.qbr import export_qbr
from app.exports.qbr_data import Audience
from app.models.store import Store
from tests.exports.conftest import package_parts
from tests.exports.sample_book import TODAY

LIBRARY_TRACES = re.compile(r"python-pptx|python-docx|openpyxl|Steve Canny|2013-", re.IGNORECASE)


def _props(path: Path) -> dict[str, dict[str, str]]:
    """Core and app properties of the package and of every embedded package, by part."""
    found: dict[str, dict[str, str]] = {}
    for name, blob in package_parts(path.read_bytes()):
        if name.endswith(("docProps/core.xml", "docProps/app.xml")):
            text = blob.decode()
            found[name] = dict(re.findall(r"<(?:\w+:)?(\w+)(?: [^>]*)?>([^<]*)</", text))
    return found


def _export(book: tuple[Store, dict[str, str]], tmp_path: Path, suffix: str) -> Path:
    store, _ = book
    out = tmp_path / f"out{suffix}"
    if suffix == ".xlsx":
        export_report(store, out, today=TODAY)
    else:
        export_qbr(store, "Acme Logistics", out, audience=Audience.INTERNAL, today=TODAY)
    return out


@pytest.mark.parametrize("suffix", [".pptx", ".docx", ".xlsx"])
def test_properties_are_ours(
    book: tuple[Store, dict[str, str]], tmp_path: Path, suffix: str
) -> None:
    before = datetime.now(UTC).replace(microsecond=0) - timedelta(seconds=1)
    out = _export(book, tmp_path, suffix)
    props = _props(out)
    core, app = props["docProps/core.xml"], props["docProps/app.xml"]
    expected_author = "Fieldbook" if suffix == ".xlsx" else "Dana Whitfield"
    assert core["creator"] == expected_author
    assert core["lastModifiedBy"] == expected_author
    if suffix == ".xlsx":
        assert core["title"] == "Portfolio report: the whole book, Nov 20, 2026"
    else:
        assert core["title"] == "Acme Logistics: Q4 2026 business review (internal)"
    for key in ("created", "modified"):
        stamp = datetime.fromisoformat(core[key].replace("Z", "+00:00"))
        assert before <= stamp <= datetime.now(UTC) + timedelta(seconds=1)
    assert app["Company"] == "Northwind Success Ltd"
    assert app["Application"] == "Fieldbook"
    for name, values in props.items():
        assert not LIBRARY_TRACES.search(" ".join(values.values())), (name, values)


def test_embedded_chart_workbooks_carry_our_properties(
    book: tuple[Store, dict[str, str]], tmp_path: Path
) -> None:
    props = _props(_export(book, tmp_path, ".pptx"))
    embedded = {k: v for k, v in props.items() if "!" in k}
    assert len(embedded) >= 4  # two charts, core + app each
    for name, values in embedded.items():
        if name.endswith("core.xml"):
            assert values["creator"] == "Dana Whitfield"
        else:
            assert values["Company"] == "Northwind Success Ltd"
