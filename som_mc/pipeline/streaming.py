"""Summaries of a Monte Carlo run that take the kernel's output block by block, keeping no draws.

A run of 10^7 draws cannot keep its draws in memory (net by year and actor alone is 10^7 x 30 x
3 doubles, 7.2 GB). :class:`RunSummary` takes the kernel's output one block of draws at a time
(see :data:`som_mc.conventions.BLOCK_SIZE`) and keeps only what the summaries need:

- **counts** (draws with PV > 0, with net or cumulative net > 0 in each year, draws breaking
  even in each year or never): integers, so exact and independent of the order of addition;
- **means and standard deviations**: the count, mean and sum of squared deviations (M2) of each
  block, combined by the pairwise update of Chan, Golub & LeVeque (1979, "Updating formulae and
  a pairwise algorithm for computing sample variances", Stanford CS report STAN-CS-79-773).
  Partial results are keyed by block index and combined over a *fixed* binary tree of block
  indices (blocks 2k and 2k+1, then pairs of pairs, ...; the remaining subtrees left to right at
  the end), never in the order blocks happen to arrive. So the floating-point result does not
  depend on how blocks are grouped into chunks, threads or workers, nor on the order of
  :meth:`~RunSummary.add` and :meth:`~RunSummary.merge` calls: it is bit-identical. A subtree is
  combined as soon as both its halves are present, so an accumulator that receives blocks in
  roughly increasing order holds O(log blocks) partial results, not one per block;
- **quantiles**: a :class:`QuantileSketch` (DDSketch, Masson, Rim & Lee 2019) with integer
  bucket counts, mergeable exactly.

Memory, measured for a horizon of T = 30 years and C = 33 consequences (``RunSummary.nbytes``):
the moments take 6.6 KB per partial result (414 means and 414 M2s), the counts 3 KB, and the
sketch 8 bytes per (cell, bucket) for 4 + 8 T = 244 cells. With the default relative accuracy
0.5 % one bucket spans a factor 1.01, so values from 1 to 10^8 DKK on both signs need
2 x 1843 + 1 buckets: 7.2 MB, and 1 to 10^10 DKK 9.0 MB. One accumulator per thread or worker
therefore costs about 10 MB. Adding a block of 4096 draws allocates about 45 MB of temporaries
for T = 30 and takes about 27 ms on one core (65 s for 10^7 draws; 8 ms for T = 5, C = 4),
two thirds of it the sketch's logarithms and bincount.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import xarray as xr
from numpy.typing import ArrayLike

from som_mc.checks import whole_number
from som_mc.conventions import ACTOR, ACTORS, CONSEQUENCE, OUTPUTS, QUANTILE, YEAR
from som_mc.errors import InputError
from som_mc.model.simulate import has_flows
from som_mc.pipeline.block_stats import (
    BAD_FIELDS,
    add_counts,
    sketch_keys,
    summarize_block,
    year_counts,
)

__all__ = ["DEFAULT_QUANTILES", "BlockTree", "Partial", "QuantileSketch", "RunSummary", "chan"]

#: Quantiles of the bands (fan charts) that :meth:`RunSummary.to_dataset` reports by default.
DEFAULT_QUANTILES: tuple[float, ...] = (0.05, 0.25, 0.5, 0.75, 0.95)

#: The kernel's outputs a block must bring, with their dims after the draw axis.
_FIELDS: dict[str, tuple[str, ...]] = {o.name: o.dims for o in OUTPUTS if o.name != "completions"}


class QuantileSketch:
    """Quantiles of many cells of a stream of values, within a relative error (DDSketch).

    The sketch of Masson, Rim & Lee (2019, "DDSketch: a fast and fully-mergeable quantile
    sketch with relative-error guarantees", PVLDB 12(12):2195-2205). With
    γ = (1 + α) / (1 − α), a value x with |x| ≥ ``zero_threshold`` = m falls in the bucket with
    key k = ceil(log_γ(|x| / m)) on the side of its sign, that is |x| in (m γ^(k−1), m γ^k];
    values with |x| < m fall in a zero bucket. Only the integer count of each bucket is kept, so
    sketches merge exactly (counts add) in any order. The estimate of a bucket is
    m 2γ^k / (γ + 1) with the sign of its side (0 for the zero bucket), clipped to the smallest
    and largest value seen; those two are kept exactly and answer the ranks 0 and n − 1.

    **Guarantee.** For a quantile q of n values the sketch uses the rank definition of the
    paper, the value of 1-based rank ⌊1 + q (n − 1)⌋ in sorted order; that is exactly
    ``numpy.quantile(x, q, method="lower")``. The estimate x̂ is within relative α of it,
    |x̂ − x_q| ≤ α |x_q|, when |x_q| ≥ m; when |x_q| < m, |x̂ − x_q| < m.

    Written here rather than taken from the ``ddsketch`` package on PyPI: that package adds
    values one at a time in Python, far too slow for 10^7 draws x 244 cells; here a block of
    values is bucketed with a few vectorised numpy passes and one ``np.bincount`` over the
    flattened (cell, bucket) index.

    Memory: 8 bytes per (cell, bucket); the bucket range grows to cover the values seen, both
    signs and the zero bucket: 2 log_γ(max |x| / m) + 3 buckets, about 2 ln(max |x| / m) / (2α).

    Parameters
    ----------
    shape : tuple of int
        Shape of one row of values (the cells); :meth:`add` takes arrays of shape
        (n, \\*shape).
    relative_accuracy : float
        α, in (0, 1).
    zero_threshold : float
        m > 0: values with smaller magnitude count as 0 (in the unit of the values; 1 DKK
        for money is far below anything a business case reports).

    Examples
    --------
    >>> x = np.random.default_rng(1).lognormal(10.0, 1.0, size=(10_000, 2))
    >>> sketch = QuantileSketch((2,), relative_accuracy=0.01)
    >>> sketch.add(x)
    >>> estimate = sketch.quantile([0.5])
    >>> exact = np.quantile(x, [0.5], axis=0, method="lower")
    >>> bool(np.all(np.abs(estimate - exact) <= 0.01 * np.abs(exact)))
    True
    """

    def __init__(
        self,
        shape: Sequence[int],
        relative_accuracy: float = 0.005,
        zero_threshold: float = 1.0,
    ) -> None:
        if not 0.0 < relative_accuracy < 1.0:
            raise InputError(
                "relative_accuracy", f"{relative_accuracy!r} is not allowed; it is in (0, 1)"
            )
        if not (math.isfinite(zero_threshold) and zero_threshold > 0.0):
            raise InputError(
                "zero_threshold", f"{zero_threshold!r} is not allowed; it is a number > 0"
            )
        self.shape = tuple(int(s) for s in shape)
        self.relative_accuracy = float(relative_accuracy)
        self.zero_threshold = float(zero_threshold)
        self.count = 0
        alpha = self.relative_accuracy
        self._gamma = (1.0 + alpha) / (1.0 - alpha)
        # log1p keeps log γ accurate for small α.
        self._inv_log_gamma = 1.0 / math.log1p(2.0 * alpha / (1.0 - alpha))
        self._log_m = math.log(self.zero_threshold)
        self._cells = math.prod(self.shape)
        # Buckets are numbered by a signed index s that orders them like their values:
        # s = 0 is the zero bucket, s = k + 1 the positive bucket with key k, s = −(k + 1) the
        # negative one. Column j of _counts holds s = _lo + j.
        self._lo = 0
        self._counts = np.zeros((self._cells, 0), dtype=np.int64)
        self._min = np.full(self._cells, np.inf)
        self._max = np.full(self._cells, -np.inf)

    @property
    def nbytes(self) -> int:
        """Bytes held by the bucket counts and the per-cell minimum and maximum."""
        return self._counts.nbytes + self._min.nbytes + self._max.nbytes

    def add(self, values: ArrayLike) -> None:
        """Add n rows of values, an array of shape (n, \\*shape); all must be finite."""
        x = np.asarray(values, dtype=np.float64)
        if x.shape[1:] != self.shape:
            raise InputError(
                "values", f"shape {x.shape} does not fit the sketch's cells {self.shape}"
            )
        n = x.shape[0]
        if n == 0:
            return
        x = np.ascontiguousarray(x.reshape(n, self._cells))
        keys = np.empty(x.shape, dtype=np.int64)
        lo_hi = np.empty(2, dtype=np.int64)
        mins, maxs = self._min.copy(), self._max.copy()
        args = (self.zero_threshold, self._log_m, self._inv_log_gamma, keys, lo_hi, mins, maxs)
        if not sketch_keys(x, *args):
            raise InputError("values", "NaN or infinite values cannot be sketched")
        self.add_keys(keys, lo_hi, mins, maxs)

    def add_keys(
        self, keys: np.ndarray, lo_hi: np.ndarray, mins: np.ndarray, maxs: np.ndarray
    ) -> None:
        """Add n rows of values already bucketed: their signed indices ``keys`` (n, cells) as
        :func:`~som_mc.pipeline.block_stats.sketch_keys` writes them, with their range
        ``lo_hi`` and the cells' new minimum and maximum (this sketch's, with the rows')."""
        self._cover(int(lo_hi[0]), int(lo_hi[1]))
        add_counts(self._counts, keys, self._lo)
        self._min, self._max = mins, maxs
        self.count += keys.shape[0]

    def merge(self, other: QuantileSketch) -> None:
        """Add the values of another sketch with the same cells and parameters."""
        if (other.shape, other.relative_accuracy, other.zero_threshold) != (
            self.shape,
            self.relative_accuracy,
            self.zero_threshold,
        ):
            raise InputError(
                "other", "sketches with different cells, accuracy or zero threshold cannot merge"
            )
        if other.count == 0:
            return
        width = other._counts.shape[1]
        self._cover(other._lo, other._lo + width - 1)
        start = other._lo - self._lo
        self._counts[:, start : start + width] += other._counts
        np.minimum(self._min, other._min, out=self._min)
        np.maximum(self._max, other._max, out=self._max)
        self.count += other.count

    def quantile(self, q: ArrayLike) -> np.ndarray:
        """Estimates of the quantiles ``q`` (each in [0, 1]) of every cell.

        Returns
        -------
        numpy.ndarray, shape (len(q), \\*shape)
            Within relative α of ``numpy.quantile(values, q, axis=0, method="lower")``.
        """
        qs = np.atleast_1d(np.asarray(q, dtype=np.float64))
        if qs.ndim != 1 or not np.all((qs >= 0.0) & (qs <= 1.0)):
            raise InputError("quantiles", f"{q!r} is not allowed; quantiles are in [0, 1]")
        if self.count == 0:
            raise InputError("values", "the sketch is empty; add values before asking quantiles")
        n, width = self.count, self._counts.shape[1]
        # The rank numpy's "lower" method uses, computed the same way (float product, floor).
        rank = np.floor(qs * (n - 1))
        # One searchsorted for all cells: row c of the cumulative counts is shifted by c (n + 1),
        # which keeps the flattened array sorted. The r-th smallest value (0-based) is in the
        # first bucket whose cumulative count exceeds r.
        shift = np.arange(self._cells, dtype=np.int64) * (n + 1)
        cum = np.cumsum(self._counts, axis=1) + shift[:, np.newaxis]
        pos = np.searchsorted(cum.ravel(), rank[np.newaxis, :] + shift[:, np.newaxis], "right")
        s = pos - (np.arange(self._cells) * width)[:, np.newaxis] + self._lo
        key = np.abs(s) - 1
        scale = 2.0 * self.zero_threshold / (1.0 + self._gamma)
        value = np.where(s == 0, 0.0, np.sign(s) * scale * self._gamma ** np.maximum(key, 0))
        value = np.clip(value, self._min[:, np.newaxis], self._max[:, np.newaxis])
        # The smallest and largest values are kept exactly, so ranks 0 and n − 1 are exact.
        value[:, rank == 0] = self._min[:, np.newaxis]
        value[:, rank == n - 1] = self._max[:, np.newaxis]
        return value.T.reshape((qs.size, *self.shape))

    def _cover(self, lo: int, hi: int) -> None:
        """Widen the bucket range to include signed indices lo..hi."""
        width = self._counts.shape[1]
        if width == 0:
            self._lo = lo
            self._counts = np.zeros((self._cells, hi - lo + 1), dtype=np.int64)
            return
        new_lo, new_hi = min(lo, self._lo), max(hi, self._lo + width - 1)
        if new_lo == self._lo and new_hi == self._lo + width - 1:
            return
        counts = np.zeros((self._cells, new_hi - new_lo + 1), dtype=np.int64)
        start = self._lo - new_lo
        counts[:, start : start + width] = self._counts
        self._lo, self._counts = new_lo, counts


# A partial result of the moments: (draws, means, M2s), never modified once made.
Partial = tuple[int, np.ndarray, np.ndarray]


def chan(left: Partial, right: Partial) -> Partial:
    """Chan, Golub & LeVeque's pairwise update of count, mean and M2."""
    na, mean_a, m2_a = left
    nb, mean_b, m2_b = right
    n = na + nb
    delta = mean_b - mean_a
    return n, mean_a + delta * (nb / n), m2_a + m2_b + delta * delta * (na * nb / n)


class BlockTree:
    """Moments of a vector, kept per block and combined over a fixed binary tree of blocks.

    Node (level, k) holds blocks k 2^level .. (k + 1) 2^level − 1 and is always made as
    ``chan(node (level − 1, 2k), node (level − 1, 2k + 1))``, whichever order the blocks came
    in. Two sibling nodes are combined as soon as both are present, so the nodes held are the
    maximal aligned subtrees of the blocks seen, a set fixed by the blocks alone.
    """

    def __init__(self) -> None:
        self.nodes: dict[tuple[int, int], Partial] = {}

    def insert(self, level: int, k: int, node: Partial) -> None:
        while (level, k ^ 1) in self.nodes:
            sibling = self.nodes.pop((level, k ^ 1))
            node = chan(node, sibling) if k % 2 == 0 else chan(sibling, node)
            level, k = level + 1, k >> 1
        self.nodes[(level, k)] = node

    def total(self) -> Partial:
        """All blocks: the subtrees combined from left to right."""
        ordered = [self.nodes[key] for key in sorted(self.nodes, key=lambda lk: lk[1] << lk[0])]
        result = ordered[0]
        for node in ordered[1:]:
            result = chan(result, node)
        return result


class RunSummary:
    """Summaries of a Monte Carlo run, accumulated block by block without keeping the draws.

    Feed it each block's kernel output with :meth:`add`; combine the accumulators of several
    threads or workers with :meth:`merge`; read the summaries with :meth:`to_dataset`. The
    result is bit-identical whatever the grouping of blocks into chunks, threads or workers and
    whatever the order of the calls: counts are integers, quantile sketches hold integer
    counts, and means and standard deviations are combined from per-block partial sums over a
    fixed tree of block indices (Chan et al. 1979; see the module docstring), never in arrival
    order. A block index must name the same draws in every run (the engine's blocks of
    :data:`~som_mc.conventions.BLOCK_SIZE` draws).

    The ``actor`` dim of every summary has a fourth coordinate, ``total`` (all actors together;
    its break-even year is the kernel's ``break_even_year``).

    Parameters
    ----------
    horizon : int
        T, the number of years of the kernel's ``net`` and ``successes``.
    n_consequences : int
        C, the number of consequences of ``consequence_pv``.
    relative_accuracy : float
        Relative accuracy α of the quantile sketch (default 0.5 %).
    zero_threshold : float
        Money amounts below this magnitude (default 1, in the case's currency) count as 0 in
        the quantile sketch.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> def block(n):  # kernel output of n draws, 4 years, 2 consequences
    ...     net = rng.normal(100.0, 50.0, size=(n, 4, 3))
    ...     pv = net.sum(axis=1)
    ...     return {"net": net, "present_value": pv, "gain_pv": pv + 10.0,
    ...             "cost_pv": np.full((n, 3), 10.0),
    ...             "consequence_pv": rng.normal(size=(n, 2, 3)), "break_even_year": np.ones(n),
    ...             "break_even_year_by_actor": np.ones((n, 3)), "successes": np.ones((n, 4))}
    >>> a, b = RunSummary(4, 2), RunSummary(4, 2)
    >>> a.add(0, block(100)); b.add(1, block(100)); a.add(2, block(50))
    >>> a.merge(b)
    >>> ds = a.to_dataset()
    >>> ds.attrs["draws"], ds.pv_mean.dims, ds.actor.values.tolist()
    (250, ('actor',), ['kommune', 'region', 'stat', 'total'])
    """

    def __init__(
        self,
        horizon: int,
        n_consequences: int,
        *,
        relative_accuracy: float = 0.005,
        zero_threshold: float = 1.0,
    ) -> None:
        self.horizon = T = whole_number(horizon, "horizon", minimum=1)
        self.n_consequences = C = whole_number(n_consequences, "n_consequences", minimum=1)
        self.relative_accuracy = float(relative_accuracy)
        self.zero_threshold = float(zero_threshold)
        A = len(ACTORS) + 1
        self.draws = 0
        self._blocks: set[int] = set()
        self._moments = BlockTree()
        # Counts, all actors and the total: PV > 0, net > 0 and cumulative > 0 by year, and the
        # first year of break-even (row T: never).
        self._pos_pv = np.zeros(A, dtype=np.int64)
        self._pos_net = np.zeros((T, A), dtype=np.int64)
        self._pos_cum = np.zeros((T, A), dtype=np.int64)
        self._break_even = np.zeros((T + 1, A), dtype=np.int64)
        # Whether each actor has a gain or a cost in some draw (else: not affected).
        self._moved = np.zeros(A - 1, dtype=bool)
        # One sketch for PV (A cells), net by year (T A) and cumulative by year (T A).
        self._sketch = QuantileSketch((A + 2 * T * A,), relative_accuracy, zero_threshold)
        # Layout of the moment vector: name -> (slice, shape).
        shapes = {
            "pv": (A,),
            "gain_pv": (A,),
            "cost_pv": (A,),
            "net": (T, A),
            "cumulative": (T, A),
            "consequence_pv": (C, A),
            "successes": (T,),
        }
        self._layout: dict[str, tuple[slice, tuple[int, ...]]] = {}
        start = 0
        for name, shape in shapes.items():
            size = math.prod(shape)
            self._layout[name] = (slice(start, start + size), shape)
            start += size

    @property
    def nbytes(self) -> int:
        """Bytes held by the accumulator's arrays (moments, counts and the quantile sketch)."""
        moments = sum(mean.nbytes + m2.nbytes for _, mean, m2 in self._moments.nodes.values())
        counts = sum(
            c.nbytes for c in (self._pos_pv, self._pos_net, self._pos_cum, self._break_even)
        )
        return moments + counts + self._sketch.nbytes

    def add(self, block_index: int, out: Mapping[str, np.ndarray]) -> None:
        """Add one block of the kernel's output.

        Parameters
        ----------
        block_index : int
            Index of the block in the run (>= 0), the key that fixes the order in which its
            partial sums are combined; each block is added once.
        out : mapping of str to ndarray
            The kernel's outputs for the block's n draws: ``net`` (n, T, 3),
            ``present_value``, ``gain_pv``, ``cost_pv`` (n, 3), ``consequence_pv`` (n, C, 3),
            ``break_even_year`` (n,) and ``break_even_year_by_actor`` (n, 3) as 1-based years or
            NaN (never), ``successes`` (n, T).
        """
        block_index = whole_number(block_index, "block_index", minimum=0)
        if block_index in self._blocks:
            raise InputError("block_index", f"block {block_index} was already added")
        arrays = self._check(out)
        n = arrays["net"].shape[0]
        if n == 0:
            raise InputError("out", f"block {block_index} has no draws")
        be = np.concatenate(
            [arrays["break_even_year_by_actor"], arrays["break_even_year"][:, None]], axis=1
        )
        be_counts = self._break_even_counts(be)
        sketch = self._sketch
        cells = sketch.shape[0]
        size = self._layout["successes"][0].stop
        mean, m2 = np.empty(size), np.empty(size)
        keys = np.empty((n, cells), dtype=np.int64)
        lo_hi = np.empty(2, dtype=np.int64)
        mins, maxs = sketch._min.copy(), sketch._max.copy()
        positive = np.zeros(cells, dtype=np.int64)
        # One compiled pass for the totals, the cumulative result, the moments, the sketch's
        # keys and the counts of positive values (block_stats.summarize_block).
        bad = summarize_block(
            *(arrays[k] for k in ("net", "present_value", "gain_pv", "cost_pv")),
            arrays["consequence_pv"],
            arrays["successes"],
            np.array([sketch.zero_threshold, sketch._log_m, sketch._inv_log_gamma]),
            mean,
            m2,
            keys,
            lo_hi,
            mins,
            maxs,
            positive,
        )
        if bad:
            raise InputError(f"out.{BAD_FIELDS[bad]}", "NaN or infinite values are not allowed")
        moved = self._moved.copy()
        todo = ~moved  # an actor seen to move stays moved: only the others are looked at
        if todo.any():
            moved[todo] = has_flows(
                arrays["net"][..., todo], arrays["gain_pv"][:, todo], arrays["cost_pv"][:, todo]
            )
        # Nothing below fails, so a rejected block leaves the accumulator as it was.
        sketch.add_keys(keys, lo_hi, mins, maxs)
        T, W = self.horizon, len(ACTORS) + 1
        self._pos_pv += positive[:W]
        self._pos_net += positive[W : W + T * W].reshape(T, W)
        self._pos_cum += positive[W + T * W :].reshape(T, W)
        self._break_even += be_counts
        self._moved = moved
        self._moments.insert(0, block_index, (n, mean, m2))
        self._blocks.add(block_index)
        self.draws += n

    def merge(self, other: RunSummary) -> None:
        """Add the blocks of another accumulator (of another thread or worker) to this one.

        ``other`` is left as it was; the two must not hold the same block.
        """
        if (other.horizon, other.n_consequences) != (self.horizon, self.n_consequences):
            raise InputError(
                "other",
                f"horizon {other.horizon} and {other.n_consequences} consequences do not match "
                f"{self.horizon} and {self.n_consequences}",
            )
        common = self._blocks & other._blocks
        if common:
            raise InputError("other", f"blocks {sorted(common)[:5]} are in both accumulators")
        self._sketch.merge(other._sketch)
        for (level, k), node in other._moments.nodes.items():
            self._moments.insert(level, k, node)
        self._pos_pv += other._pos_pv
        self._pos_net += other._pos_net
        self._pos_cum += other._pos_cum
        self._break_even += other._break_even
        self._moved |= other._moved
        self._blocks |= other._blocks
        self.draws += other.draws

    def to_dataset(
        self,
        *,
        quantiles: Iterable[float] = DEFAULT_QUANTILES,
        interval: float = 0.90,
        years: ArrayLike | None = None,
        consequences: ArrayLike | None = None,
        attrs: Mapping[str, object] | None = None,
    ) -> xr.Dataset:
        """The summaries of all blocks added, as a Dataset.

        Parameters
        ----------
        quantiles : iterable of float
            Quantiles of the bands of PV, net by year and cumulative by year.
        interval : float
            Central probability of ``pv_lower`` .. ``pv_upper`` (as :func:`som_mc.summarize`).
        years, consequences : array_like, optional
            Coordinates of ``year`` (default 1 .. T) and ``consequence`` (default 0 .. C − 1).
        attrs : mapping, optional
            Provenance to put in the Dataset's attrs (case name, seed, ...); ``currency`` and
            ``price_year`` there also go on the money variables.

        Returns
        -------
        xarray.Dataset
            Dims ``actor`` (the actors and ``total``), ``year``, ``consequence``, ``quantile``.
            Means with their Monte Carlo standard error sd / sqrt(draws) (``_mcse``):
            ``pv_mean``, ``gain_pv_mean``, ``cost_pv_mean``, ``net_mean``,
            ``cumulative_mean``, ``successes_mean``; ``consequence_pv_mean``; standard deviation
            ``pv_sd``. Quantile bands from the sketch: ``pv_quantile``, ``net_quantile``,
            ``cumulative_quantile``, and ``pv_lower``, ``pv_upper`` (the interval).
            Probabilities with their mcse sqrt(p (1 − p) / draws): ``p_positive`` (PV > 0),
            ``p_positive_net`` and ``p_positive_cumulative`` by year. Break-even:
            ``p_break_even`` (first year from which the undiscounted cumulative result stays
            >= 0), ``p_never_break_even`` and ``break_even_median`` (NaN when half the draws or
            more never break even, as :func:`som_mc.summarize`), all NaN for an actor that is
            not ``affected`` (no gain or cost in any draw).
        """
        if self.draws == 0:
            raise InputError("blocks", "no block was added")
        missing = sorted(set(range(max(self._blocks) + 1)) - self._blocks)
        if missing:
            raise InputError(
                "blocks", f"blocks {missing[:5]} are missing; a summary needs blocks 0 .. last"
            )
        qs = np.asarray(list(quantiles), dtype=np.float64)
        if qs.ndim != 1 or qs.size == 0 or not np.all((qs >= 0.0) & (qs <= 1.0)):
            raise InputError("quantiles", f"{qs.tolist()} is not allowed; quantiles are in [0, 1]")
        if not 0.0 < interval < 1.0:
            raise InputError("interval", f"{interval!r} is not allowed; it is in (0, 1)")
        T, C, n = self.horizon, self.n_consequences, self.draws
        A = len(ACTORS) + 1
        attrs = dict(attrs or {})
        money = {k: str(attrs[k]) for k in ("currency", "price_year") if k in attrs}
        if "currency" in money:
            money["units"] = money.pop("currency")

        _, mean, m2 = self._moments.total()
        sd = np.sqrt(m2 / (n - 1)) if n > 1 else np.full_like(m2, np.nan)
        mcse = sd / np.sqrt(n)

        def moment(name: str, values: np.ndarray) -> np.ndarray:
            where, shape = self._layout[name]
            return values[where].reshape(shape)

        data: dict[str, tuple] = {}
        dims = {
            "pv": (ACTOR,),
            "gain_pv": (ACTOR,),
            "cost_pv": (ACTOR,),
            "net": (YEAR, ACTOR),
            "cumulative": (YEAR, ACTOR),
            "successes": (YEAR,),
        }
        for name, dim in dims.items():
            units = {"units": "persons"} if name == "successes" else money
            data[f"{name}_mean"] = (dim, moment(name, mean), units)
            data[f"{name}_mean_mcse"] = (dim, moment(name, mcse), units)
        data["pv_sd"] = ((ACTOR,), moment("pv", sd), money)
        data["consequence_pv_mean"] = (
            (CONSEQUENCE, ACTOR),
            moment("consequence_pv", mean),
            money,
        )

        tail = (1.0 - interval) / 2.0
        band = self._sketch.quantile(np.concatenate([qs, [tail, 1.0 - tail]]))
        sketch_note = {
            **money,
            "note": f"DDSketch estimate within {self.relative_accuracy:g} relative of "
            "numpy.quantile(method='lower')",
        }
        data["pv_quantile"] = ((QUANTILE, ACTOR), band[: qs.size, :A], sketch_note)
        data["net_quantile"] = (
            (QUANTILE, YEAR, ACTOR),
            band[: qs.size, A : A + T * A].reshape(qs.size, T, A),
            sketch_note,
        )
        data["cumulative_quantile"] = (
            (QUANTILE, YEAR, ACTOR),
            band[: qs.size, A + T * A :].reshape(qs.size, T, A),
            sketch_note,
        )
        data["pv_lower"] = ((ACTOR,), band[qs.size, :A], sketch_note)
        data["pv_upper"] = ((ACTOR,), band[qs.size + 1, :A], sketch_note)

        for name, dim, count in (
            ("p_positive", (ACTOR,), self._pos_pv),
            ("p_positive_net", (YEAR, ACTOR), self._pos_net),
            ("p_positive_cumulative", (YEAR, ACTOR), self._pos_cum),
        ):
            p = count / n
            data[name] = (dim, p)
            data[f"{name}_mcse"] = (dim, np.sqrt(p * (1.0 - p) / n))
        affected = np.append(self._moved, self._moved.any())
        data["affected"] = ((ACTOR,), affected, {"long_name": "a gain or a cost in some draw"})
        data["p_break_even"] = (
            (YEAR, ACTOR),
            np.where(affected, self._break_even[:T] / n, np.nan),
            {
                "long_name": "probability that the undiscounted cumulative net result stays "
                ">= 0 from the year to the horizon, and not from the year before"
            },
        )
        data["p_never_break_even"] = ((ACTOR,), np.where(affected, self._break_even[T] / n, np.nan))
        data["break_even_median"] = (
            (ACTOR,),
            np.where(affected, _median_year(self._break_even, n), np.nan),
            {
                "units": "year of the horizon",
                "note": "of the undiscounted cumulative result; NaN: half the draws or more "
                "never, or the actor is not affected",
            },
        )
        coords = {
            ACTOR: [*ACTORS, "total"],
            YEAR: np.arange(1, T + 1) if years is None else np.asarray(years),
            CONSEQUENCE: np.arange(C) if consequences is None else np.asarray(consequences),
            QUANTILE: qs,
        }
        attrs.update(
            draws=n,
            interval=interval,
            quantile_relative_accuracy=self.relative_accuracy,
            quantile_zero_threshold=self.zero_threshold,
            quantile_method="DDSketch (Masson, Rim & Lee 2019): within relative "
            f"{self.relative_accuracy:g} of the sample quantile of rank floor(q (draws - 1)) "
            f"(numpy method 'lower'); absolute error below {self.zero_threshold:g} for values "
            "smaller than that",
        )
        return xr.Dataset(data, coords=coords, attrs=attrs)

    def _check(self, out: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
        missing = [k for k in _FIELDS if k not in out]
        if missing:
            raise InputError("out", f"the block lacks {', '.join(missing)}")
        sizes = {"year": self.horizon, "actor": len(ACTORS), "consequence": self.n_consequences}
        arrays = {k: np.ascontiguousarray(out[k], dtype=np.float64) for k in _FIELDS}
        n = arrays["net"].shape[0]
        for name, dims in _FIELDS.items():
            expected = (n, *(sizes[d] for d in dims))
            if arrays[name].shape != expected:
                raise InputError(
                    f"out.{name}", f"shape {arrays[name].shape} is not (draws, {dims}) {expected}"
                )
        return arrays

    def _break_even_counts(self, be: np.ndarray) -> np.ndarray:
        """Counts of the first break-even year (rows 0..T−1) or never (row T) per column."""
        T = self.horizon
        counts = np.zeros((T + 1, be.shape[1]), dtype=np.int64)
        if not year_counts(np.ascontiguousarray(be), T, counts):
            raise InputError("out.break_even", f"break-even years are 1 .. {T} or NaN")
        return counts


def _median_year(hist: np.ndarray, n: int) -> np.ndarray:
    """Median break-even year from counts by year (rows 0..T−1) and never (row T).

    As ``numpy.median`` of the years with never as +inf: the middle value, or the mean of the
    two middle values for an even count; NaN when that is infinite.
    """
    years = np.append(np.arange(1.0, hist.shape[0]), np.inf)
    cum = np.cumsum(hist, axis=0)
    ranks = ((n - 1) // 2, n // 2)
    lower, upper = (
        years[np.array([np.searchsorted(cum[:, a], r, side="right") for a in range(cum.shape[1])])]
        for r in ranks
    )
    median = (lower + upper) / 2.0
    return np.where(np.isfinite(median), median, np.nan)
