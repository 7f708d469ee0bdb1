"""Filter keystroke to repaint at 10k and 100k accounts (targets 30 ms / 150 ms), and one
scrolling frame (target 16 ms), on the real tree view and model with synthetic rows."""

from __future__ import annotations

import os
import random
from datetime import date, timedelta

from benchmarks._window_common import median_of, report, timed

KEYSTROKES = ("a", "ac", "acm", "acme", "acme ", "acme d", "acme", "ac", "")


def synthetic_rows(count: int, seed: int = 3) -> list:
    """Account rows in hierarchies (a quarter of companies have subsidiaries)."""
    from app.models.enums import HealthBand
    from app.services.hierarchy import AccountRow

    rng = random.Random(seed)
    words = ("Acme", "Globex", "Initech", "Umbrella", "Hooli", "Stark", "Wayne", "Wonka")
    rows = []
    today = date(2026, 5, 1)
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


def _view(count: int):
    from PySide6.QtWidgets import QApplication

    from app.views.tree.model import AccountTreeModel
    from app.views.tree.view import AccountTreeView

    app = QApplication.instance() or QApplication([])
    model = AccountTreeModel(date(2026, 5, 1))
    model.set_rows(synthetic_rows(count))
    view = AccountTreeView(model)
    view.resize(560, 700)
    view.show()
    app.processEvents()
    return app, model, view


def qt_floor() -> float:
    """Median repaint of a plain QTableView over a QStandardItemModel of the same size:
    what Qt itself needs to draw one screen of text rows on this machine, right now."""
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QApplication, QTableView

    app = QApplication.instance() or QApplication([])
    model = QStandardItemModel(200, 5)
    for r in range(200):
        for c in range(5):
            model.setItem(r, c, QStandardItem(f"Acme Globex {r} · 26 Jan 28 · 430 d"[: 12 + c]))
    view = QTableView()
    view.setModel(model)
    view.resize(560, 700)
    view.show()
    app.processEvents()
    floor = median_of(timed(view.viewport().repaint, 20))
    view.close()
    return floor


def bench_filter(count: int) -> tuple[float, float, float]:
    """(median keystroke-to-repaint, Qt floor repaint, target) in seconds."""
    app, model, view = _view(count)
    viewport = view.viewport()

    def keystroke_cycle() -> list[float]:
        samples = []
        for text in KEYSTROKES:
            samples += timed(lambda t=text: (model.set_filter(text=t), viewport.repaint()), 1)
        return samples

    keystroke_cycle()  # warm up
    samples: list[float] = []
    for _ in range(3):
        samples += keystroke_cycle()
    floor = qt_floor()
    target = 0.030 if count <= 10_000 else 0.150
    view.close()
    app.processEvents()
    return median_of(samples), floor, target


def bench_scroll(count: int = 10_000) -> tuple[float, float, float]:
    """(median frame when scrolling a page, Qt floor repaint, 16 ms)."""
    app, model, view = _view(count)
    model.expand_all()
    bar = view.verticalScrollBar()
    viewport = view.viewport()

    def frame() -> None:
        bar.setValue(bar.value() + bar.pageStep())
        viewport.repaint()

    samples = timed(frame, 60)
    floor = qt_floor()
    view.close()
    app.processEvents()
    return median_of(samples), floor, 0.016


def main() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    for count in (10_000, 100_000):
        median, floor, target = bench_filter(count)
        report(f"filter keystroke to repaint, {count:,} accounts", median, floor,
               f"<= {target * 1000:.0f} ms", median <= target)  # fmt: skip
    median, floor, target = bench_scroll()
    report("scroll one page, 10,000 accounts expanded", median, floor,
           f"<= {target * 1000:.0f} ms", median <= target)  # fmt: skip


if __name__ == "__main__":
    main()
