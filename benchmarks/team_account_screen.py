"""See benchmarks.team_reads."""

from benchmarks.team_reads import SCREEN as BENCHMARK

__all__ = ["BENCHMARK"]
