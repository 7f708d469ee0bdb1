"""The deck's speaker notes: what the presenter reads beside each slide, in full sentences."""

from __future__ import annotations

from app.exports.qbr_data import Audience, QbrContent
from app.exports.qbr_text import day, departure_lines, label, milestones_done
from app.services.labels import in_sentence


def title_notes(c: QbrContent) -> list[str]:
    """The review, its date and the account's owner."""
    return [
        f"{c.account}: {c.quarter.label} business review, prepared {day(c.today)}.",
        f"Account owner: {c.owner or 'not set'}.",
    ]


def health_notes(c: QbrContent) -> list[str]:
    """The last eight weekly scores with their bands."""
    return [f"Weekly health scores, {day(c.health[0].as_of)} to {day(c.health[-1].as_of)}:"] + [
        f"{day(p.as_of)}: {p.score:.0f} ({in_sentence(label(p.band))})" for p in c.health[-8:]
    ]


def usage_notes(c: QbrContent) -> list[str]:
    """The last eight weeks of active users against licences."""
    first, point = c.usage[0], c.usage[-1]
    return [f"Active users against licences, {day(first.as_of)} to {day(point.as_of)}:"] + [
        f"{day(p.as_of)}: {p.active_users:,} active of "
        f"{p.licensed_users or c.licences or 'unknown'} licences"
        for p in c.usage[-8:]
    ]


def plan_notes(c: QbrContent) -> list[str]:
    """Each goal's status, milestones and target, then the quarter's completed milestones."""
    return [
        f"{g.title}: {label(g.status.value)}; {g.done} of {len(g.milestones)} milestones "
        f"done, {g.slipping} slipping; target {day(g.target_on) or 'not set'}."
        for g in c.goals
    ] + [milestones_done(c.milestones_done_in_quarter)]


def risk_notes(c: QbrContent, audience: Audience) -> list[str]:
    """One line per open risk (internal: severity, past due, the internal note)."""
    lines = []
    for r in c.risks:
        line = f"{r.title}: {label(r.status.value)}, owner {r.owner or 'not set'}"
        if audience is Audience.INTERNAL:
            line += f", severity {in_sentence(label(r.severity))}"
            if r.past_due(c.today):
                line += f", past due since {day(r.due_on)}"
            if r.internal_notes:
                line += f". Internal: {r.internal_notes}"
        lines.append(line + ".")
    return lines


def ticket_notes(c: QbrContent) -> str:
    """New and open tickets of the last six weeks."""
    return (
        "Tickets per week, new and open: "
        + "; ".join(f"{day(p.as_of)} {p.new}/{p.open}" for p in c.tickets[-6:])
        + "."
    )


def people_notes(c: QbrContent, audience: Audience) -> list[str]:
    """The people we work with (internal: sentiment and influence), then who left."""
    lines = []
    for person in c.stakeholders:
        line = person.name + (f", {person.title}" if person.title else "")
        if person.role:
            line += f" ({label(person.role).lower()})"
        if person.executive_sponsor:
            line += ", executive sponsor"
        if audience is Audience.INTERNAL:
            line += f"; sentiment {person.sentiment:+d}, influence {person.influence}"
        lines.append(line + ".")
    gone = [text for d in c.departures for text in departure_lines(d)]
    return ["The people we work with:", *lines, *(["Who left:", *gone] if gone else [])]


def step_notes(c: QbrContent) -> list[str]:
    """Each next step with its owner and date."""
    return [
        f"{s.title}: {s.owner or 'owner to agree'}, due {day(s.due_on) or 'to agree'}"
        + (" (overdue)." if s.overdue else ".")
        for s in c.next_steps
    ]
