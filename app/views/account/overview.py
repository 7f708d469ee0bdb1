"""The Overview tab: key figures, the account's details and revenue lines (edited in place),
open risks and open tasks (overdue ones said so)."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.models.account import REVENUE_LINES
from app.models.changes import ChangeKind, ChangeSet
from app.models.enums import LifecycleStage, Segment
from app.services import accounts, dates_text
from app.services.account_overview import OverviewFigures, overview_figures
from app.services.labels import account_field_label, label_of
from app.services.money import format_money
from app.views import theme
from app.views.account.fields import FieldSpec
from app.views.account.forms import FieldEditor
from app.views.account.tabs import AccountView
from app.views.account_edits import UpdateAccountCommand
from app.views.cards import figure_cards, split_totals
from app.views.context import AppContext
from app.views.playbooks.summary import PlaysSummary
from app.views.undo import push_edit


def _field(name: str, kind: str = "text", **kw: Any) -> FieldSpec:
    """An account field, named as the window names it (``labels.account_field_label``)."""
    return FieldSpec(name, account_field_label(name), kind, **kw)


DETAIL_FIELDS = (
    _field("name", required=True),
    _field("owner"),
    _field("segment", "enum", enum=Segment, placeholder="Not set"),
    _field("lifecycle_stage", "enum", enum=LifecycleStage, placeholder="Not set"),
    _field("industry"),
    _field("region"),
    _field("currency", "currency", required=True),
    _field("tier", "int", minimum=1, maximum=9),
    _field("licences", "int", minimum=0),
    # Company facts from the CRM: the customer's own size, never our revenue from it.
    _field("account_type"),
    _field("employees", "int", minimum=0),
    _field("annual_revenue_minor", "money"),
)

REVENUE_FIELDS = tuple(_field(name, "money") for name in REVENUE_LINES)


class OverviewTab(AccountView):
    """Everything about one account at a glance; details and revenue edit in place (undoable)."""

    title = "Overview"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.values: dict[str, Any] = {}
        self.editors: dict[str, FieldEditor] = {}

        inner = QWidget(self)
        outer = QVBoxLayout(inner)
        outer.setContentsMargins(16, 14, 16, 14)
        outer.setSpacing(14)

        cards, self.cards = figure_cards(
            {
                "arr": "Total ARR",
                "health": "Health",
                "renewal": "Next renewal",
                "risks": "Open risks",
                "tasks": "Open tasks",
            },
            inner,
        )
        outer.addLayout(cards)
        # Plays and review gaps under the figures: seen without scrolling on a laptop.
        self.plays_summary = PlaysSummary(inner)
        outer.addWidget(self.plays_summary)

        columns = QHBoxLayout()
        columns.setSpacing(24)
        columns.addLayout(self._form("Details", DETAIL_FIELDS, inner), 1)
        columns.addLayout(self._form("Revenue", REVENUE_FIELDS, inner), 1)
        outer.addLayout(columns)

        lists = QHBoxLayout()
        lists.setSpacing(24)
        self.risks_list = QLabel(inner)
        self.tasks_list = QLabel(inner)
        for title, label in (("Open risks", self.risks_list), ("Open tasks", self.tasks_list)):
            box = QVBoxLayout()
            heading = QLabel(title, inner)
            heading.setProperty("role", "section")
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            box.addWidget(heading)
            box.addWidget(label, 1)
            lists.addLayout(box, 1)
        outer.addLayout(lists)
        outer.addStretch(1)

        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(inner)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        ctx.events.changed.connect(self._on_changed)

    def _form(self, title: str, specs: tuple[FieldSpec, ...], parent: QWidget) -> QVBoxLayout:
        box = QVBoxLayout()
        heading = QLabel(title, parent)
        heading.setProperty("role", "section")
        box.addWidget(heading)
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(4)
        for row, spec in enumerate(specs):
            label = QLabel(spec.label, parent)
            label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            label.setContentsMargins(0, 5, 0, 0)
            editor = FieldEditor(spec, (), parent)
            label.setBuddy(editor.input)
            self.editors[spec.name] = editor
            if isinstance(editor.input, QLineEdit):
                editor.input.editingFinished.connect(lambda n=spec.name: self._commit(n))
            elif isinstance(editor.input, QComboBox):
                editor.input.activated.connect(lambda _i, n=spec.name: self._commit(n))
            grid.addWidget(label, row, 0)
            grid.addWidget(editor, row, 1)
        grid.setColumnStretch(1, 1)
        box.addLayout(grid)
        box.addStretch(1)
        return box

    # ------------------------------------------------------------------ data
    def reload(self) -> None:
        if self.account_id is None:
            return
        with self.ctx.store.read() as session:
            try:
                self.values = accounts.account_values(session, self.account_id)
            except accounts.AccountNotFoundError:
                self.account_id = None
                return
            figures = overview_figures(session, self.account_id, self.ctx.today)
            self.plays_summary.load(session, self.account_id, self.ctx.today)
        currency = str(self.values.get("currency") or "USD")
        for name, editor in self.editors.items():
            editor.currency = currency
            editor.set_value(self.values.get(name))
        self._figures(figures)

    def _figures(self, figures: OverviewFigures) -> None:
        revenue, health, renewal = figures.revenue, figures.health, figures.renewal
        risks, tasks = figures.open_risks, figures.open_tasks
        currency = self.values.get("currency", "USD")
        arr = {cur: lines["arr_minor"] for cur, lines in revenue.items()}
        head, rest = split_totals(arr) if arr else (format_money(0, currency), "")
        own = format_money(self.values.get("arr_minor") or 0, currency)
        self.cards["arr"].set(head, " · ".join(p for p in (rest, f"own {own}") if p))
        if health is None:
            self.cards["health"].set("Not scored")
        else:
            band = health.band.value
            self.cards["health"].set(
                f"{health.score:.0f}",
                f"{band} · {dates_text.day(health.as_of)}",
                theme.BAND_COLOURS.get(band, ""),
            )
        if renewal is None:
            self.cards["renewal"].set("–", "no active contract")
        else:
            days = (renewal.end_date - self.ctx.today).days
            colour = theme.RENEWAL_SOON if days <= 60 else theme.RENEWAL_NEAR if days <= 120 else ""
            own_contract = renewal.account_name == self.values.get("name")
            what = renewal.contract_name if own_contract else renewal.account_name
            self.cards["renewal"].set(
                f"{days} days", f"{dates_text.day(renewal.end_date)} · {what}", colour
            )
        escalated = sum(1 for r in risks if r["is_escalation"])
        self.cards["risks"].set(
            str(len(risks)), f"{escalated} escalated" if escalated else "none escalated"
        )
        overdue = sum(1 for t in tasks if t["due_on"] and t["due_on"] < self.ctx.today)
        self.cards["tasks"].set(
            str(len(tasks)), f"{overdue} overdue" if overdue else "none overdue"
        )
        self.risks_list.setText(
            "<br>".join(
                f"<b>{label_of(r['severity'])}</b> · {_esc(r['title'])}"
                f" <span style='color:gray'>({label_of(r['category'])})</span>"
                for r in risks[:6]
            )
            or "<span style='color:gray'>No open risks.</span>"
        )
        self.tasks_list.setText(
            "<br>".join(
                f"{_due(t['due_on'], self.ctx.today)} · {_esc(t['title'])}" for t in tasks[:6]
            )
            or "<span style='color:gray'>No open tasks.</span>"
        )

    def _on_changed(self, changes: ChangeSet) -> None:
        if self.account_id is None or not self.isVisible():
            self._stale = True
            return
        # Everything of the account shows here, and its children's names and roll-ups.
        if changes.touches(*ChangeKind, account_id=self.account_id) or changes.touches(
            ChangeKind.ACCOUNT
        ):
            self.reload()

    def showEvent(self, event: Any) -> None:
        if getattr(self, "_stale", False):
            self._stale = False
            self.reload()
        super().showEvent(event)

    # ------------------------------------------------------------------ edits
    def _commit(self, name: str) -> None:
        """Save one field if it is valid and changed (an undoable command)."""
        editor = self.editors[name]
        if self.account_id is None or not editor.validate():
            return
        value = editor.value()
        before = self.values.get(name)
        if getattr(before, "value", before) == value:
            return
        account = self.values.get("name", "account")
        text = f"rename {account}" if name == "name" else f"change {editor.spec.label} of {account}"
        command = UpdateAccountCommand(
            self.ctx, self.account_id, {name: value}, text, expected={name: before}
        )
        # Refused (someone else saved first, or not ours to edit): say so beside the field,
        # where their value is back.
        command.tell_instead = lambda _message: None
        if not push_edit(self.ctx, command):
            self.reload()  # their value, as stored now, is back in the field
            editor.error.setText(command.problem or "")
            editor.error.show()


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _due(when: date | None, today: date) -> str:
    if when is None:
        return "no date"
    if when < today:
        # Said as the Today view says it: a red date alone read as one still to come.
        late = dates_text.overdue((today - when).days)
        return f"<b style='color:{theme.RENEWAL_SOON}'>{late}</b>"
    return dates_text.short_day(when)
