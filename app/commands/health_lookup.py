"""Finding the account a health command names (by name, case-insensitive, or by id)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.commands import UsageError
from app.models.account import Account


def find_account(session: Session, name_or_id: str) -> Account:
    """The one account called ``name_or_id`` (or with that id); UsageError otherwise."""
    account = session.get(Account, name_or_id)
    if account is not None:
        return account
    matches = session.scalars(
        select(Account).where(func.lower(Account.name) == name_or_id.strip().lower())
    ).all()
    if not matches:
        raise UsageError(f"There is no account called {name_or_id!r}.")
    if len(matches) > 1:
        raise UsageError(f"{len(matches)} accounts are called {name_or_id!r}; give its id instead.")
    return matches[0]
