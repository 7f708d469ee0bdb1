"""What each slide of a QBR will show, as plain lines: the export dialog's review step.

Next steps and open items are listed with their ids so the user can leave one out
(``QbrRequest.leave_out``) before the file is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.exports.qbr_charts import health_chart, usage_chart
from app.exports.qbr_data import Audience, QbrContent
from app.exports.qbr_tables import goals_table, renewal_table, support_figures
from app.exports.qbr_text import day, summary_sentences


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


def review_outline(content: QbrContent, audience: Audience) -> list[ReviewSlide]:
    """The slides the deck will hold for ``content``, in order, with what each shows."""
    internal = audience is Audience.INTERNAL
    slides = [ReviewSlide(content.account, [f"{content.quarter.label} business review"])]
    sentences = summary_sentences(content, audience)
    if sentences:
        slides.append(ReviewSlide("Executive summary", sentences))
    if health_chart(content) is not None and content.latest_health is not None:
        latest = content.latest_health
        slides.append(
            ReviewSlide(
                "Health and its trend",
                [f"Weekly health chart; latest {latest.score:.0f} ({latest.band.value})"],
            )
        )
    if usage_chart(content) is not None:
        slides.append(ReviewSlide("Adoption and usage", ["Active users against licences"]))
    goals = goals_table(content)
    if goals is not None:
        slides.append(ReviewSlide("Success plan progress", [row[0] for row in goals.rows]))
    figures = support_figures(content)
    if content.risks or figures:
        slide = ReviewSlide("Support and risks" if internal else "Support and open items")
        slide.lines = [f"{value} {caption}" for caption, value in figures]
        slide.items = [
            ReviewItem(r.id, r.title + (f" (due {day(r.due_on)})" if r.due_on else ""))
            for r in content.risks
        ]
        slides.append(slide)
    if content.map_png is not None:
        slides.append(
            ReviewSlide("Stakeholder map", [p.name for p in content.stakeholders] or ["Map"])
        )
    if internal and (content.renewal is not None or content.opportunities):
        table = renewal_table(content)
        lines = [f"{k}: {v}" for k, v in table.rows] if table is not None else []
        slides.append(ReviewSlide("Renewal and commercial summary", lines))
    if content.next_steps:
        slides.append(
            ReviewSlide(
                "Next steps",
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
