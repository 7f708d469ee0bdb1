"""An item table's columns and section, declared once, and the Qt model of its rows."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from app.services import dates_text
from app.services.labels import in_sentence, label_of, record_label
from app.services.money import format_money
from app.services.touchpoint_time import duration_text, touchpoint_local
from app.services.visibility import INTERNAL_LABEL, SHARED_LABEL, visibility_label
from app.views import theme
from app.views.account.fields import FieldSpec
from app.views.context import AppContext
from app.views.date_edit import time_text
from app.views.locale_text import local_zone

Index = QModelIndex | QPersistentModelIndex
#: Column kinds ticked in place with one click on their check box.
_TICKABLE = ("check",)


@dataclass(frozen=True)
class Column:
    """A table column: ``key`` of the row dict, shown as ``kind`` (text, date, money, enum,
    check, list, days, visibility: the ``shared`` flag as a Shared/Internal mark that one
    click on the cell switches)."""

    header: str
    key: str
    kind: str = "text"

    @classmethod
    def of(cls, key: str, kind: str = "") -> Column:
        """The column of the section's field ``key``: its header is the field's label and its
        kind follows the field's unless given, so a shown field is declared once."""
        return cls("", key, kind)

    def resolved(self, fields: dict[str, FieldSpec]) -> Column:
        """This column with the header and kind ``of`` left to its field filled in."""
        if self.header and self.kind:
            return self
        spec = fields[self.key]
        return replace(
            self,
            header=self.header or spec.label,
            kind=self.kind or _SHOWN_AS.get(spec.kind, "text"),
        )


#: How a field's kind shows in a table column (other kinds show as text).
_SHOWN_AS = {"date": "date", "money": "money", "enum": "enum", "bool": "bool"}


@dataclass(frozen=True)
class SectionSpec:
    """Everything an item section needs to show and edit one kind of item."""

    kind: str
    title: str
    columns: Sequence[Column]
    fields: Sequence[FieldSpec]
    #: What one item is called in buttons and undo text; unless given, what ``labels`` calls
    #: one record of the kind (an ``activity`` is a touchpoint: "Add touchpoint").
    noun: str = ""
    #: Values every new item gets: ``(ctx, account_id) -> dict`` (account id, today, currency).
    defaults: Callable[[AppContext, str], dict[str, Any]] = lambda ctx, account_id: {
        "account_id": account_id
    }
    label_key: str = "title"
    #: Boolean column the user ticks in place (e.g. a task's ``done``).
    check_key: str | None = None
    empty_text: str = "Nothing recorded yet."
    #: Rows to show: ``(rows) -> rows`` (e.g. only open risks).
    row_filter: Callable[[list[dict[str, Any]]], list[dict[str, Any]]] | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "noun", self.noun or in_sentence(record_label(self.kind)))
        fields = {spec.name: spec for spec in self.fields}
        columns = tuple(column.resolved(fields) for column in self.columns)
        object.__setattr__(self, "columns", columns)


class ItemTableModel(QAbstractTableModel):
    """Plain row dicts of one kind, read-only except a tickable boolean column."""

    #: (row dict, column key, new checked state)
    toggled = Signal(object, str, bool)

    def __init__(self, spec: SectionSpec, today: date, parent: Any = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self.today = today
        self.items: list[dict[str, Any]] = []

    def set_items(self, items: list[dict[str, Any]]) -> None:
        self.beginResetModel()
        self.items = items
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.spec.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not (0 <= section < len(self.spec.columns)):
            return None
        column = self.spec.columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.header
        if role == Qt.ItemDataRole.TextAlignmentRole and column.kind == "money":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.spec.columns[index.column()].kind in _TICKABLE:
            base |= Qt.ItemFlag.ItemIsUserCheckable
        return base | Qt.ItemFlag.ItemNeverHasChildren

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.items):
            return None
        row = self.items[index.row()]
        column = self.spec.columns[index.column()]
        value = row.get(column.key)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column, value)
        if role == Qt.ItemDataRole.CheckStateRole and column.kind in _TICKABLE:
            return Qt.CheckState.Checked if value else Qt.CheckState.Unchecked
        if column.kind == "visibility" and role == Qt.ItemDataRole.ToolTipRole:
            return (SHARED_LABEL if value else INTERNAL_LABEL) + " (click to change)"
        if role == Qt.ItemDataRole.TextAlignmentRole and column.kind == "money":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._colour(row, column, value)
        if role == Qt.ItemDataRole.ToolTipRole and column.kind in ("text", "list"):
            return self._text(row, column, value) or None
        if role == Qt.ItemDataRole.UserRole:
            return row
        return None

    def _text(self, row: dict[str, Any], column: Column, value: Any) -> str:
        kind = column.kind
        if value is None:
            return ""
        if kind == "check":
            return ""
        if kind == "visibility":
            return visibility_label(bool(value))
        if kind == "when":
            return _when_text(value, bool(row.get("all_day")))
        if kind == "duration":
            return duration_text(value)
        if kind in ("date", "due"):
            if isinstance(value, datetime):
                return dates_text.moment(value)
            return dates_text.day(value)
        if kind == "money":
            return format_money(int(value), row.get("currency") or "USD")
        if kind == "enum":
            return label_of(value)
        if kind == "list":
            return ", ".join(value)
        if kind == "bool":
            return "Yes" if value else ""
        if kind == "percent":
            return f"{value}%"
        return str(value).splitlines()[0] if isinstance(value, str) and value else str(value)

    def _colour(self, row: dict[str, Any], column: Column, value: Any) -> QBrush | None:
        if column.kind == "visibility":
            return None if value else QBrush(QColor(theme.BAND_COLOURS["red"]))
        if column.kind == "due" and isinstance(value, date) and not isinstance(value, datetime):
            closed = row.get("done") or row.get("status") in ("done", "closed", "achieved")
            if not closed and value < self.today:
                return QBrush(QColor(theme.RENEWAL_SOON))
        if column.key in ("severity", "status", "forecast", "renewal_forecast"):
            raw = getattr(value, "value", value)
            if raw in ("critical", "high", "escalated", "at_risk", "slipping", "lost", "missed"):
                return QBrush(QColor(theme.BAND_COLOURS["red"]))
            if raw in ("commit", "done", "achieved", "won", "on_track"):
                return QBrush(QColor(theme.BAND_COLOURS["green"]))
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (
            index.isValid()
            and role == Qt.ItemDataRole.CheckStateRole
            and self.spec.columns[index.column()].kind in _TICKABLE
        ):
            checked = Qt.CheckState(value) == Qt.CheckState.Checked
            # Applied through the undo stack; the refresh then shows it.
            column = self.spec.columns[index.column()]
            self.toggled.emit(self.items[index.row()], column.key, checked)
            return True
        return False


def _when_text(value: datetime, all_day: bool) -> str:
    """A touchpoint's day, and its local time as the locale writes it unless it is all day."""
    local = touchpoint_local(value, all_day, local_zone())
    if not isinstance(local, datetime):
        return dates_text.day(local)
    return f"{dates_text.day(local)}  {time_text(local.time())}"
