"""Cost-effectiveness of several options from a probabilistic sample.

- :func:`icers`: incremental cost-effectiveness ratios of mean costs and effects, with strong
  dominance (another option costs no more and gives no less effect) and extended dominance
  (a mix of two other options does better; the ICERs along the frontier must increase), the
  algorithm of dampack's ``calculate_icers`` (Alarid-Escudero, Enns, Knowlton et al.,
  vignette "Basic Cost Effectiveness Analysis"); the non-dominated options are the efficiency
  frontier;
- :func:`cea`: the table of mean costs and effects with their standard deviations; per
  willingness to pay λ the incremental net benefit against a reference, the probability that
  each option has the highest net benefit (the cost-effectiveness acceptability curve, CEAC),
  the option with the highest expected net benefit and its CEAC (the acceptability frontier,
  CEAF; Fenwick, Claxton & Sculpher 2001, *Health Economics* 10:779-787), the expected loss
  of each option (its least value over λ is the EVPI; Eckermann, Briggs & Willan 2008) and the
  switch points where the optimal option changes;
- :func:`frontier_intervals`: the ranges of a λ grid over which each option is optimal (as
  dampack's ``summary.ceac``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import xarray as xr

from som_mc.analysis.decision.psa import PSA, check_wtp
from som_mc.analysis.decision.voi import loss_summary
from som_mc.conventions import OPTION, WTP
from som_mc.errors import InputError

__all__ = ["STATUS", "cea", "frontier_intervals", "icers", "switch_points"]

#: ICER status codes, as dampack writes them: non-dominated, extendedly dominated, dominated.
STATUS: dict[str, str] = {
    "ND": "non-dominated (on the efficiency frontier)",
    "ED": "extendedly dominated",
    "D": "dominated",
}


def icers(costs: Any, effects: Any, options: Sequence[str]) -> xr.Dataset:
    """ICERs with strong and extended dominance, in dampack's order.

    Parameters
    ----------
    costs, effects : array_like, shape (options,)
        Mean cost and mean effect of each option.
    options : sequence of str
        Their names.

    Returns
    -------
    xarray.Dataset
        By ``option``, ordered as dampack's ``calculate_icers``: the frontier by increasing
        cost, then the extendedly dominated, then the dominated options, each by cost.
        ``cost``, ``effect``, ``inc_cost``, ``inc_effect`` and ``icer`` (against the previous
        option on the frontier; NaN for the first and for dominated options) and ``status``
        (``ND``, ``ED`` or ``D``, see :data:`STATUS`).

    Examples
    --------
    The example of dampack's test suite (from the VA Health Economics Resource Center):

    >>> res = icers([55000, 35000, 25000, 10000, 12000, 5000], [5, 4, 3, 2, 1.5, 1],
    ...             ["E", "D", "C", "B", "A", "UC"])
    >>> res.option.values.tolist(), res.status.values.tolist()
    (['UC', 'B', 'D', 'E', 'C', 'A'], ['ND', 'ND', 'ND', 'ND', 'ED', 'D'])
    >>> res.icer.values[1:4].tolist()
    [5000.0, 12500.0, 20000.0]
    """
    c = _vector("costs", costs)
    e = _vector("effects", effects)
    names = [str(o) for o in options]
    if not (c.size == e.size == len(names)):
        raise InputError("effects", f"{e.size} effects, {c.size} costs, {len(names)} options")
    if c.size < 1:
        raise InputError("options", "is empty")
    # By cost, then by effect (more first); an option is strongly dominated if one before it
    # in that order has at least its effect.
    order = np.lexsort((-e, c))
    status = np.full(c.size, "ND", dtype=object)
    best_effect = -np.inf
    for i in order:
        if e[i] <= best_effect:
            status[i] = "D"
        else:
            best_effect = e[i]
    # Extended dominance: along the remaining options (by cost) the ICERs must increase; an
    # option whose ICER exceeds the next one's is dominated by a mix of its neighbours. Drop
    # and recompute until none is left (dampack's loop).
    while True:
        frontier = [i for i in order if status[i] == "ND"]
        ratio = _ratios(c, e, frontier)
        bad = [k for k in range(1, len(frontier) - 1) if ratio[k] > ratio[k + 1]]
        if not bad:
            break
        for k in bad:
            status[frontier[k]] = "ED"
    frontier = [i for i in order if status[i] == "ND"]
    inc_c = np.full(c.size, np.nan)
    inc_e = np.full(c.size, np.nan)
    icer = np.full(c.size, np.nan)
    for k in range(1, len(frontier)):
        i, j = frontier[k], frontier[k - 1]
        inc_c[i], inc_e[i] = c[i] - c[j], e[i] - e[j]
        icer[i] = inc_c[i] / inc_e[i]
    shown = (
        frontier + [i for i in order if status[i] == "ED"] + [i for i in order if status[i] == "D"]
    )
    return xr.Dataset(
        {
            "cost": (OPTION, c[shown], {"long_name": "Mean cost"}),
            "effect": (OPTION, e[shown], {"long_name": "Mean effect"}),
            "inc_cost": (OPTION, inc_c[shown], {"long_name": "Incremental cost"}),
            "inc_effect": (OPTION, inc_e[shown], {"long_name": "Incremental effect"}),
            "icer": (OPTION, icer[shown], {"long_name": "Incremental cost-effectiveness ratio"}),
            "status": (OPTION, np.array(status[shown], dtype=str), {"long_name": "Dominance"}),
        },
        coords={OPTION: [names[i] for i in shown]},
    )


def switch_points(costs: Any, effects: Any, options: Sequence[str], lo: float, hi: float):
    """The values of λ in [lo, hi] where the option with the highest expected net benefit
    λ E − C changes, exactly (the upper envelope of the lines λ E_d − C_d).

    Returns
    -------
    list of (float, str, str)
        (λ, option before, option after), increasing in λ. On the efficiency frontier they
        are the ICERs of the frontier that fall within [lo, hi].
    """
    c = _vector("costs", costs)
    e = _vector("effects", effects)
    names = [str(o) for o in options]
    # The best at lo; of tied ones the one with the most effect, which stays best above lo.
    value = lo * e - c
    tied = np.flatnonzero(value >= value.max() - 1e-12 * max(1.0, abs(value.max())))
    cur = int(tied[np.argmax(e[tied])])
    here, out = lo, []
    while True:
        more = np.flatnonzero(e > e[cur])
        if more.size == 0:
            break
        cross = (c[more] - c[cur]) / (e[more] - e[cur])
        cross = np.where(cross < here, here, cross)
        at = cross.min()
        if at > hi:
            break
        # Of the options crossing first, the one with the most effect.
        first = more[cross <= at]
        nxt = int(first[np.argmax(e[first])])
        out.append((float(at), names[cur], names[nxt]))
        cur, here = nxt, at
    return out


def frontier_intervals(wtp: Any, optimal: Sequence[str]) -> list[tuple[float, float, str]]:
    """The ranges of a λ grid over which each option is optimal, as dampack's ``summary.ceac``.

    Parameters
    ----------
    wtp : array_like
        The grid, strictly increasing.
    optimal : sequence of str
        The optimal option at each value of the grid.

    Returns
    -------
    list of (float, float, str)
        (from, to, option): a run of the same option starts at ``from`` and ends at the grid
        value where the next run starts (the last at the end of the grid).
    """
    grid = check_wtp(wtp)
    optimal = [str(o) for o in optimal]
    if len(optimal) != grid.size:
        raise InputError("optimal", f"has {len(optimal)} values but wtp has {grid.size}")
    starts = [0] + [i for i in range(1, grid.size) if optimal[i] != optimal[i - 1]]
    ends = [*starts[1:], grid.size - 1]
    return [(float(grid[s]), float(grid[t]), optimal[s]) for s, t in zip(starts, ends, strict=True)]


def cea(psa: PSA, wtp: Any, *, reference: str | None = None) -> xr.Dataset:
    """Cost-effectiveness over a grid of willingness to pay.

    Parameters
    ----------
    psa : PSA
        A sample of costs and effects.
    wtp : array_like
        Willingness to pay per unit of effect, strictly increasing.
    reference : str, optional
        The option incremental net benefits are against; default the first option.

    Returns
    -------
    xarray.Dataset
        By ``option``: ``cost_mean``, ``cost_sd``, ``effect_mean``, ``effect_sd`` (sd with
        ddof 1) and the ICER table of :func:`icers` (``inc_cost``, ``inc_effect``, ``icer``,
        ``status``) in the sample's order. By ``option`` and ``wtp``: ``inb`` (mean of
        NB_d − NB_reference) and ``inb_se``, ``ceac`` (share of draws in which the option has
        the highest net benefit, a k-way tie giving 1/k to each), ``expected_loss`` and
        ``expected_loss_se``. By ``wtp``: ``optimal`` (highest expected net benefit), ``ceaf``
        (its CEAC) and ``evpi`` (the least expected loss). ``switch_wtp``, ``switch_from`` and
        ``switch_to`` by ``switch``: the switch points of :func:`switch_points` within the
        grid.
    """
    if not psa.has_effects:
        raise InputError("psa", "has net benefits only; cost-effectiveness needs costs and effects")
    grid = check_wtp(wtp)
    options = list(psa.options)
    ref = options[0] if reference is None else str(reference)
    if ref not in options:
        raise InputError("reference", f"{ref!r} is not an option ({', '.join(options)})")
    nb = psa.net_benefit(grid)  # (draws, options, W)
    draws = psa.draws
    inc = nb - nb[:, [options.index(ref)], :]
    top = nb.max(axis=1, keepdims=True)
    winners = nb == top
    share = winners / winners.sum(axis=1, keepdims=True)
    loss = top - nb
    mean_nb = nb.mean(axis=0)
    best = mean_nb.argmax(axis=0)
    ceac = share.mean(axis=0)
    evpi, _ = loss_summary(nb)
    c_mean, e_mean = psa.costs.mean(axis=0), psa.effects.mean(axis=0)
    table = icers(c_mean, e_mean, options).sel({OPTION: options})
    switches = switch_points(c_mean, e_mean, options, grid[0], grid[-1])
    money = {"units": psa.units}
    ow = (OPTION, WTP)
    ds = xr.Dataset(
        {
            "cost_mean": (OPTION, c_mean, {"long_name": "Mean cost", **money}),
            "cost_sd": (
                OPTION,
                psa.costs.std(axis=0, ddof=1),
                {"long_name": "SD of cost", **money},
            ),
            "effect_mean": (OPTION, e_mean, {"long_name": "Mean effect"}),
            "effect_sd": (OPTION, psa.effects.std(axis=0, ddof=1), {"long_name": "SD of effect"}),
            "inc_cost": table["inc_cost"].variable,
            "inc_effect": table["inc_effect"].variable,
            "icer": table["icer"].variable,
            "status": table["status"].variable,
            "inb": (
                ow,
                inc.mean(axis=0),
                {"long_name": f"Incremental net benefit vs {ref}", **money},
            ),
            "inb_se": (ow, inc.std(axis=0, ddof=1) / np.sqrt(draws), money),
            "ceac": (ow, ceac, {"long_name": "Probability of the highest net benefit"}),
            "expected_loss": (ow, loss.mean(axis=0), {"long_name": "Expected loss", **money}),
            "expected_loss_se": (ow, loss.std(axis=0, ddof=1) / np.sqrt(draws), money),
            "optimal": (WTP, np.asarray(options)[best], {"long_name": "Optimal option"}),
            "ceaf": (
                WTP,
                ceac[best, np.arange(grid.size)],
                {"long_name": "Acceptability frontier"},
            ),
            "evpi": (WTP, evpi, {"long_name": "Expected value of perfect information", **money}),
            "switch_wtp": ("switch", [s[0] for s in switches], {"long_name": "Switch point"}),
            "switch_from": ("switch", np.array([s[1] for s in switches], dtype=str)),
            "switch_to": ("switch", np.array([s[2] for s in switches], dtype=str)),
        },
        coords={OPTION: options, WTP: grid},
    )
    ds.attrs.update(reference=ref, draws=draws)
    return ds


def _ratios(c: np.ndarray, e: np.ndarray, frontier: list[int]) -> list[float]:
    out = [np.nan]
    for k in range(1, len(frontier)):
        i, j = frontier[k], frontier[k - 1]
        out.append((c[i] - c[j]) / (e[i] - e[j]))
    return out


def _vector(field: str, value: Any) -> np.ndarray:
    try:
        out = np.asarray(value, dtype=np.float64).ravel()
    except (TypeError, ValueError):
        raise InputError(field, "is not an array of numbers") from None
    if not np.isfinite(out).all():
        raise InputError(field, f"value {int(np.flatnonzero(~np.isfinite(out))[0])} is not finite")
    return out
