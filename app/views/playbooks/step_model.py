"""The playbook editor's steps table: a Qt model over ``StepSpec`` values, rows dragged to
reorder, each cell edited in place (enums and conditions from a closed list)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import QByteArray, QMimeData, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from app.models.enums import Segment
from app.models.playbook import OwnerRole, StepAnchor, StepKind
from app.services.labels import label_of
from app.services.playbook_catalog import ANCHOR_WORDS, OWNER_ROLE_WORDS, STEP_KIND_WORDS
from app.services.playbooks import FLAG_CONDITIONS, StepSpec, known_conditions
from app.views.table_base import RowTableModel

Index = QModelIndex | QPersistentModelIndex

#: (header, StepSpec field)
COLUMNS = (
    ("Step", "title"),
    ("Kind", "kind"),
    ("Phase", "phase"),
    ("From", "anchor"),
    ("Days", "offset_days"),
    ("Months", "offset_months"),
    ("Owner", "owner_role"),
    ("With\ncustomer", "shared"),
    ("Condition", "condition"),
)
COL_TITLE, COL_KIND, COL_PHASE, COL_ANCHOR, COL_DAYS, COL_MONTHS, COL_OWNER, COL_SHARED = range(8)
COL_CONDITION = 8
#: Closed choices per column (the delegate offers them; setData refuses anything else).
CHOICES: dict[int, list[str]] = {
    COL_KIND: [k.value for k in StepKind],
    COL_ANCHOR: [a.value for a in StepAnchor],
    COL_OWNER: [o.value for o in OwnerRole],
    COL_CONDITION: ["", *known_conditions()],
}
_ENUMS: dict[int, Any] = {COL_KIND: StepKind, COL_ANCHOR: StepAnchor, COL_OWNER: OwnerRole}
#: The flag conditions, short enough for a table cell (the tooltip gives the sentence).
_FLAG_WORDS = {
    "has_sponsor": "Has a sponsor",
    "no_sponsor": "No sponsor",
    "has_champion": "Has a champion",
    "auto_renew": "Renews automatically",
}


def condition_words(condition: str | None) -> str:
    """A stored condition in words: ``segment:strategic`` reads "Segment is Strategic"."""
    if not condition:
        return ""
    name, _, value = condition.partition(":")
    if name in ("segment", "not_segment") and value in set(Segment):
        verb = "is" if name == "segment" else "is not"
        return f"Segment {verb} {label_of(Segment(value))}"
    return _FLAG_WORDS.get(condition, condition)


def condition_sentence(condition: str | None) -> str:
    """The condition as a whole sentence (a tooltip): "Applies when the segment is ..."."""
    if not condition:
        return "Applies to every account"
    words = FLAG_CONDITIONS.get(condition) or condition_words(condition).lower()
    return f"Applies when {words}"


#: Choices shown in words (the stored value stays the edit value).
WORDS: dict[int, dict[str, str]] = {
    COL_KIND: {k.value: word for k, word in STEP_KIND_WORDS.items()},
    COL_ANCHOR: {a.value: word for a, word in ANCHOR_WORDS.items()},
    COL_OWNER: {o.value: word for o, word in OWNER_ROLE_WORDS.items()},
    COL_CONDITION: {c: condition_words(c) for c in CHOICES[COL_CONDITION]},
}
MIME = "application/x-fieldbook-playbook-steps"


class StepTableModel(RowTableModel[StepSpec]):
    """Steps in order; edits replace the row's ``StepSpec``."""

    HEADERS = tuple(header for header, _field in COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return str(section + 1)
        return super().headerData(section, orientation, role)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        flags = (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsDragEnabled
            | Qt.ItemFlag.ItemNeverHasChildren
        )
        if index.column() == COL_SHARED:
            return flags | Qt.ItemFlag.ItemIsUserCheckable
        return flags | Qt.ItemFlag.ItemIsEditable

    def cell(self, step: StepSpec, column: int, role: int) -> Any:
        value = getattr(step, COLUMNS[column][1])
        if column == COL_SHARED:
            if role == Qt.ItemDataRole.CheckStateRole:
                return Qt.CheckState.Checked if value else Qt.CheckState.Unchecked
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == COL_CONDITION:
                return condition_sentence(value)
            return step.title if column == COL_TITLE else None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if column in _ENUMS:
                if role == Qt.ItemDataRole.DisplayRole and column in WORDS:
                    return WORDS[column][value.value]
                return value.value
            if role == Qt.ItemDataRole.DisplayRole and column == COL_CONDITION:
                return condition_words(value)
            return "" if value is None else value
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (COL_DAYS, COL_MONTHS):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid():
            return False
        column, row = index.column(), index.row()
        name = COLUMNS[column][1]
        if column == COL_SHARED and role == Qt.ItemDataRole.CheckStateRole:
            new: Any = Qt.CheckState(value) == Qt.CheckState.Checked
        elif role != Qt.ItemDataRole.EditRole:
            return False
        elif column in (COL_DAYS, COL_MONTHS):
            try:
                new = int(str(value).strip() or 0)
            except ValueError:
                return False
        elif column in _ENUMS:
            if str(value) not in CHOICES[column]:
                return False
            new = _ENUMS[column](str(value))
        elif column == COL_CONDITION:
            if str(value) not in CHOICES[column]:
                return False
            new = str(value) or None
        else:
            new = str(value).strip() or (None if column == COL_PHASE else "")
        self._rows[row] = replace(self._rows[row], **{name: new})
        self.dataChanged.emit(index, index)
        return True

    # -- rows --------------------------------------------------------------------------------
    def insert_step(self, row: int, step: StepSpec) -> None:
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.insert(row, step)
        self.endInsertRows()

    def removeRows(self, row: int, count: int, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        if parent.isValid() or row < 0 or row + count > len(self._rows):
            return False
        self.beginRemoveRows(QModelIndex(), row, row + count - 1)
        del self._rows[row : row + count]
        self.endRemoveRows()
        return True

    def moveRows(
        self,
        source_parent: Index,
        source_row: int,
        count: int,
        destination_parent: Index,
        destination_child: int,
    ) -> bool:
        if source_parent.isValid() or destination_parent.isValid() or count != 1:
            return False
        if not (0 <= source_row < len(self._rows)) or not (
            0 <= destination_child <= len(self._rows)
        ):
            return False
        if destination_child in (source_row, source_row + 1):
            return False
        if not self.beginMoveRows(
            QModelIndex(), source_row, source_row, QModelIndex(), destination_child
        ):
            return False
        step = self._rows.pop(source_row)
        self._rows.insert(
            destination_child - 1 if destination_child > source_row else destination_child, step
        )
        self.endMoveRows()
        return True

    # -- drag to reorder ---------------------------------------------------------------------
    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [MIME]

    def mimeData(self, indexes: Any) -> QMimeData:
        data = QMimeData()
        rows = sorted({i.row() for i in indexes if i.isValid()})
        data.setData(MIME, QByteArray(str(rows[0] if rows else -1).encode()))
        return data

    def canDropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        return data.hasFormat(MIME) and action == Qt.DropAction.MoveAction

    def dropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        source = int(bytes(data.data(MIME).data()).decode() or -1)
        # Dropped on a row: before it; dropped below the last row: at the end.
        target = parent.row() if parent.isValid() else (row if row >= 0 else len(self._rows))
        self.moveRows(QModelIndex(), source, 1, QModelIndex(), target)
        # Handled here: returning False stops the view removing the "moved" source row.
        return False


class ChoiceDelegate(QStyledItemDelegate):
    """A combo box of the column's closed choices."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        if index.column() not in CHOICES:
            return super().createEditor(parent, option, index)
        combo = QComboBox(parent)
        words = WORDS.get(index.column(), {})
        for choice in CHOICES[index.column()]:
            combo.addItem(words.get(choice, choice), choice)
        return combo

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        if isinstance(editor, QComboBox):
            found = editor.findData(str(index.data(Qt.ItemDataRole.EditRole) or ""))
            editor.setCurrentIndex(max(found, 0))
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: Any, index: Index) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
        else:
            super().setModelData(editor, model, index)
