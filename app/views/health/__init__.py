"""Health views: the account's Health tab, the portfolio health panel, the scorecard editor.

matplotlib is imported only when a chart first shows, never by importing this package.
"""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QWidget

from app.views.context import AppContext
from app.views.health.alerts_panel import BookAlertsPanel
from app.views.health.portfolio import PortfolioHealthPanel
from app.views.health.scorecard_editor import ScorecardEditor
from app.views.health.tab import HealthTab

__all__ = [
    "BookAlertsPanel",
    "HealthTab",
    "PortfolioHealthPanel",
    "ScorecardEditor",
    "build_snapshot_widget",
]


def build_snapshot_widget(
    ctx: AppContext, account_id: str | None, size: QSize | tuple[int, int]
) -> QWidget:
    """A ready-drawn widget for ``fieldbook snapshot --view health`` (None: the portfolio)."""
    width, height = (size.width(), size.height()) if isinstance(size, QSize) else size
    widget: PortfolioHealthPanel | HealthTab
    if account_id is None:
        widget = PortfolioHealthPanel(ctx)
    else:
        tab = HealthTab(ctx)
        tab.set_account(account_id)
        widget = tab
    widget.resize(width, height)
    # Not shown: the caller grabs it (offscreen) or puts it in a window; draw now either way.
    widget.draw_now()
    return widget
