"""Views ``fieldbook snapshot`` can render to a screenshot, by name. Adding a view is one entry.

Each entry is ``(ctx, args) -> QWidget``: the widget to render, already loaded. Views from
other modules (stakeholder map, health, calendar) join by exposing a
``build_snapshot_widget(ctx, args)`` function and one line in ``SCREENSHOT_VIEWS``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QWidget

from app.models.store import Store
from app.views.context import AppContext


@dataclass(frozen=True)
class ScreenshotArgs:
    """What a screenshot view may use: the chosen account and the picture's size."""

    account_id: str | None
    width: int
    height: int
    settings_path: Path | None = None
    #: The account tab to show (its title); empty for the first.
    tab: str = ""
    #: The month the calendar shows (its first day); None for today's month.
    month: date | None = None


def _window(ctx: AppContext, args: ScreenshotArgs, show_tree: bool = True) -> QWidget:
    from app.views.main_window import MainWindow
    from app.views.settings import WindowSettings

    settings = WindowSettings(args.settings_path) if args.settings_path else None
    window = MainWindow(ctx.store, settings=settings, today=ctx.today)
    window.resize(args.width, args.height)
    window.resizeDocks([window.dock], [window.default_dock_width()], Qt.Orientation.Horizontal)
    window.dock.setVisible(show_tree)
    if args.account_id is not None:
        window.open_account(args.account_id, args.tab or "Overview")
    else:
        window.show_home()
        for index in range(window.home.count()):
            if args.tab and window.home.tabText(index) == args.tab:
                window.home.setCurrentIndex(index)
    return window


def build_portfolio(ctx: AppContext, args: ScreenshotArgs) -> QWidget:
    """The main window on the Today / Portfolio home (``--tab Health``: portfolio health)."""
    return _window(ctx, ScreenshotArgs(None, args.width, args.height, args.settings_path, args.tab))


def build_account(ctx: AppContext, args: ScreenshotArgs) -> QWidget:
    """The main window showing one account's Overview."""
    return _window(ctx, args)


def build_tree(ctx: AppContext, args: ScreenshotArgs) -> QWidget:
    """The account tree panel alone, top-level accounts expanded one level."""
    from app.views.tree.panel import AccountTreePanel

    panel = AccountTreePanel(ctx)
    panel.load()
    model = panel.model
    for account_id in list(model.visible_ids())[:12]:
        if model.has_children(account_id):
            model.set_expanded(account_id, True)
    if args.account_id is not None:
        panel.select(args.account_id)
    panel.resize(args.width, args.height)
    return panel


def build_health(ctx: AppContext, args: ScreenshotArgs) -> QWidget:
    """The account's Health tab (with ``--account``) or the portfolio health panel."""
    from app.views.health import build_snapshot_widget

    return build_snapshot_widget(ctx, args.account_id, (args.width, args.height))


def build_map(ctx: AppContext, args: ScreenshotArgs) -> QWidget:
    """The account's Stakeholders tab (org chart and influence map)."""
    from app.views.map import build_snapshot_widget

    assert args.account_id is not None
    return build_snapshot_widget(ctx, args.account_id, QSize(args.width, args.height))


def build_calendar(ctx: AppContext, args: ScreenshotArgs) -> QWidget:
    """The renewal calendar's month view of ``--month`` (default: today's month)."""
    from app.views.calendar import build_snapshot_widget

    return build_snapshot_widget(ctx, args.month or ctx.today, QSize(args.width, args.height))


SCREENSHOT_VIEWS: dict[str, Callable[[AppContext, ScreenshotArgs], QWidget]] = {
    "portfolio": build_portfolio,
    "account": build_account,
    "tree": build_tree,
    "health": build_health,
    "map": build_map,
    "calendar": build_calendar,
}

#: Views that need ``--account``.
NEEDS_ACCOUNT = frozenset({"account", "map"})


def render_view(
    store: Store, view: str, args: ScreenshotArgs, theme_name: str, today: date
) -> QImage:
    """Render ``view`` offscreen in ``theme_name`` and return the picture.

    The application's palette, style and style sheet are restored afterwards.
    """
    from PySide6.QtWidgets import QApplication

    from app.views.theme import apply_theme

    app = QApplication.instance() or QApplication(["fieldbook"])
    assert isinstance(app, QApplication)
    old_palette, old_sheet, old_style = app.palette(), app.styleSheet(), app.style().name()
    apply_theme(app, theme_name)
    widget = SCREENSHOT_VIEWS[view](AppContext(store=store, today=today), args)
    try:
        widget.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
        widget.resize(args.width, args.height)
        widget.show()
        for _ in range(3):
            app.processEvents()
        widget.resize(args.width, args.height)
        app.processEvents()
        image = widget.grab().toImage()
    finally:
        widget.close()
        widget.deleteLater()
        app.processEvents()
        app.setStyle(old_style)
        app.setPalette(old_palette)
        app.setStyleSheet(old_sheet)
    return image
