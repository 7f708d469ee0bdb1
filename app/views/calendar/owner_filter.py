"""The "All owners" filter box the calendar and the pipeline share."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox

from app.models.store import Store
from app.services.my_book import owners


def fill_owner_box(box: QComboBox, store: Store) -> None:
    """Refill ``box`` with the book's account owners, keeping the current choice if it stays."""
    current = box.currentData()
    box.blockSignals(True)
    box.clear()
    box.addItem("All owners", None)
    with store.read() as session:
        for name in owners(session):
            box.addItem(name, name)
    box.setCurrentIndex(max(0, box.findData(current)))
    box.blockSignals(False)
