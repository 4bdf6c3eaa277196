"""Compiled passes over one block of outputs, for the summaries of a summary-only run.

A summary-only run adds each block of 4,096 draws to :class:`som_mc.pipeline.streaming.RunSummary`.
With numpy each summary is several passes and a temporary array (the totals over actors, the
cumulative result, the deviations, the logarithms, a key per value, a bool mask per check);
on the CTI case those passes took 90 % of a 10^7-draw run once the kernel and the sampling
were compiled. :func:`summarize_block` does them all in two passes over the block, building
each draw's row of summarised values in a small buffer, and releases the GIL, so the
summaries of blocks on different threads run at once.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

__all__ = ["BAD_FIELDS", "add_counts", "sketch_keys", "summarize_block", "year_counts"]


@njit(nogil=True, cache=True, inline="always")
def _bucket(v, zero_threshold, log_m, inv_log_gamma):
    """The signed bucket index of one finite value (see :func:`sketch_keys`)."""
    a = abs(v)
    if a < zero_threshold:
        return 0
    s = math.ceil((math.log(a) - log_m) * inv_log_gamma) + 1
    return -s if v < 0.0 else s


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
            s = _bucket(v, zero_threshold, log_m, inv_log_gamma)
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


#: What :func:`summarize_block` found not finite (0: nothing), by field.
BAD_FIELDS = ("", "present_value", "gain_pv", "cost_pv", "net", "consequence_pv", "successes")


@njit(nogil=True, cache=True, inline="always")
def _row(i, net, pv, gain_pv, cost_pv, cons_pv, successes, row):
    """Draw ``i``'s summary row: pv, gain_pv, cost_pv, net, cumulative, consequence_pv (each
    by actor with the total last, summed left to right) and successes, as
    :class:`som_mc.pipeline.streaming.RunSummary` lays out its moments. Returns the index in
    :data:`BAD_FIELDS` of the first field with a value that is not finite (0: none)."""
    T, A = net.shape[1], net.shape[2]
    W = A + 1
    C = cons_pv.shape[1]
    bad = 0
    k = 0
    for f, x in ((1, pv), (2, gain_pv), (3, cost_pv)):
        total = 0.0
        for a in range(A):
            v = x[i, a]
            row[k + a] = v
            total = v if a == 0 else total + v
            if bad == 0 and not math.isfinite(v):
                bad = f
        row[k + A] = total
        k += W
    cum = k + T * W
    for t in range(T):
        total = 0.0
        for a in range(A):
            v = net[i, t, a]
            row[k + t * W + a] = v
            total = v if a == 0 else total + v
            if bad == 0 and not math.isfinite(v):
                bad = 4
        row[k + t * W + A] = total
        for a in range(W):
            prev = row[cum + (t - 1) * W + a] if t > 0 else 0.0
            row[cum + t * W + a] = row[k + t * W + a] if t == 0 else prev + row[k + t * W + a]
    k = cum + T * W
    for c in range(C):
        total = 0.0
        for a in range(A):
            v = cons_pv[i, c, a]
            row[k + c * W + a] = v
            total = v if a == 0 else total + v
            if bad == 0 and not math.isfinite(v):
                bad = 5
        row[k + c * W + A] = total
    k += C * W
    for t in range(T):
        v = successes[i, t]
        row[k + t] = v
        if bad == 0 and not math.isfinite(v):
            bad = 6
    return bad


@njit(nogil=True, cache=True)
def summarize_block(
    net, pv, gain_pv, cost_pv, cons_pv, successes, sketch, mean, m2, keys, lo_hi, mins, maxs,
    positive,
):  # fmt: skip
    """Every per-block summary of a summary-only run in two passes over one block of outputs.

    The arrays are the kernel's outputs (C-contiguous float64). ``sketch`` is (zero threshold,
    log of it, 1 / log gamma) of the run's DDSketch, whose cells are pv, net and cumulative
    (by actor with the total); ``mean`` and ``m2`` (cells of the moments,) get each column's
    mean and sum of squared deviations; ``keys`` (n, sketch cells) the signed bucket indices (as
    :func:`sketch_keys`), ``lo_hi`` their range, ``mins`` and ``maxs`` take the sketch cells'
    minimum and maximum in; ``positive`` (sketch cells,) counts the values > 0. The moments
    are the two-pass algorithm (the block's mean, then the deviations from it), whose partial
    results :func:`som_mc.pipeline.streaming.chan` combines.

    Returns the index in :data:`BAD_FIELDS` of a field with a value that is not finite (then
    nothing but scratch was written), or 0.
    """
    n = net.shape[0]
    T, W = net.shape[1], net.shape[2] + 1
    K = mean.shape[0]
    row = np.empty(K)
    # The sketch's cells in the row: pv, then net and cumulative (which follow each other).
    net_at = 3 * W
    S = W + 2 * T * W
    total = np.zeros(K)
    for i in range(n):
        bad = _row(i, net, pv, gain_pv, cost_pv, cons_pv, successes, row)
        if bad:
            return bad
        for j in range(K):
            total[j] += row[j]
    for j in range(K):
        mean[j] = total[j] / n
        m2[j] = 0.0
    zero, log_m, inv_log_gamma = sketch[0], sketch[1], sketch[2]
    lo = 1 << 62
    hi = -(1 << 62)
    for i in range(n):
        _row(i, net, pv, gain_pv, cost_pv, cons_pv, successes, row)
        for j in range(K):
            d = row[j] - mean[j]
            m2[j] += d * d
        for s in range(S):
            v = row[s] if s < W else row[net_at + s - W]
            key = _bucket(v, zero, log_m, inv_log_gamma)
            keys[i, s] = key
            lo = min(lo, key)
            hi = max(hi, key)
            mins[s] = min(mins[s], v)
            maxs[s] = max(maxs[s], v)
            if v > 0.0:
                positive[s] += 1
    lo_hi[0] = lo
    lo_hi[1] = hi
    return 0
