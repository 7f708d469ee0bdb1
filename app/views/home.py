"""Views shown when no account is selected (Today; later the book-wide calendar), in order.

A home view is a QWidget class with ``title``, a constructor ``(ctx, parent=None)`` and
``set_account(account_id)`` (ignored by book-wide views). Adding one is one line.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from app.views.health import PortfolioHealthPanel
from app.views.today import TodayView

HOME_VIEWS: list[type[QWidget]] = [TodayView, PortfolioHealthPanel]
