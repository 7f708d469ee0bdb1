"""File > Import: pick a file, check the preview, map columns, dry run, then commit whole.

The wizard and its flow; its pages are ``import_file_pages`` (file, preview),
``import_mapping_pages`` (columns, matching), ``import_run_pages`` (dry run, import) and
``import_export_page`` (the files of a whole export).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QWidget, QWizard

from app.imports.export_set import ExportSet
from app.imports.mapping import Mapping
from app.imports.plan_model import Match
from app.imports.sources import SourceRow, Table
from app.views.context import AppContext
from app.views.import_export_page import ExportPage
from app.views.import_file_pages import FilePage, PreviewPage
from app.views.import_mapping_pages import MappingPage, MatchPage
from app.views.import_run_pages import CommitPage, DryRunPage


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
        self.preview_rows: list[SourceRow] = []
        self.match: Match = "auto"
        self.batch_id: str | None = None
        #: A whole export (folder or .zip) instead of one file.
        self.export: ExportSet | None = None
        self.skip_bad_rows = False
        self.overwrite_edits = False
        self.setWindowTitle("Import")
        self.setAcceptDrops(True)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        # Once imported, Cancel would read as taking it back (Undo this import does that).
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
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
