"""Small modal questions behind replaceable functions, so tests can answer them."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget


def show_error(parent: QWidget | None, text: str) -> None:
    """Tell the user an edit was refused; tests replace this."""
    QMessageBox.warning(parent, "Fieldbook", text)
