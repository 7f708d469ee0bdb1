"""The map's person form: every field of the stakeholder whose card is chosen."""

from __future__ import annotations

import html
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.models.enums import BuyingRole
from app.services import dates_text
from app.services.labels import field_label
from app.services.stakeholder_graph import MapPerson
from app.views.date_edit import day_picker
from app.views.map.style import ROLE_LABELS, SENTIMENT_LABELS

NO_PERSON_HINT = (
    "Click a card to see and edit that person here.\n\n"
    "Drag a card onto another to set who they report to; drag from a card's + handle to "
    "draw an influence, conflict or alliance line."
)


def _words(column: str) -> str:
    """A stakeholder field's label, as History and the map's changes name it too."""
    return field_label("stakeholder", column)


class EditPanel(QWidget):
    """Every stakeholder field; Apply sends only what changed."""

    edited = Signal(str, object)
    departure_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.person: MapPerson | None = None
        self.heading = QLabel(NO_PERSON_HINT)
        self.heading.setWordWrap(True)
        self.name = QLineEdit()
        self.title = QLineEdit()
        self.department = QLineEdit()
        self.email = QLineEdit()
        self.phone = QLineEdit()
        self.role = QComboBox()
        self.role.addItem("No role", None)
        for role, label in ROLE_LABELS.items():
            self.role.addItem(label, role.value)
        self.sentiment = QComboBox()
        for value in range(2, -3, -1):
            self.sentiment.addItem(SENTIMENT_LABELS[value], value)
        self.influence = QSpinBox()
        self.influence.setRange(1, 5)
        self.relationship = QSpinBox()
        self.relationship.setRange(1, 5)
        self.sponsor = QCheckBox(_words("is_executive_sponsor"))
        self.last_contact = day_picker()
        self.last_contact.setSpecialValueText("never")
        self.last_contact.setMinimumDate(QDate(1990, 1, 1))
        self.counterpart = QLineEdit()
        self.counterpart.setPlaceholderText("Who on our side pairs with them")
        self.reports_to = QComboBox()
        self.successor = QComboBox()
        self.departed_to = QLineEdit()
        self.departed_to.setPlaceholderText("Where they went")
        self.departed_is_lead = QCheckBox(_words("departed_is_lead"))
        self.notes = QPlainTextEdit()
        self.notes.setPlaceholderText("Your private notes (only you see them; never the customer)")
        self.notes.setMaximumHeight(70)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for label, widget in (
            (_words("name"), self.name),
            (_words("title"), self.title),
            (_words("department"), self.department),
            (_words("email"), self.email),
            (_words("phone"), self.phone),
            (_words("role"), self.role),
            (_words("sentiment"), self.sentiment),
            (f"{_words('influence')} (1-5)", self.influence),
            (f"{_words('relationship_strength')} (1-5)", self.relationship),
            ("", self.sponsor),
            (_words("our_counterpart"), self.counterpart),
            (_words("last_contact_on"), self.last_contact),
            (_words("reports_to_id"), self.reports_to),
            ("Notes", self.notes),  # the signed-in person's private note, not a column
            (_words("departed_to"), self.departed_to),
            ("", self.departed_is_lead),
            (_words("successor_id"), self.successor),
        ):
            form.addRow(label, widget)
        self._form = form
        self._colleagues: list[MapPerson] = []
        self.apply_button = QPushButton("Apply")
        self.apply_button.setDefault(True)
        self.apply_button.clicked.connect(self.apply)
        self.depart_button = QPushButton("Mark as departed…")
        self.depart_button.clicked.connect(self._depart)
        buttons = QHBoxLayout()
        buttons.addWidget(self.depart_button)
        buttons.addStretch(1)
        buttons.addWidget(self.apply_button)
        # With nobody selected only the hint shows: no form of made-up values to apply.
        self.form_box = QWidget()
        box = QVBoxLayout(self.form_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.addLayout(form)
        box.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.form_box)
        layout.addStretch(1)
        self.show_person(None)

    def set_colleagues(self, people: list[MapPerson]) -> None:
        """The account's people, offered as manager and successor."""
        self._colleagues = people

    def _fill_people(self, combo: QComboBox, person: MapPerson, current: str | None) -> None:
        combo.clear()
        combo.addItem("Nobody", None)
        for other in self._colleagues:
            if other.id != person.id:
                combo.addItem(other.name, other.id)
        combo.setCurrentIndex(max(0, combo.findData(current)))

    def show_person(self, person: MapPerson | None) -> None:
        """Fill the form with ``person`` (None empties and disables it)."""
        self.person = person
        self.form_box.setVisible(person is not None)
        self.apply_button.setEnabled(person is not None)
        if person is None:
            self.heading.setText(NO_PERSON_HINT)
            for line in (self.name, self.title, self.department, self.email, self.phone):
                line.clear()
            return
        heading = f"<b>{html.escape(person.name)}</b>"
        if person.departed:
            # As the card writes it (``card_drawing``): "Left Nov 2, 2026 → Globex".
            since = dates_text.day(person.departed_on) if person.departed_on else ""
            where = f" → {person.departed_to}" if person.departed_to else ""
            heading += f"<br>{html.escape(f'Left {since}{where}'.strip())}"
        self.heading.setText(heading)
        self.name.setText(person.name)
        self.title.setText(person.title or "")
        self.department.setText(person.department or "")
        self.email.setText(person.email or "")
        self.phone.setText(person.phone or "")
        self.role.setCurrentIndex(
            max(0, self.role.findData(person.role.value if person.role else None))
        )
        self.sentiment.setCurrentIndex(self.sentiment.findData(person.sentiment))
        self.influence.setValue(person.influence)
        self.relationship.setValue(person.relationship_strength)
        self.sponsor.setChecked(person.is_executive_sponsor)
        self.counterpart.setText(person.our_counterpart or "")
        # The same date the card's age counts from: the later of the recorded contact and
        # the latest touchpoint they attended.
        shown = person.last_touched()
        if shown is None:
            self.last_contact.setDate(self.last_contact.minimumDate())
        else:
            self.last_contact.setDate(QDate(shown.year, shown.month, shown.day))
        self.notes.setPlainText(person.private_notes or "")
        self._fill_people(self.reports_to, person, person.reports_to_id)
        self._fill_people(self.successor, person, person.successor_id)
        self.departed_to.setText(person.departed_to or "")
        self.departed_is_lead.setChecked(person.departed_is_lead)
        for widget in (self.departed_to, self.departed_is_lead, self.successor):
            self._form.setRowVisible(widget, person.departed)
        self.depart_button.setEnabled(not person.departed)

    def values(self) -> dict[str, Any]:
        """The form's values, as stakeholder fields."""
        picked = self.last_contact.date()
        last: date | None = None
        if picked != self.last_contact.minimumDate():
            last = date(picked.year(), picked.month(), picked.day())
        role = self.role.currentData()
        values: dict[str, Any] = {
            "name": self.name.text().strip(),
            "title": self.title.text().strip() or None,
            "department": self.department.text().strip() or None,
            "email": self.email.text().strip() or None,
            "phone": self.phone.text().strip() or None,
            "role": BuyingRole(role) if role else None,
            "sentiment": int(self.sentiment.currentData()),
            "influence": self.influence.value(),
            "relationship_strength": self.relationship.value(),
            "is_executive_sponsor": self.sponsor.isChecked(),
            "our_counterpart": self.counterpart.text().strip() or None,
            "last_contact_on": last,
            "private_notes": self.notes.toPlainText().strip() or None,
            "reports_to_id": self.reports_to.currentData(),
        }
        if self.person is not None and self.person.departed:
            values["departed_to"] = self.departed_to.text().strip() or None
            values["departed_is_lead"] = self.departed_is_lead.isChecked()
            values["successor_id"] = self.successor.currentData()
        return values

    def apply(self) -> None:
        if self.person is None:
            return
        values = self.values()
        if values["last_contact_on"] == self.person.last_touched():
            # Unchanged from what the form showed (which may come from a touchpoint).
            del values["last_contact_on"]
        changes = {
            key: value for key, value in values.items() if getattr(self.person, key) != value
        }
        if changes:
            self.edited.emit(self.person.id, changes)

    def _depart(self) -> None:
        if self.person is not None:
            self.departure_requested.emit(self.person.id)
