"""One-click exports for the GUI: ask where, run off the UI thread, then Open / Show in folder.

The main window opens ``app.views.qbr_export_dialog`` for a QBR (toolbar, account context
menu, account workspace) and calls ``export_report_interactive`` (File > Export report).
The work itself is the Qt-free ``app.exports`` code; this module only asks, shows progress
and offers the result.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QThread, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.exports.qbr_data import Audience, QbrContent, QbrRequest
from app.exports.safety import ExportError, ExportResult
from app.views.context import AppContext
from app.views.dialogs import choose_save_path
from app.views.settings import WindowSettings

Progress = Callable[[int, int, str], None]
Job = Callable[[Progress], ExportResult]

#: Where to save an export; None when the user cancels. Tests replace this (the QBR dialog
#: asks through it too).
ask_save_path = choose_save_path


def ask_folder(parent: QWidget | None, title: str, suggested: Path) -> Path | None:
    """Ask for a folder; None when the user cancels. Tests replace this function."""
    name = QFileDialog.getExistingDirectory(parent, title, str(suggested))
    return Path(name) if name else None


def open_path(path: Path) -> None:
    """Open a file or folder with the desktop's default program. Tests replace this."""
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def qbr_template() -> Path | None:
    """The user's own QBR template chosen in settings, when it still exists."""
    return WindowSettings().qbr_template


def last_folder() -> Path:
    """The folder exports last went to (home when gone)."""
    return WindowSettings().last_folder


class ExportWorker(QObject):
    """Runs one export job on a worker thread and reports back with signals."""

    progress = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(str)

    def __init__(self, job: Job) -> None:
        super().__init__()
        self._job = job

    @Slot()
    def run(self) -> None:
        try:
            result = self._job(self.progress.emit)
        except ExportError as exc:
            self.failed.emit(str(exc))
        except Exception as exc:  # the dialog must always end, whatever went wrong
            self.failed.emit(f"The export failed: {exc}.")
        else:
            self.succeeded.emit(result)


class ExportDialog(QDialog):
    """Progress while an export runs; then Open / Show in folder, or the error in one line."""

    def __init__(self, title: str, target: Path, job: Job, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(420)
        self.target = target
        #: What the export wrote, once done (``result()`` stays QDialog's: how it was closed).
        self.exported: ExportResult | None = None
        self.status = QLabel(f"Writing {target.name}…")
        self.status.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)
        self.notes = QLabel("")
        self.notes.setWordWrap(True)
        self.notes.hide()
        buttons = QDialogButtonBox()
        self.open_button = QPushButton("Open")
        self.folder_button = QPushButton("Show in folder")
        self.close_button = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        for button in (self.open_button, self.folder_button):
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
            button.setEnabled(False)
        self.close_button.setEnabled(False)
        self.open_button.clicked.connect(lambda: open_path(self.target))
        self.folder_button.clicked.connect(
            lambda: open_path(self.target if self.target.is_dir() else self.target.parent)
        )
        self.close_button.clicked.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        for widget in (self.status, self.bar, self.notes, buttons):
            layout.addWidget(widget)

        self._thread = QThread(self)
        self._worker = ExportWorker(job)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.progress.connect(self._on_progress)
        self._worker.succeeded.connect(self._on_success)
        self._worker.failed.connect(self._on_failure)
        self._thread.start()

    def _fit_height(self) -> None:
        """Grow to show every wrapped line of the notes (the dialog was sized before them)."""
        layout = self.layout()
        assert layout is not None  # built in __init__
        layout.activate()
        needed = layout.totalHeightForWidth(self.width())
        if needed > self.height():
            self.resize(self.width(), needed)

    @Slot(int, int, str)
    def _on_progress(self, done: int, total: int, what: str) -> None:
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)
        self.status.setText(what)

    @Slot(object)
    def _on_success(self, result: ExportResult) -> None:
        self._finish_thread()
        self.exported = result
        folder = self.target if self.target.is_dir() else self.target.parent
        self.bar.setRange(0, 1)
        self.bar.setValue(1)
        if self.target.is_dir():  # a batch: its parts are the files it wrote there
            count = len(result.parts)
            saved = f"{count} file{'s' if count != 1 else ''} in {self.target}"
        else:
            saved = f"{self.target.name} in {self.target.parent}"
        self.status.setText(f"Saved {saved}.")
        if result.notes:
            self.notes.setText("\n".join(result.notes))
            self.notes.show()
            self._fit_height()
        for button in (self.open_button, self.folder_button, self.close_button):
            button.setEnabled(True)
        self.open_button.setDefault(True)
        WindowSettings().last_folder = folder

    @Slot(str)
    def _on_failure(self, message: str) -> None:
        self._finish_thread()
        self.bar.setRange(0, 1)
        self.bar.setValue(0)
        self.status.setText(message)
        self.close_button.setEnabled(True)

    def _finish_thread(self) -> None:
        # The worker has returned; stop its event loop and join it before touching results.
        self._thread.quit()
        self._thread.wait()

    def done(self, code: int) -> None:
        """Never close while the worker still writes."""
        if self._thread.isRunning():
            return
        super().done(code)


def qbr_job(
    ctx: AppContext, request: QbrRequest, out: Path, facts: QbrContent | None = None
) -> Job:
    """The Qt-free work of one QBR export, with progress steps: the path the CLI takes
    (gather once, unless the review step already did; present; write)."""

    def run(progress: Progress) -> ExportResult:
        from app.exports.qbr import gather, present, write_qbr

        progress(0, 3, "Reading the account")
        gathered = facts if facts is not None else gather(ctx.store, request)
        kind = "deck" if out.suffix.lower() == ".pptx" else "brief"
        progress(1, 3, f"Building the {kind}")
        content = present(gathered, request.audience, request.leave_out, out.suffix)
        result = write_qbr(content, out, request)
        progress(3, 3, "Done")
        return result

    return run


def report_job(ctx: AppContext, out: Path, owner: str | None = None) -> Job:
    """The Qt-free work of the portfolio report."""

    def run(progress: Progress) -> ExportResult:
        from app.exports.portfolio_report import export_report

        return export_report(ctx.store, out, owner=owner, today=ctx.today, progress=progress)

    return run


def export_report_interactive(
    ctx: AppContext, parent: QWidget | None, owner: str | None = None
) -> ExportDialog | None:
    """Ask where to save the portfolio report, then export it with progress."""
    from app.exports.safety import check_output_path

    suggested = last_folder() / f"Portfolio report {ctx.today.isoformat()}.xlsx"
    out = ask_save_path(parent, "Export the portfolio report", suggested, "Excel workbook (*.xlsx)")
    if out is None:
        return None
    if out.suffix.lower() != ".xlsx":
        out = out.with_name(out.name + ".xlsx")
    job: Job
    try:
        out = check_output_path(out, (".xlsx",))
        job = report_job(ctx, out, owner)
    except ExportError as exc:
        message = str(exc)

        def job(_progress: Progress) -> ExportResult:
            raise ExportError(message)

    dialog = ExportDialog("Portfolio report", out, job, parent)
    dialog.show()
    return dialog


def export_qbr_batch_interactive(
    ctx: AppContext,
    parent: QWidget | None,
    account_ids: list[str] | None = None,
    owner: str | None = None,
    audience: Audience = Audience.CUSTOMER,
    suffix: str = ".pptx",
) -> ExportDialog | None:
    """Ask for a folder, then write one QBR per selected account (or per owner's account).

    A failure on one account is listed in the dialog; the others are still written.
    """
    folder = ask_folder(parent, "Export QBR decks into", last_folder())
    if folder is None:
        return None
    template = qbr_template()

    def run(progress: Progress) -> ExportResult:
        from app.exports.qbr_batch import export_qbr_batch

        outcome = export_qbr_batch(
            ctx.store,
            folder,
            owner=owner,
            account_ids=account_ids,
            suffix=suffix,
            audience=audience,
            template=template,
            today=ctx.today,
            progress=progress,
        )
        return outcome.result(folder)

    dialog = ExportDialog("QBR decks", folder, run, parent)
    dialog.open_button.hide()
    dialog.show()
    return dialog
