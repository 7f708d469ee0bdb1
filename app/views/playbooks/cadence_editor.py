"""The cadence editor: which reviews each segment holds how often (one row per rhythm)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from app.models.enums import ActivityKind, Segment
from app.services.cadence import (
    CadenceError,
    CadenceSpec,
    list_cadence,
    save_cadence,
    validate_cadence,
)
from app.services.labels import label_of
from app.views import theme
from app.views.context import AppContext
from app.views.dialogs import button_row
from app.views.undo import ReplaceCommand, push_edit

COLUMNS = ("Segment", "Review", "Name", "Every (days)")


class CadenceEditor(QWidget):
    """Rows of segment, review kind, name and interval; Save is one undo step."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        intro = QLabel(
            "The governance cadence: how often accounts of each segment meet for each kind "
            "of review. Gaps show in Today, the tree, the account, the calendar and the report.",
            self,
        )
        intro.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setObjectName("cadence")
        self.table.setAccessibleName("Governance cadence")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        add = QPushButton("Add rhythm", self)
        add.clicked.connect(
            lambda: self.add_row(CadenceSpec(Segment.SMB, ActivityKind.QBR, "", 91))
        )
        remove = QPushButton("Remove rhythm", self)
        remove.clicked.connect(self.remove_row)
        self.save_button = QPushButton("Save cadence", self)
        self.save_button.setObjectName("saveCadence")
        self.save_button.clicked.connect(self.save)
        self.message = theme.message_label(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(button_row(add, remove, right=[self.save_button]))
        layout.addWidget(self.message)
        self.reload()

    def reload(self) -> None:
        with self.ctx.store.read() as session:
            specs = list_cadence(session)
        self.table.setRowCount(0)
        for spec in specs:
            self.add_row(spec)

    def add_row(self, spec: CadenceSpec) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        segment = QComboBox(self.table)
        for value in Segment:
            segment.addItem(label_of(value), value)
        segment.setCurrentIndex(segment.findData(spec.segment))
        kind = QComboBox(self.table)
        for activity in ActivityKind:
            kind.addItem(label_of(activity), activity)
        kind.setCurrentIndex(kind.findData(spec.kind))
        name = QLineEdit(spec.label, self.table)
        every = QSpinBox(self.table)
        every.setRange(0, 3660)
        every.setValue(spec.every_days)
        for column, widget in enumerate((segment, kind, name, every)):
            self.table.setCellWidget(row, column, widget)

    def remove_row(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)

    def specs(self) -> list[CadenceSpec]:
        """The cadence as the table now shows it."""
        out = []
        for row in range(self.table.rowCount()):
            segment, kind, name, every = (self.table.cellWidget(row, c) for c in range(4))
            assert isinstance(segment, QComboBox) and isinstance(kind, QComboBox)
            assert isinstance(name, QLineEdit) and isinstance(every, QSpinBox)
            out.append(
                CadenceSpec(
                    Segment(segment.currentData()),
                    ActivityKind(kind.currentData()),
                    name.text(),
                    every.value(),
                )
            )
        return out

    def save(self) -> None:
        """Save the cadence (refused with a message beside the button)."""
        specs = self.specs()
        try:
            validate_cadence(specs)
        except CadenceError as exc:
            self.message.setText(str(exc))
            return
        self.message.clear()
        push_edit(
            self.ctx,
            ReplaceCommand(self.ctx, "change the governance cadence", save_cadence, specs),
        )
