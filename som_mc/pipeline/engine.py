"""Run a case: plan → executor → reducer → Dataset, and SØM's deterministic table.

:func:`run` makes a :class:`~som_mc.pipeline.plan.CasePlan`, computes its blocks with
:func:`~som_mc.pipeline.executors.execute` (threads or a dask cluster) and builds the Dataset
of every draw (:func:`~som_mc.pipeline.results.results_dataset`) or of the summaries only
(:class:`~som_mc.pipeline.streaming.RunSummary`), so that a run of 10^7 draws needs no more
memory than one of 10^4. Courses (:mod:`som_mc.pipeline.course`) and portfolios
(:mod:`som_mc.pipeline.portfolios`) take the same path with their own plans.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr

from som_mc import checks
from som_mc.inputs.case.load import Case, load_case
from som_mc.model.design import n_blocks
from som_mc.model.layout import build_layout
from som_mc.model.outputs import allocate
from som_mc.model.simulate import simulate_parts, tax_table, year_tables
from som_mc.pipeline.executors import ProgressCallback, execute
from som_mc.pipeline.lazy_inputs import lazy_inputs
from som_mc.pipeline.plan import case_plan, check_mode
from som_mc.pipeline.provenance import provenance
from som_mc.pipeline.results import deterministic_dataset, results_dataset

__all__ = ["check_run", "deterministic", "evaluate_quantities", "run", "summary_dataset"]


def run(
    case: str | Path | dict | Case,
    draws: int = 10_000,
    seed: int | None = None,
    mode: str = "expected",
    design: str = "random",
    threads: int | None = None,
    progress: ProgressCallback | None = None,
    *,
    summary_only: bool = False,
    client: Any = None,
    chunk_draws: int | None = None,
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
        The same seed gives the same Dataset whatever the number of threads, dask workers or
        chunks: random streams are keyed by fixed blocks of 4096 draws.
    mode : {"expected", "cohort"}
        ``"expected"`` replaces the cohort by its expectation (completions x rate);
        ``"cohort"`` draws the citizens: successes ~ Binomial(completions, rate), and with
        persistence a binomial thinning each year.
    design : {"random", "lhs", "sobol"}
        Sampling design for parameter uncertainty.
    threads : int, optional
        Threads to run blocks of draws on; default numba's thread count (NUMBA_NUM_THREADS).
    progress : callable, optional
        Called with (draws done, draws in all) as blocks finish.
    summary_only : bool
        Keep summaries, not draws: means, quantile bands by year, the probability of paying
        off and the break-even distribution are accumulated block by block (see
        :mod:`som_mc.pipeline.streaming`), so memory does not grow with ``draws``.
    client : dask.distributed.Client, optional
        Run the blocks on this dask cluster instead of local threads.
    chunk_draws : int, optional
        Draws per dask task, rounded up to whole blocks of 4096; default about four tasks per
        worker thread. It does not change the numbers.

    Returns
    -------
    xarray.Dataset
        Dims ``draw``, ``year``, ``actor``, ``consequence``, ``input`` (and ``subgroup`` when
        the case has subgroups); see :func:`som_mc.pipeline.results.results_dataset`. With
        ``summary_only``, the summaries instead (no ``draw`` dim); see
        :class:`som_mc.pipeline.streaming.RunSummary`.

    Examples
    --------
    >>> from som_mc.inputs.examples import example_path
    >>> ds = run(example_path("cti"), draws=1000, seed=1)
    >>> ds.sizes["draw"], ds.actor.values.tolist()
    (1000, ['kommune', 'region', 'stat'])
    """
    case = load_case(case)
    draws, seed = check_run(draws, seed, mode)
    # The inputs are not kept: the Dataset samples them again when read (lazy_inputs).
    plan = dataclasses.replace(case_plan(case, draws, seed, mode, design), keep_inputs=False)
    reducer, how = execute(
        plan,
        summary_only=summary_only,
        threads=threads,
        client=client,
        chunk_draws=chunk_draws,
        progress=progress,
    )
    attrs = {"seed": seed, "draws": draws, "design": design, "mode": mode, **how}
    if summary_only:
        return summary_dataset(
            reducer.summary, case, attrs, [c.key for c in case.model.consequence]
        )
    arrays = {**reducer.arrays, "inputs": lazy_inputs(plan.sampler, draws)}
    return results_dataset(case, arrays, **attrs)


def summary_dataset(summary: Any, cases: Any, attrs: dict, consequences: list[str]) -> xr.Dataset:
    """The Dataset of a run's summaries (:class:`~som_mc.pipeline.streaming.RunSummary`)."""
    first = cases if isinstance(cases, Case) else next(iter(cases.values()))
    return summary.to_dataset(
        years=np.arange(1, first.model.horizon + 1),
        consequences=consequences,
        attrs=provenance(cases, **attrs, summary_only=1),
    )


def deterministic(case: str | Path | dict | Case) -> xr.Dataset:
    """SØM's own calculation: every input at its central value (its mean), the expected cohort.

    Returns
    -------
    xarray.Dataset
        Net, cumulative, gain and cost by year and actor, the gain by consequence, present
        values and the break-even year; see :func:`som_mc.pipeline.results.deterministic_dataset`.

    Examples
    --------
    >>> from som_mc.inputs.examples import example_path
    >>> ds = deterministic(example_path("cti"))
    >>> float(ds.cost.sum())
    8393750.0
    """
    case = load_case(case)
    layouts = case_plan(case, 1, 0, "expected", "random").layouts
    first = layouts[0]
    x = first.central[first.uncertain_q][np.newaxis, :]
    out, _ = simulate_parts(layouts, x, False, None)
    gain, cost = year_tables(layouts, x)
    return deterministic_dataset(case, out, gain, cost, tax_table(layouts, x))


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
        The kernel's outputs for each row by name (:data:`som_mc.conventions.OUTPUTS`):
        ``present_value`` (rows, actors), ``net`` (rows, years, actors), ... summed over
        subgroups.
    """
    groups = [g.name for g in case.model.subgroup] or [None]
    every_q = np.arange(len(case.inputs.names), dtype=np.int64)
    layouts = [build_layout(case, subgroup=g)._replace(uncertain_q=every_q) for g in groups]
    values = np.ascontiguousarray(values, dtype=np.float64)
    rows = values.shape[0]
    out = allocate(rows, layouts[0])
    for b in range(n_blocks(rows)):
        lo, hi = checks.block_bounds(b, rows)
        simulate_parts(layouts, values[lo:hi], False, None, {k: v[lo:hi] for k, v in out.items()})
    return out


def check_run(draws: Any, seed: Any, mode: str) -> tuple[int, int]:
    """The number of draws and the seed of a run, checked (a seed drawn when None)."""
    n = checks.draws(draws)
    check_mode(mode)
    return n, checks.seed(seed)
