"""The calendar's modal messages: the one dialogs module's, replaceable here by tests."""

from __future__ import annotations

from app.views.dialogs import refuse as show_error

__all__ = ["show_error"]
