"""The QBR deck (.pptx): slides from the template's layouts, native charts, speaker notes."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app import paths
from app.exports.qbr_data import Audience, QbrContent
from app.exports.qbr_text import (
    coverage_lines,
    day,
    fill_tokens,
    label,
    money,
    percent,
    summary_sentences,
    token_values,
)
from app.exports.safety import DocumentInfo, ExportError, apply_opc_properties, clean_text

BAND_COLOURS = {"red": "C8453B", "yellow": "E0A526", "green": "3C9D5D"}
NAVY = "1F3A5F"
TEAL = "1A7F8E"
INK = "1F2937"
MUTED = "6B7280"
DEFAULT_TEMPLATE = ("templates", "qbr-default.pptx")
_EMU_PER_INCH = 914400


def default_template() -> Path:
    """The bundled clean template."""
    return paths.resource(*DEFAULT_TEMPLATE)


@dataclass
class DeckOutcome:
    """The built presentation and what the user should be told about it."""

    presentation: Any
    slide_titles: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Box:
    left: int
    top: int
    width: int
    height: int


def build_deck(
    content: QbrContent,
    audience: Audience,
    info: DocumentInfo,
    template: Path | None = None,
    logos: Sequence[Path | None] = (),
) -> DeckOutcome:
    """Build the deck in memory. Sections without data are left out and named in ``notes``.

    ``logos`` (ours, the customer's) fill the title layout's picture placeholders in order;
    a placeholder without a logo is left off the slide rather than shown empty.
    """
    from pptx import Presentation

    template_path = template or default_template()
    try:
        prs = Presentation(str(template_path))
    except Exception as exc:  # python-pptx raises many kinds for a bad file
        raise ExportError(
            f"{template_path} is not a PowerPoint template Fieldbook can use."
        ) from exc
    outcome = DeckOutcome(prs)
    unknown: set[str] = set()
    values = token_values(content, audience)
    had_slides = len(prs.slides) > 0
    for part_slides in (prs.slide_masters, prs.slide_layouts, prs.slides):
        for item in part_slides:
            _fill_shapes(item.shapes, values, unknown)
    if unknown:
        names = ", ".join("{{" + name + "}}" for name in sorted(unknown))
        outcome.notes.append(f"Unknown template tokens left as they are: {names}.")
    builder = _DeckBuilder(prs, content, audience, info, outcome)
    if not had_slides:
        builder.title_slide(list(logos))
    builder.summary_slide()
    builder.health_slide()
    builder.adoption_slide()
    builder.plan_slide()
    builder.risks_slide()
    outcome.notes.append(
        "Stakeholder map slide left out: the customer-safe map picture is not available yet."
    )
    if audience is Audience.INTERNAL:
        builder.renewal_slide()
    builder.next_steps_slide()
    builder.finish()
    apply_opc_properties(prs, info)
    return outcome


class _DeckBuilder:
    """Adds the QBR's slides one by one; each skips itself when its data is missing."""

    def __init__(
        self,
        prs: Any,
        content: QbrContent,
        audience: Audience,
        info: DocumentInfo,
        outcome: DeckOutcome,
    ) -> None:
        self.prs = prs
        self.content = content
        self.audience = audience
        self.info = info
        self.outcome = outcome
        self.title_layout, self.body_layout = _pick_layouts(prs)
        self.area = _content_area(prs, self.body_layout)
        self.left_out: list[str] = []
        self.summary_notes: Any = None

    # -- slides -------------------------------------------------------------------------
    def title_slide(self, logos: list[Path | None]) -> None:
        c = self.content
        slide = self.prs.slides.add_slide(self.title_layout)
        subtitle = f"{c.quarter.label} business review  ·  {day(c.today)}"
        if self.audience is Audience.INTERNAL:
            subtitle += "  ·  Internal preparation"
        texts = {"title": c.account, "subtitle": subtitle}
        for ph in sorted(slide.placeholders, key=lambda p: p.placeholder_format.idx):
            kind = _ph_kind(ph)
            if kind in ("title", "subtitle"):
                ph.text_frame.text = clean_text(texts.pop(kind, ""))
                continue
            logo = logos.pop(0) if kind == "picture" and logos else None
            if logo is None:
                _remove(ph)
                continue
            try:
                ph.insert_picture(str(logo))
            except Exception as exc:  # Pillow and python-pptx raise many kinds
                raise ExportError(f"{logo} is not a picture Fieldbook can use.") from exc
        if "title" in texts:
            self._textbox(slide, self.area, [texts["title"]], size=36, bold=True)
        self._notes(
            slide,
            [
                f"{c.account}: {c.quarter.label} business review, prepared {day(c.today)}.",
                f"Account owner: {c.owner or 'not set'}.",
            ],
        )
        self.outcome.slide_titles.append(c.account)

    def summary_slide(self) -> None:
        c = self.content
        sentences = summary_sentences(c, self.audience)
        if not sentences:
            self.left_out.append("executive summary (no data yet)")
            return
        slide = self._slide("Executive summary")
        area = self.area
        text_width = int(area.width * 0.62)
        self._textbox(
            slide,
            _Box(area.left, area.top, text_width, area.height),
            sentences,
            size=18,
            bullets=True,
        )
        tiles = self._summary_tiles()
        gap = int(0.15 * _EMU_PER_INCH)
        tile_left = area.left + text_width + gap * 2
        tile_width = area.left + area.width - tile_left
        tile_height = min(int(1.15 * _EMU_PER_INCH), (area.height - gap * 3) // 4)
        for index, (value, caption, colour) in enumerate(tiles[:4]):
            top = area.top + index * (tile_height + gap)
            self._tile(slide, _Box(tile_left, top, tile_width, tile_height), value, caption, colour)
        self.summary_notes = self._notes(slide, sentences)

    def health_slide(self) -> None:
        c = self.content
        if len(c.health) < 2:
            self.left_out.append("health trend (fewer than two health scores)")
            return
        slide = self._slide("Health and its trend")
        chart_box, side = self._split(0.72)
        data = self._chart_data()
        data.categories = [f"{p.as_of:%d %b}" for p in c.health]
        data.add_series("Health score", [round(p.score, 1) for p in c.health])
        chart = self._add_chart(slide, "column", chart_box, data)
        plot = chart.plots[0]
        plot.gap_width = 40
        _colour_points(plot.series[0], [BAND_COLOURS[p.band.value] for p in c.health])
        axis = chart.value_axis
        axis.minimum_scale, axis.maximum_scale, axis.major_unit = 0, 100, 25
        chart.has_legend = False
        chart.has_title = False
        latest = c.health[-1]
        trend = c.health_trend()
        lines = [
            (f"{latest.score:.0f}", 40, True, BAND_COLOURS[latest.band.value]),
            (f"{label(latest.band.value)} health, week of {day(latest.as_of)}", 14, False, INK),
        ]
        if trend is not None:
            lines.append((f"{trend:+.0f} points over 90 days", 14, False, INK))
        lines.append(("Bars are coloured by band: green, yellow, red.", 12, False, MUTED))
        self._styled_lines(slide, side, lines)
        self._notes(
            slide,
            [f"Weekly health scores, {day(c.health[0].as_of)} to {day(latest.as_of)}:"]
            + [f"{day(p.as_of)}: {p.score:.0f} ({p.band.value})" for p in c.health[-8:]],
        )

    def adoption_slide(self) -> None:
        c = self.content
        if len(c.usage) < 2:
            self.left_out.append("adoption and usage (fewer than two weeks of usage data)")
            return
        slide = self._slide("Adoption and usage")
        chart_box, side = self._split(0.72)
        data = self._chart_data()
        data.categories = [f"{p.as_of:%d %b}" for p in c.usage]
        data.add_series("Active users", [p.active_users for p in c.usage])
        licences = [p.licensed_users or c.licences for p in c.usage]
        if all(value is not None for value in licences):
            data.add_series("Licences", licences)
        chart = self._add_chart(slide, "line", chart_box, data)
        colours = (TEAL, MUTED)
        for series, colour in zip(chart.plots[0].series, colours, strict=False):
            series.format.line.color.rgb = _rgb(colour)
            series.format.line.width = int(2.5 * 12700)
            series.smooth = False
        chart.has_legend = True
        from pptx.enum.chart import XL_LEGEND_POSITION

        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
        point = c.usage[-1]
        lines = [(percent(c.adoption_rate) or f"{point.active_users:,}", 40, True, TEAL)]
        if c.adoption_rate is not None:
            lines.append(("of licences in active use", 14, False, INK))
        lines.append(
            (f"{point.active_users:,} active users, week of {day(point.as_of)}", 14, False, INK)
        )
        first = c.usage[0]
        change = point.active_users - first.active_users
        lines.append((f"{change:+,} active users since {day(first.as_of)}", 14, False, INK))
        self._styled_lines(slide, side, lines)
        self._notes(
            slide,
            [f"Active users against licences, {day(first.as_of)} to {day(point.as_of)}:"]
            + [
                f"{day(p.as_of)}: {p.active_users:,} active of "
                f"{p.licensed_users or c.licences or 'unknown'} licences"
                for p in c.usage[-8:]
            ],
        )

    def plan_slide(self) -> None:
        c = self.content
        if not c.goals:
            self.left_out.append("success-plan progress (no success plan)")
            return
        slide = self._slide("Success plan progress")
        rows = [
            [
                g.title,
                label(g.status.value),
                f"{g.done} of {len(g.milestones)}",
                str(g.slipping) if g.slipping else "",
                day(g.target_on),
            ]
            for g in c.goals[:8]
        ]
        header = ["Goal", "Status", "Milestones done", "Slipping", "Target date"]
        slipping = [
            (g.title, m) for g in c.goals for m in g.milestones if m.status.value == "slipping"
        ]
        table_height = self._table(
            slide, self.area, header, rows, (0.44, 0.13, 0.18, 0.1, 0.15), size=16
        )
        if slipping:
            gap = int(0.35 * _EMU_PER_INCH)
            below = _Box(
                self.area.left,
                self.area.top + table_height + gap,
                self.area.width,
                max(self.area.height - table_height - gap, int(0.8 * _EMU_PER_INCH)),
            )
            lines = [("Milestones slipping", 16, True, BAND_COLOURS["red"])] + [
                (
                    f"{m.title} ({goal}), due {day(m.due_on)}"
                    + (f", owner {m.owner}" if m.owner else ""),
                    14,
                    False,
                    INK,
                )
                for goal, m in slipping[:4]
            ]
            self._styled_lines(slide, below, lines)
        self._notes(
            slide,
            [
                f"{g.title}: {label(g.status.value)}; {g.done} of {len(g.milestones)} milestones "
                f"done, {g.slipping} slipping; target {day(g.target_on) or 'not set'}."
                for g in c.goals
            ]
            + [f"Milestones completed this quarter: {c.milestones_done_in_quarter}."],
        )

    def risks_slide(self) -> None:
        c = self.content
        risks = c.risks_for(self.audience)
        support = c.support
        if not risks and support is None:
            self.left_out.append("support and risks (no support data or open risks)")
            return
        title = (
            "Support and risks" if self.audience is Audience.INTERNAL else "Support and open items"
        )
        slide = self._slide(title)
        area = self.area
        table_top = area.top
        notes: list[str] = []
        if support is not None:
            tiles = [
                (support.tickets_open, "open tickets"),
                (support.tickets_p1, "priority-1 tickets"),
                (support.tickets_new_in_quarter, "new tickets this quarter"),
                (
                    None
                    if support.hours_to_resolve is None
                    else f"{support.hours_to_resolve:.0f} h",
                    "average time to resolve",
                ),
                (None if support.csat is None else f"{support.csat:.1f}", "CSAT (1-5)"),
            ]
            shown = [(str(v), caption) for v, caption in tiles if v is not None]
            gap = int(0.15 * _EMU_PER_INCH)
            height = int(1.0 * _EMU_PER_INCH)
            width = (area.width - gap * (len(shown) - 1)) // max(len(shown), 1)
            for index, (value, caption) in enumerate(shown):
                box = _Box(area.left + index * (width + gap), area.top, width, height)
                self._tile(slide, box, value, caption, NAVY)
                notes.append(f"{caption.capitalize()}: {value}.")
            table_top = area.top + height + int(0.3 * _EMU_PER_INCH)
        if risks:
            box = _Box(area.left, table_top, area.width, area.top + area.height - table_top)
            if self.audience is Audience.INTERNAL:
                header = ["Risk", "Area", "Severity", "Status", "Owner", "Mitigation", "Due"]
                widths: Sequence[float] = (0.22, 0.14, 0.09, 0.08, 0.11, 0.26, 0.1)
                rows = [
                    [
                        r.title + (" (escalated)" if r.is_escalation else ""),
                        label(r.category.value),
                        label(r.severity.value),
                        label(r.status.value),
                        r.owner or "",
                        r.mitigation or "",
                        day(r.due_on),
                    ]
                    for r in risks[:6]
                ]
            else:
                header = ["Open item", "Area", "Owner", "What we are doing", "Due"]
                widths = (0.28, 0.14, 0.14, 0.32, 0.12)
                rows = [
                    [
                        r.title,
                        label(r.category.value),
                        r.owner or "",
                        r.mitigation or "",
                        day(r.due_on),
                    ]
                    for r in risks[:6]
                ]
            self._table(slide, box, header, rows, widths, size=12)
            for r in risks:
                line = f"{r.title}: {label(r.status.value)}, owner {r.owner or 'not set'}"
                if self.audience is Audience.INTERNAL:
                    line += f", severity {r.severity.value}"
                    if r.internal_notes:
                        line += f". Internal: {r.internal_notes}"
                notes.append(line + ".")
        elif len(c.tickets) >= 2:
            box = _Box(area.left, table_top, area.width, area.top + area.height - table_top)
            self._tickets_chart(slide, box)
            notes.append(
                "Tickets per week, new and open: "
                + "; ".join(f"{day(p.as_of)} {p.new}/{p.open}" for p in c.tickets[-6:])
                + "."
            )
        self._notes(slide, notes)

    def _tickets_chart(self, slide: Any, box: _Box) -> None:
        from pptx.enum.chart import XL_LEGEND_POSITION

        points = self.content.tickets
        data = self._chart_data()
        data.categories = [f"{p.as_of:%d %b}" for p in points]
        data.add_series("New tickets", [p.new for p in points])
        data.add_series("Open tickets", [p.open for p in points])
        chart = self._add_chart(slide, "column", box, data)
        chart.plots[0].gap_width = 60
        for series, colour in zip(chart.plots[0].series, (TEAL, NAVY), strict=True):
            series.format.fill.solid()
            series.format.fill.fore_color.rgb = _rgb(colour)
        chart.has_legend = True
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False

    def renewal_slide(self) -> None:
        c = self.content
        renewal = c.renewal
        if renewal is None and not c.opportunities:
            self.left_out.append("renewal and commercial summary (no active contract)")
            return
        slide = self._slide("Renewal and commercial summary")
        left, right = self._split(0.5)
        notes = [f"ARR {money(c.arr_minor, c.currency, compact=False)}."]
        if c.arr_with_children_minor != c.arr_minor:
            notes.append(
                "ARR with sub-accounts "
                f"{money(c.arr_with_children_minor, c.currency, compact=False)}."
            )
        if renewal is not None:
            notice_by = renewal.end_date.toordinal() - renewal.notice_days
            from datetime import date as _date

            facts = [
                ["Contract", renewal.contract],
                ["Renewal date", day(renewal.end_date)],
                ["Days left", str(renewal.days_left(c.today))],
                ["Annual value", money(renewal.value_minor, renewal.currency, compact=False)],
                ["Notice by", day(_date.fromordinal(notice_by))],
                ["Auto-renews", "Yes" if renewal.auto_renew else "No"],
                ["Forecast", label(renewal.forecast) or "Not set"],
                ["Likelihood", "" if renewal.likelihood is None else f"{renewal.likelihood}%"],
                ["Next step", renewal.next_step or ""],
                ["ARR", money(c.arr_minor, c.currency, compact=False)],
                [
                    "ARR with sub-accounts",
                    money(c.arr_with_children_minor, c.currency, compact=False)
                    if c.arr_with_children_minor != c.arr_minor
                    else "",
                ],
            ]
            facts = [row for row in facts if row[1]]
            self._table(slide, left, ["Renewal", "Detail"], facts, (0.4, 0.6), size=13)
            notes += [f"{k}: {v}." for k, v in facts if v]
        people = coverage_lines(self.content)
        lines: list[tuple[str, int, bool, str]] = [("Stakeholder coverage", 16, True, NAVY)]
        lines += [(text, 14, False, INK) for text in people]
        if c.opportunities:
            lines.append(("Open opportunities", 16, True, NAVY))
            lines += [
                (
                    f"{o.title}: {money(o.value_minor, o.currency)} ({label(o.stage).lower()})",
                    14,
                    False,
                    INK,
                )
                for o in c.opportunities[:4]
            ]
        self._styled_lines(slide, right, lines)
        notes += people
        self._notes(slide, notes)

    def next_steps_slide(self) -> None:
        c = self.content
        steps = c.steps_for(self.audience)
        if not steps:
            self.left_out.append("next steps (no open follow-ups)")
            return
        slide = self._slide("Next steps")
        rows = [
            [s.title, s.owner or "", day(s.due_on) + (" (overdue)" if s.overdue else "")]
            for s in steps
        ]
        self._table(slide, self.area, ["Action", "Owner", "Due"], rows, (0.6, 0.2, 0.2), size=14)
        self._notes(
            slide,
            [
                f"{s.title}: {s.owner or 'owner to agree'}, due {day(s.due_on) or 'to agree'}"
                + (" (overdue)." if s.overdue else ".")
                for s in steps
            ],
        )

    def finish(self) -> None:
        if not self.left_out:
            return
        message = "Left out for lack of data: " + "; ".join(self.left_out) + "."
        self.outcome.notes.append(message)
        if self.summary_notes is not None:
            self.summary_notes.text = self.summary_notes.text + "\n" + message

    # -- building blocks ----------------------------------------------------------------
    def _slide(self, title: str) -> Any:
        slide = self.prs.slides.add_slide(self.body_layout)
        placed = False
        for ph in list(slide.placeholders):
            if _ph_kind(ph) == "title" and not placed:
                ph.text_frame.text = title
                placed = True
            else:
                _remove(ph)
        if not placed:
            box = _Box(
                self.area.left, int(0.3 * _EMU_PER_INCH), self.area.width, int(0.8 * _EMU_PER_INCH)
            )
            self._textbox(slide, box, [title], size=28, bold=True)
        self.outcome.slide_titles.append(title)
        return slide

    def _split(self, share: float) -> tuple[_Box, _Box]:
        area = self.area
        gap = int(0.3 * _EMU_PER_INCH)
        first = int((area.width - gap) * share)
        return (
            _Box(area.left, area.top, first, area.height),
            _Box(area.left + first + gap, area.top, area.width - first - gap, area.height),
        )

    def _chart_data(self) -> Any:
        from app.exports.pptx_charts import SafeCategoryChartData

        return SafeCategoryChartData(self.info)

    def _add_chart(self, slide: Any, kind: str, box: _Box, data: Any) -> Any:
        from pptx.enum.chart import XL_CHART_TYPE
        from pptx.util import Pt

        chart_type = XL_CHART_TYPE.COLUMN_CLUSTERED if kind == "column" else XL_CHART_TYPE.LINE
        frame = slide.shapes.add_chart(chart_type, box.left, box.top, box.width, box.height, data)
        chart = frame.chart
        chart.font.size = Pt(11)
        chart.font.color.rgb = _rgb(INK)
        chart.value_axis.has_major_gridlines = True
        chart.value_axis.major_gridlines.format.line.color.rgb = _rgb("E5E7EB")
        chart.value_axis.format.line.fill.background()
        chart.category_axis.tick_labels.font.size = Pt(10)
        return chart

    def _notes(self, slide: Any, lines: Iterable[str]) -> Any:
        frame = slide.notes_slide.notes_text_frame
        frame.text = clean_text("\n".join(lines))
        return frame

    def _textbox(
        self,
        slide: Any,
        box: _Box,
        lines: Sequence[str],
        size: int,
        bold: bool = False,
        bullets: bool = False,
    ) -> None:
        from pptx.util import Pt

        shape = slide.shapes.add_textbox(box.left, box.top, box.width, box.height)
        frame = shape.text_frame
        frame.word_wrap = True
        for index, text in enumerate(lines):
            para = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
            run = para.add_run()
            run.text = clean_text(("•  " if bullets else "") + text)
            run.font.size = Pt(size)
            run.font.bold = bold
            run.font.color.rgb = _rgb(INK)
            para.space_after = Pt(10 if bullets else 4)

    def _styled_lines(
        self, slide: Any, box: _Box, lines: Sequence[tuple[str, int, bool, str]]
    ) -> None:
        from pptx.util import Pt

        shape = slide.shapes.add_textbox(box.left, box.top, box.width, box.height)
        frame = shape.text_frame
        frame.word_wrap = True
        for index, (text, size, bold, colour) in enumerate(lines):
            para = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
            run = para.add_run()
            run.text = clean_text(text)
            run.font.size = Pt(size)
            run.font.bold = bold
            run.font.color.rgb = _rgb(colour)
            para.space_after = Pt(6)

    def _tile(self, slide: Any, box: _Box, value: str, caption: str, colour: str) -> None:
        from pptx.enum.shapes import MSO_SHAPE
        from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
        from pptx.util import Pt

        shape = slide.shapes.add_shape(
            MSO_SHAPE.ROUNDED_RECTANGLE, box.left, box.top, box.width, box.height
        )
        shape.adjustments[0] = 0.08
        shape.fill.solid()
        shape.fill.fore_color.rgb = _rgb("F3F6F9")
        shape.line.color.rgb = _rgb(colour)
        shape.line.width = Pt(1.5)
        shape.shadow.inherit = False
        frame = shape.text_frame
        frame.word_wrap = True
        frame.vertical_anchor = MSO_ANCHOR.MIDDLE
        for index, (text, size, bold, tint) in enumerate(
            ((value, 26, True, colour), (caption, 12, False, MUTED))
        ):
            para = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
            para.alignment = PP_ALIGN.CENTER
            run = para.add_run()
            run.text = clean_text(text)
            run.font.size = Pt(size)
            run.font.bold = bold
            run.font.color.rgb = _rgb(tint)

    def _table(
        self,
        slide: Any,
        box: _Box,
        header: Sequence[str],
        rows: Sequence[Sequence[str]],
        widths: Sequence[float],
        size: int = 14,
    ) -> int:
        row_height = int((size + 14) * 12700)
        height = min(box.height, row_height * (len(rows) + 1))
        frame = slide.shapes.add_table(
            len(rows) + 1, len(header), box.left, box.top, box.width, height
        )
        table = frame.table
        for index, share in enumerate(widths):
            table.columns[index].width = int(box.width * share)
        for col, text in enumerate(header):
            _cell_text(table.cell(0, col), text, size, bold=True)
        for r, row in enumerate(rows, start=1):
            for col, text in enumerate(row):
                _cell_text(table.cell(r, col), text, size)
        for row in table.rows:
            row.height = row_height
        return height

    def _summary_tiles(self) -> list[tuple[str, str, str]]:
        c = self.content
        tiles: list[tuple[str, str, str]] = []
        latest = c.latest_health
        if latest is not None:
            tiles.append(
                (
                    f"{latest.score:.0f}",
                    f"health score ({latest.band.value})",
                    BAND_COLOURS[latest.band.value],
                )
            )
        if c.adoption_rate is not None:
            tiles.append((percent(c.adoption_rate), "licences in active use", TEAL))
        if c.renewal is not None:
            tiles.append((day(c.renewal.end_date), "renewal date", NAVY))
        if c.goals:
            good = sum(g.status.value in ("achieved", "on_track") for g in c.goals)
            tiles.append((f"{good} of {len(c.goals)}", "goals achieved or on track", NAVY))
        risks = c.risks_for(self.audience)
        if risks and len(tiles) < 4:
            tiles.append((str(len(risks)), "open items", NAVY))
        return tiles


def _pick_layouts(prs: Any) -> tuple[Any, Any]:
    """The template's title layout and its "title only" content layout (by name, else shape)."""
    layouts = list(prs.slide_layouts)
    by_name = {layout.name.strip().lower(): layout for layout in layouts}
    title = by_name.get("title slide") or next(
        (
            la
            for la in layouts
            if any(_ph_kind(ph) == "ctr_title" or _ph_kind(ph) == "title" for ph in la.placeholders)
        ),
        layouts[0],
    )
    body = by_name.get("title only")
    if body is None:
        with_title = [
            la for la in layouts if any(_ph_kind(ph) == "title" for ph in la.placeholders)
        ]
        body = min(with_title, key=lambda la: len(la.placeholders)) if with_title else layouts[-1]
    return title, body


def _content_area(prs: Any, layout: Any) -> _Box:
    """The free area under the layout's title, inside the title's side margins."""
    width, height = int(prs.slide_width), int(prs.slide_height)
    margin = int(0.5 * _EMU_PER_INCH)
    top = int(1.45 * _EMU_PER_INCH)
    for ph in layout.placeholders:
        if _ph_kind(ph) == "title" and ph.top is not None and ph.height is not None:
            margin = max(int(ph.left), int(0.3 * _EMU_PER_INCH))
            top = int(ph.top) + int(ph.height) + int(0.25 * _EMU_PER_INCH)
    bottom = height - int(0.55 * _EMU_PER_INCH)
    return _Box(margin, top, width - 2 * margin, bottom - top)


def _ph_kind(ph: Any) -> str:
    from pptx.enum.shapes import PP_PLACEHOLDER

    kind = ph.placeholder_format.type
    if kind in (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE):
        return "title"
    if kind is PP_PLACEHOLDER.SUBTITLE:
        return "subtitle"
    if kind is PP_PLACEHOLDER.PICTURE:
        return "picture"
    return "other"


def _remove(shape: Any) -> None:
    element = shape._element
    element.getparent().remove(element)


def _cell_text(cell: Any, text: str, size: int, bold: bool = False) -> None:
    from pptx.util import Pt

    frame = cell.text_frame
    frame.word_wrap = True
    para = frame.paragraphs[0]
    run = para.add_run()
    run.text = clean_text(text)
    run.font.size = Pt(size)
    run.font.bold = bold
    cell.margin_top = cell.margin_bottom = Pt(3)


def _rgb(hex_colour: str) -> Any:
    from pptx.dml.color import RGBColor

    return RGBColor.from_string(hex_colour)  # type: ignore[no-untyped-call]


_CHART_NS = "http://schemas.openxmlformats.org/drawingml/2006/chart"
_DRAWING_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"


def _colour_points(series: Any, colours: Sequence[str]) -> None:
    """Give each data point its own fill, written as XML in one go.

    python-pptx's ``points[i].format.fill`` does the same one XPath walk at a time, which
    costs more than building the whole chart.
    """
    from lxml import etree  # type: ignore[import-untyped]

    points = "".join(
        f'<c:dPt><c:idx val="{index}"/><c:invertIfNegative val="0"/><c:bubble3D val="0"/>'
        f'<c:spPr><a:solidFill><a:srgbClr val="{colour}"/></a:solidFill></c:spPr></c:dPt>'
        for index, colour in enumerate(colours)
    )
    holder = etree.fromstring(f'<c:x xmlns:c="{_CHART_NS}" xmlns:a="{_DRAWING_NS}">{points}</c:x>')
    element = series._element
    anchor = None
    for name in ("dLbls", "trendline", "errBars", "cat", "val"):
        anchor = element.find(f"{{{_CHART_NS}}}{name}")
        if anchor is not None:
            break
    for point in list(holder):
        if anchor is not None:
            anchor.addprevious(point)
        else:
            element.append(point)


def _fill_shapes(shapes: Iterable[Any], values: Any, unknown: set[str]) -> None:
    for shape in shapes:
        if getattr(shape, "shape_type", None) is not None and hasattr(shape, "shapes"):
            _fill_shapes(shape.shapes, values, unknown)
        if not getattr(shape, "has_text_frame", False):
            continue
        for para in shape.text_frame.paragraphs:
            runs = list(para.runs)
            full = "".join(run.text for run in runs)
            if "{{" not in full:
                continue
            filled = clean_text(fill_tokens(full, values, unknown))
            if filled != full and runs:
                runs[0].text = filled
                for run in runs[1:]:
                    run.text = ""
