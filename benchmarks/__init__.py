"""Performance benchmarks with their targets; ``python -m benchmarks`` (``make bench``) runs them.

Each benchmark is a module here exposing ``BENCHMARK`` (a ``benchmarks.core.Benchmark``), or
``BENCHMARK_LIST`` for a module of several (map, calendar). The
runner reads this explicit list: nothing registers itself by being imported.
"""

from __future__ import annotations

#: Benchmark modules, in the order the runner runs them.
BENCHMARK_MODULES = (
    "benchmarks.demo_generation",
    "benchmarks.tree_rows",
    "benchmarks.health_what_if",
    "benchmarks.health_chart_draw",
    "benchmarks.export_deck",
    "benchmarks.export_brief",
    "benchmarks.export_batch",
    "benchmarks.export_report",
    "benchmarks.import_bench",
    "benchmarks.import_database",
    "benchmarks.import_export",
    "benchmarks.window_startup",
    "benchmarks.window_memory",
    "benchmarks.window_filter",
    "benchmarks.window_filter_100k",
    "benchmarks.window_scroll",
    "benchmarks.map_bench",
    "benchmarks.calendar_bench",
    "benchmarks.team_tree_rows",
    "benchmarks.team_account_screen",
    "benchmarks.team_writers",
    "benchmarks.sync_bench",
)
