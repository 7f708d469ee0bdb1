"""The import wizard's mapping pages: which column fills which field, how rows find records."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
)

from app.imports.detection import detect_mapping
from app.imports.fields import FIELDS
from app.imports.mapping import Mapping, RenewalDeals, save_mapping, save_workspace_mapping
from app.imports.plan_model import MATCHES, Match
from app.views import import_support
from app.views.dialogs import button_row
from app.views.import_file_pages import KIND_LABELS, error_label, scrolling_form
from app.views.import_support import WizardPage

if TYPE_CHECKING:
    from app.views.import_wizard import ImportWizard


NOT_IMPORTED = "(not imported)"
RENEWAL_DEALS_LABEL = "Take renewal deals as contract renewals (a contract with its renewal)"
MATCH_LABELS: dict[Match, str] = {
    "auto": "Automatically: external id, else email, else name",
    "external_id": "By external id (CRM record id)",
    "email": "By email address",
    "name": "By name within the account",
}


class MappingPage(WizardPage):
    """One row per Fieldbook field: which column feeds it. Auto-detected, editable, savable."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard, "Map columns")
        self.kind_combo = QComboBox()
        for kind in KIND_LABELS:
            self.kind_combo.addItem(KIND_LABELS[kind], kind)
        self.kind_combo.activated.connect(self._kind_changed)
        self.combos: dict[str, QComboBox] = {}
        scroll, self.form = scrolling_form()
        save_here = QPushButton("Save in workspace…")
        save_here.clicked.connect(self._save_in_workspace)
        save_file = QPushButton("Save to file…")
        save_file.clicked.connect(self._save_to_file)
        self.error = error_label()
        top = QFormLayout()
        top.addRow("Rows are:", self.kind_combo)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.error)
        layout.addLayout(button_row(right=[save_here, save_file]))

    def initializePage(self) -> None:
        assert self.wiz.mapping is not None
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(self.wiz.mapping.kind))
        self._build(self.wiz.mapping)

    def _kind_changed(self) -> None:
        assert self.wiz.table is not None and self.wiz.mapping is not None
        kind = self.kind_combo.currentData()
        fresh = detect_mapping(self.wiz.table.headers, kind)
        fresh.day_first = self.wiz.mapping.day_first
        fresh.default_currency = self.wiz.mapping.default_currency
        self.wiz.mapping = fresh
        self._build(fresh)

    def _build(self, mapping: Mapping) -> None:
        assert self.wiz.table is not None
        while self.form.rowCount():
            self.form.removeRow(0)
        self.combos.clear()
        for spec in FIELDS[mapping.kind]:
            combo = QComboBox()
            combo.addItem(NOT_IMPORTED, None)
            for header in self.wiz.table.headers:
                combo.addItem(header, header)
            combo.setCurrentIndex(max(0, combo.findData(mapping.columns.get(spec.key))))
            combo.currentIndexChanged.connect(self.completeChanged)
            label = spec.label + (" *" if spec.required else "")
            self.form.addRow(label, combo)
            self.combos[spec.key] = combo
        self.completeChanged.emit()

    def current_mapping(self) -> Mapping:
        """The mapping as the combos now say."""
        assert self.wiz.mapping is not None
        columns = {key: c.currentData() for key, c in self.combos.items() if c.currentData()}
        mapping = Mapping(self.kind_combo.currentData(), columns)
        mapping.day_first = self.wiz.mapping.day_first
        mapping.default_currency = self.wiz.mapping.default_currency
        mapping.renewal_deals = self.wiz.mapping.renewal_deals
        return mapping

    def isComplete(self) -> bool:
        missing = self.current_mapping().missing_required()
        self.error.setText(f"Still to map: {', '.join(missing)}." if missing else "")
        return not missing

    def _save_in_workspace(self) -> None:
        name = import_support.ask_text(self, "Save mapping", "Name for this mapping:")
        if not name.strip():
            return
        with self.wiz.ctx.store.session() as session:
            save_workspace_mapping(session, name.strip(), self.current_mapping())

    def _save_to_file(self) -> None:
        path = import_support.ask_save_file(self, "Save mapping", "mapping.json")
        if path:
            save_mapping(self.current_mapping(), path)

    def validatePage(self) -> bool:
        self.wiz.mapping = self.current_mapping()
        return True


class MatchPage(WizardPage):
    """How rows find the records already in the workspace."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(
            wizard,
            "Match existing records",
            "A row that matches a record updates it; the others create new ones.",
        )
        self.group = QButtonGroup(self)
        layout = QVBoxLayout(self)
        self.buttons: dict[Match, QRadioButton] = {}
        for index, match in enumerate(MATCHES):
            button = QRadioButton(MATCH_LABELS[match])
            self.group.addButton(button, index)
            self.buttons[match] = button
            layout.addWidget(button)
        self.buttons["auto"].setChecked(True)
        self.renewal_box = QCheckBox(RENEWAL_DEALS_LABEL)
        self.renewal_box.setObjectName("renewal_deals")
        self.renewal_box.setToolTip(
            "A deal typed as a renewal (Salesforce 'Existing Customer - Renewal', HubSpot or "
            "Zoho 'Existing Business', a renewals pipeline) becomes a contract renewing on its "
            "close date, worth its amount, with its forecast, or its outcome once closed."
        )
        layout.addSpacing(12)
        layout.addWidget(self.renewal_box)
        layout.addStretch(1)

    def _deal_mappings(self) -> list[Mapping]:
        """The mappings of the files being imported that hold deals."""
        if self.wiz.export is not None:
            found = [entry.mapping for entry in self.wiz.export.to_import]
        else:
            found = [self.wiz.mapping]
        return [m for m in found if m is not None and m.kind == "opportunities"]

    def initializePage(self) -> None:
        deals = self._deal_mappings()
        self.renewal_box.setVisible(bool(deals))
        self.renewal_box.setChecked(any(m.renewal_deals == "contracts" for m in deals))

    def validatePage(self) -> bool:
        self.wiz.match = MATCHES[self.group.checkedId()]
        choice: RenewalDeals = "contracts" if self.renewal_box.isChecked() else "opportunities"
        for mapping in self._deal_mappings():
            mapping.renewal_deals = choice
        return True
