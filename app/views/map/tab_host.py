"""What the map tab's mixins (``tab_showing``, ``tab_gestures``, ``tab_edits``) use of the tab
they are mixed into, declared for the type checker: only it imports this module."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from PySide6.QtCore import QVariantAnimation
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QLabel, QListWidget, QTabWidget

    from app.services.map_analysis import MapWarning
    from app.services.stakeholder_graph import InfluenceMap
    from app.views.context import AppContext
    from app.views.map.commands import MapCommand
    from app.views.map.inline_edit import InlineEditor
    from app.views.map.legend import MapLegend
    from app.views.map.panels import OffMapList, WarningsPanel
    from app.views.map.person_form import EditPanel
    from app.views.map.scene import StakeholderScene
    from app.views.map.side_panel import FoldingPanel
    from app.views.map.tab_extras import MapExtras
    from app.views.map.view import MapView


class MapTabHost(QWidget):
    """``StakeholderMapTab`` as its mixins see it: the parts ``tab.py`` builds, and the
    methods one mixin calls on another (each defined once, in ``tab.py`` or a mixin)."""

    ctx: AppContext
    account_id: str | None
    imap: InfluenceMap | None
    warnings: list[MapWarning]
    scene: StakeholderScene
    view: MapView
    legend: MapLegend
    empty_label: QLabel
    off_map: OffMapList
    warnings_panel: WarningsPanel
    edit_panel: EditPanel
    changes_list: QListWidget
    side_tabs: QTabWidget
    left_panel: FoldingPanel
    extras: MapExtras
    safe_action: QAction
    _animation: QVariantAnimation | None
    _editor: InlineEditor | None
    _fit_pending: bool
    _panels_pending: bool
    _after_paint_pending: bool
    _analysis_pending: bool

    if TYPE_CHECKING:
        # tab.py
        def notify(self, text: str) -> None: ...
        def _place_overlays(self) -> None: ...

        # tab_showing
        def push(self, command: MapCommand[Any]) -> bool: ...
        def refresh(self) -> None: ...

        # tab_gestures
        def reveal(self, ids: list[str]) -> None: ...
        def _on_edited(self, stakeholder_id: str, changes: dict[str, object]) -> None: ...

        # tab_edits
        @property
        def customer_safe(self) -> bool: ...
