"""The account's Plays tab: running plays with their progress and dated steps, by phase.

Start a playbook by hand, tick steps off, pause or resume, cancel with a reason; each is
one undo step. Reviews due by the governance cadence are listed above the plays.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.models.changes import ChangeKind, ChangeSet
from app.models.playbook import PlayStatus, StepStatus
from app.services import dates_text, plays
from app.services.cadence import cadence_gaps
from app.services.labels import label_of
from app.services.playbook_catalog import STEP_KIND_WORDS
from app.services.playbooks import PlaybookError, PlaybookSpec, list_playbooks
from app.views import theme
from app.views.account.tabs import AccountView
from app.views.context import AppContext
from app.views.playbooks.commands import (
    CancelPlayCommand,
    PausePlayCommand,
    StartPlayCommand,
    StepDoneCommand,
)
from app.views.table_base import fit_columns
from app.views.undo import push_edit

PLAY_COLUMNS = ("Play", "Status", "Progress", "Next step due", "Started")
STEP_COLUMNS = ("Step", "Kind", "Due", "Owner", "With customer", "State")
#: Cadence gaps shown this many days ahead on the account.
AHEAD_DAYS = 30


#: What the Plays tab is made of: plays and their steps, the tasks and touchpoints they
#: create, and the account's segment and renewal dates their due dates come from.
SHOWS = (
    ChangeKind.PLAY,
    ChangeKind.TASK,
    ChangeKind.ACTIVITY,
    ChangeKind.ACCOUNT,
    ChangeKind.CONTRACT,
)


class PlaysTab(AccountView):
    """Plays on one account: list above, the selected play's steps below."""

    title = "Plays"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.shown: list[plays.PlayView] = []
        self.specs: list[PlaybookSpec] = []
        self._stale = False

        self.reviews = QLabel(self)
        self.reviews.setObjectName("reviews")
        self.reviews.setWordWrap(True)
        self.reviews.setTextFormat(Qt.TextFormat.RichText)
        self.playbook = QComboBox(self)
        self.playbook.setObjectName("playbookChoice")
        self.playbook.setAccessibleName("Playbook to start")
        self.start_button = QPushButton("Start playbook", self)
        self.start_button.clicked.connect(self.start_selected)
        self.message = theme.message_label(self)
        top = QHBoxLayout()
        top.addWidget(QLabel("Start by hand:", self))
        top.addWidget(self.playbook, 1)
        top.addWidget(self.start_button)

        self.plays = QTreeWidget(self)
        self.plays.setObjectName("plays")
        self.plays.setRootIsDecorated(False)
        self.plays.setHeaderLabels(list(PLAY_COLUMNS))
        self.plays.setAccessibleName("Plays")
        fit_columns(self.plays.header(), 0)
        self.plays.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.plays.currentItemChanged.connect(lambda *_: self._show_steps())

        self.steps = QTreeWidget(self)
        self.steps.setObjectName("steps")
        self.steps.setHeaderLabels(list(STEP_COLUMNS))
        self.steps.setAccessibleName("Steps")
        fit_columns(self.steps.header(), 0)
        self.steps.itemChanged.connect(self._step_toggled)

        self.pause_button = QPushButton("Pause", self)
        self.pause_button.clicked.connect(self.toggle_pause)
        self.reason = QLineEdit(self)
        self.reason.setObjectName("cancelReason")
        self.reason.setPlaceholderText("Why cancel? (written on the open steps)")
        self.cancel_button = QPushButton("Cancel play", self)
        self.cancel_button.clicked.connect(self.cancel_selected)
        actions = QHBoxLayout()
        actions.addWidget(self.pause_button)
        actions.addWidget(self.reason, 1)
        actions.addWidget(self.cancel_button)

        lower = QWidget(self)
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addLayout(actions)
        lower_layout.addWidget(self.steps, 1)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.plays)
        split.addWidget(lower)
        split.setStretchFactor(1, 2)
        self.split = split
        # Without a play the lists and buttons below were a blank, idle area.
        self.empty = QLabel(
            "No plays on this account yet. Start a playbook above; some start by themselves "
            "when their trigger fires (see the Playbooks tab).",
            self,
        )
        self.empty.setObjectName("noPlays")
        self.empty.setProperty("role", "caption")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(self.reviews)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(split, 1)
        layout.addWidget(self.empty, 1)
        ctx.events.changed.connect(self._on_changed)

    # ------------------------------------------------------------------ data
    def set_account(self, account_id: str | None) -> None:
        self.message.clear()
        super().set_account(account_id)

    def reload(self) -> None:
        if self.account_id is None:
            return
        with self.ctx.store.read() as session:
            self.specs = list_playbooks(session)
            self.shown = plays.list_plays(session, self.account_id)
            gaps = cadence_gaps(
                session, self.ctx.today, account_id=self.account_id, ahead_days=AHEAD_DAYS
            )
        chosen = self.playbook.currentText()
        self.playbook.clear()
        self.playbook.addItems([s.name for s in self.specs])
        if chosen:
            self.playbook.setCurrentText(chosen)
        self.reviews.setText(
            "Reviews: "
            + (
                " · ".join(
                    f"<b style='color:{theme.RENEWAL_SOON}'>{g.text}</b>"
                    if g.overdue_days > 0 or g.last_on is None
                    else g.text
                    for g in gaps
                )
                or "none due in the next 30 days"
            )
        )
        current = self.selected()
        self.plays.clear()
        for view in self.shown:
            item = QTreeWidgetItem(
                [
                    view.name,
                    label_of(view.status),
                    view.progress,
                    dates_text.day(view.next_due) if view.next_due else "–",
                    dates_text.day(view.started_on),
                ]
            )
            item.setToolTip(0, f"Started {view.reason}")
            item.setData(0, Qt.ItemDataRole.UserRole, view.id)
            self.plays.addTopLevelItem(item)
            if current is not None and view.id == current.id:
                self.plays.setCurrentItem(item)
        self.empty.setVisible(not self.shown)
        self.split.setVisible(bool(self.shown))
        first = self.plays.topLevelItem(0)
        if self.plays.currentItem() is None and first is not None:
            self.plays.setCurrentItem(first)
        self._show_steps()

    def selected(self) -> plays.PlayView | None:
        item = self.plays.currentItem()
        if item is None:
            return None
        play_id = item.data(0, Qt.ItemDataRole.UserRole)
        return next((p for p in self.shown if p.id == play_id), None)

    def _show_steps(self) -> None:
        view = self.selected()
        self.steps.blockSignals(True)
        self.steps.clear()
        live = view is not None and view.status in (PlayStatus.RUNNING, PlayStatus.PAUSED)
        self.pause_button.setEnabled(live)
        self.cancel_button.setEnabled(live)
        self.reason.setEnabled(live)
        self.pause_button.setText(
            "Resume" if view is not None and view.status == PlayStatus.PAUSED else "Pause"
        )
        if view is not None:
            phases: dict[str, QTreeWidgetItem] = {}
            for step in view.steps:
                parent: Any = self.steps
                if step.phase:
                    if step.phase not in phases:
                        head = QTreeWidgetItem(self.steps, [step.phase])
                        font = head.font(0)
                        font.setBold(True)
                        head.setFont(0, font)
                        phases[step.phase] = head
                    parent = phases[step.phase]
                state = label_of(step.status)
                if step.status == StepStatus.CLOSED and step.closed_reason:
                    state = f"Closed: {step.closed_reason}"
                item = QTreeWidgetItem(
                    parent,
                    [
                        step.title,
                        STEP_KIND_WORDS[step.kind],
                        dates_text.weekday_day(step.due_on),
                        step.owner or "",
                        "Yes" if step.shared else "No",
                        state,
                    ],
                )
                item.setData(0, Qt.ItemDataRole.UserRole, step.id)
                if step.status != StepStatus.CLOSED:
                    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                    done = step.status == StepStatus.DONE
                    item.setCheckState(
                        0, Qt.CheckState.Checked if done else Qt.CheckState.Unchecked
                    )
                if step.status == StepStatus.OPEN and step.due_on < self.ctx.today:
                    item.setForeground(2, theme_brush())
            self.steps.expandAll()
        self.steps.blockSignals(False)

    def _on_changed(self, changes: ChangeSet) -> None:
        if self.account_id is None or not changes.touches(*SHOWS, account_id=self.account_id):
            return
        if self.isVisible():
            self.reload()
        else:
            self._stale = True

    def showEvent(self, event: Any) -> None:
        if self._stale:
            self._stale = False
            self.reload()
        super().showEvent(event)

    # ------------------------------------------------------------------ edits
    def start_selected(self) -> None:
        """Start the chosen playbook on this account (refused with a message beside it)."""
        if self.account_id is None:
            return
        spec = next((s for s in self.specs if s.name == self.playbook.currentText()), None)
        if spec is None:
            return
        if any(p.name == spec.name and p.status == PlayStatus.RUNNING for p in self.shown):
            self.message.setText(f"{spec.name} is already running on this account.")
            return
        try:
            with self.ctx.store.read() as session:
                plays.check_start(session, self.account_id, spec, self.ctx.today)
        except PlaybookError as exc:
            self.message.setText(str(exc))
            return
        self.message.clear()
        push_edit(self.ctx, StartPlayCommand(self.ctx, self.account_id, spec, self.ctx.today))

    def toggle_pause(self) -> None:
        view = self.selected()
        if view is not None:
            paused = view.status != PlayStatus.PAUSED
            push_edit(self.ctx, PausePlayCommand(self.ctx, view, paused))

    def cancel_selected(self) -> None:
        view = self.selected()
        if view is not None:
            push_edit(self.ctx, CancelPlayCommand(self.ctx, view, self.reason.text()))
            self.reason.clear()

    def _step_toggled(self, item: QTreeWidgetItem, column: int) -> None:
        step_id = item.data(0, Qt.ItemDataRole.UserRole)
        if column != 0 or not step_id or self.account_id is None:
            return
        done = item.checkState(0) == Qt.CheckState.Checked
        command = StepDoneCommand(self.ctx, step_id, item.text(0), done)
        # After the click is handled: the push reloads the tree, deleting this very item.
        QTimer.singleShot(0, lambda: push_edit(self.ctx, command))


def theme_brush() -> QBrush:
    """The overdue colour."""
    return QBrush(QColor(theme.RENEWAL_SOON))
