"""The QBR brief (.docx): the deck's sections as a readable document with page numbers."""

from __future__ import annotations

import io
import struct
from typing import Any

from app.exports import qbr_sections as sections
from app.exports import qbr_tables as tables
from app.exports import qbr_text as words
from app.exports.qbr_charts import ChartSpec, health_chart, usage_chart
from app.exports.qbr_data import Audience, QbrContent
from app.exports.safety import BuiltDocument, DocumentInfo, apply_opc_properties, clean_text
from app.services.labels import in_sentence, label_of

TABLE_STYLE = "Light Grid Accent 1"
#: A4 less the margins.
TEXT_WIDTH_CM = 16.6
NAVY = (0x1F, 0x3A, 0x5F)
#: A picture is at most this tall, so a tall map shares its page with its heading.
PICTURE_HEIGHT_CM = 14.0
#: Height of the thin gap that follows each table (points).
GAP_PT = 8
#: Height of the paragraph that ends the file (points): a file must end with one, and an
#: 8 pt gap after a table that ended at the page's foot made a blank last page.
END_PT = 1


def build_brief(content: QbrContent, audience: Audience, info: DocumentInfo) -> BuiltDocument:
    """Build the brief in memory; sections without data are left out and named in ``notes``."""
    from docx import Document
    from docx.shared import Cm

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.2))
    section.top_margin = section.bottom_margin = Cm(2.0)
    writer = _BriefWriter(document, content, audience)
    writer.title()
    sections.write_sections(writer, audience)
    writer.introduce()
    writer.end()
    writer.footer()
    outcome = BuiltDocument(document, writer.headings)
    outcome.note_left_out(writer.left_out)
    apply_opc_properties(document, info)
    return outcome


class _BriefWriter:
    def __init__(self, document: Any, content: QbrContent, audience: Audience) -> None:
        self.doc = document
        self.c = content
        self.audience = audience
        self.headings: list[str] = []
        self.written: list[sections.Section] = []
        self.left_out: list[str] = []
        self.intro: Any = None

    def heading(self, section: sections.Section) -> None:
        from docx.shared import RGBColor

        text = section.title_for(self.audience)
        para = self.doc.add_heading(clean_text(text), level=1)
        para.paragraph_format.keep_with_next = True
        for run in para.runs:
            run.font.color.rgb = RGBColor(*NAVY)
        self.headings.append(text)
        self.written.append(section)

    def skip(self, section: sections.Section, why: str = "") -> None:
        """Leave ``section`` out for lack of data; the export's notes say why."""
        self.left_out.append(section.left_out(why))

    def para(self, text: str, style: str | None = None) -> Any:
        return self.doc.add_paragraph(clean_text(text), style=style)

    def title(self) -> None:
        c = self.c
        from docx.shared import Pt, RGBColor

        title = self.doc.add_heading(clean_text(c.account), level=0)
        for run in title.runs:
            run.font.color.rgb = RGBColor(*NAVY)
        line = f"{c.quarter.label} business review  ·  prepared {words.day(c.today)}"
        if c.owner:
            line += f" by {c.owner}"
        if self.audience is Audience.INTERNAL:
            line += "  ·  Internal preparation"
        run = self.para("").add_run(clean_text(line))
        run.font.size = Pt(12)
        run.font.color.rgb = RGBColor(0x6B, 0x72, 0x80)
        # The customer's introduction names the sections once they are written.
        self.intro = self.para(
            ""
            if self.audience is Audience.CUSTOMER
            else "Internal preparation for the business review: the customer's story plus the "
            "renewal, the forecast, stakeholder coverage and every open risk."
        )

    def introduce(self) -> None:
        """The customer's introduction names every section the brief holds, as its
        headings show them: a section left out for lack of data is not promised ("the next
        steps we agree" with none listed)."""
        if self.audience is not Audience.CUSTOMER:
            return
        c = self.c
        topics = [section.topic for section in self.written if section.topic]
        intro = f"This brief summarises {c.quarter.label} for {c.account}"
        if len(topics) > 1:
            intro += ": " + ", ".join(topics[:-1]) + ", and " + topics[-1]
        elif topics:
            intro += f": {topics[0]}"
        self.intro.add_run(clean_text(intro + "."))

    def summary(self) -> None:
        sentences = words.summary_sentences(self.c, self.audience)
        if not sentences:
            self.skip(sections.SUMMARY)
            return
        self.heading(sections.SUMMARY)
        for sentence in sentences:
            self.para(sentence, style="List Bullet")

    def health(self) -> None:
        c = self.c
        spec = health_chart(c)
        if spec is None:
            self.skip(sections.HEALTH)
            return
        latest = c.health[-1]
        self.heading(sections.HEALTH)
        band = in_sentence(label_of(latest.band))
        text = (
            f"Health is {band} at {latest.score:.0f} out of 100 in the week of "
            f"{words.day(latest.as_of)}{words.trend_clause(c.health_trend())}"
        )
        intro = self.para(text + ". The bars below are coloured by band: green, yellow and red.")
        intro.paragraph_format.keep_with_next = True
        self.chart(spec)

    def adoption(self) -> None:
        c = self.c
        spec = usage_chart(c)
        if spec is None:
            self.skip(sections.ADOPTION)
            return
        self.heading(sections.ADOPTION)
        point, first = c.usage[-1], c.usage[0]
        users = words.counted(point.active_users, "active user")
        text = f"{users} in the week of {words.day(point.as_of)}"
        if c.adoption_rate is not None:
            text += f", {words.percent(c.adoption_rate)} of licences"
        change = words.users_change(point.active_users - first.active_users, first.as_of)
        text += f". {change}."
        self.para(text).paragraph_format.keep_with_next = True
        self.chart(spec)

    def plan(self) -> None:
        c = self.c
        goals = tables.goals_table(c)
        if goals is None:
            self.skip(sections.PLAN)
            return
        self.heading(sections.PLAN)
        self.table(goals)
        milestones = tables.milestones_table(c)
        if milestones is not None:
            done = words.milestones_done(c.milestones_done_in_quarter)
            self.para(f"{done} The plan's milestones:")
            self.table(milestones)

    def risks(self) -> None:
        c = self.c
        risks = tables.risks_table(c, self.audience, limit=len(c.risks))
        figures = tables.support_figures(c)
        if risks is None and not figures:
            self.skip(sections.RISKS)
            return
        self.heading(sections.RISKS)
        if figures:
            rows = tuple((words.capital(caption), value) for caption, value in figures)
            self.table(tables.Table(("Support", "Latest"), rows, (0.66, 0.34)))
        if risks is not None:
            self.gap()
            self.table(risks)

    def stakeholder_map(self) -> None:
        c = self.c
        if c.map_png is None:
            self.skip(sections.MAP, c.map_missing)
            return
        self.heading(sections.MAP)
        self.para(
            "The people we work with and how they connect."
        ).paragraph_format.keep_with_next = True
        for png in (c.map_png, *c.map_more):
            self.picture(png, f"Stakeholder map of {c.account}")
        people = tables.people_table(c, self.audience)
        if people is not None:
            self.table(people)
        if c.departures:  # internal only: the customer's content has none
            self.para("Who left:").paragraph_format.keep_with_next = True
            for departure in c.departures:
                for line in words.departure_lines(departure):
                    self.para(line, style="List Bullet")

    def renewal(self) -> None:
        c = self.c
        table = tables.renewal_table(c)
        if table is None:
            self.skip(sections.RENEWAL)
            return
        self.heading(sections.RENEWAL)
        self.table(table)
        self.para("Stakeholder coverage:")
        for line in words.coverage_lines(c):
            self.para(line, style="List Bullet")
        if c.opportunities:
            self.para("Open opportunities:")
            for o in c.opportunities:
                self.para(f"{words.opportunity_line(o)}.", style="List Bullet")

    def next_steps(self) -> None:
        table = tables.steps_table(self.c)
        if table is None:
            self.skip(sections.NEXT_STEPS)
            return
        self.heading(sections.NEXT_STEPS)
        self.table(table)

    def chart(self, spec: ChartSpec) -> None:
        from app.exports.qbr_figures import chart_png

        self.picture(chart_png(spec), spec.description)

    def picture(self, png: bytes, description: str) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Cm

        # A PNG's header holds its size in pixels (width, height) at bytes 16-24.
        width_px, height_px = struct.unpack(">II", png[16:24])
        width = min(TEXT_WIDTH_CM, PICTURE_HEIGHT_CM * width_px / height_px)
        shape = self.doc.add_picture(io.BytesIO(png), width=Cm(width))
        if width < TEXT_WIDTH_CM:
            self.doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
        shape._inline.docPr.set("descr", clean_text(description))

    def table(self, spec: tables.Table) -> None:
        from docx.shared import Cm, Pt

        header, rows, widths = spec.header, spec.rows, spec.shares
        table = self.doc.add_table(rows=1, cols=len(header))
        table.style = TABLE_STYLE
        for cell, text in zip(table.rows[0].cells, header, strict=True):
            cell.text = clean_text(text)
        for row in rows:
            cells = table.add_row().cells
            for cell, text in zip(cells, row, strict=True):
                cell.text = clean_text(text)
        # Word reads the cell widths, LibreOffice the grid: set both, scaled to the text width.
        table.autofit = False
        scale = TEXT_WIDTH_CM / sum(widths)
        grid = table._tbl.tblGrid
        for index, (column, width) in enumerate(zip(table.columns, widths, strict=True)):
            grid.gridCol_lst[index].w = Cm(width * scale)
            for cell in column.cells:
                cell.width = Cm(width * scale)
        last = len(table.rows) - 1
        for index, row in enumerate(table.rows):
            _row_flags(row, header=index == 0)
            for cell in row.cells:
                for para in cell.paragraphs:
                    # Each row keeps with the next: a table that fits a page is not broken.
                    para.paragraph_format.keep_with_next = index < last
                    for run in para.runs:
                        run.font.size = Pt(9.5)
        self.gap()

    def gap(self) -> None:
        """A thin gap after a table: a full empty line there could start a blank last page."""
        from docx.enum.text import WD_LINE_SPACING
        from docx.shared import Pt

        spacing = self.doc.add_paragraph().paragraph_format
        spacing.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        spacing.line_spacing = Pt(GAP_PT)
        spacing.space_before = spacing.space_after = Pt(0)

    def end(self) -> None:
        """The file's last paragraph, after its last table or line, as low as can be."""
        from docx.enum.text import WD_LINE_SPACING
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from docx.shared import Pt

        last = self.doc.paragraphs[-1]
        if last.text:
            last = self.doc.add_paragraph()
        spacing = last.paragraph_format
        spacing.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        spacing.line_spacing = Pt(END_PT)
        spacing.space_before = spacing.space_after = Pt(0)
        # The paragraph mark's own size, which sets the empty line's height in LibreOffice.
        size = OxmlElement("w:sz")
        size.set(qn("w:val"), str(2 * END_PT))
        marks = OxmlElement("w:rPr")
        marks.append(size)
        last._p.get_or_add_pPr().append(marks)

    def footer(self) -> None:
        from docx.shared import Pt

        footer = self.doc.sections[0].footer
        para = footer.paragraphs[0]
        text = f"{self.c.account}  ·  {self.c.quarter.label} business review  ·  Page "
        para.add_run(clean_text(text)).font.size = Pt(9)
        _field(para, "PAGE")
        para.add_run(" of ").font.size = Pt(9)
        _field(para, "NUMPAGES")


def _row_flags(row: Any, *, header: bool) -> None:
    """A row is never split across pages; the header row repeats on every page."""
    from docx.oxml import OxmlElement

    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))
    if header:
        properties.append(OxmlElement("w:tblHeader"))


def _field(paragraph: Any, code: str) -> None:
    """A Word field (PAGE, NUMPAGES) the word processor fills in."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    def char(kind: str) -> Any:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        return element

    run = paragraph.add_run()
    run.font.size = Pt(9)
    run._r.append(char("begin"))
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = f" {code} "
    run._r.append(instruction)
    run._r.append(char("separate"))
    placeholder = OxmlElement("w:t")
    placeholder.text = "1"
    run._r.append(placeholder)
    run._r.append(char("end"))
