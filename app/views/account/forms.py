"""The item form: fields built from specs, validated as the user types, errors beside them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.services.labels import label_of
from app.views.account.fields import FieldSpec
from app.views.amount_edit import AmountEdit
from app.views.date_edit import DateLineEdit, DateTimeFields
from app.views.locale_text import number_separators
from app.views.window_fit import TITLE_BAR, available_area


def money_example() -> str:
    """``1,234.50`` as the user's locale writes it (``1.234,50`` in German)."""
    from app.services.money import format_amount

    decimal, group = number_separators()
    return format_amount(123450, decimal=decimal, group=group)


class FieldEditor(QWidget):
    """One field's input with its error message right below it."""

    def __init__(
        self,
        spec: FieldSpec,
        choices: Sequence[tuple[Any, str]] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.spec = spec
        #: A money field's currency, shown after its amount inside its box ("299,000.00
        #: USD" as the cards say "$299K"): a bare "299,000.00" did not say which money.
        self.unit: QLabel | None = None
        self._currency = "USD"
        # The message takes one line that is kept while hidden: showing it never moves the
        # fields below (the next click would land on the wrong control). Long ones elide.
        self.error = QLabel(self)
        self.error.setProperty("role", "error")
        self.error.setWordWrap(False)
        self.error.setFixedHeight(self.error.fontMetrics().height() + 2)
        policy = self.error.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        policy.setHorizontalPolicy(QSizePolicy.Policy.Ignored)
        self.error.setSizePolicy(policy)
        self.error.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        kind = spec.kind
        self.input: QWidget
        if kind == "multiline":
            edit = QPlainTextEdit(self)
            edit.setTabChangesFocus(True)
            edit.setPlaceholderText(spec.placeholder)
            edit.setFixedHeight(84)
            edit.textChanged.connect(self.validate)
            self.input = edit
        elif kind in ("enum", "choice"):
            box = QComboBox(self)
            if not spec.required:
                box.addItem(spec.placeholder or "—", None)
            items = (
                [(m.value, label_of(m)) for m in spec.enum] if spec.enum is not None else choices
            )
            for value, text in items:
                box.addItem(text, value)
            box.currentIndexChanged.connect(self.validate)
            self.input = box
        elif kind == "bool":
            check = QCheckBox(spec.extra.get("text", ""), self)
            self.input = check
        elif kind == "people":
            people = QListWidget(self)
            people.setFixedHeight(96)
            for value, text in choices:
                item = QListWidgetItem(text, people)
                item.setData(Qt.ItemDataRole.UserRole, value)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Unchecked)
            if not choices:
                item = QListWidgetItem("No stakeholders recorded for this account yet", people)
                item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.input = people
        elif kind == "datetime":
            when = DateTimeFields(self)
            when.dates.setObjectName(f"field_{spec.name}_date")
            when.times.setObjectName(f"field_{spec.name}_time")
            when.changed.connect(self.validate)
            self.input = when
        elif kind == "date":
            dates = DateLineEdit(self)
            dates.textChanged.connect(self.validate)
            dates.date_picked.connect(lambda _d: self.validate())
            self.input = dates
        else:
            line = AmountEdit(self.currency, self) if kind == "money" else QLineEdit(self)
            # An example must not read as the value: a bare "1,234.50" or "0" in an empty
            # field looked like the account's revenue or head count.
            line.setPlaceholderText(
                spec.placeholder
                or {"money": f"e.g. {money_example()}", "duration": "45, 1:30, 1h 30m"}.get(
                    kind, ""
                )
            )
            if kind in ("money", "int", "duration"):
                line.setAlignment(Qt.AlignmentFlag.AlignRight)
            line.textChanged.connect(self.validate)
            self.input = line
        self.input.setObjectName(f"field_{spec.name}")
        self.input.setAccessibleName(spec.label)
        if isinstance(self.input, AmountEdit):
            self.unit = self.input.unit
            self.unit.setObjectName(f"unit_{spec.name}")
        layout.addWidget(self.input)
        layout.addWidget(self.error)

    @property
    def currency(self) -> str:
        """The currency a money field is read in (the record's currency)."""
        return self._currency

    @currency.setter
    def currency(self, code: str) -> None:
        self._currency = code
        if isinstance(self.input, AmountEdit):
            self.input.set_code(code)

    def set_value(self, value: Any) -> None:
        w = self.input
        if isinstance(w, QPlainTextEdit):
            w.setPlainText("" if value is None else str(value))
        elif isinstance(w, QComboBox):
            raw = getattr(value, "value", value)
            w.setCurrentIndex(max(0, w.findData(raw)))
        elif isinstance(w, QCheckBox):
            w.setChecked(bool(value))
        elif isinstance(w, QListWidget):
            wanted = set(value or [])
            for row in range(w.count()):
                item = w.item(row)
                if item.flags() & Qt.ItemFlag.ItemIsUserCheckable:
                    checked = item.data(Qt.ItemDataRole.UserRole) in wanted
                    item.setCheckState(
                        Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
                    )
        elif isinstance(w, DateLineEdit):
            w.set_date(value if isinstance(value, date) else None)
        elif isinstance(w, DateTimeFields):
            w.set_value(value if isinstance(value, date) else None)
        elif isinstance(w, QLineEdit):
            w.setText(self.spec.to_text(value, self.currency))
            if not w.hasFocus():
                # A value wider than the field shows its start ("Valleyspring Ent…", not
                # "alleyspring Entertainment Argentina"): setText leaves the cursor at the end.
                w.setCursorPosition(0)
        self.validate()

    def text(self) -> str:
        w = self.input
        if isinstance(w, QPlainTextEdit):
            return w.toPlainText()
        if isinstance(w, QLineEdit):
            return w.text()
        return ""

    def value(self) -> Any:
        """The parsed value; raises ValueError (the message shown beside the field)."""
        w = self.input
        if isinstance(w, QCheckBox):
            return w.isChecked()
        if isinstance(w, QListWidget):
            return [
                w.item(r).data(Qt.ItemDataRole.UserRole)
                for r in range(w.count())
                if w.item(r).checkState() == Qt.CheckState.Checked
            ]
        if isinstance(w, QPlainTextEdit):
            text = w.toPlainText().strip()
            self.spec.check_given(bool(text))
            validator = self.spec.extra.get("validate")
            if validator is not None:
                validator(text)
            return text or None
        if isinstance(w, QComboBox | DateTimeFields | DateLineEdit):
            if isinstance(w, QComboBox):
                picked = w.currentData()
            else:
                picked = w.value() if isinstance(w, DateTimeFields) else w.date_value()
            self.spec.check_given(picked is not None)
            return picked
        return self.spec.parse(self.text(), self.currency)

    def validate(self) -> bool:
        """Show or hide the error; True when the value is valid."""
        try:
            self.value()
        except ValueError as exc:
            message = str(exc)
            self.error.setText(message)
            self.error.setToolTip(message)
            self.error.show()
            self.input.setProperty("invalid", True)
            ok = False
        else:
            self.error.hide()
            self.input.setProperty("invalid", False)
            ok = True
        self.input.style().unpolish(self.input)
        self.input.style().polish(self.input)
        parent = self.parent()
        while parent is not None and not isinstance(parent, ItemForm):
            parent = parent.parent()
        if isinstance(parent, ItemForm):
            parent.update_ok()
        return ok


class _FormScroll(QScrollArea):
    """Scrolls the fields only when the screen is too short for them: it asks for the
    fields' whole height (QScrollArea's own hint stops at 24 lines)."""

    def sizeHint(self) -> QSize:
        fields = self.widget()
        if fields is None:
            return super().sizeHint()
        inner = fields.sizeHint()
        frame = 2 * self.frameWidth()
        bar = self.verticalScrollBar().sizeHint().width()
        return QSize(inner.width() + frame + bar, inner.height() + frame)


class ItemForm(QDialog):
    """A dialog over a list of field specs; ``result_values()`` after ``exec()`` accepted."""

    def __init__(
        self,
        title: str,
        specs: Sequence[FieldSpec],
        values: Mapping[str, Any] | None = None,
        choices: Mapping[str, Sequence[tuple[Any, str]]] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(440)
        self.specs = list(specs)
        self.initial = dict(values or {})
        self.editors: dict[str, FieldEditor] = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        for spec in self.specs:
            editor = FieldEditor(spec, (choices or {}).get(spec.name, ()), self)
            self.editors[spec.name] = editor
            label = spec.label + (" *" if spec.required else "")
            form.addRow(label, editor)
        currency = str(self.initial.get("currency") or "USD")
        for editor in self.editors.values():
            editor.currency = currency
        for spec in self.specs:
            initial = self.initial.get(spec.name, spec.default)
            self.editors[spec.name].set_value(initial)
        currency_editor = self.editors.get("currency")
        if currency_editor is not None and isinstance(currency_editor.input, QLineEdit):
            currency_editor.input.textChanged.connect(self._currency_changed)
        fields = QWidget()
        fields.setLayout(form)
        form.setContentsMargins(0, 0, 0, 0)
        scroll = _FormScroll(self)
        scroll.setWidget(fields)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.buttons)
        self.update_ok()
        # A risk's form (four text boxes) was 930 pixels tall: on a 768-pixel laptop screen
        # its OK and Cancel were below the screen's edge. Now its fields scroll instead.
        # Sized here, as Qt's own first size stops at two thirds of the screen's height.
        area = available_area(parent or self)
        hint = self.sizeHint()
        self.resize(min(hint.width(), area.width()), min(hint.height(), area.height() - TITLE_BAR))

    def _currency_changed(self, text: str) -> None:
        # Amounts are read in the currency chosen beside them (no decimals for JPY).
        code = text.strip().upper()
        if len(code) != 3:
            return
        for editor in self.editors.values():
            if editor.spec.kind == "money":
                editor.currency = code
                editor.validate()

    def update_ok(self) -> None:
        if not hasattr(self, "editors") or len(self.editors) < len(getattr(self, "specs", [])):
            return
        ok = True
        for editor in self.editors.values():
            try:
                editor.value()
            except ValueError:
                ok = False
        for editor in self.editors.values():
            message = self._cross_check(editor)
            if message is not None:
                ok = False
                editor.error.setText(message)
                editor.error.show()
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)

    def _cross_check(self, editor: FieldEditor) -> str | None:
        """Rules between fields, e.g. an end date not before the start date."""
        other_name = editor.spec.extra.get("not_before")
        if other_name is None or other_name not in self.editors:
            return None
        try:
            value = editor.value()
            other = self.editors[other_name].value()
        except ValueError:
            return None
        if value is not None and other is not None and value < other:
            label = self.editors[other_name].spec.label.lower()
            return (
                f"Must not be before the {label} date."
                if "date" not in label
                else (f"Must not be before the {label}.")
            )
        return None

    def result_values(self) -> dict[str, Any]:
        """Every field's parsed value (raises ValueError if one is invalid)."""
        return {name: editor.value() for name, editor in self.editors.items()}

    def changed_values(self) -> dict[str, Any]:
        """Only the fields whose value differs from what the form was opened with."""
        out = {}
        for name, value in self.result_values().items():
            before = self.initial.get(name)
            before = getattr(before, "value", before)
            if value != before:
                out[name] = value
        return out


def edit_form(
    parent: QWidget | None,
    title: str,
    specs: Sequence[FieldSpec],
    values: Mapping[str, Any] | None = None,
    choices: Mapping[str, Sequence[tuple[Any, str]]] | None = None,
    new: bool = False,
) -> dict[str, Any] | None:
    """Show the form; None if cancelled, else all values (``new``) or only the changed ones.

    Tests replace this function to answer the dialog.
    """
    form = ItemForm(title, specs, values, choices, parent)
    if form.exec() != QDialog.DialogCode.Accepted:
        return None
    return form.result_values() if new else form.changed_values()
