"""Quantile tables (som_mc.model.tables) against the exact compiled quantiles and scipy.

The tables serve a value from a certified quintic Hermite cell or fall back to the exact
compiled quantile (som_mc.model.icdf, itself within 2e-14 of scipy); the contract of the
sampler is 1e-12 relative to scipy's quantile (``Distribution.ppf``), with the absolute floor
of a difference near 0 for the normal (``mu + sigma z``): 1e-13 of ``|mu| + sigma |z|``.
"""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest

from som_mc.inputs.distributions import PERT, Beta, Gamma, LogNormal, Normal, Triangular, Uniform
from som_mc.model import icdf, tables

RTOL = 1e-12
#: Each family at its parameter corners: PERT with the mode at a bound, beta shapes below 1,
#: a rare-event beta, very large shapes, a gamma shape below 1 and one of 1e5.
DISTS = {
    "pert": PERT(0.05, 0.14, 0.25),
    "pert-mode-at-min": PERT(0.0, 0.0, 1.0),
    "pert-mode-at-max": PERT(10.0, 20.0, 20.0),
    "pert-lambda-100": PERT(1.0, 2.0, 10.0, 100.0),
    "beta": Beta(12.0, 30.0),
    "beta-small-shapes": Beta(0.1, 0.5),
    "beta-rare-event": Beta(1.0, 100_001.0),
    "beta-large-shapes": Beta(1e5, 1e5),
    "gamma-0.05": Gamma(0.05, 2.0),
    "gamma-3": Gamma(3.0, 1.5),
    "gamma-1e5": Gamma(1e5, 1e-3),
    "normal": Normal(1.0, 2.0),
    "lognormal": LogNormal(0.3, 0.8),
}
_RNG = np.random.default_rng(20261204)
#: Random probabilities, both tails on a log scale down to 1e-12, and the cells' edges.
Q = np.concatenate(
    [
        _RNG.random(50_000),
        np.geomspace(1e-12, 0.5, 3000),
        1.0 - np.geomspace(1e-12, 0.5, 3000),
        np.arange(1, 1024) / 1024.0,
        [0.5, 2.0**-20, 1.0 - 2.0**-20],
    ]
)


def _tabled(dists, u: np.ndarray) -> np.ndarray:
    codes, offsets, params = icdf.pack_block(dists)
    parts = [params[offsets[j] : offsets[j + 1]] for j in range(len(dists))]
    at, data = tables.build_tables(codes, parts)
    out = np.empty_like(u)
    tables.ppf_block_tabled(codes, offsets, params, at, data, u, out)
    return out


def _floor(dist, want: np.ndarray) -> np.ndarray | float:
    """The absolute floor of a normal's ``mu + sigma z`` near 0 (see the module docstring)."""
    if dist.family == "normal":
        return 1e-13 * (abs(dist.mu) + np.abs(want - dist.mu))
    return 0.0


@pytest.mark.parametrize("key", DISTS)
def test_tabled_quantiles_against_scipy(key: str) -> None:
    """ppf_block_tabled against ``Distribution.ppf`` (scipy.special inside) to 1e-12 relative
    over random probabilities, both tails to 1e-12 and every cell edge of the central grid;
    against the exact compiled quantile to 2e-13 (10x looser than the certification's 1e-13:
    the exact quantile itself carries its rounding of a few 1e-15). Reached: 1.3e-13."""
    dist = DISTS[key]
    got = _tabled([dist], Q[:, None].copy())[:, 0]
    want = dist.ppf(Q)
    excess = np.abs(got - want) - (RTOL * np.abs(want) + _floor(dist, want))
    assert excess.max() <= 0.0, Q[excess.argmax()]
    exact = np.empty_like(Q)
    code, params = icdf.pack(dist)
    icdf.ppf_column(code, params, Q, exact)
    excess = np.abs(got - exact) - (2e-13 * np.abs(exact) + _floor(dist, exact))
    assert excess.max() <= 0.0, Q[excess.argmax()]


@pytest.mark.parametrize("key", DISTS)
def test_ends_and_outside_are_those_of_ppf_column(key: str) -> None:
    """At 0 and 1 the support's ends and outside [0, 1] NaN, bitwise as ppf_column."""
    dist = DISTS[key]
    q = np.array([0.0, 1.0, -0.1, 1.1, np.nan])
    code, params = icdf.pack(dist)
    want = np.empty_like(q)
    icdf.ppf_column(code, params, q, want)
    np.testing.assert_array_equal(_tabled([dist], q[:, None].copy())[:, 0], want)


@pytest.mark.parametrize(
    "key", ["pert", "pert-mode-at-max", "beta", "gamma-3", "gamma-1e5", "normal", "lognormal"]
)
def test_regular_shapes_are_served_by_their_table(key: str) -> None:
    """For shapes of the kind cases use, the certified cells hold all but 2^-15 of the
    probability (the levels stop at 2^-16 from either end), so almost no value pays for
    the exact inverse: the speed the tables are for."""
    code, params = icdf.pack(DISTS[key])
    at, data = tables.build_tables(np.array([code]), [params])
    assert tables.coverage(data, int(at[0])) >= 1.0 - 2.0**-15


def test_a_block_does_not_depend_on_its_rows_tiles() -> None:
    """A mixed block (tables, exact columns, a uniform and a triangular) gives bitwise the same
    values whole and cut into pieces that do not align with the tiles."""
    dists = [DISTS["pert"], Uniform(0.0, 2.0), DISTS["normal"], Triangular(0.0, 1.0, 3.0)]
    dists += [DISTS["gamma-3"], DISTS["beta-small-shapes"], DISTS["lognormal"]]
    u = _RNG.random((1000, len(dists)))
    whole = _tabled(dists, u.copy())
    pieces = np.concatenate([_tabled(dists, u[lo:hi].copy()) for lo, hi in ((0, 77), (77, 1000))])
    np.testing.assert_array_equal(whole, pieces)


def test_tables_are_shared_and_cached() -> None:
    """Inputs with the same shapes share one table, normal and lognormal share the standard
    normal one, and a second build returns the same tables."""
    dists = [Normal(0.0, 1.0), LogNormal(1.0, 0.5), Beta(2.0, 4.0), PERT(0.0, 0.25, 1.0)]
    codes, offsets, params = icdf.pack_block(dists)
    parts = [params[offsets[j] : offsets[j + 1]] for j in range(len(dists))]
    at, data = tables.build_tables(codes, parts)
    assert at[0] == at[1] and at[2] == at[3] and at[0] != at[2]  # the PERT is a Beta(2, 4)
    at2, data2 = tables.build_tables(codes, parts)
    np.testing.assert_array_equal(at, at2)
    np.testing.assert_array_equal(data, data2)


@pytest.mark.slow
def test_summary_only_memory_does_not_grow_with_draws_times_inputs() -> None:
    """A summary-only run of the standard benchmark case (419 uncertain inputs) holds one
    few blocks of inputs per thread, never draws x inputs: the tracemalloc peak of 32 blocks
    is that of 4 blocks (within 10 % and 2 MB), and below a quarter of the 440 MB that 32
    blocks of sampled inputs would take. (A kept run keeps its sampled inputs: they are part of its
    result, for sensitivity and value of information.)"""
    from benchmarks.cases import benchmark_case
    from som_mc import load_case, run

    case = load_case(benchmark_case())
    run(case, draws=4096, seed=1, summary_only=True, threads=1)  # compile, build the tables

    def peak(blocks: int) -> int:
        tracemalloc.start()
        run(case, draws=blocks * 4096, seed=1, summary_only=True, threads=1)
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return top

    small, large = peak(4), peak(32)
    inputs_bytes = 32 * 4096 * len(case.inputs.uncertain) * 8
    assert large <= 1.1 * small + 2**21, (small, large)
    assert large < inputs_bytes / 4, (large, inputs_bytes)
