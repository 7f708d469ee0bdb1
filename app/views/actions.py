"""Every command of the main window, declared once; menus, toolbar and shortcuts read this.

Adding an action is one ``ActionSpec``. ``handler`` names a ``MainWindow`` method, or
``"package.module:function"`` called with the window: such an action exists only when that
module is installed, so features landing later (import wizard, backups, QBR export) appear
without touching the window. ``app.views.action_binding`` turns the specs into QActions.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QKeySequence

StandardKey = QKeySequence.StandardKey


@dataclass(frozen=True)
class ActionSpec:
    """One command: where it shows, how it is reached, what it does."""

    id: str
    text: str
    handler: str
    menu: str
    shortcut: str | StandardKey | tuple[str | StandardKey, ...] | None = None
    icon: str | None = None
    tip: str = ""
    toolbar: bool = False
    #: Shown in the account tree's right-click menu.
    context: bool = False
    #: Enabled only while an account is selected.
    needs_account: bool = False
    #: Draw a separator in the menu before this action.
    separator_before: bool = False
    checkable: bool = False
    #: Where the shortcut works: ``"window"`` anywhere in the main window, ``"tree"`` while
    #: the account tree has the focus (the action works on the tree's current account, and
    #: its key is free for the same gesture elsewhere: F2 renames a person on the map), or
    #: ``"map"`` while the focus is in the stakeholder map tab (its handler is on the tab).
    scope: str = "window"


#: The scopes an action can have; a key is bound at most once in any place the focus can be.
SCOPES = ("window", "tree", "map")

MENUS = ("&File", "&Edit", "&View", "&Account", "&Help")

ACTIONS: tuple[ActionSpec, ...] = (
    # File
    ActionSpec(
        "new_workspace",
        "&New Workspace…",
        "new_workspace",
        "&File",
        StandardKey.New,
        "new-workspace",
        "Create an empty workspace file",
    ),
    ActionSpec(
        "open_workspace",
        "&Open Workspace…",
        "open_workspace",
        "&File",
        StandardKey.Open,
        "open",
        "Open a workspace file",
        toolbar=True,
    ),
    ActionSpec(
        "connect_team",
        "Connect to &Team Workspace…",
        "connect_team",
        "&File",
        None,
        "open",
        "Open a team workspace on a PostgreSQL server",
    ),
    ActionSpec(
        "load_demo",
        "Load &Demo Data",
        "load_demo",
        "&File",
        None,
        "demo",
        "Open the demo workspace (created on first use)",
    ),
    ActionSpec(
        "import",
        "&Import…",
        "import_file",
        "&File",
        "Ctrl+I",
        "import",
        "Import accounts from a CRM export",
        separator_before=True,
    ),
    ActionSpec(
        "backups",
        "&Backups…",
        "open_backups",
        "&File",
        None,
        "backup",
        "Back up or restore this workspace",
    ),
    ActionSpec(
        "sync",
        "S&ync with Team Workspace",
        "app.views.sync_status:sync_now",
        "&File",
        "F9",
        "open",
        "Send this laptop's changes to the team workspace and bring in the team's",
        separator_before=True,
    ),
    ActionSpec(
        "sync_conflicts",
        "Review Sync &Conflicts…",
        "app.views.sync_status:review_conflicts",
        "&File",
        None,
        "open",
        "The values a sync did not keep: keep yours or take the team's",
    ),
    ActionSpec(
        "exchange_rates",
        "Currency && E&xchange Rates…",
        "open_exchange_rates",
        "&File",
        None,
        "export",
        "The reporting currency and the rates totals convert with",
    ),
    ActionSpec(
        "export_report",
        "Export Portfolio &Report…",
        "export_report",
        "&File",
        "Ctrl+Shift+E",
        "export",
        "Write the book to an Excel workbook",
        separator_before=True,
    ),
    ActionSpec(
        "export_calendar",
        "Export Renewal &Calendar…",
        "export_calendar",
        "&File",
        None,
        "today",
        "Write the next 90 days of renewal dates to an .ics feed",
    ),
    ActionSpec("quit", "&Quit", "close", "&File", StandardKey.Quit, "quit", separator_before=True),
    # Edit
    ActionSpec("undo", "&Undo", "undo", "&Edit", StandardKey.Undo, "undo", toolbar=True),
    ActionSpec(
        "redo", "&Redo", "redo", "&Edit", (StandardKey.Redo, "Ctrl+Y"), "redo", toolbar=True
    ),
    ActionSpec(
        "who_am_i",
        "Who I &Am…",
        "app.views.playbooks.my_book:ask_who_i_am",
        "&Edit",
        tip="Your name as account owner: your book first in Today, calendar and tree",
        separator_before=True,
    ),
    ActionSpec(
        "find",
        "&Find Account",
        "find_account",
        "&Edit",
        StandardKey.Find,
        "find",
        "Filter the account tree by name",
        separator_before=True,
    ),
    # View
    ActionSpec(
        "home",
        "&Today",
        "show_home",
        "&View",
        "Ctrl+T",
        "today",
        "Portfolio figures and what is due today",
        toolbar=True,
    ),
    ActionSpec(
        "toggle_tree",
        "Account &Tree",
        "toggle_tree",
        "&View",
        "Ctrl+Shift+T",
        "tree",
        checkable=True,
    ),
    ActionSpec(
        "expand_all", "&Expand All", "expand_all", "&View", None, None, separator_before=True
    ),
    ActionSpec("collapse_all", "&Collapse All", "collapse_all", "&View", None, None),
    ActionSpec(
        "refresh",
        "&Refresh",
        "refresh",
        "&View",
        StandardKey.Refresh,
        "refresh",
        separator_before=True,
    ),
    # Account
    ActionSpec(
        "new_account",
        "&New Account…",
        "new_account",
        "&Account",
        "Ctrl+Shift+N",
        "new-account",
        "Add a top-level account",
        toolbar=True,
        scope="tree",
    ),
    ActionSpec(
        "new_child",
        "New &Sub-account…",
        "new_child_account",
        "&Account",
        "Ctrl+Shift+B",
        "sub-account",
        "Add an account under the selected one",
        context=True,
        needs_account=True,
        scope="tree",
    ),
    ActionSpec(
        "open_account",
        "&Open",
        "open_current_account",
        "&Account",
        None,
        "account",
        context=True,
        needs_account=True,
        separator_before=True,
    ),
    ActionSpec(
        "rename_account",
        "&Rename…",
        "rename_account",
        "&Account",
        "F2",
        "rename",
        context=True,
        needs_account=True,
        scope="tree",
    ),
    ActionSpec(
        "delete_account",
        "&Delete…",
        "delete_account",
        "&Account",
        "Ctrl+Delete",
        "delete",
        "Delete the account and everything under it",
        context=True,
        needs_account=True,
        scope="tree",
    ),
    ActionSpec(
        "account_history",
        "&History…",
        "app.views.history_dialog:show_account_history",
        "&Account",
        None,
        None,
        "Who changed what of the account, and when (team workspaces)",
        needs_account=True,
    ),
    ActionSpec(
        "export_qbr",
        "Export &QBR…",
        "export_qbr",
        "&Account",
        "Ctrl+E",
        "export",
        "Export a QBR deck for the account",
        toolbar=True,
        context=True,
        needs_account=True,
        separator_before=True,
    ),
    # Help
    ActionSpec(
        "guide",
        "&Guide to Fieldbook",
        "app.views.help:show_guide",
        "&Help",
        StandardKey.HelpContents,
        None,
        "How to map stakeholders and the main workflows",
    ),
    ActionSpec(
        "shortcuts",
        "&Keyboard Shortcuts",
        "app.views.help:show_shortcuts",
        "&Help",
        "Ctrl+/",
        None,
        "Every shortcut and map gesture",
    ),
    ActionSpec("about", "&About Fieldbook", "about", "&Help", None, "about", separator_before=True),
)


MAP_MENU = "Stakeholder map"


def _map_spec(
    id: str,
    text: str,
    handler: str,
    shortcut: str | StandardKey | None = None,
    tip: str = "",
    *,
    separator_before: bool = False,
    checkable: bool = False,
    toolbar: bool = True,
) -> ActionSpec:
    """A map action: on the map's toolbar unless said, its key working on the map only."""
    return ActionSpec(
        id,
        text,
        handler,
        MAP_MENU,
        shortcut,
        None,
        tip,
        toolbar=toolbar,
        separator_before=separator_before,
        checkable=checkable,
        scope="map",
    )


#: The stakeholder map's commands (scope ``"map"``): the map tab builds its toolbar and
#: shortcuts from them; ``handler`` is a path of attributes on the tab
#: (``"extras.save_version"``).
MAP_ACTIONS: tuple[ActionSpec, ...] = (
    _map_spec("add", "Add person…", "add_person", "Ctrl+Shift+N", "Add a new person to the map"),
    _map_spec("layout", "Tidy layout", "tidy_layout", "Ctrl+L", "Lay the map out as an org chart"),
    _map_spec(
        "fit",
        "Fit",
        "view.fit_all",
        "Ctrl+0",
        "Show every card, however small",
        separator_before=True,
    ),
    _map_spec("zoom_sel", "Zoom to selection", "view.zoom_to_selection", "Ctrl+9"),
    _map_spec("zoom_in", "Zoom in", "zoom_in", StandardKey.ZoomIn, "Zoom in (also Ctrl+wheel)"),
    _map_spec(
        "zoom_out", "Zoom out", "zoom_out", StandardKey.ZoomOut, "Zoom out (also Ctrl+wheel)"
    ),
    _map_spec(
        "depart",
        "Departed…",
        "mark_selected_departed",
        None,
        "Record that the selected person left, where to, and their successor",
        separator_before=True,
    ),
    _map_spec(
        "remove",
        "Remove",
        "remove_selected",
        StandardKey.Delete,
        "Take the selected cards off the map, or delete the people",
    ),
    _map_spec(
        "rename",
        "Rename",
        "rename_selected",
        "F2",
        "Rename the selected person in place",
        toolbar=False,  # a key, not a button: the toolbar stays short
    ),
    _map_spec(
        "save_version",
        "Save version…",
        "extras.save_version",
        None,
        "Keep a named copy of the map to compare with later",
        separator_before=True,
    ),
    _map_spec(
        "compare",
        "Compare…",
        "extras.compare_versions",
        None,
        "Mark what changed since a saved version",
    ),
    _map_spec(
        "safe",
        "Customer view",
        "set_customer_safe",
        None,
        "Hide sentiment, blocker badges, notes and warnings",
        separator_before=True,
        checkable=True,
    ),
    _map_spec(
        "legend",
        "Legend",
        "show_legend",
        None,
        "Show what the colours, rings and lines mean",
        checkable=True,
    ),
    _map_spec("export", "Export…", "extras.export_image", None, "Save the map as PNG or SVG"),
    _map_spec("print", "Print…", "extras.print_map", None, "Print the map on one page"),
)

#: Every action of the app, whatever its scope: the one registry help and tests read.
REGISTRY: tuple[ActionSpec, ...] = (*ACTIONS, *MAP_ACTIONS)
