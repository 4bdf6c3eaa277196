"""Fan chart: the cumulative net result by year, median with 50 % and 90 % bands."""

from __future__ import annotations

import xarray as xr
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator

from som_mc.conventions import DRAW, TOTAL, YEAR
from som_mc.present.plots._format import number_format
from som_mc.present.plots._select import by_actor, money_meta, money_scale, require
from som_mc.present.plots._style import ACTOR_COLORS, finish, new_axes, zero_line
from som_mc.present.plots._text import actor_name, check_lang, money_label, word

__all__ = ["fan_chart"]


def fan_chart(ds: xr.Dataset, actor: str = TOTAL, ax: Axes | None = None, lang: str = "en") -> Axes:
    """The cumulative net result by year: median line, 50 % and 90 % bands, and zero.

    The year the median crosses zero is the median break-even year; the bands show how sure
    that is.

    Parameters
    ----------
    ds : xarray.Dataset
        A Monte Carlo result of :func:`som_mc.run` (``cumulative`` by draw, year, actor; DKK,
        undiscounted, in the case's price year).
    actor : {"total", "kommune", "region", "stat"}
        One actor, or all together.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new 7 x 4 inch figure if None.
    lang : {"en", "da"}
        Language of labels and numbers.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib.pyplot as plt, som_mc
    >>> from som_mc.present.plots import fan_chart
    >>> ds = som_mc.run(som_mc.example_path("cti"), draws=500, seed=1)
    >>> ax = fan_chart(ds, "kommune", lang="da")
    >>> ax.get_ylabel()
    'Kumuleret nettoresultat, mio. kr. (2024-priser)'
    >>> plt.close(ax.figure)
    """
    check_lang(lang)
    require(ds, ("cumulative",), "fan_chart")
    cumulative = by_actor(ds["cumulative"], actor)
    bands = cumulative.quantile([0.05, 0.25, 0.75, 0.95], DRAW).values
    median = cumulative.median(DRAW).values
    scale = money_scale(bands, median)
    years = cumulative[YEAR].values
    color = ACTOR_COLORS[actor]

    ax = new_axes(ax)
    outer = ax.fill_between(
        years, bands[0] / scale, bands[3] / scale, color=color, alpha=0.15, linewidth=0
    )
    inner = ax.fill_between(
        years, bands[1] / scale, bands[2] / scale, color=color, alpha=0.3, linewidth=0
    )
    (line,) = ax.plot(years, median / scale, color=color, linewidth=2, marker="o", markersize=3.5)
    zero_line(ax)
    ax.set_xlabel(word("year", lang))
    ax.set_ylabel(
        money_label(word("cumulative", lang), lang, scale=scale, **money_meta(ds, "cumulative"))
    )
    ax.set_xlim(years[0] - 0.2, years[-1] + 0.2)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    number_format(ax.xaxis, lang)
    number_format(ax.yaxis, lang)
    ax.legend(
        [line, inner, outer],
        [word("median", lang), word("band50", lang), word("band90", lang)],
        loc="best",
        frameon=False,
    )
    return finish(ax, f"{word('cumulative', lang)}: {actor_name(actor, lang)}")
