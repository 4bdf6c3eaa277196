"""When does the investment break even? The share of draws by break-even year, and "never"."""

from __future__ import annotations

import numpy as np
import xarray as xr
from matplotlib.axes import Axes

from som_mc.conventions import ACTOR, TOTAL, YEAR
from som_mc.present.locale import format_percent
from som_mc.present.plots._format import number_format
from som_mc.present.plots._select import check_choice, require
from som_mc.present.plots._style import ACTOR_COLORS, MUTED, finish, new_axes
from som_mc.present.plots._text import actor_name, check_lang, word

__all__ = ["break_even_distribution"]

_LABELLED_BARS = 15  # above this many years the bars carry no percentages (they would crowd)


def break_even_distribution(
    ds: xr.Dataset, actor: str = TOTAL, ax: Axes | None = None, lang: str = "en"
) -> Axes:
    """Bar chart of the share of draws that first break even in each year, plus a "never"
    bar for the draws that do not break even within the horizon; the bars add up to 1.

    Parameters
    ----------
    ds : xarray.Dataset
        A Monte Carlo result of :func:`som_mc.run` (``break_even_year`` by draw, NaN = never;
        ``break_even_year_by_actor`` for one actor).
    actor : {"total", "kommune", "region", "stat"}
        ``"total"``: when all actors together break even.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new 7 x 4 inch figure if None.
    lang : {"en", "da"}

    Returns
    -------
    matplotlib.axes.Axes
        Bar heights are shares (0 to 1); the y axis shows them in %.

    Examples
    --------
    >>> import matplotlib.pyplot as plt, som_mc
    >>> from som_mc.present.plots import break_even_distribution
    >>> ds = som_mc.run(som_mc.example_path("cti"), draws=500, seed=1)
    >>> ax = break_even_distribution(ds)
    >>> print(round(sum(bar.get_height() for bar in ax.patches), 12))
    1.0
    >>> plt.close(ax.figure)
    """
    check_lang(lang)
    check_choice(actor, "actor")
    if actor == TOTAL:
        require(ds, ("break_even_year",), "break_even_distribution")
        years_drawn = ds["break_even_year"].values
    else:
        require(ds, ("break_even_year_by_actor",), "break_even_distribution")
        years_drawn = ds["break_even_year_by_actor"].sel({ACTOR: actor}).values
    years = ds[YEAR].values
    shares = np.array([np.mean(years_drawn == y) for y in years])
    never = float(np.mean(np.isnan(years_drawn)))

    ax = new_axes(ax)
    never_at = years[-1] + 1.5  # a gap sets "never" apart from the years
    positions = np.append(years, never_at)
    heights = np.append(shares, never)
    colors = [ACTOR_COLORS[actor]] * len(years) + [MUTED]
    bars = ax.bar(positions, heights, 0.8, color=colors)
    if len(years) <= _LABELLED_BARS:
        labels = [format_percent(h, lang, 0 if h >= 0.1 or h == 0 else 1) for h in heights]
        ax.bar_label(bars, labels, padding=2, fontsize=8)
    step = max(1, int(np.ceil(len(years) / 12)))
    ticks = [*years[::step], never_at]
    ax.set_xticks(ticks, [*(str(y) for y in years[::step]), word("never", lang)])
    ax.set_xlabel(word("break_even_year", lang))
    ax.set_ylabel(word("share_of_draws", lang))
    ax.set_ylim(0, max(heights.max() * 1.12, 0.05))
    number_format(ax.yaxis, lang, factor=100.0)
    within = format_percent(1.0 - never, lang)
    ax.text(
        0.02,
        0.97,
        word("within", lang, T=len(years), p=within),
        transform=ax.transAxes,
        va="top",
        fontsize=10,
    )
    return finish(ax, f"{word('break_even', lang)} ({actor_name(actor, lang)})")
