"""The full and independent first-order and total Sobol' indices of correlated inputs
(Kucherenko, Tarantola & Annoni 2012; Mara & Tarantola 2012; Mara, Tarantola & Annoni 2015).

With correlated inputs an input's share of the variance has two readings, and each gives a
first-order and a total index:

* **full** (``S_full``, ``ST_full``): the input with everything it brings along through its
  correlations. ``S_full_u = Var(E[Y | X_u]) / Var(Y)`` answers "how much of the variance would
  go if I learnt X_u"; it is Kucherenko et al.'s first-order index.
* **independent** (``S_ind``, ``ST_ind``): only the part of the input that the others do not
  predict. ``ST_ind_u = E[Var(Y | X_{-u})] / Var(Y)`` answers "how much variance is left when
  I know everything but X_u"; it is Kucherenko et al.'s total index.

In the Gaussian copula both readings are classical Sobol' indices of two independent blocks
(Mara et al. 2015): ``(z_u, w)`` with ``w = z_{-u} - E[z_{-u} | z_u]`` for the full indices,
``(e, z_{-u})`` with ``e = z_u - E[z_u | z_{-u}]`` for the independent ones. So each needs one
row per factor beside two independent rows ``A`` and ``B``
(:meth:`~som_mc.analysis.sensitivity.copula.JointInputs.couple`): ``C`` with ``z_u`` from ``B``
and the rest following it (full), ``C'`` with ``z_u`` drawn again given ``A``'s rest
(independent). With outputs centred by the mean of ``A`` and ``B`` and ``V`` their variance,

* first order (Saltelli et al. 2010): ``mean(f(B) (f(C) - f(A))) / V``,
* total (Jansen 1999): ``mean((f(A) - f(C))^2) / (2 V)``,

for ``n (2 + 2 D)`` model rows. Every index is a ratio of means over independent rows; its
standard error is the delta method's. With independent inputs ``C = C'`` is SALib's ``AB``
row, and both pairs are the classical ``S1`` and ``ST``.

:func:`linear_gaussian_indices` gives the four exactly for a linear model of Gaussian inputs.

References
----------
Kucherenko, S., Tarantola, S. & Annoni, P. (2012). Estimation of global sensitivity indices for
models with dependent variables. Computer Physics Communications, 183(4), 937-946.

Mara, T. A. & Tarantola, S. (2012). Variance-based sensitivity indices for models with
dependent inputs. Reliability Engineering & System Safety, 107, 115-121.

Mara, T. A., Tarantola, S. & Annoni, P. (2015). Non-parametric methods for global sensitivity
analysis of model output with dependent inputs. Environmental Modelling & Software, 72,
173-183.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from som_mc.analysis.sensitivity.copula import JointInputs, evaluate, players
from som_mc.analysis.sensitivity.shapley import (
    linear_gaussian,
    normal_half_width,
    ratio_estimate,
)
from som_mc.checks import confidence_level, whole_number

__all__ = ["INDICES", "CorrelatedSobolResult", "correlated_sobol", "linear_gaussian_indices"]

#: The four indices, in the order of :class:`CorrelatedSobolResult`'s arrays.
INDICES = ("S_full", "ST_full", "S_ind", "ST_ind")


@dataclass(frozen=True)
class CorrelatedSobolResult:
    """Full and independent first-order and total indices of every output.

    Attributes
    ----------
    names : tuple of str
        The factors: inputs, or groups of inputs.
    indices : ndarray, shape (4, n_outputs, n_factors)
        ``S_full``, ``ST_full``, ``S_ind``, ``ST_ind`` (:data:`INDICES`).
    se, lower, upper : ndarray, shape (4, n_outputs, n_factors)
        Standard errors and the normal interval at ``confidence``.
    variance : ndarray, shape (n_outputs,)
    method : str
    n : int
    evaluations : int
    confidence : float
    """

    names: tuple[str, ...]
    indices: np.ndarray
    se: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    variance: np.ndarray
    method: str
    n: int
    evaluations: int
    confidence: float

    def __post_init__(self) -> None:
        for value in vars(self).values():
            if isinstance(value, np.ndarray):
                value.flags.writeable = False

    def __getitem__(self, key: str) -> np.ndarray:
        """One index by name: ``res["S_full"]`` (n_outputs, n_factors)."""
        return self.indices[INDICES.index(key)]


def correlated_sobol(
    model: Callable[[np.ndarray], np.ndarray],
    joint: JointInputs,
    n: int,
    *,
    seed: int,
    groups: Sequence[str] | None = None,
    confidence: float = 0.95,
    chunk: int = 65_536,
    threads: int = 1,
) -> CorrelatedSobolResult:
    """Full and independent Sobol' indices by conditional sampling in the Gaussian copula.

    Parameters
    ----------
    model : callable
        ``model(x)``, ``x`` of shape (rows, d) in input units, returns (rows,) or
        (rows, n_outputs).
    joint : JointInputs
    n : int
        Base rows; the model runs on ``n (2 + 2 D)`` rows for D factors.
    seed : int
    groups : sequence of str, optional
        The group of each input: the indices are then of groups.
    confidence : float
    chunk, threads : int
        Model rows per call and threads calling it (the result does not depend on either).

    Returns
    -------
    CorrelatedSobolResult

    Examples
    --------
    >>> joint = JointInputs.normal([0, 0], [[1.0, 0.0], [0.0, 4.0]])
    >>> res = correlated_sobol(lambda x: x[:, 0] + x[:, 1], joint, 8192, seed=1)
    >>> np.round(res["S_full"], 1)  # independent: 1/5 and 4/5, as classical S1
    array([[0.2, 0.8]])
    """
    n = whole_number(n, "n", minimum=2)
    seed = whole_number(seed, "seed", minimum=0)
    confidence_level(confidence)
    n = int(n)
    names, cols = players(joint.d, joint.names, groups)
    p = len(cols)
    rng = np.random.default_rng(np.random.SeedSequence(int(seed)))
    a = joint.sample(rng, n)
    b = joint.sample(rng, n)
    blocks = [a, b]
    for u in cols:
        blocks.append(joint.couple(a, b, u, "set"))
        blocks.append(joint.couple(a, b, u, "rest"))
    z = np.concatenate(blocks)
    y = evaluate(model, joint, z, chunk=chunk, threads=threads)
    y = y - y[: 2 * n].mean(axis=0)
    y = y.reshape(2 + 2 * p, n, -1)
    ya, yb = y[0], y[1]
    total = 0.5 * (ya**2 + yb**2)  # per-row variance of A ∪ B around their mean
    out = []
    for kind in (0, 1):  # full ("set"), independent ("rest")
        yc = y[2 + kind :: 2]  # (p, n, O)
        first = np.moveaxis(yb[None] * (yc - ya[None]), 0, -1)  # (n, O, p)
        tot = np.moveaxis(0.5 * (ya[None] - yc) ** 2, 0, -1)
        out += [ratio_estimate(first, total), ratio_estimate(tot, total)]
    est = np.stack([o[0] for o in out])
    se = np.stack([o[1] for o in out])
    half = normal_half_width(se, confidence)
    return CorrelatedSobolResult(
        names=tuple(names),
        indices=est,
        se=se,
        lower=est - half,
        upper=est + half,
        variance=out[0][2],
        method=(
            "full and independent Sobol' indices (Kucherenko, Tarantola & Annoni 2012; "
            "Mara, Tarantola & Annoni 2015) by conditional sampling in the Gaussian copula; "
            "first order Saltelli et al. 2010, total Jansen 1999; "
            f"n = {n} base rows, {p} factors; standard errors by the delta method; "
            f"{100 * confidence:g} % normal interval"
        ),
        n=n,
        evaluations=z.shape[0],
        confidence=float(confidence),
    )


def linear_gaussian_indices(
    beta: Any, cov: Any, groups: Sequence[str] | None = None
) -> tuple[np.ndarray, float]:
    """Exact full and independent indices of ``Y = β₀ + βᵀX``, ``X ~ N(μ, Σ)``.

    ``S_full_u = ST_full_u = (Σ_u· β)ᵀ Σ_uu^{-1} (Σ_u· β) / V`` and
    ``S_ind_u = ST_ind_u = β_uᵀ (Σ_uu - Σ_u,-u Σ_-u,-u^{-1} Σ_-u,u) β_u / V`` with
    ``V = βᵀ Σ β``: a linear model has no interactions, so first order equals total in each
    reading (Mara & Tarantola 2012, §4).

    Returns
    -------
    indices : ndarray, shape (4, n_factors)
        In the order of :data:`INDICES`.
    variance : float
    """
    beta, cov, cols = linear_gaussian(beta, cov, groups)
    d = beta.size
    variance = float(beta @ cov @ beta)
    full, ind = [], []
    sb = cov @ beta
    for u in cols:
        rest = [c for c in range(d) if c not in u]
        full.append(sb[u] @ np.linalg.solve(cov[np.ix_(u, u)], sb[u]) / variance)
        cond = cov[np.ix_(u, u)]
        if rest:
            cond = cond - cov[np.ix_(u, rest)] @ np.linalg.solve(
                cov[np.ix_(rest, rest)], cov[np.ix_(rest, u)]
            )
        ind.append(beta[u] @ cond @ beta[u] / variance)
    full_a, ind_a = np.array(full), np.array(ind)
    return np.stack([full_a, full_a, ind_a, ind_a]), variance
