"""Views shown when no account is selected (Today; later the book-wide calendar), in order.

A home view is a QWidget class with ``title`` and a constructor ``(ctx, parent=None)``; it shows
the whole book, so it takes no account. Adding one is one line; its entry names its tab's icon.
"""

from __future__ import annotations

from typing import Any

from app.views.lazy import LazyView

#: The first is built at start (right after the window's first paint); the others when first
#: shown.
HOME_VIEWS: list[Any] = [
    LazyView("Today", "app.views.today:TodayView", "today"),
    LazyView("Calendar", "app.views.calendar:CalendarView", "today"),
    LazyView("Renewal pipeline", "app.views.calendar:RenewalPipelinePanel", "renewal"),
    LazyView("Health", "app.views.health:PortfolioHealthPanel", "health"),
    LazyView("Alerts", "app.views.health:BookAlertsPanel", "risk"),
    LazyView("Playbooks", "app.views.playbooks:PlaybooksView", "milestone"),
]
