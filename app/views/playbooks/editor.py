"""The playbook editor: playbooks on the left; name, trigger and the steps table on the right,
with a preview of the dates the playbook would create for a chosen account."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QTableView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services import dates_text
from app.services.accounts import account_names
from app.services.playbooks import (
    TRIGGERS,
    PlaybookError,
    PlaybookSpec,
    StepSpec,
    account_facts,
    condition_holds,
    list_playbooks,
    plan_steps,
    validate_playbook,
)
from app.views import theme
from app.views.context import AppContext
from app.views.dialogs import button_row
from app.views.playbooks.commands import SavePlaybookCommand
from app.views.playbooks.step_model import (
    COL_TITLE,
    ChoiceDelegate,
    StepTableModel,
    condition_words,
)
from app.views.table_base import fit_columns
from app.views.undo import push_edit


class PlaybookEditor(QWidget):
    """Edit a playbook's steps (drag rows to reorder); Save is one undo step."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.specs: list[PlaybookSpec] = []
        self.current: PlaybookSpec | None = None

        self.list = QListWidget(self)
        self.list.setObjectName("playbookList")
        self.list.setAccessibleName("Playbooks")
        self.list.currentRowChanged.connect(self._show)
        new_button = QPushButton("New playbook", self)
        new_button.clicked.connect(self.new_playbook)
        left = QVBoxLayout()
        left.setContentsMargins(0, 0, 0, 0)
        left.addWidget(self.list, 1)
        left.addWidget(new_button)

        self.name = QLineEdit(self)
        self.name.setObjectName("playbookName")
        self.trigger = QComboBox(self)
        self.trigger.setObjectName("playbookTrigger")
        for key, words in TRIGGERS.items():
            self.trigger.addItem(words, key)
        self.enabled = QCheckBox("Starts by itself when its trigger fires", self)
        self.description = QLineEdit(self)
        form = QFormLayout()
        form.addRow("Name", self.name)
        form.addRow("Trigger", self.trigger)
        form.addRow("", self.enabled)
        form.addRow("Description", self.description)

        self.model = StepTableModel(self)
        self.model.dataChanged.connect(lambda *_: self.refresh_preview())
        self.model.rowsMoved.connect(lambda *_: self.refresh_preview())
        self.table = QTableView(self)
        self.table.setObjectName("steps")
        self.table.setAccessibleName("Steps")
        self.table.setModel(self.model)
        self.table.setItemDelegate(ChoiceDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.table.setDragEnabled(True)
        self.table.setAcceptDrops(True)
        self.table.setDropIndicatorShown(True)
        self.table.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)  # the tooltip has it whole
        self.table.verticalHeader().setDefaultSectionSize(24)
        # The step's title takes what the other columns (sized to their content) leave, so
        # a laptop window shows every column without a sideways scroll.
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        fit_columns(self.table.horizontalHeader(), COL_TITLE)

        add_step = QPushButton("Add step", self)
        add_step.clicked.connect(self.add_step)
        remove_step = QPushButton("Remove step", self)
        remove_step.clicked.connect(self.remove_step)
        up = QPushButton("Move up", self)
        up.clicked.connect(lambda: self.move_step(-1))
        down = QPushButton("Move down", self)
        down.clicked.connect(lambda: self.move_step(1))
        self.save_button = QPushButton("Save playbook", self)
        self.save_button.setObjectName("savePlaybook")
        self.save_button.clicked.connect(self.save)
        buttons = button_row(add_step, remove_step, up, down, right=[self.save_button])
        self.message = theme.message_label(self)

        self.preview_account = QComboBox(self)
        self.preview_account.setObjectName("previewAccount")
        self.preview_account.currentIndexChanged.connect(lambda *_: self.refresh_preview())
        self.preview = QTreeWidget(self)
        self.preview.setObjectName("preview")
        self.preview.setRootIsDecorated(False)
        self.preview.setHeaderLabels(["Due", "Step", "Owner"])
        fit_columns(self.preview.header(), 1)
        self.preview_note = QLabel(self)
        self.preview_note.setWordWrap(True)
        preview_row = QHBoxLayout()
        preview_row.addWidget(QLabel("Preview for", self))
        preview_row.addWidget(self.preview_account, 1)

        # The playbooks sit beside the name and trigger, not beside the steps: the steps table
        # gets the whole width (on a 1366x768 laptop every column shows without scrolling).
        self.list.setMaximumWidth(230)
        self.list.setFixedHeight(8 * self.list.fontMetrics().height() + 8)
        top = QHBoxLayout()
        top.addLayout(left)
        top.addLayout(form, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.addLayout(top)
        layout.addWidget(self.table, 3)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addLayout(preview_row)
        layout.addWidget(self.preview_note)
        layout.addWidget(self.preview, 2)
        self.reload()

    # ------------------------------------------------------------------ data
    def reload(self, select_name: str | None = None) -> None:
        """Read the playbooks and the accounts (for the preview) again."""
        keep = select_name or (self.current.name if self.current else None)
        with self.ctx.store.read() as session:
            self.specs = list_playbooks(session)
            accounts = account_names(session)
            chosen = self.preview_account.currentData()
            self.preview_account.blockSignals(True)
            self.preview_account.clear()
            for account_id, name in accounts:
                self.preview_account.addItem(name, account_id)
            self.preview_account.setCurrentIndex(max(0, self.preview_account.findData(chosen)))
            self.preview_account.blockSignals(False)
        self.list.blockSignals(True)
        self.list.clear()
        self.list.addItems([s.name + ("" if s.enabled else "  (off)") for s in self.specs])
        self.list.blockSignals(False)
        names = [s.name for s in self.specs]
        self.list.setCurrentRow(names.index(keep) if keep in names else 0)

    def _show(self, row: int) -> None:
        self.message.clear()
        if not 0 <= row < len(self.specs):
            return
        self.current = spec = self.specs[row]
        self.name.setText(spec.name)
        self.trigger.setCurrentIndex(max(0, self.trigger.findData(spec.trigger)))
        self.enabled.setChecked(spec.enabled)
        self.description.setText(spec.description)
        self.model.set_rows(spec.steps)
        self.refresh_preview()

    def edited_spec(self) -> PlaybookSpec:
        """The playbook as the form now shows it."""
        return PlaybookSpec(
            self.name.text(),
            str(self.trigger.currentData()),
            self.description.text().strip(),
            tuple(self.model.rows()),
            self.enabled.isChecked(),
            self.current.builtin if self.current else False,
            self.current.id if self.current else None,
        )

    def refresh_preview(self) -> None:
        """The dated steps the edited playbook would create on the chosen account today."""
        self.preview.clear()
        account_id = self.preview_account.currentData()
        if account_id is None or not self.model.rows():
            self.preview_note.setText("Choose an account to see the dates.")
            return
        try:
            with self.ctx.store.read() as session:
                facts = account_facts(session, account_id, self.ctx.today)
                dated = plan_steps(self.edited_spec(), facts, self.ctx.today)
        except PlaybookError as exc:
            self.preview_note.setText(str(exc))
            return
        left_out = [s for s in self.model.rows() if not condition_holds(s.condition, facts)]
        why = ", ".join(dict.fromkeys(condition_words(s.condition) for s in left_out))
        self.preview_note.setText(
            f"Started today ({dates_text.weekday_day(self.ctx.today)}) on {facts.name}: "
            f"{len(dated)} steps"
            + (f"; {len(left_out)} left out by their conditions ({why})." if left_out else ".")
        )
        for step in dated:
            self.preview.addTopLevelItem(
                QTreeWidgetItem([dates_text.weekday_day(step.due_on), step.title, step.owner or ""])
            )

    # ------------------------------------------------------------------ edits
    def new_playbook(self) -> None:
        self.current = None
        self.list.clearSelection()
        self.name.setText("New playbook")
        self.trigger.setCurrentIndex(self.trigger.findData("manual"))
        self.enabled.setChecked(True)
        self.description.clear()
        self.model.set_rows([StepSpec("First step")])
        self.name.setFocus()
        self.name.selectAll()
        self.refresh_preview()

    def add_step(self) -> None:
        row = self.table.currentIndex().row() + 1 if self.table.currentIndex().isValid() else None
        row = len(self.model.rows()) if row is None else row
        self.model.insert_step(row, StepSpec("New step"))
        self.table.setCurrentIndex(self.model.index(row, COL_TITLE))
        self.refresh_preview()

    def remove_step(self) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            self.model.removeRows(index.row(), 1)
            self.refresh_preview()

    def move_step(self, delta: int) -> None:
        """Keyboard-friendly reorder (the same as dragging the row)."""
        index = self.table.currentIndex()
        if not index.isValid():
            return
        row = index.row()
        target = row + delta
        if not 0 <= target < len(self.model.rows()):
            return
        self.model.moveRows(
            self.model.index(0, 0).parent(), row, 1, self.model.index(0, 0).parent(),
            target + (1 if delta > 0 else 0),
        )  # fmt: skip
        self.table.setCurrentIndex(self.model.index(target, index.column()))

    def save(self) -> None:
        """Save the edited playbook (refused with a message beside the button)."""
        spec = self.edited_spec()
        try:
            with self.ctx.store.read() as session:
                validate_playbook(session, spec)
        except PlaybookError as exc:
            self.message.setText(str(exc))
            return
        self.message.clear()
        push_edit(self.ctx, SavePlaybookCommand(self.ctx, spec))
        self.reload(select_name=spec.name.strip())
