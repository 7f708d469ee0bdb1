"""``python -m benchmarks [--only NAME] [--quick]``: run the benchmarks and flag missed targets."""

from __future__ import annotations

import argparse
import importlib
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from benchmarks import BENCHMARK_MODULES
from benchmarks.core import Benchmark, Result, describe_target, format_seconds, measure


def load() -> list[Benchmark]:
    """Every benchmark, from the explicit list in ``benchmarks/__init__.py``."""
    return [importlib.import_module(name).BENCHMARK for name in BENCHMARK_MODULES]


def report(result: Result) -> str:
    bench = result.benchmark
    figures = "".join(f", {name} {value:,.1f}" for name, value in result.figures.items())
    if result.quick:
        verdict = "quick run: targets not checked"
    else:
        verdict = "MISS: " + "; ".join(result.misses) if result.misses else "ok"
    return (
        f"{bench.name}: {bench.describe(result.quick)}\n"
        f"  median {format_seconds(result.median)}{figures}\n"
        f"  floor  {format_seconds(result.floor)} ({bench.floor_what})\n"
        f"  ratio  {result.ratio:.2f}x   target {describe_target(bench)}   -> {verdict}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--only", metavar="NAME", help="run only this benchmark")
    parser.add_argument("--quick", action="store_true", help="smaller cases, fewer runs")
    args = parser.parse_args(argv)
    benchmarks = load()
    if args.only:
        benchmarks = [b for b in benchmarks if b.name == args.only]
        if not benchmarks:
            names = ", ".join(b.name for b in load())
            print(f"benchmarks: no benchmark named {args.only!r} (have: {names}).", file=sys.stderr)
            return 2
    missed = 0
    with tempfile.TemporaryDirectory(prefix="fieldbook-bench-") as folder:
        for bench in benchmarks:
            result = measure(bench, Path(folder), args.quick)
            print(report(result), flush=True)
            missed += bool(result.misses)
    if missed:
        print(f"{missed} benchmark(s) missed their target.")
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
