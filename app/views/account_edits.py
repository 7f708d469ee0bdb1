"""Undo commands for accounts and the items under them (contracts, plans, tasks, ...).

Each edit calls one service in one unit of work; the store announces it. Not to be confused
with ``app/commands`` (the command line's subcommands).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from app.models import new_id
from app.services import accounts, play_triggers, work_items
from app.services.hierarchy import reparent
from app.services.row_capture import RowCapture
from app.views.context import AppContext
from app.views.undo import EditCommand, ServiceEdit

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


class CreateAccountCommand(EditCommand):
    """Add an account (top level or under a parent); undo deletes it again."""

    def __init__(self, ctx: AppContext, name: str, parent_id: str | None, **fields: Any) -> None:
        super().__init__(ctx, f"new account {name}")
        self.account_id = new_id()
        self.name = name
        self.parent_id = parent_id
        self.fields = fields

    def apply(self) -> None:
        with self.ctx.store.session() as session:
            accounts.create_account(
                session, self.name, self.parent_id, account_id=self.account_id, **self.fields
            )

    def revert(self) -> None:
        with self.ctx.store.session() as session:
            accounts.delete_account(session, self.account_id)


class UpdateAccountCommand(EditCommand):
    """Change account fields (rename, owner, revenue lines...); undo restores the old values."""

    def __init__(
        self,
        ctx: AppContext,
        account_id: str,
        changes: Mapping[str, Any],
        text: str,
        expected: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(ctx, text)
        self.account_id = account_id
        self.changes = dict(changes)
        self.expected = dict(expected) if expected is not None else None
        self.old: dict[str, Any] = {}
        self.plays: list[str] = []  # plays the edit started (lifecycle set to onboarding)

    def apply(self) -> None:
        with self.ctx.store.session() as session:
            self.old = accounts.update_account(
                session, self.account_id, self.changes, self.expected, today=self.ctx.today
            )
            self.plays = play_triggers.take_started(session)
        self.expected = None  # a redo after undo restores our own value

    def revert(self) -> None:
        with self.ctx.store.session() as session:
            accounts.update_account(session, self.account_id, self.old)
            play_triggers.take_started(session)
            play_triggers.withdraw(session, self.plays)


class DeleteAccountCommand(ServiceEdit[RowCapture]):
    """Delete an account with everything under it; undo puts every row back."""

    def __init__(self, ctx: AppContext, account_id: str, name: str) -> None:
        super().__init__(ctx, f"delete {name}")
        self.account_id = account_id

    def change(self, session: Session) -> RowCapture:
        return accounts.delete_account(session, self.account_id)

    def change_back(self, session: Session, kept: RowCapture) -> None:
        accounts.restore_account(session, kept)


class ReparentCommand(ServiceEdit[str | None]):
    """Move an account under another (or to the top level); undo moves it back (to the top
    level too, when it was there: the old parent None is a place, not "nothing to undo")."""

    def __init__(
        self, ctx: AppContext, account_id: str, new_parent_id: str | None, text: str
    ) -> None:
        super().__init__(ctx, text)
        self.account_id = account_id
        self.new_parent_id = new_parent_id

    def change(self, session: Session) -> str | None:
        return reparent(session, self.account_id, self.new_parent_id)

    def change_back(self, session: Session, kept: str | None) -> None:
        reparent(session, self.account_id, kept)


class CreateItemCommand(EditCommand):
    """Add a contract, risk, task, activity, goal, milestone, opportunity or renewal."""

    def __init__(self, ctx: AppContext, kind: str, values: Mapping[str, Any], text: str) -> None:
        super().__init__(ctx, text)
        self.kind = kind
        self.values = dict(values)
        self.item_id = new_id()
        self.plays: list[str] = []  # plays the item started (an escalation opened)

    def apply(self) -> None:
        with self.ctx.store.session() as session:
            work_items.create_item(session, self.kind, self.values, item_id=self.item_id)
            self.plays = play_triggers.take_started(session)

    def revert(self) -> None:
        with self.ctx.store.session() as session:
            work_items.delete_item(session, self.kind, self.item_id)
            play_triggers.withdraw(session, self.plays)


class UpdateItemCommand(ServiceEdit[dict[str, Any]]):
    """Change fields of one item; undo restores the previous values."""

    def __init__(
        self,
        ctx: AppContext,
        kind: str,
        item_id: str,
        changes: Mapping[str, Any],
        text: str,
    ) -> None:
        super().__init__(ctx, text)
        self.kind = kind
        self.item_id = item_id
        self.changes = dict(changes)

    def change(self, session: Session) -> dict[str, Any]:
        return work_items.update_item(session, self.kind, self.item_id, self.changes)

    def change_back(self, session: Session, kept: dict[str, Any]) -> None:
        work_items.update_item(session, self.kind, self.item_id, kept)


class DeleteItemCommand(ServiceEdit[RowCapture]):
    """Delete one item (and what cascades from it); undo restores every row."""

    def __init__(self, ctx: AppContext, kind: str, item_id: str, text: str) -> None:
        super().__init__(ctx, text)
        self.kind = kind
        self.item_id = item_id

    def change(self, session: Session) -> RowCapture:
        return work_items.delete_item(session, self.kind, self.item_id)

    def change_back(self, session: Session, kept: RowCapture) -> None:
        work_items.restore_item(session, kept)
