"""``python -m benchmarks [--only NAME] [--quick]``: run the benchmarks and flag missed targets.

Every benchmark runs even when one before it fails: a failure prints its error (a child
process's own output included) and counts as a miss. The report ends with one table of
medians, floors, ratios and targets.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import tempfile
import time
import traceback
from collections.abc import Sequence
from pathlib import Path

from benchmarks import BENCHMARK_MODULES
from benchmarks.core import Benchmark, Result, describe_target, failed, format_seconds, measure
from benchmarks.workspaces import close_shared


def load() -> list[Benchmark]:
    """Every benchmark, from the explicit list in ``benchmarks/__init__.py``."""
    out: list[Benchmark] = []
    for name in BENCHMARK_MODULES:
        module = importlib.import_module(name)
        out.extend(getattr(module, "BENCHMARK_LIST", None) or (module.BENCHMARK,))
    return out


def verdict(result: Result) -> str:
    if result.error is not None:
        return "FAILED"
    if result.quick:
        return "quick"
    return "MISS" if result.misses else "ok"


def report(result: Result) -> str:
    bench = result.benchmark
    if result.error is not None:
        return f"{bench.name}: FAILED\n{result.error.rstrip()}"
    figures = "".join(f", {name} {value:,.1f}" for name, value in result.figures.items())
    if result.quick:
        judged = "quick run: targets not checked"
    else:
        judged = "MISS: " + "; ".join(result.misses) if result.misses else "ok"
    return (
        f"{bench.name}: {bench.describe(result.quick)}\n"
        f"  median {format_seconds(result.median)}{figures}\n"
        f"  floor  {format_seconds(result.floor)} ({bench.floor_what})\n"
        f"  ratio  {result.ratio:.2f}x   target {describe_target(bench)}   -> {judged}"
    )


def table(results: Sequence[Result]) -> str:
    """The closing summary: one line per benchmark."""
    header = ("benchmark", "median", "floor", "ratio", "target", "verdict")
    rows = [header]
    for result in results:
        measured = result.error is None
        rows.append(
            (
                result.benchmark.name,
                format_seconds(result.median) if measured else "-",
                format_seconds(result.floor) if measured else "-",
                f"{result.ratio:.2f}x" if measured else "-",
                describe_target(result.benchmark),
                verdict(result),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(line.rstrip() for line in lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--only", metavar="NAME", help="run only this benchmark (or a list, a,b)")
    parser.add_argument("--quick", action="store_true", help="smaller cases, fewer runs")
    parser.add_argument(
        "--workdir",
        metavar="DIR",
        help="keep the generated workspaces in DIR and reuse them next time (default: a "
        "temporary folder, removed at the end)",
    )
    args = parser.parse_args(argv)
    benchmarks = load()
    if args.only:
        wanted = set(args.only.split(","))
        unknown = wanted - {b.name for b in benchmarks}
        if unknown:
            names = ", ".join(b.name for b in benchmarks)
            print(
                f"benchmarks: no benchmark named {sorted(unknown)[0]!r} (have: {names}).",
                file=sys.stderr,
            )
            return 2
        benchmarks = [b for b in benchmarks if b.name in wanted]
    results: list[Result] = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="fieldbook-bench-") as folder:
        workdir = Path(args.workdir) if args.workdir else Path(folder)
        workdir.mkdir(parents=True, exist_ok=True)
        for bench in benchmarks:
            try:
                result = measure(bench, workdir, args.quick)
            except Exception:  # report it, then go on with the next benchmark
                result = failed(bench, traceback.format_exc(), args.quick)
            finally:
                close_shared()
            results.append(result)
            print(report(result), flush=True)
    elapsed = time.perf_counter() - started
    print(f"\n{len(results)} benchmark(s) in {elapsed:.0f} s{' (quick)' if args.quick else ''}:")
    print(table(results))
    missed = sum(1 for r in results if r.error is not None or (r.misses and not r.quick))
    if missed:
        print(f"{missed} benchmark(s) failed or missed their target.")
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
