"""Account tabs made of item sections: success plan, touchpoints, risks, opportunities
(contracts and renewals are the Renewals tab, ``app.views.calendar.renewals_tab``)."""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget

from app.views.account import sections
from app.views.account.item_table import SectionSpec
from app.views.account.items import ItemSection
from app.views.account.tabs import TOUCHPOINTS, AccountView
from app.views.context import AppContext


class SectionsTab(AccountView):
    """A tab showing one or more item sections, stacked in a splitter."""

    title: ClassVar[str] = ""
    specs: ClassVar[tuple[SectionSpec, ...]] = ()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
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

    def reload(self) -> None:
        for section in self.sections:
            section.set_account(self.account_id)

    def section(self, kind: str) -> ItemSection:
        return next(s for s in self.sections if s.spec.kind == kind)


class SuccessPlanTab(SectionsTab):
    """The customer's goals and the dated milestones towards them."""

    title = "Success plan"
    specs = (sections.GOALS, sections.MILESTONES)


class ActivitiesTab(SectionsTab):
    """Meetings and calls with attendees and minutes, and the follow-up tasks."""

    title = TOUCHPOINTS
    specs = (sections.ACTIVITIES, sections.TASKS)


class RisksTab(SectionsTab):
    """Risks and escalations with severity, owner, mitigation and dates."""

    title = "Risks & escalations"
    specs = (sections.RISKS,)


class OpportunitiesTab(SectionsTab):
    """Up-sell, cross-sell and MACD opportunities, and their hand-over to sales."""

    title = "Opportunities"
    specs = (sections.OPPORTUNITIES,)
