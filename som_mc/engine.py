"""Run a case: design → inputs → kernel, block by block on threads → results Dataset."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import numpy as np
import xarray as xr

from som_mc.case.load import Case, load_case
from som_mc.conventions import ACTORS, BLOCK_SIZE, MODES
from som_mc.design import STREAM_COHORT, Design, block_generator, n_blocks, to_inputs
from som_mc.errors import InputError
from som_mc.layout import Layout, build_layout
from som_mc.results import deterministic_dataset, results_dataset

__all__ = ["deterministic", "evaluate_quantities", "run"]

#: Called after each finished block with (draws done, draws in all).
ProgressCallback = Callable[[int, int], None]


def run(
    case: str | Path | dict | Case,
    draws: int = 10_000,
    seed: int | None = None,
    mode: str = "expected",
    design: str = "random",
    threads: int | None = None,
    progress: ProgressCallback | None = None,
) -> xr.Dataset:
    """Simulate a business case ``draws`` times with every input drawn from its distribution.

    Parameters
    ----------
    case : path, dict or Case
        The business case (see docs/cases.md).
    draws : int
        Number of Monte Carlo draws.
    seed : int, optional
        Seed of all random streams; drawn at random (and recorded in the result) if omitted.
        The same seed gives the same Dataset whatever the number of threads.
    mode : {"expected", "cohort"}
        ``"expected"`` replaces the cohort by its expectation (completions x rate);
        ``"cohort"`` draws the citizens: successes ~ Binomial(completions, rate), and with
        persistence a binomial thinning each year.
    design : {"random", "lhs", "sobol"}
        Sampling design for parameter uncertainty.
    threads : int, optional
        Threads to run blocks of draws on; default numba's thread count (NUMBA_NUM_THREADS).
    progress : callable, optional
        Called with (draws done, draws in all) after each block.

    Returns
    -------
    xarray.Dataset
        Dims ``draw``, ``year``, ``actor``, ``consequence``, ``input``; see
        :func:`som_mc.results.results_dataset`.

    Examples
    --------
    >>> from som_mc.examples import example_path
    >>> ds = run(example_path("cti"), draws=1000, seed=1)
    >>> ds.sizes["draw"], ds.actor.values.tolist()
    (1000, ['kommune', 'region', 'stat'])
    """
    case = load_case(case)
    if isinstance(draws, bool) or not isinstance(draws, int | np.integer) or draws < 1:
        raise InputError("draws", f"{draws!r} is not allowed; draws is a whole number >= 1")
    if mode not in MODES:
        raise InputError("mode", f"'{mode}' is not a mode; allowed: {', '.join(MODES)}")
    if seed is None:
        seed = secrets.randbits(63)
    elif isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise InputError("seed", f"{seed!r} is not allowed; a seed is a whole number >= 0")
    draws, seed = int(draws), int(seed)
    threads = threads or _default_threads()

    layout = build_layout(case)
    dists = case.inputs.uncertain_dists
    plan = Design(design, draws, len(dists), seed)
    out = _allocate(draws, layout)
    x_all = np.empty((draws, len(dists)))
    cohort = mode == "cohort"

    def one_block(b: int) -> int:
        lo, hi = b * BLOCK_SIZE, min((b + 1) * BLOCK_SIZE, draws)
        x = to_inputs(plan.block(b), dists, case.inputs.correlation)
        x_all[lo:hi] = x
        rng = block_generator(seed, STREAM_COHORT, b)
        _simulate(layout, x, cohort, rng, {k: v[lo:hi] for k, v in out.items()})
        return hi - lo

    done = 0
    with ThreadPoolExecutor(max_workers=threads) as pool:
        for n in pool.map(one_block, range(n_blocks(draws))):
            done += n
            if progress is not None:
                progress(done, draws)
    return results_dataset(
        case, out, x_all, seed=seed, mode=mode, design=design, draws=draws, threads=threads
    )


def deterministic(case: str | Path | dict | Case) -> xr.Dataset:
    """SØM's own calculation: every input at its central value (its mean), the expected cohort.

    Returns
    -------
    xarray.Dataset
        Net, cumulative, gain and cost by year and actor, the gain by consequence, present
        values and the break-even year; see :func:`som_mc.results.deterministic_dataset`.

    Examples
    --------
    >>> from som_mc.examples import example_path
    >>> ds = deterministic(example_path("cti"))
    >>> float(ds.cost.sum())
    8393750.0
    """
    case = load_case(case)
    layout = build_layout(case)
    x = layout.central[layout.uncertain_q][np.newaxis, :]
    out = _allocate(1, layout)
    n_cons = layout.profile_q.shape[0]
    detail_gain = np.zeros((n_cons, layout.horizon, len(ACTORS)))
    detail_cost = np.zeros((layout.horizon, len(ACTORS)))
    _simulate(layout, x, False, _UNUSED_RNG, out, detail_gain, detail_cost)
    return deterministic_dataset(case, out, detail_gain, detail_cost)


def evaluate_quantities(case: Case, values: np.ndarray) -> dict[str, np.ndarray]:
    """The expected-mode calculation for rows that give every quantity of the case a value.

    The sensitivity analyses' entry to the kernel: a row may move any quantity, fixed or not
    (a switching value of a success rate written as a plain number, a tornado bar).

    Parameters
    ----------
    case : Case
        A loaded case.
    values : ndarray, shape (rows, P)
        One value per quantity of ``case.inputs.names``, in that order, for each row.

    Returns
    -------
    dict of ndarray
        The kernel's outputs for each row (see :func:`som_mc.kernels.simulate.simulate_block`):
        ``pv`` (rows, actors), ``net`` (rows, years, actors), ...
    """
    layout = build_layout(case)
    every = replace(layout, uncertain_q=np.arange(len(case.inputs.names), dtype=np.int64))
    values = np.ascontiguousarray(values, dtype=np.float64)
    out = _allocate(values.shape[0], layout)
    for b in range(n_blocks(values.shape[0])):
        lo, hi = b * BLOCK_SIZE, min((b + 1) * BLOCK_SIZE, values.shape[0])
        _simulate(every, values[lo:hi], False, _UNUSED_RNG, {k: v[lo:hi] for k, v in out.items()})
    return out


# Expected mode draws nothing; the kernel still takes a generator argument.
_UNUSED_RNG = np.random.default_rng(0)


def _default_threads() -> int:
    import numba

    return int(numba.config.NUMBA_NUM_THREADS)


def _allocate(draws: int, layout: Layout) -> dict[str, np.ndarray]:
    T, A, C = layout.horizon, len(ACTORS), layout.profile_q.shape[0]
    return {
        "net": np.empty((draws, T, A)),
        "pv": np.empty((draws, A)),
        "pv_gain": np.empty((draws, A)),
        "pv_cost": np.empty((draws, A)),
        "pv_cons": np.empty((draws, C, A)),
        "break_even": np.empty(draws),
        "break_even_actor": np.empty((draws, A)),
        "successes": np.empty((draws, T)),
    }


def _simulate(
    layout: Layout,
    x: np.ndarray,
    cohort: bool,
    rng: np.random.Generator,
    out: dict[str, np.ndarray],
    detail_gain: np.ndarray | None = None,
    detail_cost: np.ndarray | None = None,
) -> None:
    from som_mc.kernels.simulate import simulate_block  # numba compiles lazily, not at import

    if detail_gain is None:
        detail_gain = np.zeros((0, 0, 0))
        detail_cost = np.zeros((0, 0))
    L = layout
    simulate_block(
        np.ascontiguousarray(x), L.central, L.uncertain_q, L.horizon, L.course_years,
        L.intake_q, L.dropout_q, L.rate_q, L.gross_q, L.deadweight_q, L.persistence_q,
        L.discount_q, L.discount_fixed, L.cost_type, L.cost_actor, L.cost_q, L.cost_mask,
        L.cons_coef, L.profile_q, L.scale_q, L.price_q, L.price_share, cohort, rng,
        out["net"], out["pv"], out["pv_gain"], out["pv_cost"], out["pv_cons"],
        out["break_even"], out["break_even_actor"], out["successes"],
        detail_gain, detail_cost,
    )  # fmt: skip
