"""Finding the account a health command names (by name, case-insensitive, or by id)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.commands import UsageError
from app.models.account import Account
from app.services import accounts


def find_account(session: Session, name_or_id: str) -> Account:
    """The one account called ``name_or_id`` (or with that id); UsageError otherwise."""
    try:
        account_id, _name = accounts.find_account(session, name_or_id)
    except accounts.AccountNotFoundError as exc:
        raise UsageError(str(exc)) from exc
    found = session.get(Account, account_id)
    assert found is not None
    return found
