"""Playbooks in the window: the account's Plays tab, the playbook and cadence editors.

The two views load when first asked for (``PEP 562``): Today imports this package's
commands and "my book" picker at start-up, and should not pay for the editors with them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.views.playbooks.plays_tab import PlaysTab
    from app.views.playbooks.view import PlaybooksView

__all__ = ["PlaybooksView", "PlaysTab"]

_WHERE = {"PlaysTab": "app.views.playbooks.plays_tab", "PlaybooksView": "app.views.playbooks.view"}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
