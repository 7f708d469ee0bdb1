"""Health benchmarks: what-if recompute, chart first draw, redraw, hover; each against a floor.

Each ``bench_*`` function returns ``(median, floor, target)`` in seconds: the median of
several runs, the floor (a fixed reference workload timed in the same run, so results
compare across machines as ratios) and the issue's target. Run:

    QT_QPA_PLATFORM=offscreen python -m benchmarks.health_bench
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import numpy as np

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

Result = tuple[float, float, float]

ACCOUNTS = 10_000
WEEKS = 104


def _median(fn: Callable[[], Any], runs: int = 7, warmup: int = 1) -> float:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def floor() -> float:
    """The reference workload: sort one million floats with numpy (median of 7)."""
    data = np.random.default_rng(0).random(1_000_000)
    return _median(lambda: np.sort(data), runs=7)


def synthetic_frame(accounts: int = ACCOUNTS, weeks: int = WEEKS) -> Any:
    """A book of ``accounts`` x ``weeks`` snapshots with 5 % missing values, by segment."""
    from app.services.scorecards import SIGNALS
    from app.services.scoring import SnapshotFrame

    rng = np.random.default_rng(1)
    n = accounts * weeks
    ranges = {
        "adoption": (0, 100),
        "tickets_new": (0, 15),
        "tickets_open": (0, 25),
        "tickets_p1": (0, 3),
        "hours_to_resolve": (2, 120),
        "nps": (-100, 100),
        "csat": (1, 5),
        "pulse": (1, 5),
        "days_since_touch": (0, 120),
        "executive_access": (0, 1),
        "overdue_invoices": (0, 12),
        "service_credits": (0, 6),
        "milestones_slipping": (0, 4),
    }
    signals = {}
    for key in SIGNALS:
        low, high = ranges[key]
        values = rng.uniform(low, high, n)
        values[rng.random(n) < 0.05] = np.nan
        signals[key] = values
    segment = np.sort(rng.integers(0, 4, accounts)).astype(np.int8)
    ids = np.array([f"{i:032x}" for i in range(accounts)], dtype=object)
    start = np.datetime64("2024-11-25")
    return SnapshotFrame(
        np.repeat(ids, weeks),
        np.tile(start + np.arange(weeks) * 7, accounts),
        np.repeat(segment, weeks),
        np.full(n, 100_000_00, dtype=np.int64),
        np.full(n, "EUR", dtype=object),
        signals,
    )


def bench_what_if_recompute() -> Result:
    """Score 10,000 accounts x 2 years of weekly history under the default scorecards."""
    from app.services.scorecards import default_scorecards
    from app.services.scoring import compute_book

    frame = synthetic_frame()
    specs = default_scorecards()
    return _median(lambda: compute_book(frame, specs), runs=5), floor(), 1.0


def synthetic_timeline(weeks: int = WEEKS, shift: float = 0.0) -> Any:
    """Two years of weekly scores with six groups and ~40 events."""
    from app.models.enums import HealthBand
    from app.services.health_timeline import (
        CHAMPION_LEFT,
        ESCALATION_OPENED,
        QBR,
        RENEWAL,
        TOUCHPOINT,
        ChartEvent,
        HealthTimeline,
    )

    start = date(2024, 11, 25)
    dates = tuple(start + timedelta(weeks=i) for i in range(weeks))
    scores = tuple(float(70 + 20 * np.sin(i / 9) - shift) for i in range(weeks))
    bands = tuple(
        HealthBand.RED if s < 50 else HealthBand.GREEN if s >= 75 else HealthBand.YELLOW
        for s in scores
    )
    groups = ("Adoption", "Support", "Sentiment", "Engagement", "Financial", "Delivery")
    shares = (0.25, 0.22, 0.23, 0.14, 0.10, 0.06)
    contributions = {g: tuple(s * w for s in scores) for g, w in zip(groups, shares, strict=True)}
    events = [
        ChartEvent(start + timedelta(weeks=i, days=2), TOUCHPOINT, "Call")
        for i in range(0, weeks, 4)
    ]
    events += [ChartEvent(start + timedelta(weeks=13 * q + 6), QBR, "QBR") for q in range(8)]
    events += [
        ChartEvent(start + timedelta(weeks=60), ESCALATION_OPENED, "Escalation: outage"),
        ChartEvent(start + timedelta(weeks=74), CHAMPION_LEFT, "Champion left: M. Chen"),
        ChartEvent(start + timedelta(weeks=100), RENEWAL, "Renewal: Platform"),
    ]
    return HealthTimeline(
        "0" * 32,
        "Bench Ltd",
        dates,
        scores,
        bands,
        50.0,
        75.0,
        groups,
        contributions,
        tuple(events),
    )


def _panel() -> Any:
    from PySide6.QtWidgets import QApplication

    from app.views.health.chart_panel import HealthChartPanel

    _app = QApplication.instance() or QApplication([])
    panel = HealthChartPanel()
    panel.resize(1100, 520)
    panel.set_range(None)
    panel.set_timeline(synthetic_timeline())
    panel.ensure_canvas()
    panel.canvas.resize(1100, 480)
    panel.canvas.draw()
    panel._keep_app = _app  # keep the application alive with the panel
    return panel


def bench_first_draw() -> Result:
    """The panel's first draw of 2 years of weekly scores with breakdown and events.

    A new panel each run: canvas created, figure built, drawn (matplotlib already imported).
    """
    from PySide6.QtWidgets import QApplication

    from app.views.health.chart_panel import HealthChartPanel

    app = QApplication.instance() or QApplication([])
    timeline = synthetic_timeline()
    panels = []

    def draw() -> None:
        panel = HealthChartPanel()
        panel.resize(1100, 520)
        panel.set_range(None)
        panel.set_timeline(timeline)
        panel.ensure_canvas()
        panel.canvas.resize(1100, 480)
        panel.canvas.draw()
        panels.append(panel)

    result = _median(draw, runs=7)
    del app
    return result, floor(), 0.150


def bench_document_figure() -> Result:
    """The same chart for a document: in-figure legends, rendered to PNG bytes (report only)."""
    import io

    from app.exports.chart_style import render_png
    from app.exports.health_charts import health_figure

    timeline = synthetic_timeline()

    def draw() -> None:
        render_png(io.BytesIO(), health_figure(timeline, size=(10, 5.2), dpi=100))

    return _median(draw, runs=5), floor(), 0.150


def bench_redraw_after_change() -> Result:
    """The panel's redraw when the scores change (a rescore): the score layer is blitted."""
    panel = _panel()
    timelines = [synthetic_timeline(shift=float(i % 5)) for i in range(5)]
    state = {"i": 0}

    def redraw() -> None:
        state["i"] += 1
        panel.set_timeline(timelines[state["i"] % 5])

    return _median(redraw, runs=7), floor(), 0.040


def bench_full_redraw() -> Result:
    """The panel's full rebuild and draw (new weeks or events, range or theme change)."""
    panel = _panel()
    timelines = [synthetic_timeline(weeks=WEEKS - (i % 3)) for i in range(3)]
    state = {"i": 0}

    def redraw() -> None:
        state["i"] += 1
        panel.set_timeline(timelines[state["i"] % 3])
        panel.canvas.draw()

    return _median(redraw, runs=7), floor(), 0.150


def bench_hover() -> Result:
    """One hover update: move marker and read-out, blit (no full redraw)."""
    panel = _panel()
    state = {"i": 0}

    def hover() -> None:
        state["i"] = (state["i"] + 7) % len(panel._x)
        panel.show_hover(state["i"])

    return _median(hover, runs=51, warmup=3), floor(), 0.005


BENCHMARKS: dict[str, Callable[[], Result]] = {
    "health.what_if_recompute_10k_x_104": bench_what_if_recompute,
    "health.chart_first_draw": bench_first_draw,
    "health.document_figure_png": bench_document_figure,
    "health.chart_redraw_after_change": bench_redraw_after_change,
    "health.chart_full_redraw": bench_full_redraw,
    "health.chart_hover": bench_hover,
}


def main() -> None:
    """Run every health benchmark and print median, floor, target and the verdict."""
    print(f"{'benchmark':40} {'median ms':>10} {'floor ms':>9} {'x floor':>8} {'target ms':>10}")
    for name, bench in BENCHMARKS.items():
        median, base, target = bench()
        verdict = "ok" if median <= target else "SLOW"
        print(
            f"{name:40} {median * 1000:10.1f} {base * 1000:9.1f} {median / base:8.2f} "
            f"{target * 1000:10.0f}  {verdict}"
        )


if __name__ == "__main__":
    main()
