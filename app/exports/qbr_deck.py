"""The QBR deck (.pptx): which slides, and what each says, from the presentation model.

Tables and charts come from ``qbr_tables`` and ``qbr_charts`` (the brief draws the same);
putting them on slides is ``qbr_pptx``'s job.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from app import paths
from app.exports.qbr import MAP_SHARE_WITH_DEPARTURES
from app.exports.qbr_charts import (
    BAND_COLOURS,
    NAVY,
    TEAL,
    health_chart,
    tickets_chart,
    usage_chart,
)
from app.exports.qbr_data import Audience, QbrContent
from app.exports.qbr_pptx import (
    EMU_PER_INCH,
    INK,
    MUTED,
    Box,
    SlideBuilder,
    fill_template_tokens,
    ph_kind,
    png_size,
    remove_shape,
)
from app.exports.qbr_tables import (
    goals_table,
    renewal_table,
    risks_table,
    steps_table,
    support_figures,
)
from app.exports.qbr_text import (
    counted,
    coverage_lines,
    day,
    departure_lines,
    label,
    milestones_done,
    money,
    percent,
    summary_sentences,
    token_values,
    trend_phrase,
    users_change,
)
from app.exports.safety import (
    BuiltDocument,
    DocumentInfo,
    ExportError,
    apply_opc_properties,
    clean_text,
)

DEFAULT_TEMPLATE = ("templates", "qbr-default.pptx")

__all__ = ["BAND_COLOURS", "build_deck", "default_template"]


def default_template() -> Path:
    """The bundled clean template."""
    return paths.resource(*DEFAULT_TEMPLATE)


def build_deck(
    content: QbrContent,
    audience: Audience,
    info: DocumentInfo,
    template: Path | None = None,
    logos: Sequence[Path | None] = (),
) -> BuiltDocument:
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
    outcome = BuiltDocument(prs)
    unknown: set[str] = set()
    had_slides = len(prs.slides) > 0
    fill_template_tokens(prs, token_values(content, audience), unknown)
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
    builder.map_slide()
    if audience is Audience.INTERNAL:
        builder.renewal_slide()
    builder.next_steps_slide()
    builder.finish()
    apply_opc_properties(prs, info)
    return outcome


class _DeckBuilder(SlideBuilder):
    """Adds the QBR's slides one by one; each skips itself when its data is missing."""

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

    def title_slide(self, logos: list[Path | None]) -> None:
        c = self.content
        slide = self.prs.slides.add_slide(self.title_layout)
        subtitle = f"{c.quarter.label} business review  ·  {day(c.today)}"
        if self.audience is Audience.INTERNAL:
            subtitle += "  ·  Internal preparation"
        texts = {"title": c.account, "subtitle": subtitle}
        for ph in sorted(slide.placeholders, key=lambda p: p.placeholder_format.idx):
            kind = ph_kind(ph)
            if kind in ("title", "subtitle"):
                ph.text_frame.text = clean_text(texts.pop(kind, ""))
                continue
            logo = logos.pop(0) if kind == "picture" and logos else None
            if logo is None:
                remove_shape(ph)
                continue
            try:
                ph.insert_picture(str(logo))
            except Exception as exc:  # Pillow and python-pptx raise many kinds
                raise ExportError(f"{logo} is not a picture Fieldbook can use.") from exc
        if "title" in texts:
            self.textbox(slide, self.area, [texts["title"]], size=36, bold=True)
        self.notes(
            slide,
            [
                f"{c.account}: {c.quarter.label} business review, prepared {day(c.today)}.",
                f"Account owner: {c.owner or 'not set'}.",
            ],
        )
        self.outcome.sections.append(c.account)

    def summary_slide(self) -> None:
        c = self.content
        sentences = summary_sentences(c, self.audience)
        if not sentences:
            self.left_out.append("executive summary (no data yet)")
            return
        slide = self.slide("Executive summary")
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

    def health_slide(self) -> None:
        c = self.content
        spec = health_chart(c)
        if spec is None:
            self.left_out.append("health trend (fewer than two health scores)")
            return
        slide = self.slide("Health and its trend")
        chart_box, side = self.split(0.72)
        self.chart(slide, chart_box, spec)
        latest = c.health[-1]
        trend = c.health_trend()
        lines = [
            (f"{latest.score:.0f}", 40, True, BAND_COLOURS[latest.band.value]),
            (f"{label(latest.band.value)} health, week of {day(latest.as_of)}", 14, False, INK),
        ]
        if trend is not None:
            lines.append((f"{trend_phrase(trend).capitalize()} over 90 days", 14, False, INK))
        lines.append(("Bars are coloured by band: green, yellow, red.", 12, False, MUTED))
        self.styled_lines(slide, side, lines)
        self.notes(
            slide,
            [f"Weekly health scores, {day(c.health[0].as_of)} to {day(latest.as_of)}:"]
            + [f"{day(p.as_of)}: {p.score:.0f} ({p.band.value})" for p in c.health[-8:]],
        )

    def adoption_slide(self) -> None:
        c = self.content
        spec = usage_chart(c)
        if spec is None:
            self.left_out.append("adoption and usage (fewer than two weeks of usage data)")
            return
        slide = self.slide("Adoption and usage")
        chart_box, side = self.split(0.72)
        self.chart(slide, chart_box, spec)
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
        self.notes(
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
        table = goals_table(c)
        if table is None:
            self.left_out.append("success-plan progress (no success plan)")
            return
        slide = self.slide("Success plan progress")
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
        self.notes(
            slide,
            [
                f"{g.title}: {label(g.status.value)}; {g.done} of {len(g.milestones)} milestones "
                f"done, {g.slipping} slipping; target {day(g.target_on) or 'not set'}."
                for g in c.goals
            ]
            + [milestones_done(c.milestones_done_in_quarter)],
        )

    def risks_slide(self) -> None:
        c = self.content
        table = risks_table(c, self.audience)
        figures = support_figures(c)
        tickets = tickets_chart(c)
        if table is None and not figures:
            self.left_out.append("support and risks (no support data or open risks)")
            return
        internal = self.audience is Audience.INTERNAL
        slide = self.slide("Support and risks" if internal else "Support and open items")
        area = self.area
        table_top = area.top
        notes: list[str] = []
        if figures:
            gap = int(0.15 * EMU_PER_INCH)
            height = int(1.0 * EMU_PER_INCH)
            width = (area.width - gap * (len(figures) - 1)) // len(figures)
            for index, (caption, value) in enumerate(figures):
                box = Box(area.left + index * (width + gap), area.top, width, height)
                self.tile(slide, box, value, caption, NAVY)
                notes.append(f"{caption[:1].upper()}{caption[1:]}: {value}.")
            table_top = area.top + height + int(0.3 * EMU_PER_INCH)
        box = Box(area.left, table_top, area.width, area.top + area.height - table_top)
        if table is not None:
            self.table(slide, box, table, size=12)
            for r in c.risks:
                line = f"{r.title}: {label(r.status.value)}, owner {r.owner or 'not set'}"
                if internal:
                    line += f", severity {r.severity.value}"
                    if r.past_due(c.today):
                        line += f", past due since {day(r.due_on)}"
                    if r.internal_notes:
                        line += f". Internal: {r.internal_notes}"
                notes.append(line + ".")
        elif tickets is not None:
            self.chart(slide, box, tickets)
            notes.append(
                "Tickets per week, new and open: "
                + "; ".join(f"{day(p.as_of)} {p.new}/{p.open}" for p in c.tickets[-6:])
                + "."
            )
        self.notes(slide, notes)

    def map_slide(self) -> None:
        c = self.content
        if c.map_png is None:
            self.left_out.append(f"stakeholder map ({c.map_missing})")
            return
        slide = self.slide("Stakeholder map")
        box, panel = self.area, None
        if c.departures:
            # Internal only (the customer's content has no departures): who left, beside.
            box, panel = self.split(MAP_SHARE_WITH_DEPARTURES)
        # The picture has the map's own shape, as large as the box holds.
        width, height = png_size(c.map_png)
        scale = min(box.width / width, box.height / height)
        shown_w, shown_h = int(width * scale), int(height * scale)
        picture = slide.shapes.add_picture(
            io.BytesIO(c.map_png),
            box.left + (box.width - shown_w) // 2,
            box.top + (box.height - shown_h) // 2,
            shown_w,
            shown_h,
        )
        picture._element.nvPicPr.cNvPr.set("descr", f"Stakeholder map of {clean_text(c.account)}")
        if panel is not None:
            self.styled_lines(slide, panel, self._departure_lines())
        lines = []
        for person in c.stakeholders:
            line = person.name + (f", {person.title}" if person.title else "")
            if person.role:
                line += f" ({label(person.role).lower()})"
            if person.executive_sponsor:
                line += ", executive sponsor"
            if self.audience is Audience.INTERNAL:
                line += f"; sentiment {person.sentiment:+d}, influence {person.influence}"
            lines.append(line + ".")
        gone = [text for d in c.departures for text in departure_lines(d)]
        self.notes(
            slide, ["The people we work with:", *lines, *(["Who left:", *gone] if gone else [])]
        )

    def _departure_lines(self) -> list[tuple[str, int, bool, str]]:
        lines: list[tuple[str, int, bool, str]] = [("Who left", 16, True, NAVY)]
        for departure in self.content.departures[:3]:
            first, *rest = departure_lines(departure)
            lines.append((first, 13, True, INK))
            lines += [(text, 12, False, INK) for text in rest[:4]]
        return lines

    def renewal_slide(self) -> None:
        c = self.content
        table = renewal_table(c)
        if table is None and not c.opportunities:
            self.left_out.append("renewal and commercial summary (no active contract)")
            return
        slide = self.slide("Renewal and commercial summary")
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
            lines += [
                (
                    f"{o.title}: {money(o.value_minor, o.currency)} ({label(o.stage).lower()})",
                    14,
                    False,
                    INK,
                )
                for o in c.opportunities[:4]
            ]
        self.styled_lines(slide, right, lines)
        self.notes(slide, notes + people)

    def next_steps_slide(self) -> None:
        c = self.content
        table = steps_table(c)
        if table is None:
            self.left_out.append("next steps (no open follow-ups)")
            return
        slide = self.slide("Next steps")
        self.table(slide, self.area, table, size=14)
        self.notes(
            slide,
            [
                f"{s.title}: {s.owner or 'owner to agree'}, due {day(s.due_on) or 'to agree'}"
                + (" (overdue)." if s.overdue else ".")
                for s in c.next_steps
            ],
        )

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
        if c.risks and len(tiles) < 4:
            tiles.append((str(len(c.risks)), "open items", NAVY))
        return tiles
