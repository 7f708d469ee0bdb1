"""The QBR's sections, in the order the deck and the brief both show them.

Each section has its title (a slide's, a heading's), the name the note of sections left
out for lack of data gives it, with why it is left out when its data is missing, and how
the customer brief's introduction names it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from app.exports.qbr_data import Audience, QbrContent


@dataclass(frozen=True)
class Section:
    """One section of the QBR."""

    title: str
    #: How the left-out note names it.
    name: str
    #: Why it is left out for lack of data (unless the account's facts say why).
    missing: str = ""
    #: The customer's title, where it differs.
    customer_title: str = ""
    #: How the customer brief's introduction names it ("" when it is not named there).
    topic: str = ""

    def title_for(self, audience: Audience) -> str:
        """The title ``audience`` reads."""
        if audience is Audience.CUSTOMER and self.customer_title:
            return self.customer_title
        return self.title

    def left_out(self, why: str = "") -> str:
        """The section and why it was left out, for the note: ``health trend (fewer ...)``."""
        return f"{self.name} ({why or self.missing})"


SUMMARY = Section("Executive summary", "executive summary", "no data yet")
HEALTH = Section(
    "Health and its trend",
    "health trend",
    "fewer than two health scores",
    topic="health and its trend",
)
ADOPTION = Section(
    "Adoption and usage",
    "adoption and usage",
    "fewer than two weeks of usage data",
    topic="adoption",
)
PLAN = Section(
    "Success plan progress",
    "success-plan progress",
    "no success plan",
    topic="progress against the success plan",
)
RISKS = Section(
    "Support and risks",
    "support and risks",
    "no support data or open risks",
    customer_title="Support and open items",
    topic="support and open items",
)
MAP = Section("Stakeholder map", "stakeholder map", topic="the people we work with")
RENEWAL = Section(
    "Renewal and commercial summary", "renewal and commercial summary", "no active contract"
)
NEXT_STEPS = Section(
    "Next steps", "next steps", "no open follow-ups", topic="the next steps we agree together"
)

#: Every section, in order; the renewal is for our own team only.
SECTIONS = (SUMMARY, HEALTH, ADOPTION, PLAN, RISKS, MAP, RENEWAL, NEXT_STEPS)


def sections_for(audience: Audience) -> tuple[Section, ...]:
    """The sections ``audience`` gets, in order."""
    if audience is Audience.INTERNAL:
        return SECTIONS
    return tuple(s for s in SECTIONS if s is not RENEWAL)


def map_titles(content: QbrContent) -> tuple[str, ...]:
    """The title of each of the map's pictures, in order: the deck gives each its slide,
    the brief puts them all under the first; none when there is no map."""
    if content.map_png is None:
        return ()
    return (MAP.title, *(f"{MAP.title} (continued)" for _png in content.map_more))


class SectionWriter(Protocol):
    """What the deck and the brief each write for every section; each leaves its section
    out, saying why, when the account has no data for it."""

    def summary(self) -> None: ...
    def health(self) -> None: ...
    def adoption(self) -> None: ...
    def plan(self) -> None: ...
    def risks(self) -> None: ...
    def stakeholder_map(self) -> None: ...
    def renewal(self) -> None: ...
    def next_steps(self) -> None: ...


def write_sections(writer: SectionWriter, audience: Audience) -> None:
    """Write the sections ``audience`` gets, in order."""
    writers = {
        SUMMARY: writer.summary,
        HEALTH: writer.health,
        ADOPTION: writer.adoption,
        PLAN: writer.plan,
        RISKS: writer.risks,
        MAP: writer.stakeholder_map,
        RENEWAL: writer.renewal,
        NEXT_STEPS: writer.next_steps,
    }
    for section in sections_for(audience):
        writers[section]()
