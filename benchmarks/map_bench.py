"""Stakeholder map benchmarks: open, drag frame (100% and zoomed out), auto-layout.

Each ``bench_*`` returns ``(median_seconds, floor_seconds, target_ratio, figures)``: the
map's median time, a bare floor measured in the same run, the ratio median/floor must stay
under, and other figures worth reporting. Targets from issue 4: opening 500 cards + 600 lines
to the first paint <= 1.5x a bare scene of 500 rect+text items and 600 lines painted in the
same view (judged on a map's first open in the session, issue 19); a drag frame <= 16 ms;
auto-layout of 500 cards <= 200 ms.
The two absolute targets are expressed as ratios to their floor measured now
(``0.016 / floor`` and ``0.200 / floor``), so the runner can treat every bench alike.

Run: ``QT_QPA_PLATFORM=offscreen python -m benchmarks.map_bench``.
"""

from __future__ import annotations

import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

CARDS = 500
LINES = 600
REPORTING = 450  # 50 separate trees: 450 reporting lines + 150 relation lines = 600
RELATIONS = LINES - REPORTING
TODAY = date(2026, 6, 1)

#: (median seconds, floor seconds, target ratio, figures worth reporting).
Result = tuple[float, float, float, dict[str, float]]


def _median(run: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _app() -> Any:
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication([])


def _add_account(session: Any, number: int) -> str:
    """One account of 500 people on the map and 600 lines: the same chart for every
    ``number``, but other people (names and ids), so no two accounts' cards look alike."""
    from sqlalchemy import insert

    from app.models import Account, MapCard, Stakeholder, StakeholderRelation, new_id
    from app.models.enums import BuyingRole, RelationKind

    def own(uid: str) -> str:
        # The account's own id, sorting as the first account's does (curves bend by id order).
        return uid if number == 0 else uid[:-4] + f"{number:04x}"

    rng = random.Random(4)
    account = Account(name="Bench Corp" if number == 0 else f"Bench Corp {number}")
    session.add(account)
    session.flush()
    ids = [own(new_id(rng)) for _ in range(CARDS)]
    name = "Person {:03d} Example" if number == 0 else "Person {:03d} Sample " + f"{number:02d}"
    roots = ids[: CARDS - REPORTING]
    rows = []
    for i, pid in enumerate(ids):
        manager = None if i < len(roots) else ids[rng.randrange(i)]
        rows.append(
            {
                "id": pid,
                "account_id": account.id,
                "name": name.format(i),
                "title": "Director of Something Important",
                "department": "Operations",
                "reports_to_id": manager,
                "role": rng.choice(list(BuyingRole)),
                "sentiment": rng.randint(-2, 2),
                "influence": rng.randint(1, 5),
                "relationship_strength": 3,
                "is_executive_sponsor": False,
                "departed": False,
                "departed_is_lead": False,
                "last_contact_on": TODAY - timedelta(days=rng.randint(0, 200)),
            }
        )
    session.execute(insert(Stakeholder), rows)
    session.execute(
        insert(MapCard),
        [
            {"stakeholder_id": pid, "account_id": account.id,
             "x": (i % 25) * 270.0, "y": (i // 25) * 170.0}
            for i, pid in enumerate(ids)
        ],
    )  # fmt: skip
    kinds = list(RelationKind)
    pairs = set()
    while len(pairs) < RELATIONS:
        a, b = rng.sample(ids, 2)
        pairs.add((a, b))
    session.execute(
        insert(StakeholderRelation),
        [
            {"id": own(new_id(rng)), "account_id": account.id, "source_id": a,
             "target_id": b, "kind": rng.choice(kinds), "strength": rng.randint(1, 3)}
            for a, b in sorted(pairs)
        ],
    )  # fmt: skip
    return str(account.id)


@contextmanager
def big_workspaces(accounts: int) -> Iterator[tuple[Any, list[str]]]:
    """A workspace with ``accounts`` accounts of 500 people on the map and 600 lines each."""
    from app.models.opening import open_workspace

    with tempfile.TemporaryDirectory() as folder:
        store = open_workspace(Path(folder) / "bench.db", create=True)
        try:
            with store.session() as session:
                account_ids = [_add_account(session, number) for number in range(accounts)]
            yield store, account_ids
        finally:
            store.close()


@contextmanager
def big_workspace() -> Iterator[tuple[Any, str]]:
    """A workspace with one account of 500 people on the map and 600 lines."""
    with big_workspaces(1) as (store, account_ids):
        yield store, account_ids[0]


def _bare_scene() -> Any:
    """The floor: 500 rect + text items and 600 lines in a plain scene and view."""
    from PySide6.QtCore import QLineF, QRectF
    from PySide6.QtWidgets import QGraphicsScene, QGraphicsView

    scene = QGraphicsScene()
    rng = random.Random(1)
    for i in range(CARDS):
        x, y = (i % 25) * 270.0, (i // 25) * 170.0
        rect = scene.addRect(QRectF(x, y, 230, 92))
        text = scene.addSimpleText(f"Person {i:03d} Example")
        text.setPos(x + 70, y + 10)
        del rect
    for _ in range(LINES):
        a, b = rng.randrange(CARDS), rng.randrange(CARDS)
        scene.addLine(
            QLineF((a % 25) * 270.0, (a // 25) * 170.0, (b % 25) * 270.0, (b // 25) * 170.0)
        )
    view = QGraphicsView(scene)
    view.resize(1366, 768)
    return scene, view


def bench_open_map(repeat: int = 9) -> Result:
    """Open a 500-card map in the Stakeholders tab: load, analyse, build, first paint.

    Each timed open is the first open of its account's map in the session, as a user's
    usually is: the workspace holds one account per run, alike but for their people, so no
    card is copied from a picture of an earlier open (``card_pictures``). The same map
    opened again (its cards from their pictures) is measured after, against its own floor,
    and reported as figures beside the target, which is judged on the first open.

    The clock stops at the first paint, as the user sees it: the side panels fill right
    after it (``StakeholderMapTab.set_account``), and the cards and lines out of view are
    built then (``StakeholderScene.complete``); neither is timed. The floor paints its
    bare scene in a view of the same size, at the zoom and place the map opens at (the top
    left of the chart at the readable zoom), so both paint the same part of a scene.
    Figures: the medians of the process's CPU time for the first open and its floor, and
    the reopen's median, its floor and their ratio (x100).
    """
    app = _app()
    from PySide6.QtCore import Qt

    from app.views.context import AppContext
    from app.views.map.tab import StakeholderMapTab
    from app.views.map.view import READABLE_ZOOM

    def bare() -> None:
        scene, view = _bare_scene()
        view.scale(READABLE_ZOOM, READABLE_ZOOM)
        top_left = scene.itemsBoundingRect().topLeft()
        view.ensureVisible(top_left.x(), top_left.y(), 1, 1, 30, 30)
        view.viewport().grab()

    # One account to warm caches (fonts, imports), then one per first open.
    with big_workspaces(repeat + 1) as (store, account_ids):
        ctx = AppContext(store=store, today=TODAY)

        # The tab already stands in the window; opening a map is choosing its account.
        tab = StakeholderMapTab(ctx)
        tab.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
        tab.resize(1366, 768)
        tab.show()
        app.processEvents()

        def open_map(account_id: str) -> None:
            tab.set_account(account_id)
            tab.view.viewport().grab()

        def close_map() -> None:
            app.processEvents()  # the panels and the rest of the map, after the first paint
            assert not tab.panels_pending and not tab.scene.pending
            tab.set_account(None)
            app.processEvents()

        def timed_runs(accounts: list[str]) -> dict[str, float]:
            """Medians of wall and CPU seconds of ``bare`` and ``open_map``, alternating (a
            busy machine slows both alike)."""
            runs: dict[str, list[float]] = {"open": [], "floor": [], "cpu": [], "floor cpu": []}

            def timed(name: str, cpu_name: str, run: Callable[[], None]) -> None:
                wall, cpu = time.perf_counter(), time.process_time()
                run()
                runs[cpu_name].append(time.process_time() - cpu)
                runs[name].append(time.perf_counter() - wall)

            for account_id in accounts:
                timed("floor", "floor cpu", bare)
                timed("open", "cpu", partial(open_map, account_id))
                close_map()
            return {name: statistics.median(values) for name, values in runs.items()}

        warm, *first_opens = account_ids
        open_map(warm)
        close_map()
        bare()
        first = timed_runs(first_opens)
        # The last map opened again and again: its cards come from their pictures.
        again = timed_runs([first_opens[-1]] * repeat)
        tab.close()
        tab.deleteLater()
    figures = {
        "cpu ms": first["cpu"] * 1000,
        "floor cpu ms": first["floor cpu"] * 1000,
        "reopen ms": again["open"] * 1000,
        "reopen floor ms": again["floor"] * 1000,
        "reopen ratio x100": again["open"] / again["floor"] * 100,
    }
    return (first["open"], first["floor"], 1.5, figures)


def _drag_frames(view: Any, item_pos: Any, frames: int = 30) -> float:
    """Median time of one drag frame: a mouse move on the viewport plus the repaint."""
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest

    app = _app()
    viewport = view.viewport()
    start = view.mapFromScene(item_pos)
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    times = []
    for i in range(1, frames + 1):
        t0 = time.perf_counter()
        QTest.mouseMove(viewport, start + QPoint(3 * i, 2 * i))
        # Let Qt repaint what the move dirtied, as it does between two real mouse events.
        app.processEvents()
        times.append(time.perf_counter() - t0)
    QTest.mouseRelease(
        viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
        start + QPoint(3 * frames, 2 * frames),
    )  # fmt: skip
    return statistics.median(times)


def _bare_drag_floor() -> float:
    from PySide6.QtCore import QPointF, Qt
    from PySide6.QtWidgets import QGraphicsItem

    scene, view = _bare_scene()
    view.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
    view.show()
    _app().processEvents()
    items = [i for i in scene.items() if i.type() == 3]  # rect items
    target = items[len(items) // 2]
    target.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsMovable, True)
    rect = target.sceneBoundingRect()
    view.centerOn(rect.center())
    floor = _drag_frames(view, rect.center() + QPointF(0, 0))
    view.close()
    return floor


def _map_drag(zoomed_out: bool) -> tuple[float, float]:
    app = _app()
    from PySide6.QtCore import QPointF, QSize

    from app.views.context import AppContext
    from app.views.map import build_snapshot_widget

    with big_workspace() as (store, account_id):
        ctx = AppContext(store=store, today=TODAY)
        tab: Any = build_snapshot_widget(ctx, account_id, QSize(1366, 768))
        card = next(iter(tab.scene.cards.values()))
        if not zoomed_out:
            tab.view.set_zoom(1.0)
        tab.view.centerOn(card)
        app.processEvents()
        median = _drag_frames(tab.view, card.pos() + QPointF(100, 46))
        tab.close()
    return median, _bare_drag_floor()


def bench_drag_frame(repeat: int = 1) -> Result:
    """One drag frame at 100% zoom on the 500-card map (target 16 ms)."""
    median, floor = _map_drag(zoomed_out=False)
    return (median, floor, 0.016 / floor, {})


def bench_drag_frame_zoomed_out(repeat: int = 1) -> Result:
    """One drag frame with the whole 500-card map fitted in the view (target 16 ms)."""
    median, floor = _map_drag(zoomed_out=True)
    return (median, floor, 0.016 / floor, {})


def bench_layout(repeat: int = 9) -> Result:
    """Tidy org-chart layout of 500 cards (target 200 ms); floor: a plain grid placement."""
    from app.services.map_layout import tidy_layout

    rng = random.Random(7)
    people = [f"p{i}" for i in range(CARDS)]
    reports_to = {
        pid: (people[rng.randrange(i)] if i >= CARDS - REPORTING else None)
        for i, pid in enumerate(people)
    }
    influences = [(rng.choice(people), rng.choice(people)) for _ in range(RELATIONS)]

    def grid() -> dict[str, tuple[float, float]]:
        return {pid: ((i % 25) * 270.0, (i // 25) * 170.0) for i, pid in enumerate(sorted(people))}

    floor = _median(grid, repeat)
    median = _median(lambda: tidy_layout(people, reports_to, influences), repeat)
    return (median, floor, 0.200 / floor, {})


BENCHMARKS = {
    "map_open": bench_open_map,
    "map_drag_frame": bench_drag_frame,
    "map_drag_frame_zoomed_out": bench_drag_frame_zoomed_out,
    "map_layout": bench_layout,
}


def main() -> int:
    failed = 0
    for name, bench in BENCHMARKS.items():
        median, floor, target, figures = bench()
        ratio = median / floor
        ok = ratio <= target
        failed += not ok
        print(
            f"{name:28s} median {median * 1000:8.2f} ms  floor {floor * 1000:8.3f} ms  "
            f"ratio {ratio:7.2f}  target <= {target:.2f}  {'ok' if ok else 'MISS'}"
            + "".join(f"  {figure} {value:,.1f}" for figure, value in figures.items())
        )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())


def _whole(bench: Callable[..., Result], runs: int, quick_runs: int) -> Any:
    def whole(_workdir: Path, quick: bool) -> tuple[float, float, dict[str, float]]:
        median, floor, _target, figures = bench(repeat=quick_runs if quick else runs)
        return median, floor, figures

    return whole


def _benchmark(name: str, what: str, floor_what: str, whole: Any, **targets: Any) -> Any:
    from benchmarks.core import Benchmark, no_step

    return Benchmark(
        name=name, what=what, floor_what=floor_what, prepare=no_step, subject=no_step,
        floor=no_step, runs=0, quick_runs=0, whole=whole, **targets,
    )  # fmt: skip


#: The runner's view of these benchmarks (``python -m benchmarks --only map_open``).
BENCHMARK_LIST = (
    _benchmark(
        "map_open",
        f"open a {CARDS}-card, {LINES}-line map in the Stakeholders tab to its first paint, "
        "the first time in the session (reopen: the same map again)",
        f"a bare scene of {CARDS} rect+text items and {LINES} lines, built and painted in "
        "the same view size at the zoom and place the map opens at",
        _whole(bench_open_map, 9, 5),
        max_ratio=1.5,
    ),
    _benchmark(
        "map_drag_frame",
        f"one drag frame at 100% zoom on the {CARDS}-card map",
        "one drag frame of a rect item in the bare scene",
        _whole(bench_drag_frame, 1, 1),
        max_seconds=0.016,
    ),
    _benchmark(
        "map_drag_frame_zoomed_out",
        f"one drag frame with the whole {CARDS}-card map fitted in the view",
        "one drag frame of a rect item in the bare scene",
        _whole(bench_drag_frame_zoomed_out, 1, 1),
        max_seconds=0.016,
    ),
    _benchmark(
        "map_layout",
        f"tidy org-chart layout of {CARDS} cards",
        "a plain grid placement of the same cards",
        _whole(bench_layout, 9, 5),
        max_seconds=0.200,
    ),
)
