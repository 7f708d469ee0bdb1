"""The import wizard's first pages: the file (or a whole export) to import, and its preview."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.imports.detection import AmbiguousKind, describe_guess, detect_mapping
from app.imports.export_set import open_export
from app.imports.fields import Kind, kind_words
from app.imports.mapping import Mapping, load_mapping, workspace_mappings
from app.imports.sources import ImportRefused, open_table
from app.imports.vocabulary import SOURCES_IN_WORDS
from app.services.labels import records_label
from app.views import import_support
from app.views.import_support import PreviewModel, WizardPage

if TYPE_CHECKING:
    from app.views.import_wizard import ImportWizard


KIND_LABELS: dict[Kind, str] = {
    "accounts": "Accounts",
    "contacts": "Contacts (stakeholders)",
    "opportunities": "Opportunities / deals",
    "contracts": "Contracts",
    "health": "Health snapshots",
    "activities": records_label("activity"),  # touchpoints, as the account's tab says
    "users": "Users (owner names)",
}


def error_label() -> QLabel:
    """A label for a one-sentence refusal beside the field, in the error colour."""
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet("color: #b3261e;")
    return label


def scrolling_form() -> tuple[QScrollArea, QFormLayout]:
    """A form (one row per field or file) in an area that scrolls when the rows outgrow it."""
    host = QWidget()
    form = QFormLayout(host)
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setWidget(host)
    return scroll, form


class FilePage(WizardPage):
    """Choose the file (or drop it), its sheet, and what its rows are."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(
            wizard,
            "Choose a file or a whole export",
            f"A CSV or Excel export from {SOURCES_IN_WORDS}, or a sheet; or a whole export: "
            "its folder or .zip.",
        )
        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText("Drop a file, folder or .zip here, or browse")
        self.path_edit.editingFinished.connect(self._path_changed)
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        browse_folder = QPushButton("Folder…")
        browse_folder.setToolTip("Import every file of an export folder at once")
        browse_folder.clicked.connect(self._browse_folder)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        row.addWidget(browse_folder)
        self.sheet_combo = QComboBox()
        self.sheet_combo.setEnabled(False)
        self.kind_combo = QComboBox()
        self.kind_combo.addItem("Detect from the headers", None)
        for kind in KIND_LABELS:
            self.kind_combo.addItem(KIND_LABELS[kind], kind)
        self.mapping_combo = QComboBox()
        self.mapping_combo.activated.connect(self._mapping_chosen)
        self.error = error_label()
        form = QFormLayout()
        form.addRow("File:", row)
        form.addRow("Sheet:", self.sheet_combo)
        form.addRow("Rows are:", self.kind_combo)
        form.addRow("Saved mapping:", self.mapping_combo)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addStretch(1)

    def initializePage(self) -> None:
        self.mapping_combo.clear()
        self.mapping_combo.addItem("None: map columns automatically", None)
        with self.wiz.ctx.store.read() as session:
            for name, mapping in sorted(workspace_mappings(session).items()):
                self.mapping_combo.addItem(f"{name} ({kind_words(mapping.kind)})", mapping)
        self.mapping_combo.addItem("From a file…", "file")

    def _mapping_chosen(self, index: int) -> None:
        if self.mapping_combo.itemData(index) != "file":
            return
        path = import_support.ask_open_file(self, "Open a mapping", "Mappings (*.json)")
        if not path:
            self.mapping_combo.setCurrentIndex(0)
            return
        try:
            mapping = load_mapping(path)
        except ImportRefused as exc:
            self.error.setText(str(exc))
            self.mapping_combo.setCurrentIndex(0)
            return
        shown = f"{Path(path).name} ({kind_words(mapping.kind)})"
        self.mapping_combo.insertItem(index, shown, mapping)
        self.mapping_combo.setCurrentIndex(index)

    def _browse(self) -> None:
        path = import_support.ask_open_file(self, "Import a file")
        if path:
            self.set_path(path)

    def _browse_folder(self) -> None:
        path = import_support.ask_open_folder(self, "Import a whole export folder")
        if path:
            self.set_path(path)

    def _is_export(self) -> bool:
        path = Path(self.path_edit.text().strip())
        return path.is_dir() or path.suffix.lower() == ".zip"

    def nextId(self) -> int:
        if self.wiz.export is not None:
            return self.wiz.export_page_id
        return super().nextId()

    def set_path(self, path: str) -> None:
        """Show ``path`` and offer its sheets."""
        self.path_edit.setText(path)
        self._path_changed()

    def _path_changed(self) -> None:
        self.error.clear()
        self.sheet_combo.clear()
        path = Path(self.path_edit.text().strip())
        is_book = path.suffix.lower() in {".xlsx", ".xlsm"}
        self.sheet_combo.setEnabled(is_book)
        if is_book and path.is_file():
            from app.imports.xlsx import sheet_names

            try:
                self.sheet_combo.addItems(sheet_names(path))
            except ImportRefused as exc:
                self.error.setText(str(exc))
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return bool(self.path_edit.text().strip())

    def validatePage(self) -> bool:
        self.wiz.close_export()
        if self._is_export():
            try:
                self.wiz.export = open_export(self.path_edit.text().strip())
            except ImportRefused as exc:
                self.error.setText(str(exc))
                return False
            return True
        sheet = self.sheet_combo.currentText() if self.sheet_combo.isEnabled() else None
        try:
            table = open_table(self.path_edit.text().strip(), sheet=sheet or None)
            chosen = self.mapping_combo.currentData()
            kind = self.kind_combo.currentData()
            if isinstance(chosen, Mapping):
                mapping = Mapping(chosen.kind, dict(chosen.columns), chosen.default_currency)
                mapping.day_first = chosen.day_first
                mapping.renewal_deals = chosen.renewal_deals
                mapping.check_against(table.headers, table.path.name)
            else:
                mapping = detect_mapping(table.headers, kind)
            preview = table.preview(50)
        except AmbiguousKind as exc:
            shown = "; or ".join(describe_guess(m) for m in exc.candidates)
            self.error.setText(
                f"The columns fit more than one kind ({shown}): choose what the rows are above."
            )
            return False
        except ImportRefused as exc:
            self.error.setText(str(exc))
            return False
        self.wiz.table, self.wiz.mapping, self.wiz.preview_rows = table, mapping, preview
        return True


class PreviewPage(WizardPage):
    """The first rows as Fieldbook reads them, and the file's date order."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard, "Preview")
        self.model = PreviewModel(self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setWordWrap(False)
        self.described = QLabel()
        self.order_combo = QComboBox()
        self.order_combo.addItem("Detect from the file", None)
        self.order_combo.addItem("Day first (31/12/2024)", True)
        self.order_combo.addItem("Month first (12/31/2024)", False)
        form = QFormLayout()
        form.addRow("Dates like 03/04/2024 are:", self.order_combo)
        layout = QVBoxLayout(self)
        layout.addWidget(self.described)
        layout.addWidget(self.view, 1)
        layout.addLayout(form)

    def initializePage(self) -> None:
        table, mapping = self.wiz.table, self.wiz.mapping
        assert table is not None and mapping is not None
        self.model.set_table(table.headers, self.wiz.preview_rows)
        self.view.resizeColumnsToContents()
        self.described.setText(
            f"{table.path.name}: {table.described_as}; header on row {table.header_row}."
        )
        self.order_combo.setCurrentIndex(self.order_combo.findData(mapping.day_first))

    def validatePage(self) -> bool:
        assert self.wiz.mapping is not None
        self.wiz.mapping.day_first = self.order_combo.currentData()
        return True
