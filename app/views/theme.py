"""Light and dark palettes and the small style sheet for Fieldbook's own widgets."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from app.paths import resource
from app.views import icons

#: Health band colours, readable on light and dark backgrounds.
BAND_COLOURS = {"green": "#22a06b", "yellow": "#e2a400", "red": "#e5484d"}
RENEWAL_SOON = "#e5484d"
RENEWAL_NEAR = "#d08700"

#: Colours by name, made once rather than parsed on every paint.
_COLOURS: dict[str, QColor] = {}


def colour(name: str) -> QColor:
    """The colour of ``name`` (``#rrggbb``), made once: for painting code that runs per row or
    per card. The colour is shared: change a copy."""
    made = _COLOURS.get(name)
    if made is None:
        made = _COLOURS[name] = QColor(name)
    return made


def message_label(parent: QWidget) -> QLabel:
    """The line of a panel where a refused action says why: object name ``message``, in the
    warning colour, wrapped."""
    label = QLabel(parent)
    label.setObjectName("message")
    label.setStyleSheet(f"color: {RENEWAL_SOON}")
    label.setWordWrap(True)
    return label


def error_label(parent: QWidget) -> QLabel:
    """The line under a field that says what is wrong with it (the style sheet's error
    colour), hidden until ``show_error`` gives it a message."""
    label = QLabel(parent)
    label.setProperty("role", "error")
    label.setWordWrap(True)
    label.hide()
    return label


def show_error(label: QLabel, message: str) -> None:
    """Show ``message`` on an ``error_label``; an empty message hides it."""
    label.setText(message)
    label.setVisible(bool(message))


def is_dark(palette: QPalette | None = None) -> bool:
    """Whether the palette has light text on a dark window."""
    palette = palette or QGuiApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


_role = QPalette.ColorRole
#: Each palette role's colour in the light and the dark palette (None: Qt's default).
_PALETTE: tuple[tuple[QPalette.ColorRole, str | None, str | None], ...] = (
    (_role.Window, "#f3f4f6", "#1f2124"),
    (_role.WindowText, "#1f2328", "#e6e6e6"),
    (_role.Base, "#ffffff", "#17181a"),
    (_role.AlternateBase, "#f7f8fa", "#1d1f22"),
    (_role.ToolTipBase, "#ffffff", "#2b2d31"),
    (_role.ToolTipText, "#1f2328", "#e6e6e6"),
    (_role.PlaceholderText, "#8b9097", "#8a8d93"),
    (_role.Text, "#1f2328", "#e6e6e6"),
    (_role.Button, "#f7f8fa", "#2a2c30"),
    (_role.ButtonText, "#1f2328", "#e6e6e6"),
    (_role.Light, "#ffffff", "#3a3d42"),
    (_role.Midlight, "#eceef1", "#32353a"),
    (_role.Mid, "#c9cdd3", "#26282c"),
    (_role.Dark, "#a0a5ad", "#141517"),
    (_role.Highlight, "#2563eb", "#2f6fde"),
    (_role.HighlightedText, "#ffffff", "#ffffff"),
    (_role.Link, "#2563eb", "#6ea8fe"),
    (_role.BrightText, None, "#ffffff"),
    (_role.Shadow, None, "#000000"),
)
#: Disabled text in the dark palette (the light one keeps Qt's).
_DARK_DISABLED_TEXT = "#6b6e74"


def _palette(column: int) -> QPalette:
    p = QPalette()
    for role, *colours in _PALETTE:
        colour = colours[column]
        if colour is not None:
            p.setColor(role, QColor(colour))
    return p


def dark_palette() -> QPalette:
    """A neutral dark palette (used when the platform gives none, e.g. offscreen renders)."""
    p = _palette(1)
    for r in (_role.Text, _role.WindowText, _role.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, r, QColor(_DARK_DISABLED_TEXT))
    return p


def light_palette() -> QPalette:
    """A crisp light palette matching the dark one."""
    return _palette(0)


STYLE_SHEET = """
QLabel[role="title"] { font-size: 17pt; font-weight: 600; }
QLabel[role="subtitle"] { color: palette(placeholder-text); }
QLabel[role="section"] { font-weight: 600; font-size: 11pt; padding-top: 6px; }
QLabel[role="error"] { color: #e5484d; font-size: 9pt; }
QLabel[role="figure"] { font-size: 18pt; font-weight: 600; }
QLabel[role="caption"] { color: palette(placeholder-text); font-size: 9pt; }
QLabel[role="pill"] { border: 1px solid palette(mid); border-radius: 9px; padding: 1px 8px; }
QFrame[role="card"] { background: palette(base); border: 1px solid palette(midlight);
                      border-radius: 8px; }
QLineEdit[invalid="true"], QDateEdit[invalid="true"] { border: 1px solid #e5484d; }
QToolButton[role="chip"] { border: 1px solid palette(mid); border-radius: 10px;
                           padding: 2px 9px; }
QToolButton[role="chip"]:checked { background: palette(highlight);
                                   color: palette(highlighted-text);
                                   border-color: palette(highlight); }
QTreeView#agenda::item { padding: 3px 2px; }
QTabWidget::pane { border-top: 1px solid palette(midlight); }
QToolBar { border: none; spacing: 2px; }
QDockWidget::title { padding: 4px 8px; }
"""


def apply_theme(app: QApplication, mode: str = "system") -> None:
    """Fusion style with the system palette (``system``), or a forced ``light``/``dark`` one."""
    app.setStyle("Fusion")
    if mode == "dark":
        app.setPalette(dark_palette())
    elif mode == "light":
        app.setPalette(light_palette())
    else:
        hints = app.styleHints()
        scheme = hints.colorScheme() if hasattr(hints, "colorScheme") else None
        if scheme == Qt.ColorScheme.Dark:
            app.setPalette(dark_palette())
        else:
            app.setPalette(light_palette())
    check = resource("icons", "check-white.svg").as_posix()
    border = "#6b6e74" if mode == "dark" or is_dark(app.palette()) else "#8b9097"
    indicators = (
        "QAbstractItemView::indicator { width: 13px; height: 13px; border-radius: 3px;"
        f" border: 1px solid {border}; background: palette(base); }}"
        "QAbstractItemView::indicator:checked { background: palette(highlight);"
        f" border-color: palette(highlight); image: url({check}); }}"
    )
    app.setStyleSheet(STYLE_SHEET + indicators)
    icons.clear_cache()
