"""The SØM calculation in plain numpy, vectorised over draws: the reference for the kernel.

This is docs/model.md §3 written as array expressions over a chunk of draws, with the
kernel's extras (dropout, a gross rate minus deadweight, persistence, discounting, the four
cost types, prices split by fixed shares, caps, high-cost refunds, splits by year and tax on
transfers). It reads the same :class:`som_mc.model.layout.Layout` as
the kernel and returns the same outputs, so the two can be compared number for number in
expected mode. In cohort mode it draws its binomials with numpy's vectorised
``Generator.binomial``, a different random stream from the kernel's: the two agree in
distribution, not draw by draw.

Draws are processed in chunks (:data:`CHUNK`) so that memory stays bounded and the temporaries,
(chunk, consequences, years) at the largest, stay in cache.
"""

from __future__ import annotations

import numpy as np
from scipy.special import ndtr, ndtri

from som_mc.conventions import ACTORS, COST_TYPES
from som_mc.model.layout import Layout

__all__ = ["CHUNK", "inputs_reference", "simulate_reference"]

#: Draws per vectorised step. Measured on the standard case (benchmarks/cases.py), one thread:
#: 8.2 us a draw with 256, 9.8 with 512, 17 with 4096 (the kernel's block), 8.5 with 128;
#: small chunks keep the temporaries in cache, so the reference is timed at its best.
CHUNK = 256

_PER_PARTICIPANT = COST_TYPES.index("per_participant")
_PER_PARTICIPANT_YEAR = COST_TYPES.index("per_participant_year")


def simulate_reference(
    layout: Layout,
    x: np.ndarray,
    *,
    cohort: bool = False,
    rng: np.random.Generator | None = None,
    chunk: int = CHUNK,
) -> dict[str, np.ndarray]:
    """The kernel's outputs for every row of ``x``, computed with numpy array operations.

    Parameters
    ----------
    layout : Layout
        The case as arrays (:func:`som_mc.model.layout.build_layout`).
    x : ndarray, shape (draws, U)
        Values of the uncertain inputs, in the order of ``layout.uncertain_q`` (the ``inputs``
        variable of a :func:`som_mc.run` result).
    cohort : bool
        Draw the cohort (binomial completions, successes and persistence) instead of taking
        its expectation.
    rng : numpy.random.Generator, optional
        Generator for cohort mode; required there.
    chunk : int
        Draws per vectorised step.

    Returns
    -------
    dict of ndarray
        ``net`` (draws, T, A), ``pv``, ``pv_gain``, ``pv_cost`` (draws, A), ``pv_cons``
        (draws, C, A), ``break_even`` (draws,) and ``break_even_actor`` (draws, A) as 1-based
        years or NaN, ``successes`` (draws, T): as
        :func:`som_mc.model.kernel.simulate_block` writes them.

    Examples
    --------
    >>> from som_mc import load_case
    >>> from som_mc.model.layout import build_layout
    >>> from benchmarks.cases import benchmark_case
    >>> layout = build_layout(load_case(benchmark_case()))
    >>> x = layout.central[layout.uncertain_q][np.newaxis, :]
    >>> simulate_reference(layout, x)["net"].shape
    (1, 30, 3)
    """
    if cohort and rng is None:
        raise ValueError("cohort mode draws binomials: pass rng, a numpy.random.Generator")
    _check_supported(layout)
    x = np.asarray(x, dtype=np.float64)
    n = x.shape[0]
    T, A, C = layout.horizon, len(ACTORS), layout.profile_q.shape[0]
    out = {
        "net": np.empty((n, T, A)),
        "present_value": np.empty((n, A)),
        "gain_pv": np.empty((n, A)),
        "cost_pv": np.empty((n, A)),
        "consequence_pv": np.empty((n, C, A)),
        "break_even_year": np.empty(n),
        "break_even_year_by_actor": np.empty((n, A)),
        "successes": np.empty((n, T)),
    }
    for lo in range(0, n, chunk):
        hi = min(lo + chunk, n)
        vals = np.tile(layout.central, (hi - lo, 1))
        vals[:, layout.uncertain_q] = x[lo:hi]
        for key, value in _chunk(layout, vals, cohort, rng).items():
            out[key][lo:hi] = value
    return out


def _check_supported(L: Layout) -> None:
    """Refuse a layout that uses a feature this reference does not implement.

    The reference covers docs/model.md §3 and the kernel's extras listed in the module
    docstring; family members, extrapolation beyond a profile and subgroup shares are the
    kernel's alone, so a case with them cannot be checked here.
    """
    members = getattr(L, "members_q", None)
    if members is not None and np.any(np.asarray(members) >= 0):
        raise NotImplementedError("the reference does not implement consequence members")
    rule_q = getattr(L, "rule_q", -1)
    # Rule code 0 is "stop" (SØM: nothing after a profile's last year), which needs nothing.
    if rule_q >= 0 and (rule_q in L.uncertain_q or L.central[rule_q] != 0.0):
        raise NotImplementedError("the reference does not implement profile extrapolation")
    if getattr(L, "share", 1.0) != 1.0:
        raise NotImplementedError("the reference does not implement subgroup shares")


def _take(vals: np.ndarray, q: np.ndarray) -> np.ndarray:
    """The values of quantities ``q`` (any shape) for each draw, 0 where ``q`` is -1."""
    return np.where(q >= 0, vals[:, np.maximum(q, 0)], 0.0)


def _lag(a: np.ndarray, k: int) -> np.ndarray:
    """``a`` moved ``k`` years later along its last axis, zeros in front."""
    if k == 0:
        return a
    out = np.zeros_like(a)
    out[..., k:] = a[..., :-k]
    return out


def _first_year(reached: np.ndarray) -> np.ndarray:
    """First 1-based year along axis 1 from which ``reached`` is true to the end; NaN where it
    is false in the last year (docs/model.md §3)."""
    T = reached.shape[1]
    # The last year it is false, counted from the end: argmax of the reversed negation.
    last_false = T - 1 - np.argmax(~reached[:, ::-1], axis=1)
    year = np.where(reached.all(axis=1), 1.0, last_false + 2.0)
    return np.where(year <= T, year, np.nan)


def _unit_cost(L: Layout, vals: np.ndarray, i: int) -> np.ndarray:
    """Cost line ``i``'s amount times its factors, ``prod (add + value) ** power``, (n,)."""
    unit = vals[:, L.cost_q[i]].copy()
    factor_q = getattr(L, "cost_factor_q", np.zeros((0, 0), dtype=np.int64))
    if i < factor_q.shape[0]:
        for f in np.flatnonzero(factor_q[i] >= 0):
            unit *= (vals[:, factor_q[i, f]] + L.cost_factor_add[i, f]) ** L.cost_factor_pow[i, f]
    return unit


def _success_rate(L: Layout, vals: np.ndarray) -> np.ndarray:
    """The net success rate of each draw (n,): the rate, or the gross rate minus deadweight.

    A layout may list several rates (interventions combined); a citizen then succeeds unless
    every one of them fails, ``1 - prod(1 - r_j)``, as the kernel combines them.
    """
    fail = np.ones(vals.shape[0])
    rate_q, gross_q, deadweight_q = (
        np.atleast_1d(q) for q in (L.rate_q, L.gross_q, L.deadweight_q)
    )
    for j in range(rate_q.shape[0]):
        if rate_q[j] >= 0:
            r = vals[:, rate_q[j]]
        else:
            r = np.maximum(vals[:, gross_q[j]] - vals[:, deadweight_q[j]], 0.0)
        transfer_q = getattr(L, "transfer_q", np.zeros(0, dtype=np.int64))
        if j < transfer_q.shape[0] and transfer_q[j] >= 0:  # transferability, capped at 1
            r = np.minimum(r * vals[:, transfer_q[j]], 1.0)
        fail = fail * (1.0 - r)
    return 1.0 - fail


def _chunk(
    L: Layout, vals: np.ndarray, cohort: bool, rng: np.random.Generator | None
) -> dict[str, np.ndarray]:
    """Every output for the draws whose quantity values are the rows of ``vals`` (n, P)."""
    n, T, A = vals.shape[0], L.horizon, len(ACTORS)
    K = L.profile_q.shape[1]
    years = np.arange(T)

    # Discount factors (n, T), year 1 undiscounted.
    if L.discount_q >= 0:
        discount = (1.0 + vals[:, L.discount_q, None]) ** -years.astype(np.float64)
    else:
        discount = np.broadcast_to(L.discount_fixed, (n, T))

    # Starts by year (whole citizens in cohort mode) and participants in a course each year.
    starts = np.zeros((n, T))
    starts[:, : L.intake_q.shape[0]] = vals[:, L.intake_q]
    if cohort:
        starts = np.rint(starts)
    in_course = sum(_lag(starts, j) for j in range(L.course_years))

    # Costs (n, T, A): amount x the years the line applies x how many it is paid for.
    cost = np.zeros((n, T, A))
    for i in range(L.cost_type.shape[0]):
        if L.cost_type[i] == _PER_PARTICIPANT:
            count = starts
        elif L.cost_type[i] == _PER_PARTICIPANT_YEAR:
            count = in_course
        else:
            count = 1.0
        cost[:, :, L.cost_actor[i]] += _unit_cost(L, vals, i)[:, None] * L.cost_mask[i] * count

    # Completions in year t (those who started course_years - 1 earlier) and successes.
    finishing = _lag(starts, L.course_years - 1)
    dropout = vals[:, L.dropout_q, None]
    rate = _success_rate(L, vals)[:, None]
    persistence = vals[:, L.persistence_q, None] if L.persistence_q >= 0 else np.ones((n, 1))
    itt = getattr(L, "itt", False)  # intention to treat: the rate is a share of starters
    if cohort:
        done = rng.binomial(finishing.astype(np.int64), 1.0 - dropout)
        ok = rng.binomial(finishing.astype(np.int64) if itt else done, rate).astype(np.float64)
    else:
        ok = finishing * (1.0 if itt else 1.0 - dropout) * rate
    # An observed cohort's successes as they are (NaN: drawn).
    seen = np.asarray(getattr(L, "observed_ok", np.zeros(0)))
    for t in np.flatnonzero(np.isfinite(seen)):
        ok[:, t] = seen[t]

    # active[:, k, t]: successes of the cohort completing in year t still successful k years on.
    active = np.empty((n, K, T))
    active[:, 0] = ok
    for k in range(1, K):
        if cohort:
            active[:, k] = rng.binomial(active[:, k - 1].astype(np.int64), persistence)
        else:
            active[:, k] = active[:, k - 1] * persistence
    # Shifted to calendar years: lagged[:, k, t] = active[:, k, t - k].
    lagged = np.stack([_lag(active[:, k], k) for k in range(K)], axis=1)

    # Units of each consequence by calendar year (n, C, T), and their price for each actor.
    effect = _take(vals, L.profile_q) * vals[:, L.scale_q, None]
    limit = np.asarray(getattr(L, "limit", np.zeros(0, dtype=np.int64)))
    for c in np.flatnonzero(limit > 0):  # a line limited in time: 0 from its limit on
        effect[:, c, limit[c] :] = 0.0
    units = effect @ lagged
    part = _take(vals, L.price_q) * L.price_share  # (n, C, A) each actor's part of a unit
    whole = part.sum(axis=2)  # (n, C) a unit's whole price, which a split by year moves
    cap = np.asarray(getattr(L, "price_cap", np.zeros((0, 0))))
    if cap.size:  # a capped part is cut at its cap; the excess goes to the uncapped actors
        capped = np.minimum(part, cap)
        excess = (part - capped).sum(axis=2, keepdims=True)
        free = np.where(np.isinf(cap) & (L.price_q >= 0), L.price_share, 0.0)
        total = free.sum(axis=1, keepdims=True)
        w = np.divide(free, total, out=np.zeros_like(free), where=total > 0)
        part = capped + excess * w
    payer = np.asarray(getattr(L, "refund_from", np.zeros(0, dtype=np.int64)))
    for c in np.flatnonzero(payer >= 0):  # a high-cost refund: rates on tiers of the payer's part
        lo = L.refund_above[c]
        hi = np.append(lo[1:], np.inf)
        x = part[:, c, payer[c], None]
        back = (L.refund_rate[c] * np.clip(x - lo, 0.0, hi - lo)).sum(axis=1)
        part[:, c, payer[c]] -= back
        part[:, c, L.refund_to[c]] += back
    tax = np.asarray(getattr(L, "tax", np.zeros((0, 0))))
    if tax.size:  # the income tax each actor gets back on the gross price of a transfer
        part = part - tax * part.sum(axis=2, keepdims=True)
    price = L.cons_coef[:, None] * part
    gain = units.transpose(0, 2, 1) @ price
    pv_cons = (units @ discount[:, :, None]) * price
    by_year = np.asarray(getattr(L, "share_by_year", np.zeros((0, 0, 0))))
    if by_year.size:  # the change of each share in year k after success, on the whole price
        moved = whole * L.cons_coef
        gain = gain + np.einsum("nck,nkt,nc,cka->nta", effect, lagged, moved, by_year[:, :K])
        pv_cons = pv_cons + np.einsum(
            "nck,nkt,nt,nc,cka->nca", effect, lagged, discount, moved, by_year[:, :K]
        )

    # Net result, present values and break-even.
    net = gain - cost
    cumulative = np.cumsum(net, axis=1)
    return {
        "net": net,
        "present_value": np.einsum("nta,nt->na", net, discount),
        "gain_pv": np.einsum("nta,nt->na", gain, discount),
        "cost_pv": np.einsum("nta,nt->na", cost, discount),
        "consequence_pv": pv_cons,
        "break_even_year": _first_year(cumulative.sum(axis=2) >= 0.0),
        "break_even_year_by_actor": _first_year(cumulative >= 0.0),
        "successes": ok,
    }


def inputs_reference(
    u: np.ndarray, dists: list, correlation: list[tuple[list[int], np.ndarray]] = ()
) -> np.ndarray:
    """Design rows to input values with numpy and scipy: the path ``som_mc.run`` took before
    its sampling was compiled (the Gaussian copula with BLAS, each column through its
    distribution's scipy-based ``ppf``), kept as the reference of the compiled sampler."""
    u = np.array(u, dtype=np.float64, copy=True)
    for cols, pearson in correlation:
        chol = np.linalg.cholesky(pearson)
        u[:, cols] = np.clip(ndtr(ndtri(u[:, cols]) @ chol.T), 1e-15, 1.0 - 1e-15)
    x = np.empty_like(u)
    for j, dist in enumerate(dists):
        x[:, j] = dist.ppf(u[:, j])
    return x
