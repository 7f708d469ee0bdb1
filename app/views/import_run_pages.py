"""The import wizard's last pages: the dry run (what would happen), then the import itself."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
)

from app.imports.commit import ImportOutcome
from app.imports.export_set import ExportOutcome
from app.imports.fields import kind_words
from app.imports.plan_model import ImportPlan
from app.imports.report import issue_kinds, mapping_lines, write_rejects
from app.imports.sources import ImportRefused
from app.imports.undo import undo_import
from app.views import import_support
from app.views.dialogs import button_row
from app.views.import_support import ImportRun, WizardPage, plans_of

if TYPE_CHECKING:
    from app.views.import_wizard import ImportWizard


def _hidden_button(text: str, slot: Callable[[], None]) -> QPushButton:
    """A button shown only once it applies (after an import)."""
    button = QPushButton(text)
    button.setVisible(False)
    button.clicked.connect(slot)
    return button


#: How each kind of issue stands out in the list (a warning in the text's own colour).
_ISSUE_COLOURS = {"Error": Qt.GlobalColor.darkRed, "Conflict": Qt.GlobalColor.darkYellow}


class _RunPage(WizardPage):
    """A page that runs the import on a worker thread with a progress bar and Cancel."""

    dry_run = True

    def __init__(self, wizard: ImportWizard, title: str, subtitle: str = "") -> None:
        super().__init__(wizard, title, subtitle)
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
        #: The page's column; the pages below add their own controls at its foot.
        self.column = QVBoxLayout(self)
        self.column.addLayout(row)
        self.column.addWidget(self.summary)
        self.column.addWidget(self.issues, 1)
        self.column.addStretch(0)  # takes the room while the list is hidden

    def initializePage(self) -> None:
        table, mapping, export = self.wiz.table, self.wiz.mapping, self.wiz.export
        assert export is not None or (table is not None and mapping is not None)
        self.outcome = None
        self.issues.clear()
        self.issues.setVisible(False)  # an empty white box read as something missing
        self.summary.setText("Reading the file…")
        self.bar.setValue(0)
        self.cancel_button.setEnabled(True)
        self.cancel_button.setVisible(True)
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

    def _stopped(self) -> None:
        """The run is over: nothing is left to cancel, so no Cancel is offered."""
        self.cancel_button.setEnabled(False)
        self.cancel_button.setVisible(False)

    def _failed(self, message: str) -> None:
        self._stopped()
        self.summary.setText(message)
        self.completeChanged.emit()

    def _finished(self, outcome: ImportOutcome | ExportOutcome) -> None:
        self.outcome = outcome
        self._stopped()
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
                f"{plan.file_name} as {kind_words(plan.kind)}: {plan.summary(done=done)}."
                for plan in plans
            )
        )
        several = len(plans) > 1
        for plan in plans:
            add = partial(self._add_issue, f"{plan.file_name}: " if several else "")
            for note in plan.notes:
                add(note)
            for word, issues in issue_kinds(plan):
                for issue in issues:
                    add(f"{word}, {issue}", _ISSUE_COLOURS.get(word))
            for row, name, fields in plan.changed:
                add(f"Update, {f'row {row}, ' if row else ''}{name}: {', '.join(fields)}")
            if self.dry_run:
                for line in mapping_lines(plan):
                    add(line.strip(), Qt.GlobalColor.darkGray)

    def _add_issue(self, prefix: str, text: str, colour: Qt.GlobalColor | None = None) -> None:
        item = QListWidgetItem(f"{prefix}{text}")
        if colour is not None:
            item.setForeground(colour)
        self.issues.addItem(item)
        self.issues.setVisible(True)


#: The check page's subtitle while it checks and once the file is fine, and once it is not.
CHECKING = "Nothing is written yet."
FIX_FIRST = "Nothing is written yet. Fix the errors in the file, then try again."


class DryRunPage(_RunPage):
    """What the import would do, with every error by row; Next only when there are none."""

    dry_run = True

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard, "Check", CHECKING)

        self.skip_box = QCheckBox("Import the good rows and leave out the rows with errors")
        self.skip_box.setVisible(False)
        self.skip_box.toggled.connect(self._skip_toggled)
        self.overwrite_box = QCheckBox(
            "Take the file's values for records edited in Fieldbook since the last import"
        )
        self.overwrite_box.setVisible(False)
        self.overwrite_box.toggled.connect(self._overwrite_toggled)
        self.column.addWidget(self.skip_box)
        self.column.addWidget(self.overwrite_box)

    def initializePage(self) -> None:
        self.skip_box.setChecked(False)
        self.skip_box.setVisible(False)
        self.overwrite_box.setChecked(False)
        self.overwrite_box.setVisible(False)
        self.setSubTitle(CHECKING)
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
        # Only a file with errors is told to fix them (a clean one was told so too).
        self.setSubTitle(FIX_FIRST)
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
        super().__init__(wizard, "Import")
        self.setFinalPage(True)
        self.undo_button = _hidden_button("Undo this import", self.undo)
        self.rejects_button = _hidden_button("Save the rows left out…", self.save_rejects)
        self.column.addLayout(button_row(self.rejects_button, right=[self.undo_button]))

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
