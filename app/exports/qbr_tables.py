"""The QBR's tables, built once from the presentation model; the deck and brief both draw them.

Each builder returns a ``Table`` (header, rows of text, column shares of the width) or
None when there is nothing to show; what an audience may see was decided before
(``app.exports.qbr_data.for_audience``), so builders only choose columns.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from app.exports.qbr_data import Audience, QbrContent
from app.exports.qbr_text import day, label, money
from app.models.enums import RiskCategory
from app.services.labels import field_label, forecast_label
from app.services.stakeholder_graph import SENTIMENT_LABELS

#: Risks and next steps a slide can hold and still be read from the back of the room.
MAX_ROWS = 6
#: Characters of table text across the narrowest place a table is drawn: the brief's
#: portrait page, 16.6 cm of 9.5 pt text at 0.2 cm a character (DejaVu Serif, which
#: LibreOffice draws for Calibri, is that wide); a slide is wider.
LINE_CHARS = 83
#: Characters a cell's padding takes, both sides.
PADDING_CHARS = 2
#: A column kept whole is at most this many characters wide; longer text in it wraps
#: between words.
WHOLE_MOST = 16
#: Every area a risk can have: the area column is as wide for every account.
AREAS = tuple(label(c.value) for c in RiskCategory)


@dataclass(frozen=True)
class Table:
    """A table as text: header, rows and each column's share of the width (summing to 1)."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    shares: tuple[float, ...]


def goals_table(c: QbrContent) -> Table | None:
    """Success-plan goals with milestone counts."""
    if not c.goals:
        return None
    return Table(
        ("Goal", "Status", "Milestones done", "Slipping", "Target date"),
        tuple(
            (
                g.title,
                label(g.status.value),
                f"{g.done} of {len(g.milestones)}",
                str(g.slipping),
                day(g.target_on),
            )
            for g in c.goals[:8]
        ),
        (0.38, 0.14, 0.18, 0.13, 0.17),
    )


def milestones_table(c: QbrContent) -> Table | None:
    """Every milestone of the plan shown."""
    rows = tuple(
        (m.title, g.title, day(m.due_on), m.owner or "", label(m.status.value))
        for g in c.goals
        for m in g.milestones
    )
    if not rows:
        return None
    return Table(
        ("Milestone", "Goal", "Due", "Owner", "Status"), rows, (0.27, 0.3, 0.15, 0.15, 0.13)
    )


def risks_table(c: QbrContent, audience: Audience, limit: int = MAX_ROWS) -> Table | None:
    """Open risks (internal: severity, status, internal note) or open items (customer).

    Our team's table has no area: with it, seven columns did not fit a portrait page without
    splitting names ("Brenna n"), and the title says what a risk is about."""
    risks = c.risks[:limit]
    if not risks:
        return None
    if audience is Audience.INTERNAL:
        return fitted(
            ("Risk", "Severity", "Owner", "Mitigation", "Due", "Internal note"),
            tuple(
                (
                    r.title + (" (escalated)" if r.is_escalation else ""),
                    label(r.severity.value),
                    r.owner or "",
                    r.mitigation or "",
                    day(r.due_on) + (" (past due)" if r.past_due(c.today) else ""),
                    r.internal_notes or "",
                )
                for r in risks
            ),
            whole={1, 2, 4},
        )
    return fitted(
        ("Open item", "Area", "Owner", "What we are doing", "Due"),
        tuple(
            (r.title, label(r.category.value), r.owner or "", r.mitigation or "", day(r.due_on))
            for r in risks
        ),
        whole={1, 2, 4},
        more={1: AREAS},
    )


def fitted(
    header: tuple[str, ...],
    rows: tuple[tuple[str, ...], ...],
    whole: Collection[int],
    more: dict[int, Sequence[str]] | None = None,
) -> Table:
    """The table with each column's share of the width such that no word is split: a ``whole``
    column (a name, a date, a short figure) is as wide as its longest text, which reads on
    one line (up to ``WHOLE_MOST``; a remark in brackets after it may wrap under it); every
    other column is at least as wide as its longest word and they share the rest of the
    width by how much text each holds. ``more`` adds texts a column must fit besides its
    rows (every value it can hold)."""
    columns = [
        [text, *(row[n] for row in rows), *(more or {}).get(n, ())] for n, text in enumerate(header)
    ]
    widths = []
    for n, texts in enumerate(columns):
        least = max((len(word) for text in texts for word in text.split()), default=1)
        if n in whole:
            lines = [line for text in texts[1:] for line in re.split(r" (?=\()", text)]
            least = max(least, min(WHOLE_MOST, max(map(len, lines), default=0)))
        widths.append(float(least + PADDING_CHARS))
    free = [n for n in range(len(columns)) if n not in whole]
    amounts = [sum(len(text) for text in columns[n]) for n in free]
    spare = max(0.0, LINE_CHARS - sum(widths))
    for n, amount in zip(free, amounts, strict=True):
        widths[n] += spare * amount / (sum(amounts) or 1)
    total = sum(widths)
    return Table(header, rows, tuple(width / total for width in widths))


def support_figures(c: QbrContent) -> list[tuple[str, str]]:
    """(caption, value) of the support signals that are known."""
    s = c.support
    if s is None:
        return []
    figures = [
        ("open tickets", s.tickets_open),
        ("priority-1 tickets", s.tickets_p1),
        ("new tickets this quarter", s.tickets_new_in_quarter),
        (
            "average time to resolve",
            None if s.hours_to_resolve is None else f"{s.hours_to_resolve:.0f} h",
        ),
        ("CSAT (1-5)", None if s.csat is None else f"{s.csat:.1f}"),
    ]
    return [(caption, str(value)) for caption, value in figures if value is not None]


def steps_table(c: QbrContent) -> Table | None:
    """Agreed next steps with owner and date; the internal cut marks overdue ones."""
    if not c.next_steps:
        return None
    return Table(
        ("Action", "Owner", "Due"),
        tuple(
            (s.title, s.owner or "", day(s.due_on) + (" (overdue)" if s.overdue else ""))
            for s in c.next_steps
        ),
        (0.6, 0.2, 0.2),
    )


def people_table(c: QbrContent, audience: Audience) -> Table | None:
    """Current stakeholders; sentiment, in words, only for our own team. The sponsor column
    is there when someone is one (an empty column read as if something were missing)."""
    if not c.stakeholders:
        return None
    sponsors = any(p.executive_sponsor for p in c.stakeholders)
    internal = audience is Audience.INTERNAL
    header, shares = ["Name", "Title", field_label("stakeholder", "role")], [0.24, 0.3, 0.2]
    if sponsors:
        header.append("Executive sponsor")
        shares.append(0.16)
    if internal:
        header.append("Sentiment")
        shares.append(0.18)
    rows = []
    for p in c.stakeholders:
        row = [p.name, p.title or "", label(p.role)]
        if sponsors:
            row.append("Yes" if p.executive_sponsor else "")
        if internal:
            row.append(SENTIMENT_LABELS.get(p.sentiment, ""))
        rows.append(tuple(row))
    total = sum(shares)
    return Table(tuple(header), tuple(rows), tuple(share / total for share in shares))


def renewal_table(c: QbrContent) -> Table | None:
    """The renewal's facts (internal only: ``for_audience`` strips the forecast for others)."""
    r = c.renewal
    if r is None:
        return None
    facts = [
        ("Contract", r.contract),
        ("Renewal date", day(r.end_date)),
        ("Days left", str(r.days_left(c.today))),
        ("Annual value", money(r.value_minor, r.currency, compact=False)),
        ("Notice by", day(r.notice_by)),
        ("Auto-renews", "Yes" if r.auto_renew else "No"),
        ("Forecast", forecast_label(r.forecast)),
        ("Likelihood", "" if r.likelihood is None else f"{r.likelihood}%"),
        ("Next step", r.next_step or ""),
        ("ARR", money(c.arr_minor, c.currency, compact=False)),
        (
            "ARR with sub-accounts",
            money(c.arr_with_children_minor, c.currency, compact=False)
            if c.arr_with_children_minor != c.arr_minor
            else "",
        ),
    ]
    return Table(("Renewal", "Detail"), tuple(row for row in facts if row[1]), (0.4, 0.6))
