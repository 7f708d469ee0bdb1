"""The import wizard's page for a whole export: each file with its detected kind, editable."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QComboBox, QLabel, QVBoxLayout, QWidget

from app.imports.detection import describe_guess
from app.imports.export_set import ExportFile
from app.imports.fields import Kind
from app.views.import_file_pages import KIND_LABELS, error_label, scrolling_form
from app.views.import_support import WizardPage

if TYPE_CHECKING:
    from app.views.import_wizard import ImportWizard

#: What a file of an export can be taken as, in the order offered (users first: they name
#: the owners of the rest), with the wizard's labels.
EXPORT_KINDS: dict[Kind, str] = {"users": KIND_LABELS["users"], **KIND_LABELS}
LEAVE_OUT = "Leave out"
CHOOSE = "Choose what this file holds…"


class ExportPage(WizardPage):
    """One row per file of the folder or .zip: what it is taken as, and why."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(
            wizard,
            "Files in the export",
            "Each file's kind is detected from its name and columns. They go in together, "
            "accounts before the contacts and deals that refer to them.",
        )
        self.combos: dict[str, QComboBox] = {}
        scroll, self.form = scrolling_form()
        self.error = error_label()
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.error)

    def initializePage(self) -> None:
        export = self.wiz.export
        assert export is not None
        while self.form.rowCount():
            self.form.removeRow(0)
        self.combos.clear()
        for entry in export.files:
            combo = QComboBox()
            combo.setObjectName(f"kind_{entry.name}")
            combo.setAccessibleName(f"What {entry.name} holds")
            if entry.candidates:
                combo.addItem(CHOOSE, "")
            for kind, label in EXPORT_KINDS.items():
                combo.addItem(label, kind)
            combo.addItem(LEAVE_OUT, None)
            if entry.mapping is not None and not entry.candidates:
                combo.setCurrentIndex(combo.findData(entry.mapping.kind))
            elif entry.skipped is not None or entry.table is None:
                combo.setCurrentIndex(combo.findData(None))
            combo.setEnabled(entry.table is not None)
            combo.currentIndexChanged.connect(self.completeChanged)
            note = QLabel(_why(entry))
            note.setWordWrap(True)
            note.setStyleSheet("color: palette(mid);")
            cell = QWidget()
            column = QVBoxLayout(cell)
            column.setContentsMargins(0, 0, 0, 4)
            column.addWidget(combo)
            column.addWidget(note)
            self.form.addRow(entry.name, cell)
            self.combos[entry.name] = combo
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        undecided = [name for name, combo in self.combos.items() if combo.currentData() == ""]
        chosen = [c for c in self.combos.values() if c.currentData() not in (None, "")]
        if undecided:
            self.error.setText(
                f"The columns of {', '.join(undecided)} fit more than one kind: choose what "
                "each holds, or leave it out."
            )
        elif not chosen:
            self.error.setText("Nothing to import: take at least one file as something to import.")
        else:
            self.error.clear()
        return not undecided and bool(chosen)

    def validatePage(self) -> bool:
        export = self.wiz.export
        assert export is not None
        for entry in export.files:
            kind = self.combos[entry.name].currentData()
            if kind is None:
                if entry.skipped is None:
                    entry.skipped = "left out by you"
                entry.mapping = None
                entry.candidates = []
            elif entry.mapping is None or entry.mapping.kind != kind or entry.candidates:
                entry.choose(kind)
        return True

    def nextId(self) -> int:
        return self.wiz.match_page_id


def _why(entry: ExportFile) -> str:
    if entry.candidates:
        return "Fits " + "; or ".join(describe_guess(m) for m in entry.candidates) + "."
    if entry.skipped is not None:
        return f"Left out: {entry.skipped}."
    if entry.mapping is not None:
        return f"Detected {describe_guess(entry.mapping)}."
    return ""
