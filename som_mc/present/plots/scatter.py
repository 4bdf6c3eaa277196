"""The present value against one sampled input, e.g. the success rate."""

from __future__ import annotations

import numpy as np
import xarray as xr
from matplotlib.axes import Axes

from som_mc.conventions import INPUT, TOTAL
from som_mc.present.locale import format_number
from som_mc.present.plots._format import number_format
from som_mc.present.plots._names import input_unit, is_share, short_input
from som_mc.present.plots._select import by_actor, money_meta, money_scale, require, sampled_input
from som_mc.present.plots._style import ACTOR_COLORS, finish, new_axes, zero_line
from som_mc.present.plots._text import actor_name, check_lang, money_label, word

__all__ = ["pv_vs_input"]

_BINS = 20


def _binned_means(x: np.ndarray, y: np.ndarray, bins: int) -> tuple[np.ndarray, np.ndarray]:
    """Means of x and y in up to ``bins`` groups of (about) equal count along x."""
    edges = np.unique(np.quantile(x, np.linspace(0.0, 1.0, bins + 1)))
    if len(edges) < 2:
        return np.array([x.mean()]), np.array([y.mean()])
    group = np.clip(np.searchsorted(edges, x, side="right") - 1, 0, len(edges) - 2)
    counts = np.bincount(group, minlength=len(edges) - 1)
    full = counts > 0
    mean_x = np.bincount(group, x, minlength=len(counts))[full] / counts[full]
    mean_y = np.bincount(group, y, minlength=len(counts))[full] / counts[full]
    return mean_x, mean_y


def pv_vs_input(
    ds: xr.Dataset,
    input: str | None = None,  # shadows the builtin, but "input" is the dim's name everywhere
    actor: str = TOTAL,
    ax: Axes | None = None,
    lang: str = "en",
    max_points: int = 3000,
) -> Axes:
    """Scatter of the present value against a sampled input, with the mean in bins of equal
    count along the input and the zero line: where the input must be for the case to pay.

    Parameters
    ----------
    ds : xarray.Dataset
        A Monte Carlo result of :func:`som_mc.run` (``present_value`` by draw and actor in
        DKK; ``inputs`` by draw and input).
    input : str, optional
        An uncertain input's name as ``som-mc inputs`` lists it (``"success.rate"``,
        ``"consequence.shelter_days.unit_price"``, ...). Default the success rate:
        ``success.rate``, or ``success.gross_rate`` when the case gives a gross rate and
        deadweight (as :func:`som_mc.analysis.sensitivity.switching_values` does).
    actor : {"total", "kommune", "region", "stat"}
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new 7 x 4 inch figure if None.
    lang : {"en", "da"}
    max_points : int
        Draws shown as points (evenly spaced through the sample); the binned mean uses all.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib.pyplot as plt, som_mc
    >>> from som_mc.present.plots import pv_vs_input
    >>> ds = som_mc.run(som_mc.example_path("cti"), draws=500, seed=1)
    >>> ax = pv_vs_input(ds, "success.rate", lang="da")
    >>> ax.get_xlabel()
    'Succesrate, %'
    >>> plt.close(ax.figure)
    """
    check_lang(lang)
    require(ds, ("present_value", "inputs"), "pv_vs_input")
    if input is None:
        sampled = set(ds[INPUT].values) if INPUT in ds.coords else set()
        input = "success.gross_rate" if "success.gross_rate" in sampled else "success.rate"
    x = sampled_input(ds, input).values
    pv = by_actor(ds["present_value"], actor).values
    scale = money_scale(pv)
    y = pv / scale
    factor = 100.0 if is_share(input) else 1.0
    color = ACTOR_COLORS[actor]

    ax = new_axes(ax)
    shown = np.unique(np.linspace(0, x.size - 1, min(x.size, max_points)).astype(int))
    ax.scatter(
        x[shown] * factor,
        y[shown],
        s=6,
        color=color,
        alpha=0.3,
        linewidths=0,
        label=word(
            "draws_shown", lang, k=format_number(len(shown), lang), n=format_number(x.size, lang)
        ),
    )
    mean_x, mean_y = _binned_means(x, y, _BINS)
    ax.plot(
        mean_x * factor,
        mean_y,
        color="black",
        linewidth=2,
        marker="o",
        markersize=3,
        label=word("binned_mean", lang, k=len(mean_x)),
    )
    zero_line(ax)
    name = short_input(input, lang)
    unit = input_unit(input, ds, lang)
    ax.set_xlabel(f"{name[:1].upper()}{name[1:]}" + (f", {unit}" if unit else ""))
    ax.set_ylabel(
        money_label(
            word("present_value", lang), lang, scale=scale, **money_meta(ds, "present_value")
        )
    )
    number_format(ax.xaxis, lang)
    number_format(ax.yaxis, lang)
    ax.legend(loc="best", frameon=False, fontsize=8, markerscale=2)
    title = word("pv_vs_input", lang, x=name) + f": {actor_name(actor, lang)}"
    return finish(ax, title, grid="both")
