"""The scorecard editor: weights, scales and bands, with a live what-if over the whole book."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services.book_health import (
    WhatIf,
    apply_scorecard,
    current_scorecards,
    load_book_latest,
    what_if,
)
from app.services.labels import label_of
from app.services.money import format_money
from app.services.scorecards import MeasureSpec, ScorecardSpec
from app.views.context import AppContext
from app.views.table_base import RowTableModel
from app.views.undo import ReplaceCommand, push_edit

_Index = QModelIndex | QPersistentModelIndex


def format_steps(steps: tuple[tuple[float, float], ...]) -> str:
    """Thresholds as the editor edits them, value then points: ``0 → 100, 4 → 70``."""
    return ", ".join(f"{limit:g} {ARROW} {points:g}" for limit, points in steps)


#: Between a threshold's value and its points (``->`` and ``:``, typed, read the same).
ARROW = "→"


def parse_steps(text: str) -> tuple[tuple[float, float], ...]:
    """Read ``0 → 100, 4 → 70`` (or ``0:100, 4:70``) back; raises ValueError on anything else."""
    steps = []
    for part in text.split(","):
        limit, _, points = part.replace("->", ARROW).replace(":", ARROW).partition(ARROW)
        steps.append((float(limit), float(points)))
    return tuple(steps)


class MeasuresModel(RowTableModel[MeasureSpec]):
    """A scorecard's measures, editable: weight, linear ends, thresholds."""

    MEASURE, GROUP, WEIGHT, METHOD, LOW, HIGH, STEPS = range(7)
    HEADERS = (
        "Measure",
        "Group",
        "Weight",
        "Method",
        "0 pts at",
        "100 pts at",
        "Thresholds",
    )
    edited = Signal()

    def cell_flags(self, measure: MeasureSpec, col: int) -> Qt.ItemFlag:
        linear = measure.method == "linear"
        if (
            col == self.WEIGHT
            or (col in (self.LOW, self.HIGH) and linear)
            or (col == self.STEPS and not linear)
        ):
            return Qt.ItemFlag.ItemIsEditable
        return Qt.ItemFlag.NoItemFlags

    def cell(self, m: MeasureSpec, col: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and col == self.STEPS and m.method == "thresholds":
            return f"{m.describe()}\nEdited as value {ARROW} points: {format_steps(m.thresholds)}"
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return None
        if col == self.MEASURE:
            return m.label
        if col == self.GROUP:
            return m.group
        if col == self.WEIGHT:
            return m.weight if role == Qt.ItemDataRole.EditRole else f"{m.weight:g}"
        if col == self.METHOD:
            return label_of(m.method) if role == Qt.ItemDataRole.DisplayRole else m.method
        if col == self.LOW:
            return (
                None
                if m.low is None
                else (m.low if role == Qt.ItemDataRole.EditRole else f"{m.low:g}")
            )
        if col == self.HIGH:
            return (
                None
                if m.high is None
                else (m.high if role == Qt.ItemDataRole.EditRole else f"{m.high:g}")
            )
        if col == self.STEPS:
            if role == Qt.ItemDataRole.EditRole:
                return format_steps(m.thresholds)
            # In the measure's unit: "≥ 4 tickets: 70, …" (a linear measure has none).
            return m.describe() if m.method == "thresholds" else ""
        return None

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        m = self.row_at(index.row())
        col = index.column()
        try:
            if col == self.WEIGHT:
                new = replace(m, weight=float(value))
            elif col == self.LOW:
                new = replace(m, low=float(value))
            elif col == self.HIGH:
                new = replace(m, high=float(value))
            elif col == self.STEPS:
                new = replace(m, thresholds=parse_steps(str(value)))
            else:
                return False
        except (TypeError, ValueError):
            return False
        self._rows[index.row()] = new
        self.dataChanged.emit(index, index)
        self.edited.emit()
        return True


class ScorecardEditor(QDialog):
    """Edit a scorecard and see, before saving, which accounts and ARR would change band."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Scorecards")
        # Wide enough for the thresholds in words ("≥ 1 milestone: 60, …") on a 1366 laptop.
        self.resize(1100, 620)
        self.ctx = ctx
        with ctx.store.read() as session:
            self.specs = current_scorecards(session)
            self.book = load_book_latest(session)
        self.what_if_result: WhatIf | None = None

        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel("Scorecard"))
        self.choice = QComboBox()
        for spec in self.specs:
            segment = (
                "every other account"
                if spec.segment is None
                else f"{label_of(spec.segment)} accounts"
            )
            self.choice.addItem(f"{spec.name} ({segment})")
        self.choice.currentIndexChanged.connect(self._load)
        top.addWidget(self.choice, 1)
        layout.addLayout(top)

        bands = QHBoxLayout()
        self.red_below = QDoubleSpinBox()
        self.green_from = QDoubleSpinBox()
        for spin in (self.red_below, self.green_from):
            spin.setRange(0, 100)
            spin.setDecimals(0)
            spin.valueChanged.connect(self.update_what_if)
        self.red_cap = QCheckBox("Any red measure caps the overall band at yellow")
        self.red_cap.toggled.connect(self.update_what_if)
        bands.addWidget(QLabel("Red below"))
        bands.addWidget(self.red_below)
        bands.addWidget(QLabel("Green from"))
        bands.addWidget(self.green_from)
        bands.addWidget(self.red_cap)
        bands.addStretch(1)
        layout.addLayout(bands)

        self.model = MeasuresModel(self)
        self.model.edited.connect(self.update_what_if)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table, 1)
        self.weight_label = QLabel("")
        layout.addWidget(self.weight_label)
        self.what_if_label = QLabel("")
        self.what_if_label.setObjectName("whatIf")
        self.what_if_label.setWordWrap(True)
        layout.addWidget(self.what_if_label)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._loading = False
        self._load(0)

    def _load(self, row: int) -> None:
        spec = self.specs[row]
        self._loading = True
        self.red_below.setValue(spec.red_below)
        self.green_from.setValue(spec.green_from)
        self.red_cap.setChecked(spec.red_caps_at_yellow)
        self.model.set_rows(spec.measures)
        self.table.resizeColumnsToContents()
        self._loading = False
        self.update_what_if()

    def edited_spec(self) -> ScorecardSpec:
        """The scorecard as edited (raises ValueError when the bands are inconsistent)."""
        spec = self.specs[self.choice.currentIndex()]
        return replace(
            spec,
            red_below=self.red_below.value(),
            green_from=self.green_from.value(),
            red_caps_at_yellow=self.red_cap.isChecked(),
            measures=tuple(self.model.rows()),
        )

    def update_what_if(self) -> None:
        """Recompute the book under the edited scorecard and say what would change."""
        if self._loading:
            return
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        try:
            edited = self.edited_spec()
        except ValueError as exc:
            self.what_if_label.setText(str(exc))
            save.setEnabled(False)
            return
        total = edited.total_weight
        ok_weights = abs(total - 100) < 0.01
        self.weight_label.setText(
            f"Weights total {total:g}" + ("" if ok_weights else " — they must total 100 to save")
        )
        index = self.choice.currentIndex()
        after = [edited if i == index else s for i, s in enumerate(self.specs)]
        self.what_if_result = what_if(self.book, self.specs, after)
        self.what_if_label.setText(describe_what_if(self.what_if_result))
        save.setEnabled(ok_weights and edited != self.specs[index])

    def save(self) -> None:
        """Apply the edit through the undo stack (rescoring the book) and close."""
        edited = self.edited_spec()
        # Rescoring a large book takes seconds: say so with the busy cursor.
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            text = f"Edit scorecard {edited.name}"
            push_edit(self.ctx, ReplaceCommand(self.ctx, text, apply_scorecard, edited))
        finally:
            QApplication.restoreOverrideCursor()
        self.accept()


def describe_what_if(result: WhatIf) -> str:
    """The what-if in one or two sentences."""
    if result.changed == 0:
        return "If saved: no account changes band."
    arr = format_money(result.arr_changed_minor, result.currency)
    text = (
        f"If saved: {result.changed} account{'s' if result.changed != 1 else ''} change band "
        f"({result.better} better, {result.worse} worse), {arr} ARR."
    )
    names = [f"{name} ({label_of(a)} → {label_of(b)})" for name, a, b in result.accounts[:6]]
    more = len(result.accounts) - len(names)
    return text + "\n" + ", ".join(names) + (f" and {more} more" if more > 0 else "")
