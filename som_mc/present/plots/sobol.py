"""Sobol' indices: the share of the present value's variance due to each input."""

from __future__ import annotations

import numpy as np
import xarray as xr
from matplotlib.axes import Axes

from som_mc.conventions import INPUT, TOTAL
from som_mc.errors import InputError
from som_mc.present.plots._bars import bottom_legend, input_rows, no_variation
from som_mc.present.plots._format import number_format
from som_mc.present.plots._select import output_of
from som_mc.present.plots._style import ACTOR_COLORS, finish, new_axes
from som_mc.present.plots._text import actor_name, check_lang, word

__all__ = ["sobol_plot"]


def _errors(values: np.ndarray, ci: np.ndarray) -> np.ndarray:
    """Error-bar lengths (2, n) from a (n, 2) interval; none where the interval is NaN."""
    err = np.stack([values - ci[:, 0], ci[:, 1] - values])
    return np.clip(np.nan_to_num(err), 0.0, None)


def _interval(ds: xr.Dataset, key: str, output: str, n: int) -> np.ndarray:
    """The (input, 2) lower and upper bounds of ``key``, NaN if the Dataset has none."""
    if key not in ds:
        return np.full((n, 2), np.nan)
    bounds = output_of(ds[key], output).sel(ci_bound=["lower", "upper"])
    return bounds.transpose(INPUT, "ci_bound").values


def sobol_plot(
    sobol_ds: xr.Dataset,
    output: str = TOTAL,
    ax: Axes | None = None,
    lang: str = "en",
    max_inputs: int = 10,
) -> Axes:
    """First-order (S1) and total (ST) Sobol' indices per input or group, as pairs of
    horizontal bars with their 95 % intervals; largest total index on top.

    Parameters
    ----------
    sobol_ds : xarray.Dataset
        A result of :func:`som_mc.analysis.sensitivity.sobol` (``S1``, ``ST`` by input and output;
        ``S1_ci``, ``ST_ci`` with ``ci_bound`` lower/upper). Indices are shares of variance
        (dimensionless). An output without variation (all NaN) is reported on the plot.
    output : {"total", "kommune", "region", "stat"}
        Whose present value.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new 7 x 4 inch figure if None.
    lang : {"en", "da"}
    max_inputs : int
        Show at most this many inputs (the largest total indices).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib.pyplot as plt, som_mc
    >>> from som_mc.present.plots import sobol_plot
    >>> sob = som_mc.sobol(som_mc.example_path("cti"), 64, seed=1, replicates=2)
    >>> ax = sobol_plot(sob, "region")  # the CTI case does not touch the region
    >>> "No variation" in ax.texts[0].get_text()
    True
    >>> plt.close(ax.figure)
    """
    check_lang(lang)
    if not {"S1", "ST"} <= set(sobol_ds.data_vars):
        raise InputError(
            "dataset", "sobol_plot needs a result of som_mc.analysis.sensitivity.sobol"
        )
    s1 = output_of(sobol_ds["S1"], output).values
    st = output_of(sobol_ds["ST"], output).values
    s1_ci, st_ci = (_interval(sobol_ds, key, output, len(s1)) for key in ("S1_ci", "ST_ci"))
    valid = np.flatnonzero(np.isfinite(st) | np.isfinite(s1))
    order = valid[np.argsort(-np.nan_to_num(st[valid], nan=-np.inf), kind="stable")]
    shown = order[:max_inputs]
    color = ACTOR_COLORS[output]

    ax = new_axes(ax)
    if len(shown) == 0:
        no_variation(ax, word("no_variation", lang, who=actor_name(output, lang)))
        ax.set_xlim(0.0, 1.0)
    else:
        names = [str(n) for n in sobol_ds[INPUT].values[shown]]
        rows, used = input_rows(ax, names, lang, hidden=len(order) - len(shown))
        h = 0.38
        error = {"ecolor": "black", "elinewidth": 0.8, "capsize": 2}
        s1s, sts = np.nan_to_num(s1[shown]), np.nan_to_num(st[shown])
        ax.barh(
            rows - h / 2,
            s1s,
            h,
            color=color,
            alpha=0.4,
            label=word("first_order", lang),
            xerr=_errors(s1s, s1_ci[shown]),
            error_kw=error,
        )
        ax.barh(
            rows + h / 2,
            sts,
            h,
            color=color,
            label=word("total_order", lang),
            xerr=_errors(sts, st_ci[shown]),
            error_kw=error,
        )
        # Intervals from a few scrambles can be wide; the view stays near [0, 1] and lets a
        # very wide interval run off the edge rather than shrink every bar.
        ends = np.concatenate([s1s, sts, s1_ci[shown].ravel(), st_ci[shown].ravel()])
        ends = ends[np.isfinite(ends)]
        top = max(float(np.max([s1s, sts])), 0.05)
        ax.set_xlim(
            float(np.clip(ends.min(), -0.1, 0.0)) - 0.02,
            float(np.clip(ends.max(), top, 1.05)) + 0.03,
        )
        bottom_legend(ax, ax.get_legend_handles_labels()[0], used)
    ax.axvline(0.0, color="black", linewidth=0.8)
    ax.set_xlabel(word("sobol_axis", lang))
    ax.set_ylabel(word("input_or_group", lang))
    number_format(ax.xaxis, lang)
    return finish(ax, f"{word('sobol', lang)}: {actor_name(output, lang)}", grid="x")
