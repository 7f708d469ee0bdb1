"""Account tabs made of item sections: contracts, success plan, activities, risks, opportunities."""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSplitter, QToolButton, QVBoxLayout, QWidget

from app.services import work_items
from app.views.account import forms, sections
from app.views.account.items import ItemSection, SectionSpec
from app.views.commands import CreateItemCommand, UpdateItemCommand
from app.views.context import AppContext
from app.views.icons import icon
from app.views.undo import push_edit


class SectionsTab(QWidget):
    """A tab showing one or more item sections, stacked in a splitter."""

    title: ClassVar[str] = ""
    icon_name: ClassVar[str] = ""
    specs: ClassVar[tuple[SectionSpec, ...]] = ()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.account_id: str | None = None
        self.sections = [ItemSection(ctx, spec, self) for spec in self.specs]
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        if len(self.sections) == 1:
            layout.addWidget(self.sections[0])
        else:
            splitter = QSplitter(Qt.Orientation.Vertical, self)
            splitter.setChildrenCollapsible(False)
            for section in self.sections:
                splitter.addWidget(section)
            layout.addWidget(splitter)
            self.splitter = splitter

    def set_account(self, account_id: str | None) -> None:
        self.account_id = account_id
        for section in self.sections:
            section.set_account(account_id)

    def section(self, kind: str) -> ItemSection:
        return next(s for s in self.sections if s.spec.kind == kind)


class ContractsTab(SectionsTab):
    """Contracts with their renewal forecast and outcome."""

    title = "Contracts & renewals"
    icon_name = "contract"
    specs = (sections.CONTRACTS,)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        contracts = self.sections[0]
        self.renewal_button = QToolButton(contracts)
        self.renewal_button.setIcon(icon("renewal"))
        self.renewal_button.setText("Renewal forecast…")
        self.renewal_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.renewal_button.setAutoRaise(True)
        self.renewal_button.setEnabled(False)
        self.renewal_button.clicked.connect(self.edit_renewal)
        contracts.extra_bar.insertWidget(contracts.extra_bar.count() - 3, self.renewal_button)
        contracts.selection_changed.connect(
            lambda row: self.renewal_button.setEnabled(row is not None)
        )

    def edit_renewal(self) -> None:
        """Forecast (commit / likely / at risk), likelihood, next step and outcome."""
        contracts = self.sections[0]
        row = contracts.selected()
        if row is None or self.account_id is None:
            return
        with self.ctx.store.read() as session:
            renewal = next(
                (
                    r
                    for r in work_items.list_items(session, "renewal", self.account_id)
                    if r["contract_id"] == row["id"]
                ),
                None,
            )
        title = f"Renewal of {row['name']}"
        if renewal is None:
            values = forms.edit_form(self, title, sections.RENEWAL_FIELDS, {}, None, new=True)
            if values is None:
                return
            push_edit(
                self.ctx,
                CreateItemCommand(
                    self.ctx,
                    "renewal",
                    self.account_id,
                    {**values, "contract_id": row["id"]},
                    f"forecast renewal of {row['name']}",
                ),
            )
            return
        changes = forms.edit_form(self, title, sections.RENEWAL_FIELDS, renewal)
        if changes:
            push_edit(
                self.ctx,
                UpdateItemCommand(
                    self.ctx,
                    "renewal",
                    self.account_id,
                    renewal["id"],
                    changes,
                    f"update renewal of {row['name']}",
                ),
            )


class SuccessPlanTab(SectionsTab):
    """The customer's goals and the dated milestones towards them."""

    title = "Success plan"
    icon_name = "plan"
    specs = (sections.GOALS, sections.MILESTONES)


class ActivitiesTab(SectionsTab):
    """Meetings and calls with attendees and minutes, and the follow-up tasks."""

    title = "Activities"
    icon_name = "activity"
    specs = (sections.ACTIVITIES, sections.TASKS)


class RisksTab(SectionsTab):
    """Risks and escalations with severity, owner, mitigation and dates."""

    title = "Risks & escalations"
    icon_name = "risk"
    specs = (sections.RISKS,)


class OpportunitiesTab(SectionsTab):
    """Up-sell, cross-sell and MACD opportunities, and their hand-over to sales."""

    title = "Opportunities"
    icon_name = "opportunity"
    specs = (sections.OPPORTUNITIES,)
