"""Convergence: the running mean of the present value as draws are added, with its
Monte Carlo standard error."""

from __future__ import annotations

import numpy as np
import xarray as xr
from matplotlib.axes import Axes

from som_mc.conventions import TOTAL
from som_mc.present.locale import format_number
from som_mc.present.plots._format import number_format
from som_mc.present.plots._select import by_actor, money_meta, money_scale, require
from som_mc.present.plots._style import ACTOR_COLORS, MUTED, finish, new_axes
from som_mc.present.plots._text import actor_name, check_lang, money_label, word

__all__ = ["convergence"]

_POINTS = 400  # log-spaced draw counts plotted; enough for a smooth line at any sample size
_SETTLED = 10  # the y range is set by the band from this many draws on (earlier is wild)


def convergence(
    ds: xr.Dataset, actor: str = TOTAL, ax: Axes | None = None, lang: str = "en"
) -> Axes:
    """Running mean of the present value over the first n draws, n on a log axis, with a band
    of ± 2 standard errors (running sd / √n).

    The band narrowing around a flat line says the sample is large enough for the mean; for
    Latin hypercube and Sobol' designs the band is conservative.

    Parameters
    ----------
    ds : xarray.Dataset
        A Monte Carlo result of :func:`som_mc.run` (``present_value`` by draw and actor; DKK in
        the case's price year), in draw order.
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
    >>> from som_mc.present.plots import convergence
    >>> ds = som_mc.run(som_mc.example_path("cti"), draws=500, seed=1)
    >>> ax = convergence(ds)
    >>> ax.get_xscale(), ax.get_xlabel()
    ('log', 'Number of draws')
    >>> plt.close(ax.figure)
    """
    check_lang(lang)
    require(ds, ("present_value",), "convergence")
    pv = by_actor(ds["present_value"], actor).values.astype(float)
    total = pv.size
    n = np.arange(1, total + 1)
    # Shifting by the overall mean before the running sums keeps sum(x²) − n·mean² from
    # cancelling catastrophically; the shift does not change the mean or the variance.
    shift = pv.mean()
    s1 = np.cumsum(pv - shift)
    s2 = np.cumsum((pv - shift) ** 2)
    mean = s1 / n + shift
    with np.errstate(invalid="ignore", divide="ignore"):
        var = np.where(n > 1, (s2 - s1**2 / n) / (n - 1), np.nan)
    se = np.sqrt(np.clip(var, 0.0, None) / n)
    at = np.unique(np.geomspace(1, total, min(_POINTS, total)).astype(int)) - 1
    scale = money_scale(mean[at])
    color = ACTOR_COLORS[actor]

    ax = new_axes(ax)
    band = at[at >= 1]
    low, high = (mean[band] - 2 * se[band]) / scale, (mean[band] + 2 * se[band]) / scale
    ax.fill_between(
        n[band], low, high, color=color, alpha=0.2, linewidth=0, label=word("band_2se", lang)
    )
    ax.plot(n[at], mean[at] / scale, color=color, linewidth=1.5, label=word("running_mean", lang))
    final = mean[-1] / scale
    ax.axhline(
        final,
        color=MUTED,
        linestyle="--",
        linewidth=1,
        label=word("final_mean", lang, n=format_number(total, lang)),
    )
    settled = band[n[band] >= min(_SETTLED, total)]
    if settled.size:
        lo = float(np.min(low[-settled.size :]))
        hi = float(np.max(high[-settled.size :]))
        pad = 0.08 * max(hi - lo, 1e-9 * max(1.0, abs(final)))
        ax.set_ylim(lo - pad, hi + pad)
    ax.set_xscale("log")
    ax.set_xlim(1, total)
    ax.set_xlabel(word("number_of_draws", lang))
    ax.set_ylabel(
        money_label(
            word("mean_present_value", lang), lang, scale=scale, **money_meta(ds, "present_value")
        )
    )
    number_format(ax.xaxis, lang)
    number_format(ax.yaxis, lang)
    ax.legend(loc="best", frameon=False, fontsize=8)
    return finish(ax, f"{word('convergence', lang)}: {actor_name(actor, lang)}")
