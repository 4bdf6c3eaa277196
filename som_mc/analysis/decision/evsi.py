"""Expected value of sample information for a local evaluation that follows n citizens.

A local evaluation follows n citizens of a running intervention and counts k successes,
binomial evidence on the success rate p (the same evidence ``som-mc update`` uses,
:mod:`som_mc.analysis.followup`). Its expected value is

    EVSI(n) = E_k[max_d E[NB_d | k]] − max_d E[NB_d],

what the decision is expected to gain from choosing after seeing k of n.

:func:`evsi` estimates it by the regression method of Strong, Oakley, Brennan & Breeze (2015),
"Estimating the expected value of sample information using the probabilistic sensitivity
analysis sample: a fast, nonparametric regression-based method", *Medical Decision Making*
35(5):570-583: for each draw i of the sample one study outcome k_i ~ Binomial(n, p_i) is
simulated from that draw's rate, and the net benefits are regressed on k_i (the number of
successes is a sufficient statistic of the study); the fitted values estimate E[NB | k] and
EVSI is the mean opportunity loss of the fitted values, as for EVPPI.

:func:`evsi_preposterior` computes the same quantity directly, with no regression: for each
possible k = 0..n, E[NB_d | k] is the average of the sample's net benefits weighted by the
binomial likelihood p_i^k (1 − p_i)^(n − k) of each draw's rate (for a Beta prior this is the
beta-binomial update of :mod:`som_mc.analysis.followup`, done by reweighting the prior draws),
and P(k) is the beta-binomial predictive probability for a Beta(a, b) prior or the average
binomial probability over the draws otherwise.

:func:`enbs` turns EVSI into the expected net benefit of sampling, EVSI(n) − (fixed cost +
cost per citizen × n), and the study size that maximises it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import xarray as xr
from scipy import stats

from som_mc.analysis.decision.psa import PSA
from som_mc.analysis.decision.voi import loss_summary, net_benefit_given
from som_mc.checks import whole_number
from som_mc.conventions import SAMPLE_SIZE, WTP
from som_mc.errors import InputError

__all__ = ["enbs", "evsi", "evsi_preposterior"]


def evsi(
    psa: PSA,
    rate: str,
    n: int | Sequence[int],
    wtp: Any = None,
    *,
    seed: int = 0,
    method: str = "auto",
) -> xr.Dataset:
    """EVSI of following n citizens and counting successes, by regression (Strong et al. 2015).

    Parameters
    ----------
    psa : PSA
        The probabilistic sample; ``rate`` must be one of its inputs, a rate in [0, 1].
    rate : str
        The input the study observes (the success rate, e.g. ``success.rate``).
    n : int or sequence of int
        Study sizes, each at least 1.
    wtp : array_like, optional
        As for :func:`som_mc.analysis.decision.evpi`.
    seed : int
        Seeds the simulated study outcomes (one stream per study size).
    method : {"auto", "spline"}
        The regression on k (a spline; at most 10 distinct k use the mean at each k).

    Returns
    -------
    xarray.Dataset
        ``evsi`` and ``evsi_se`` by ``sample_size`` (and ``wtp``); ``evppi`` (of the rate
        itself, the limit as n grows) and ``evpi``.
    """
    sizes, p = _sizes(n), _rate(psa, rate)
    seed = whole_number(seed, "seed", minimum=0)
    wtp = psa.check_wtp(wtp)
    n_w = 1 if wtp is None else wtp.size
    values = np.empty((sizes.size, n_w))
    ses = np.empty_like(values)
    for j, size in enumerate(sizes):
        rng = np.random.default_rng([seed, int(size)])
        k = rng.binomial(int(size), p).astype(np.float64)
        g = net_benefit_given(psa, k[:, None], wtp, method=method, seed=seed)
        values[j], ses[j] = loss_summary(g)
    g_rate = net_benefit_given(psa, p[:, None], wtp, method="spline")
    evppi_rate, _ = loss_summary(g_rate)
    evpi_all, _ = loss_summary(psa.net_benefit(wtp))
    return _dataset(psa, sizes, wtp, values, ses, evppi_rate, evpi_all, "regression")


def evsi_preposterior(
    psa: PSA,
    rate: str,
    n: int | Sequence[int],
    wtp: Any = None,
    *,
    prior: tuple[float, float] | None = None,
) -> xr.Dataset:
    """EVSI of a binomial study by the direct preposterior calculation (no regression).

    Parameters
    ----------
    psa, rate, n, wtp
        As for :func:`evsi`.
    prior : (float, float), optional
        The Beta(a, b) prior of the rate, if it is one: P(k) is then the exact beta-binomial
        probability; otherwise the mean over draws of the binomial probability.

    Returns
    -------
    xarray.Dataset
        As :func:`evsi`; ``evsi_se`` is NaN (this estimator's Monte Carlo error comes from
        the reweighted sample and is not estimated here; ``ess`` is the effective sample size
        1 / sum(w²) of the reweighted draws, averaged over k with weights P(k): it falls as n
        grows, and below a few hundred the direct value is noisy).
    """
    sizes, p = _sizes(n), _rate(psa, rate)
    if prior is not None:
        a, b = (float(v) for v in prior)
        if not (a > 0 and b > 0):
            raise InputError("prior", f"Beta({a:g}, {b:g}) needs a > 0 and b > 0")
    wtp = psa.check_wtp(wtp)
    nb = psa.net_benefit(wtp)  # (draws, options, W)
    flat = nb.reshape(nb.shape[0], -1)
    log_p, log_q = np.log(np.clip(p, 1e-300, 1)), np.log(np.clip(1 - p, 1e-300, 1))
    values = np.empty((sizes.size, nb.shape[2]))
    ess = np.empty(sizes.size)
    base = nb.mean(axis=0).max(axis=0)
    for j, size in enumerate(sizes):
        ks = np.arange(int(size) + 1)
        if prior is not None:
            pk = stats.betabinom.pmf(ks, int(size), a, b)
        else:
            pk = stats.binom.pmf(ks[:, None], int(size), p[None, :]).mean(axis=1)
        gain = np.zeros(nb.shape[2])
        mean_ess = 0.0
        for k, weight_k in zip(ks, pk, strict=True):
            if weight_k <= 0:
                continue
            logw = k * log_p + (size - k) * log_q
            w = np.exp(logw - logw.max())
            w /= w.sum()
            mean_ess += weight_k / float(np.sum(w**2))
            cond = (w @ flat).reshape(nb.shape[1], nb.shape[2])
            gain += weight_k * cond.max(axis=0)
        # Against the prior decision with the same P(k): by the tower rule sum_k P(k) E[NB|k]
        # is E[NB]; normalising by sum P(k) keeps rounding from making EVSI negative.
        values[j] = gain / pk.sum() - base
        ess[j] = mean_ess / pk.sum()
    evpi_all, _ = loss_summary(nb)
    g_rate = net_benefit_given(psa, p[:, None], wtp, method="spline")
    evppi_rate, _ = loss_summary(g_rate)
    ds = _dataset(
        psa, sizes, wtp, values, np.full_like(values, np.nan), evppi_rate, evpi_all, "direct"
    )
    ds["ess"] = (SAMPLE_SIZE, ess, {"long_name": "Effective sample size, mean over k by P(k)"})
    return ds


def enbs(
    evsi_ds: xr.Dataset,
    cost_per_citizen: float,
    fixed_cost: float = 0.0,
    *,
    population: float = 1.0,
) -> xr.Dataset:
    """Expected net benefit of sampling: population × EVSI(n) − (fixed + per citizen × n).

    Parameters
    ----------
    evsi_ds : xarray.Dataset
        A result of :func:`evsi` or :func:`evsi_preposterior`.
    cost_per_citizen, fixed_cost : float
        The study's costs, in the money of the sample, at least 0.
    population : float
        How many decisions the study informs: when the sample's net benefit is per citizen,
        the number of citizens the choice will affect (over the years it holds), so that the
        value of the study is EVSI per citizen times that number (Claxton & Posnett 1996,
        *Health Economics* 5(6):513-524, the population EVSI). Default 1: the sample's net
        benefit is already that of the whole decision.

    Returns
    -------
    xarray.Dataset
        ``enbs`` (and ``enbs_se``, both scaled by ``population``) by ``sample_size`` (and
        ``wtp``), ``study_cost`` by
        ``sample_size``, and ``best_size`` (the n of the highest ENBS) and ``worth_it`` (that
        ENBS is positive), by ``wtp`` if the sample has one.
    """
    if "evsi" not in evsi_ds:
        raise InputError("evsi_ds", "is not a result of evsi or evsi_preposterior")
    for name, value in (("cost_per_citizen", cost_per_citizen), ("fixed_cost", fixed_cost)):
        if not np.isfinite(value) or value < 0:
            raise InputError(name, f"{value!r} is not allowed; give a cost of 0 or more")
    if not np.isfinite(population) or population <= 0:
        raise InputError("population", f"{population!r} is not allowed; give a number above 0")
    size = evsi_ds[SAMPLE_SIZE]
    cost = fixed_cost + cost_per_citizen * size.astype(float)
    value = population * evsi_ds["evsi"] - cost
    best = value.idxmax(SAMPLE_SIZE)
    ds = xr.Dataset(
        {
            "enbs": value.assign_attrs(long_name="Expected net benefit of sampling"),
            "enbs_se": population * evsi_ds["evsi_se"],
            "study_cost": cost.assign_attrs(long_name="Cost of the study"),
            "best_size": best.assign_attrs(long_name="Study size with the highest ENBS"),
            "worth_it": (value.max(SAMPLE_SIZE) > 0).assign_attrs(long_name="Highest ENBS > 0"),
        }
    )
    ds.attrs.update(
        cost_per_citizen=float(cost_per_citizen),
        fixed_cost=float(fixed_cost),
        population=float(population),
    )
    return ds


def _sizes(n: int | Sequence[int]) -> np.ndarray:
    values = np.atleast_1d(np.asarray(n, dtype=object))
    out = np.array([whole_number(v, "n", minimum=1) for v in values], dtype=np.int64)
    if out.size == 0:
        raise InputError("n", "is empty; give one study size or more")
    if np.any(np.diff(out) <= 0):
        raise InputError("n", f"{out.tolist()} is not increasing; give increasing study sizes")
    return out


def _rate(psa: PSA, rate: str) -> np.ndarray:
    p = psa.input_columns(rate)[:, 0]
    if p.min() < 0 or p.max() > 1:
        raise InputError(
            "rate", f"{rate!r} runs from {p.min():g} to {p.max():g}; a rate is within [0, 1]"
        )
    return p


def _dataset(
    psa: PSA,
    sizes: np.ndarray,
    wtp: np.ndarray | None,
    values: np.ndarray,
    ses: np.ndarray,
    evppi_rate: np.ndarray,
    evpi_all: np.ndarray,
    how: str,
) -> xr.Dataset:
    money = {"units": psa.units}
    if wtp is None:
        dims, coords = (SAMPLE_SIZE,), {SAMPLE_SIZE: sizes}
        values, ses, evppi_rate, evpi_all = values[:, 0], ses[:, 0], evppi_rate[0], evpi_all[0]
        one: tuple[str, ...] = ()
    else:
        dims, coords = (SAMPLE_SIZE, WTP), {SAMPLE_SIZE: sizes, WTP: wtp}
        one = (WTP,)
    ds = xr.Dataset(
        {
            "evsi": (dims, values, {"long_name": "Expected value of sample information", **money}),
            "evsi_se": (dims, ses, {"long_name": "Monte Carlo standard error of evsi", **money}),
            "evppi": (one, evppi_rate, {"long_name": "EVPPI of the rate", **money}),
            "evpi": (one, evpi_all, {"long_name": "EVPI", **money}),
        },
        coords=coords,
    )
    ds[SAMPLE_SIZE].attrs["long_name"] = "Citizens followed by the study"
    ds.attrs.update(method=how, draws=psa.draws)
    return ds
