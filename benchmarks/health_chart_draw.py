"""The health chart's first draw: 2 years of weekly scores with breakdown and events.

Target (issue 5): at most 150 ms after matplotlib is imported. The subject is what opening
an account's Health tab draws: a new ``HealthChartPanel`` builds its canvas and figure
(score with bands, 40 event markers, six stacked groups) and draws it. The floor is the
plainest matplotlib chart of the same weeks: one axes, one line, drawn by Agg.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from benchmarks.core import Benchmark, Run, timed
from benchmarks.health_bench import synthetic_timeline

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

MAX_SECONDS = 0.150


def prepare(_workdir: Path, _quick: bool) -> Any:
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # imported: not timed
    from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg  # noqa: F401
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    timeline = synthetic_timeline()
    state = {"app": app, "timeline": timeline, "panels": [], "agg": FigureCanvasAgg}
    subject(state)  # warm font and glyph caches for both sides alike
    floor(state)
    return state


def subject(state: Any) -> Run:
    from app.views.health.chart_panel import HealthChartPanel

    def draw() -> None:
        panel = HealthChartPanel()
        panel.resize(1100, 520)
        panel.set_range(None)
        panel.set_timeline(state["timeline"])
        panel.ensure_canvas()
        panel.canvas.resize(1100, 480)
        panel.canvas.draw()
        state["panels"] = [panel]  # keep the last one alive until the next run

    return Run(timed(draw))


def floor(state: Any) -> Run:
    from matplotlib.figure import Figure

    timeline = state["timeline"]

    def draw() -> None:
        fig = Figure(figsize=(11, 4.8), dpi=100)
        ax = fig.add_subplot()
        ax.plot(range(len(timeline.scores)), timeline.scores)
        state["agg"](fig).draw()

    return Run(timed(draw))


BENCHMARK = Benchmark(
    name="health_chart_draw",
    what="first draw of the health chart panel: 2 years weekly, breakdown, events",
    floor_what="one axes with one line of the same 104 weeks, drawn by Agg",
    prepare=prepare,
    subject=subject,
    floor=floor,
    runs=9,
    quick_runs=3,
    max_seconds=MAX_SECONDS,
)
