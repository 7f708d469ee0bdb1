"""File > Import: pick a file, check the preview, map columns, dry run, then commit whole."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from app.imports.commit import ImportOutcome, undo_import
from app.imports.export_set import ExportOutcome, ExportSet, open_export
from app.imports.mapping import (
    FIELDS,
    AmbiguousKind,
    Kind,
    Mapping,
    RenewalDeals,
    describe_guess,
    detect_mapping,
    load_mapping,
    save_mapping,
    save_workspace_mapping,
    workspace_mappings,
)
from app.imports.plan import MATCHES, ImportPlan, Match
from app.imports.report import mapping_lines, write_rejects
from app.imports.sources import ImportRefused, Table, open_table
from app.views import import_support
from app.views.context import AppContext
from app.views.import_export_page import ExportPage
from app.views.import_support import ImportRun, PreviewModel, plans_of

NOT_IMPORTED = "(not imported)"
RENEWAL_DEALS_LABEL = "Take renewal deals as contract renewals (a contract with its renewal)"
MATCH_LABELS: dict[Match, str] = {
    "auto": "Automatically: external id, else email, else name",
    "external_id": "By external id (CRM record id)",
    "email": "By email address",
    "name": "By name within the account",
}
KIND_LABELS: dict[Kind, str] = {
    "accounts": "Accounts",
    "contacts": "Contacts (stakeholders)",
    "opportunities": "Opportunities / deals",
    "contracts": "Contracts",
    "health": "Health snapshots",
    "activities": "Activities",
    "users": "Users (owner names)",
}


def _error_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet("color: #b3261e;")
    return label


class FilePage(QWizardPage):
    """Choose the file (or drop it), its sheet, and what its rows are."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle("Choose a file or a whole export")
        self.setSubTitle(
            "A CSV or Excel export from Salesforce, HubSpot, Dynamics 365, Pipedrive, Zoho or a "
            "sheet; or a whole export: its folder or .zip."
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
        self.error = _error_label()
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
                self.mapping_combo.addItem(f"{name} ({mapping.kind})", mapping)
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
        self.mapping_combo.insertItem(index, f"{Path(path).name} ({mapping.kind})", mapping)
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


class PreviewPage(QWizardPage):
    """The first rows as Fieldbook reads them, and the file's date order."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle("Preview")
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


class MappingPage(QWizardPage):
    """One row per Fieldbook field: which column feeds it. Auto-detected, editable, savable."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle("Map columns")
        self.kind_combo = QComboBox()
        for kind in KIND_LABELS:
            self.kind_combo.addItem(KIND_LABELS[kind], kind)
        self.kind_combo.activated.connect(self._kind_changed)
        self.combos: dict[str, QComboBox] = {}
        self.form_host = QWidget()
        self.form = QFormLayout(self.form_host)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form_host)
        save_here = QPushButton("Save in workspace…")
        save_here.clicked.connect(self._save_in_workspace)
        save_file = QPushButton("Save to file…")
        save_file.clicked.connect(self._save_to_file)
        self.error = _error_label()
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(save_here)
        buttons.addWidget(save_file)
        top = QFormLayout()
        top.addRow("Rows are:", self.kind_combo)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.error)
        layout.addLayout(buttons)

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


class MatchPage(QWizardPage):
    """How rows find the records already in the workspace."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle("Match existing records")
        self.setSubTitle("A row that matches a record updates it; the others create new ones.")
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


class _RunPage(QWizardPage):
    """A page that runs the import on a worker thread with a progress bar and Cancel."""

    dry_run = True

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.run: ImportRun | None = None
        self.outcome: ImportOutcome | ExportOutcome | None = None
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.cancel)
        row = QHBoxLayout()
        row.addWidget(self.bar, 1)
        row.addWidget(self.cancel_button)
        self.issues = QListWidget()
        self.issues.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.summary)
        layout.addWidget(self.issues, 1)

    def initializePage(self) -> None:
        table, mapping, export = self.wiz.table, self.wiz.mapping, self.wiz.export
        assert export is not None or (table is not None and mapping is not None)
        self.outcome = None
        self.issues.clear()
        self.summary.setText("Reading the file…")
        self.bar.setValue(0)
        self.cancel_button.setEnabled(True)
        self.run = ImportRun(
            self.wiz.ctx.store,
            table,
            mapping,
            self.wiz.match,
            dry_run=self.dry_run,
            before_commit=None if self.dry_run else self.wiz.before_commit,
            skip_bad_rows=self.wiz.skip_bad_rows and not self.dry_run,
            export=export,
            overwrite_edits=self.wiz.overwrite_edits,
        )
        self.run.progress.connect(self._progress)
        self.run.finished.connect(self._finished)
        self.run.failed.connect(self._failed)
        self.completeChanged.emit()
        self.run.start()

    def cancel(self) -> None:
        """Stop the run at its next check."""
        if self.run is not None:
            self.run.cancel()

    def cleanupPage(self) -> None:
        self.stop()

    def stop(self) -> None:
        """Cancel and wait for the worker (when leaving the page or closing)."""
        if self.run is not None:
            self.run.cancel()
            self.run.wait()

    def _progress(self, phase: str, fraction: float) -> None:
        self.bar.setValue(int(fraction * 1000))
        self.bar.setFormat(f"{phase} %p%")

    def _failed(self, message: str) -> None:
        self.cancel_button.setEnabled(False)
        self.summary.setText(message)
        self.completeChanged.emit()

    def _finished(self, outcome: ImportOutcome | ExportOutcome) -> None:
        self.outcome = outcome
        self.cancel_button.setEnabled(False)
        self.bar.setValue(1000)
        self.bar.setFormat("Done")
        self._show(plans_of(outcome))
        self.completeChanged.emit()

    def plans(self) -> list[ImportPlan]:
        """The plans the last run made (one per file)."""
        return [] if self.outcome is None else plans_of(self.outcome)

    def _show(self, plans: list[ImportPlan]) -> None:
        done = self.outcome is not None and self.outcome.committed
        self.summary.setText(
            " ".join(
                f"{plan.file_name} as {plan.kind}: {plan.summary(done=done)}." for plan in plans
            )
        )
        several = len(plans) > 1
        for plan in plans:
            prefix = f"{plan.file_name}: " if several else ""
            for note in plan.notes:
                self.issues.addItem(QListWidgetItem(f"{prefix}{note}"))
            for issue in plan.errors:
                item = QListWidgetItem(f"{prefix}Error, {issue}")
                item.setForeground(Qt.GlobalColor.darkRed)
                self.issues.addItem(item)
            for issue in plan.warnings:
                self.issues.addItem(QListWidgetItem(f"{prefix}Warning, {issue}"))
            for issue in plan.conflicts:
                item = QListWidgetItem(f"{prefix}Edited in Fieldbook, {issue}")
                item.setForeground(Qt.GlobalColor.darkYellow)
                self.issues.addItem(item)
            for row, name, fields in plan.changed:
                self.issues.addItem(
                    QListWidgetItem(
                        f"{prefix}Update, {f'row {row}, ' if row else ''}{name}: "
                        f"{', '.join(fields)}"
                    )
                )
            if self.dry_run:
                for line in mapping_lines(plan):
                    item = QListWidgetItem(f"{prefix}{line.strip()}")
                    item.setForeground(Qt.GlobalColor.darkGray)
                    self.issues.addItem(item)


class DryRunPage(_RunPage):
    """What the import would do, with every error by row; Next only when there are none."""

    dry_run = True

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.setTitle("Check")
        self.setSubTitle("Nothing is written yet. Fix the errors in the file, then try again.")

        self.skip_box = QCheckBox("Import the good rows and leave out the rows with errors")
        self.skip_box.setVisible(False)
        self.skip_box.toggled.connect(self._skip_toggled)
        self.overwrite_box = QCheckBox(
            "Take the file's values for records edited in Fieldbook since the last import"
        )
        self.overwrite_box.setVisible(False)
        self.overwrite_box.toggled.connect(self._overwrite_toggled)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.addWidget(self.skip_box)
        layout.addWidget(self.overwrite_box)

    def initializePage(self) -> None:
        self.skip_box.setChecked(False)
        self.skip_box.setVisible(False)
        self.overwrite_box.setChecked(False)
        self.overwrite_box.setVisible(False)
        super().initializePage()

    def _overwrite_toggled(self, checked: bool) -> None:
        self.wiz.overwrite_edits = checked

    def _skip_toggled(self, checked: bool) -> None:
        self.wiz.skip_bad_rows = checked
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        plans = self.plans()
        if not plans:
            return False
        if all(plan.ok for plan in plans):
            return True
        only_rows = all(issue.row > 0 for plan in plans for issue in plan.errors)
        return only_rows and self.skip_box.isChecked()

    def _show(self, plans: list[ImportPlan]) -> None:
        super()._show(plans)
        conflicts = sum(len(plan.conflicts) for plan in plans)
        if conflicts:
            self.overwrite_box.setText(
                f"Take the file's values for the {conflicts:,} record"
                f"{'s' if conflicts != 1 else ''} edited in Fieldbook since the last import "
                "(otherwise they are kept)"
            )
            self.overwrite_box.setVisible(True)
        if all(plan.ok for plan in plans):
            self.summary.setText(self.summary.text() + " Press Import to write it, all at once.")
            return
        self.summary.setText(self.summary.text() + " Nothing can be imported until fixed.")
        if all(issue.row > 0 for plan in plans for issue in plan.errors):
            bad = sum(len(plan.rejected_rows) for plan in plans)
            self.skip_box.setText(
                f"Import the good rows and leave out the {bad:,} "
                f"row{'s' if bad != 1 else ''} with errors"
            )
            self.skip_box.setVisible(True)


class CommitPage(_RunPage):
    """The import itself, in one transaction; cancel leaves the workspace as it was."""

    dry_run = False

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.setTitle("Import")
        self.setFinalPage(True)
        self.undo_button = QPushButton("Undo this import")
        self.undo_button.setVisible(False)
        self.undo_button.clicked.connect(self.undo)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.undo_button)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.addLayout(row)

        self.rejects_button = QPushButton("Save the rows left out…")
        self.rejects_button.setVisible(False)
        self.rejects_button.clicked.connect(self.save_rejects)
        row.insertWidget(0, self.rejects_button)

    def initializePage(self) -> None:
        self.undo_button.setVisible(False)
        self.rejects_button.setVisible(False)
        super().initializePage()

    def nextId(self) -> int:
        return -1

    def isComplete(self) -> bool:
        return self.run is not None and not self.cancel_button.isEnabled()

    def save_rejects(self) -> None:
        """Write the rows left out, with their reasons, where the user says."""
        plans = self.plans()
        if self.wiz.table is None or not plans:
            return
        path = import_support.ask_save_file(
            self, "Save the rows left out", f"{self.wiz.table.path.stem}-rejects.csv", "CSV (*.csv)"
        )
        if path:
            count = write_rejects(self.wiz.table, plans[0], path)
            self.summary.setText(f"Saved the {count:,} rows left out to {Path(path).name}.")

    def undo(self) -> None:
        """Take the whole import back out of the workspace."""
        if self.wiz.batch_id is None:
            return
        try:
            record = undo_import(self.wiz.ctx.store, self.wiz.batch_id)
        except ImportRefused as exc:
            self.summary.setText(str(exc))
            return
        self.undo_button.setEnabled(False)
        self.summary.setText(f"The import of {record.file_name} was undone.")

    def _finished(self, outcome: ImportOutcome | ExportOutcome) -> None:
        super()._finished(outcome)
        plans = plans_of(outcome)
        if outcome.committed:
            self.summary.setText(
                "Imported " + " ".join(f"{p.file_name}: {p.summary(done=True)}." for p in plans)
            )
            self.wiz.batch_id = outcome.batch_id
            self.undo_button.setVisible(True)
            self.undo_button.setEnabled(True)
            self.rejects_button.setVisible(
                self.wiz.table is not None and bool(plans[0].rejected_rows)
            )
        elif all(plan.ok for plan in plans):
            self.summary.setText("Nothing changed: the workspace already holds these records.")
        else:
            self.summary.setText("Nothing was imported: the file changed since the check.")


class ImportWizard(QWizard):
    """The import wizard over one open workspace; accepts a file dropped on it."""

    def __init__(
        self,
        ctx: AppContext,
        parent: QWidget | None = None,
        *,
        before_commit: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.before_commit = before_commit
        self.table: Table | None = None
        self.mapping: Mapping | None = None
        self.preview_rows: list = []  # type: ignore[type-arg]
        self.match: Match = "auto"
        self.batch_id: str | None = None
        #: A whole export (folder or .zip) instead of one file.
        self.export: ExportSet | None = None
        self.skip_bad_rows = False
        self.overwrite_edits = False
        self.setWindowTitle("Import")
        self.setAcceptDrops(True)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.file_page = FilePage(self)
        self.preview_page = PreviewPage(self)
        self.mapping_page = MappingPage(self)
        self.match_page = MatchPage(self)
        self.dry_run_page = DryRunPage(self)
        self.commit_page = CommitPage(self)
        for page in (
            self.file_page,
            self.preview_page,
            self.mapping_page,
            self.match_page,
            self.dry_run_page,
            self.commit_page,
        ):
            self.addPage(page)
        self.export_page = ExportPage(self)
        self.export_page_id = self.addPage(self.export_page)
        self.match_page_id = self.pageIds()[3]
        self.dry_run_page.setButtonText(QWizard.WizardButton.NextButton, "Import")
        self.resize(760, 560)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and self.currentPage() is self.file_page:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        urls = [u for u in event.mimeData().urls() if u.isLocalFile()]
        if urls:
            self.file_page.set_path(urls[0].toLocalFile())
            event.acceptProposedAction()

    def close_export(self) -> None:
        """Remove what opening a .zip unpacked."""
        if self.export is not None:
            self.export.close()
            self.export = None

    def done(self, result: int) -> None:
        for page in (self.dry_run_page, self.commit_page):
            page.stop()
        self.close_export()
        super().done(result)


def run_import_wizard(
    ctx: AppContext,
    parent: QWidget | None = None,
    path: str | Path | None = None,
    *,
    before_commit: Callable[[], None] | None = None,
) -> ImportWizard:
    """Open the import wizard (non-modal) on ``ctx``'s workspace, with ``path`` chosen."""
    wizard = ImportWizard(ctx, parent, before_commit=before_commit)
    wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    if path is not None:
        wizard.file_page.set_path(str(path))
    wizard.show()
    return wizard
