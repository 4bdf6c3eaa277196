"""Value of information for a decision between any number of options: EVPI and EVPPI.

For options d with net benefit NB_d per draw (at a willingness to pay λ when the sample has
costs and effects, NB_d = λ E_d − C_d):

- ``evpi`` = E[max_d NB_d] − max_d E[NB_d], what learning every input before choosing is
  worth (Briggs, Claxton & Sculpher 2006, *Decision Modelling for Health Economic Evaluation*,
  ch. 7). Against a known current net benefit c (the expected net benefit of the decision as
  it stands, known from elsewhere) it is E[max_d NB_d] − c (Jackson, voi package vignette
  "voi for Value of Information calculation: package overview", section on EVPI);
- ``evppi`` of an input or a group X = E[max_d E[NB_d | X]] − max_d E[NB_d], with
  E[NB_d | X] by nonparametric regression on the sample itself (Strong, Oakley & Brennan 2014,
  *Medical Decision Making* 34(3):311-326): each option's net benefit less that of the first
  option (or its incremental costs and effects, so that one regression serves every λ) is
  regressed on X by :func:`som_mc.analysis.sensitivity.voi.conditional_mean`.

Both are computed as the mean of an opportunity loss, max_d g_d − g_{d*} with d* the option
best by mean, so they are never negative. The standard errors are the Monte Carlo standard
errors of those means, sd(loss) / sqrt(draws); for EVPPI it holds the regression fixed, so it
does not include the regression's own error (compare ``seed`` or ``method`` when in doubt).

The Gaussian process fits its hyperparameters on every draw up to
:data:`~som_mc.analysis.sensitivity.voi.MAX_FIT` (2,000) draws, so that a group's EVPPI does
not move with the seed; with more draws it fits on a 2,000-draw subsample chosen by ``seed``
and computes the posterior mean from every draw (docs/decision.md §EVPPI).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import xarray as xr

from som_mc.analysis.decision.psa import PSA
from som_mc.analysis.sensitivity.voi import MAX_FIT, conditional_mean
from som_mc.conventions import INPUT, WTP
from som_mc.errors import InputError

__all__ = ["evpi", "evppi", "loss_summary", "net_benefit_given"]


def loss_summary(nb: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """E[max_d NB_d] − max_d E[NB_d] and its Monte Carlo standard error.

    Parameters
    ----------
    nb : numpy.ndarray, shape (draws, options, W)
        Net benefits (or fitted conditional means of them) per draw, option and λ.

    Returns
    -------
    value, se : numpy.ndarray, shape (W,)
        The mean of the opportunity loss max_d NB_d − NB_{d*} (d* best by mean, the first
        listed if several tie), and sd(loss, ddof=1) / sqrt(draws).
    """
    best = nb.mean(axis=0).argmax(axis=0)  # (W,)
    chosen = np.take_along_axis(nb, best[None, None, :], axis=1)[:, 0, :]
    loss = nb.max(axis=1) - chosen
    return loss.mean(axis=0), loss.std(axis=0, ddof=1) / np.sqrt(loss.shape[0])


def evpi(
    psa: PSA, wtp: Any = None, *, current: float | Sequence[float] | None = None
) -> xr.Dataset:
    """Expected value of perfect information for a choice between the sample's options.

    Parameters
    ----------
    psa : PSA
        The probabilistic sample (:mod:`som_mc.analysis.decision.psa`).
    wtp : array_like, optional
        Willingness to pay per unit of effect, strictly increasing; required for a sample of
        costs and effects, not allowed for one of net benefits.
    current : float or sequence of float, optional
        A known expected net benefit of the decision as it stands (one value, or one per λ).
        Then EVPI = E[max_d NB_d] − current, and its standard error that of E[max_d NB_d].

    Returns
    -------
    xarray.Dataset
        ``evpi`` and ``evpi_se`` (by ``wtp`` for costs and effects), ``optimal`` (the option
        best by mean), in the unit of money of the sample.

    Examples
    --------
    Doing nothing or NB ~ N(1, 5) (the voi vignette's model, p1 − p2 with p1 ~ N(1, 1),
    p2 ~ N(0, 2²)): EVPI = √5 φ(1/√5) + Φ(1/√5) − 1 = 0.480 (the closed form of the normal).

    >>> from som_mc.analysis.decision.psa import make_psa
    >>> rng = np.random.default_rng(1)
    >>> p = np.c_[rng.normal(1, 1, 100_000), rng.normal(0, 2, 100_000)]
    >>> psa = make_psa(np.c_[np.zeros(len(p)), p[:, 0] - p[:, 1]], inputs=p)
    >>> round(float(evpi(psa).evpi), 2)
    0.48
    """
    wtp = psa.check_wtp(wtp)
    nb = psa.net_benefit(wtp)
    if current is None:
        value, se = loss_summary(nb)
    else:
        known = np.broadcast_to(np.asarray(current, dtype=np.float64), (nb.shape[2],))
        if not np.isfinite(known).all():
            raise InputError("current", f"{current!r} is not a finite number (or one per wtp)")
        top = nb.max(axis=1)
        value = top.mean(axis=0) - known
        se = top.std(axis=0, ddof=1) / np.sqrt(top.shape[0])
    best = nb.mean(axis=0).argmax(axis=0)
    return _dataset(
        psa,
        wtp,
        {
            "evpi": (value, "Expected value of perfect information"),
            "evpi_se": (se, "Monte Carlo standard error of evpi"),
        },
        optimal=np.asarray(psa.options)[best],
    )


def evppi(
    psa: PSA,
    inputs: Any = None,
    wtp: Any = None,
    *,
    method: str = "auto",
    seed: int = 0,
    max_fit: int = MAX_FIT,
    max_inducing: int = MAX_FIT,
) -> xr.Dataset:
    """Expected value of partial perfect information of inputs and groups, with a ranking.

    Parameters
    ----------
    psa : PSA
        The probabilistic sample, with its inputs.
    inputs : str, sequence or mapping, optional
        What is learnt: None for each input alone; a sequence whose items are input names or
        lists of names (a group, named ``a+b``); or a mapping of group name to names.
    wtp : array_like, optional
        As for :func:`evpi`.
    method, seed, max_fit, max_inducing
        As for :func:`som_mc.analysis.sensitivity.voi.evppi`; ``"auto"`` is a spline for one
        input and a Gaussian process for a group. ``max_fit`` defaults to 2,000 here.

    Returns
    -------
    xarray.Dataset
        By ``input`` (and ``wtp``): ``evppi``, ``evppi_se``, ``ratio`` (EVPPI / EVPI, NaN where
        EVPI is 0) and ``evppi_rank`` (1 for the largest EVPPI at that λ); ``evpi`` and ``evpi_se``.

    Raises
    ------
    InputError
        An input name the sample does not have, a sample without inputs, or the errors of
        the regression (field ``method``, ``seed``, ...).
    """
    wtp = psa.check_wtp(wtp)
    groups = _groups(psa, inputs)
    total = evpi(psa, wtp)
    values = np.empty((len(groups), 1 if wtp is None else wtp.size))
    ses = np.empty_like(values)
    for i, names in enumerate(groups.values()):
        g = net_benefit_given(
            psa,
            psa.input_columns(names),
            wtp,
            method=method,
            seed=seed,
            max_fit=max_fit,
            max_inducing=max_inducing,
        )
        values[i], ses[i] = loss_summary(g)
    evpi_values = total["evpi"].values.reshape(1, -1)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(
            evpi_values > 0, values / np.where(evpi_values > 0, evpi_values, 1), np.nan
        )
    rank = (-values).argsort(axis=0, kind="stable").argsort(axis=0, kind="stable") + 1
    ds = _dataset(
        psa,
        wtp,
        {
            "evppi": (values, "Expected value of partial perfect information"),
            "evppi_se": (ses, "Monte Carlo standard error of evppi (regression held fixed)"),
            "ratio": (ratio, "EVPPI as a share of EVPI"),
            "evppi_rank": (rank, "Rank of the input or group by EVPPI (1 = largest)"),
        },
        inputs=list(groups),
    )
    for name in ("ratio", "evppi_rank"):
        ds[name].attrs.pop("units", None)
    ds["evpi"], ds["evpi_se"] = total["evpi"], total["evpi_se"]
    ds.attrs["method"] = str(method)
    return ds


def net_benefit_given(
    psa: PSA,
    x: np.ndarray,
    wtp: np.ndarray | None,
    *,
    method: str = "auto",
    seed: int = 0,
    max_fit: int = MAX_FIT,
    max_inducing: int = MAX_FIT,
) -> np.ndarray:
    """E[NB_d | x] − E[NB_1 | x] at every draw, option and λ, shape (draws, options, W).

    The first option's column is 0: a net benefit common to all options changes no decision
    and no value of information. A sample of costs and effects regresses the incremental
    effects and costs once, and combines them for each λ (the regressions are linear in y
    for a given smoothness, and the combination estimates the same conditional mean).
    """
    if psa.has_effects:
        y = np.column_stack(
            [psa.effects[:, 1:] - psa.effects[:, :1], psa.costs[:, 1:] - psa.costs[:, :1]]
        )
    else:
        y = psa.nb[:, 1:] - psa.nb[:, :1]
    fitted = conditional_mean(y, x, method, seed=seed, max_fit=max_fit, max_inducing=max_inducing)
    n_inc = len(psa.options) - 1
    if psa.has_effects:
        inc = wtp[None, None, :] * fitted[:, :n_inc, None] - fitted[:, n_inc:, None]
    else:
        inc = fitted[:, :, None]
    return np.concatenate([np.zeros((inc.shape[0], 1, inc.shape[2])), inc], axis=1)


def _groups(psa: PSA, inputs: Any) -> dict[str, list[str]]:
    if not psa.input_names:
        raise InputError("inputs", "the sample has no inputs; give the parameter draws too")
    if inputs is None:
        return {n: [n] for n in psa.input_names}
    if isinstance(inputs, str):
        return {inputs: [inputs]}
    if isinstance(inputs, Mapping):
        out = {str(k): [v] if isinstance(v, str) else list(v) for k, v in inputs.items()}
    else:
        out = {}
        for item in inputs:
            names = [item] if isinstance(item, str) else list(item)
            out["+".join(names)] = names
    for names in out.values():
        psa.input_columns(names)  # raises on an unknown name or an empty group
    if not out:
        raise InputError("inputs", "is empty; name an input or a group")
    return out


def _dataset(
    psa: PSA,
    wtp: np.ndarray | None,
    variables: dict[str, tuple[np.ndarray, str]],
    *,
    inputs: list[str] | None = None,
    optimal: np.ndarray | None = None,
) -> xr.Dataset:
    coords: dict[str, Any] = {}
    if wtp is not None:
        coords[WTP] = wtp
    if inputs is not None:
        coords[INPUT] = inputs
    data = {}
    for name, (value, long_name) in variables.items():
        value = np.asarray(value)
        dims: tuple[str, ...] = ()
        if inputs is not None:
            dims += (INPUT,)
        if wtp is not None:
            dims += (WTP,)
        else:
            value = value[..., 0]
        data[name] = (dims, value, {"long_name": long_name, "units": psa.units})
    if optimal is not None:
        data["optimal"] = (
            (WTP,) if wtp is not None else (),
            optimal if wtp is not None else optimal[0],
            {"long_name": "Option with the highest expected net benefit"},
        )
    ds = xr.Dataset(data, coords=coords)
    ds.attrs["options"] = ", ".join(psa.options)
    ds.attrs["draws"] = psa.draws
    if wtp is not None:
        ds[WTP].attrs["long_name"] = "Willingness to pay per unit of effect"
    return ds
