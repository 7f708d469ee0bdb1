"""The QBR brief: headings, tables, chart pictures, page numbers, audience rules."""

from __future__ import annotations

from pathlib import Path

from docx import Document

from app.exports.qbr import export_qbr
from app.exports.qbr_data import Audience
from app.models.store import Store
from tests.exports.conftest import package_text
from tests.exports.sample_book import INTERNAL_RISK_NOTE, PRIVATE_NOTE, TODAY


def _brief(book: tuple[Store, dict[str, str]], tmp_path: Path, audience: Audience) -> Path:
    store, _ = book
    out = tmp_path / f"{audience.value}.docx"
    export_qbr(store, "Acme Logistics", out, audience=audience, today=TODAY)
    return out


def _headings(path: Path) -> list[str]:
    return [p.text for p in Document(str(path)).paragraphs if p.style.name == "Heading 1"]


def test_customer_brief_sections_tables_and_pictures(
    book: tuple[Store, dict[str, str]], tmp_path: Path
) -> None:
    out = _brief(book, tmp_path, Audience.CUSTOMER)
    assert _headings(out) == [
        "Executive summary",
        "Health and its trend",
        "Adoption and usage",
        "Success plan progress",
        "Support and open items",
        "Next steps",
    ]
    document = Document(str(out))
    assert len(document.inline_shapes) == 2  # health and adoption charts
    steps = document.tables[-1]
    assert [c.text for c in steps.rows[1].cells] == [
        "Share Rotterdam cut-over plan",
        "Sam Ortiz",
        "30 Nov 2026",
    ]
    footer = document.sections[0].footer._element.xml
    assert " PAGE " in footer and " NUMPAGES " in footer


def test_internal_brief_adds_the_renewal_and_customer_brief_hides_it(
    book: tuple[Store, dict[str, str]], tmp_path: Path
) -> None:
    internal = _brief(book, tmp_path, Audience.INTERNAL)
    assert "Renewal and commercial summary" in _headings(internal)
    text = package_text(internal)
    assert INTERNAL_RISK_NOTE in text and "Commit" in text
    customer = package_text(_brief(book, tmp_path, Audience.CUSTOMER))
    for word in (INTERNAL_RISK_NOTE, PRIVATE_NOTE, "Commit", "Sentiment", "Forecast", "Blocker"):
        assert word not in customer, word
