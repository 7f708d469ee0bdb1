"""Help windows: the keyboard shortcuts (generated from the action registries) and a guide."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.views.action_binding import is_available
from app.views.actions import MAP_MENU, REGISTRY, ActionSpec
from app.views.table_base import fit_columns

#: Mouse gestures of the stakeholder map: they have no QAction, so they are listed here.
MAP_GESTURES: tuple[tuple[str, str], ...] = (
    ("Drag a card onto another card", "Set who they report to (undo with Ctrl+Z)"),
    ("Drag from a card's + handle to a card", "Draw a line: a menu asks which kind"),
    ("… holding Shift / Ctrl / Alt / Ctrl+Shift", "Influence / conflict / alliance / dotted line"),
    ("Drag a name from “Not on the map”", "Put them on the map (onto a card: reporting to it)"),
    ("Click a card", "Select it and show the person panel"),
    ("Double-click a card or a line", "Edit the person, or the line's note"),
    ("Right-click a card or a line", "More: reports to nobody, strength, kind, departed"),
    ("Wheel / Shift+wheel, middle-drag, Space+drag", "Scroll and pan the map"),
    ("Ctrl+wheel, pinch", "Zoom"),
    ("Arrow keys (Shift: finer)", "Nudge the selected cards"),
)


def _keys(spec: ActionSpec) -> str:
    keys = spec.shortcut if isinstance(spec.shortcut, tuple) else (spec.shortcut,)
    texts: list[str] = []
    for key in keys:
        if key is None:
            continue
        sequences = [QKeySequence(key)] if isinstance(key, str) else QKeySequence.keyBindings(key)
        texts.extend(s.toString(QKeySequence.SequenceFormat.NativeText) for s in sequences)
    return ", ".join(dict.fromkeys(t for t in texts if t))


def shortcut_rows() -> list[tuple[str, str, str]]:
    """(where, command, keys) for every registered action with a shortcut, then the gestures.

    Needs a QGuiApplication (standard keys are the platform's).
    """
    rows: list[tuple[str, str, str]] = []
    for spec in REGISTRY:
        keys = _keys(spec)
        if keys and is_available(spec):
            where = spec.menu.replace("&", "")
            rows.append((where, spec.text.replace("&", "").rstrip("…"), keys))
    rows.extend((f"{MAP_MENU} (mouse)", what, gesture) for gesture, what in MAP_GESTURES)
    return rows


def _lay_out(dialog: QDialog, body: QWidget, width: int, height: int) -> None:
    """``body`` above a Close button, the dialog at ``width`` x ``height``."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.rejected.connect(dialog.close)
    layout = QVBoxLayout(dialog)
    layout.addWidget(body)
    layout.addWidget(buttons)
    dialog.resize(width, height)


class ShortcutsDialog(QDialog):
    """Help › Keyboard shortcuts: one table, grouped by where the command lives."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        rows = shortcut_rows()
        self.table = QTableWidget(len(rows), 3, self)
        self.table.setHorizontalHeaderLabels(["Where", "Command", "Keys or gesture"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(r, c, item)
        fit_columns(self.table.horizontalHeader(), 1)
        # Wide enough for the map's longest command beside the longest keys on one line.
        _lay_out(self, self.table, 840, 560)


GUIDE_HTML = """
<h2>Getting around Fieldbook</h2>
<p><b>Daily routine.</b> Start on <i>Today</i>: tasks due, renewals coming up (contact at
least 120 days before, remind at 60) and accounts whose health dropped. Click a row to open
its account. <i>Alerts</i> lists every health alert of your book (or the whole team's):
acknowledge one, make a task of it, or open its account; <i>Alert rules…</i> there says what
raises them.</p>
<p><b>An account.</b> Pick it in the tree on the left (type to filter). Its tabs hold the
overview, stakeholders, health, renewals, success plan, touchpoints and risks. Every edit can
be undone with Ctrl+Z; the Edit menu says what will be undone.</p>
<h3>Mapping stakeholders</h3>
<ol>
<li><b>Place people.</b> Drag names from <i>Not on the map</i> onto the canvas, or click
<i>Add person…</i> (the new card is selected and scrolled into view).</li>
<li><b>Reporting lines.</b> Drag a card onto its manager's card. A drop that would make a loop,
or changes nothing, is refused with a message and the card goes back.</li>
<li><b>Influence and conflict.</b> Drag from a card's round <b>+</b> handle (on its right
edge) to another card; hold Shift for influence, Ctrl for conflict, Alt for alliance, or
choose from the menu.</li>
<li><b>Departures.</b> Select the person and click <i>Departed…</i>: say when, where they
went and who succeeds them; it is one undo step.</li>
<li><b>Tidy layout</b> (Ctrl+L) arranges the org chart; a large team of individual
contributors is stacked in a column under its manager.</li>
<li><b>Reading the map.</b> Toggle the <i>Legend</i>. <i>Customer view</i> hides sentiment,
blockers, notes and warnings before you share or print. Save a version before a reorg and
<i>Compare…</i> later.</li>
</ol>
<p>Fold the side panels with the thin arrow buttons on their edges; Fieldbook remembers.</p>
<h3>QBRs and reports</h3>
<p><i>Export QBR</i> writes the deck for the selected account; File › Export writes the
portfolio report (Excel) and the renewal calendar.</p>
"""


class GuideDialog(QDialog):
    """Help › Guide: the map gestures and the main workflows, in a few paragraphs."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Fieldbook guide")
        self.browser = QTextBrowser(self)
        self.browser.setHtml(GUIDE_HTML)
        self.browser.setOpenExternalLinks(False)
        _lay_out(self, self.browser, 640, 600)


def _show(window: QWidget, cls: type[QDialog], name: str) -> QDialog:
    existing = window.findChild(cls, name)
    dialog = existing if isinstance(existing, cls) else cls(window)
    dialog.setObjectName(name)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
    dialog.show()
    dialog.raise_()
    return dialog


def show_shortcuts(window: QWidget) -> QDialog:
    """Help › Keyboard shortcuts (non-modal, one window)."""
    return _show(window, ShortcutsDialog, "shortcutsDialog")


def show_guide(window: QWidget) -> QDialog:
    """Help › Guide (non-modal, one window)."""
    return _show(window, GuideDialog, "guideDialog")
