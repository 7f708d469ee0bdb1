"""Actions made real: one QAction per ``ActionSpec``, its handler found, its keys bound."""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from app.views.actions import ACTIONS, SCOPES, ActionSpec
from app.views.icons import icon


def is_available(spec: ActionSpec) -> bool:
    """Whether the action's handler exists (a ``module:function`` handler's module is installed)."""
    if ":" not in spec.handler:
        return True
    module = spec.handler.split(":", 1)[0]
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


def resolve(spec: ActionSpec, window: QWidget) -> Callable[[], object]:
    """The callable behind an action (imports a ``module:function`` handler on first use)."""
    if ":" not in spec.handler:
        method: Callable[[], object] = getattr(window, spec.handler)
        return method
    module_name, function = spec.handler.split(":", 1)

    def call() -> object:
        return getattr(importlib.import_module(module_name), function)(window)

    return call


def build_actions(window: QWidget, specs: tuple[ActionSpec, ...] = ACTIONS) -> dict[str, QAction]:
    """One QAction per available spec, owned by ``window``, its handler connected."""
    actions: dict[str, QAction] = {}
    for spec in specs:
        if not is_available(spec):
            continue
        action = QAction(spec.text, window)
        action.setObjectName(f"action_{spec.id}")
        if spec.icon:
            action.setIcon(icon(spec.icon))
        if spec.tip:
            action.setStatusTip(spec.tip)
            action.setToolTip(spec.tip)
        keys = spec.shortcut if isinstance(spec.shortcut, tuple) else (spec.shortcut,)
        sequences: list[QKeySequence] = []
        for key in keys:
            if key is None:
                continue
            if isinstance(key, str):
                sequences.append(QKeySequence(key))
            else:
                sequences.extend(QKeySequence.keyBindings(key))
        if sequences:
            action.setShortcuts(sequences)
        action.setCheckable(spec.checkable)
        if spec.scope not in SCOPES:
            raise ValueError(f"Action {spec.id} has an unknown scope {spec.scope!r}.")
        if spec.scope != "window":
            # Bound where the scope's widget is added (``bind_scope``), not window-wide.
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        handler = resolve(spec, window)
        action.triggered.connect(lambda _checked=False, h=handler: h())
        actions[spec.id] = action
    return actions


def bind_scope(
    widget: QWidget,
    scope: str,
    actions: dict[str, QAction],
    specs: tuple[ActionSpec, ...] = ACTIONS,
) -> None:
    """Make the shortcuts of ``scope``'s actions work while the focus is inside ``widget``."""
    for spec in specs:
        action = actions.get(spec.id)
        if action is not None and spec.scope == scope:
            widget.addAction(action)
