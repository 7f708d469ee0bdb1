"""The map's viewport: wheel and pinch zoom, middle- or space-drag pan, fit, drops from lists."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QMimeData, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QKeyEvent,
    QMouseEvent,
    QNativeGestureEvent,
    QPainter,
    QWheelEvent,
)
from PySide6.QtWidgets import QGraphicsView, QWidget

from app.views.map.scene import StakeholderScene
from app.views.map.style import FAR_ZOOM

#: Mime type carrying stakeholder ids (one per line) from side lists onto the map.
STAKEHOLDER_MIME = "application/x-fieldbook-stakeholder-ids"
MIN_ZOOM = 0.08
MAX_ZOOM = 3.0
#: At or above this zoom a card's name, title and badges are legible (the name is ~10 px):
#: the default view never shrinks the map below it, it scrolls instead.
READABLE_ZOOM = 0.72
#: Room around the cards the scroll bars reach, in scene units (space to drag cards into).
SCROLL_MARGIN = 400.0


def stakeholder_ids_from(mime: QMimeData) -> list[str]:
    """The stakeholder ids a drag carries (empty when it carries none)."""
    if not mime.hasFormat(STAKEHOLDER_MIME):
        return []
    raw = bytes(mime.data(STAKEHOLDER_MIME).data()).decode("utf-8")
    return [line for line in raw.splitlines() if line]


def stakeholder_mime(ids: list[str]) -> QMimeData:
    """Mime data for dragging people onto the map."""
    mime = QMimeData()
    mime.setData(STAKEHOLDER_MIME, "\n".join(ids).encode("utf-8"))
    mime.setText(", ".join(ids))
    return mime


class MapView(QGraphicsView):
    """Shows the scene; zoom and pan never change the data."""

    #: (stakeholder ids, scene position) dropped from a list.
    people_dropped = Signal(object, object)
    zoom_changed = Signal(float)

    def __init__(self, scene: StakeholderScene, parent: QWidget | None = None) -> None:
        super().__init__(scene, parent)
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.RubberBandDrag)
        self.setRubberBandSelectionMode(Qt.ItemSelectionMode.IntersectsItemShape)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setOptimizationFlag(QGraphicsView.OptimizationFlag.DontSavePainterState, True)
        self.setAcceptDrops(True)
        # A map larger than the view at a readable zoom scrolls (wheel, bars, middle- or
        # space-drag) rather than shrinking to unreadable cards; Ctrl+wheel zooms.
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.viewport().grabGesture(Qt.GestureType.PinchGesture)
        #: Pixels at the bottom covered by the legend, kept clear when fitting.
        self.bottom_reserve = 0
        self._pan_from: QPointF | None = None
        self._space = False

    # --- zoom ---------------------------------------------------------------------------

    def zoom(self) -> float:
        return self.transform().m11()

    def set_zoom(self, factor: float) -> None:
        factor = max(MIN_ZOOM, min(MAX_ZOOM, factor))
        current = self.zoom()
        if current > 0:
            self.scale(factor / current, factor / current)
        self._zoomed()

    def _zoomed(self) -> None:
        # Zoomed far out, antialiasing hundreds of thin lines costs more than it shows.
        self.setRenderHint(QPainter.RenderHint.Antialiasing, self.zoom() >= FAR_ZOOM)
        self.zoom_changed.emit(self.zoom())

    def zoom_by(self, factor: float) -> None:
        self.set_zoom(self.zoom() * factor)

    def update_scroll_area(self, *, grow_only: bool = False) -> None:
        """Let the scroll bars reach every card plus a margin to drag cards into.

        ``grow_only`` keeps the current area when it already holds the cards (an edit must
        not make the view jump).
        """
        scene = self.scene()
        assert isinstance(scene, StakeholderScene)
        cards = scene.cards_rect()
        if cards.isNull():
            cards = QRectF(0, 0, 1, 1)
        m = SCROLL_MARGIN
        wanted = cards.adjusted(-m, -m, m, m)
        if grow_only:
            wanted = wanted.united(self.sceneRect())
        self.setSceneRect(wanted)

    def fit_rect(self, rect: QRectF, *, max_zoom: float = 1.0, min_zoom: float = MIN_ZOOM) -> None:
        """Show ``rect`` whole (with a margin), zooming between ``min_zoom`` and ``max_zoom``.

        When even ``min_zoom`` cannot show it whole, show its top-centre part (the top of an
        org chart) and let the user scroll to the rest.
        """
        if rect.isNull():
            return
        margin = 30.0
        rect = rect.adjusted(-margin, -margin, margin, margin)
        viewport = self.viewport().rect()
        usable_h = max(50, viewport.height() - self.bottom_reserve)
        fit = min(viewport.width() / rect.width(), usable_h / rect.height(), max_zoom)
        factor = max(MIN_ZOOM, min_zoom, fit)
        self.update_scroll_area()
        self.resetTransform()
        self.scale(factor, factor)
        # Leave room under the map for the legend when it is shown.
        extra = self.bottom_reserve / factor
        centre = rect.center() + QPointF(0, extra / 2)
        if factor > fit + 1e-9:
            visible_h = usable_h / factor
            if rect.height() > visible_h:
                centre.setY(rect.top() + visible_h / 2)
        self.centerOn(centre)
        self._zoomed()

    def fit_all(self) -> None:
        """Show every card, however small that makes them (the Fit action)."""
        scene = self.scene()
        assert isinstance(scene, StakeholderScene)
        self.fit_rect(scene.cards_rect())

    def fit_readable(self) -> None:
        """The default view: fit the people, but never below a readable zoom (then scroll)."""
        scene = self.scene()
        assert isinstance(scene, StakeholderScene)
        self.fit_rect(scene.cards_rect(), min_zoom=READABLE_ZOOM)

    def reveal(self, rect: QRectF) -> None:
        """Scroll (never zoom) so ``rect`` is fully in view, e.g. a card just placed."""
        self.update_scroll_area()
        self.ensureVisible(rect, 40, 40)

    def zoom_to_selection(self) -> None:
        scene = self.scene()
        assert isinstance(scene, StakeholderScene)
        ids = scene.selected_ids()
        if ids:
            self.fit_rect(scene.cards_rect(ids), max_zoom=1.6)

    def wheelEvent(self, event: QWheelEvent) -> None:
        delta = event.angleDelta().y()
        if delta == 0 or not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            super().wheelEvent(event)
            return
        self.zoom_by(1.0015**delta)
        event.accept()

    def viewportEvent(self, event: QEvent) -> bool:
        if (
            isinstance(event, QNativeGestureEvent)
            and event.gestureType() == Qt.NativeGestureType.ZoomNativeGesture
        ):
            self.zoom_by(1.0 + event.value())
            return True
        return super().viewportEvent(event)

    # --- pan ----------------------------------------------------------------------------

    def _start_pan(self, event: QMouseEvent) -> None:
        self._pan_from = event.position()
        self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
        event.accept()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.MiddleButton or (
            self._space and event.button() == Qt.MouseButton.LeftButton
        ):
            self._start_pan(event)
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._pan_from is not None:
            delta = event.position() - self._pan_from
            self._pan_from = event.position()
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() - int(delta.x()))
            self.verticalScrollBar().setValue(self.verticalScrollBar().value() - int(delta.y()))
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._pan_from is not None:
            self._pan_from = None
            self.viewport().unsetCursor()
            if self._space:
                self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space = True
            self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
            event.accept()
            return
        super().keyPressEvent(event)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space = False
            self.viewport().unsetCursor()
            event.accept()
            return
        super().keyReleaseEvent(event)

    # --- drops from the side lists ----------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if stakeholder_ids_from(event.mimeData()):
            event.acceptProposedAction()
            return
        super().dragEnterEvent(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if stakeholder_ids_from(event.mimeData()):
            event.acceptProposedAction()
            return
        super().dragMoveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        ids = stakeholder_ids_from(event.mimeData())
        if ids:
            self.people_dropped.emit(ids, self.mapToScene(event.position().toPoint()))
            event.acceptProposedAction()
            return
        super().dropEvent(event)
