"""Waterfall from the costs, through each consequence's gain, to the net result."""

from __future__ import annotations

import numpy as np
import xarray as xr
from matplotlib.axes import Axes

from som_mc.conventions import DRAW, TOTAL, YEAR
from som_mc.errors import InputError
from som_mc.present.locale import format_number
from som_mc.present.plots._format import number_format
from som_mc.present.plots._names import consequence_labels, wrap
from som_mc.present.plots._select import by_actor, money_meta, money_scale
from som_mc.present.plots._style import (
    ACTOR_COLORS,
    COST_COLOR,
    GAIN_COLOR,
    MUTED,
    finish,
    new_axes,
)
from som_mc.present.plots._text import actor_name, check_lang, money_label, word

__all__ = ["consequence_waterfall"]

_MAX_STEPS = 12  # consequences beyond this many (the smallest) are shown together as "other"


def _steps(ds: xr.Dataset, actor: str) -> tuple[float, np.ndarray, float, bool]:
    """Costs, the gain of each consequence and the net: means over the draws of a Monte Carlo
    result, or sums over the years of a deterministic one (and whether it was Monte Carlo)."""
    if DRAW in ds.dims and {"consequence_pv", "cost_pv", "present_value"} <= set(ds.data_vars):
        cost = float(by_actor(ds["cost_pv"], actor).mean(DRAW))
        gains = by_actor(ds["consequence_pv"], actor).mean(DRAW).values
        net = float(by_actor(ds["present_value"], actor).mean(DRAW))
        return cost, gains, net, True
    if DRAW not in ds.dims and {"gain_by_consequence", "cost", "net"} <= set(ds.data_vars):
        cost = float(by_actor(ds["cost"], actor).sum(YEAR))
        gains = by_actor(ds["gain_by_consequence"], actor).sum(YEAR).values
        net = float(by_actor(ds["net"], actor).sum(YEAR))
        return cost, gains, net, False
    raise InputError(
        "dataset",
        "consequence_waterfall needs a result of som_mc.run (consequence_pv, cost_pv, "
        "present_value) or of som_mc.deterministic (gain_by_consequence, cost, net)",
    )


def consequence_waterfall(
    ds: xr.Dataset, actor: str = TOTAL, ax: Axes | None = None, lang: str = "en"
) -> Axes:
    """Waterfall of the net result: the costs down from zero, then each consequence's gain
    (largest first), ending in the net result.

    Parameters
    ----------
    ds : xarray.Dataset
        A Monte Carlo result of :func:`som_mc.run` (shown: means over the draws of
        ``cost_pv``, ``consequence_pv`` and ``present_value``, discounted) or a result of
        :func:`som_mc.deterministic` (shown: ``cost``, ``gain_by_consequence`` and ``net``
        summed over the years, undiscounted). DKK in the case's price year.
    actor : {"total", "kommune", "region", "stat"}
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new 7 x 4 inch figure if None.
    lang : {"en", "da"}

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib.pyplot as plt, som_mc
    >>> from som_mc.present.plots import consequence_waterfall
    >>> table = som_mc.deterministic(som_mc.example_path("cti"))
    >>> ax = consequence_waterfall(table)
    >>> ax.get_xlabel()
    'Sum over years 1–5, million DKK (2024 prices, undiscounted)'
    >>> plt.close(ax.figure)
    """
    check_lang(lang)
    cost, gains, net, monte_carlo = _steps(ds, actor)
    labels = consequence_labels(ds, lang)
    order = np.argsort(-gains, kind="stable")
    names = [labels[i] for i in order]
    values = gains[order]
    if len(values) > _MAX_STEPS:  # keep the largest by size, in their order
        keep = np.sort(np.argsort(-np.abs(values), kind="stable")[: _MAX_STEPS - 1])
        rest = np.setdiff1d(np.arange(len(values)), keep)
        other = f"{word('other_consequences', lang)} ({len(rest)})"
        names = [names[i] for i in keep] + [other]
        values = np.append(values[keep], values[rest].sum())
    steps = np.concatenate([[-cost], values])
    ends = np.cumsum(steps)
    starts = ends - steps
    scale = money_scale(ends, starts, net)

    ax = new_axes(ax)
    rows = np.arange(len(steps) + 1)
    colors = [COST_COLOR if s < 0 else GAIN_COLOR for s in steps] + [ACTOR_COLORS[actor]]
    lefts = np.append(starts, 0.0) / scale
    widths = np.append(steps, net) / scale
    bars = ax.barh(rows, widths, 0.6, left=lefts, color=colors)
    for row, end in enumerate(ends / scale):  # connectors from each bar's end to the next
        ax.plot([end, end], [row + 0.3, row + 0.7], color=MUTED, linewidth=0.8)
    decimals = 1 if np.abs(widths).max(initial=0) < 100 else 0
    texts = [format_number(w, lang, decimals) for w in widths]
    ax.bar_label(bars, texts, padding=3, fontsize=8)
    ax.axvline(0.0, color="black", linewidth=0.8)
    names = [word("costs", lang), *names, word("net_result", lang)]
    ax.set_yticks(rows, [wrap(n, 36, lines=3) for n in names], fontsize=8)
    ax.invert_yaxis()
    # Bars are sticky at their base, so margins() cannot make room for the numbers at their
    # ends: set the limits by hand.
    edges = np.concatenate([lefts, lefts + widths, [0.0]])
    pad = 0.12 * max(float(np.ptp(edges)), 1e-9)
    ax.set_xlim(edges.min() - pad, edges.max() + pad)
    meta = money_meta(ds, "cost_pv" if monte_carlo else "cost")
    if monte_carlo:
        quantity = word("mean_over_draws", lang)
    else:
        quantity = word("sum_over_years", lang, T=ds.sizes[YEAR])
    ax.set_xlabel(money_label(quantity, lang, scale=scale, undiscounted=not monte_carlo, **meta))
    ax.set_ylabel(word("consequence", lang))
    number_format(ax.xaxis, lang)
    finish(ax, f"{word('waterfall', lang)}: {actor_name(actor, lang)}", grid="x")
    return ax
