"""What each slide of a QBR will show, as plain lines: the export dialog's review step.

Next steps and open items are listed with their ids so the user can leave one out
(``QbrRequest.leave_out``) before the file is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.exports import qbr_sections as sections
from app.exports.qbr_charts import health_chart, usage_chart
from app.exports.qbr_data import Audience, QbrContent
from app.exports.qbr_tables import goals_table, renewal_table, support_figures
from app.exports.qbr_text import day, summary_sentences
from app.services.labels import in_sentence, label_of


@dataclass(frozen=True)
class ReviewItem:
    """A line the user may untick: a next step or an open item, by its id."""

    id: str
    text: str


@dataclass
class ReviewSlide:
    """One slide (or brief section): its title, what it says, and what can be left out."""

    title: str
    lines: list[str] = field(default_factory=list)
    items: list[ReviewItem] = field(default_factory=list)


def review_outline(
    content: QbrContent, audience: Audience, suffix: str = ".pptx"
) -> list[ReviewSlide]:
    """The slides the deck (the sections the brief, when ``suffix`` is ``.docx``) will hold
    for ``content``, in order, with what each shows."""
    internal = audience is Audience.INTERNAL
    brief = suffix.lower() == ".docx"
    slides = [ReviewSlide(content.account, [f"{content.quarter.label} business review"])]
    sentences = summary_sentences(content, audience)
    if sentences:
        slides.append(ReviewSlide(sections.SUMMARY.title, sentences))
    if health_chart(content) is not None and content.latest_health is not None:
        latest = content.latest_health
        band = in_sentence(label_of(latest.band))
        slides.append(
            ReviewSlide(
                sections.HEALTH.title, [f"Weekly health chart; latest {latest.score:.0f} ({band})"]
            )
        )
    if usage_chart(content) is not None:
        slides.append(ReviewSlide(sections.ADOPTION.title, ["Active users against licences"]))
    goals = goals_table(content)
    if goals is not None:
        slides.append(ReviewSlide(sections.PLAN.title, [row[0] for row in goals.rows]))
    figures = support_figures(content)
    if content.risks or figures:
        slide = ReviewSlide(sections.RISKS.title_for(audience))
        slide.lines = [f"{value} {caption}" for caption, value in figures]
        slide.items = [
            ReviewItem(r.id, r.title + (f" (due {day(r.due_on)})" if r.due_on else ""))
            for r in content.risks
        ]
        slides.append(slide)
    titles = sections.map_titles(content)
    names = [p.name for p in content.stakeholders] or ["Map"]
    if brief and len(titles) > 1:
        slides.append(ReviewSlide(titles[0], [*names, f"The map on {len(titles)} pictures"]))
    elif titles:
        slides.append(ReviewSlide(titles[0], names))
        slides += [ReviewSlide(title, ["The map, continued"]) for title in titles[1:]]
    if internal and (content.renewal is not None or content.opportunities):
        table = renewal_table(content)
        lines = [f"{k}: {v}" for k, v in table.rows] if table is not None else []
        slides.append(ReviewSlide(sections.RENEWAL.title, lines))
    if content.next_steps:
        slides.append(
            ReviewSlide(
                sections.NEXT_STEPS.title,
                items=[
                    ReviewItem(
                        s.id,
                        s.title
                        + (f", {s.owner}" if s.owner else "")
                        + (f", due {day(s.due_on)}" if s.due_on else "")
                        + (" (overdue)" if s.overdue else ""),
                    )
                    for s in content.next_steps
                ],
            )
        )
    return slides
