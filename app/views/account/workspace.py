"""The account workspace: a header (name, path, segment, stage, owner) over the account tabs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QScrollArea,
    QSizePolicy,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.models.changes import ChangeKind, ChangeSet
from app.services import accounts
from app.services.labels import label_of
from app.views.context import AppContext
from app.views.elided import ElidedLabel

if TYPE_CHECKING:
    from app.views.account.tabs import AccountTab


class AccountWorkspace(QWidget):
    """Shows one account; only the visible tab loads, the others when they are opened."""

    #: Title of the tab the user switched to.
    tab_changed = Signal(str)

    def __init__(
        self, ctx: AppContext, tab_classes: Sequence[AccountTab], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.account_id: str | None = None
        self._path_ids: list[str] = []
        self._loaded: dict[int, str | None] = {}

        # Long names elide (full text in the tooltip) instead of widening the window.
        self.name_label = ElidedLabel(parent=self)
        self.name_label.setProperty("role", "title")
        self.name_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.path_label = QLabel(self)
        self.path_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.path_label.setProperty("role", "subtitle")
        self.path_label.setTextFormat(Qt.TextFormat.RichText)
        self.path_label.linkActivated.connect(lambda link: ctx.events.open_account.emit(link, ""))
        self.pills = QHBoxLayout()
        self.pills.setSpacing(6)
        self.pill_labels = []
        for _ in range(3):
            pill = ElidedLabel(parent=self, min_chars=4)
            pill.setProperty("role", "pill")
            self.pill_labels.append(pill)
            self.pills.addWidget(pill)
        header = QVBoxLayout()
        header.setContentsMargins(18, 12, 18, 6)
        header.setSpacing(2)
        header.addWidget(self.path_label)
        title_row = QHBoxLayout()
        title_row.addWidget(self.name_label)
        title_row.addSpacing(10)
        title_row.addLayout(self.pills)
        title_row.addStretch(1)
        header.addLayout(title_row)

        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.tabs.setObjectName("accountTabs")
        # Each tab is built the first time it is shown: opening the app builds none.
        self.tab_classes = list(tab_classes)
        self._holders: list[QScrollArea] = []
        self._built: dict[int, QWidget] = {}
        for cls in self.tab_classes:
            # A scroll area per tab: a tab wider than the space left beside the tree scrolls
            # instead of squeezing the tree (the workspace's minimum stays small).
            holder = QScrollArea(self.tabs)
            holder.setWidgetResizable(True)
            holder.setFrameShape(QFrame.Shape.NoFrame)
            self._holders.append(holder)
            title = str(cls.title)
            # Text-only tabs: the titles fit beside the tree on a 1366-pixel screen.
            self.tabs.addTab(holder, title.replace("&", "&&"))
        self.tabs.currentChanged.connect(self._on_tab)
        # Every tab one click away even when the row overflows (beside the scroll arrows).
        self.tab_menu_button = QToolButton(self.tabs)
        self.tab_menu_button.setObjectName("allTabs")
        self.tab_menu_button.setArrowType(Qt.ArrowType.DownArrow)
        self.tab_menu_button.setAutoRaise(True)
        self.tab_menu_button.setToolTip("All tabs")
        self.tab_menu_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        tab_menu = QMenu(self.tab_menu_button)
        for index in range(self.tabs.count()):
            action = tab_menu.addAction(self.tabs.tabText(index).replace("&&", "&"))
            action.triggered.connect(lambda _=False, i=index: self.tabs.setCurrentIndex(i))
        self.tab_menu_button.setMenu(tab_menu)
        self.tabs.setCornerWidget(self.tab_menu_button, Qt.Corner.TopRightCorner)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(header)
        layout.addWidget(self.tabs, 1)
        ctx.events.changed.connect(self._on_changed)

    def tab_titles(self) -> list[str]:
        return [self.tabs.tabText(i).replace("&&", "&") for i in range(self.tabs.count())]

    def show_tab(self, title: str) -> bool:
        """Switch to the tab with this title (or a title it had before); False when there is
        none."""
        from app.views.account.tabs import FORMER_TITLES

        title = FORMER_TITLES.get(title, title)
        for i in range(self.tabs.count()):
            if self.tabs.tabText(i).replace("&&", "&") == title:
                self.tabs.setCurrentIndex(i)
                return True
        return False

    def _widget(self, index: int) -> QWidget:
        widget = self._built.get(index)
        if widget is None:
            holder = self._holders[index]
            widget = self.tab_classes[index](self.ctx, holder)
            holder.setWidget(widget)
            self._built[index] = widget
        return widget

    def current_tab(self) -> QWidget:
        return self._widget(self.tabs.currentIndex())

    def tab(self, title: str) -> QWidget:
        for index, cls in enumerate(self.tab_classes):
            if getattr(cls, "title", "") == title:
                return self._widget(index)
        raise KeyError(title)

    def set_account(self, account_id: str | None) -> None:
        self.account_id = account_id
        self._loaded.clear()
        self._header()
        self._load_current()

    def _load_current(self) -> None:
        index = self.tabs.currentIndex()
        if index < 0 or self._loaded.get(index, "unset") == self.account_id:
            return
        if self.account_id is None and index not in self._built:
            return
        self._loaded[index] = self.account_id
        self._widget(index).set_account(self.account_id)  # type: ignore[attr-defined]

    def _on_tab(self, index: int) -> None:
        self._load_current()
        self.tab_changed.emit(self.tabs.tabText(index).replace("&&", "&"))

    def _header(self) -> None:
        if self.account_id is None:
            self.name_label.setText("")
            self.path_label.setText("")
            return
        with self.ctx.store.read() as session:
            path = accounts.account_path(session, self.account_id)
            try:
                values = accounts.account_values(session, self.account_id)
            except accounts.AccountNotFoundError:
                return
        self._path_ids = [i for i, _n in path]
        self.name_label.setText(values["name"])
        links = [f"<a href='{i}' style='text-decoration:none'>{_esc(n)}</a>" for i, n in path[:-1]]
        self.path_label.setText(" › ".join(links) if links else "Top-level account")
        texts = (
            label_of(values["segment"]) or "Segment not set",
            label_of(values["lifecycle_stage"]) or "Stage not set",
            values.get("owner") or "No owner",
        )
        tips = ("Segment", "Lifecycle stage", "Owner")
        for pill, text, tip in zip(self.pill_labels, texts, tips, strict=True):
            pill.tip = f"{tip}: {text}"
            pill.set_full_text(text)

    def _on_changed(self, changes: ChangeSet) -> None:
        # The header names the account and its ancestors (the breadcrumb).
        if self.account_id is not None and changes.touches(ChangeKind.ACCOUNT):
            shown = {self.account_id, *self._path_ids}
            if changes.book_wide or not shown.isdisjoint(changes.account_ids):
                self._header()


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
