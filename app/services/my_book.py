""" "My book": the accounts the user owns, and what of Today's list is theirs.

The user says who they are once (an account owner's name); views then show their accounts
by default, with one click to the whole team's. ``owner=None`` everywhere means the team.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from app.models import Account
from app.models.enums import Segment
from app.services import dates_text
from app.services.cadence import cadence_gaps, is_gap_overdue
from app.services.hierarchy import load_account_rows
from app.services.plays import due_steps
from app.services.today import AgendaItem, PortfolioFigures, book_figures, portfolio_figures


def owners(session: Session) -> list[str]:
    """Everyone who owns an account, for the "who I am" choice."""
    # On the table, not the mapped class: the window asks this before its first paint, and
    # the first ORM query configures every mapper (half a second at start-up).
    owner = Account.__table__.c.owner
    query = select(owner).where(owner.is_not(None)).distinct()
    return sorted({o for o in session.scalars(query) if o and o.strip()}, key=str.casefold)


class UnknownOwnerError(ValueError):
    """An owner name no account has; the message is one sentence for the user."""


def check_owner(session: Session, owner: str) -> None:
    """Refuse a name nobody owns an account under (a typo would otherwise list nothing)."""
    if owner not in owners(session):
        raise UnknownOwnerError(f"No account is owned by {owner}.")


def in_book(query: Select[Any], owner: str | None, segment: Segment | None = None) -> Select[Any]:
    """``query`` (which reads ``Account``) narrowed to ``owner``'s accounts and to one
    segment; None for either keeps the whole team's, or every segment."""
    if owner is not None:
        query = query.where(Account.owner == owner)
    if segment is not None:
        query = query.where(Account.segment == segment)
    return query


def owned_ids(session: Session, owner: str) -> set[str]:
    """Ids of the accounts ``owner`` owns."""
    return set(session.scalars(select(Account.id).where(Account.owner == owner)))


def only_mine(session: Session, items: Iterable[AgendaItem], owner: str | None) -> list[AgendaItem]:
    """Today's lines on ``owner``'s accounts (all of them when ``owner`` is None).

    Play steps were already chosen by who does them, so a step someone owns on another
    person's account (an executive sponsor's) stays on their list.
    """
    items = list(items)
    if owner is None:
        return items
    mine = owned_ids(session, owner)
    return [i for i in items if i.section == "play" or i.account_id in mine]


def play_and_cadence_items(
    session: Session, today: date, owner: str | None, limit: int = 200
) -> list[AgendaItem]:
    """Today's play steps due (``owner``'s own, or everyone's) and overdue reviews."""
    items = []
    for step in due_steps(session, today, owner=owner, limit=limit):
        late = (today - step.due_on).days
        when = "due today" if late == 0 else dates_text.overdue(late)
        who = f" · {step.owner}" if step.owner and owner is None else ""
        items.append(
            AgendaItem(
                "play",
                step.account_id,
                step.account_name,
                step.title,
                f"{step.play_name} · {when}{who}",
                step.due_on,
                overdue=late > 0,
                step_id=step.step_id,
            )
        )
    gaps = [g for g in cadence_gaps(session, today, owner=owner) if is_gap_overdue(g)]
    for gap in gaps[:limit]:
        last = f"last {dates_text.day(gap.last_on)}" if gap.last_on else "never held"
        items.append(
            AgendaItem(
                "cadence",
                gap.account_id,
                gap.account_name,
                gap.text[:1].upper() + gap.text[1:],  # a line of its own: "No QBR on record"
                f"{gap.label} · {last}",
                gap.due_on,
                overdue=True,
            )
        )
    return items


def my_figures(session: Session, today: date, owner: str | None) -> PortfolioFigures:
    """Today's headline figures over ``owner``'s accounts (the whole book when None)."""
    if owner is None:
        return book_figures(session, today)
    rows = [r for r in load_account_rows(session) if r.owner == owner]
    return portfolio_figures(session, rows, today)
