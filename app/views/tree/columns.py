"""The account tree's columns, item roles and drag format (shared by model, view, delegates)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from app.services.health_trend import Direction

MIME_TYPE = "application/x-fieldbook-account-ids"

COL_NAME, COL_HEALTH, COL_ARR, COL_RENEWAL, COL_OWNER = range(5)
HEADERS = ("Account", "Health", "ARR", "Next renewal", "Owner")
#: The health cell's trend arrow (``app.services.health_trend.direction``).
TREND_GLYPHS = {Direction.UP: "▲", Direction.DOWN: "▼", Direction.STEADY: "▸"}

ROLE_ID = Qt.ItemDataRole.UserRole + 1
ROLE_DEPTH = Qt.ItemDataRole.UserRole + 2
ROLE_HAS_CHILDREN = Qt.ItemDataRole.UserRole + 3
ROLE_EXPANDED = Qt.ItemDataRole.UserRole + 4
ROLE_BAND = Qt.ItemDataRole.UserRole + 5
ROLE_TREND = Qt.ItemDataRole.UserRole + 6
ROLE_SORT = Qt.ItemDataRole.UserRole + 7
ROLE_MATCH = Qt.ItemDataRole.UserRole + 8

#: One call per painted cell: ``(text, colour or None)`` for the cell, plus for the name
#: column ``(depth, has_children, expanded, match, dimmed)`` and for health
#: ``(band, trend)``.
ROLE_CELL = Qt.ItemDataRole.UserRole + 9

Index = QModelIndex | QPersistentModelIndex
