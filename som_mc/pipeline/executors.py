"""Where the blocks of a plan are computed: local threads or a dask cluster, into a reducer.

:func:`execute` is the one path of every run (a case, a course, a portfolio, a batch row):
plan → executor → reducer. The reducer keeps every draw (:class:`Collect`) or only summaries
(:class:`Stream`, memory flat in draws); the numbers do not depend on the executor, the
number of threads or the chunks, because a block's numbers depend on its index only and the
reducers place or combine blocks by index.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np

from som_mc.checks import whole_number
from som_mc.conventions import BLOCK_SIZE
from som_mc.pipeline.plan import BlockPlan

__all__ = ["Collect", "ProgressCallback", "Stream", "default_threads", "execute"]

#: Called after each finished block with (draws done, draws in all).
ProgressCallback = Callable[[int, int], None]


class Collect:
    """Keeps every draw: each output of the blocks in one array with a row per draw."""

    def __init__(self, plan: BlockPlan) -> None:
        self.plan = plan
        self.arrays: dict[str, np.ndarray] = {}
        self._given: dict[int, dict[str, np.ndarray]] = {}

    def target(self, b: int) -> dict[str, np.ndarray] | None:
        """The rows of block ``b`` in the run's arrays, for the plan to write into (None when
        the plan makes its own arrays)."""
        if not self.arrays:
            self.arrays = self.plan.empty(self.plan.draws) or {}
        if not self.arrays:
            return None
        lo, hi = self.plan.bounds(b)
        self._given[b] = {key: value[lo:hi] for key, value in self.arrays.items()}
        return self._given[b]

    def add(self, b: int, out: dict[str, np.ndarray]) -> None:
        """Put block ``b``'s rows in place (arrays are made at the first block's shapes)."""
        if self._given.pop(b, None) is out:
            return  # written in place
        lo, hi = self.plan.bounds(b)
        for key, value in out.items():
            if key not in self.arrays:
                self.arrays[key] = np.empty((self.plan.draws, *value.shape[1:]), value.dtype)
            self.arrays[key][lo:hi] = value


class Stream:
    """Keeps summaries only: the plan's accumulator (:meth:`BlockPlan.new_summary`)."""

    def __init__(self, plan: BlockPlan) -> None:
        self.plan = plan
        self.summary = plan.new_summary()
        self._free: list[dict[str, np.ndarray]] = []
        self._given: dict[int, dict[str, np.ndarray]] = {}

    def target(self, b: int) -> dict[str, np.ndarray] | None:
        """A reused buffer for block ``b`` (None when the plan makes its own arrays)."""
        buffer = self._free.pop() if self._free else self.plan.empty(BLOCK_SIZE)
        if buffer is None:
            return None
        lo, hi = self.plan.bounds(b)
        self._given[b] = buffer
        return {key: value[: hi - lo] for key, value in buffer.items()}

    def add(self, b: int, out: dict[str, np.ndarray]) -> None:
        """Add block ``b`` to the summaries (its buffer is then free for another block)."""
        self.summary.add(b, out)
        buffer = self._given.pop(b, None)
        if buffer is not None:
            self._free.append(buffer)

    def merge(self, other: Any) -> None:
        """Merge the summary of some blocks computed elsewhere (a dask task)."""
        self.summary.merge(other)


def default_threads() -> int:
    """numba's thread count (``NUMBA_NUM_THREADS``), the default of a run's threads."""
    import numba

    return int(numba.config.NUMBA_NUM_THREADS)


def execute(
    plan: BlockPlan,
    *,
    summary_only: bool = False,
    threads: int | None = None,
    client: Any = None,
    chunk_draws: int | None = None,
    progress: ProgressCallback | None = None,
) -> tuple[Collect | Stream, dict[str, object]]:
    """Compute every block of ``plan`` into a reducer.

    Parameters
    ----------
    plan : BlockPlan
        What to compute.
    summary_only : bool
        Keep summaries (:class:`Stream`) rather than every draw (:class:`Collect`).
    threads : int, optional
        Local threads; default :func:`default_threads`.
    client : dask.distributed.Client, optional
        Compute on this cluster instead.
    chunk_draws : int, optional
        Draws per dask task, rounded up to whole blocks; default about four tasks per worker
        thread. It does not change the numbers.
    progress : callable, optional
        Called with (draws done, draws in all).

    Returns
    -------
    (Collect or Stream, dict)
        The reducer, and the attributes of how the run was made (``threads``, and
        ``dask_workers`` on a cluster).
    """
    reducer: Collect | Stream = Stream(plan) if summary_only else Collect(plan)
    if client is not None:
        workers = _run_on_dask(client, plan, reducer, summary_only, chunk_draws, progress)
        return reducer, {"threads": 0, "dask_workers": workers}
    threads = threads or default_threads()
    if isinstance(reducer, Stream) and threads > 1:
        _stream_on_threads(plan, threads, reducer, progress)
        return reducer, {"threads": threads}
    done = 0
    for b, out in _blocks_on_threads(plan, threads, reducer):
        reducer.add(b, out)
        lo, hi = plan.bounds(b)
        done += hi - lo
        if progress is not None:
            progress(done, plan.draws)
    return reducer, {"threads": threads}


def _blocks_on_threads(
    plan: BlockPlan, threads: int, reducer: Collect | Stream
) -> Iterator[tuple[int, dict]]:
    """Blocks in order, computed on ``threads`` threads with a bounded queue: at most
    ``2 * threads`` finished blocks wait, so memory stays flat whatever the draws. Each block
    writes where the reducer says (:meth:`Collect.target`, :meth:`Stream.target`)."""
    with ThreadPoolExecutor(max_workers=threads) as pool:
        pending: deque = deque()
        for b in range(plan.n_blocks):
            pending.append((b, pool.submit(plan.compute, b, reducer.target(b))))
            if len(pending) >= 2 * threads:
                first, future = pending.popleft()
                yield first, future.result()
        while pending:
            first, future = pending.popleft()
            yield first, future.result()


def _stream_on_threads(
    plan: BlockPlan, threads: int, reducer: Stream, progress: ProgressCallback | None
) -> None:
    """Summaries on ``threads`` threads: each thread adds its blocks to a summary of its own
    (and reuses one buffer), and the summaries are merged at the end. Merging is exact and
    keyed by block index (see :class:`Stream`), so the numbers are those of one thread; the
    summaries of different blocks are made at once instead of one after the other on the
    main thread, which was the bottleneck once the blocks themselves became fast."""
    local = threading.local()
    summaries: list[Any] = []
    lock = threading.Lock()

    def work(b: int) -> int:
        if not hasattr(local, "summary"):
            local.summary = plan.new_summary()
            local.buffer = plan.empty(BLOCK_SIZE)
            with lock:
                summaries.append(local.summary)
        lo, hi = plan.bounds(b)
        buffer = local.buffer
        target = None if buffer is None else {k: v[: hi - lo] for k, v in buffer.items()}
        local.summary.add(b, plan.compute(b, target))
        return hi - lo

    done = 0
    with ThreadPoolExecutor(max_workers=threads) as pool:
        for n in pool.map(work, range(plan.n_blocks)):
            done += n
            if progress is not None:
                progress(done, plan.draws)
    for summary in summaries:
        reducer.merge(summary)


def _run_on_dask(
    client: Any,
    plan: BlockPlan,
    reducer: Collect | Stream,
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
        blocks_per_chunk = -(-whole_number(chunk_draws, "chunk_draws", minimum=1) // BLOCK_SIZE)
    chunks = [
        list(range(lo, min(lo + blocks_per_chunk, plan.n_blocks)))
        for lo in range(0, plan.n_blocks, blocks_per_chunk)
    ]
    plan_future = client.scatter(plan, broadcast=True)
    task = _chunk_summary if summary_only else _chunk_blocks
    futures = [client.submit(task, plan_future, chunk, pure=False) for chunk in chunks]
    draws_of = {
        f.key: sum(plan.bounds(b)[1] - plan.bounds(b)[0] for b in chunk)
        for f, chunk in zip(futures, chunks, strict=True)
    }
    done = 0
    for future in as_completed(futures):
        result = future.result()
        if summary_only:
            reducer.merge(result)
        else:
            for b, out in result:
                reducer.add(b, out)
        done += draws_of[future.key]
        future.release()
        if progress is not None:
            progress(done, plan.draws)
    return len(workers)


def _chunk_blocks(plan: BlockPlan, blocks: list[int]) -> list[tuple[int, dict]]:
    """A dask task: the outputs of some blocks, every draw kept."""
    return [(b, plan.compute(b)) for b in blocks]


def _chunk_summary(plan: BlockPlan, blocks: list[int]) -> Any:
    """A dask task: the summary of some blocks."""
    summary = plan.new_summary()
    for b in blocks:
        summary.add(b, plan.compute(b))
    return summary
