"""Correlated inputs for sensitivity analysis: marginals joined by a Gaussian copula, and the
conditional sampling that the Shapley effects and the full and independent Sobol' indices need.

Everything happens in normal-score space: ``z ~ N(0, R)`` with ``R`` the Pearson correlation of
the copula, ``x_i = F_i^{-1}(Φ(z_i))``. Conditioning on ``x_u`` is conditioning on ``z_u``
(each ``F_i^{-1} ∘ Φ`` is increasing), so every conditional law is the one of a multivariate
normal: ``z_v | z_u ~ N(K z_u, R_vv - K R_uv)`` with ``K = R_vu R_uu^{-1}``. A case's rank
correlations become ``R`` by Kruskal's ``r = 2 sin(π ρ_s / 6)``, as the case's own copula does
(:mod:`som_mc.inputs.case.inputs`, docs/model.md).

The estimators build every row they need from two independent rows ``A`` and ``B`` of
``N(0, R)`` and a column set ``u`` (:meth:`JointInputs.couple`):

* ``given="rest"``: ``C_u = B_u + K (A_{-u} - B_{-u})``, ``C_{-u} = A_{-u}`` with
  ``K = R_{u,-u} R_{-u,-u}^{-1}``: ``C_u`` is a fresh draw of ``z_u`` given ``A_{-u}``
  (``B_u - K B_{-u}`` is the residual of ``B_u``, independent of ``B_{-u}`` and of ``A``);
* ``given="set"``: ``C_u = B_u``, ``C_{-u} = A_{-u} + K (B_u - A_u)`` with
  ``K = R_{-u,u} R_{uu}^{-1}``: the rest of the row keeps ``A``'s residual given ``z_u`` and
  follows ``z_u`` through the correlation.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from som_mc.analysis.sensitivity.sobol import model_outputs
from som_mc.errors import InputError

__all__ = ["JointInputs", "evaluate", "players", "spearman_to_pearson"]

# Keeps inverse CDFs finite: Φ can round to 0 or 1 (as in som_mc.model.design).
_EPS = 1e-15


def spearman_to_pearson(spearman: np.ndarray) -> np.ndarray:
    """The Pearson correlation of the Gaussian copula with the given Spearman correlation.

    For a bivariate normal, ``ρ_s = (6/π) arcsin(r/2)``, so ``r = 2 sin(π ρ_s / 6)``
    (Kruskal 1958), the conversion of :func:`som_mc.inputs.case.inputs.collect_inputs`.
    """
    return 2.0 * np.sin(np.pi * np.asarray(spearman, dtype=float) / 6.0)


class JointInputs:
    """A joint distribution of ``d`` inputs: marginals and a Gaussian copula.

    Parameters
    ----------
    correlation : array_like, shape (d, d)
        Pearson correlation of the normal scores (the copula's matrix). Use
        :meth:`from_spearman` for rank correlations, :meth:`normal` for a multivariate normal.
    marginals : sequence or callable, optional
        One object with ``ppf`` per input (a :class:`som_mc.inputs.distributions.Distribution`
        or a frozen ``scipy.stats`` distribution), or a callable mapping uniforms of shape
        (rows, d) to inputs of that shape. None: standard normal inputs, scaled by ``mean`` and
        ``sd``.
    names : sequence of str, optional
        Input names; ``x0``, ``x1``, ... by default.
    mean, sd : array_like, optional
        With ``marginals=None``: the inputs are ``mean + sd z`` (a multivariate normal).

    Examples
    --------
    >>> joint = JointInputs.normal([0.0, 1.0], [[1.0, 0.5], [0.5, 4.0]])
    >>> joint.correlation.round(3).tolist()
    [[1.0, 0.25], [0.25, 1.0]]
    """

    def __init__(
        self,
        correlation: Any,
        marginals: Sequence[Any] | Callable[[np.ndarray], np.ndarray] | None = None,
        *,
        names: Sequence[str] | None = None,
        mean: Any = None,
        sd: Any = None,
    ) -> None:
        r = np.array(correlation, dtype=float)
        if r.ndim != 2 or r.shape[0] != r.shape[1] or r.shape[0] < 1:
            raise InputError("correlation", f"has shape {r.shape}; needs a square (d, d) matrix")
        d = r.shape[0]
        if not np.allclose(np.diag(r), 1.0) or not np.allclose(r, r.T):
            raise InputError("correlation", "must be symmetric with 1 on the diagonal")
        smallest = float(np.linalg.eigvalsh(r).min())
        if smallest <= 1e-10:
            raise InputError(
                "correlation", f"is not positive definite (smallest eigenvalue {smallest:.3g})"
            )
        self.correlation = r
        self.d = d
        self.names = tuple(f"x{i}" for i in range(d)) if names is None else tuple(names)
        if len(self.names) != d or len(set(self.names)) != d:
            raise InputError("names", f"{len(self.names)} names for {d} inputs; give d unique")
        if marginals is not None and not callable(marginals) and len(marginals) != d:
            raise InputError("marginals", f"{len(marginals)} marginals for {d} inputs")
        self.marginals = marginals
        self.mean = np.zeros(d) if mean is None else np.broadcast_to(np.asarray(mean, float), d)
        self.sd = np.ones(d) if sd is None else np.broadcast_to(np.asarray(sd, float), d)
        self._chol = np.linalg.cholesky(r)
        self._gains: dict[tuple[tuple[int, ...], str], np.ndarray] = {}

    @classmethod
    def normal(cls, mean: Any, cov: Any, names: Sequence[str] | None = None) -> JointInputs:
        """A multivariate normal ``N(mean, cov)``."""
        cov = np.asarray(cov, dtype=float)
        if cov.ndim != 2 or cov.shape[0] != cov.shape[1]:
            raise InputError("cov", f"has shape {cov.shape}; needs a square matrix")
        sd = np.sqrt(np.diag(cov))
        if not (sd > 0).all():
            raise InputError("cov", "has a variance that is not positive")
        return cls(cov / np.outer(sd, sd), None, names=names, mean=mean, sd=sd)

    @classmethod
    def from_spearman(
        cls,
        spearman: Any,
        marginals: Sequence[Any] | Callable[[np.ndarray], np.ndarray],
        names: Sequence[str] | None = None,
    ) -> JointInputs:
        """Marginals joined by the Gaussian copula with these rank (Spearman) correlations."""
        return cls(spearman_to_pearson(spearman), marginals, names=names)

    def sample(self, rng: np.random.Generator, rows: int) -> np.ndarray:
        """``rows`` independent normal-score rows ``z ~ N(0, R)``: (rows, d)."""
        return rng.standard_normal((rows, self.d)) @ self._chol.T

    def to_inputs(self, z: np.ndarray) -> np.ndarray:
        """Normal scores to input values: ``F_i^{-1}(Φ(z_i))`` (or ``mean + sd z``)."""
        if self.marginals is None:
            return self.mean + self.sd * z
        from scipy.special import ndtr

        u = np.clip(ndtr(z), _EPS, 1.0 - _EPS)
        if callable(self.marginals):
            return np.asarray(self.marginals(u), dtype=float)
        return np.column_stack([m.ppf(u[:, i]) for i, m in enumerate(self.marginals)])

    def couple(self, a: np.ndarray, b: np.ndarray, cols: Sequence[int], given: str) -> np.ndarray:
        """The row ``C`` built from rows ``a`` and ``b`` for the column set ``cols``.

        ``given="rest"``: ``C_u`` drawn given ``a``'s other columns; ``given="set"``: ``C_u``
        from ``b`` and the other columns follow it (see the module docstring).
        """
        u = tuple(sorted(int(c) for c in cols))
        rest = [c for c in range(self.d) if c not in u]
        c = a.copy()
        if given == "rest":
            c[:, u] = b[:, u]
            if rest:
                c[:, u] += (a[:, rest] - b[:, rest]) @ self._gain(u, "rest").T
        elif given == "set":
            c[:, u] = b[:, u]
            if rest:
                c[:, rest] += (b[:, u] - a[:, u]) @ self._gain(u, "set").T
        else:
            raise InputError("given", f"{given!r} is not 'rest' or 'set'")
        return c

    def _gain(self, u: tuple[int, ...], given: str) -> np.ndarray:
        """The regression matrix of ``z_u`` on the rest (``"rest"``) or of the rest on ``z_u``."""
        key = (u, given)
        if key not in self._gains:
            r = self.correlation
            rest = [c for c in range(self.d) if c not in u]
            if given == "rest":  # K = R_{u,-u} R_{-u,-u}^{-1}
                k = np.linalg.solve(r[np.ix_(rest, rest)], r[np.ix_(rest, u)]).T
            else:  # K = R_{-u,u} R_{uu}^{-1}
                k = np.linalg.solve(r[np.ix_(u, u)], r[np.ix_(u, rest)]).T
            self._gains[key] = k
        return self._gains[key]


def players(
    n_inputs: int, names: Sequence[str], groups: Sequence[str] | None
) -> tuple[list[str], list[list[int]]]:
    """The factors (players) of an analysis: each input, or each named group of inputs.

    Returns the factor names, in order of first appearance, and the columns of each.
    """
    if groups is None:
        return list(names), [[i] for i in range(n_inputs)]
    if isinstance(groups, str) or len(groups) != n_inputs:
        got = "a string" if isinstance(groups, str) else f"{len(groups)} groups"
        raise InputError("groups", f"{got} for {n_inputs} inputs; give one group per input")
    labels = [str(g) for g in groups]
    unique = list(dict.fromkeys(labels))
    if len(unique) < 2:
        raise InputError("groups", f"all inputs are in the group {unique[0]!r}; use two or more")
    return unique, [[i for i, g in enumerate(labels) if g == name] for name in unique]


def evaluate(
    model: Callable[[np.ndarray], np.ndarray],
    joint: JointInputs,
    z: np.ndarray,
    *,
    chunk: int = 65_536,
    threads: int = 1,
) -> np.ndarray:
    """The model on the inputs of normal-score rows ``z``: outputs of shape (rows, n_outputs).

    The rows are cut into chunks of ``chunk`` rows, evaluated on ``threads`` threads and put
    back in row order, so the outputs (and every index computed from them) do not depend on
    the number of threads. The random rows are all drawn before, from the seed alone.
    """
    rows = z.shape[0]
    starts = list(range(0, rows, max(1, int(chunk))))

    def one(start: int) -> np.ndarray:
        part = z[start : start + chunk]
        return model_outputs(model(joint.to_inputs(part)), part.shape[0])

    if threads > 1 and len(starts) > 1:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=int(threads)) as pool:
            parts = list(pool.map(one, starts))
    else:
        parts = [one(s) for s in starts]
    widths = {p.shape[1] for p in parts}
    if len(widths) > 1:
        raise InputError("model", f"returned {sorted(widths)} outputs in different calls")
    return np.concatenate(parts, axis=0)
