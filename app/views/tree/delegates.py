"""Painting for the account tree: indented names with branch arrows, health chips."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPalette, QPen
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from app.views import theme
from app.views.tree.model import (
    ROLE_BAND,
    ROLE_DEPTH,
    ROLE_EXPANDED,
    ROLE_HAS_CHILDREN,
    ROLE_MATCH,
    ROLE_TREND,
)

INDENT = 18
ARROW = 16


def arrow_rect(option_rect: QRect, depth: int) -> QRect:
    """Where the expand arrow of a row at ``depth`` sits (used for clicks too)."""
    x = option_rect.left() + 4 + depth * INDENT
    return QRect(x, option_rect.top(), ARROW, option_rect.height())


class NameDelegate(QStyledItemDelegate):
    """Account names indented by depth with an expand arrow; filter matches in bold."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        depth = int(index.data(ROLE_DEPTH) or 0)
        text = opt.text
        opt.text = ""
        style = opt.widget.style() if opt.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        group = QPalette.ColorGroup.Active
        text_colour = opt.palette.color(
            group,
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text,
        )
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        arrow = arrow_rect(opt.rect, depth)
        if index.data(ROLE_HAS_CHILDREN):
            expanded = bool(index.data(ROLE_EXPANDED))
            c = QPointF(arrow.center())
            path = QPainterPath()
            if expanded:
                path.moveTo(c.x() - 4, c.y() - 2)
                path.lineTo(c.x(), c.y() + 2)
                path.lineTo(c.x() + 4, c.y() - 2)
            else:
                path.moveTo(c.x() - 2, c.y() - 4)
                path.lineTo(c.x() + 2, c.y())
                path.lineTo(c.x() - 2, c.y() + 4)
            arrow_colour = QColor(text_colour)
            arrow_colour.setAlphaF(0.7)
            painter.setPen(QPen(arrow_colour, 1.6))
            painter.drawPath(path)
        text_rect = QRect(opt.rect)
        text_rect.setLeft(arrow.right() + 4)
        font = QFont(opt.font)
        filtering = index.data(ROLE_MATCH)
        if filtering:
            font.setBold(True)
        elif (
            not selected
            and index.model() is not None
            and getattr(index.model(), "filter_active", lambda: False)()
        ):
            text_colour = opt.palette.color(QPalette.ColorRole.PlaceholderText)
        if depth == 0 and index.data(ROLE_HAS_CHILDREN):
            font.setWeight(QFont.Weight.DemiBold)
        painter.setFont(font)
        painter.setPen(text_colour)
        elided = painter.fontMetrics().elidedText(
            text, Qt.TextElideMode.ElideRight, max(0, text_rect.width() - 4)
        )
        painter.drawText(
            text_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, elided
        )
        painter.restore()

    def updateEditorGeometry(self, editor, option, index) -> None:  # type: ignore[no-untyped-def]
        rect = QRect(option.rect)
        depth = int(index.data(ROLE_DEPTH) or 0)
        rect.setLeft(arrow_rect(rect, depth).right() + 1)
        editor.setGeometry(rect)


class HealthDelegate(QStyledItemDelegate):
    """A coloured chip for the band, the score and a trend arrow."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text = opt.text
        opt.text = ""
        style = opt.widget.style() if opt.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        band = index.data(ROLE_BAND)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = opt.rect.adjusted(6, 0, -6, 0)
        if band:
            chip = QRectF(rect.left(), rect.center().y() - 5, 10, 10)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(theme.BAND_COLOURS.get(band, "#888888")))
            painter.drawRoundedRect(chip, 3, 3)
        score = text.split(" ")[0]
        trend = index.data(ROLE_TREND)
        painter.setPen(opt.palette.color(role))
        fm = painter.fontMetrics()
        arrow_w = fm.horizontalAdvance("▲") + 4
        score_rect = QRect(rect.left() + 14, rect.top(), rect.width() - 14 - arrow_w, rect.height())
        painter.drawText(
            score_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, score
        )
        if trend is not None:
            arrow = "▲" if trend > 2 else "▼" if trend < -2 else "▸"
            colour = (
                theme.BAND_COLOURS["green"]
                if trend > 2
                else theme.BAND_COLOURS["red"]
                if trend < -2
                else None
            )
            if colour and not selected:
                painter.setPen(QColor(colour))
            arrow_rect_ = QRect(rect.right() - arrow_w + 4, rect.top(), arrow_w, rect.height())
            painter.drawText(
                arrow_rect_, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, arrow
            )
        painter.restore()

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        return QSize(84, super().sizeHint(option, index).height())
