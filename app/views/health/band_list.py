"""Under the book's Health chart: one button per band (hover for figures, click to list the
band's accounts) and the list, whose rows open the account."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.models.enums import HealthBand
from app.services.book_health import BandAccount, BandSummary
from app.services.labels import label_of
from app.services.money import format_compact
from app.services.scoring import BANDS
from app.views import theme

ID_ROLE = Qt.ItemDataRole.UserRole + 1


class BandAccounts(QWidget):
    """Band buttons over the list of the chosen band's accounts."""

    #: The band clicked (None: not scored).
    band_chosen = Signal(object)
    #: An account id to open.
    account_opened = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.buttons: dict[HealthBand | None, QPushButton] = {}
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        row = QHBoxLayout()
        for band in (*BANDS, None):
            button = QPushButton()
            button.setCheckable(True)
            button.setObjectName(f"band-{band.value if band else 'none'}")
            if band is not None:
                colour = theme.BAND_COLOURS.get(band.value, "")
                button.setStyleSheet(f"QPushButton {{ border-left: 6px solid {colour}; }}")
            button.clicked.connect(lambda _c=False, b=band: self.band_chosen.emit(b))
            self.group.addButton(button)
            self.buttons[band] = button
            row.addWidget(button)
        row.addStretch(1)
        self.list = QListWidget()
        self.list.setMaximumHeight(180)
        self.list.setVisible(False)
        self.list.itemActivated.connect(self._open)
        self.list.itemDoubleClicked.connect(self._open)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.list)

    def show_summary(self, summary: BandSummary) -> None:
        """Button texts and hover figures from the book's band summary."""
        for band, button in self.buttons.items():
            if band is None:
                count = summary.unscored
                button.setText(f"Not scored {count}")
                button.setToolTip(f"{count} accounts have no health score yet.")
                continue
            count = summary.accounts.get(band, 0)
            arr = format_compact(summary.arr_minor.get(band, 0), summary.currency)
            button.setText(f"{label_of(band)} {count}")
            share = 100 * count / max(1, sum(summary.accounts.values()) + summary.unscored)
            button.setToolTip(
                f"{label_of(band)}: {count} accounts ({share:.0f}% of the book), "
                f"{arr} ARR in {summary.currency}. Click to list them."
            )

    def show_accounts(self, band: HealthBand | None, accounts: list[BandAccount]) -> None:
        """List ``band``'s accounts (largest ARR first); activating one opens it."""
        self.buttons[band].setChecked(True)
        self.list.clear()
        for account in accounts:
            text = f"{account.name} · {format_compact(account.arr_minor, account.currency)}"
            item = QListWidgetItem(text)
            item.setData(ID_ROLE, account.id)
            item.setToolTip(f"{account.name}: open its Health tab")
            self.list.addItem(item)
        if not accounts:
            empty = QListWidgetItem("No accounts in this band.")
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.list.addItem(empty)
        self.list.setVisible(True)

    def _open(self, item: QListWidgetItem) -> None:
        account_id = item.data(ID_ROLE)
        if isinstance(account_id, str):
            self.account_opened.emit(account_id)
