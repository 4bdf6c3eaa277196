"""Tornado: the present value with each input at a low and a high quantile, the others at
their means."""

from __future__ import annotations

import numpy as np
import xarray as xr
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from som_mc.conventions import INPUT, QUANTILE, TOTAL
from som_mc.errors import InputError
from som_mc.present.locale import format_number
from som_mc.present.plots._bars import bottom_legend, input_rows, no_variation
from som_mc.present.plots._format import number_format
from som_mc.present.plots._select import money_meta, money_scale, output_of
from som_mc.present.plots._style import finish, new_axes
from som_mc.present.plots._text import actor_name, check_lang, money_label, ordinal_percentile, word

__all__ = ["tornado_plot"]

LOW_COLOR = "#56B4E9"  # sky blue: the input at its low quantile
HIGH_COLOR = "#0072B2"  # blue: the input at its high quantile


def tornado_plot(
    tornado_ds: xr.Dataset,
    output: str = TOTAL,
    ax: Axes | None = None,
    lang: str = "en",
    max_inputs: int = 10,
) -> Axes:
    """Horizontal bars from the base present value (every input at its mean) to the present
    value with one input at its low and at its high quantile, largest swing on top.

    Parameters
    ----------
    tornado_ds : xarray.Dataset
        A result of :func:`som_mc.analysis.sensitivity.tornado` (``present_value`` by input,
        quantile
        and output, ``base`` and ``swing`` by output; DKK in the case's price year).
    output : {"total", "kommune", "region", "stat"}
        Whose present value.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new 7 x 4 inch figure if None.
    lang : {"en", "da"}
    max_inputs : int
        Show at most this many inputs (those with the largest swing); inputs that do not move
        this output are left out.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib.pyplot as plt, som_mc
    >>> from som_mc.present.plots import tornado_plot
    >>> tor = som_mc.tornado(som_mc.load_case(som_mc.example_path("cti")))
    >>> ax = tornado_plot(tor, lang="da")
    >>> ax.get_yticklabels()[0].get_text()
    'succesrate'
    >>> plt.close(ax.figure)
    """
    check_lang(lang)
    if not {"present_value", "base", "swing"} <= set(tornado_ds.data_vars):
        raise InputError(
            "dataset", "tornado_plot needs a result of som_mc.analysis.sensitivity.tornado"
        )
    pv = output_of(tornado_ds["present_value"], output)
    base = float(output_of(tornado_ds["base"], output))
    swing = output_of(tornado_ds["swing"], output).values
    moving = np.flatnonzero(swing > 0)
    order = moving[np.argsort(-swing[moving], kind="stable")]
    shown = order[:max_inputs]
    low_q, high_q = (float(q) for q in pv[QUANTILE].values)
    low = pv.isel({INPUT: shown, QUANTILE: 0}).values
    high = pv.isel({INPUT: shown, QUANTILE: 1}).values
    scale = money_scale(low, high, base)
    names = [str(n) for n in pv[INPUT].values[shown]]

    ax = new_axes(ax)
    ax.axvline(base / scale, color="black", linewidth=1)
    if len(shown) == 0:
        no_variation(ax, word("no_variation", lang, who=actor_name(output, lang)))
    else:
        rows, used = input_rows(ax, names, lang, hidden=len(order) - len(shown))
        b = base / scale
        ax.barh(rows, low / scale - b, 0.6, left=b, color=LOW_COLOR)
        ax.barh(rows, high / scale - b, 0.6, left=b, color=HIGH_COLOR)
        low_label = word("at_quantile", lang, q=ordinal_percentile(low_q, lang))
        high_label = word("at_quantile", lang, q=ordinal_percentile(high_q, lang))
        base_label = word("base", lang, v=format_number(b, lang, 1))
        handles = [
            Patch(color=LOW_COLOR, label=low_label),
            Patch(color=HIGH_COLOR, label=high_label),
            Line2D([], [], color="black", linewidth=1, label=base_label),
        ]
        bottom_legend(ax, handles, used)
    meta = money_meta(tornado_ds, "present_value")
    ax.set_xlabel(money_label(word("present_value", lang), lang, scale=scale, **meta))
    ax.set_ylabel(word("uncertain_input", lang))
    number_format(ax.xaxis, lang)
    return finish(ax, f"{word('tornado', lang)}: {actor_name(output, lang)}", grid="x")
