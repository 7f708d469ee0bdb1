"""The map tab's file and history actions: versions, compare, export, print."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QRectF
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QListWidgetItem

from app.services.labels import quoted
from app.services.map_versions import compare_versions, list_map_versions, save_map_version
from app.views.map import dialogs

if TYPE_CHECKING:
    from app.views.map.tab import StakeholderMapTab


class MapExtras(QObject):
    """Actions that do not edit the map: they save, compare, export or print it."""

    def __init__(self, tab: StakeholderMapTab) -> None:
        super().__init__(tab)
        self.tab = tab
        #: The versions being compared (None: the map as it is now), kept up to date.
        self._compared: tuple[str, str | None] | None = None

    def save_version(self) -> str | None:
        """Save the map as a named version; returns its id."""
        tab = self.tab
        if tab.account_id is None:
            return None
        name = dialogs.ask_text(tab, "Save map version", "Name of this version:")
        if name is None or not name.strip():
            return None
        version_id = save_map_version(tab.ctx.store, tab.account_id, name.strip())
        count = len(tab.scene.cards)
        tab.notify(f"Saved map version {quoted(name.strip())} ({count} people on the map).")
        return version_id

    def compare_versions(self) -> None:
        """Ask for two versions, list the differences and mark them on the map."""
        tab = self.tab
        if tab.account_id is None:
            return
        versions = list_map_versions(tab.ctx.store, tab.account_id)
        if not versions:
            dialogs.refuse(tab, "Save a version of this map first, then compare it later.")
            return
        pair = dialogs.ask_version_pair(tab, versions)
        if pair is None:
            return
        self.show_comparison(*pair)

    def show_comparison(self, old_id: str, new_id: str | None) -> None:
        """Show what changed from ``old_id`` to ``new_id`` (None: the map now)."""
        self._compared = (old_id, new_id)
        self._show(old_id, new_id)
        self.tab.side_tabs.setCurrentIndex(2)

    def follow_comparison(self) -> None:
        """Recompute a comparison against the map as it is now (after an edit, undo, redo)."""
        if self._compared is not None and self._compared[1] is None:
            try:
                self._show(*self._compared)
            except LookupError:
                self.clear_comparison()

    def forget_comparison(self) -> None:
        self._compared = None

    def _show(self, old_id: str, new_id: str | None) -> None:
        tab = self.tab
        diff = compare_versions(tab.ctx.store, old_id, new_id)
        tab.changes_list.clear()
        for text in diff.lines_of_text() or ["No differences."]:
            tab.changes_list.addItem(QListWidgetItem(text))
        marks: dict[str, str] = {}
        marks.update(dict.fromkeys((c.stakeholder_id for c in diff.changed), "changed"))
        marks.update({pid: "joined" for pid, _ in diff.joined})
        marks.update({pid: "left" for pid, _ in diff.left})
        tab.scene.set_diff_marks(marks)

    def clear_comparison(self) -> None:
        self._compared = None
        self.tab.changes_list.clear()
        self.tab.scene.set_diff_marks({})

    def export_image(self) -> None:
        """Save the map as PNG or SVG (customer view when that toggle is on)."""
        tab = self.tab
        if tab.account_id is None or tab.imap is None:
            return
        from app.exports.map_image import export_map_image
        from app.exports.safety import ExportError

        suggested = f"{tab.imap.account_name} stakeholder map.png"
        path = dialogs.ask_save_path(
            tab, "Export map", suggested, "PNG image (*.png);;SVG image (*.svg)"
        )
        if path is None:
            return
        if path.suffix.lower() not in (".png", ".svg"):
            path = path.with_suffix(".png")
        try:
            export_map_image(
                tab.ctx.store,
                tab.account_id,
                path,
                customer_safe=tab.customer_safe,
                today=tab.ctx.today,
            )
        except ExportError as exc:  # the folder went away or is not writable: say so
            dialogs.refuse(tab, str(exc))

    def print_map(self) -> None:
        """Print the whole map on one page (landscape when the map is wide)."""
        tab = self.tab
        if not tab.scene.cards:
            return
        printer = dialogs.ask_printer(tab)
        if printer is None:
            return
        source = tab.scene.cards_rect().adjusted(-30, -30, 30, 30)
        selected = tab.scene.selected_ids()
        tab.scene.clearSelection()
        painter = QPainter(printer)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        tab.scene.render(painter, QRectF(), source)
        painter.end()
        tab.scene.select_ids(selected)
