"""Recording benchmark times for the tests that check target ratios."""

from __future__ import annotations

import pytest
from pytest_benchmark.fixture import BenchmarkFixture

__all__ = ["record", "require"]


def record(
    benchmark: BenchmarkFixture, timings: dict[tuple[str, ...], float], key: tuple[str, ...]
) -> None:
    """Keep the fastest round of ``benchmark`` under ``key`` (nothing when benchmarks are off)."""
    if benchmark.enabled and benchmark.stats is not None:
        timings[key] = benchmark.stats.stats.min


def require(timings: dict[tuple[str, ...], float], *keys: tuple[str, ...]) -> list[float]:
    """The recorded times of ``keys``; skips the calling test when one was not measured."""
    missing = [key for key in keys if key not in timings]
    if missing:
        pytest.skip(f"not measured in this run (benchmarks off or deselected): {missing}")
    return [timings[key] for key in keys]
