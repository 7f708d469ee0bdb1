"""Render the app icon (resources/icons/fieldbook.svg) to PNG sizes, .ico and .icns.

Usage: ``python packaging/build_icons.py OUT_DIR``. Generated at build time, never committed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "resources" / "icons" / "fieldbook.svg"


def render(out_dir: Path) -> list[Path]:
    """Write ``fieldbook-<size>.png`` for each size, plus ``fieldbook.ico`` and ``.icns``."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication([])
    renderer = QSvgRenderer(str(SOURCE))
    if not renderer.isValid():
        raise SystemExit(f"{SOURCE} is not a valid SVG")
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        target = out_dir / f"fieldbook-{size}.png"
        image.save(str(target))
        written.append(target)
    del app

    from PIL import Image

    largest = Image.open(out_dir / "fieldbook-512.png")
    largest.save(out_dir / "fieldbook.ico", sizes=[(s, s) for s in SIZES if s <= 256])
    largest.save(out_dir / "fieldbook.icns")
    return [*written, out_dir / "fieldbook.ico", out_dir / "fieldbook.icns"]


if __name__ == "__main__":
    for path in render(Path(sys.argv[1] if len(sys.argv) > 1 else "build/icons")):
        print(path)
