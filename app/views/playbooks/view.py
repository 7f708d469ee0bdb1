"""The Playbooks home view: the playbook editor and the cadence editor side by side in tabs."""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from app.models.changes import ChangeKind, ChangeSet
from app.views.context import AppContext
from app.views.playbooks.cadence_editor import CadenceEditor
from app.views.playbooks.editor import PlaybookEditor


class PlaybooksView(QWidget):
    """Edit the playbooks and the governance cadence (both stored in the workspace)."""

    title = "Playbooks"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.playbooks = PlaybookEditor(ctx, self.tabs)
        self.cadence = CadenceEditor(ctx, self.tabs)
        self.tabs.addTab(self.playbooks, "Playbooks")
        self.tabs.addTab(self.cadence, "Governance cadence")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        ctx.events.changed.connect(self._on_changed)

    def _on_changed(self, changes: ChangeSet) -> None:
        if changes.touches(ChangeKind.PLAY):
            self.playbooks.reload()
            self.cadence.reload()
