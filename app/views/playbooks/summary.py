"""One line for the account Overview: the plays running and the reviews due."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget
from sqlalchemy.orm import Session

from app.services.cadence import cadence_gaps, is_gap_overdue
from app.services.plays import list_plays
from app.views import theme


class PlaysSummary(QLabel):
    """ "Plays: 3-phase onboarding, 3 of 12 steps · Reviews: QBR overdue by 20 days"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("playsSummary")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        # Wraps to whatever width the Overview has; never widens the window.
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def load(self, session: Session, account_id: str, today: date) -> None:
        """Read the account's live plays and cadence gaps (within a view's read session)."""
        live = list_plays(session, account_id, live_only=True)
        gaps = cadence_gaps(session, today, account_id=account_id, ahead_days=30)
        played = ", ".join(
            f"{_esc(p.name)} <span style='color:gray'>({p.progress}"
            + (", paused" if p.status.value == "paused" else "")
            + ")</span>"
            for p in live
        )
        reviews = " · ".join(
            f"<b style='color:{theme.RENEWAL_SOON}'>{g.text}</b>" if is_gap_overdue(g) else g.text
            for g in gaps
        )
        self.setText(
            f"<b>Plays:</b> {played or 'none running'}"
            f" &nbsp;&nbsp; <b>Reviews:</b> {reviews or 'none due in 30 days'}"
        )


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
