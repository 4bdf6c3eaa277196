"""Value of information: EVPPI per input or group against the EVPI of all inputs."""

from __future__ import annotations

import numpy as np
import xarray as xr
from matplotlib.axes import Axes

from som_mc.conventions import INPUT, TOTAL
from som_mc.errors import InputError
from som_mc.present.locale import format_money, format_number
from som_mc.present.plots._bars import bottom_legend, input_rows, no_variation
from som_mc.present.plots._format import number_format
from som_mc.present.plots._select import money_meta, money_scale, output_of
from som_mc.present.plots._style import ACTOR_COLORS, MUTED, finish, new_axes
from som_mc.present.plots._text import actor_name, check_lang, money_label, word

__all__ = ["evppi_plot"]


def evppi_plot(
    voi_ds: xr.Dataset,
    output: str = TOTAL,
    ax: Axes | None = None,
    lang: str = "en",
    max_inputs: int = 10,
) -> Axes:
    """Expected value of partial perfect information (EVPPI) of each input or group, as bars,
    with the expected value of perfect information about everything (EVPI) as a line.

    Parameters
    ----------
    voi_ds : xarray.Dataset
        A result of :func:`som_mc.analysis.sensitivity.value_of_information` (``evpi`` by output,
        ``evppi`` by input and output; DKK in the case's price year).
    output : {"total", "kommune", "region", "stat"}
        Whose decision: invest if the expected present value of this output is positive.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new 7 x 4 inch figure if None.
    lang : {"en", "da"}
    max_inputs : int
        Show at most this many inputs or groups (the largest EVPPI).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib.pyplot as plt, som_mc
    >>> from som_mc.present.plots import evppi_plot
    >>> voi = som_mc.value_of_information(som_mc.example_path("cti"), 1000, seed=1)
    >>> ax = evppi_plot(voi)
    >>> ax.get_xlabel()
    'Expected value of perfect information, thousand DKK (2024 prices)'
    >>> plt.close(ax.figure)
    """
    check_lang(lang)
    if not {"evpi", "evppi"} <= set(voi_ds.data_vars):
        raise InputError(
            "dataset",
            "evppi_plot needs a result of som_mc.analysis.sensitivity.value_of_information",
        )
    evpi = float(output_of(voi_ds["evpi"], output))
    evppi = output_of(voi_ds["evppi"], output).values
    valid = np.flatnonzero(np.isfinite(evppi))
    order = valid[np.argsort(-evppi[valid], kind="stable")]
    shown = order[:max_inputs]
    scale = money_scale(evpi, evppi[shown])
    color = ACTOR_COLORS[output]
    meta = money_meta(voi_ds, "evppi")

    ax = new_axes(ax)
    if not evpi > 0 and not np.any(evppi[valid] > 0):
        no_variation(ax, word("no_voi", lang, who=actor_name(output, lang)))
        ax.set_xlim(0.0, 1.0)
    else:
        names = [str(n) for n in voi_ds[INPUT].values[shown]]
        rows, used = input_rows(ax, names, lang, hidden=len(order) - len(shown))
        values = evppi[shown] / scale
        bars = ax.barh(rows, values, 0.6, color=color, label=word("evppi_bars", lang))
        decimals = 1 if values.max(initial=0.0) < 100 else 0
        ax.bar_label(
            bars, [format_number(v, lang, decimals) for v in values], padding=3, fontsize=8
        )
        ax.axvline(
            evpi / scale,
            color=MUTED,
            linestyle="--",
            linewidth=1.5,
            label=word("evpi_line", lang, v=format_money(evpi, lang)),
        )
        ax.set_xlim(0.0, max(evpi, float(evppi[shown].max(initial=0.0))) / scale * 1.12)
        bottom_legend(ax, ax.get_legend_handles_labels()[0], used)
    ax.set_xlabel(money_label(word("evppi_axis", lang), lang, scale=scale, **meta))
    ax.set_ylabel(word("input_or_group", lang))
    number_format(ax.xaxis, lang)
    return finish(ax, f"{word('evppi', lang)}: {actor_name(output, lang)}", grid="x")
