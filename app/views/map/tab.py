"""The account's Stakeholders tab: the map editor with its side panels and toolbar.

This module assembles the tab (widgets, actions, panels, overlays, view fitting); what it
shows is ``tab_showing``, its gestures ``tab_gestures``, its editing actions ``tab_edits``,
its file and history actions ``tab_extras``.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, QVariantAnimation
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QSplitter,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from app.services.map_analysis import MapWarning
from app.services.stakeholder_graph import InfluenceMap
from app.views.actions import MAP_ACTIONS, ActionSpec
from app.views.context import AppContext
from app.views.elided import ElidedLabel
from app.views.map.inline_edit import InlineEditor
from app.views.map.legend import MapLegend
from app.views.map.menus import MapMenus
from app.views.map.panels import OffMapList, WarningsPanel
from app.views.map.person_form import EditPanel
from app.views.map.scene import StakeholderScene
from app.views.map.side_panel import EDGE, FoldingPanel
from app.views.map.style import theme_for
from app.views.map.tab_edits import MapEdits
from app.views.map.tab_extras import MapExtras
from app.views.map.tab_gestures import MapGestures
from app.views.map.tab_showing import MapShowing
from app.views.map.view import MapView
from app.views.settings import WindowSettings

HINT = (
    "Drag a card onto another card: reports to  ·  drag from a card's + handle: draw a line "
    "(Shift influence, Ctrl conflict, Alt alliance)  ·  F2 rename  ·  Del remove  ·  "
    "Ctrl+wheel zoom"
)
#: Gestures after which the view stays where the user put it (no refit on resize).
USER_MOVES = (
    QEvent.Type.Wheel,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.KeyPress,
    QEvent.Type.NativeGesture,
)


class StakeholderMapTab(MapEdits, MapGestures, MapShowing, QWidget):
    """Org chart and influence map of one account, edited with the mouse."""

    title = "Stakeholders"
    # Built from MAP_ACTIONS (``<id>_action``).
    add_action: QAction
    layout_action: QAction
    fit_action: QAction
    zoom_sel_action: QAction
    zoom_in_action: QAction
    zoom_out_action: QAction
    depart_action: QAction
    remove_action: QAction
    rename_action: QAction
    save_version_action: QAction
    compare_action: QAction
    safe_action: QAction
    legend_action: QAction
    export_action: QAction
    print_action: QAction

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.account_id: str | None = None
        self.imap: InfluenceMap | None = None
        self.warnings: list[MapWarning] = []
        self.theme = theme_for(self.palette())
        self.scene = StakeholderScene(self, self.theme)
        self.view = MapView(self.scene)
        self.legend = MapLegend(self.view, self.theme)
        self.empty_label = QLabel(self.view)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.setStyleSheet(f"color: {self.theme.muted.name()}; font-size: 13pt;")
        self.view.installEventFilter(self)
        self.view.viewport().installEventFilter(self)
        self.off_map = OffMapList()
        self.warnings_panel = WarningsPanel()
        self.edit_panel = EditPanel()
        self.changes_list = QListWidget()
        self.changes_list.setWordWrap(True)
        self.extras = MapExtras(self)
        self._animation: QVariantAnimation | None = None
        self._editor: InlineEditor | None = None
        #: Fit the map once the view has its real size (it has none before it is shown).
        self._fit_pending = True
        #: Fitted and not moved by the user since: a resize fits the map again.
        self._auto_fit = False
        #: The side panels wait for the map's first paint (see ``set_account``).
        self._panels_pending = False
        #: Cards were just built: panels and card caches wait for the next paint.
        self._after_paint_pending = False
        self._analysis_pending = False
        self.settings = WindowSettings()
        self._build()
        self._connect()
        self.menus = MapMenus(self)
        self.set_account(None)

    # --- assembly -----------------------------------------------------------------------

    def _build(self) -> None:
        toolbar = QToolBar()
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for spec in MAP_ACTIONS:
            action = self._make_action(spec)
            setattr(self, f"{spec.id}_action", action)
            if not spec.toolbar:
                continue
            if spec.separator_before:
                toolbar.addSeparator()
            toolbar.addAction(action)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(6, 6, 0, 6)
        left_layout.addWidget(QLabel("<b>Not on the map</b>"))
        self.off_map.setToolTip("Drag people onto the map, or double-click them")
        left_layout.addWidget(self.off_map, 1)
        add_button = QPushButton("Add person…")
        add_button.clicked.connect(self.add_person)
        left_layout.addWidget(add_button)
        self.side_tabs = QTabWidget()
        self.side_tabs.addTab(self.warnings_panel, "Warnings")
        self.side_tabs.addTab(self.edit_panel, "Person")
        changes = QWidget()
        changes_layout = QVBoxLayout(changes)
        changes_layout.setContentsMargins(0, 0, 0, 0)
        changes_layout.addWidget(self.changes_list)
        clear = QPushButton("Clear comparison")
        clear.clicked.connect(self.extras.clear_comparison)
        changes_layout.addWidget(clear)
        self.side_tabs.addTab(changes, "Changes")
        self.left_panel = FoldingPanel("Not on the map", left, side="left")
        self.right_panel = FoldingPanel("Person panel", self.side_tabs, side="right")
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.left_panel)
        splitter.addWidget(self.view)
        splitter.addWidget(self.right_panel)
        splitter.setStretchFactor(1, 1)
        splitter.setCollapsible(1, False)
        splitter.setSizes([190, 900, 290])
        self.splitter = splitter
        # Elided at 1366x768 ("… F2 re…", the whole hint in the tooltip), never cut bare.
        self.hint = ElidedLabel(HINT)
        self.hint.setStyleSheet(f"color: {self.theme.muted.name()}; padding: 2px 8px;")
        self.hint.tip = HINT
        #: One-line confirmations ("Saved version …", "Already reports to …").
        self.status = QLabel()
        self.status.setStyleSheet("padding: 2px 8px; font-weight: bold;")
        self._restore_toggles()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(toolbar)
        layout.addWidget(splitter, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.hint, 1)
        bottom.addWidget(self.status)
        layout.addLayout(bottom)

    def _make_action(self, spec: ActionSpec) -> QAction:
        """A QAction for one ``MAP_ACTIONS`` entry, its shortcut working anywhere in the tab."""
        action = QAction(spec.text, self)
        action.setObjectName(f"map_{spec.id}")
        if spec.shortcut is not None:
            shortcut = spec.shortcut
            action.setShortcut(QKeySequence(shortcut))  # type: ignore[arg-type]
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        if spec.tip:
            keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            action.setToolTip(f"{spec.tip} ({keys})" if keys else spec.tip)
        action.setCheckable(spec.checkable)
        target: object = self
        for name in spec.handler.split("."):
            target = getattr(target, name)
        handler = target
        if spec.checkable:
            action.triggered.connect(handler)
        else:
            action.triggered.connect(lambda _checked=False, h=handler: h())
        self.addAction(action)
        return action

    def zoom_in(self) -> None:
        self.view.zoom_by(1.25)

    def zoom_out(self) -> None:
        self.view.zoom_by(0.8)

    def _connect(self) -> None:
        for action in (self.fit_action, self.zoom_sel_action, self.zoom_in_action,
                       self.zoom_out_action):  # fmt: skip
            # The user chose this view: a resize keeps it (see ``eventFilter``).
            action.triggered.connect(self._keep_view)
        self.ctx.events.changed.connect(self._on_changed)
        self.scene.cards_moved.connect(self._on_cards_moved)
        self.scene.report_requested.connect(self._on_report_requested)
        self.scene.relation_requested.connect(self._on_relation_requested)
        self.scene.card_activated.connect(self.edit_person)
        self.scene.selectionChanged.connect(self._on_selection)
        self.view.people_dropped.connect(self._on_people_dropped)
        self.off_map.add_requested.connect(self._add_at_centre)
        self.warnings_panel.people_chosen.connect(self._select_people)
        self.edit_panel.edited.connect(self._on_edited)
        self.edit_panel.departure_requested.connect(self.mark_departed)
        self.left_panel.folded_changed.connect(lambda f: self._panel_folded("left", f))
        self.right_panel.folded_changed.connect(lambda f: self._panel_folded("right", f))

    def _restore_toggles(self) -> None:
        """Folded panels and the legend as the user left them last time."""
        right = self.settings.map_option("right_folded")
        if right is not None:
            self.right_panel.user_set = True
            self.right_panel.set_folded(right)
        left = self.settings.map_option("left_folded")
        if left is not None:
            self.left_panel.user_set = True
            self.left_panel.set_folded(left)
        legend = bool(self.settings.map_option("legend"))
        self.legend_action.setChecked(legend)
        self.legend.setVisible(legend)

    def _panel_folded(self, side: str, folded: bool) -> None:
        panel = self.left_panel if side == "left" else self.right_panel
        if panel.user_set:
            self.settings.set_map_option(f"{side}_folded", folded)
        # Folding gives the panel's width to the map; unfolding takes a useful width back.
        sizes = self.splitter.sizes()
        index = 0 if side == "left" else 2
        want = EDGE if folded else (200 if side == "left" else 300)
        if sum(sizes) > 0 and sizes[index] != want:
            sizes[1] = max(200, sizes[1] + sizes[index] - want)
            sizes[index] = want
            self.splitter.setSizes(sizes)

    def show_legend(self, on: bool) -> None:
        """Show or hide the legend overlay (remembered)."""
        self.legend_action.setChecked(on)
        self.legend.setVisible(on)
        self.settings.set_map_option("legend", on)
        self._place_overlays()

    def notify(self, text: str) -> None:
        """Confirm something in the map's status line (and the window's status bar)."""
        self.status.setText(text)
        self.status.setToolTip(text)
        window = self.window()
        bar = getattr(window, "statusBar", None)
        if callable(bar):
            bar().showMessage(text, 6000)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view and event.type() in (QEvent.Type.Resize, QEvent.Type.Show):
            self._place_overlays()
        if (
            watched in (self.view, self.view.viewport())
            and event.type() == QEvent.Type.Resize
            and self._auto_fit
        ):
            # Until the user moves the view, a new size (the window maximised or restored
            # after the map opened) fits the map again, once the view has kept its old
            # centre (which left an empty band above the chart).
            QTimer.singleShot(0, self._refit)
        if watched in (self.view, self.view.viewport()) and event.type() in USER_MOVES:
            self._keep_view()
        if (
            watched is self.view.viewport()
            and event.type() == QEvent.Type.Paint
            and not self.scene.built_covers(self._shown_rect())
        ):
            # The view moved or grew before the first paint: it may show any part.
            self.scene.complete()
        if (
            watched is self.view.viewport()
            and event.type() == QEvent.Type.Paint
            and self._after_paint_pending
        ):
            # Runs before this paint: what waits for the first paint comes right after it.
            self._after_paint_pending = False
            QTimer.singleShot(0, self._after_first_paint)
        return super().eventFilter(watched, event)

    def _keep_view(self) -> None:
        self._auto_fit = False

    def _refit(self) -> None:
        if self._auto_fit and self.view.isVisible():
            self.view.fit_readable()

    def _place_overlays(self) -> None:
        margin = 10
        vbar, hbar = self.view.verticalScrollBar(), self.view.horizontalScrollBar()
        width = self.view.width() - (vbar.width() if vbar.isVisible() else 0)
        bottom = self.view.height() - (hbar.height() if hbar.isVisible() else 0)
        self.legend.fit_width(max(200, width - 2 * margin))
        self.legend.move(margin, bottom - self.legend.height() - margin)
        # The legend floats over the map only while it is toggled on.
        self.view.bottom_reserve = self.legend.height() + margin if self.legend.isVisible() else 0
        self.empty_label.setGeometry(self.view.rect().adjusted(40, 40, -40, -40))
        if self._fit_pending and self.view.isVisible() and self.view.viewport().width() > 100:
            self._fit_pending = False
            self._auto_fit = True
            self.view.fit_readable()
