"""The distribution of the present value over the draws, with the chance it is positive."""

from __future__ import annotations

import numpy as np
import xarray as xr
from matplotlib.axes import Axes

from som_mc.conventions import TOTAL
from som_mc.present.locale import format_number, format_percent
from som_mc.present.plots._format import number_format
from som_mc.present.plots._select import by_actor, money_meta, money_scale, require
from som_mc.present.plots._style import ACTOR_COLORS, finish, new_axes, zero_line
from som_mc.present.plots._text import actor_name, check_lang, money_label, word

__all__ = ["pv_distribution"]

_MAX_BINS = 80


def _bins(values: np.ndarray) -> np.ndarray:
    """Histogram bin edges: numpy's "auto" rule, at most 80 bins, one bin for a constant."""
    low, high = float(values.min()), float(values.max())
    if high - low <= 1e-12 * max(1.0, abs(low)):
        return np.array([low - 0.5, low + 0.5])
    edges = np.histogram_bin_edges(values, "auto")
    return edges if len(edges) <= _MAX_BINS + 1 else np.linspace(low, high, _MAX_BINS + 1)


def pv_distribution(
    ds: xr.Dataset, actor: str = TOTAL, ax: Axes | None = None, lang: str = "en"
) -> Axes:
    """Histogram of the present value over the draws, with zero and the mean marked and the
    probability of a positive result written on the plot.

    Parameters
    ----------
    ds : xarray.Dataset
        A Monte Carlo result of :func:`som_mc.run` (``present_value`` by draw and actor; DKK,
        discounted, in the case's price year).
    actor : {"total", "kommune", "region", "stat"}
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new 7 x 4 inch figure if None.
    lang : {"en", "da"}

    Returns
    -------
    matplotlib.axes.Axes
        The bars are the share of draws in each bin (they add up to 1); the y axis shows %.

    Examples
    --------
    >>> import matplotlib.pyplot as plt, som_mc
    >>> from som_mc.present.plots import pv_distribution
    >>> ds = som_mc.run(som_mc.example_path("cti"), draws=500, seed=1)
    >>> ax = pv_distribution(ds)
    >>> ax.get_xlabel()
    'Present value, million DKK (2024 prices)'
    >>> plt.close(ax.figure)
    """
    check_lang(lang)
    require(ds, ("present_value",), "pv_distribution")
    pv = by_actor(ds["present_value"], actor).values
    scale = money_scale(pv)
    values = pv / scale
    color = ACTOR_COLORS[actor]

    ax = new_axes(ax)
    edges = _bins(values)
    weights = np.full(values.size, 1.0 / values.size)
    heights, _, _ = ax.hist(
        values, edges, weights=weights, histtype="stepfilled", color=color, alpha=0.25
    )
    ax.hist(values, edges, weights=weights, histtype="step", color=color, linewidth=1.2)
    zero_line(ax, vertical=True)
    mean = float(values.mean())
    ax.axvline(mean, color=color, linestyle="--", linewidth=1.2)
    ax.annotate(
        f"{word('mean', lang)}: {format_number(mean, lang, 1)}",
        (mean, 1.0),
        xycoords=("data", "axes fraction"),
        xytext=(4, -4),
        textcoords="offset points",
        va="top",
        fontsize=9,
        color=color,
    )
    p_positive = float((pv > 0).mean())
    # The note goes in the upper corner away from the peak, where it covers the fewest bars.
    peak = edges[np.argmax(heights)]
    right = peak < (edges[0] + edges[-1]) / 2
    ax.text(
        0.98 if right else 0.02,
        0.8,
        f"{word('p_positive', lang)}:\n{format_percent(p_positive, lang)}",
        transform=ax.transAxes,
        ha="right" if right else "left",
        va="top",
        multialignment="left",
        fontsize=10,
        bbox={"boxstyle": "round,pad=0.4", "facecolor": "white", "edgecolor": "#cccccc"},
    )
    ax.set_xlabel(
        money_label(
            word("present_value", lang), lang, scale=scale, **money_meta(ds, "present_value")
        )
    )
    ax.set_ylabel(word("share_of_draws", lang))
    ax.set_ylim(0, 1.15 * heights.max())  # headroom for the mean's label
    number_format(ax.xaxis, lang)
    number_format(ax.yaxis, lang, factor=100.0)
    title = f"{word('pv_distribution', lang)}: {actor_name(actor, lang)}"
    return finish(ax, title)
