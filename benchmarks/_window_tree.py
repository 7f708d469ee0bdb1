"""The real account tree (model, view, delegates) over synthetic rows, for the filter and
scroll benchmarks, and the Qt floor they are compared with."""

from __future__ import annotations

import os
import random
from datetime import date, timedelta
from typing import Any

from benchmarks.core import Run, timed

#: Typing "acme d", deleting back to nothing: each step is one keystroke.
KEYSTROKES = ("a", "ac", "acm", "acme", "acme ", "acme d", "acme", "ac", "")


def synthetic_rows(count: int, seed: int = 3) -> list[Any]:
    """Account rows in hierarchies (about a third sit under a parent)."""
    from app.models.enums import HealthBand
    from app.services.hierarchy import AccountRow

    rng = random.Random(seed)
    words = ("Acme", "Globex", "Initech", "Umbrella", "Hooli", "Stark", "Wayne", "Wonka")
    today = date(2026, 5, 1)
    rows = []
    top: str | None = None
    for n in range(count):
        parent = top if top is not None and rng.random() < 0.3 else None
        account_id = f"{n:032x}"
        if parent is None:
            top = account_id
        score = rng.uniform(20, 95)
        band = (
            HealthBand.RED if score < 50 else HealthBand.YELLOW if score < 75 else HealthBand.GREEN
        )
        rows.append(AccountRow(
            id=account_id, parent_id=parent,
            name=f"{rng.choice(words)} {rng.choice(words)} {n}", currency="USD",
            arr_minor=rng.randrange(10_000_00, 900_000_00), owner=rng.choice(("Maya", "Jonas")),
            segment="mid_market", health_score=score, health_band=band,
            next_renewal=today + timedelta(days=rng.randrange(400))))  # fmt: skip
    return rows


class TreeState:
    """A shown tree view on ``count`` accounts, and a plain Qt table of the same size."""

    def __init__(self, count: int, expand: bool) -> None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from PySide6.QtGui import QStandardItem, QStandardItemModel
        from PySide6.QtWidgets import QApplication, QTableView

        from app.views.tree.model import AccountTreeModel
        from app.views.tree.view import AccountTreeView

        self.app = QApplication.instance() or QApplication([])
        self.model = AccountTreeModel(date(2026, 5, 1))
        self.model.set_rows(synthetic_rows(count))
        self.model.prepare()
        if expand:
            self.model.expand_all()
        self.view = AccountTreeView(self.model)
        self.view.resize(560, 700)
        self.view.show()
        plain = QStandardItemModel(200, 5)
        for r in range(200):
            for c in range(5):
                plain.setItem(r, c, QStandardItem(f"Acme Globex {r} · 26 Jan 28 · 430 d"[: 12 + c]))
        self.plain = QTableView()
        self.plain.setModel(plain)
        self.plain.resize(560, 700)
        self.plain.show()
        self.app.processEvents()
        self.step = 0


def keystroke(state: TreeState) -> Run:
    """One keystroke: filter the book and repaint the tree."""
    text = KEYSTROKES[state.step % len(KEYSTROKES)]
    state.step += 1
    viewport = state.view.viewport()
    return Run(timed(lambda: (state.model.set_filter(text=text), viewport.repaint())))


def scroll_page(state: TreeState) -> Run:
    """One frame of scrolling a page down (back to the top at the end)."""
    bar = state.view.verticalScrollBar()
    viewport = state.view.viewport()
    if bar.value() >= bar.maximum():
        bar.setValue(0)
    return Run(timed(lambda: (bar.setValue(bar.value() + bar.pageStep()), viewport.repaint())))


def plain_repaint(state: TreeState) -> Run:
    """What Qt itself needs to draw one screen of text rows on this machine, right now."""
    return Run(timed(state.plain.viewport().repaint))
