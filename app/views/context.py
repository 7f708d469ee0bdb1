"""What every widget of the open workspace shares: the store, the undo stack, change signals."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from app.models.store import Store


class WorkspaceEvents(QObject):
    """The store's announcements, so views refresh only what changed.

    ``changed(account_id, kind)``: ``account_id`` is a hex id or None for book-wide changes;
    ``kind`` names what changed, e.g. ``"account"``, ``"hierarchy"``, ``"stakeholder"``,
    ``"map"``, ``"contract"``, ``"renewal"``, ``"health"``, ``"activity"``, ``"task"``,
    ``"risk"``, ``"opportunity"``, ``"plan"``, ``"workspace"``.
    ``open_account(account_id, tab)`` asks the main window to show an account at a tab
    (tab title such as ``"Stakeholders"``; empty string for the default tab).
    """

    changed = Signal(object, str)
    open_account = Signal(object, str)


@dataclass
class AppContext:
    """Handed to every view of one open workspace."""

    store: Store
    undo_stack: QUndoStack = field(default_factory=QUndoStack)
    events: WorkspaceEvents = field(default_factory=WorkspaceEvents)
    #: "Today" for every date rule; tests pin it.
    today: date = field(default_factory=date.today)
