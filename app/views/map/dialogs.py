"""The map's questions to the user, each a small function tests can replace.

Callers always go through this module (``dialogs.refuse(...)``), never a bound import, so
``monkeypatch.setattr(dialogs, "refuse", ...)`` answers them in tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QPoint, QPointF
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QInputDialog,
    QLineEdit,
    QMenu,
    QMessageBox,
    QWidget,
)

from app.models.enums import RelationKind
from app.services import dates_text
from app.services.map_versions import VersionInfo
from app.services.stakeholder_graph import RELATION_LABELS
from app.views.date_edit import day_picker
from app.views.dialogs import choose_save_path as ask_save_path
from app.views.dialogs import form_dialog, refuse

__all__ = ["ask_save_path", "refuse"]  # the map's uses, replaceable here by tests


def choose_relation_kind(screen_pos: QPoint | QPointF) -> RelationKind | None:
    """The small popup asking what kind of line was just drawn; None when dismissed."""
    menu = QMenu()
    hints = {
        RelationKind.INFLUENCE: "Shift",
        RelationKind.CONFLICT: "Ctrl",
        RelationKind.ALLIANCE: "Alt",
        RelationKind.DOTTED_LINE: "Ctrl+Shift",
    }
    for kind, label in RELATION_LABELS.items():
        action = menu.addAction(f"{label}\t{hints[kind]}")
        action.setData(kind.value)
    pos = screen_pos.toPoint() if isinstance(screen_pos, QPointF) else screen_pos
    chosen = menu.exec(pos)
    return None if chosen is None else RelationKind(chosen.data())


def choose_action(screen_pos: QPoint | QPointF, actions: list[tuple[str, str]]) -> str | None:
    """A context menu of ``(key, label)`` entries (label "-" is a separator); the key chosen."""
    menu = QMenu()
    for key, label in actions:
        if label == "-":
            menu.addSeparator()
            continue
        action = menu.addAction(label)
        action.setData(key)
    pos = screen_pos.toPoint() if isinstance(screen_pos, QPointF) else screen_pos
    chosen = menu.exec(pos)
    return None if chosen is None else str(chosen.data())


def ask_removal(parent: QWidget | None, names: list[str]) -> str | None:
    """ "card" (take off the map), "person" (delete them) or None (cancel)."""
    who = names[0] if len(names) == 1 else f"{len(names)} people"
    box = QMessageBox(parent)
    box.setWindowTitle("Remove from the map")
    box.setText(f"Remove {who} from the map only, or delete from the account?")
    card = box.addButton("Remove from map", QMessageBox.ButtonRole.AcceptRole)
    person = box.addButton("Delete person", QMessageBox.ButtonRole.DestructiveRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    clicked = box.clickedButton()
    if clicked is card:
        return "card"
    if clicked is person:
        return "person"
    return None


@dataclass(frozen=True)
class DepartureAnswer:
    """What the user said about a contact who left."""

    departed_on: date
    departed_to: str
    is_lead: bool


def ask_departure(parent: QWidget | None, name: str, today: date) -> DepartureAnswer | None:
    """Ask when a contact left, where they went, and whether that is a sales lead."""
    dialog = QDialog(parent)
    dialog.setWindowTitle(f"{name} has left")
    when = day_picker(today)
    where = QLineEdit()
    where.setPlaceholderText("Company or new role")
    lead = QCheckBox("Tell sales: a new lead")
    form_dialog(dialog, (("Left on", when), ("Went to", where), ("", lead)))
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    picked = when.date()
    return DepartureAnswer(
        date(picked.year(), picked.month(), picked.day()), where.text(), lead.isChecked()
    )


def ask_text(parent: QWidget | None, title: str, label: str, text: str = "") -> str | None:
    """One line of text, or None when cancelled."""
    value, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Normal, text)
    return value if ok and value.strip() else None


def ask_version_pair(
    parent: QWidget | None, versions: list[VersionInfo]
) -> tuple[str, str | None] | None:
    """Two versions to compare (older, newer or None for "the map now")."""
    dialog = QDialog(parent)
    dialog.setWindowTitle("Compare map versions")
    old = QComboBox()
    new = QComboBox()
    new.addItem("The map as it is now", None)
    for version in versions:
        label = f"{version.name} ({dates_text.moment(version.created_at)})"
        old.addItem(label, version.id)
        new.addItem(label, version.id)
    form_dialog(dialog, (("From", old), ("To", new)))
    if dialog.exec() != QDialog.DialogCode.Accepted or old.currentData() is None:
        return None
    return (str(old.currentData()), new.currentData())


def ask_printer(parent: QWidget | None) -> Any:
    """A configured ``QPrinter`` from the print dialog, or None when cancelled."""
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    dialog = QPrintDialog(printer, parent)
    if dialog.exec() != QPrintDialog.DialogCode.Accepted:
        return None
    return printer
