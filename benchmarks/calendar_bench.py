"""Calendar benchmarks on a 10,000-account book (~15,000 contracts): month render, month switch,
the whole book's .ics feed.

Each function returns ``(median, floor, target)`` in seconds. The floor is measured in the
same run, alternating with the subject, so a busy machine slows both alike; it is a raw
``sqlite3`` read of the rows the subject needs (and, for the feed, writing as many bytes).

Run: ``QT_QPA_PLATFORM=offscreen python -m benchmarks.calendar_bench [--accounts N]``.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

TODAY = date(2027, 3, 8)
RUNS = 7
MONTH_RENDER_TARGET = 0.100
MONTH_SWITCH_TARGET = 0.050
FEED_TARGET = 2.0

Figures = tuple[float, float, float]


def book(folder: Path, accounts: int) -> Path:
    """The benchmark book, built once per size and reused."""
    from benchmarks.calendar_book import build_book

    path = folder / f"calendar-book-{accounts}.db"
    if not path.exists():
        build_book(path, accounts, today=TODAY).close()
    return path


#: Runs per calendar benchmark; ``make bench-quick`` lowers it (see ``_whole``).
_runs = [RUNS]


def _median_pair(subject: Callable[[], float], floor: Callable[[], float]) -> tuple[float, float]:
    subjects, floors = [], []
    for _ in range(_runs[0]):
        floors.append(floor())
        subjects.append(subject())
    return statistics.median(subjects), statistics.median(floors)


def _timed(action: Callable[[], Any]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def _raw_month(raw: sqlite3.Connection, start: date, end: date) -> Callable[[], float]:
    """Floor: the month's contracts (with their 120-day horizon) and touchpoints, raw."""
    horizon = end + timedelta(days=125)

    def read() -> None:
        raw.execute(
            "SELECT id, start_date, end_date, notice_days, auto_renew, value_minor, currency "
            "FROM contract WHERE end_date BETWEEN ? AND ?",
            (start.isoformat(), horizon.isoformat()),
        ).fetchall()
        raw.execute(
            "SELECT count(*) FROM activity WHERE occurred_at >= ? AND occurred_at < ?",
            (start.isoformat(), (end + timedelta(days=1)).isoformat()),
        ).fetchall()

    return lambda: _timed(read)


def _view(path: Path) -> Any:
    from PySide6.QtWidgets import QApplication

    from app.views.calendar import CalendarView
    from app.views.context import AppContext
    from benchmarks.workspaces import open_shared

    app = QApplication.instance() or QApplication([])
    ctx = AppContext(store=open_shared(path), today=TODAY)
    view = CalendarView(ctx)
    view.resize(1366, 768)
    view.grab()
    return app, view


def month_render(path: Path) -> Figures:
    """A month never shown before: tally it, build its chips, paint the grid (index warm)."""
    app, view = _view(path)
    raw = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    months = iter(range(1, 100))

    def subject() -> float:
        view._cache.clear()  # a month never shown: nothing prefetched
        step = next(months)

        def render() -> None:
            view.anchor = date(2027 + (2 + step) // 12, (2 + step) % 12 + 1, 1)
            view.reload()
            view.grid.grab()

        seconds = _timed(render)
        app.processEvents()
        return seconds

    start, end = date(2027, 4, 1), date(2027, 5, 12)
    median, floor = _median_pair(subject, _raw_month(raw, start, end))
    return median, floor, MONTH_RENDER_TARGET


def month_switch(path: Path) -> Figures:
    """Page Down to the next month, as a user does: its neighbours were read while idle."""
    app, view = _view(path)
    raw = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    app.processEvents()

    def subject() -> float:
        seconds = _timed(lambda: (view.step(1), view.grid.grab()))
        app.processEvents()  # the view prefetches the next neighbours here
        return seconds

    start, end = date(2027, 4, 1), date(2027, 5, 12)
    median, floor = _median_pair(subject, _raw_month(raw, start, end))
    return median, floor, MONTH_SWITCH_TARGET


def whole_book_feed(path: Path, days: int = 90) -> Figures:
    """``fieldbook export calendar`` for every account, ``days`` ahead (the default 90)."""
    from app.exports.ics import export_calendar
    from benchmarks.workspaces import open_shared

    store = open_shared(path)
    raw = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    out = Path(tempfile.mkdtemp()) / "book.ics"
    size = 0

    def subject() -> float:
        nonlocal size

        def export() -> None:
            with store.read() as session:
                export_calendar(
                    session, out, today=TODAY, days=days, now=datetime(2027, 3, 8, tzinfo=UTC)
                )

        seconds = _timed(export)
        size = out.stat().st_size
        return seconds

    def floor() -> float:
        def read_and_write() -> None:
            rows = raw.execute(
                "SELECT c.id, c.end_date, c.value_minor, a.name FROM contract c "
                "JOIN account a ON a.id = c.account_id"
            ).fetchall()
            rows += raw.execute("SELECT id, occurred_at, title FROM activity").fetchall()
            blob = b"x" * max(size, 1)
            target = out.with_suffix(".floor")
            with target.open("wb") as handle:
                handle.write(blob)
                handle.flush()
                os.fsync(handle.fileno())
            del rows

        return _timed(read_and_write)

    subject()  # learn the size the floor writes
    median, floor_seconds = _median_pair(subject, floor)
    return median, floor_seconds, FEED_TARGET


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--accounts", type=int, default=10_000)
    parser.add_argument("--folder", default=tempfile.gettempdir())
    args = parser.parse_args()
    path = book(Path(args.folder), args.accounts)
    for name, bench in (
        ("month render", month_render),
        ("month switch", month_switch),
        ("whole-book .ics (90 days)", whole_book_feed),
    ):
        median, floor, target = bench(path)
        verdict = "ok" if median <= target else "MISSED"
        print(
            f"{name:28} median {median * 1000:8.1f} ms  floor {floor * 1000:7.1f} ms  "
            f"ratio {median / floor:5.1f}x  target {target * 1000:6.0f} ms  {verdict}"
        )


if __name__ == "__main__":
    main()


QUICK_ACCOUNTS = 1_000


def _whole(bench: Callable[[Path], Figures]) -> Any:
    def whole(workdir: Path, quick: bool) -> tuple[float, float, dict[str, float]]:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        _runs[0] = 3 if quick else RUNS
        median, floor, _target = bench(book(workdir, QUICK_ACCOUNTS if quick else 10_000))
        return median, floor, {}

    return whole


def _benchmark(name: str, what: str, bench: Callable[[Path], Figures], target: float) -> Any:
    from benchmarks.core import Benchmark, no_step

    return Benchmark(
        name=name, what=what,
        floor_what="raw sqlite3 read of the rows it needs (the feed: and writing as many bytes)",
        prepare=no_step, subject=no_step, floor=no_step, runs=RUNS, quick_runs=3,
        whole=_whole(bench), max_seconds=target, size=10_000, quick_size=QUICK_ACCOUNTS,
    )  # fmt: skip


#: The runner's view of these benchmarks (``python -m benchmarks --only calendar_month_render``).
BENCHMARK_LIST = (
    _benchmark(
        "calendar_month_render",
        "a calendar month never shown before, {size} accounts",
        month_render,
        MONTH_RENDER_TARGET,
    ),
    _benchmark(
        "calendar_month_switch",
        "Page Down to the next calendar month, {size} accounts",
        month_switch,
        MONTH_SWITCH_TARGET,
    ),
    _benchmark(
        "calendar_feed",
        "the whole book's .ics feed, 90 days ahead, {size} accounts",
        whole_book_feed,
        FEED_TARGET,
    ),
)
