"""The account's Stakeholders tab: the map editor with its side panels and toolbar."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, Qt, QTimer, QVariantAnimation
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

from app.models.changes import ChangeKind, ChangeSet
from app.models.enums import RelationKind
from app.services import map_edits
from app.services.map_layout import FIT_WIDTH, H_GAP, LayoutSpec, tidy_layout
from app.services.stakeholder_graph import (
    InfluenceMap,
    MapWarning,
    analyse,
    load_account_map,
    warnings_by_person,
)
from app.views.actions import MAP_ACTIONS, ActionSpec
from app.views.context import AppContext
from app.views.map import commands, dialogs
from app.views.map.inline_edit import InlineEditor
from app.views.map.legend import MapLegend
from app.views.map.menus import MapMenus
from app.views.map.panels import EditPanel, OffMapList, WarningsPanel
from app.views.map.scene import StakeholderScene
from app.views.map.side_panel import EDGE, FoldingPanel
from app.views.map.style import CARD_HEIGHT, CARD_WIDTH, theme_for
from app.views.map.tab_extras import MapExtras
from app.views.map.view import READABLE_ZOOM, MapView
from app.views.settings import WindowSettings
from app.views.undo import push_edit

Position = tuple[float, float]
HINT = (
    "Drag a card onto another card: reports to  ·  drag from a card's + handle: draw a line "
    "(Shift influence, Ctrl conflict, Alt alliance)  ·  F2 rename  ·  Del remove  ·  "
    "Ctrl+wheel zoom"
)
#: What a map is drawn from: people, cards, lines, last contacts and the account.
SHOWS = (ChangeKind.MAP, ChangeKind.STAKEHOLDER, ChangeKind.ACTIVITY, ChangeKind.ACCOUNT)
#: Gestures after which the view stays where the user put it (no refit on resize).
USER_MOVES = (
    QEvent.Type.Wheel,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.KeyPress,
    QEvent.Type.NativeGesture,
)


class StakeholderMapTab(QWidget):
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
        self.hint = QLabel(HINT)
        self.hint.setStyleSheet(f"color: {self.theme.muted.name()}; padding: 2px 8px;")
        self.hint.setMinimumWidth(40)
        self.hint.setToolTip(HINT)
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

    # --- data ---------------------------------------------------------------------------

    def set_account(self, account_id: str | None) -> None:
        """Show this account's map (None shows an empty, disabled editor).

        The map is painted first; the side panels (warnings, the person form's colleague
        list) fill right after that first paint, so opening a large map shows it sooner.
        """
        self.account_id = account_id
        self.scene.set_diff_marks({})
        self.changes_list.clear()
        for action in self.actions():
            action.setEnabled(account_id is not None)
        self.extras.forget_comparison()
        # Shown now: the scene builds the part of the map the view shows, the rest after
        # the first paint (``_after_first_paint``).
        shown = self.view.isVisible()
        if self._show_map(lazy=shown) and shown:
            self._panels_pending = True
        else:
            self._fill_panels()
        self._fit_pending = True
        self._place_overlays()  # fits the map when the view already has its size
        if self._fit_pending:
            self.view.fit_readable()  # and again once it is shown
        self.scene.build_near(self._shown_rect())

    def _shown_rect(self) -> QRectF:
        """The part of the scene the view shows."""
        return self.view.mapToScene(self.view.viewport().rect()).boundingRect()

    @property
    def panels_pending(self) -> bool:
        """True between opening a map and the side panels filling after its first paint."""
        return self._panels_pending

    def refresh(self) -> None:
        """Reload the account's map from the store and show it, panels included."""
        if self._show_map():
            self._fill_panels()

    def _show_map(self, *, lazy: bool = False) -> bool:
        """Load, analyse and draw the map; False when there is no account to show.

        ``lazy``: a map opening in an empty scene waits for ``build_near`` (see
        ``StakeholderScene.sync``).
        """
        if self.account_id is None:
            self.imap = None
            self.warnings = []
            self._panels_pending = False
            self.scene.forget()
            self.off_map.clear()
            self.warnings_panel.clear()
            self.edit_panel.show_person(None)
            self.empty_label.setText("Choose an account to see its stakeholders.")
            self.empty_label.show()
            return False
        try:
            self.imap = load_account_map(self.ctx.store, self.account_id, today=self.ctx.today)
        except LookupError:
            # The account was deleted while we showed it.
            self.set_account(None)
            return False
        # Analysed before the first paint: a card's border and badge show its warnings.
        self.warnings = analyse(self.imap, self.ctx.today)
        self.scene.sync(self.imap, warnings_by_person(self.warnings), self.ctx.today, lazy=lazy)
        self._after_paint_pending = True
        # Before the panel folds: the view lays its scroll bars out on that resize (a map
        # whose cards are not built yet has no items to give the scene a size).
        self.view.update_scroll_area(grow_only=True)
        off_map = self.imap.off_map()
        self.off_map.show_people(off_map)
        if not self.left_panel.user_set:
            # Until the user decides, an empty "Not on the map" list folds away.
            self.left_panel.set_folded(not off_map)
        self.empty_label.setVisible(self.scene.is_empty())
        self.empty_label.setText(
            "Nobody is on this map yet.\nDrag people from the list on the left, "
            "or click “Add person…”."
        )
        return True

    def _fill_panels(self) -> None:
        """The side panels and the comparison, from the map just shown."""
        self._panels_pending = False
        if self.imap is None:
            return
        self.extras.follow_comparison()
        self.warnings_panel.show_warnings(self.warnings, hidden=self.customer_safe)
        count = sum(1 for w in self.warnings if w.severity.value != "info")
        self.side_tabs.setTabText(0, f"Warnings ({count})" if count else "Warnings")
        self.edit_panel.set_colleagues(sorted(self.imap.people.values(), key=lambda p: p.name))
        current = self.edit_panel.person
        self.edit_panel.show_person(
            self.imap.people.get(current.id) if current is not None else None
        )
        self._place_overlays()

    def _after_first_paint(self) -> None:
        self.scene.complete()  # the cards and lines the first paint did not show
        if self._panels_pending:
            self._fill_panels()
        # From now on cards repaint from a device pixmap (scrolls, drags, lines crossing).
        self.scene.cache_cards()

    def _on_changed(self, changes: ChangeSet) -> None:
        if self.account_id is not None and changes.touches(*SHOWS, account_id=self.account_id):
            self.refresh()

    def push(self, command: commands.MapCommand) -> bool:
        """Apply a map edit and put it on the undo stack; a refusal reloads the map."""
        command.on_refused = self.refresh
        return push_edit(self.ctx, command, None)

    # --- gestures -> commands -------------------------------------------------------------

    def _on_cards_moved(
        self, old: Mapping[str, Position], new: Mapping[str, Position], key: str
    ) -> None:
        assert self.account_id is not None
        new = self._clear_of_others(new)
        self.push(commands.MoveCardsCommand(self.ctx, self.account_id, old, new, key))

    def _clear_of_others(self, new: Mapping[str, Position]) -> dict[str, Position]:
        """Moved cards that landed on a card they do not report to slide to a free spot.

        A card is never left stranded on top of another: either the drop sets "reports
        to" (dropped with the pointer on the card) or the card moves beside it.
        """
        placed = dict(new)
        moving = set(new)
        for pid, (x, y) in new.items():
            rect = QRectF(x, y, CARD_WIDTH, CARD_HEIGHT)
            hit = any(
                other not in moving
                and rect.intersects(QRectF(c.pos().x(), c.pos().y(), CARD_WIDTH, CARD_HEIGHT))
                for other, c in self.scene.cards.items()
            )
            if hit:
                centre = QPointF(x + CARD_WIDTH / 2, y + CARD_HEIGHT / 2)
                placed[pid] = self.scene.free_spot_near(centre, exclude=moving)
                self.scene.cards[pid].move_to(QPointF(*placed[pid]))
        return placed

    def reveal(self, ids: list[str]) -> None:
        """Scroll so these people's cards are fully in view (new or re-laid cards)."""
        on_map = [pid for pid in ids if pid in self.scene.cards]
        if on_map:
            self.view.reveal(self.scene.cards_rect(on_map))

    def _why_not_reports_to(self, report_id: str, manager_id: str | None) -> str | None:
        with self.ctx.store.read() as session:
            return map_edits.check_reports_to(session, report_id, manager_id)

    def _on_report_requested(
        self, report_id: str, manager_id: str, old: Mapping[str, Position]
    ) -> None:
        assert self.account_id is not None and self.imap is not None
        card = self.scene.cards[report_id]
        message = self._why_not_reports_to(report_id, manager_id)
        report, manager = self.imap.people[report_id], self.imap.people[manager_id]
        if message is None and report.reports_to_id == manager_id:
            message = f"{report.name} already reports to {manager.name}."
        if message is not None:
            # Refused: the card goes back where it was, and the user is told why.
            card.move_to(QPointF(*old[report_id]))
            self.notify(message)
            dialogs.refuse(self, message)
            return
        slot = self.scene.free_slot_below(manager_id, exclude=report_id)
        self.push(
            commands.SetReportsToCommand(
                self.ctx,
                self.account_id,
                report_id,
                manager_id,
                old_positions=dict(old),
                new_positions={report_id: slot},
                text=f"{report.name} reports to {manager.name}",
            )
        )
        self.reveal([report_id, manager_id])

    def _on_relation_requested(self, source: str, target: str, kind: RelationKind) -> None:
        assert self.account_id is not None
        self.push(commands.AddRelationCommand(self.ctx, self.account_id, source, target, kind))

    def _on_people_dropped(self, ids: list[str], scene_pos: QPointF) -> None:
        if self.account_id is None or self.imap is None:
            return
        ids = [pid for pid in ids if pid not in self.scene.cards]
        if not ids:
            return
        boss = self.scene.card_at(scene_pos)
        if boss is not None and len(ids) == 1 and ids[0] in self.imap.people:
            # Dropped onto a card: they join the map reporting to that person.
            pid = ids[0]
            message = self._why_not_reports_to(pid, boss.stakeholder_id)
            if message is not None:
                dialogs.refuse(self, message)
                return
            name = self.imap.people[pid].name
            self.push(
                commands.SetReportsToCommand(
                    self.ctx,
                    self.account_id,
                    pid,
                    boss.stakeholder_id,
                    old_positions={pid: None},
                    new_positions={pid: self.scene.free_slot_below(boss.stakeholder_id, pid)},
                    text=f"Add {name}, reporting to {boss.person.name}",
                )
            )
            self.reveal([pid])
            return
        new: dict[str, Position | None] = {}
        for i, pid in enumerate(ids):
            new[pid] = (
                scene_pos.x() - CARD_WIDTH / 2 + i * (CARD_WIDTH + H_GAP),
                scene_pos.y() - CARD_HEIGHT / 2,
            )
        old: dict[str, Position | None] = dict.fromkeys(ids)
        text = "Add to map" if len(ids) == 1 else f"Add {len(ids)} people to map"
        self.push(commands.PlaceCardsCommand(self.ctx, self.account_id, old, new, text))
        self.reveal(ids)

    def _add_at_centre(self, ids: list[str]) -> None:
        centre = self.view.mapToScene(self.view.viewport().rect().center())
        x, y = self.scene.free_spot_near(centre)
        self._on_people_dropped(ids, QPointF(x + CARD_WIDTH / 2, y + CARD_HEIGHT / 2))

    def _select_people(self, ids: list[str]) -> None:
        self.scene.select_ids(ids)
        on_map = [pid for pid in ids if pid in self.scene.cards]
        if on_map:
            self.view.ensureVisible(self.scene.cards_rect(on_map), 40, 40)

    def _on_selection(self) -> None:
        """One card selected: the person panel shows them; none: the panel shows its hint."""
        if self.scene.dragging:
            return
        ids = self.scene.selected_ids()
        if self.imap is None:
            return
        if len(ids) == 1:
            self.edit_panel.show_person(self.imap.people.get(ids[0]))
            if self.side_tabs.currentIndex() != 2:
                self.side_tabs.setCurrentIndex(1)
        elif not ids:
            self.edit_panel.show_person(None)

    def edit_person(self, stakeholder_id: str) -> None:
        """Open the side panel's form on this person."""
        if self.imap is None:
            return
        self.edit_panel.show_person(self.imap.people.get(stakeholder_id))
        self.side_tabs.setCurrentIndex(1)

    def _on_edited(self, stakeholder_id: str, changes: dict[str, object]) -> None:
        assert self.account_id is not None
        if "reports_to_id" in changes:
            manager = changes["reports_to_id"]
            message = self._why_not_reports_to(
                stakeholder_id, manager if isinstance(manager, str) else None
            )
            if message is not None:
                dialogs.refuse(self, message)
                return
        self.push(
            commands.EditStakeholderCommand(self.ctx, self.account_id, stakeholder_id, changes)
        )

    # --- toolbar actions --------------------------------------------------------------------

    def add_person(self) -> None:
        """Ask for a name and put the new person in the middle of the view."""
        if self.account_id is None:
            return
        name = dialogs.ask_text(self, "Add person", "Name:")
        if name is None:
            return
        pos = self.scene.free_spot_near(self.view.mapToScene(self.view.viewport().rect().center()))
        command = commands.CreateStakeholderCommand(self.ctx, self.account_id, name.strip(), pos)
        self.push(command)
        # Select the newcomer so the next gesture (drag onto a manager, F2) applies to them.
        if command.stakeholder_id:
            self.scene.select_ids([command.stakeholder_id])
            self.reveal([command.stakeholder_id])

    def tidy_layout(self) -> None:
        """Lay the map out as an org chart, animated, as one undo step."""
        if self.imap is None or self.account_id is None or not self.scene.cards:
            return
        people = [p.id for p in self.imap.on_map()]
        old = self.scene.positions()
        reports_to = {p.id: p.reports_to_id for p in self.imap.on_map()}
        influences = [(line.source_id, line.target_id) for line in self.imap.lines_on_map()]
        # As wide as this view shows at the readable zoom: the chart never scrolls sideways.
        fit = self.view.viewport().width() / READABLE_ZOOM
        spec = LayoutSpec(max_width=max(FIT_WIDTH, fit))
        laid = tidy_layout(people, reports_to, influences, current=old, spec=spec)
        rect = self.scene.cards_rect()
        dx = rect.left() - min(x for x, _ in laid.values())
        dy = rect.top() - min(y for _, y in laid.values())
        new = {pid: (x + dx, y + dy) for pid, (x, y) in laid.items()}
        if new == old:
            return
        self.push(
            commands.MoveCardsCommand(self.ctx, self.account_id, old, new, text="Tidy layout")
        )
        self._animate(old, new)
        self.view.update_scroll_area(grow_only=True)

    def _animate(self, old: Mapping[str, Position], new: Mapping[str, Position]) -> None:
        cards = {pid: self.scene.cards[pid] for pid in new if pid in self.scene.cards}
        animation = QVariantAnimation(self)
        animation.setStartValue(0.0)
        animation.setEndValue(1.0)
        animation.setDuration(350)

        def step(value: object) -> None:
            t = float(value)  # type: ignore[arg-type]
            for pid, card in cards.items():
                (x0, y0), (x1, y1) = old[pid], new[pid]
                card.move_to(QPointF(x0 + (x1 - x0) * t, y0 + (y1 - y0) * t))

        animation.valueChanged.connect(step)
        step(0.0)
        if self._animation is not None:
            self._animation.stop()
        self._animation = animation
        animation.start()

    def remove_selected(self) -> None:
        """Delete key: lines go at once; for cards, ask: off the map, or delete the person."""
        if self.account_id is None or self.imap is None:
            return
        from app.views.map.line_items import RelationLine

        lines = [i for i in self.scene.selectedItems() if isinstance(i, RelationLine)]
        ids = self.scene.selected_ids()
        if not lines and not ids:
            return
        answer = "card"
        if ids:
            answer = dialogs.ask_removal(self, [self.imap.people[pid].name for pid in ids]) or ""
            if not answer:
                return
        stack = self.ctx.undo_stack
        stack.beginMacro("Remove from map" if answer == "card" else "Delete people")
        for line in lines:
            self.push(commands.RemoveRelationCommand(self.ctx, self.account_id, line.relation_id))
        if ids and answer == "card":
            old = {pid: self.imap.people[pid].position for pid in ids}
            text = "Remove from map"
            self.push(
                commands.PlaceCardsCommand(self.ctx, self.account_id, old, dict.fromkeys(ids), text)
            )
        elif ids:
            for pid in ids:
                name = self.imap.people[pid].name
                self.push(commands.DeleteStakeholderCommand(self.ctx, self.account_id, pid, name))
        stack.endMacro()

    def rename_selected(self) -> None:
        """F2: edit the selected card's name in place."""
        ids = self.scene.selected_ids()
        if len(ids) != 1 or self.account_id is None:
            return
        card = self.scene.cards[ids[0]]
        top_left = self.view.mapFromScene(card.mapToScene(QPointF(66, 8)))
        bottom_right = self.view.mapFromScene(card.mapToScene(QPointF(CARD_WIDTH - 8, 28)))
        editor = InlineEditor(self.view.viewport(), card.person.name)
        editor.setGeometry(QRectF(top_left.toPointF(), bottom_right.toPointF()).toRect())
        pid = ids[0]
        editor.committed.connect(lambda text: self._rename(pid, text))
        self._editor = editor
        editor.show()
        editor.setFocus()

    def _rename(self, stakeholder_id: str, name: str) -> None:
        self._editor = None
        if self.imap is None or self.account_id is None:
            return
        if name.strip() and name.strip() != self.imap.people[stakeholder_id].name:
            self._on_edited(stakeholder_id, {"name": name.strip()})

    def mark_selected_departed(self) -> None:
        ids = self.scene.selected_ids()
        if len(ids) == 1:
            self.mark_departed(ids[0])

    def mark_departed(self, stakeholder_id: str) -> None:
        """The contact change workflow: ask when and where they went, then one undo step."""
        if self.imap is None or self.account_id is None:
            return
        person = self.imap.people[stakeholder_id]
        if person.departed:
            dialogs.refuse(self, f"{person.name} is already marked as departed.")
            return
        answer = dialogs.ask_departure(self, person.name, self.ctx.today)
        if answer is None:
            return
        self.push(
            commands.MarkDepartedCommand(
                self.ctx, self.account_id, stakeholder_id, person.name, answer, self.ctx.today
            )
        )

    def set_customer_safe(self, on: bool) -> None:
        """Show the map as the customer may see it (no sentiment, notes or warnings)."""
        self.safe_action.setChecked(on)
        self.scene.set_customer_safe(on)
        self.legend.set_customer_safe(on)
        self.warnings_panel.show_warnings(self.warnings, hidden=on)
        self._place_overlays()

    @property
    def customer_safe(self) -> bool:
        return self.safe_action.isChecked()
