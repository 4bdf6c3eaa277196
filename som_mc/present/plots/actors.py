"""Who pays and who gains: each actor's costs, gains and net present value."""

from __future__ import annotations

import numpy as np
import xarray as xr
from matplotlib.axes import Axes
from matplotlib.patches import Patch

from som_mc.conventions import ACTORS_AND_TOTAL, DRAW
from som_mc.present.plots._format import number_format
from som_mc.present.plots._select import by_actor, money_meta, money_scale, require
from som_mc.present.plots._style import ACTOR_COLORS, MUTED, finish, new_axes, zero_line
from som_mc.present.plots._text import actor_name, check_lang, money_label, word

__all__ = ["who_pays"]

_ORDER = ACTORS_AND_TOTAL


def who_pays(ds: xr.Dataset, ax: Axes | None = None, lang: str = "en") -> Axes:
    """For each actor and in total: mean gains (up), mean costs (down) and the mean net
    present value with its 90 % interval.

    A municipality that pays while the state gains shows as a long bar down for the kommune
    and a long bar up for the stat.

    Parameters
    ----------
    ds : xarray.Dataset
        A Monte Carlo result of :func:`som_mc.run` (``gain_pv``, ``cost_pv`` and
        ``present_value`` by draw and actor; DKK, discounted, in the case's price year).
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new 7 x 4 inch figure if None.
    lang : {"en", "da"}

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib.pyplot as plt, som_mc
    >>> from som_mc.present.plots import who_pays
    >>> ds = som_mc.run(som_mc.example_path("cti"), draws=500, seed=1)
    >>> ax = who_pays(ds, lang="da")
    >>> [t.get_text() for t in ax.get_xticklabels()]
    ['Kommune', 'Region', 'Stat', 'I alt']
    >>> plt.close(ax.figure)
    """
    check_lang(lang)
    require(ds, ("gain_pv", "cost_pv", "present_value"), "who_pays")
    gains = np.array([float(by_actor(ds["gain_pv"], a).mean(DRAW)) for a in _ORDER])
    costs = np.array([float(by_actor(ds["cost_pv"], a).mean(DRAW)) for a in _ORDER])
    pv = [by_actor(ds["present_value"], a) for a in _ORDER]
    net = np.array([float(p.mean(DRAW)) for p in pv])
    interval = np.array([p.quantile([0.05, 0.95], DRAW).values for p in pv]).T  # (2, actor)
    scale = money_scale(gains, costs, interval)

    ax = new_axes(ax)
    x = np.arange(len(_ORDER))
    width = 0.26
    colors = [ACTOR_COLORS[a] for a in _ORDER]
    ax.bar(x - width, gains / scale, width, color=colors, alpha=0.45, edgecolor=colors)
    ax.bar(x, -costs / scale, width, color="white", edgecolor=colors, hatch="///", linewidth=1)
    ax.bar(
        x + width,
        net / scale,
        width,
        color=colors,
        yerr=np.abs(interval - net) / scale,
        error_kw={"ecolor": "black", "elinewidth": 1, "capsize": 3},
    )
    zero_line(ax)
    legend = [
        Patch(facecolor=MUTED, alpha=0.45, edgecolor=MUTED, label=word("gains", lang)),
        Patch(facecolor="white", edgecolor=MUTED, hatch="///", label=word("costs_neg", lang)),
        Patch(facecolor=MUTED, label=word("net_interval", lang)),
    ]
    # Headroom above the highest bar or interval keeps the legend off the bars.
    ends = np.concatenate([gains, -costs, interval.ravel(), [0.0]]) / scale
    low, high = float(ends.min()), float(ends.max())
    span = max(high - low, 1e-9)
    ax.set_ylim(low - 0.05 * span, high + 0.3 * span)
    ax.legend(handles=legend, loc="upper left", frameon=False, fontsize=8)
    ax.set_xticks(x, [actor_name(a, lang, capital=True) for a in _ORDER])
    ax.set_xlabel(word("actor", lang))
    ax.set_ylabel(
        money_label(
            word("present_value", lang), lang, scale=scale, **money_meta(ds, "present_value")
        )
    )
    number_format(ax.yaxis, lang)
    return finish(ax, word("who_pays", lang))
