"""The map tab's showing of one account's map: load, analyse, draw, panels after the paint."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QRectF

from app.models.changes import ChangeKind, ChangeSet
from app.services.map_analysis import analyse, warnings_by_person
from app.services.stakeholder_graph import load_account_map
from app.views.map import commands
from app.views.undo import push_edit

#: What a map is drawn from: people, cards, lines, last contacts and the account.
SHOWS = (ChangeKind.MAP, ChangeKind.STAKEHOLDER, ChangeKind.ACTIVITY, ChangeKind.ACCOUNT)

if TYPE_CHECKING:
    from app.views.map.tab_host import MapTabHost as _Tab
else:
    _Tab = object


class MapShowing(_Tab):
    """Mixed into ``StakeholderMapTab``: which map it shows, and when its parts fill in."""

    def set_account(self, account_id: str | None) -> None:
        """Show this account's map (None shows an empty, disabled editor).

        The map is painted first; its analysis (the cards' warnings) and the side panels
        (warnings, the person form's colleague list) come right after that first paint, so
        opening a large map shows it sooner.
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
        # A map opening is analysed right after its first paint (``_after_first_paint``):
        # the cards' warning borders and badges follow a frame later.
        self._analysis_pending = lazy
        self.warnings = [] if lazy else analyse(self.imap, self.ctx.today)
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
        if self._analysis_pending and self.imap is not None:
            self._analysis_pending = False
            self.warnings = analyse(self.imap, self.ctx.today)
            self.scene.set_warnings(warnings_by_person(self.warnings))
        self.scene.complete()  # the cards and lines the first paint did not show
        if self._panels_pending:
            self._fill_panels()
        # From now on cards repaint from a device pixmap (scrolls, drags, lines crossing).
        self.scene.cache_cards()

    def _on_changed(self, changes: ChangeSet) -> None:
        if self.account_id is not None and changes.touches(*SHOWS, account_id=self.account_id):
            self.refresh()

    def push(self, command: commands.MapCommand[Any]) -> bool:
        """Apply a map edit and put it on the undo stack; a refusal reloads the map."""
        command.on_refused = self.refresh
        return push_edit(self.ctx, command, None)
