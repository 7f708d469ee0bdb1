"""Small modal questions, each behind a module-level function that tests replace."""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox, QWidget


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
    from PySide6.QtWidgets import QFileDialog

    path, _ = QFileDialog.getOpenFileName(
        parent, title, folder, "Fieldbook workspaces (*.db *.fieldbook);;All files (*)"
    )
    return path or None


def ask_save_path(parent: QWidget | None, title: str, folder: str = "") -> str | None:
    """Where to create a new workspace file, or None."""
    from PySide6.QtWidgets import QFileDialog

    path, _ = QFileDialog.getSaveFileName(
        parent, title, folder, "Fieldbook workspaces (*.db);;All files (*)"
    )
    if path and "." not in path.rsplit("/", 1)[-1]:
        path += ".db"
    return path or None
