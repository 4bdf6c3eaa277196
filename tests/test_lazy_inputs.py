"""A run's sampled inputs are not kept: the Dataset samples them again when they are read
(som_mc/pipeline/lazy_inputs.py), with exactly the numbers the kernel saw (issue 13)."""

from __future__ import annotations

import pickle
import tracemalloc

import numpy as np
import pytest
import xarray as xr

from benchmarks.cases import benchmark_case
from som_mc import load_case, run
from som_mc.inputs.examples import example_path
from som_mc.pipeline.executors import execute
from som_mc.pipeline.plan import case_plan


def _kept(case, draws: int, seed: int, design: str) -> np.ndarray:
    """The inputs of the same run, kept by the plan as it computes the blocks."""
    reducer, _ = execute(case_plan(case, draws, seed, "expected", design), threads=1)
    return reducer.arrays["inputs"]


@pytest.mark.parametrize("design", ["random", "lhs", "sobol"])
def test_read_inputs_are_those_the_kernel_saw(design: str) -> None:
    """For each design, on the CTI case (whose inputs are correlated by a copula), the
    Dataset's inputs equal bit for bit those the plan kept while computing, whole and sliced
    across a block boundary, on two threads."""
    case = load_case(example_path("cti"))
    ds = run(case, draws=16_384, seed=5, design=design, threads=2)
    kept = _kept(case, 16_384, 5, design)
    np.testing.assert_array_equal(ds.inputs.isel(draw=slice(4090, 4100)).values, kept[4090:4100])
    np.testing.assert_array_equal(ds.inputs.values, kept)


def test_lazy_inputs_survive_pickle_and_netcdf(tmp_path) -> None:
    """The Dataset pickles (for dask and multiprocessing) and writes to netCDF with the same
    inputs."""
    ds = run(example_path("cti"), draws=5_000, seed=2, threads=1)
    again = pickle.loads(pickle.dumps(ds))
    np.testing.assert_array_equal(again.inputs.values, ds.inputs.values)
    path = tmp_path / "run.nc"
    ds.to_netcdf(path, engine="h5netcdf")
    with xr.open_dataset(path, engine="h5netcdf") as back:
        np.testing.assert_array_equal(back.inputs.values, ds.inputs.values)


def test_run_memory_grows_with_draws_not_draws_times_inputs() -> None:
    """On the standard case (419 uncertain inputs: 3,352 bytes of inputs a draw), the peak
    memory of a run (tracemalloc) grows with the draws by less than the inputs would take: the
    kept outputs only. Kept inputs would add 3,352 bytes a draw on top of them."""
    case = load_case(benchmark_case())
    run(case, draws=4096, seed=1, threads=1)  # compile and build the tables first
    peaks = []
    for draws in (8192, 40960):
        tracemalloc.start()
        run(case, draws=draws, seed=1, threads=1)
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    per_draw = (peaks[1] - peaks[0]) / (40960 - 8192)
    inputs_per_draw = len(case.inputs.uncertain) * 8
    assert inputs_per_draw == 3352
    assert per_draw < inputs_per_draw, per_draw
