"""Which option is best, draw by draw: several interventions compared on the same draws.

Options (interventions, or a portfolio's alternatives, including "do nothing" with PV 0) are
evaluated on the same Monte Carlo draws of their shared inputs, so their present values are
paired draw by draw and the comparison is between options in the same state of the world.

For option d and draw i with present value PV[i, d] (per actor, and for the ``total``):

- ``p_best``: the share of draws in which d has the highest PV. When k options tie for the
  highest PV each gets 1/k of the draw, so the shares of the options add up to 1;
- ``expected_loss``: the expected opportunity loss of choosing d, the mean over draws of
  max_d' PV[i, d'] − PV[i, d]. Because the first term is the same for every option, the option
  with the least expected loss is the one with the highest mean PV;
- ``evpi``: the expected value of perfect information about which option is best, what it
  would be worth to learn every uncertain input before choosing,
  E[max_d PV] − max_d E[PV] = min_d expected_loss(d)
  (Briggs, Claxton & Sculpher 2006, *Decision Modelling for Health Economic Evaluation*,
  Oxford University Press, ch. 7; Strong, Oakley & Brennan 2014, *Medical Decision Making*
  34(3):311-326, eq. 1). For two options, one of them doing nothing, it is
  :func:`som_mc.analysis.sensitivity.voi.evpi`.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from som_mc.conventions import ACTOR, DRAW, OPTION, TOTAL
from som_mc.errors import InputError
from som_mc.pipeline.options import OptionTally

__all__ = ["OPTION", "compare"]  # OPTION, the dim of the options, is conventions.OPTION


def compare(pv: xr.DataArray) -> xr.Dataset:
    """Compare options draw by draw: chance of being best, expected loss, and EVPI.

    Parameters
    ----------
    pv : xarray.DataArray
        Present values with dims ``draw``, ``option`` and ``actor`` (in any order), the options
        evaluated on the same draws; at least 2 draws and 2 options, no NaN. The ``total``
        actor (the sum of the actors) is added.

    Returns
    -------
    xarray.Dataset
        Per option and actor: ``p_best`` with its Monte Carlo standard error
        ``p_best_mcse`` = sd(share) / sqrt(draws) (sd with divisor draws, so without ties it
        is sqrt(p (1 − p) / draws)); ``expected_loss`` with ``expected_loss_mcse`` = sd(loss,
        ddof=1) / sqrt(draws); ``pv_mean``. Per actor: ``best_by_mean`` (the option with the
        highest mean PV, the first one listed if several tie) and ``evpi``. The units of
        ``pv`` are kept on the money variables.

    Examples
    --------
    Doing nothing (PV 0) or an intervention with PV ~ N(1, 1) per actor: the intervention is
    best in Φ(1) = 84 % of the draws, and EVPI is φ(1) − Φ(−1) = 0.083 per actor.

    >>> rng = np.random.default_rng(3)
    >>> x = np.stack([np.zeros((100_000, 3)), rng.normal(1.0, 1.0, (100_000, 3))], axis=1)
    >>> pv = xr.DataArray(x, dims=("draw", "option", "actor"),
    ...                   coords={"option": ["nothing", "course"],
    ...                           "actor": ["kommune", "region", "stat"]})
    >>> res = compare(pv)
    >>> round(float(res.p_best.sel(option="course", actor="kommune")), 2)
    0.84
    >>> round(float(res.evpi.sel(actor="kommune")), 3)
    0.083
    >>> res.best_by_mean.sel(actor="stat").item()
    'course'
    """
    values, options, actors = _check(pv)
    tally = OptionTally(options, actors)
    tally.add(0, {"present_value_by_option": values})
    money = {k: pv.attrs[k] for k in ("units", "price_year") if k in pv.attrs}
    return tally.to_dataset(money=money)


def _check(pv: xr.DataArray) -> tuple[np.ndarray, list, list]:
    if not isinstance(pv, xr.DataArray):
        raise InputError("pv", f"a {type(pv).__name__} is not allowed; pv is an xarray.DataArray")
    expected = {DRAW, OPTION, ACTOR}
    if set(pv.dims) != expected:
        raise InputError(
            "pv", f"dims {list(pv.dims)} are not allowed; pv has dims draw, option and actor"
        )
    if pv.sizes[OPTION] < 2:
        raise InputError("pv.option", f"{pv.sizes[OPTION]} option; comparing needs 2 or more")
    if pv.sizes[DRAW] < 2:
        raise InputError("pv.draw", f"{pv.sizes[DRAW]} draw; comparing needs 2 or more")
    options = pv[OPTION].values.tolist()
    actors = pv[ACTOR].values.tolist()
    if TOTAL in actors:
        raise InputError("pv.actor", "'total' is added by compare; pv has the actors only")
    values = np.asarray(pv.transpose(DRAW, OPTION, ACTOR).values, dtype=np.float64)
    if not np.isfinite(values).all():
        bad = np.argwhere(~np.isfinite(values))[0]
        raise InputError(
            "pv",
            f"draw {bad[0]}, option {options[bad[1]]!r}, actor {actors[bad[2]]!r} is "
            f"{values[tuple(bad)]}; present values are finite numbers",
        )
    return values, options, actors
