""" "My book" in the window: who the user is (asked once, changed from Edit › Who I Am…),
and the switch between their accounts and the whole team's that Today, the calendar and the
tree show."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.models.changes import ChangeKind, ChangeSet
from app.views.context import AppContext
from app.views.dialogs import ok_cancel
from app.views.settings import WindowSettings


def current_me() -> str:
    """Who the user said they are ("" until they do)."""
    return WindowSettings().me


def set_me(ctx: AppContext, name: str) -> None:
    """Remember who the user is and tell every view."""
    settings = WindowSettings()
    settings.me = name.strip()
    settings.sync()
    ctx.events.settings_changed()


#: The switch's look, from the palette (so it follows the light and dark themes).
_SWITCH_STYLE = """
#bookSwitch QToolButton {
    border: 1px solid palette(dark); padding: 3px 12px;
    background: palette(base); color: palette(text);
}
#bookSwitch QToolButton:hover:!checked { background: palette(midlight); }
#bookSwitch QToolButton:checked {
    background: palette(highlight); color: palette(highlighted-text);
}
#bookSwitch #myBook { border-top-left-radius: 5px; border-bottom-left-radius: 5px; }
#bookSwitch #wholeTeam {
    border-left: none; border-top-right-radius: 5px; border-bottom-right-radius: 5px;
}
"""


class BookScope(QWidget):
    """ "My book | Whole team": one click between the user's accounts and everyone's.

    Before the user has said who they are, it asks inline: pick your name, "This is me"
    (kept narrow: the window must still fit a 900-pixel-wide screen).
    """

    changed = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.me = current_me()
        # A segmented control, "My book | Whole team": two joined buttons, the chosen one
        # filled, so it reads as a switch and not as a line of text.
        self.switch = QWidget(self)
        self.switch.setObjectName("bookSwitch")
        self.switch.setStyleSheet(_SWITCH_STYLE)
        self.mine = self._segment("myBook", "Show only your accounts")
        self.team = self._segment("wholeTeam", "Show the whole team's accounts")
        self.team.setText("Whole team")
        group = QButtonGroup(self)
        group.setExclusive(True)
        group.addButton(self.mine)
        group.addButton(self.team)
        self.mine.setChecked(True)
        self.mine.toggled.connect(self._toggled)
        segments = QHBoxLayout(self.switch)
        segments.setContentsMargins(0, 0, 0, 0)
        segments.setSpacing(0)
        segments.addWidget(self.mine)
        segments.addWidget(self.team)
        self.who = QComboBox(self)
        self.who.setObjectName("whoAmI")
        self.who.setEditable(True)
        self.who.setAccessibleName("Your name")
        self.who.setMinimumContentsLength(8)
        self.who.setToolTip("Whose book is this? Pick your name: Today shows your accounts.")
        self.confirm = QPushButton("This is me", self)
        self.confirm.setObjectName("thisIsMe")
        self.confirm.clicked.connect(lambda: set_me(self.ctx, self.who.currentText()))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.who)
        layout.addWidget(self.confirm)
        layout.addWidget(self.switch)
        ctx.events.changed.connect(self._on_changed)
        self._show()

    def _segment(self, name: str, tip: str) -> QToolButton:
        button = QToolButton(self.switch)
        button.setObjectName(name)
        button.setCheckable(True)
        button.setToolTip(tip)
        button.setAccessibleName(tip)
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        return button

    def owner(self) -> str | None:
        """The owner to filter by: the user while "My book" is on, else None (the team)."""
        return self.me if self.me and self.mine.isChecked() else None

    def set_team(self, team: bool) -> None:
        """Show the whole team's (True) or only mine (False)."""
        (self.team if team else self.mine).setChecked(True)

    def _toggled(self, _on: bool) -> None:
        self._show()
        self.changed.emit()

    def _show(self) -> None:
        known = bool(self.me)
        for widget in (self.who, self.confirm):
            widget.setVisible(not known)
        self.switch.setVisible(known)
        if known:
            self.mine.setText(f"My book: {self.me}")
            self.mine.setToolTip(f"Show only {self.me}'s accounts")
        else:
            from app.services.my_book import owners

            with self.ctx.store.read() as session:
                names = owners(session)
            self.who.clear()
            self.who.addItems(names)

    def _on_changed(self, changes: ChangeSet) -> None:
        if ChangeKind.WORKSPACE in changes.kinds and current_me() != self.me:
            self.me = current_me()
            for button in (self.mine, self.team):
                button.blockSignals(True)
            self.mine.setChecked(True)
            for button in (self.mine, self.team):
                button.blockSignals(False)
            self._show()
            self.changed.emit()


def default_to_my_book(owners: QComboBox) -> None:
    """Select the user in an owner picker (items' data = owner names; None = everyone) the
    first time, and again whenever they say they are someone else; a choice made in between
    is kept."""
    me = current_me()
    if not me or owners.property("myBook") == me:
        return
    owners.setProperty("myBook", me)
    found = owners.findData(me)
    if found >= 0:
        owners.setCurrentIndex(found)


class WhoAmIDialog(QDialog):
    """Settings: the name under which the user owns accounts."""

    def __init__(self, names: list[str], me: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Who I am")
        self.name = QComboBox(self)
        self.name.setEditable(True)
        self.name.addItems(names)
        self.name.setCurrentText(me)
        buttons = ok_cancel(self)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                "Your name as account owner: Today, the calendar and the tree show your "
                "accounts first, and new tasks are yours.",
                self,
            )
        )
        layout.addWidget(self.name)
        layout.addWidget(buttons)


def ask_name(parent: QWidget | None, names: list[str], me: str) -> str | None:
    """Ask who the user is; tests replace this function."""
    dialog = WhoAmIDialog(names, me, parent)
    return dialog.name.currentText() if dialog.exec() else None


def ask_who_i_am(window: Any) -> None:
    """Edit › Who I Am…: the setting, changed at any time."""
    from app.services.my_book import owners

    ctx: AppContext = window.ctx
    with ctx.store.read() as session:
        names = owners(session)
    name = ask_name(window, names, current_me())
    if name is not None:
        set_me(ctx, name)
