"""The Today view: the book's headline figures, then everything due or needing a look."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QModelIndex, QRectF, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.models.changes import ChangeKind, ChangeSet
from app.services import dates_text, glossary
from app.services.exchange import Converter, converter
from app.services.my_book import my_figures
from app.services.today import AgendaItem, PortfolioFigures, agenda
from app.views import theme
from app.views.account.tabs import TOUCHPOINTS
from app.views.account_edits import UpdateItemCommand
from app.views.cards import converted_figure, figure_cards
from app.views.context import AppContext
from app.views.playbooks.commands import StepDoneCommand
from app.views.playbooks.my_book import BookScope
from app.views.today_list import AgendaModel, AgendaTree, WrappingDelegate
from app.views.undo import push_edit

#: What the Today list and the figures are made of.
SHOWS = (
    ChangeKind.ACCOUNT,
    ChangeKind.TASK,
    ChangeKind.CONTRACT,
    ChangeKind.RENEWAL,
    ChangeKind.SUCCESS_PLAN,
    ChangeKind.HEALTH,
    ChangeKind.STAKEHOLDER,
    ChangeKind.ACTIVITY,
    ChangeKind.PLAY,
)


class BandBar(QWidget):
    """Accounts per health band as one stacked bar with a legend."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.counts: Mapping[str, int] = {}
        self.setMinimumHeight(14)

    def set_counts(self, counts: Mapping[str, int]) -> None:
        self.counts = dict(counts)
        self.setToolTip(
            ", ".join(f"{self.counts.get(b, 0)} {b}" for b in ("green", "yellow", "red", "none"))
        )
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(160, 14)

    def paintEvent(self, event: QPaintEvent) -> None:
        total = sum(self.counts.values())
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect()).adjusted(0, 2, 0, -2)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self.palette().mid())
        painter.drawRoundedRect(rect, 4, 4)
        x = rect.left()
        for band in ("green", "yellow", "red"):
            n = self.counts.get(band, 0)
            if not total or not n:
                continue
            width = rect.width() * n / total
            painter.setBrush(QColor(theme.BAND_COLOURS[band]))
            painter.drawRoundedRect(QRectF(x, rect.top(), width, rect.height()), 4, 4)
            x += width
        painter.end()


class TodayView(QWidget):
    """Portfolio figures and the CSM's list for today; Enter or double-click opens the account."""

    title = "Today"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._stale = True
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.reload)

        heading = QLabel(f"Today · {dates_text.long_day(ctx.today)}", self)
        heading.setProperty("role", "title")
        heading.setMinimumWidth(0)
        heading.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.scope = BookScope(ctx, self)  # my book / the whole team's
        self.scope.changed.connect(self.reload)
        heading_row = QHBoxLayout()
        heading_row.addWidget(heading, 1)
        heading_row.addWidget(self.scope)
        cards, self.cards = figure_cards(
            {
                "arr": "Total ARR",
                "renewing": "Renewing in 120 days",
                "at_risk": glossary.ARR_NEEDING_ATTENTION,
                "bands": "Accounts by health",
            },
            self,
        )
        self.band_bar = BandBar(self.cards["bands"])
        self.cards["bands"].layout_.insertWidget(2, self.band_bar)

        self.model = AgendaModel(self)
        self.model.task_toggled.connect(self._tick)
        self.view = AgendaTree(self)
        self.view.setObjectName("agenda")
        self.view.setModel(self.model)
        self.view.setWordWrap(True)
        self.view.setItemDelegate(WrappingDelegate(self.view))
        self.view.setAlternatingRowColors(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAccessibleName("Due today")
        header = self.view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # Columns are measured on this many lines around those shown: a longer line further
        # down wraps rather than being cut, and a team-wide list stays quick to reload.
        header.setResizeContentsPrecision(300)
        self.view.activated.connect(self._open)
        self.view.doubleClicked.connect(self._open)
        self.empty = QLabel("Nothing due today. Enjoy the calm.", self)
        self.empty.setProperty("role", "caption")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.hide()

        due = QLabel("Due and needing a look", self)
        due.setProperty("role", "section")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 12)
        layout.setSpacing(10)
        layout.addLayout(heading_row)
        layout.addLayout(cards)
        layout.addWidget(due)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty, 1)
        ctx.events.changed.connect(self._on_changed)

    def paintEvent(self, event: Any) -> None:
        super().paintEvent(event)
        # Load after the window's first paint, so opening the app never waits for Today.
        if self._stale and not self._timer.isActive():
            self._timer.start()

    def _on_changed(self, changes: ChangeSet) -> None:
        if changes.touches(*SHOWS):
            self._stale = True
            if self.isVisible():
                self._timer.start()

    def reload(self) -> None:
        """Query the agenda and the figures again."""
        self._stale = False
        with self.ctx.store.read() as session:
            items = agenda(session, self.ctx.today, owner=self.scope.owner())
            figures = my_figures(session, self.ctx.today, self.scope.owner())
            rates = converter(session)
        self.model.set_items(items)
        self.view.expandAll()
        self.view.measure()
        self.empty.setVisible(not items)
        self.view.setVisible(bool(items))
        self._show_figures(figures, rates)

    def _show_figures(self, f: PortfolioFigures, rates: Converter) -> None:
        # Totals in the reporting currency; the note says the rate dates used and, in full,
        # which currencies a total leaves out for want of a rate.
        head, note = converted_figure(rates.convert(f.total_arr))
        self.cards["arr"].set(head, " · ".join(p for p in (f"{f.accounts:,} accounts", note) if p))
        head, note = converted_figure(rates.convert(f.renewing_arr))
        self.cards["renewing"].set(head, note or "by earliest active contract end")
        head, note = converted_figure(rates.convert(f.at_risk_arr))
        colour = theme.BAND_COLOURS["red"] if f.at_risk_arr else ""
        self.cards["at_risk"].set(head, note or "red health or forecast at risk / lost", colour)
        self.cards["at_risk"].setToolTip(glossary.ARR_NEEDING_ATTENTION_MEANS)
        unscored = f.bands.get("none", 0)
        red = f.bands.get("red", 0)
        self.cards["bands"].set(
            f"{red} red",
            f"{f.bands.get('green', 0)} green · {f.bands.get('yellow', 0)} yellow"
            + (f" · {unscored} not scored" if unscored else ""),
            theme.BAND_COLOURS["red"] if red else "",
        )
        self.band_bar.set_counts(f.bands)

    def _open(self, index: QModelIndex) -> None:
        item = self.model.item(index)
        if item is not None:
            tab = {
                "renewal": "Renewals",
                "notice": "Renewals",
                "milestone": "Success plan",
                "task": TOUCHPOINTS,  # a task lives on the touchpoints tab
                "health": "Health",
                "quiet": "Stakeholders",
                "play": "Plays",
                "cadence": "Plays",
            }.get(item.section, "")
            self.ctx.events.open_account.emit(item.account_id, tab)

    def _tick(self, item: AgendaItem, checked: bool) -> None:
        if checked and item.step_id is not None:
            push_edit(self.ctx, StepDoneCommand(self.ctx, item.step_id, item.title, True))
            return
        if not checked or item.task_id is None:
            return
        push_edit(
            self.ctx,
            UpdateItemCommand(
                self.ctx,
                "task",
                item.task_id,
                {"done": True},
                f"tick off {item.title}",
            ),
        )
