"""The one dialogs module: ask, tell, refuse, choose a file; each a function tests replace.
Also the button rows that dialogs and panels end with (``ok_cancel``, ``button_row``) and
the form a small dialog is (``form_dialog``).

Other view modules import these names (``from app.views.dialogs import refuse``) rather than
opening message boxes or file dialogs of their own.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLineEdit,
    QMessageBox,
    QWidget,
)


def ask(parent: QWidget | None, title: str, text: str, confirm: str = "OK") -> bool:
    """A yes/no question; True when the user confirms."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(title)
    box.setText(text)
    ok = box.addButton(confirm, QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    return box.clickedButton() is ok


def tell(parent: QWidget | None, title: str, text: str) -> None:
    """An information (or refusal) message with one OK button."""
    QMessageBox.information(parent, title, text)


def refuse(parent: QWidget | None, message: str) -> None:
    """Tell the user an edit or an action was refused, and why (one sentence)."""
    QMessageBox.information(parent, "Not possible", message)


def choose_save_path(
    parent: QWidget | None, title: str, suggested: str | Path, filters: str
) -> Path | None:
    """Where to save a file (``filters`` as Qt writes them), or None when cancelled."""
    name, _chosen = QFileDialog.getSaveFileName(parent, title, str(suggested), filters)
    return Path(name) if name else None


def ask_text(parent: QWidget | None, title: str, label: str, default: str = "") -> str | None:
    """One line of text, or None when cancelled.

    OK on an empty field says that a name is required and asks again, rather than closing
    as if the user had cancelled.
    """
    while True:
        value, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Normal, default)
        if not ok:
            return None
        value = value.strip()
        if value:
            return value
        tell(parent, title, "A name is required: type one, or click Cancel.")


def ask_open_path(parent: QWidget | None, title: str, folder: str = "") -> str | None:
    """A workspace file to open, or None."""
    path, _ = QFileDialog.getOpenFileName(
        parent, title, folder, "Fieldbook workspaces (*.db *.fieldbook);;All files (*)"
    )
    return path or None


def ask_save_path(parent: QWidget | None, title: str, folder: str = "") -> str | None:
    """Where to create a new workspace file, or None."""
    chosen = choose_save_path(parent, title, folder, "Fieldbook workspaces (*.db);;All files (*)")
    if chosen is None:
        return None
    path = str(chosen)
    if "." not in chosen.name:
        path += ".db"
    return path


def ok_cancel(dialog: QDialog) -> QDialogButtonBox:
    """OK and Cancel buttons that accept and reject ``dialog`` (the caller places them)."""
    Button = QDialogButtonBox.StandardButton
    buttons = QDialogButtonBox(Button.Ok | Button.Cancel, dialog)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


def form_dialog(dialog: QDialog, rows: Iterable[tuple[str, QWidget]]) -> QFormLayout:
    """Lay ``rows`` (label, field; an empty label for a check box that names itself) out on
    ``dialog`` as a form, with OK and Cancel below."""
    form = QFormLayout(dialog)
    for label, field in rows:
        form.addRow(label, field)
    form.addRow(ok_cancel(dialog))
    return form


def button_row(*left: QWidget, right: Iterable[QWidget] = ()) -> QHBoxLayout:
    """A row of buttons (and their labels): ``left`` from the left edge, ``right`` against the
    right edge."""
    row = QHBoxLayout()
    for widget in left:
        row.addWidget(widget)
    row.addStretch(1)
    for widget in right:
        row.addWidget(widget)
    return row
