"""Shapley effects of a case with correlated inputs: each input's share of the variance of
each actor's present value (and the total), shares that add up to 1 per actor."""

from __future__ import annotations

import numpy as np
import xarray as xr
from matplotlib.axes import Axes

from som_mc.conventions import ACTORS, INPUT, TOTAL
from som_mc.errors import InputError
from som_mc.present.plots._bars import bottom_legend, input_rows, no_variation
from som_mc.present.plots._format import number_format
from som_mc.present.plots._style import ACTOR_COLORS, finish, new_axes
from som_mc.present.plots._text import actor_name, check_lang

__all__ = ["shapley_plot"]

#: The plot's own words, in English and Danish.
_WORDS = {
    "en": {
        "title": "Shapley effects per actor (correlated inputs)",
        "axis": "Share of the variance of the present value (adds up to 1 per actor)",
        "input": "Input or group",
        "none": "No actor's present value varies",
    },
    "da": {
        "title": "Shapley-effekter pr. aktør (korrelerede input)",
        "axis": "Andel af nutidsværdiens varians (summerer til 1 pr. aktør)",
        "input": "Input eller gruppe",
        "none": "Ingen aktørs nutidsværdi varierer",
    },
}


def shapley_plot(
    ds: xr.Dataset,
    ax: Axes | None = None,
    lang: str = "en",
    max_inputs: int = 10,
    outputs: tuple[str, ...] = (TOTAL, *ACTORS),
) -> Axes:
    """Horizontal bars of every input's Shapley effect, one bar per actor (and the total), with
    their 95 % intervals; the input with the largest effect on the total on top.

    Parameters
    ----------
    ds : xarray.Dataset
        A result of :func:`som_mc.analysis.sensitivity.dependent.correlated_sensitivity`
        (``shapley`` and ``shapley_ci`` by input and output). An actor whose present value
        does not vary (NaN) gets no bar.
    ax : matplotlib.axes.Axes, optional
    lang : {"en", "da"}
    max_inputs : int
    outputs : tuple of str
        The actors to show, and ``"total"``.

    Returns
    -------
    matplotlib.axes.Axes
    """
    check_lang(lang)
    words = _WORDS[lang]
    if "shapley" not in ds:
        raise InputError("dataset", "shapley_plot needs a result of correlated_sensitivity")
    shown_outputs = [
        o for o in outputs if o in ds.output.values and np.isfinite(ds.shapley.sel(output=o)).any()
    ]
    ax = new_axes(ax)
    if not shown_outputs:
        no_variation(ax, words["none"])
        return finish(ax, words["title"], grid="x")
    key = TOTAL if TOTAL in shown_outputs else shown_outputs[0]
    lead = np.nan_to_num(ds.shapley.sel(output=key).values, nan=-np.inf)
    order = np.argsort(-lead, kind="stable")
    shown = order[:max_inputs]
    names = [str(n) for n in ds[INPUT].values[shown]]
    rows, used = input_rows(ax, names, lang, hidden=len(order) - len(shown))
    h = 0.8 / len(shown_outputs)
    for k, out in enumerate(shown_outputs):
        values = np.nan_to_num(ds.shapley.sel(output=out).values[shown])
        ci = ds.shapley_ci.sel(output=out).transpose(INPUT, "ci_bound").values[shown]
        err = np.clip(np.nan_to_num(np.stack([values - ci[:, 0], ci[:, 1] - values])), 0, None)
        ax.barh(
            rows - 0.4 + h * (k + 0.5),
            values,
            h,
            color=ACTOR_COLORS[out],
            label=actor_name(out, lang, capital=True),
            xerr=err,
            error_kw={"ecolor": "black", "elinewidth": 0.6, "capsize": 1.5},
        )
    bottom_legend(ax, ax.get_legend_handles_labels()[0], used)
    ax.axvline(0.0, color="black", linewidth=0.8)
    ax.set_xlabel(words["axis"])
    ax.set_ylabel(words["input"])
    number_format(ax.xaxis, lang)
    return finish(ax, words["title"], grid="x")
