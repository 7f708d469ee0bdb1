"""The main window's menus, toolbar and tree context menu, built from the action registry,
with undo and redo labelled by what they would do."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QToolBar
from shiboken6 import Shiboken

from app.views.actions import ACTIONS, MENUS
from app.views.icons import icon
from app.views.menu_text import literal

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMainWindow as _Window
else:
    _Window = object


class WindowMenus(_Window):
    """Mixed into ``MainWindow``: where each declared action shows, and which are enabled."""

    # What it uses of the window (``main_window``, ``main_window_files``).
    actions_by_id: dict[str, QAction]

    if TYPE_CHECKING:

        def _fill_recent(self) -> None: ...

    def _build_menus(self) -> None:
        menus: dict[str, QMenu] = {name: self.menuBar().addMenu(name) for name in MENUS}
        self.recent_menu = QMenu("Open &Recent", self)
        self.recent_menu.setIcon(icon("open"))
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        for spec in ACTIONS:
            action = self.actions_by_id.get(spec.id)
            if action is None:
                continue
            menu = menus[spec.menu]
            if spec.separator_before and not menu.isEmpty():
                menu.addSeparator()
            menu.addAction(action)
            if spec.id == "open_workspace":
                menu.addMenu(self.recent_menu)
        self.view_menu = menus["&View"]

    def _build_toolbar(self) -> None:
        bar = QToolBar("Main toolbar", self)
        bar.setObjectName("mainToolbar")
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        bar.setIconSize(bar.iconSize() * 0.85)
        groups = {"open_workspace": 0, "undo": 1, "redo": 1, "home": 2, "new_account": 2}
        last_group = None
        for spec in ACTIONS:
            action = self.actions_by_id.get(spec.id)
            if action is None or not spec.toolbar:
                continue
            group = groups.get(spec.id, 3)
            if last_group is not None and group != last_group:
                bar.addSeparator()
            last_group = group
            bar.addAction(action)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
        self.toolbar = bar

    def _context_actions(self) -> list[QAction | None]:
        out: list[QAction | None] = []
        for spec in ACTIONS:
            action = self.actions_by_id.get(spec.id)
            if action is None or not spec.context:
                continue
            if spec.separator_before and out:
                out.append(None)
            out.append(action)
        return out

    @staticmethod
    def _label_undo(action: QAction, verb: str, text: str) -> None:
        if not Shiboken.isValid(action):  # the window is being torn down
            return
        # The menu says what will be undone; the toolbar button keeps its one word (a growing
        # label shifted every button after it), the full text is in its tooltip.
        action.setText(f"&{verb} {literal(text)}" if text else f"&{verb}")
        action.setIconText(verb)
        action.setToolTip(f"{verb} {text}" if text else f"Nothing to {verb.lower()}")

    def _enable_account_actions(self, has: bool) -> None:
        for spec in ACTIONS:
            action = self.actions_by_id.get(spec.id)
            if action is not None and spec.needs_account:
                action.setEnabled(has)
