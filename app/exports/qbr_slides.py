"""The QBR deck's section slides: what each shows and where, with its speaker notes.

Sections and their order come from ``qbr_sections`` (a method here per section), tables and
charts from ``qbr_tables`` and ``qbr_charts`` (the brief shows the same), speaker notes from
``qbr_notes``; putting shapes on slides is ``qbr_pptx``'s job.
"""

from __future__ import annotations

import io
from typing import Any

from app.exports import qbr_sections as sections
from app.exports.qbr import MAP_SHARE_WITH_DEPARTURES
from app.exports.qbr_charts import (
    BAND_COLOURS,
    NAVY,
    TEAL,
    ChartSpec,
    health_chart,
    tickets_chart,
    usage_chart,
)
from app.exports.qbr_data import Audience, QbrContent
from app.exports.qbr_notes import (
    health_notes,
    people_notes,
    plan_notes,
    risk_notes,
    step_notes,
    ticket_notes,
    usage_notes,
)
from app.exports.qbr_pptx import EMU_PER_INCH, INK, MUTED, Box, SlideBuilder, png_size
from app.exports.qbr_tables import (
    goals_table,
    renewal_table,
    risks_table,
    steps_table,
    support_figures,
)
from app.exports.qbr_text import (
    capital,
    counted,
    coverage_lines,
    day,
    departure_lines,
    label,
    money,
    opportunity_line,
    percent,
    summary_sentences,
    users_change,
)
from app.exports.safety import BuiltDocument, DocumentInfo, clean_text
from app.services.health_trend import trend_words
from app.services.labels import in_sentence, label_of


class SectionSlides(SlideBuilder):
    """Adds the QBR's sections as slides, one by one; each skips itself when its data is
    missing, and the summary's speaker notes name what was left out."""

    def __init__(
        self,
        prs: Any,
        content: QbrContent,
        audience: Audience,
        info: DocumentInfo,
        outcome: BuiltDocument,
    ) -> None:
        super().__init__(prs, info, outcome)
        self.content = content
        self.audience = audience
        self.left_out: list[str] = []
        self.summary_notes: Any = None

    def section_slides(self) -> None:
        """A slide per section the audience gets, in order, then the left-out note."""
        sections.write_sections(self, self.audience)
        self.finish()

    def summary(self) -> None:
        c = self.content
        sentences = summary_sentences(c, self.audience)
        if not sentences:
            self.skip(sections.SUMMARY)
            return
        slide = self.slide(sections.SUMMARY.title)
        area = self.area
        text_width = int(area.width * 0.62)
        self.textbox(
            slide, Box(area.left, area.top, text_width, area.height), sentences, 18, bullets=True
        )
        tiles = self._summary_tiles()
        gap = int(0.15 * EMU_PER_INCH)
        tile_left = area.left + text_width + gap * 2
        tile_width = area.left + area.width - tile_left
        tile_height = min(int(1.15 * EMU_PER_INCH), (area.height - gap * 3) // 4)
        for index, (value, caption, colour) in enumerate(tiles[:4]):
            top = area.top + index * (tile_height + gap)
            self.tile(slide, Box(tile_left, top, tile_width, tile_height), value, caption, colour)
        self.summary_notes = self.notes(slide, sentences)

    def health(self) -> None:
        c = self.content
        spec = health_chart(c)
        if spec is None:
            self.skip(sections.HEALTH)
            return
        slide, side = self.chart_slide(sections.HEALTH, spec)
        latest = c.health[-1]
        trend = c.health_trend()
        lines = [
            (f"{latest.score:.0f}", 40, True, BAND_COLOURS[latest.band.value]),
            (f"{label(latest.band.value)} health, week of {day(latest.as_of)}", 14, False, INK),
        ]
        if trend is not None:
            lines.append((f"{trend_words(trend).capitalize()} over 90 days", 14, False, INK))
        lines.append(("Bars are coloured by band: green, yellow, red.", 12, False, MUTED))
        self.styled_lines(slide, side, lines)
        self.notes(slide, health_notes(c))

    def adoption(self) -> None:
        c = self.content
        spec = usage_chart(c)
        if spec is None:
            self.skip(sections.ADOPTION)
            return
        slide, side = self.chart_slide(sections.ADOPTION, spec)
        point, first = c.usage[-1], c.usage[0]
        lines = [(percent(c.adoption_rate) or f"{point.active_users:,}", 40, True, TEAL)]
        if c.adoption_rate is not None:
            lines.append(("of licences in active use", 14, False, INK))
        lines.append(
            (f"{counted(point.active_users, 'active user')}, week of {day(point.as_of)}", 14,
             False, INK)
        )  # fmt: skip
        change = point.active_users - first.active_users
        lines.append((users_change(change, first.as_of), 14, False, INK))
        self.styled_lines(slide, side, lines)
        self.notes(slide, usage_notes(c))

    def plan(self) -> None:
        c = self.content
        table = goals_table(c)
        if table is None:
            self.skip(sections.PLAN)
            return
        slide = self.slide(sections.PLAN.title)
        height = self.table(slide, self.area, table, size=16)
        slipping = [
            (g.title, m) for g in c.goals for m in g.milestones if m.status.value == "slipping"
        ]
        if slipping:
            gap = int(0.35 * EMU_PER_INCH)
            below = Box(
                self.area.left,
                self.area.top + height + gap,
                self.area.width,
                max(self.area.height - height - gap, int(0.8 * EMU_PER_INCH)),
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
            self.styled_lines(slide, below, lines)
        self.notes(slide, plan_notes(c))

    def risks(self) -> None:
        c = self.content
        table = risks_table(c, self.audience)
        figures = support_figures(c)
        tickets = tickets_chart(c)
        if table is None and not figures:
            self.skip(sections.RISKS)
            return
        slide = self.slide(sections.RISKS.title_for(self.audience))
        area = self.area
        table_top = area.top
        notes = [f"{capital(caption)}: {value}." for caption, value in figures]
        if figures:
            gap = int(0.15 * EMU_PER_INCH)
            height = int(1.0 * EMU_PER_INCH)
            width = (area.width - gap * (len(figures) - 1)) // len(figures)
            for index, (caption, value) in enumerate(figures):
                box = Box(area.left + index * (width + gap), area.top, width, height)
                self.tile(slide, box, value, caption, NAVY)
            table_top = area.top + height + int(0.3 * EMU_PER_INCH)
        box = Box(area.left, table_top, area.width, area.top + area.height - table_top)
        if table is not None:
            self.table(slide, box, table, size=12)
            notes += risk_notes(c, self.audience)
        elif tickets is not None:
            self.chart(slide, box, tickets)
            notes.append(ticket_notes(c))
        self.notes(slide, notes)

    def stakeholder_map(self) -> None:
        c = self.content
        if c.map_png is None:
            self.skip(sections.MAP, c.map_missing)
            return
        pictures = (c.map_png, *c.map_more)
        for number, (title, png) in enumerate(zip(sections.map_titles(c), pictures, strict=True)):
            slide = self.slide(title)
            box, panel = self.area, None
            if c.departures and not number:
                # Internal only (the customer's content has no departures): who left, beside.
                box, panel = self.split(MAP_SHARE_WITH_DEPARTURES)
            self._map_picture(slide, box, png)
            if panel is not None:
                self.styled_lines(slide, panel, self._departure_lines())
            self.notes(slide, people_notes(c, self.audience))

    def _map_picture(self, slide: Any, box: Box, png: bytes) -> None:
        """The picture has the map's own shape, as large as the box holds."""
        width, height = png_size(png)
        scale = min(box.width / width, box.height / height)
        shown_w, shown_h = int(width * scale), int(height * scale)
        picture = slide.shapes.add_picture(
            io.BytesIO(png),
            box.left + (box.width - shown_w) // 2,
            box.top + (box.height - shown_h) // 2,
            shown_w,
            shown_h,
        )
        account = clean_text(self.content.account)
        picture._element.nvPicPr.cNvPr.set("descr", f"Stakeholder map of {account}")

    def _departure_lines(self) -> list[tuple[str, int, bool, str]]:
        lines: list[tuple[str, int, bool, str]] = [("Who left", 16, True, NAVY)]
        for departure in self.content.departures[:3]:
            first, *rest = departure_lines(departure)
            lines.append((first, 13, True, INK))
            lines += [(text, 12, False, INK) for text in rest[:4]]
        return lines

    def renewal(self) -> None:
        c = self.content
        table = renewal_table(c)
        if table is None and not c.opportunities:
            self.skip(sections.RENEWAL)
            return
        slide = self.slide(sections.RENEWAL.title)
        left, right = self.split(0.5)
        notes = [f"ARR {money(c.arr_minor, c.currency, compact=False)}."]
        if table is not None:
            self.table(slide, left, table, size=13)
            notes += [f"{k}: {v}." for k, v in table.rows]
        people = coverage_lines(c)
        lines: list[tuple[str, int, bool, str]] = [("Stakeholder coverage", 16, True, NAVY)]
        lines += [(text, 14, False, INK) for text in people]
        if c.opportunities:
            lines.append(("Open opportunities", 16, True, NAVY))
            lines += [(opportunity_line(o), 14, False, INK) for o in c.opportunities[:4]]
        self.styled_lines(slide, right, lines)
        self.notes(slide, notes + people)

    def next_steps(self) -> None:
        c = self.content
        table = steps_table(c)
        if table is None:
            self.skip(sections.NEXT_STEPS)
            return
        slide = self.slide(sections.NEXT_STEPS.title)
        self.table(slide, self.area, table, size=14)
        self.notes(slide, step_notes(c))

    def skip(self, section: sections.Section, why: str = "") -> None:
        """Leave ``section`` out for lack of data; the summary's notes will say why."""
        self.left_out.append(section.left_out(why))

    def chart_slide(self, section: sections.Section, spec: ChartSpec) -> tuple[Any, Box]:
        """A slide with the chart on its left; returns it and the box beside the chart."""
        slide = self.slide(section.title)
        chart_box, side = self.split(0.72)
        self.chart(slide, chart_box, spec)
        return slide, side

    def finish(self) -> None:
        message = self.outcome.note_left_out(self.left_out)
        if message is not None and self.summary_notes is not None:
            self.summary_notes.text = self.summary_notes.text + "\n" + message

    def _summary_tiles(self) -> list[tuple[str, str, str]]:
        c = self.content
        tiles: list[tuple[str, str, str]] = []
        latest = c.latest_health
        if latest is not None:
            tiles.append(
                (
                    f"{latest.score:.0f}",
                    f"health score ({in_sentence(label_of(latest.band))})",
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
        if c.risks and len(tiles) < 4:
            tiles.append((str(len(c.risks)), "open items", NAVY))
        return tiles
