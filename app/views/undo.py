"""The one shape of an edit: an undo command whose steps call services, pushed applied.

``apply`` and ``revert`` each call a service in one unit of work (``with ctx.store.session()``);
the store then announces what the commit touched, so a command never announces anything.
:func:`push_edit` applies the command before it reaches the undo stack: an edit the service
refuses (a ``ValueError`` or ``LookupError`` carrying one sentence) leaves the stack as it was
and shows that sentence once. A later undo or redo the workspace no longer allows (someone
deleted the row meanwhile) shows it too and drops the command from the history.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Generic, TypeVar

from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QWidget

from app.models.conflicts import EditConflictError, EditRefusedError
from app.views import dialogs
from app.views.context import AppContext

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

T = TypeVar("T")

#: What services raise to refuse an edit; the message is one sentence for the user (a team
#: workspace refuses an edit that is not the user's, or that someone else saved first).
REFUSALS: tuple[type[Exception], ...] = (
    ValueError,
    LookupError,
    EditConflictError,
    EditRefusedError,
)


class EditCommand(QUndoCommand):
    """Base of every undoable edit: subclasses implement ``apply`` and ``revert``."""

    def __init__(self, ctx: AppContext, text: str) -> None:
        super().__init__(text)
        self.ctx = ctx
        #: Why the last step was refused, if it was.
        self.problem: str | None = None
        #: Called after a refusal, e.g. to put back what a view showed ahead of the edit.
        self.on_refused: Callable[[], None] | None = None
        #: Tells a refusal where the view wants it (beside a field), instead of in a dialog.
        self.tell_instead: Callable[[str], None] | None = None
        self._applied = False

    def apply(self) -> None:
        raise NotImplementedError

    def revert(self) -> None:
        raise NotImplementedError

    def redo(self) -> None:
        if self._applied:  # push_edit applied it already
            self._applied = False
            return
        self._step(self.apply)

    def undo(self) -> None:
        self._step(self.revert)

    def _step(self, step: Callable[[], None]) -> None:
        try:
            step()
        except REFUSALS as exc:
            self.setObsolete(True)
            self.refused(str(exc), None)

    def refused(self, message: str, parent: QWidget | None) -> None:
        """Tell the user why (one message), then let the view put itself right."""
        self.problem = message
        if self.tell_instead is not None:
            self.tell_instead(message)
        else:
            self.tell_refusal(parent, message)
        if self.on_refused is not None:
            self.on_refused()

    def tell_refusal(self, parent: QWidget | None, message: str) -> None:
        dialogs.refuse(parent, message)


class ServiceEdit(EditCommand, Generic[T]):
    """An edit that keeps what its service returned and hands that back on undo.

    ``change`` makes the edit and returns what undoing it needs (the values it replaced, the
    rows it deleted, the id it created); ``change_back`` puts things back from that. Each
    runs in its own unit of work, so a subclass states only its service calls.
    """

    #: What ``change`` returned, set when the edit is applied.
    kept: T

    def change(self, session: Session) -> T:
        raise NotImplementedError

    def change_back(self, session: Session, kept: T) -> None:
        raise NotImplementedError

    def apply(self) -> None:
        with self.ctx.store.session() as session:
            self.kept = self.change(session)

    def revert(self) -> None:
        with self.ctx.store.session() as session:
            self.change_back(session, self.kept)


class ReplaceCommand(ServiceEdit[T | None]):
    """An edit by a service that stores ``value`` and returns what it replaced (None when
    nothing was there): undo stores that again, or leaves things be when there was nothing."""

    def __init__(
        self, ctx: AppContext, text: str, store: Callable[[Session, T], T | None], value: T
    ) -> None:
        super().__init__(ctx, text)
        self._store = store
        self._value = value

    def change(self, session: Session) -> T | None:
        return self._store(session, self._value)

    def change_back(self, session: Session, kept: T | None) -> None:
        if kept is not None:
            self._store(session, kept)


def push_edit(ctx: AppContext, command: EditCommand, parent: QWidget | None = None) -> bool:
    """Apply ``command`` and put it on the undo stack; False (stack unchanged) if refused."""
    try:
        command.apply()
    except REFUSALS as exc:
        command.refused(str(exc), parent)
        return False
    command._applied = True
    ctx.undo_stack.push(command)
    return True
