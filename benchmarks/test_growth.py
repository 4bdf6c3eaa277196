"""How the cost of a run grows with draws, horizon and number of consequences.

``som_mc.run`` end to end on one thread (sampling, kernel, the Dataset of every draw) on the
standard case, changing one dimension at a time from the standard 100,000 draws, 30 years and
33 consequences (with 10-year profiles, so fewer consequences also means fewer inputs). The
table in README.md gives the time per 1,000 draws and its ratio to the standard case.
"""

from __future__ import annotations

import pytest
from pytest_benchmark.fixture import BenchmarkFixture

from benchmarks.cases import DRAWS, HORIZON, N_CONSEQUENCES, benchmark_case
from som_mc import load_case, run

#: (dimension, value): draws, horizon in years, consequences.
POINTS = [
    ("draws", 25_000),
    ("draws", 50_000),
    ("draws", DRAWS),
    ("horizon", 10),
    ("horizon", 20),
    ("consequences", 11),
    ("consequences", 22),
]


@pytest.mark.parametrize(("dimension", "value"), POINTS)
def test_growth(benchmark: BenchmarkFixture, dimension: str, value: int) -> None:
    """One run at the point; it gives a Dataset of the expected sizes."""
    horizon = value if dimension == "horizon" else HORIZON
    consequences = value if dimension == "consequences" else N_CONSEQUENCES
    draws = value if dimension == "draws" else DRAWS
    case = load_case(benchmark_case(horizon=horizon, n_consequences=consequences))
    run(case, draws=4096, seed=1, threads=1)  # compile and build the tables first
    benchmark.group = "growth: run() end to end, 1 thread"
    benchmark.extra_info.update(
        role="growth",
        dimension=dimension,
        draws=draws,
        horizon=horizon,
        consequences=consequences,
        inputs=len(case.inputs.uncertain),
    )
    ds = benchmark.pedantic(
        run, args=(case,), kwargs={"draws": draws, "seed": 1, "threads": 1}, rounds=2
    )
    assert ds.sizes["draw"] == draws and ds.sizes["year"] == horizon
    assert ds.sizes["consequence"] == consequences
