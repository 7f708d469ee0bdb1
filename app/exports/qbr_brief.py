"""The QBR brief (.docx): the deck's content as a readable document with page numbers."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from app.exports.qbr_data import Audience, QbrContent
from app.exports.qbr_text import coverage_lines, day, label, money, percent, summary_sentences
from app.exports.safety import DocumentInfo, apply_opc_properties, clean_text

TABLE_STYLE = "Light Grid Accent 1"
NAVY = (0x1F, 0x3A, 0x5F)


@dataclass
class BriefOutcome:
    """The built document and what the user should be told about it."""

    document: Any
    headings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def build_brief(content: QbrContent, audience: Audience, info: DocumentInfo) -> BriefOutcome:
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
    writer.summary()
    writer.health()
    writer.adoption()
    writer.plan()
    writer.risks()
    if audience is Audience.INTERNAL:
        writer.renewal()
    writer.next_steps()
    writer.footer()
    outcome = BriefOutcome(document, writer.headings)
    if writer.left_out:
        outcome.notes.append("Left out for lack of data: " + "; ".join(writer.left_out) + ".")
    apply_opc_properties(document, info)
    return outcome


class _BriefWriter:
    def __init__(self, document: Any, content: QbrContent, audience: Audience) -> None:
        self.doc = document
        self.c = content
        self.audience = audience
        self.headings: list[str] = []
        self.left_out: list[str] = []

    def heading(self, text: str) -> None:
        from docx.shared import RGBColor

        para = self.doc.add_heading(clean_text(text), level=1)
        para.paragraph_format.keep_with_next = True
        for run in para.runs:
            run.font.color.rgb = RGBColor(*NAVY)
        self.headings.append(text)

    def para(self, text: str, style: str | None = None) -> Any:
        return self.doc.add_paragraph(clean_text(text), style=style)

    def title(self) -> None:
        c = self.c
        from docx.shared import Pt, RGBColor

        title = self.doc.add_heading(clean_text(c.account), level=0)
        for run in title.runs:
            run.font.color.rgb = RGBColor(*NAVY)
        line = f"{c.quarter.label} business review  ·  prepared {day(c.today)}"
        if c.owner:
            line += f" by {c.owner}"
        if self.audience is Audience.INTERNAL:
            line += "  ·  Internal preparation"
        run = self.para("").add_run(clean_text(line))
        run.font.size = Pt(12)
        run.font.color.rgb = RGBColor(0x6B, 0x72, 0x80)
        if self.audience is Audience.CUSTOMER:
            intro = (
                f"This brief summarises {c.quarter.label} for {c.account}: health and its "
                "trend, adoption, progress against the success plan, support and open items, "
                "and the next steps we agree together."
            )
        else:
            intro = (
                "Internal preparation for the business review: the customer's story plus the "
                "renewal, the forecast, stakeholder coverage and every open risk."
            )
        self.para(intro)

    def summary(self) -> None:
        sentences = summary_sentences(self.c, self.audience)
        if not sentences:
            self.left_out.append("executive summary")
            return
        self.heading("Executive summary")
        for sentence in sentences:
            self.para(sentence, style="List Bullet")

    def health(self) -> None:
        c = self.c
        if len(c.health) < 2:
            self.left_out.append("health trend")
            return
        from app.exports.qbr_figures import health_png

        latest = c.health[-1]
        self.heading("Health and its trend")
        trend = c.health_trend()
        text = (
            f"Health is {latest.band.value} at {latest.score:.0f} out of 100 in the week of "
            f"{day(latest.as_of)}"
        )
        if trend is not None:
            text += f", {trend:+.0f} points over the last 90 days"
        intro = self.para(text + ". The bars below are coloured by band: green, yellow and red.")
        intro.paragraph_format.keep_with_next = True
        self.picture(health_png(c))

    def adoption(self) -> None:
        c = self.c
        if len(c.usage) < 2:
            self.left_out.append("adoption and usage")
            return
        from app.exports.qbr_figures import usage_png

        self.heading("Adoption and usage")
        point, first = c.usage[-1], c.usage[0]
        text = f"{point.active_users:,} active users in the week of {day(point.as_of)}"
        if c.adoption_rate is not None:
            text += f", {percent(c.adoption_rate)} of licences"
        text += f"; {point.active_users - first.active_users:+,} since {day(first.as_of)}."
        self.para(text).paragraph_format.keep_with_next = True
        self.picture(usage_png(c))

    def plan(self) -> None:
        c = self.c
        if not c.goals:
            self.left_out.append("success-plan progress")
            return
        self.heading("Success plan progress")
        self.table(
            ["Goal", "Status", "Milestones done", "Slipping", "Target date"],
            [
                [
                    g.title,
                    label(g.status.value),
                    f"{g.done} of {len(g.milestones)}",
                    str(g.slipping) if g.slipping else "",
                    day(g.target_on),
                ]
                for g in c.goals
            ],
            (6.5, 2.4, 2.8, 1.8, 2.8),
        )
        milestones = [(g.title, m) for g in c.goals for m in g.milestones]
        if milestones:
            done = c.milestones_done_in_quarter
            self.para(
                f"{done} milestone{'s' if done != 1 else ''} completed this quarter. "
                "Every milestone of the plan:"
            )
            self.table(
                ["Milestone", "Goal", "Due", "Owner", "Status"],
                [
                    [m.title, goal, day(m.due_on), m.owner or "", label(m.status.value)]
                    for goal, m in milestones
                ],
                (4.6, 5.0, 2.4, 2.6, 2.2),
            )

    def risks(self) -> None:
        c = self.c
        risks = c.risks_for(self.audience)
        if not risks and c.support is None:
            self.left_out.append("support and risks")
            return
        internal = self.audience is Audience.INTERNAL
        self.heading("Support and risks" if internal else "Support and open items")
        s = c.support
        if s is not None:
            figures = [
                ("Open tickets", s.tickets_open),
                ("Priority-1 tickets", s.tickets_p1),
                ("New tickets this quarter", s.tickets_new_in_quarter),
                (
                    "Average time to resolve",
                    None if s.hours_to_resolve is None else f"{s.hours_to_resolve:.0f} hours",
                ),
                ("CSAT (1-5)", None if s.csat is None else f"{s.csat:.1f}"),
            ]
            self.table(
                ["Support", "Latest"],
                [[k, str(v)] for k, v in figures if v is not None],
                (8.0, 4.0),
            )
        if risks:
            self.para("")
            if internal:
                self.table(
                    ["Risk", "Area", "Severity", "Owner", "Mitigation", "Internal note"],
                    [
                        [
                            r.title,
                            label(r.category.value),
                            label(r.severity.value),
                            r.owner or "",
                            r.mitigation or "",
                            r.internal_notes or "",
                        ]
                        for r in risks
                    ],
                    (3.6, 2.2, 1.8, 2.4, 3.4, 3.2),
                )
            else:
                self.table(
                    ["Open item", "Area", "Owner", "What we are doing", "Due"],
                    [
                        [
                            r.title,
                            label(r.category.value),
                            r.owner or "",
                            r.mitigation or "",
                            day(r.due_on),
                        ]
                        for r in risks
                    ],
                    (4.2, 2.4, 2.6, 4.8, 2.6),
                )

    def renewal(self) -> None:
        c = self.c
        r = c.renewal
        if r is None:
            self.left_out.append("renewal and commercial summary")
            return
        self.heading("Renewal and commercial summary")
        notice_by = r.end_date - timedelta(days=r.notice_days)
        self.table(
            ["Renewal", "Detail"],
            [
                row
                for row in [
                    ["Contract", r.contract],
                    ["Renewal date", day(r.end_date)],
                    ["Days left", str(r.days_left(c.today))],
                    ["Annual value", money(r.value_minor, r.currency, compact=False)],
                    ["Notice by", day(notice_by)],
                    ["Auto-renews", "Yes" if r.auto_renew else "No"],
                    ["Forecast", label(r.forecast) or "Not set"],
                    ["Likelihood", "" if r.likelihood is None else f"{r.likelihood}%"],
                    ["Next step", r.next_step or ""],
                    ["ARR", money(c.arr_minor, c.currency, compact=False)],
                    [
                        "ARR with sub-accounts",
                        money(c.arr_with_children_minor, c.currency, compact=False)
                        if c.arr_with_children_minor != c.arr_minor
                        else "",
                    ],
                ]
                if row[1]
            ],
            (5.0, 9.0),
        )
        self.para("Stakeholder coverage:")
        for line in coverage_lines(c):
            self.para(line, style="List Bullet")
        if c.opportunities:
            self.para("Open opportunities:")
            for o in c.opportunities:
                self.para(
                    f"{o.title}: {money(o.value_minor, o.currency)} ({label(o.stage).lower()}).",
                    style="List Bullet",
                )

    def next_steps(self) -> None:
        c = self.c
        steps = c.steps_for(self.audience)
        if not steps:
            self.left_out.append("next steps")
            return
        self.heading("Next steps")
        self.table(
            ["Action", "Owner", "Due"],
            [
                [s.title, s.owner or "", day(s.due_on) + (" (overdue)" if s.overdue else "")]
                for s in steps
            ],
            (9.0, 4.0, 3.4),
        )

    def picture(self, png: bytes) -> None:
        from docx.shared import Cm

        self.doc.add_picture(io.BytesIO(png), width=Cm(16.6))

    def table(
        self, header: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float]
    ) -> None:
        from docx.shared import Cm, Pt

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
        scale = 16.6 / sum(widths)
        grid = table._tbl.tblGrid
        for index, (column, width) in enumerate(zip(table.columns, widths, strict=True)):
            grid.gridCol_lst[index].w = Cm(width * scale)
            for cell in column.cells:
                cell.width = Cm(width * scale)
        for row in table.rows:
            for cell in row.cells:
                for para in cell.paragraphs:
                    for run in para.runs:
                        run.font.size = Pt(9.5)
        self.doc.add_paragraph().paragraph_format.space_after = Pt(2)

    def footer(self) -> None:
        from docx.shared import Pt

        footer = self.doc.sections[0].footer
        para = footer.paragraphs[0]
        text = f"{self.c.account}  ·  {self.c.quarter.label} business review  ·  Page "
        para.add_run(clean_text(text)).font.size = Pt(9)
        _field(para, "PAGE")
        para.add_run(" of ").font.size = Pt(9)
        _field(para, "NUMPAGES")


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
