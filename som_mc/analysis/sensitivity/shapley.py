"""Shapley effects: one share of the output variance per input (or group), adding up to 1, with
correlated inputs (Owen 2014; Song, Nelson & Staum 2016).

The Shapley effect of input ``i`` is the average, over every order in which the inputs could be
learnt, of what learning ``i`` adds to the explained variance:

``Sh_i = (1/d) Σ_{u ⊆ -i} C(d-1, |u|)^{-1} [c(u ∪ {i}) - c(u)]``,

for the cost ``c(u) = Var(E[Y | X_u])`` or, giving the same effects (Song et al. 2016,
Theorem 1), ``c(u) = E[Var(Y | X_{-u})]``. The effects add up to ``c(all) = Var(Y)``: with
correlations, what two inputs explain together is shared between them, which first-order
and total Sobol' indices cannot do (docs/sensitivity.md).

:func:`shapley_effects` estimates them by Monte Carlo with the second cost. For a row ``A``
of the inputs and a row ``C_u`` with ``X_u`` drawn again given ``A``'s ``X_{-u}``
(:meth:`~som_mc.analysis.sensitivity.copula.JointInputs.couple`), ``½ (f(A) - f(C_u))^2`` is
an unbiased estimate of ``E[Var(Y | X_{-u})]``: Song et al.'s inner variance with two inner
points, one outer point per row. Every quantity is a mean over independent rows (or independent
permutations), so its standard error is the plain one; the normalised effects are ratios,
whose errors come from the delta method. The shares add up to exactly 1 per row, since the
per-row contributions telescope to ``½ (f(A) - f(B))^2``, the estimate of ``Var(Y)``.

* ``method="exact"``: every subset of the factors (the same as averaging over all ``d!``
  orders), ``n 2^d`` model rows; for a few inputs.
* ``method="random"``: random orders (Castro, Gómez & Tejada 2009; Song et al. 2016,
  Algorithm 1), ``n (d + 1)`` rows; for many inputs.

:func:`shapley_linear_gaussian` is exact for a linear model of Gaussian inputs.

References
----------
Owen, A. B. (2014). Sobol' indices and Shapley value. SIAM/ASA Journal on Uncertainty
Quantification, 2(1), 245-251.

Song, E., Nelson, B. L. & Staum, J. (2016). Shapley effects for global sensitivity analysis:
theory and computation. SIAM/ASA Journal on Uncertainty Quantification, 4(1), 1060-1083.

Castro, J., Gómez, D. & Tejada, J. (2009). Polynomial calculation of the Shapley value based
on sampling. Computers & Operations Research, 36(5), 1726-1730.

Owen, A. B. & Prieur, C. (2017). On Shapley value for measuring importance of dependent
inputs. SIAM/ASA Journal on Uncertainty Quantification, 5(1), 986-1002.

Iooss, B. & Prieur, C. (2019). Shapley effects for sensitivity analysis with correlated
inputs: comparisons with Sobol' indices, numerical estimation and applications. International
Journal for Uncertainty Quantification, 9(5), 493-514.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from som_mc.analysis.sensitivity.copula import JointInputs, evaluate, players
from som_mc.checks import confidence_level, whole_number
from som_mc.errors import InputError

__all__ = ["EXACT_MAX", "ShapleyResult", "shapley_effects", "shapley_linear_gaussian"]

#: ``method="auto"`` enumerates every subset up to this many factors (n 2^d model rows).
EXACT_MAX = 6


@dataclass(frozen=True)
class ShapleyResult:
    """Shapley effects of every output.

    Attributes
    ----------
    names : tuple of str
        The factors: inputs, or groups of inputs.
    shapley : ndarray, shape (n_outputs, n_factors)
        The effects as shares of the output's variance; each row adds up to 1.
    se : ndarray, shape (n_outputs, n_factors)
        Their Monte Carlo standard errors (delta method over independent rows or orders).
    lower, upper : ndarray, shape (n_outputs, n_factors)
        The normal interval ``shapley ± z se`` at ``confidence``.
    variance : ndarray, shape (n_outputs,)
        The estimate of Var(Y) the shares divide by.
    method : str
    n : int
        Base rows (``method="exact"``) or base rows in all (``"random"``).
    permutations : int or None
        Orders drawn (``"random"``).
    evaluations : int
        Model rows evaluated.
    confidence : float
    """

    names: tuple[str, ...]
    shapley: np.ndarray
    se: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    variance: np.ndarray
    method: str
    n: int
    permutations: int | None
    evaluations: int
    confidence: float

    def __post_init__(self) -> None:
        for value in vars(self).values():
            if isinstance(value, np.ndarray):
                value.flags.writeable = False


def shapley_effects(
    model: Callable[[np.ndarray], np.ndarray],
    joint: JointInputs,
    n: int,
    *,
    seed: int,
    groups: Sequence[str] | None = None,
    method: str = "auto",
    permutations: int | None = None,
    confidence: float = 0.95,
    chunk: int = 65_536,
    threads: int = 1,
) -> ShapleyResult:
    """Monte Carlo Shapley effects of a model of correlated inputs, with standard errors.

    Parameters
    ----------
    model : callable
        ``model(x)`` with ``x`` of shape (rows, d) in input units returns (rows,) or
        (rows, n_outputs).
    joint : JointInputs
        The inputs' joint distribution.
    n : int
        Base rows. ``"exact"`` evaluates ``n 2^D`` rows for D factors; ``"random"``
        ``n (D + 1)``, spread over ``permutations`` orders.
    seed : int
    groups : sequence of str, optional
        The group of each input: the effects are then of groups (each a player).
    method : {"auto", "exact", "random"}
        ``"auto"``: exact up to :data:`EXACT_MAX` factors, random orders beyond.
    permutations : int, optional
        Orders for ``"random"``; default ``min(n, 512)``. Each order gets ``ceil(n / m)``
        rows.
    confidence : float
        Level of the normal interval.
    chunk, threads : int
        Model rows per call and threads calling it (the result does not depend on either).

    Returns
    -------
    ShapleyResult

    Examples
    --------
    >>> joint = JointInputs.normal([0, 0], [[1.0, 0.5], [0.5, 1.0]])
    >>> res = shapley_effects(lambda x: x[:, 0] + x[:, 1], joint, 4096, seed=1)
    >>> round(float(res.shapley.sum()), 12)
    1.0
    """
    n = whole_number(n, "n", minimum=2)
    seed = whole_number(seed, "seed", minimum=0)
    confidence_level(confidence)
    names, cols = players(joint.d, joint.names, groups)
    p = len(cols)
    if method == "auto":
        method = "exact" if p <= EXACT_MAX else "random"
    rng = np.random.default_rng(np.random.SeedSequence(seed))
    if method == "exact":
        units, total, rows = _exact(model, joint, cols, n, rng, chunk, threads)
        m = None
    elif method == "random":
        m = (
            min(n, 512)
            if permutations is None
            else whole_number(permutations, "permutations", minimum=1)
        )
        units, total, rows = _random(model, joint, cols, n, m, rng, chunk, threads)
    else:
        raise InputError("method", f"{method!r} is not allowed; allowed: auto, exact, random")
    share, se, v = ratio_estimate(units, total)
    half = normal_half_width(se, confidence)
    kind = (
        f"every subset of {p} factors, n = {n} base rows"
        if method == "exact"
        else f"{m} random orders of {p} factors, {rows // (p + 1)} base rows"
    )
    return ShapleyResult(
        names=tuple(names),
        shapley=share,
        se=se,
        lower=share - half,
        upper=share + half,
        variance=v,
        method=(
            "Shapley effects (Owen 2014; Song, Nelson & Staum 2016), cost E[Var(Y|X_-u)] "
            "by conditional resampling in the Gaussian copula, "
            f"{kind}; standard errors by the delta method; "
            f"{100 * confidence:g} % normal interval"
        ),
        n=n,
        permutations=m,
        evaluations=rows,
        confidence=float(confidence),
    )


def shapley_linear_gaussian(
    beta: Any, cov: Any, groups: Sequence[str] | None = None
) -> tuple[np.ndarray, float]:
    """Exact Shapley effects of ``Y = β₀ + βᵀX`` with ``X ~ N(μ, Σ)``, as shares of Var(Y).

    ``c(u) = Var(E[Y | X_u]) = (Σ_u· β)ᵀ Σ_uu^{-1} (Σ_u· β)`` for every subset ``u`` of the
    factors, then the Shapley formula (Owen & Prieur 2017, §3; Iooss & Prieur 2019, §3):
    cost 2^D small solves for D factors.

    Returns
    -------
    shares : ndarray, shape (n_factors,)
    variance : float
        ``βᵀ Σ β``.
    """
    beta, cov, cols = linear_gaussian(beta, cov, groups)
    p = len(cols)
    if p > 20:
        raise InputError("groups", f"{p} factors is too many to enumerate; use at most 20")
    sb = cov @ beta
    variance = float(beta @ sb)
    cost = np.zeros(2**p)
    for mask in range(1, 2**p):
        u = [c for j in range(p) if mask >> j & 1 for c in cols[j]]
        cost[mask] = sb[u] @ np.linalg.solve(cov[np.ix_(u, u)], sb[u])
    return _shapley_from_costs(cost, p) / variance, variance


def linear_gaussian(
    beta: Any, cov: Any, groups: Sequence[str] | None = None
) -> tuple[np.ndarray, np.ndarray, list]:
    """The coefficients and covariance of ``Y = β₀ + βᵀX``, ``X ~ N(μ, Σ)``, as float arrays,
    and the columns of each factor (each input, or each group of ``groups``).

    Raises
    ------
    InputError
        When ``cov`` is not D x D for D coefficients, or ``groups`` does not fit.
    """
    beta = np.asarray(beta, dtype=float)
    cov = np.asarray(cov, dtype=float)
    d = beta.size
    if cov.shape != (d, d):
        raise InputError("cov", f"has shape {cov.shape}; needs ({d}, {d}) for {d} coefficients")
    _, cols = players(d, [f"x{i}" for i in range(d)], groups)
    return beta, cov, cols


def normal_half_width(se: np.ndarray, confidence: float) -> np.ndarray:
    """Half the width of the normal interval of level ``confidence`` around an estimate with
    standard errors ``se``.

    Examples
    --------
    >>> round(float(normal_half_width(np.array(1.0), 0.95)), 6)
    1.959964
    """
    from scipy.stats import norm

    return norm.ppf((1 + confidence) / 2) * se


def ratio_estimate(units: np.ndarray, total: np.ndarray) -> tuple[np.ndarray, ...]:
    """Ratios of means over independent units and their delta-method standard errors.

    ``units`` (U, O, F) and ``total`` (U, O): returns ``mean(units) / mean(total)``
    (O, F), its standard error (O, F) and ``mean(total)`` (O,). Where the total is 0 (an output
    that does not vary) the ratios and errors are NaN.
    """
    count = units.shape[0]
    v = total.mean(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = units.mean(axis=0) / v[:, None]
        influence = (units - ratio[None] * total[:, :, None]) / v[None, :, None]
        se = influence.std(axis=0, ddof=1) / math.sqrt(count)
    flat = ~(v > 0)
    ratio[flat] = np.nan
    se[flat] = np.nan
    return ratio, se, v


def _exact(model, joint, cols, n, rng, chunk, threads):
    """Per-row Shapley contributions over every subset of the factors."""
    p = len(cols)
    a = joint.sample(rng, n)
    b = joint.sample(rng, n)
    masks = range(1, 2**p - 1)
    z = np.concatenate(
        [a, b] + [joint.couple(a, b, _columns(cols, mask), "rest") for mask in masks]
    )
    y = evaluate(model, joint, z, chunk=chunk, threads=threads)
    y = y - y[: 2 * n].mean(axis=0)  # centring changes no difference; it keeps rounding small
    ya = y[:n]
    h = np.zeros((2**p, n, y.shape[1]))
    h[-1] = 0.5 * (ya - y[n : 2 * n]) ** 2
    for k, mask in enumerate(masks):
        h[mask] = 0.5 * (ya - y[(2 + k) * n : (3 + k) * n]) ** 2
    units = _shapley_from_costs(h, p)  # (n, O, P)
    return units, h[-1], z.shape[0]


def _random(model, joint, cols, n, m, rng, chunk, threads):
    """Per-order mean contributions over ``m`` random orders of the factors."""
    p = len(cols)
    per = -(-n // m)
    orders = [rng.permutation(p) for _ in range(m)]
    blocks = []
    for order in orders:
        a = joint.sample(rng, per)
        b = joint.sample(rng, per)
        blocks.append(a)
        for j in range(1, p):
            blocks.append(joint.couple(a, b, [c for k in order[:j] for c in cols[k]], "rest"))
        blocks.append(b)
    z = np.concatenate(blocks)
    y = evaluate(model, joint, z, chunk=chunk, threads=threads)
    y = y - y.mean(axis=0)
    y = y.reshape(m, p + 1, per, -1)
    h = 0.5 * (y[:, :1] - y[:, 1:]) ** 2  # (m, p, per, O): prefixes of 1 ... p factors
    steps = np.diff(h, axis=1, prepend=0.0).mean(axis=2)  # (m, p, O), by position in order
    units = np.zeros((m, y.shape[-1], p))
    for i, order in enumerate(orders):
        units[i][:, order] = steps[i].T
    return units, h[:, -1].mean(axis=1), z.shape[0]


def _columns(cols: list[list[int]], mask: int) -> list[int]:
    return [c for j in range(len(cols)) if mask >> j & 1 for c in cols[j]]


def _shapley_from_costs(cost: np.ndarray, p: int) -> np.ndarray:
    """Shapley values of the set function ``cost[mask]`` (first axis), factors last."""
    w = [math.factorial(s) * math.factorial(p - 1 - s) / math.factorial(p) for s in range(p)]
    out = np.zeros((*cost.shape[1:], p))
    for i in range(p):
        bit = 1 << i
        for mask in range(2**p):
            if not mask & bit:
                out[..., i] += w[mask.bit_count()] * (cost[mask | bit] - cost[mask])
    return out
