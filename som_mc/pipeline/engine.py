"""Run a case: design → inputs → kernel, block by block on threads or a dask cluster → results.

The blocks (:mod:`som_mc.pipeline.plan`) go to a reducer: :class:`_Collect` keeps every draw, and
:class:`som_mc.pipeline.streaming.RunSummary` keeps only summaries, so that a run of 10^7 draws
needs no
more memory than one of 10^4.
"""

from __future__ import annotations

import secrets
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr

from som_mc.conventions import ACTORS, BLOCK_SIZE, MODES
from som_mc.errors import InputError
from som_mc.inputs.case.load import Case, load_case
from som_mc.model.design import n_blocks
from som_mc.model.layout import build_layout
from som_mc.pipeline.plan import BlockPlan, allocate, make_plan, simulate_parts
from som_mc.pipeline.results import deterministic_dataset, results_dataset

__all__ = ["deterministic", "evaluate_quantities", "run"]

#: Called after each finished block with (draws done, draws in all).
ProgressCallback = Callable[[int, int], None]

#: A Latin hypercube or Sobol' design is held whole (draws x inputs doubles); beyond this many
#: bytes the run asks for the random design, which is drawn block by block.
_MAX_DESIGN_BYTES = 2**30


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
    draws, seed = _check_run(draws, seed, mode)
    n_uncertain = len(case.inputs.uncertain)
    if design != "random" and draws * n_uncertain * 8 > _MAX_DESIGN_BYTES:
        raise InputError(
            "design",
            f"a {design} design of {draws:,} draws x {n_uncertain} inputs would need "
            f"{draws * n_uncertain * 8 / 2**30:.1f} GB held at once; use design 'random' "
            "(drawn block by block) for runs this large",
        )
    threads = threads or _default_threads()
    plan = make_plan(case, draws, seed, mode, design)
    reducer = _Stream(case, plan) if summary_only else _Collect(case, plan)
    attrs: dict[str, object] = {
        "seed": seed,
        "draws": draws,
        "design": design,
        "mode": mode,
        "threads": threads,
    }
    if client is not None:
        workers = _run_on_dask(client, plan, reducer, summary_only, chunk_draws, progress)
        attrs.update(threads=0, dask_workers=workers)
    else:
        done = 0
        for b, out in _blocks_on_threads(plan, threads):
            reducer.add(b, out)
            done += out["pv"].shape[0]
            if progress is not None:
                progress(done, draws)
    return reducer.dataset(attrs)


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
    plan = make_plan(case, 1, 0, "expected", "random")
    first = plan.layouts[0]
    x = first.central[first.uncertain_q][np.newaxis, :]
    out, _, details = simulate_parts(plan.layouts, x, False, None, detail=True)
    gain = sum(g for g, _ in details)  # one table per subgroup; they add up
    cost = sum(c for _, c in details)
    return deterministic_dataset(case, out, gain, cost)


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
        The kernel's outputs for each row (see :func:`som_mc.model.kernel.simulate_block`):
        ``pv`` (rows, actors), ``net`` (rows, years, actors), ... summed over subgroups.
    """
    groups = [g.name for g in case.model.subgroup] or [None]
    every_q = np.arange(len(case.inputs.names), dtype=np.int64)
    layouts = [replace(build_layout(case, subgroup=g), uncertain_q=every_q) for g in groups]
    values = np.ascontiguousarray(values, dtype=np.float64)
    rows = values.shape[0]
    out = allocate(rows, layouts[0])
    for b in range(n_blocks(rows)):
        lo, hi = b * BLOCK_SIZE, min((b + 1) * BLOCK_SIZE, rows)
        simulate_parts(layouts, values[lo:hi], False, None, {k: v[lo:hi] for k, v in out.items()})
    return out


def _check_run(draws: Any, seed: Any, mode: str) -> tuple[int, int]:
    if isinstance(draws, bool) or not isinstance(draws, int | np.integer) or draws < 1:
        raise InputError("draws", f"{draws!r} is not allowed; draws is a whole number >= 1")
    if mode not in MODES:
        raise InputError("mode", f"'{mode}' is not a mode; allowed: {', '.join(MODES)}")
    if seed is None:
        seed = secrets.randbits(63)
    elif isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise InputError("seed", f"{seed!r} is not allowed; a seed is a whole number >= 0")
    return int(draws), int(seed)


def _default_threads() -> int:
    import numba

    return int(numba.config.NUMBA_NUM_THREADS)


def _blocks_on_threads(plan: BlockPlan, threads: int) -> Iterator[tuple[int, dict]]:
    """Blocks in order, computed on ``threads`` threads with a bounded queue: at most
    ``2 * threads`` finished blocks wait, so memory stays flat whatever the draws."""
    with ThreadPoolExecutor(max_workers=threads) as pool:
        pending: deque = deque()
        for b in range(plan.n_blocks):
            pending.append((b, pool.submit(plan.compute, b)))
            if len(pending) >= 2 * threads:
                first, future = pending.popleft()
                yield first, future.result()
        while pending:
            first, future = pending.popleft()
            yield first, future.result()


class _Collect:
    """Keeps every draw: the reducer of a run that returns the full Dataset."""

    def __init__(self, case: Case, plan: BlockPlan) -> None:
        self.case, self.plan = case, plan
        draws, layout = plan.draws, plan.layouts[0]
        self.out = allocate(draws, layout)
        self.out["inputs"] = np.empty((draws, len(plan.dists)))
        if plan.subgroups:
            G, T, A = len(plan.subgroups), layout.horizon, len(ACTORS)
            self.out["net_sub"] = np.empty((draws, G, T, A))
            self.out["pv_sub"] = np.empty((draws, G, A))
            self.out["successes_sub"] = np.empty((draws, G, T))

    def add(self, b: int, out: dict[str, np.ndarray]) -> None:
        lo, hi = self.plan.bounds(b)
        for key, value in out.items():
            self.out[key][lo:hi] = value

    def dataset(self, attrs: dict[str, object]) -> xr.Dataset:
        inputs = self.out.pop("inputs")
        return results_dataset(self.case, self.out, inputs, **attrs)


class _Stream:
    """Keeps summaries only (:class:`som_mc.pipeline.streaming.RunSummary`): the reducer of a run
    with ``summary_only``."""

    def __init__(self, case: Case, plan: BlockPlan) -> None:
        self.case = case
        self.summary = _new_summary(plan)

    def add(self, b: int, out: dict[str, np.ndarray]) -> None:
        self.summary.add(b, out)

    def merge(self, other: Any) -> None:
        self.summary.merge(other)

    def dataset(self, attrs: dict[str, object]) -> xr.Dataset:
        from som_mc.pipeline.results import provenance

        m = self.case.model
        ds = self.summary.to_dataset(
            years=np.arange(1, m.horizon + 1),
            consequences=[c.key for c in m.consequence],
            attrs=provenance(self.case, **attrs, summary_only=1),
        )
        return ds


def _new_summary(plan: BlockPlan):
    from som_mc.pipeline.streaming import RunSummary

    layout = plan.layouts[0]
    return RunSummary(layout.horizon, layout.profile_q.shape[0])


def _run_on_dask(
    client: Any,
    plan: BlockPlan,
    reducer: Any,
    summary_only: bool,
    chunk_draws: int | None,
    progress: ProgressCallback | None,
) -> int:
    """Compute the plan's blocks on a dask cluster, chunk by chunk, into ``reducer``.

    Returns the number of workers. The chunks only group whole blocks, so the numbers do not
    depend on them; summaries merge exactly (integer counts, per-block sums combined in block
    order), and kept draws go to their own rows.
    """
    from dask.distributed import as_completed

    workers = client.scheduler_info().get("workers", {})
    slots = max(1, sum(int(w.get("nthreads", 1)) for w in workers.values()))
    if chunk_draws is None:
        blocks_per_chunk = max(1, -(-plan.n_blocks // (4 * slots)))
    else:
        if isinstance(chunk_draws, bool) or not isinstance(chunk_draws, int) or chunk_draws < 1:
            raise InputError(
                "chunk_draws", f"{chunk_draws!r} is not allowed; a whole number of draws >= 1"
            )
        blocks_per_chunk = -(-chunk_draws // BLOCK_SIZE)
    chunks = [
        list(range(lo, min(lo + blocks_per_chunk, plan.n_blocks)))
        for lo in range(0, plan.n_blocks, blocks_per_chunk)
    ]
    plan_future = client.scatter(plan, broadcast=True)
    task = _chunk_summary if summary_only else _chunk_blocks
    futures = [client.submit(task, plan_future, chunk, pure=False) for chunk in chunks]
    done = 0
    for future in as_completed(futures):
        result = future.result()
        if summary_only:
            reducer.merge(result)
            done += result.draws
        else:
            for b, out in result:
                reducer.add(b, out)
                done += out["pv"].shape[0]
        future.release()
        if progress is not None:
            progress(done, plan.draws)
    return len(workers)


def _chunk_blocks(plan: BlockPlan, blocks: list[int]) -> list[tuple[int, dict]]:
    """A dask task: the outputs of some blocks, every draw kept."""
    return [(b, plan.compute(b)) for b in blocks]


def _chunk_summary(plan: BlockPlan, blocks: list[int]):
    """A dask task: the summary of some blocks."""
    summary = _new_summary(plan)
    for b in blocks:
        summary.add(b, plan.compute(b))
    return summary
