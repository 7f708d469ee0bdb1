"""The stakeholder map: org chart and influence map editor (the Stakeholders tab)."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QWidget

from app.views.context import AppContext
from app.views.map.tab import StakeholderMapTab

__all__ = ["StakeholderMapTab", "build_snapshot_widget"]


def build_snapshot_widget(ctx: AppContext, account_id: str, size: QSize) -> QWidget:
    """The Stakeholders tab showing ``account_id``, sized and fitted, ready to ``grab()``."""
    tab = StakeholderMapTab(ctx)
    # Shown off screen so every child gets its real size before the map is fitted.
    tab.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
    tab.resize(size)
    tab.set_account(account_id)
    tab.show()
    tab.view.fit_readable()  # what the user sees on opening the tab
    return tab
