"""Compiled passes over one block of outputs, for the summaries of a summary-only run.

A summary-only run adds each block of 4,096 draws to :class:`som_mc.pipeline.streaming.RunSummary`.
With numpy each summary is several passes and a temporary array (the deviations, the
absolute values, the logarithms, a key per value, a bool mask per check); on the CTI case
those passes took 90 % of a 10^7-draw run once the kernel and the sampling were compiled.
Each function here is one or two passes over the block without temporaries, and releases the
GIL, so the summaries of blocks on different threads run at once.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

__all__ = ["add_counts", "all_finite", "moments", "sketch_keys", "year_counts"]


@njit(nogil=True, cache=True, fastmath={"reassoc"})
def all_finite(x):
    """Whether every value of ``x`` (any shape, C-contiguous) is finite.

    Examples
    --------
    >>> all_finite(np.array([[1.0, 2.0]])), all_finite(np.array([1.0, np.inf]))
    (True, False)
    """
    flat = x.ravel()
    # v - v is 0 for a finite v and NaN for inf or NaN; one sum, which the compiler may
    # reorder into vector instructions ("reassoc": NaN and inf keep their meaning).
    acc = 0.0
    for i in range(flat.size):
        acc += flat[i] - flat[i]
    return acc == 0.0


@njit(nogil=True, cache=True)
def moments(x):
    """Mean and sum of squared deviations (M2) of each column of a 2-d array ``x`` (n, k).

    Two passes (the mean, then the deviations from it), the two-pass algorithm whose partial
    results :func:`som_mc.pipeline.streaming.chan` combines.

    Examples
    --------
    >>> mean, m2 = moments(np.array([[1.0, 10.0], [3.0, 10.0]]))
    >>> mean.tolist(), m2.tolist()
    ([2.0, 10.0], [2.0, 0.0])
    """
    n, k = x.shape
    mean = np.zeros(k)
    for i in range(n):
        for j in range(k):
            mean[j] += x[i, j]
    for j in range(k):
        mean[j] /= n
    m2 = np.zeros(k)
    for i in range(n):
        for j in range(k):
            d = x[i, j] - mean[j]
            m2[j] += d * d
    return mean, m2


@njit(nogil=True, cache=True)
def sketch_keys(x, zero_threshold, log_m, inv_log_gamma, keys, lo_hi, mins, maxs):
    """The signed bucket index of each value of ``x`` (n, cells) for a DDSketch, into
    ``keys`` (int64, same shape); ``lo_hi`` gets the smallest and largest index, and
    ``mins`` and ``maxs`` (cells,) take the minimum and maximum of each column in.

    As :meth:`som_mc.pipeline.streaming.QuantileSketch._signed_index`: 0 below the zero
    threshold, ``sign(x) (ceil((log|x| - log m) / log gamma) + 1)`` above it. Returns False
    (and writes nothing further) at the first value that is not finite.
    """
    lo = 1 << 62
    hi = -(1 << 62)
    n, cells = x.shape
    for i in range(n):
        for j in range(cells):
            v = x[i, j]
            if not math.isfinite(v):
                return False
            a = abs(v)
            s = 0
            if a >= zero_threshold:
                s = math.ceil((math.log(a) - log_m) * inv_log_gamma) + 1
                if v < 0.0:
                    s = -s
            keys[i, j] = s
            lo = min(lo, s)
            hi = max(hi, s)
            mins[j] = min(mins[j], v)
            maxs[j] = max(maxs[j], v)
    lo_hi[0] = lo
    lo_hi[1] = hi
    return True


@njit(nogil=True, cache=True)
def add_counts(counts, keys, lo):
    """``counts[j, keys[i, j] - lo] += 1`` for every value: the histogram of a sketch."""
    n, cells = keys.shape
    for i in range(n):
        for j in range(cells):
            counts[j, keys[i, j] - lo] += 1


@njit(nogil=True, cache=True)
def year_counts(years, horizon, counts):
    """Add to ``counts`` (horizon + 1, columns) how many values of each column of ``years``
    (n, columns) are each year 1 .. horizon (rows 0 .. horizon - 1) or NaN (row horizon,
    never). Returns False, having added nothing, if a value is not NaN or a whole year in
    1 .. horizon."""
    n, cols = years.shape
    for i in range(n):
        for j in range(cols):
            y = years[i, j]
            if y == y and not (1.0 <= y <= horizon and y == math.floor(y)):
                return False
    for i in range(n):
        for j in range(cols):
            y = years[i, j]
            counts[horizon if y != y else int(y) - 1, j] += 1
    return True
