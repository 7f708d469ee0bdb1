"""File > Export calendar: the same feed as ``fieldbook export calendar``, from the GUI."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QWidget

from app.exports.ics import FeedResult, export_calendar
from app.services.renewals import checkpoint_offsets
from app.views.calendar import dialogs
from app.views.context import AppContext
from app.views.dialogs import choose_save_path


def ask_feed_path(parent: QWidget | None) -> Path | None:
    """Ask where to save the .ics file; None when cancelled. Tests replace this."""
    return choose_save_path(parent, "Export calendar", "renewals.ics", "Calendar files (*.ics)")


def export_calendar_interactively(
    ctx: AppContext,
    parent: QWidget | None = None,
    *,
    owner: str | None = None,
    days: int = 90,
    with_tasks: bool = False,
) -> FeedResult | None:
    """Ask for a file and write the feed; tells the user and returns None when it fails."""
    path = ask_feed_path(parent)
    if path is None:
        return None
    if path.suffix.lower() != ".ics":
        path = path.with_suffix(".ics")
    try:
        with ctx.store.read() as session:
            return export_calendar(
                session,
                path,
                today=ctx.today,
                days=days,
                owner=owner,
                offsets=checkpoint_offsets(session),
                with_tasks=with_tasks,
            )
    except OSError as exc:
        message = f"The calendar could not be written to {path}: {exc.strerror}."
        dialogs.show_error(parent, message)
        return None
