"""A view class named by its import path, imported only when the view is first built.

Views with heavy dependencies (the health views pull in numpy) stay out of start-up: list
``LazyView("Health", "app.views.health:HealthTab")`` where a class would go.
"""

from __future__ import annotations

import importlib
from typing import Any

from PySide6.QtWidgets import QWidget


class LazyView:
    """Stands in for a view class: has its ``title``; calling it builds the real widget."""

    def __init__(self, title: str, target: str, icon_name: str = "") -> None:
        self.title = title
        self.target = target
        self.icon_name = icon_name

    def resolve(self) -> type[QWidget]:
        """The real class (imported now)."""
        module, name = self.target.split(":", 1)
        cls: type[QWidget] = getattr(importlib.import_module(module), name)
        return cls

    def __call__(self, *args: Any, **kwargs: Any) -> QWidget:
        return self.resolve()(*args, **kwargs)

    def __repr__(self) -> str:
        return f"LazyView({self.title!r}, {self.target!r})"
