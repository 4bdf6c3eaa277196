"""A portfolio of options compared on the same draws: which is best, and what choosing it risks.

Reads a result of :func:`som_mc.portfolio` (or of :func:`som_mc.analysis.decision.compare`): for
each
actor and in total, the share of draws in which each option has the highest present value
(bars, left axis) and the expected loss of choosing it, the mean shortfall from the best
option of each draw (diamonds, right axis). The option with the smallest expected loss is the
one with the highest mean present value; that smallest loss is the EVPI of the choice.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import xarray as xr
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from som_mc.conventions import ACTOR, ACTORS_AND_TOTAL, OPTION
from som_mc.errors import InputError
from som_mc.present.plots._format import number_format
from som_mc.present.plots._select import CHOICES, check_choice, money_meta, money_scale
from som_mc.present.plots._style import MEAN_MARKER, finish, new_axes
from som_mc.present.plots._text import actor_name, check_lang, money_label, word

__all__ = ["OPTION_COLORS", "portfolio_plot"]

#: Colours of the options, in the order of the ``option`` dim: the Okabe–Ito colours not
#: already used for an actor first, so an option is not mistaken for an actor.
OPTION_COLORS: tuple[str, ...] = (
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#009E73",  # bluish green
    "#F0E442",  # yellow
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#CC79A7",  # reddish purple
)

_ORDER = ACTORS_AND_TOTAL

# (English, Danish): the words of this plot only.
_WORDS: dict[str, tuple[str, str]] = {
    "title": ("Which option is best?", "Hvilket alternativ er bedst?"),
    "p_best_axis": (
        "Probability of being the best option, %",
        "Sandsynlighed for at være bedst, %",
    ),
    "loss_axis": ("Expected loss of choosing it", "Forventet tab ved at vælge det"),
    "loss_marker": ("Expected loss (◆, right axis)", "Forventet tab (◆, højre akse)"),
    "equal": ("equal in\nevery draw", "ens i alle\ntrækninger"),
}

# Headroom above 100 % (and above the largest loss) for the legend.
_TOP = 1.32


def _word(key: str, lang: str) -> str:
    return _WORDS[key][check_lang(lang)]


def _option_label(option: object) -> str:
    """An option's name as shown: ``housing_first`` reads ``housing first``."""
    return str(option).replace("_", " ")


def _check(ds: xr.Dataset, actors: Sequence[str] | None) -> list[str]:
    """The actors to show, after checking that ``ds`` is a comparison of options."""
    needed = ("p_best", "expected_loss")
    missing = [v for v in needed if v not in getattr(ds, "data_vars", {})]
    if missing:
        raise InputError(
            "dataset",
            "portfolio_plot needs a result of som_mc.portfolio with p_best and expected_loss "
            f"by option and actor; {', '.join(repr(v) for v in missing)} missing",
        )
    for v in needed:
        if set(ds[v].dims) != {OPTION, ACTOR}:
            raise InputError(
                "dataset", f"{v} has dims {list(ds[v].dims)}; portfolio_plot needs option, actor"
            )
    have = [str(a) for a in ds[ACTOR].values]
    if actors is None:
        return [a for a in _ORDER if a in have]
    if isinstance(actors, str):
        actors = [actors]
    if len(actors) == 0:
        raise InputError("actors", "is empty; give one or more of " + ", ".join(CHOICES))
    for a in actors:
        check_choice(a, "actors")
        if a not in have:
            raise InputError("actors", f"{a!r} is not in this result; it has {', '.join(have)}")
    return list(actors)


def portfolio_plot(
    ds: xr.Dataset,
    ax: Axes | None = None,
    lang: str = "en",
    actors: Sequence[str] | None = None,
) -> Axes:
    """For each actor and in total: the probability that each option is the best (bars) and
    the expected loss of choosing it (diamonds on a right-hand axis).

    An option is best in a draw when its present value is the highest of the options in that
    draw; options that tie share the draw, so each actor's bars add up to 100 %. The expected
    loss is what choosing the option gives up on average against the best option of each draw:
    0 for an option that is best in every draw. Where the options are equal in every draw (an
    actor none of them touches), the bars are pale and the plot says so.

    Parameters
    ----------
    ds : xarray.Dataset
        A result of :func:`som_mc.portfolio` (``p_best``, a share, and ``expected_loss``, DKK
        discounted in the cases' price year, by option and actor with ``total``).
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new 7 x 4 inch figure if None. The losses go on a twin axis
        sharing its x axis (``ax.right_ax``).
    lang : {"en", "da"}
    actors : sequence of {"kommune", "region", "stat", "total"}, optional
        Whose results to show, in this order; all of them by default.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes of the bars; ``ax.right_ax`` holds the losses.

    Examples
    --------
    >>> import matplotlib.pyplot as plt, som_mc
    >>> from som_mc.present.plots import portfolio_plot
    >>> from som_mc import portfolio
    >>> ds = portfolio({name: som_mc.example_path(name) for name in ("cti", "housing_first")},
    ...                draws=300, seed=1, discount_rate="fm2021")
    >>> ax = portfolio_plot(ds, lang="da")
    >>> [t.get_text() for t in ax.get_xticklabels()]
    ['Kommune', 'Region', 'Stat', 'I alt']
    >>> plt.close(ax.figure)
    """
    check_lang(lang)
    shown = _check(ds, actors)
    options = [str(o) for o in ds[OPTION].values]
    p_best = ds["p_best"].sel({ACTOR: shown}).transpose(OPTION, ACTOR).values
    loss = ds["expected_loss"].sel({ACTOR: shown}).transpose(OPTION, ACTOR).values
    # Losses are never negative, and all zero exactly when every option is best in every draw.
    equal = np.all(loss == 0.0, axis=0)
    scale = money_scale(loss)

    ax = new_axes(ax)
    right = ax.twinx()
    ax.right_ax = right  # for the reader of the returned Axes (tests, notebooks)
    n = len(options)
    width = 0.8 / n
    x = np.arange(len(shown))
    for i in range(n):
        color = OPTION_COLORS[i % len(OPTION_COLORS)]
        at = x - 0.4 + width * (i + 0.5)
        bars = ax.bar(at, p_best[i], width * 0.92, color=color, edgecolor=color)
        for bar, pale in zip(bars, equal, strict=True):
            if pale:
                bar.set_alpha(0.3)
        right.plot(
            at,
            loss[i] / scale,
            markersize=6,
            **MEAN_MARKER,
        )
    for j in np.flatnonzero(equal):
        ax.text(x[j], 1.02, _word("equal", lang), ha="center", va="bottom", fontsize=8)

    ax.set_ylim(0.0, _TOP)
    ax.set_yticks(np.linspace(0.0, 1.0, 5))
    number_format(ax.yaxis, lang, factor=100.0)
    ax.set_ylabel(_word("p_best_axis", lang))
    ax.set_xticks(x, [actor_name(a, lang, capital=True) for a in shown])
    ax.set_xlim(-0.6, len(shown) - 0.4)
    ax.set_xlabel(word("actor", lang))

    top = float(np.max(loss, initial=0.0)) / scale
    right.set_ylim(0.0, _TOP * top if top > 0 else 1.0)
    number_format(right.yaxis, lang)
    right.set_ylabel(
        money_label(_word("loss_axis", lang), lang, scale=scale, **money_meta(ds, "expected_loss")),
        fontsize=9,
    )
    right.spines[["top"]].set_visible(False)

    handles = [
        Patch(color=OPTION_COLORS[i % len(OPTION_COLORS)], label=_option_label(o))
        for i, o in enumerate(options)
    ]
    handles.append(
        Line2D(
            [],
            [],
            linestyle="none",
            marker="D",
            markerfacecolor="white",
            markeredgecolor="black",
            label=_word("loss_marker", lang),
        )
    )
    # The legend sits in the headroom above 100 %, on the Axes drawn last so nothing covers it.
    right.legend(
        handles=handles,
        loc="upper center",
        ncol=min(len(handles), 4),
        fontsize=8,
        frameon=False,
    )
    finish(ax, _word("title", lang))
    ax.spines[["right"]].set_visible(True)  # the loss axis
    return ax
