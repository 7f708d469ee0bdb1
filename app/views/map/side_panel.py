"""A map side panel that folds to a thin edge (one click) and remembers whether it is folded."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QSizePolicy, QToolButton, QVBoxLayout, QWidget

#: Width of a folded panel: just its unfold button.
EDGE = 22
_UNLIMITED = 16_777_215


class FoldingPanel(QWidget):
    """``content`` with a thin button on its inner edge that folds it away and back."""

    #: True when the panel was folded, False when unfolded (by the user or in code).
    folded_changed = Signal(bool)

    def __init__(
        self, title: str, content: QWidget, *, side: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.title = title
        self.side = side
        self.content = content
        self.button = QToolButton()
        self.button.setAutoRaise(True)
        self.button.setFixedWidth(EDGE)
        self.button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Expanding)
        self.button.clicked.connect(lambda: self.set_folded(not self.folded, by_user=True))
        self.button.setObjectName(f"fold-{side}")
        self._folded = False
        self.user_set = False
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.addWidget(content)
        self.body = body
        # The fold button sits on the edge facing the map.
        if side == "left":
            layout.addWidget(body, 1)
            layout.addWidget(self.button)
        else:
            layout.addWidget(self.button)
            layout.addWidget(body, 1)
        self._show_state()

    @property
    def folded(self) -> bool:
        return self._folded

    def set_folded(self, folded: bool, *, by_user: bool = False) -> None:
        """Fold to the thin edge or unfold; ``by_user`` marks the choice as one to remember."""
        if by_user:
            self.user_set = True
        if folded == self._folded:
            return
        self._folded = folded
        self._show_state()
        self.folded_changed.emit(folded)

    def _show_state(self) -> None:
        folded = self._folded
        self.body.setVisible(not folded)
        self.setMaximumWidth(EDGE if folded else _UNLIMITED)
        self.setMinimumWidth(EDGE if folded else 0)
        points_left = (self.side == "left") != folded
        self.button.setArrowType(Qt.ArrowType.LeftArrow if points_left else Qt.ArrowType.RightArrow)
        verb = "Show" if folded else "Hide"
        self.button.setToolTip(f"{verb} {self.title}")
        self.button.setAccessibleName(f"{verb} {self.title}")
