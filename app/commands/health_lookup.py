"""Finding the account a health command names (by name, case-insensitive, or by id)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.commands import find_account_id
from app.models.account import Account


def find_account(session: Session, name_or_id: str) -> Account:
    """The one account called ``name_or_id`` (or with that id); UsageError otherwise."""
    found = session.get(Account, find_account_id(session, name_or_id))
    assert found is not None
    return found
