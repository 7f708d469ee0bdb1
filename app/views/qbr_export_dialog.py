"""Export QBR: audience, quarter, format, template and logos, then a slide-by-slide review
where next steps and open items can be left out, then the file (the CLI's export path).

The choices are remembered per account in the app's one settings file.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.exports.qbr_data import Audience, QbrContent, QbrRequest, Quarter
from app.exports.safety import ExportError
from app.views import export_actions, theme
from app.views.context import AppContext
from app.views.dialogs import button_row
from app.views.settings import WindowSettings

#: Settings key of one account's remembered choices (JSON).
ITEM_ID_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass
class QbrChoices:
    """What the user picked for an account's QBR last time."""

    audience: str = Audience.CUSTOMER.value
    quarter: str = ""
    suffix: str = ".pptx"
    template: str = ""
    our_logo: str = ""
    customer_logo: str = ""

    @classmethod
    def load(cls, account_id: str) -> QbrChoices:
        """The remembered choices of ``account_id`` (defaults when none or unreadable)."""
        data = WindowSettings().qbr_choices(account_id)
        known = {k: str(v) for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)

    def save(self, account_id: str) -> None:
        """Remember these choices for ``account_id``."""
        WindowSettings().set_qbr_choices(account_id, asdict(self))


def ask_open_path(parent: QWidget | None, title: str, filters: str) -> Path | None:
    """Ask for an existing file; None when cancelled. Tests replace this function."""
    name, _chosen = QFileDialog.getOpenFileName(parent, title, "", filters)
    return Path(name) if name else None


class _PathRow(QWidget):
    """A path field with Browse and a message beside it when the file is not usable."""

    def __init__(self, name: str, placeholder: str, filters: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.filters = filters
        self.edit = QLineEdit(self)
        self.edit.setObjectName(name)
        self.edit.setPlaceholderText(placeholder)
        self.edit.setClearButtonEnabled(True)
        browse = QPushButton("Browse…", self)
        browse.clicked.connect(self._browse)
        self.error = theme.error_label(self)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addWidget(browse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(row)
        layout.addWidget(self.error)

    def _browse(self) -> None:
        path = ask_open_path(self, "Choose a file", self.filters)
        if path is not None:
            self.edit.setText(str(path))

    def path(self) -> Path | None:
        text = self.edit.text().strip()
        return Path(text).expanduser() if text else None

    def show_error(self, message: str) -> None:
        theme.show_error(self.error, message)


class QbrExportDialog(QDialog):
    """Choose, review, then write one account's QBR deck or brief."""

    def __init__(
        self, ctx: AppContext, account_id: str, account_name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.account_id = account_id
        self.account_name = account_name
        self.facts: QbrContent | None = None
        self._facts_quarter: Quarter | None = None
        self.progress_dialog: export_actions.ExportDialog | None = None
        self.setWindowTitle(f"Export QBR: {account_name}")
        self.resize(640, 560)
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self._choices_page())
        self.pages.addWidget(self._review_page())
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        self._restore(QbrChoices.load(account_id))

    # -- page 1: choices ------------------------------------------------------------------
    def _choices_page(self) -> QWidget:
        page = QWidget(self)
        form = QFormLayout()
        self.audience = QComboBox(page)
        self.audience.setObjectName("audience")
        self.audience.addItem("The customer (shared items only)", Audience.CUSTOMER.value)
        self.audience.addItem("Our team (internal preparation)", Audience.INTERNAL.value)
        self.quarter = QComboBox(page)
        self.quarter.setObjectName("quarter")
        current = Quarter.containing(self.ctx.today)
        quarters = [current]
        for _ in range(3):
            previous = quarters[-1]
            year, number = (
                (previous.year, previous.number - 1)
                if previous.number > 1
                else (
                    previous.year - 1,
                    4,
                )
            )
            quarters.append(Quarter(year, number))
        for quarter in [current.next(), *quarters]:
            self.quarter.addItem(quarter.label, quarter.code)
        self.quarter.setCurrentIndex(1)
        self.format = QComboBox(page)
        self.format.setObjectName("format")
        self.format.addItem("PowerPoint deck (.pptx)", ".pptx")
        self.format.addItem("Word brief (.docx)", ".docx")
        self.template = _PathRow(
            "template", "Fieldbook's clean template", "PowerPoint template (*.pptx)", page
        )
        pictures = "Pictures (*.png *.jpg *.jpeg)"
        self.our_logo = _PathRow("our_logo", "No logo", pictures, page)
        self.customer_logo = _PathRow("customer_logo", "No logo", pictures, page)
        form.addRow("For", self.audience)
        form.addRow("Quarter", self.quarter)
        form.addRow("Format", self.format)
        form.addRow("Template", self.template)
        form.addRow("Our logo", self.our_logo)
        form.addRow("Customer logo", self.customer_logo)
        self.review_button = QPushButton("Review…", page)
        self.review_button.setObjectName("review")
        self.review_button.setDefault(True)
        self.review_button.clicked.connect(self.review)
        cancel = QPushButton("Cancel", page)
        cancel.clicked.connect(self.reject)
        layout = QVBoxLayout(page)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addLayout(button_row(right=[cancel, self.review_button]))
        return page

    def _restore(self, choices: QbrChoices) -> None:
        for box, value in (
            (self.audience, choices.audience),
            (self.quarter, choices.quarter),
            (self.format, choices.suffix),
        ):
            index = box.findData(value)
            if index >= 0:
                box.setCurrentIndex(index)
        template = choices.template or str(export_actions.qbr_template() or "")
        self.template.edit.setText(template)
        self.our_logo.edit.setText(choices.our_logo)
        self.customer_logo.edit.setText(choices.customer_logo)

    def choices(self) -> QbrChoices:
        """What the form says now."""
        return QbrChoices(
            audience=str(self.audience.currentData()),
            quarter=str(self.quarter.currentData()),
            suffix=str(self.format.currentData()),
            template=self.template.edit.text().strip(),
            our_logo=self.our_logo.edit.text().strip(),
            customer_logo=self.customer_logo.edit.text().strip(),
        )

    def request(self) -> QbrRequest:
        """The export request of the form and the review's ticks."""
        return QbrRequest(
            self.account_id,
            Audience(self.audience.currentData()),
            Quarter.parse(str(self.quarter.currentData())),
            self.ctx.today,
            self.template.path(),
            (self.our_logo.path(), self.customer_logo.path()),
            frozenset(self.left_out()),
        )

    def _check_files(self) -> bool:
        """A message beside each file that is not usable; True when all are."""
        ok = True
        template = self.template.path()
        message = ""
        if template is not None and not template.is_file():
            message = f"There is no template at {template}."
        elif template is not None and template.suffix.lower() != ".pptx":
            message = f"{template.name} is not a PowerPoint (.pptx) template."
        self.template.show_error(message)
        ok = ok and not message
        for row in (self.our_logo, self.customer_logo):
            path = row.path()
            message = f"There is no picture at {path}." if path and not path.is_file() else ""
            row.show_error(message)
            ok = ok and not message
        return ok

    # -- page 2: review -------------------------------------------------------------------
    def _review_page(self) -> QWidget:
        page = QWidget(self)
        self.review_caption = QLabel(page)
        self.review_caption.setWordWrap(True)
        self.outline = QTreeWidget(page)
        self.outline.setObjectName("outline")
        self.outline.setHeaderHidden(True)
        self.outline.setAccessibleName("What each slide will show")
        back = QPushButton("Back", page)
        back.clicked.connect(lambda: self.pages.setCurrentIndex(0))
        self.export_button = QPushButton("Export…", page)
        self.export_button.setObjectName("export")
        self.export_button.clicked.connect(self.export)
        layout = QVBoxLayout(page)
        layout.addWidget(self.review_caption)
        layout.addWidget(self.outline, 1)
        layout.addLayout(button_row(back, right=[self.export_button]))
        return page

    def review(self) -> None:
        """Gather the account once (per quarter) and list what each slide will show."""
        from app.exports.qbr import gather, present
        from app.exports.qbr_review import review_outline

        if not self._check_files():
            return
        request = self.request()
        if self.facts is None or self._facts_quarter != request.quarter:
            try:
                self.facts = gather(self.ctx.store, request)
            except ExportError as exc:
                self.template.show_error(str(exc))
                return
            self._facts_quarter = request.quarter
        suffix = self.choices().suffix
        content = present(self.facts, request.audience, suffix=suffix)
        who = "the customer" if request.audience is Audience.CUSTOMER else "our team"
        self.review_caption.setText(
            f"{self.account_name}, {content.quarter.label}, for {who}. Untick a next step or "
            "an open item to leave it out."
        )
        self.outline.clear()
        for number, slide in enumerate(review_outline(content, request.audience, suffix), start=1):
            top = QTreeWidgetItem(self.outline, [f"{number}. {slide.title}"])
            font = top.font(0)
            font.setBold(True)
            top.setFont(0, font)
            for line in slide.lines:
                QTreeWidgetItem(top, [line])
            for item in slide.items:
                child = QTreeWidgetItem(top, [item.text])
                child.setData(0, ITEM_ID_ROLE, item.id)
                child.setFlags(child.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                child.setCheckState(0, Qt.CheckState.Checked)
            top.setExpanded(True)
        self.pages.setCurrentIndex(1)

    def review_items(self) -> list[QTreeWidgetItem]:
        """The tickable lines of the review (next steps and open items)."""
        found = []
        for n in range(self.outline.topLevelItemCount()):
            top = self.outline.topLevelItem(n)
            assert top is not None  # n is below topLevelItemCount()
            for c in range(top.childCount()):
                child = top.child(c)
                if child is not None and child.data(0, ITEM_ID_ROLE):
                    found.append(child)
        return found

    def left_out(self) -> list[str]:
        """Ids the user unticked."""
        return [
            str(item.data(0, ITEM_ID_ROLE))
            for item in self.review_items()
            if item.checkState(0) != Qt.CheckState.Checked
        ]

    def export(self) -> None:
        """Ask where, then write through the one QBR path with a progress dialog."""
        from app.exports.qbr import validate
        from app.exports.qbr_batch import file_name

        request = self.request()
        choices = self.choices()
        assert request.quarter is not None
        suggested = export_actions.last_folder() / file_name(
            self.account_name, request.quarter, choices.suffix
        )
        filters = (
            "PowerPoint deck (*.pptx);;Word brief (*.docx)"
            if choices.suffix == ".pptx"
            else "Word brief (*.docx);;PowerPoint deck (*.pptx)"
        )
        out = export_actions.ask_save_path(
            self, f"Export the QBR of {self.account_name}", suggested, filters
        )
        if out is None:
            return
        if out.suffix.lower() not in (".pptx", ".docx"):
            out = out.with_name(out.name + choices.suffix)
        try:
            out = validate(request, out)
        except ExportError as exc:
            self.review_caption.setText(str(exc))
            return
        choices.save(self.account_id)
        job = export_actions.qbr_job(self.ctx, request, out, self.facts)
        self.progress_dialog = export_actions.ExportDialog(
            f"QBR: {self.account_name}", out, job, self.parentWidget()
        )
        self.progress_dialog.show()
        self.accept()


def open_qbr_export(
    ctx: AppContext, account_id: str, parent: QWidget | None
) -> QbrExportDialog | None:
    """Show the export dialog for ``account_id`` (None when the account is gone)."""
    from app.services.accounts import AccountNotFoundError, find_account

    try:
        with ctx.store.read() as session:
            found_id, name = find_account(session, account_id)
    except AccountNotFoundError:
        return None
    dialog = QbrExportDialog(ctx, found_id, name, parent)
    dialog.show()
    return dialog
