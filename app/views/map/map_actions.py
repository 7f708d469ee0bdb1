"""The stakeholder map's commands, declared once like the window's (``app.views.actions``).

The map tab builds its toolbar and shortcuts from this list, and Help › Keyboard shortcuts
lists it. ``handler`` is a path of attributes on the tab (``"extras.save_version"``).
"""

from __future__ import annotations

from app.views.actions import ActionSpec, StandardKey

MAP_MENU = "Stakeholder map"


def _spec(
    id: str,
    text: str,
    handler: str,
    shortcut: str | StandardKey | None = None,
    tip: str = "",
    *,
    separator_before: bool = False,
    checkable: bool = False,
) -> ActionSpec:
    return ActionSpec(
        id,
        text,
        handler,
        MAP_MENU,
        shortcut,
        None,
        tip,
        toolbar=True,
        separator_before=separator_before,
        checkable=checkable,
    )


MAP_ACTIONS: tuple[ActionSpec, ...] = (
    _spec("add", "Add person…", "add_person", "Ctrl+Shift+N", "Add a new person to the map"),
    _spec("layout", "Tidy layout", "tidy_layout", "Ctrl+L", "Lay the map out as an org chart"),
    _spec(
        "fit",
        "Fit",
        "view.fit_all",
        "Ctrl+0",
        "Show every card, however small",
        separator_before=True,
    ),
    _spec("zoom_sel", "Zoom to selection", "view.zoom_to_selection", "Ctrl+9"),
    _spec("zoom_in", "Zoom in", "zoom_in", StandardKey.ZoomIn, "Zoom in (also Ctrl+wheel)"),
    _spec("zoom_out", "Zoom out", "zoom_out", StandardKey.ZoomOut, "Zoom out (also Ctrl+wheel)"),
    _spec(
        "depart",
        "Departed…",
        "mark_selected_departed",
        None,
        "Record that the selected person left, where to, and their successor",
        separator_before=True,
    ),
    _spec(
        "remove",
        "Remove",
        "remove_selected",
        StandardKey.Delete,
        "Take the selected cards off the map, or delete the people",
    ),
    _spec("rename", "Rename", "rename_selected", "F2", "Rename the selected person in place"),
    _spec(
        "save_version",
        "Save version…",
        "extras.save_version",
        None,
        "Keep a named copy of the map to compare with later",
        separator_before=True,
    ),
    _spec(
        "compare",
        "Compare…",
        "extras.compare_versions",
        None,
        "Mark what changed since a saved version",
    ),
    _spec(
        "safe",
        "Customer view",
        "set_customer_safe",
        None,
        "Hide sentiment, blocker badges, notes and warnings",
        separator_before=True,
        checkable=True,
    ),
    _spec(
        "legend",
        "Legend",
        "show_legend",
        None,
        "Show what the colours, rings and lines mean",
        checkable=True,
    ),
    _spec("export", "Export…", "extras.export_image", None, "Save the map as PNG or SVG"),
    _spec("print", "Print…", "extras.print_map", None, "Print the map on one page"),
)

#: Actions with a shortcut but no toolbar button (the toolbar stays short).
NOT_ON_TOOLBAR = frozenset({"rename"})
