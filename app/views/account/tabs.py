"""The account workspace's tabs, in order. Adding a tab is one line here.

A tab is a QWidget class with ``title`` (class attribute), a constructor ``(ctx, parent=None)``
and ``set_account(account_id: str | None)`` (``AccountView`` gives the last two); tabs show
their titles only, so they fit beside the tree. Tabs from other modules (stakeholder map,
health, renewals) join with one import and one entry each (or one ``LazyView`` entry), once
they exist: tabs that have not landed are not listed.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtWidgets import QWidget

from app.services.labels import records_label
from app.views.context import AppContext
from app.views.lazy import LazyView


class AccountView(QWidget):
    """A tab showing one account of the open workspace: ``set_account`` says which (None: none)
    and ``reload`` reads what the tab shows of it."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.account_id: str | None = None

    def set_account(self, account_id: str | None) -> None:
        """Show ``account_id`` (None: nothing)."""
        self.account_id = account_id
        self.reload()

    def reload(self) -> None:
        """Read what the tab shows of the account again."""
        raise NotImplementedError


class AccountTab(Protocol):
    """What the workspace needs of a tab class."""

    title: str

    def __call__(self, ctx: AppContext, parent: QWidget | None = None) -> QWidget: ...


#: Classes, or ``LazyView``s for tabs whose imports are heavy (built on first show anyway).
#: Every tab is lazy: none is shown before an account is chosen, so none is imported at start.
_SECTIONS = "app.views.account.section_tabs"
#: The touchpoints tab (stored as ``activity`` records): the domain's word, from one home.
TOUCHPOINTS = records_label("activity")
#: Titles tabs had before, still understood where a title is remembered or typed (a saved
#: last tab, ``snapshot --tab``): the touchpoints tab was "Activities".
FORMER_TITLES = {"Activities": TOUCHPOINTS}
ACCOUNT_TABS: list[AccountTab] = [
    LazyView("Overview", "app.views.account.overview:OverviewTab"),
    LazyView("Stakeholders", "app.views.map:StakeholderMapTab"),
    LazyView("Health", "app.views.health:HealthTab"),
    LazyView("Renewals", "app.views.calendar:RenewalsTab"),
    LazyView("Success plan", f"{_SECTIONS}:SuccessPlanTab"),
    LazyView(TOUCHPOINTS, f"{_SECTIONS}:ActivitiesTab"),
    LazyView("Risks & escalations", f"{_SECTIONS}:RisksTab"),
    LazyView("Opportunities", f"{_SECTIONS}:OpportunitiesTab"),
    LazyView("Plays", "app.views.playbooks:PlaysTab"),
]
