"""The QBR brief: headings, tables, chart pictures, page numbers, audience rules."""

from __future__ import annotations

from pathlib import Path

from docx import Document

from app.exports.qbr import export_qbr, gather, present
from app.exports.qbr_data import Audience, QbrRequest
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
        "Stakeholder map",
        "Next steps",
    ]
    document = Document(str(out))
    assert len(document.inline_shapes) == 3  # health and adoption charts, the map
    steps = document.tables[-1]
    assert [c.text for c in steps.rows[1].cells] == [
        "Share Rotterdam cut-over plan",
        "Sam Ortiz",
        "Nov 30, 2026",
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


def test_tables_keep_together_and_repeat_their_header(
    book: tuple[Store, dict[str, str]], tmp_path: Path
) -> None:
    """A table broken over a page used to leave its header alone at the foot of one page
    and its rows, headless, on the next."""
    from docx.oxml.ns import qn

    for audience in Audience:
        document = Document(str(_brief(book, tmp_path, audience)))
        for table in document.tables:
            rows = table.rows
            assert rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
            for row in rows:
                assert row._tr.trPr.find(qn("w:cantSplit")) is not None
            for row in rows[:-1]:  # each row keeps with the next, so short tables stay whole
                for cell in row.cells:
                    assert all(p.paragraph_format.keep_with_next for p in cell.paragraphs)


#: Width of one character of 9.5 pt table text, generously (cm): Calibri, or the serif
#: LibreOffice draws in its place.
CHAR_CM = 0.19
CELL_PADDING_CM = 0.4


def test_no_header_or_area_word_is_broken_inside(
    book: tuple[Store, dict[str, str]], tmp_path: Path
) -> None:
    """'Slippi ng' and 'Implement ation' wrapped inside the word in narrow columns."""
    from app.exports.qbr_brief import TEXT_WIDTH_CM
    from app.exports.qbr_tables import goals_table, milestones_table, people_table, risks_table
    from app.exports.qbr_text import label
    from app.models.enums import RiskCategory

    store, _ = book
    content = present(gather(store, QbrRequest("Acme Logistics", today=TODAY)), Audience.INTERNAL)
    areas = [label(c.value) for c in RiskCategory]
    for audience in Audience:
        tables = [
            goals_table(content),
            milestones_table(content),
            risks_table(content, audience),
            people_table(content, audience),
        ]
        for table in tables:
            assert table is not None
            for index, (heading, share) in enumerate(zip(table.header, table.shares, strict=True)):
                words = heading.split()
                if heading == "Area":
                    words += areas
                longest = max(len(word) for word in words)
                column_cm = share / sum(table.shares) * TEXT_WIDTH_CM
                assert longest * CHAR_CM + CELL_PADDING_CM <= column_cm, (heading, index)


def test_the_gap_after_a_table_is_thin(book: tuple[Store, dict[str, str]], tmp_path: Path) -> None:
    """The empty paragraph after the last table was a full line: when the table ended at the
    page foot, it made a blank last page."""
    from docx.enum.text import WD_LINE_SPACING
    from docx.shared import Pt

    document = Document(str(_brief(book, tmp_path, Audience.CUSTOMER)))
    last = document.paragraphs[-1]
    assert last.text == ""
    spacing = last.paragraph_format
    assert spacing.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert spacing.line_spacing <= Pt(8) and spacing.space_after == 0


def test_people_table_says_sentiment_in_words_and_has_no_empty_sponsor_column(
    book: tuple[Store, dict[str, str]],
) -> None:
    """The internal brief's people table showed sentiment as "+0", "-2" under a header cut
    to "Sentimen t"; with no sponsor on record the sponsor column was empty from top to
    bottom, as if something were missing."""
    from dataclasses import replace

    from app.exports.qbr_tables import people_table
    from app.services.stakeholder_graph import SENTIMENT_LABELS

    store, _ = book
    facts = gather(store, QbrRequest("Acme Logistics", today=TODAY))
    internal = people_table(facts, Audience.INTERNAL)
    assert internal is not None and internal.header[-1] == "Sentiment"
    words = {row[-1] for row in internal.rows}
    assert words and words <= set(SENTIMENT_LABELS.values())
    assert not any(w.startswith(("+", "-")) for w in words)
    assert abs(sum(internal.shares) - 1) < 1e-9
    nobody = replace(
        facts, stakeholders=[replace(p, executive_sponsor=False) for p in facts.stakeholders]
    )
    customer = people_table(nobody, Audience.CUSTOMER)
    assert customer is not None and customer.header == ("Name", "Title", "Buying role")
    sponsored = people_table(facts, Audience.CUSTOMER)
    assert sponsored is not None and "Executive sponsor" in sponsored.header


def test_customer_brief_promises_only_the_sections_it_has(
    book: tuple[Store, dict[str, str]], tmp_path: Path
) -> None:
    """The intro promised "the next steps we agree together" to a customer whose brief had
    no next steps (left out for lack of data)."""
    from dataclasses import replace

    from app.exports.qbr import write_qbr

    store, _ = book
    facts = gather(store, QbrRequest("Acme Logistics", today=TODAY))
    request = QbrRequest("Acme Logistics", today=TODAY)
    with_steps = tmp_path / "with.docx"
    write_qbr(present(facts, Audience.CUSTOMER, suffix=".docx"), with_steps, request)
    intro = Document(str(with_steps)).paragraphs[2].text
    assert intro.endswith(", and the next steps we agree together.")
    assert "health and its trend, adoption, progress against the success plan" in intro
    without = tmp_path / "without.docx"
    content = present(replace(facts, next_steps=[]), Audience.CUSTOMER, suffix=".docx")
    write_qbr(content, without, request)
    document = Document(str(without))
    assert "Next steps" not in _headings(without)
    intro = document.paragraphs[2].text
    assert "next steps" not in intro
    # The stakeholder map, which it holds, is named too (it was left out of the intro).
    assert intro.endswith("support and open items, and the people we work with.")


def test_customer_introduction_names_every_section_it_holds(
    book: tuple[Store, dict[str, str]], tmp_path: Path
) -> None:
    """The introduction named the brief's sections but not its stakeholder map."""
    from app.exports import qbr_sections as sections

    out = _brief(book, tmp_path, Audience.CUSTOMER)
    document = Document(str(out))
    intro = next(p.text for p in document.paragraphs if p.text.startswith("This brief"))
    titles = {s.title_for(Audience.CUSTOMER): s for s in sections.SECTIONS}
    held = [titles[heading] for heading in _headings(out)]
    assert sections.MAP in held
    topics = [s.topic for s in held if s.topic]
    assert intro == (
        "This brief summarises Q4 2026 for Acme Logistics: "
        + ", ".join(topics[:-1])
        + ", and "
        + topics[-1]
        + "."
    )
    assert "the people we work with" in intro


def test_internal_risk_table_keeps_names_dates_and_words_whole(
    book: tuple[Store, dict[str, str]], tmp_path: Path
) -> None:
    """Seven columns on a portrait page split an owner's name inside ("Brenna n"): each
    name, severity and date now reads whole on its line, and no word is split."""
    import re

    from docx.shared import Length

    document = Document(str(_brief(book, tmp_path, Audience.INTERNAL)))
    (table,) = [t for t in document.tables if t.rows[0].cells[0].text == "Risk"]
    header = [cell.text for cell in table.rows[0].cells]
    widths = [Length(col.w).cm for col in table._tbl.tblGrid.gridCol_lst]
    whole = {"Severity", "Owner", "Due"}
    for index, heading in enumerate(header):
        texts = [row.cells[index].text for row in table.rows[1:]]
        if heading in whole:
            units = [part for text in texts for part in re.split(r" (?=\()", text)]
        else:
            units = [word for text in texts for word in text.split()]
        units += heading.split()
        longest = max(len(unit) for unit in units)
        assert longest * CHAR_CM + CELL_PADDING_CM <= widths[index], (heading, longest)
    assert "Dana Whitfield" in {row.cells[header.index("Owner")].text for row in table.rows}


def test_the_file_ends_with_a_paragraph_too_low_to_start_a_page(
    book: tuple[Store, dict[str, str]], tmp_path: Path
) -> None:
    """Keystone's customer brief ended with its next steps at the foot of page 4 and the
    8 pt gap after them alone on a blank page 5."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    for audience in Audience:
        last = Document(str(_brief(book, tmp_path, audience))).paragraphs[-1]
        assert last.text == "" and last.paragraph_format.line_spacing <= Pt(1)
        size = last._p.pPr.find(qn("w:rPr")).find(qn("w:sz"))
        assert int(size.get(qn("w:val"))) <= 2  # half-points


def test_the_renewal_table_says_no_call_as_the_renewals_tab_does(
    book: tuple[Store, dict[str, str]],
) -> None:
    from dataclasses import replace

    from app.exports.qbr_tables import renewal_table

    store, _ = book
    content = present(gather(store, QbrRequest("Acme Logistics", today=TODAY)), Audience.INTERNAL)
    assert content.renewal is not None
    uncalled = replace(content, renewal=replace(content.renewal, forecast=None))
    table = renewal_table(uncalled)
    assert table is not None
    assert ("Forecast", "Not called") in table.rows  # it said "Not set"
