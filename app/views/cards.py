"""Figure cards: a caption, one big number and a note, shrinking gracefully in narrow windows."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from app.services.exchange import Conversion
from app.services.money import format_compact


class FigureCard(QFrame):
    """One headline figure."""

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "card")
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(14, 10, 14, 10)
        self.layout_.setSpacing(2)
        self.caption = QLabel(caption, self)
        self.caption.setProperty("role", "caption")
        self.value = QLabel("–", self)
        self.value.setProperty("role", "figure")
        self.value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note = QLabel("", self)
        self.note.setProperty("role", "caption")
        self.note.setWordWrap(True)
        for label in (self.caption, self.value, self.note):
            label.setMinimumWidth(0)
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            self.layout_.addWidget(label)
        self.setAccessibleName(caption)

    def set(self, value: str, note: str = "", colour: str = "") -> None:
        self.value.setText(value)
        self.value.setToolTip(value)
        self.note.setText(note)
        self.note.setToolTip(note)
        self.value.setStyleSheet(f"color: {colour};" if colour else "")


def figure_cards(
    captions: Mapping[str, str], parent: QWidget
) -> tuple[QHBoxLayout, dict[str, FigureCard]]:
    """A row of equally wide cards, one per caption, and the cards by their keys."""
    row = QHBoxLayout()
    row.setSpacing(10)
    cards = {key: FigureCard(caption, parent) for key, caption in captions.items()}
    for card in cards.values():
        row.addWidget(card, 1)
    return row, cards


def split_totals(totals: Mapping[str, int]) -> tuple[str, str]:
    """The largest currency's total for the big number, the others for the note."""
    if not totals:
        return format_compact(0, "USD"), ""
    ordered = sorted(totals.items(), key=lambda kv: -kv[1])
    head = format_compact(ordered[0][1], ordered[0][0])
    rest = " + ".join(format_compact(amount, cur) for cur, amount in ordered[1:])
    return head, (f"+ {rest}" if rest else "")


def converted_figure(conversion: Conversion) -> tuple[str, str]:
    """A total in the reporting currency for the big number; for the note, the rate dates it
    used and, in full, what it leaves out for want of a rate."""
    return format_compact(conversion.minor, conversion.currency), conversion.note
