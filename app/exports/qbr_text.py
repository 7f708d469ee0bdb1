"""The words of a QBR: money and dates for people, the executive summary, template tokens."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from app.exports.qbr_data import Audience, QbrContent
from app.services import dates_text
from app.services.health_trend import trend_words
from app.services.labels import in_sentence, label_of
from app.services.money import format_compact, format_money
from app.services.qbr_facts import DepartureLine, OpportunityLine

TOKEN = re.compile(r"\{\{\s*([a-z_.]+)\s*\}\}")


def money(minor: int, currency: str, compact: bool = True) -> str:
    """``$1.3M`` (compact) or ``$1,250,000``, in the currency's own precision (one home:
    app.services.money)."""
    return format_compact(minor, currency) if compact else format_money(minor, currency)


def day(value: date | None) -> str:
    """``Mar 31, 2027`` in the user's locale (empty for no date); one home:
    app.services.dates_text."""
    return "" if value is None else dates_text.day(value)


def label(value: str | None) -> str:
    """An enum value as the window words it (``labels.label_of``): ``at_risk`` -> ``At risk``,
    ``smb`` -> ``SMB``."""
    return label_of(value)


def percent(share: float | None) -> str:
    """``78%`` (empty when unknown)."""
    return "" if share is None else f"{share * 100:.0f}%"


def capital(text: str) -> str:
    """``open tickets`` -> ``Open tickets`` (the rest stays as it is: ``CSAT``)."""
    return text[:1].upper() + text[1:]


def counted(count: int, noun: str, many: str | None = None) -> str:
    """``1 point``, ``7 points``: the count with its noun in the right number."""
    return f"{count:,} {noun if count == 1 else (many or noun + 's')}"


def users_change(change: int, since: date) -> str:
    """``3 more active users since 10 Jun 2026``, ``1 fewer active user ...``, or no change."""
    if change == 0:
        return f"No change in active users since {day(since)}"
    more = "more" if change > 0 else "fewer"
    return f"{abs(change):,} {more} active user{'' if abs(change) == 1 else 's'} since {day(since)}"


def milestones_done(done: int) -> str:
    """``No milestone completed this quarter.``, ``1 milestone ...``, ``3 milestones ...``."""
    return f"{counted(done, 'milestone') if done else 'No milestone'} completed this quarter."


def opportunity_line(o: OpportunityLine) -> str:
    """``Expansion: $120K (proposal)``."""
    return f"{o.title}: {money(o.value_minor, o.currency)} ({label(o.stage).lower()})"


def trend_clause(delta: float | None) -> str:
    """``, down 5 points over the last 90 days`` (``health_trend.trend_words``), or nothing."""
    if delta is None:
        return ""
    return f", {trend_words(delta)} over the last 90 days"


def summary_sentences(content: QbrContent, audience: Audience) -> list[str]:
    """The executive summary in plain sentences, each built only from data that exists."""
    sentences: list[str] = []
    latest = content.latest_health
    if latest is not None:
        sentences.append(
            f"Overall health is {in_sentence(label(latest.band))} at {latest.score:.0f} out of 100"
            f"{trend_clause(content.health_trend())}."
        )
    rate = content.adoption_rate
    if rate is not None and content.usage:
        point = content.usage[-1]
        licences = point.licensed_users or content.licences or 0
        were = "was" if point.active_users == 1 else "were"
        sentences.append(
            f"{point.active_users:,} of {counted(licences, 'licensed user')} {were} active in "
            f"the week of {day(point.as_of)} ({percent(rate)})."
        )
    if content.goals:
        good = sum(g.status.value in ("achieved", "on_track") for g in content.goals)
        done = content.milestones_done_in_quarter
        goals = counted(len(content.goals), "success-plan goal")
        # "0 of 1 goal are" read wrong: the verb goes with a single goal as with one good.
        one = good == 1 or len(content.goals) == 1
        sentence = f"{good} of {goals} {'is' if one else 'are'} achieved or on track"
        if done:
            sentence += f"; {milestones_done(done).rstrip('.')}"
        sentences.append(sentence + ".")
    risks = content.risks
    if risks:
        if audience is Audience.CUSTOMER:
            # Title and mitigation follow their labels (the table's words) as written:
            # "The main open item is go-live slipped twice" read wrong.
            top = risks[0]
            sentence = f"Main open item: {top.title.strip().rstrip('.')}."
            if top.mitigation:
                sentence += f" What we are doing: {top.mitigation.strip().rstrip('.')}."
            sentences.append(sentence)
        else:
            listed = ", ".join(f"{r.title} ({in_sentence(label(r.severity))})" for r in risks[:3])
            sentences.append(f"{counted(len(risks), 'open risk')}: {listed}.")
    renewal = content.renewal
    if renewal is not None:
        sentence = f"The current agreement renews on {day(renewal.end_date)}"
        if audience is Audience.INTERNAL:
            sentence += (
                f" ({renewal.days_left(content.today)} days left, "
                f"{money(renewal.value_minor, renewal.currency)}"
            )
            if renewal.forecast:
                sentence += f", forecast {label(renewal.forecast).lower()}"
            sentence += ")"
        sentences.append(sentence + ".")
    if content.next_steps:
        step = content.next_steps[0]
        # The title follows a colon as it is written: an imperative ("Draft the agenda"),
        # a noun phrase ("Executive sponsor intro") and a name all read right there.
        when = f" (due {day(step.due_on)})" if step.due_on else ""
        first = step.title.strip().rstrip(".")
        sentences.append(f"Our ask: agree the next steps, first on the list: {first}{when}.")
    return sentences


def token_values(content: QbrContent, audience: Audience) -> dict[str, Callable[[], str]]:
    """Every template token and how to fill it; internal-only tokens are empty for customers."""
    renewal = content.renewal
    latest = content.latest_health
    point = content.usage[-1] if content.usage else None
    internal = audience is Audience.INTERNAL
    return {
        "account.name": lambda: content.account,
        "account.owner": lambda: content.owner or "",
        "account.industry": lambda: content.industry or "",
        "account.segment": lambda: label(content.segment),
        "account.arr": lambda: money(content.arr_minor, content.currency),
        "quarter.label": lambda: content.quarter.label,
        "quarter.code": lambda: content.quarter.code,
        "date": lambda: day(content.today),
        "health.score": lambda: "" if latest is None else f"{latest.score:.0f}",
        "health.band": lambda: "" if latest is None else label(latest.band.value),
        "health.trend": lambda: _signed(content.health_trend()),
        "adoption.active_users": lambda: "" if point is None else f"{point.active_users:,}",
        "adoption.licences": lambda: f"{content.licences:,}" if content.licences else "",
        "adoption.rate": lambda: percent(content.adoption_rate),
        "renewal.date": lambda: "" if renewal is None else day(renewal.end_date),
        "renewal.days_left": lambda: (
            "" if renewal is None else str(renewal.days_left(content.today))
        ),
        "renewal.value": lambda: (
            "" if renewal is None or not internal else money(renewal.value_minor, renewal.currency)
        ),
        "renewal.forecast": lambda: (
            "" if renewal is None or not internal else label(renewal.forecast)
        ),
    }


#: Tokens that only an internal deck fills (a customer deck leaves them empty).
INTERNAL_TOKENS = frozenset({"renewal.value", "renewal.forecast"})


def fill_tokens(text: str, values: dict[str, Callable[[], str]], unknown: set[str]) -> str:
    """``text`` with every known ``{{token}}`` filled; unknown ones are kept and collected."""

    def replace(match: re.Match[str]) -> str:
        key = match.group(1)
        fill = values.get(key)
        if fill is None:
            unknown.add(key)
            return match.group(0)
        return fill()

    return TOKEN.sub(replace, text)


def _signed(delta: float | None) -> str:
    return "" if delta is None else f"{delta:+.0f}"


def coverage_lines(content: QbrContent) -> list[str]:
    """Internal stakeholder coverage: economic buyer, champion, sponsor, detractors."""
    people = content.stakeholders
    if not people:
        return ["No stakeholders recorded."] + [departure_headline(d) for d in content.departures]
    roles = {p.role for p in people}
    has_buyer = bool({"economic_buyer", "decision_maker"} & roles)
    sponsors = [p.name for p in people if p.executive_sponsor]
    lines = [
        f"{counted(len(people), 'current stakeholder')}.",
        "Economic buyer: " + ("known" if has_buyer else "missing"),
        "Champion: " + ("known" if "champion" in roles else "missing" + _left(content)),
        "Executive sponsor: " + (", ".join(sponsors) if sponsors else "missing"),
    ]
    detractors = [p.name for p in people if p.sentiment < 0]
    if detractors:
        lines.append("Detractors: " + ", ".join(detractors[:4]))
    return lines


def _left(content: QbrContent) -> str:
    """`` (Ann Lee left 4 Aug 2026)`` after a missing champion who has left."""
    gone = [d for d in content.departures if d.role == "champion"]
    if not gone:
        return ""
    return f" ({gone[0].name} left {day(gone[0].departed_on)})".replace(" left )", " left)")


def _what(departure: DepartureLine) -> str:
    if departure.executive_sponsor:
        role = label(departure.role).lower()
        return "executive sponsor" + (f" and {role}" if role else "")
    return label(departure.role).lower() or "contact"


def departure_headline(departure: DepartureLine) -> str:
    """``Ann Lee (champion) left on 4 Aug 2026 for Contoso, a sales lead.``"""
    text = f"{departure.name} ({_what(departure)}) left"
    if departure.departed_on is not None:
        text += f" on {day(departure.departed_on)}"
    if departure.departed_to:
        text += f" for {departure.departed_to}"
        if departure.is_lead:
            text += ", a sales lead"
    return text + "."


def departure_lines(departure: DepartureLine) -> list[str]:
    """Who left, when and where to, the successor and the open successor work (internal)."""
    lines = [departure_headline(departure)]
    lines.append(
        f"Successor: {departure.successor}." if departure.successor else "Successor: not named yet."
    )
    for step in departure.work:
        due = f", due {day(step.due_on)}" if step.due_on else ""
        owner = f" ({step.owner})" if step.owner else ""
        overdue = " (overdue)" if step.overdue else ""
        lines.append(f"Next: {step.title.rstrip('.')}{owner}{due}{overdue}.")
    if not departure.work and not departure.successor:
        lines.append("No successor work open yet.")
    return lines
