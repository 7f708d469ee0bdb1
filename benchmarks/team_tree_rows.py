"""See benchmarks.team_reads."""

from benchmarks.team_reads import TREE as BENCHMARK

__all__ = ["BENCHMARK"]
