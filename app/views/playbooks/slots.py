"""Suggested slots for reviews due by the governance cadence, shown in the calendar."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem, QWidget

from app.services import dates_text
from app.services.cadence import SuggestedSlot, is_gap_overdue, suggested_slots
from app.views.context import AppContext
from app.views.playbooks.plays_tab import theme_brush
from app.views.table_base import fit_columns

COLUMNS = ("Suggested slot", "Account", "Review", "Why")


class SuggestedSlots(QTreeWidget):
    """Reviews due in the next 30 days, each on a suggested weekday; Enter opens the account."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.slots: list[SuggestedSlot] = []
        self.setObjectName("suggestedSlots")
        self.setAccessibleName("Suggested review slots")
        self.setRootIsDecorated(False)
        self.setHeaderLabels(list(COLUMNS))
        fit_columns(self.header(), 1)
        self.setMaximumHeight(130)
        self.itemActivated.connect(self._open)

    def load(self, owner: str | None, today: date | None = None) -> None:
        """Suggest slots for ``owner``'s accounts (None: the whole team's)."""
        with self.ctx.store.read() as session:
            self.slots = suggested_slots(session, today or self.ctx.today, owner=owner)
        self.clear()
        for slot in self.slots:
            gap = slot.gap
            item = QTreeWidgetItem(
                [dates_text.short_weekday_day(slot.day), gap.account_name, gap.label, gap.text]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, gap.account_id)
            if is_gap_overdue(gap):
                item.setForeground(3, theme_brush())
            self.addTopLevelItem(item)
        self.setVisible(bool(self.slots))

    def _open(self, item: QTreeWidgetItem, _column: int) -> None:
        self.ctx.events.open_account.emit(item.data(0, Qt.ItemDataRole.UserRole), "Plays")
