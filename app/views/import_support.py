"""What the import wizard leans on: the preview model, the background run, and its questions."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QThread,
    Signal,
    Slot,
)
from PySide6.QtWidgets import QFileDialog, QInputDialog, QWidget, QWizardPage

from app.imports.commit import ImportOutcome, import_table
from app.imports.export_set import ExportOutcome, ExportSet, import_export
from app.imports.mapping import Mapping
from app.imports.plan_model import ImportCancelled, ImportPlan, Match
from app.imports.sources import ImportRefused, SourceRow, Table
from app.imports.values import clean_text
from app.models.store import Store
from app.views.dialogs import choose_save_path

if TYPE_CHECKING:
    from app.views.import_wizard import ImportWizard

Index = QModelIndex | QPersistentModelIndex
FILE_FILTER = "CRM exports (*.csv *.tsv *.txt *.xlsx *.xlsm *.zip);;All files (*)"


class WizardPage(QWizardPage):
    """A page of the import wizard: its title and subtitle, and the wizard it reads and fills."""

    def __init__(self, wizard: ImportWizard, title: str, subtitle: str = "") -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle(title)
        if subtitle:
            self.setSubTitle(subtitle)


# Modal questions, each behind a small function tests can replace.
def ask_open_file(parent: QWidget | None, title: str, file_filter: str = FILE_FILTER) -> str:
    """A file to open, or "" when the user cancels."""
    path, _ = QFileDialog.getOpenFileName(parent, title, "", file_filter)
    return path


def ask_save_file(
    parent: QWidget | None, title: str, suggested: str, file_filter: str = "Mappings (*.json)"
) -> str:
    """Where to save, or "" when the user cancels."""
    chosen = choose_save_path(parent, title, suggested, file_filter)
    return str(chosen) if chosen else ""


def ask_text(parent: QWidget | None, title: str, label: str, text: str = "") -> str:
    """One line of text, or "" when the user cancels."""
    value, ok = QInputDialog.getText(parent, title, label, text=text)
    return value if ok else ""


class PreviewModel(QAbstractTableModel):
    """The first rows of the file as read, headers as found: a plain snapshot."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._headers: list[str] = []
        self._rows: list[tuple[int, list[str]]] = []

    def set_table(self, headers: list[str], rows: list[SourceRow]) -> None:
        """Show ``rows`` (already read) under ``headers``."""
        self.beginResetModel()
        self._headers = list(headers)
        self._rows = [
            (row.number, [clean_text(c) or "" for c in row.cells[: len(headers)]]) for row in rows
        ]
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        _, cells = self._rows[index.row()]
        text = cells[index.column()] if index.column() < len(cells) else ""
        if role == Qt.ItemDataRole.DisplayRole:
            return text if len(text) <= 80 else text[:79] + "…"
        if role == Qt.ItemDataRole.ToolTipRole and len(text) > 80:
            return text[:2000]
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self._headers[section] if 0 <= section < len(self._headers) else None
        return str(self._rows[section][0]) if 0 <= section < len(self._rows) else None


class ImportRun(QObject):
    """Runs one dry run or commit on a worker thread; reports progress and the outcome.

    ``finished`` carries an ImportOutcome; ``failed`` one sentence (refused or cancelled).
    """

    progress = Signal(str, float)
    finished = Signal(object)
    failed = Signal(str)

    def __init__(
        self,
        store: Store,
        table: Table | None,
        mapping: Mapping | None,
        match: Match,
        *,
        dry_run: bool,
        before_commit: Callable[[], None] | None = None,
        skip_bad_rows: bool = False,
        export: ExportSet | None = None,
        overwrite_edits: bool = False,
    ) -> None:
        super().__init__()
        self._args = (store, table, mapping, match, dry_run, before_commit)
        self._skip_bad_rows = skip_bad_rows
        self._overwrite_edits = overwrite_edits
        self._export = export
        self._stop = threading.Event()
        self._thread = QThread()
        self.moveToThread(self._thread)
        self._thread.started.connect(self._run)
        self.finished.connect(self._thread.quit)
        self.failed.connect(self._thread.quit)

    def start(self) -> None:
        """Begin on the worker thread."""
        self._thread.start()

    def cancel(self) -> None:
        """Ask the run to stop at its next check; nothing is written when it does."""
        self._stop.set()

    def wait(self) -> None:
        """Block until the worker thread has ended (for closing the wizard)."""
        self._thread.quit()
        self._thread.wait()

    @Slot()
    def _run(self) -> None:
        store, table, mapping, match, dry_run, before_commit = self._args
        try:
            outcome: ImportOutcome | ExportOutcome
            if self._export is not None:
                outcome = import_export(
                    store,
                    self._export,
                    match=match,
                    dry_run=dry_run,
                    skip_bad_rows=self._skip_bad_rows,
                    overwrite_edits=self._overwrite_edits,
                    before_commit=before_commit,
                    progress=self.progress.emit,
                    cancel=self._stop.is_set,
                )
            else:
                assert table is not None and mapping is not None
                outcome = import_table(
                    store,
                    table,
                    mapping,
                    match=match,
                    dry_run=dry_run,
                    before_commit=before_commit,
                    progress=self.progress.emit,
                    cancel=self._stop.is_set,
                    skip_bad_rows=self._skip_bad_rows,
                    overwrite_edits=self._overwrite_edits,
                )
        except ImportCancelled:
            self.failed.emit("The import was cancelled; nothing was changed.")
        except ImportRefused as exc:
            self.failed.emit(str(exc))
        except Exception as exc:  # shown to the user, never a crash of the window
            self.failed.emit(f"The import failed ({exc}); nothing was changed.")
        else:
            self.finished.emit(outcome)


def plans_of(outcome: ImportOutcome | ExportOutcome) -> list[ImportPlan]:
    """The plan of a file, or the plans of every file of an export."""
    return outcome.plans if isinstance(outcome, ExportOutcome) else [outcome.plan]


def ask_open_folder(parent: QWidget | None, title: str) -> str:
    """A folder to open, or "" when the user cancels."""
    return QFileDialog.getExistingDirectory(parent, title, "")


def file_label(path: Path) -> str:
    """How a chosen file is named in the wizard."""
    return f"{path.name}  ({path.parent})"
