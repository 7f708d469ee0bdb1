"""Painting for the account tree: indented names with branch arrows, health chips, and plain
cells, each with one model call per cell (the tree repaints within a frame at 100k rows)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPalette, QPen
from PySide6.QtWidgets import (
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from app.services.health_trend import Direction, direction
from app.views import theme
from app.views.tree.columns import ROLE_CELL, TREND_GLYPHS

INDENT = 18
ARROW = 16
_LEFT = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft
_RIGHT = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight

Index = QModelIndex | QPersistentModelIndex


def arrow_rect(option_rect: QRect, depth: int) -> QRect:
    """Where the expand arrow of a row at ``depth`` sits (used for clicks too)."""
    x = option_rect.left() + 4 + depth * INDENT
    return QRect(x, option_rect.top(), ARROW, option_rect.height())


# Enum members looked up once: each ``Class.Member`` read is a Python property call, and
# these run for every cell of every frame.
_PANEL = QStyle.PrimitiveElement.PE_PanelItemViewItem
_SELECTED = QStyle.StateFlag.State_Selected
_ACTIVE = QPalette.ColorGroup.Active
_TEXT = QPalette.ColorRole.Text
_HIGHLIGHTED_TEXT = QPalette.ColorRole.HighlightedText
_PLACEHOLDER_TEXT = QPalette.ColorRole.PlaceholderText
_ANTIALIASING = QPainter.RenderHint.Antialiasing
_ELIDE_RIGHT = Qt.TextElideMode.ElideRight


def _background(painter: QPainter, option: QStyleOptionViewItem) -> bool:
    """Draw the row background (selection, alternation, hover); True when selected.

    The view hands delegates an option without text (nothing to copy or clear).
    """
    widget = option.widget
    style = widget.style() if widget is not None else QApplication.style()
    style.drawPrimitive(_PANEL, option, painter, widget)
    return _SELECTED in option.state  # no new flag value, unlike ``state & _SELECTED``


def _cell(index: Index) -> tuple[Any, ...]:
    """The cell's display tuple, straight from our model when it is ours."""
    model = index.model()
    cell = getattr(model, "cell", None)
    if cell is not None:
        return cell(index.row(), index.column())  # type: ignore[no-any-return]
    return index.data(ROLE_CELL)  # type: ignore[no-any-return]


def _text_colour(option: QStyleOptionViewItem, selected: bool) -> QColor:
    return option.palette.color(_ACTIVE, _HIGHLIGHTED_TEXT if selected else _TEXT)


class CellDelegate(QStyledItemDelegate):
    """Plain text cells (ARR, renewal, owner), aligned and coloured by the model.

    ``short`` gives a cell's compact text (the owner's initials), shown instead of a cut one
    when the column is narrow; the full text stays in the cell's tooltip.
    """

    def __init__(
        self,
        align_right: bool = False,
        elide: bool = True,
        parent: QWidget | None = None,
        short: Callable[[str], str] | None = None,
    ) -> None:
        super().__init__(parent)
        self.align = _RIGHT if align_right else _LEFT
        self.elide = elide
        self.short = short

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        text, colour = _cell(index)[:2]
        selected = _background(painter, option)
        # No save/restore: every delegate of this view sets the font and pen it draws with.
        painter.setFont(option.font)
        painter.setPen(
            theme.colour(colour) if colour and not selected else _text_colour(option, selected)
        )
        rect = option.rect.adjusted(6, 0, -6, 0)
        if self.short is not None or self.elide:
            metrics = option.fontMetrics  # each read of an option's field is a copy
            if self.short is not None and metrics.horizontalAdvance(text) > rect.width():
                text = self.short(text)
            if self.elide:
                text = metrics.elidedText(text, _ELIDE_RIGHT, rect.width())
        painter.drawText(rect, self.align, text)


class NameDelegate(QStyledItemDelegate):
    """Account names indented by depth with an expand arrow; filter matches in bold."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        text, _cell_colour, depth, has_children, expanded, match, dimmed = _cell(index)
        selected = _background(painter, option)
        text_colour = _text_colour(option, selected)
        painter.save()
        cell_rect = option.rect  # each read of an option's field is a copy: read it once
        arrow = arrow_rect(cell_rect, depth)
        if has_children:
            painter.setRenderHint(_ANTIALIASING)
            centre = arrow.center()
            x, y = float(centre.x()), float(centre.y())
            path = QPainterPath()
            if expanded:
                path.moveTo(x - 4, y - 2)
                path.lineTo(x, y + 2)
                path.lineTo(x + 4, y - 2)
            else:
                path.moveTo(x - 2, y - 4)
                path.lineTo(x + 2, y)
                path.lineTo(x - 2, y + 4)
            arrow_colour = QColor(text_colour)
            arrow_colour.setAlphaF(0.7)
            painter.setPen(QPen(arrow_colour, 1.6))
            painter.drawPath(path)
        text_rect = QRect(cell_rect)
        text_rect.setLeft(arrow.right() + 4)
        text_rect.setRight(cell_rect.right() - 4)
        font = option.font
        if match:
            font = QFont(font)
            font.setBold(True)
        elif depth == 0 and has_children:
            font = QFont(font)
            font.setWeight(QFont.Weight.DemiBold)
        if dimmed and not selected:
            text_colour = option.palette.color(_PLACEHOLDER_TEXT)
        painter.setFont(font)
        painter.setPen(text_colour)
        elided = painter.fontMetrics().elidedText(text, _ELIDE_RIGHT, max(0, text_rect.width()))
        painter.drawText(text_rect, _LEFT, elided)
        painter.restore()

    def updateEditorGeometry(
        self, editor: QWidget, option: QStyleOptionViewItem, index: Index
    ) -> None:
        rect = QRect(option.rect)
        depth = index.data(ROLE_CELL)[2]
        rect.setLeft(arrow_rect(rect, depth).right() + 1)
        editor.setGeometry(rect)


class HealthDelegate(QStyledItemDelegate):
    """A coloured chip for the band, the score and a trend arrow."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        text, _cell_colour, band, trend = _cell(index)
        selected = _background(painter, option)
        painter.save()
        rect = option.rect.adjusted(6, 0, -6, 0)
        if band:
            painter.setRenderHint(_ANTIALIASING)
            chip = QRectF(rect.left(), rect.center().y() - 5, 10, 10)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(theme.colour(theme.BAND_COLOURS.get(band, "#888888")))
            painter.drawRoundedRect(chip, 3, 3)
        score = text.split(" ")[0]
        painter.setPen(_text_colour(option, selected))
        arrow_w = option.fontMetrics.horizontalAdvance("▲") + 4
        score_rect = QRect(rect.left() + 14, rect.top(), rect.width() - 14 - arrow_w, rect.height())
        painter.drawText(score_rect, _RIGHT, score)
        if trend is not None:
            way = direction(trend)
            arrow = TREND_GLYPHS[way]
            if not selected and way is not Direction.STEADY:
                moved = "green" if way is Direction.UP else "red"
                painter.setPen(theme.colour(theme.BAND_COLOURS[moved]))
            painter.drawText(
                QRect(rect.right() - arrow_w + 4, rect.top(), arrow_w, rect.height()), _LEFT, arrow
            )
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        return QSize(84, super().sizeHint(option, index).height())
