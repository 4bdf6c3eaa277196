"""Value of information for the decision to invest or not: EVPI and EVPPI.

The decision compares investing, with net benefit ``NB`` per Monte Carlo draw, to not
investing, with net benefit 0. The expected value of perfect information is what it would be
worth to learn every uncertain input before deciding,

    EVPI = E[max(NB, 0)] − max(E[NB], 0),

and the expected value of partial perfect information is the same for learning only one input
(or a group of inputs) X,

    EVPPI(X) = E[max(E[NB | X], 0)] − max(E[NB], 0).

E[NB | X] is estimated from the probabilistic sample itself by nonparametric regression of NB on
the sampled X (Strong, Oakley & Brennan 2014, *Medical Decision Making* 34(3):311-326): a
penalised regression spline for one input, Gaussian-process regression for a group.

Both quantities are computed in their "expected opportunity loss" form: with the decision
d* = [mean > 0] taken on current information, max(g, 0) − max(mean(g), 0) averages to the loss
max(−g, 0) if d* is to invest and max(g, 0) if not. That is the same number exactly (because
max(g, 0) = g + max(−g, 0)), but a mean of non-negative terms, so it cannot come out negative
from cancellation and needs no clipping at 0. Both regressions keep an unpenalised intercept,
so mean(g) equals mean(NB) (to rounding) and the decision on current information is the same
as for EVPI.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import scipy.linalg as sla
from numpy.typing import ArrayLike
from scipy.interpolate import BSpline
from scipy.optimize import minimize, minimize_scalar

from som_mc.checks import whole_number
from som_mc.errors import InputError

__all__ = ["MAX_FIT", "METHODS", "conditional_mean", "evpi", "evpi_se", "evppi"]

#: Regression methods for :func:`evppi`: ``"auto"`` is the spline for one input and the
#: Gaussian process for several.
METHODS: tuple[str, ...] = ("auto", "spline", "gp")

Method = Literal["auto", "spline", "gp"]

#: Most draws the Gaussian process fits its hyperparameters on, and offers as inducing points,
#: for a stable answer: up to this many draws it uses them all and the answer does not depend
#: on the seed. With a 500-draw subsample a noisy 3-input group's EVPPI at 2,000 draws moved by
#: 13 % between seeds (two optima of the likelihood, and the subsample chose between them); fit
#: on all 2,000 it did not move. The price: one likelihood evaluation at 2,000 draws takes about
#: 1 s on one core and the search needs about 15, so :func:`evppi` keeps the faster
#: ``max_fit=500`` default (a case's value of information with groups at 5,000 draws took 16 s
#: with it and 186 s with 2,000) and :mod:`som_mc.analysis.decision` uses this one.
MAX_FIT: int = 2000

# An input with this many distinct values or fewer is treated as discrete: E[NB | x] is the
# mean of NB at each value, which is exact and needs no smoothing (a spline cannot be fitted
# through 2 points anyway).
_DISCRETE_LEVELS = 10

# Interior knots of the cubic regression spline, at quantiles of x. GCV chooses the smoothness,
# so the number only bounds the flexibility; 24 (28 basis functions) is well above mgcv's
# default of 10 that Strong et al. used, and costs nothing at 10^5 draws.
_SPLINE_KNOTS = 24

# Gaussian process: hyperparameter bounds on standardised inputs and output. Above 100 sd an
# input acts only through the linear mean; short lengthscales are kept away by a prior (see
# _gp_objective), the bound only keeps the search finite. The nugget nu is the
# noise-to-signal variance ratio; its floor keeps R + nu I well conditioned when NB is an exact
# function of the group (nu -> 0) and costs a negligible amount of smoothing.
_LOG_ELL_BOUNDS = (np.log(0.05), np.log(100.0))
_LOG_NU_BOUNDS = (np.log(1e-6), np.log(1e3))
# Scale of the lengthscale prior (see _gp_objective).
_GP_ELL0 = 0.5
# Starting points (lengthscale, nugget) for the multi-start search on a small subsample.
# Measured on a noisy 4-input group: one start alone could stop in the flat "no signal" region
# (nu at its upper bound) and give an EVPPI 20 % low; with three the seeds agreed within 2 %.
_GP_STARTS = ((1.0, 0.1), (3.0, 1.0), (0.5, 0.01))
_GP_RESTART_DRAWS = 250
# Pivoted-Cholesky tolerance choosing the inducing points (unexplained prior variance, in units
# of the signal variance).
_GP_INDUCING_TOL = 1e-6
# Rows per chunk when crossing all draws with the inducing points: 2048 x 1500 doubles = 25 MB.
_GP_CHUNK = 2048


def evpi(nb: ArrayLike) -> float | np.ndarray:
    """Expected value of perfect information for investing (net benefit ``nb``) or not (0).

    Parameters
    ----------
    nb : array_like, shape (draws,) or (draws, n_outputs)
        Net benefit of investing per Monte Carlo draw, in money (for example DKK at the case's
        price year); one column per output (total, each actor).

    Returns
    -------
    float or numpy.ndarray
        E[max(NB, 0)] − max(E[NB], 0) over the draws, in the unit of ``nb``: a float for 1-d
        ``nb``, else one value per column.

    See Also
    --------
    evpi_se : its Monte Carlo standard error.

    Examples
    --------
    NB ~ N(100, 1000²): the closed form is 1000 φ(0.1) − 100 Φ(−0.1) = 350.6.

    >>> nb = np.random.default_rng(1).normal(100.0, 1000.0, size=100_000)
    >>> print(f"{evpi(nb):.0f} ± {evpi_se(nb):.0f}")
    351 ± 2
    """
    values, one = _net_benefit(nb)
    return _per_output(_opportunity_loss(values).mean(axis=0), one)


def evpi_se(nb: ArrayLike) -> float | np.ndarray:
    """Monte Carlo standard error of :func:`evpi`.

    It is sd(loss) / sqrt(draws) for the opportunity loss of the decision taken on current
    information. It ignores the chance that another sample would take the other decision, so it
    is too small when E[NB] is within about two of its own standard errors of 0 (there EVPI is
    close to its maximum and the estimate is biased downwards by a fraction of sd(NB)/sqrt(draws)).

    Parameters
    ----------
    nb : array_like, shape (draws,) or (draws, n_outputs)
        As for :func:`evpi`; at least 2 draws.

    Returns
    -------
    float or numpy.ndarray
        Standard error in the unit of ``nb``, one per column.
    """
    values, one = _net_benefit(nb)
    loss = _opportunity_loss(values)
    return _per_output(loss.std(axis=0, ddof=1) / np.sqrt(loss.shape[0]), one)


def evppi(
    nb: ArrayLike,
    x: ArrayLike,
    method: Method = "auto",
    *,
    seed: int = 0,
    max_fit: int = 500,
    max_inducing: int = 1000,
) -> float | np.ndarray:
    """Expected value of partial perfect information for one input or a group of inputs.

    E[NB | x] is estimated by regressing NB on the sampled ``x`` over the same draws (Strong,
    Oakley & Brennan 2014), then EVPPI = mean(max(g, 0)) − max(mean(g), 0) for the fitted g.

    Parameters
    ----------
    nb : array_like, shape (draws,) or (draws, n_outputs)
        Net benefit of investing per draw; one column per output (total, each actor). Each
        column gets its own regression, so the result equals column-by-column calls.
    x : array_like, shape (draws,) or (draws, k)
        Sampled values of the input, or of a group of k inputs learnt together, in the same
        draws as ``nb``.
    method : {"auto", "spline", "gp"}
        ``"spline"``: a cubic regression spline (up to 28 B-splines, knots at quantiles of x)
        with a curvature penalty whose weight is chosen by generalised cross-validation (one
        input only; an input with at most 10 distinct values uses the mean of NB at each).
        ``"gp"``: Gaussian-process regression with a linear mean, a squared-exponential kernel
        with one lengthscale per input and a noise term, hyperparameters by maximum marginal
        likelihood on all draws, or on ``max_fit`` of them when there are more, and the
        posterior mean from all draws.
        ``"auto"`` (default): spline for one input, Gaussian process for several.
    seed : int
        Seeds the choice of the ``max_fit`` draws the Gaussian process is fitted on when there
        are more draws than ``max_fit`` or ``max_inducing``; with fewer, every draw is used and
        the seed plays no part. The spline uses no randomness. The same inputs and seed give
        the same result.
    max_fit : int
        Most draws used to fit the Gaussian process hyperparameters (at least 20); each
        likelihood evaluation costs O(min(draws, ``max_fit``)³). For an answer that does not
        move with the seed at up to 2,000 draws use :data:`MAX_FIT` (slower; see there).
    max_inducing : int
        Most draws offered as inducing points for the Gaussian-process posterior mean (at
        least 20); those needed are chosen by pivoted Cholesky, and the cost is
        O(draws × used²).

    Returns
    -------
    float or numpy.ndarray
        EVPPI in the unit of ``nb``: a float for 1-d ``nb``, else one value per column.
        Always >= 0. It is not clipped at EVPI: regression error biases it slightly upwards,
        and a value above :func:`evpi` shows that bias, which clipping would hide.

    Raises
    ------
    InputError
        If ``nb`` or ``x`` is not a finite numeric array of a shape above, their numbers of
        draws differ, ``method`` is unknown, ``"spline"`` is asked for several inputs, or
        ``seed``, ``max_fit`` or ``max_inducing`` is not an allowed integer.

    Notes
    -----
    Any regression estimate of EVPPI is biased upwards by the regression's own noise, and
    more so when the group explains little of NB's variance and draws are few; 10^4 draws or
    more are advisable for a group.

    The Gaussian process assumes E[NB | group] is smooth on the scale of the inputs' spread.
    It is not suited to more than about 6 inputs, to discrete inputs with few values, or to a
    sharp kink; compare another ``seed`` or a larger ``max_fit`` when in doubt.

    Measured on 2 cores: one input at 10^5 draws takes 0.06 s; a group of 2 to 6 inputs at
    10^4 draws 0.9-1.7 s per output column, most of it the hyperparameter search, and at 10^5
    draws 1-4 s (the posterior mean grows with draws x inducing points used).

    Examples
    --------
    NB = X1 + X2 with independent standard normal X1, X2: E[NB | X1] = X1, so the exact EVPPI
    of X1 is φ(0) = 0.399 and that of both is EVPI = sqrt(2) φ(0) = 0.564 (this sample's EVPI
    is 0.558 ± 0.008).

    >>> rng = np.random.default_rng(2)
    >>> x1, x2 = rng.normal(size=(2, 10_000))
    >>> nb = x1 + x2
    >>> print(f"{evppi(nb, x1):.3f} {evppi(nb, np.c_[x1, x2]):.3f} {evpi(nb):.3f}")
    0.396 0.558 0.558
    """
    values, one = _net_benefit(nb)
    inputs = _inputs(x, values.shape[0])
    method, seed, max_fit, max_inducing = _method_args(inputs, method, seed, max_fit, max_inducing)
    g = _fitted(inputs, values, method, seed, max_fit, max_inducing)
    return _per_output(_opportunity_loss(g).mean(axis=0), one)


def _method_args(
    inputs: np.ndarray, method: str, seed: object, max_fit: object, max_inducing: object
) -> tuple[str, int, int, int]:
    """The regression method (``"auto"`` resolved) and the checked integers."""
    if method not in METHODS:
        raise InputError("method", f"{method!r} is unknown; use one of {', '.join(METHODS)}")
    seed = whole_number(seed, "seed", minimum=0)
    max_fit = whole_number(max_fit, "max_fit", minimum=20)
    max_inducing = whole_number(max_inducing, "max_inducing", minimum=20)
    if method == "spline" and inputs.shape[1] > 1:
        raise InputError(
            "method", f"'spline' takes one input, x has {inputs.shape[1]}; use 'gp' or 'auto'"
        )
    if method == "auto":
        method = "spline" if inputs.shape[1] == 1 else "gp"
    if method == "gp" and inputs.shape[0] < inputs.shape[1] + 3:
        raise InputError(
            "x", f"has {inputs.shape[0]} draws, too few for {inputs.shape[1]} inputs; use more"
        )
    return method, int(seed), int(max_fit), int(max_inducing)


def conditional_mean(
    y: ArrayLike,
    x: ArrayLike,
    method: Method = "auto",
    *,
    seed: int = 0,
    max_fit: int = MAX_FIT,
    max_inducing: int = MAX_FIT,
) -> np.ndarray:
    """E[y | x] at every draw, by the regression :func:`evppi` uses.

    The building block of the value of information for several options
    (:mod:`som_mc.analysis.decision`): regress each option's incremental net benefit (or its
    incremental costs and effects) on the inputs learnt, then take the maximum over options.

    Parameters
    ----------
    y : array_like, shape (draws,) or (draws, n_columns)
        The quantity per draw, each column regressed on its own.
    x, method, seed, max_fit, max_inducing
        As for :func:`evppi`.

    Returns
    -------
    numpy.ndarray, shape (draws, n_columns)
        The fitted conditional mean; its column means equal those of ``y`` to rounding (both
        regressions keep an unpenalised intercept).

    Raises
    ------
    InputError
        As for :func:`evppi`, naming ``y`` where it names ``nb``.
    """
    try:
        values, _ = _net_benefit(y)
    except InputError as err:
        raise InputError("y", err.message) from None
    inputs = _inputs(x, values.shape[0])
    method, seed, max_fit, max_inducing = _method_args(inputs, method, seed, max_fit, max_inducing)
    return _fitted(inputs, values, method, seed, max_fit, max_inducing)


def _fitted(
    inputs: np.ndarray, values: np.ndarray, method: str, seed: int, max_fit: int, max_inducing: int
) -> np.ndarray:
    if method == "spline":
        return _spline_conditional_mean(inputs[:, 0], values)
    return _gp_conditional_mean(
        inputs, values, seed=seed, max_fit=max_fit, max_inducing=max_inducing
    )


# --- arguments and the loss -------------------------------------------------------------------


def _net_benefit(nb: ArrayLike) -> tuple[np.ndarray, bool]:
    """``nb`` as a finite float array (draws, n_outputs), and whether it was 1-d."""
    values = _numeric("nb", nb)
    if values.ndim not in (1, 2):
        raise InputError("nb", f"has shape {values.shape}; use (draws,) or (draws, n_outputs)")
    one = values.ndim == 1
    values = values[:, None] if one else values
    if values.shape[0] < 2 or values.shape[1] < 1:
        raise InputError("nb", f"has shape {values.shape}; it needs at least 2 draws and 1 output")
    return values, one


def _inputs(x: ArrayLike, draws: int) -> np.ndarray:
    """``x`` as a finite float array (draws, k) with as many draws as ``nb``."""
    inputs = _numeric("x", x)
    if inputs.ndim not in (1, 2):
        raise InputError("x", f"has shape {inputs.shape}; use (draws,) or (draws, k)")
    inputs = inputs[:, None] if inputs.ndim == 1 else inputs
    if inputs.shape[0] != draws:
        raise InputError("x", f"has {inputs.shape[0]} draws but nb has {draws}; they must match")
    if inputs.shape[1] < 1:
        raise InputError("x", "has no input columns")
    return inputs


def _numeric(field: str, value: ArrayLike) -> np.ndarray:
    """A finite float array, or an :class:`InputError` naming ``field``."""
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError) as exc:
        raise InputError(field, f"is not an array of numbers ({exc})") from None
    if not np.all(np.isfinite(array)):
        bad = int(np.size(array) - np.count_nonzero(np.isfinite(array)))
        raise InputError(field, f"has {bad} NaN or infinite values; every draw must be finite")
    return array


def _opportunity_loss(values: np.ndarray) -> np.ndarray:
    """Loss per draw of the decision taken on the mean of each column (see the module notes)."""
    invest = values.mean(axis=0) > 0
    return np.where(invest, np.maximum(-values, 0.0), np.maximum(values, 0.0))


def _per_output(result: np.ndarray, one: bool) -> float | np.ndarray:
    """A float for a 1-d ``nb``, else the array of one value per column."""
    return float(result[0]) if one else result


# --- one input: penalised regression spline ---------------------------------------------------


def _spline_conditional_mean(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """E[y | x] at every draw, each column of ``y`` (draws, n) smoothed on its own."""
    levels, where, counts = np.unique(x, return_inverse=True, return_counts=True)
    if levels.size <= _DISCRETE_LEVELS:
        # Constant x falls here too: one level, g = mean(y), EVPPI exactly 0.
        sums = np.stack([np.bincount(where, weights=col) for col in y.T], axis=1)
        return (sums / counts[:, None])[where]

    # Knots at quantiles of x put basis functions where the draws are (a skewed price or a
    # lognormal effect would otherwise leave most knots in an empty tail). Ties need no special
    # handling: a regression spline has far fewer coefficients than distinct x values.
    u = (x - levels[0]) / (levels[-1] - levels[0])
    n_inner = min(_SPLINE_KNOTS, levels.size - 4)
    inner = np.unique(np.quantile(u, np.linspace(0.0, 1.0, n_inner + 2)[1:-1]))
    inner = inner[(inner > 0.0) & (inner < 1.0)]
    knots = np.r_[np.zeros(4), inner, np.ones(4)]
    basis = BSpline.design_matrix(u, knots, 3)  # sparse (draws, n_basis), 4 non-zeros a row
    n_basis = basis.shape[1]

    btb = (basis.T @ basis).toarray()
    bty = np.asarray(basis.T @ y)
    penalty = _curvature_penalty(knots, n_basis)

    # Demmler-Reinsch: in the basis Q = B R⁻¹ U (orthonormal over the draws) the penalised
    # fit shrinks coordinate i by 1 / (1 + lam s_i), so GCV costs O(n_basis) per lam. The tiny
    # ridge only guards against a basis function with (almost) no draws under it.
    ridge = 1e-10 * np.trace(btb) / n_basis
    r = sla.cholesky(btb + ridge * np.eye(n_basis), lower=False)
    r_inv_t_pen = sla.solve_triangular(r, penalty, trans="T", lower=False)
    s, rot = sla.eigh(sla.solve_triangular(r, r_inv_t_pen.T, trans="T", lower=False))
    s = np.clip(s, 0.0, None)
    z = rot.T @ sla.solve_triangular(r, bty, trans="T", lower=False)  # (n_basis, n)
    to_coef = sla.solve_triangular(r, rot, lower=False)  # coefficients = to_coef @ shrunk z
    # Residual of the unpenalised fit computed directly: y'y − |z|² would cancel badly when
    # NB is (almost) an exact function of x.
    rss0 = ((y - basis @ (to_coef @ z)) ** 2).sum(axis=0)

    draws = x.size
    s_max = s.max()
    if s_max <= 0.0:  # cannot happen with >= 5 distinct knots, but stay finite if it does
        return np.asarray(basis @ (to_coef @ z))
    s_pos = s[s > 1e-12 * s_max]
    log_lo, log_hi = np.log(1e-4 / s_max), np.log(1e4 / s_pos.min())
    grid = np.linspace(log_lo, log_hi, 200)

    g = np.empty_like(y)
    for j in range(y.shape[1]):
        z2 = z[:, j] ** 2

        def gcv(log_lam: float, z2: np.ndarray = z2, j: int = j) -> float:
            ls = np.exp(log_lam) * s
            shrink = ls / (1.0 + ls)
            rss = rss0[j] + float(np.dot(z2, shrink**2))
            edf = float(np.sum(1.0 / (1.0 + ls)))
            return draws * rss / (draws - edf) ** 2

        scores = [gcv(v) for v in grid]
        best = int(np.argmin(scores))
        lo, hi = grid[max(best - 1, 0)], grid[min(best + 1, grid.size - 1)]
        refined = minimize_scalar(gcv, bounds=(lo, hi), method="bounded")
        log_lam = float(refined.x) if refined.fun <= scores[best] else float(grid[best])
        coef = to_coef @ (z[:, j] / (1.0 + np.exp(log_lam) * s))
        g[:, j] = basis @ coef
    return g


def _curvature_penalty(knots: np.ndarray, n_basis: int) -> np.ndarray:
    """∫ B_i''(u) B_j''(u) du over [0, 1] for the cubic B-spline basis on ``knots``."""
    # B'' is linear on each knot interval, so the products are quadratics and 2-point
    # Gauss-Legendre on each interval integrates them exactly.
    breaks = np.unique(knots)
    mid, half = (breaks[1:] + breaks[:-1]) / 2, (breaks[1:] - breaks[:-1]) / 2
    offset = half / np.sqrt(3.0)
    nodes = np.concatenate([mid - offset, mid + offset])
    weights = np.concatenate([half, half])
    second = BSpline(knots, np.eye(n_basis), 3).derivative(2)(nodes)  # (nodes, n_basis)
    return second.T @ (weights[:, None] * second)


# --- a group of inputs: Gaussian-process regression -------------------------------------------


def _gp_conditional_mean(
    x: np.ndarray, y: np.ndarray, *, seed: int, max_fit: int, max_inducing: int
) -> np.ndarray:
    """E[y | x] at every draw by Gaussian-process regression, each column of ``y`` on its own."""
    # The GP's matrices are a few hundred wide: OpenBLAS's threads cost more than they give
    # (measured 2x slower on 2 threads), and on a busy machine they oversubscribe the cores
    # (a 7 s analysis took 190 s beside other processes). One BLAS thread, then.
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        return _gp_conditional_mean_1(x, y, seed=seed, max_fit=max_fit, max_inducing=max_inducing)


def _gp_conditional_mean_1(
    x: np.ndarray, y: np.ndarray, *, seed: int, max_fit: int, max_inducing: int
) -> np.ndarray:
    z = _standardised_independent(x)
    g = np.empty_like(y)
    if z.shape[1] == 0:  # every input constant: nothing is learnt, g = mean, EVPPI = 0
        g[:] = y.mean(axis=0)
        return g
    draws = z.shape[0]
    # One random order of the draws, the same for every column, so that a multi-column call
    # equals column-by-column calls. Its head is the restart subsample, then the
    # hyperparameter sample, then the candidate inducing points: nested, so a larger
    # max_fit refines the same fit.
    # With no more draws than max_fit and max_inducing every draw is used and the order only
    # picks the restart subsample; a fixed one makes the answer independent of the seed.
    few = draws <= min(max_fit, max_inducing)
    order = np.random.default_rng(0 if few else seed).permutation(draws)
    start = order[: min(draws, _GP_RESTART_DRAWS, max_fit)]
    fit = order[: min(draws, max_fit)]
    inducing = order[: min(draws, max_inducing)]
    h = np.column_stack([np.ones(draws), z])
    for j in range(y.shape[1]):
        centre, scale = y[:, j].mean(), y[:, j].std()
        if scale == 0.0:
            g[:, j] = centre
            continue
        ys = (y[:, j] - centre) / scale
        theta = _gp_hyperparameters(z, ys, h, start, fit)
        g[:, j] = centre + scale * _gp_posterior_mean(z, ys, h, inducing, theta)
    return g


def _standardised_independent(x: np.ndarray) -> np.ndarray:
    """Columns of ``x`` scaled to mean 0, sd 1, without constant or linearly dependent ones."""
    sd = x.std(axis=0)
    keep = sd > 1e-12 * np.maximum(np.abs(x).max(axis=0), 1e-300)
    z = (x[:, keep] - x[:, keep].mean(axis=0)) / sd[keep]
    if z.shape[1] > 1:
        # A column that is a linear combination of others carries no new information and would
        # make the linear mean singular (SAVI removes them too).
        _, r, piv = sla.qr(z, mode="economic", pivoting=True)
        diag = np.abs(np.diag(r))
        z = z[:, np.sort(piv[diag > 1e-8 * diag[0]])]
    return z


def _sqdist(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Squared Euclidean distances between rows of ``a`` and rows of ``b``."""
    d = (a**2).sum(axis=1)[:, None] + (b**2).sum(axis=1)[None, :] - 2.0 * (a @ b.T)
    return np.maximum(d, 0.0)


def _gp_hyperparameters(
    z: np.ndarray, y: np.ndarray, h: np.ndarray, start: np.ndarray, fit: np.ndarray
) -> np.ndarray:
    """Log lengthscales and log nugget maximising the marginal posterior on ``fit`` draws."""
    k = z.shape[1]
    bounds = [_LOG_ELL_BOUNDS] * k + [_LOG_NU_BOUNDS]
    # The objective is per draw: gtol 1e-5 is a total gradient of 0.005 at 500 draws, ftol a
    # relative change of 1e-9; the hyperparameters are only needed to about 1 %.
    options = {"maxiter": 200, "ftol": 1e-9, "gtol": 1e-5}
    # The multi-start is on a small subsample, where an evaluation is O(250³); only the best
    # start is refined on all ``fit`` draws, where it is O(max_fit³).
    found = []
    for ell, nu in _GP_STARTS:
        theta0 = np.r_[np.full(k, np.log(ell)), np.log(nu)]
        res = minimize(
            _gp_objective,
            theta0,
            args=(z[start], y[start], h[start]),
            jac=True,
            method="L-BFGS-B",
            bounds=bounds,
            options=options,
        )
        found.append(res)
    if fit.size == start.size:
        return min(found, key=lambda r: r.fun).x
    # The starts' optima are compared on the ``fit`` draws, not on the small subsample: two
    # optima of about equal height there (a smooth and a wiggly fit) gave group EVPPIs 13 %
    # apart, and which one won depended on the seed of the subsample.
    scores = [_gp_objective(r.x, z[fit], y[fit], h[fit])[0] for r in found]
    best = found[int(np.argmin(scores))]
    res = minimize(
        _gp_objective,
        best.x,
        args=(z[fit], y[fit], h[fit]),
        jac=True,
        method="L-BFGS-B",
        bounds=bounds,
        options=options,
    )
    return res.x


def _gp_objective(
    theta: np.ndarray, z: np.ndarray, y: np.ndarray, h: np.ndarray
) -> tuple[float, np.ndarray]:
    """Minus the log marginal posterior of (log lengthscales, log nugget), and its gradient.

    The model is y = H beta + f + e with f ~ GP(0, sigma² R), e ~ N(0, sigma² nu I),
    R_ab = exp(−sum_j (z_aj − z_bj)² / ell_j²), H = [1, z], and beta and sigma² integrated out
    under flat priors (Strong et al. 2014, appendix; Oakley & O'Hagan 2004):

        log p = −½ log|A| − ½ log|H'A⁻¹H| − (m − q)/2 log(y'Py),   A = R + nu I,

    with P = A⁻¹ − A⁻¹H(H'A⁻¹H)⁻¹H'A⁻¹. Its derivative in theta is
    −½ sum((P − c u u') ∘ dA/dtheta) with u = P y and c = (m − q) / y'Py.
    """
    m, k = z.shape
    q = h.shape[1]
    ell = np.exp(theta[:k])
    nu = np.exp(theta[k])
    zs = z / ell
    r = np.exp(-_sqdist(zs, zs))
    a = r.copy()
    a[np.diag_indices(m)] += nu
    chol, info = sla.lapack.dpotrf(a, lower=1, clean=1)
    if info != 0:  # not reached with nu >= 1e-6, but keep the optimiser away if it is
        return 1e300, np.zeros_like(theta)
    lower, _ = sla.lapack.dpotri(chol, lower=1)  # A⁻¹ in the lower triangle, zeros above
    a_inv = lower + lower.T
    a_inv[np.diag_indices(m)] *= 0.5
    a_inv_h = a_inv @ h
    hah = h.T @ a_inv_h
    hah_chol, info = sla.lapack.dpotrf(hah + 1e-10 * np.trace(hah) / q * np.eye(q), lower=1)
    if info != 0:  # an input constant within this subsample (a rare discrete value)
        return 1e300, np.zeros_like(theta)
    proj, _ = sla.lapack.dpotrs(hah_chol, a_inv_h.T, lower=1)  # (H'A⁻¹H)⁻¹ H'A⁻¹
    p = a_inv - a_inv_h @ proj
    u = p @ y
    # Floor y'Py: when y is an exact linear function of z it is ~0 and its log is -inf.
    ypy = max(float(y @ u), 1e-12 * m)
    log_post = (
        -np.sum(np.log(np.diag(chol)))
        - np.sum(np.log(np.diag(hah_chol)))
        - 0.5 * (m - q) * np.log(ypy)
    )
    c = (m - q) / ypy
    w = (p - c * np.outer(u, u)) * r
    # sum_ab w_ab (z_aj − z_bj)² = 2 sum_a z_aj² (row sum of w)_a − 2 z_j' w z_j, w symmetric
    row = w.sum(axis=1)
    quad = np.einsum("aj,aj->j", z, w @ z)
    weighted = 2.0 * (z**2).T @ row - 2.0 * quad
    grad = np.empty_like(theta)
    grad[:k] = -weighted / ell**2
    grad[k] = -0.5 * nu * (np.trace(p) - c * float(u @ u))
    # Weakly informative prior on each lengthscale, p(ell) ∝ exp(−(ell0 / ell)²): flat above
    # ell0 (= 0.5 sd), −1 at ell0, −25 at ell0 / 5. Without it, ell -> 0 (R -> I, the same as
    # the nugget) and wiggly fits to noise are maxima too; in testing they raised the EVPPI of
    # a group NB does not depend on to 6 % of EVPI; with the prior it is below 0.5 %.
    ratio2 = (_GP_ELL0 / ell) ** 2
    log_post -= np.sum(ratio2)
    grad[:k] += 2.0 * ratio2
    # Per draw, so that the first L-BFGS-B step (the size of the gradient) stays inside the
    # bounds instead of jumping to a corner where the posterior is flat.
    return -float(log_post) / m, -grad / m


def _gp_posterior_mean(
    z: np.ndarray, y: np.ndarray, h: np.ndarray, candidates: np.ndarray, theta: np.ndarray
) -> np.ndarray:
    """Posterior mean at every draw, from every draw, with inducing points among ``candidates``.

    The exact posterior mean from all draws needs a draws x draws matrix (800 MB at 10^4).
    The subset-of-regressors (Nyström) approximation writes f = Φ w with features
    Φ = K(x, inducing) L⁻ᵀ, L Lᵀ = K(inducing, inducing), and prior w ~ N(0, sigma² I); the
    posterior mean is then the ridge regression

        minimise |y − H beta − Φ w|² + nu |w|²,

    which needs m² memory and draws x m² time for m inducing points, accumulated over chunks
    of draws. The unpenalised intercept in H makes mean(g) = mean(y).

    The inducing points are chosen from the candidates by pivoted Cholesky (greedily, the
    candidate the others predict worst, until the prior variance left unexplained is below
    1e-6 of the signal's): a smooth fit in few active inputs needs only ~100 of them, and the
    candidates it leaves out would change the posterior mean by less than that.
    """
    k = z.shape[1]
    ell = np.exp(theta[:k])
    nu = np.exp(theta[k])
    zs = z / ell
    zc = zs[candidates]
    kcc = np.exp(-_sqdist(zc, zc))
    factor, piv, rank, info = sla.lapack.dpstrf(kcc, tol=_GP_INDUCING_TOL, lower=1)
    if info < 0:  # pragma: no cover - LAPACK argument error
        raise np.linalg.LinAlgError(f"dpstrf failed with info {info}")
    chol = np.tril(factor[:rank, :rank])
    zi = zc[piv[:rank] - 1]  # LAPACK pivots count from 1
    m, q, draws = rank, h.shape[1], z.shape[0]

    # Φ is formed chunk by chunk by a triangular solve rather than as L⁻¹ (K'K) L⁻ᵀ: the
    # latter squares the conditioning of L and lost positive definiteness in testing when the
    # nugget is at its floor (NB an exact function of the group).
    ptp = np.zeros((m, m))
    pty = np.zeros(m)
    pth = np.zeros((m, q))
    for lo in range(0, draws, _GP_CHUNK):
        part = slice(lo, lo + _GP_CHUNK)
        phi_t = sla.solve_triangular(chol, np.exp(-_sqdist(zi, zs[part])), lower=True)
        ptp += phi_t @ phi_t.T
        pty += phi_t @ y[part]
        pth += phi_t @ h[part]
    ptp = 0.5 * (ptp + ptp.T)

    system = np.block([[h.T @ h, pth.T], [pth, ptp + nu * np.eye(m)]])
    rhs = np.r_[h.T @ y, pty]
    scale = np.trace(system) / system.shape[0]
    for jitter in (0.0, 1e-12, 1e-10, 1e-8):
        lower, info = sla.lapack.dpotrf(system + jitter * scale * np.eye(m + q), lower=1)
        if info == 0:
            break
    else:  # pragma: no cover - the nugget keeps the system positive definite
        raise np.linalg.LinAlgError("Gaussian-process system is not positive definite")
    sol, _ = sla.lapack.dpotrs(lower, rhs, lower=1)
    beta, w = sol[:q], sol[q:]
    alpha = sla.solve_triangular(chol, w, lower=True, trans="T")

    g = h @ beta
    for lo in range(0, draws, _GP_CHUNK):
        part = slice(lo, lo + _GP_CHUNK)
        g[part] += np.exp(-_sqdist(zs[part], zi)) @ alpha
    return g
