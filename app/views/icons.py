"""SVG icons from ``resources/icons``, drawn in the palette's text colour (light and dark)."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QGuiApplication, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer

from app.paths import resource

#: Drawn at these sizes (device pixel ratio 2); Qt scales for others and greys disabled.
_SIZES = (16, 24)


def _text_colour() -> str:
    app = QGuiApplication.instance()
    if app is None:
        return "#333333"
    return QGuiApplication.palette().color(QPalette.ColorRole.WindowText).name()


def icon(name: str, colour: str | None = None) -> QIcon:
    """The icon ``resources/icons/<name>.svg``; ``currentColor`` becomes ``colour`` (default:
    the palette's text colour, so icons follow light and dark themes)."""
    return _icon(name, colour or _text_colour())


@cache
def _icon(name: str, colour: str) -> QIcon:
    path = resource("icons", f"{name}.svg")
    data = path.read_text(encoding="utf-8").replace("currentColor", colour)
    renderer = QSvgRenderer(QByteArray(data.encode("utf-8")))
    result = QIcon()
    for size in _SIZES:
        pixmap = QPixmap(size * 2, size * 2)
        pixmap.setDevicePixelRatio(2.0)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        renderer.render(painter, QRectF(0, 0, size, size))
        painter.end()
        result.addPixmap(pixmap)
    return result


def clear_cache() -> None:
    """Forget drawn icons (after the palette changed between light and dark)."""
    _icon.cache_clear()
