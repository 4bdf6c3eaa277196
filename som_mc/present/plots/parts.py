"""The present value of each part of a result (a course's steps, a case's subgroups) and of
the parts together."""

from __future__ import annotations

import numpy as np
import xarray as xr
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from som_mc.conventions import DRAW, STEP, SUBGROUP, TOTAL
from som_mc.errors import InputError
from som_mc.present.plots._format import number_format
from som_mc.present.plots._select import by_actor, check_choice, money_meta, money_scale
from som_mc.present.plots._style import ACTOR_COLORS, MEAN_MARKER, finish, new_axes, zero_line
from som_mc.present.plots._text import actor_name, check_lang, money_label, word

__all__ = ["PART_DIMS", "QUANTILES", "parts_plot"]

#: The dims whose parts add up to the whole: a course's steps and a case's subgroups.
PART_DIMS: tuple[str, ...] = (STEP, SUBGROUP)

#: The quantiles drawn: the 90 % interval (thin bar) and the 50 % interval (thick bar).
QUANTILES: tuple[float, ...] = (0.05, 0.25, 0.5, 0.75, 0.95)

# (English, Danish): the words of this plot only.
_WORDS: dict[str, tuple[str, str]] = {
    "title_step": ("Present value by step", "Nutidsværdi pr. trin"),
    "title_subgroup": ("Present value by subgroup", "Nutidsværdi pr. delgruppe"),
    "all_step": ("All steps together", "Alle trin i alt"),
    "all_subgroup": ("All subgroups together", "Alle delgrupper i alt"),
    "axis_step": ("Step", "Trin"),
    "axis_subgroup": ("Subgroup", "Delgruppe"),
    "median_tick": ("Median (|)", "Median (|)"),
    "mean_marker": ("Mean (◆)", "Gennemsnit (◆)"),
}


def _word(key: str, lang: str) -> str:
    return _WORDS[key][check_lang(lang)]


def _labels(ds: xr.Dataset, dim: str) -> list[str]:
    """The parts' names: a subgroup's ``label`` when it has one, else its name."""
    names = [str(v) for v in ds[dim].values]
    label_coord = f"{dim}_label"
    if label_coord in ds.coords:
        labels = [str(v) for v in ds[label_coord].values]
        names = [lab or name for lab, name in zip(labels, names, strict=True)]
    names = [n.replace("_", " ") for n in names]
    # A combination course has one step named "a+b".
    return [n.replace("+", " + ") for n in names] if dim == STEP else names


def _check(ds: xr.Dataset, dim: str, output: str) -> str:
    """The variable holding the parts, after checking ``ds``, ``dim`` and ``output``."""
    if dim not in PART_DIMS:
        raise InputError("dim", f"{dim!r} is not allowed; allowed: {', '.join(PART_DIMS)}")
    check_choice(output, "output")
    variable = f"present_value_by_{dim}"
    source = "som_mc.run_course" if dim == STEP else "som_mc.run of a case with [[subgroup]]"
    have = getattr(ds, "data_vars", {})
    missing = [v for v in (variable, "present_value") if v not in have]
    if missing or DRAW not in ds.dims:
        lacks = ", ".join(repr(v) for v in missing) if missing else "the 'draw' dim"
        raise InputError(
            "dataset",
            f"parts_plot(dim={dim!r}) needs a Monte Carlo result of {source} with {variable} "
            f"and present_value; {lacks} missing",
        )
    return variable


def parts_plot(
    ds: xr.Dataset,
    dim: str = "step",
    output: str = TOTAL,
    ax: Axes | None = None,
    lang: str = "en",
) -> Axes:
    """The distribution of each part's present value, and of all parts together, as interval
    bars: 90 % interval (thin), 50 % interval (thick), median (|) and mean (◆).

    The parts add up to the whole draw by draw, so their means add up to the mean of the
    whole; their intervals do not (the parts' spreads partly cancel or add up, depending on
    how they move together), which is why the whole has its own row.

    Parameters
    ----------
    ds : xarray.Dataset
        For ``dim="step"`` a result of :func:`som_mc.run_course` (``present_value_by_step``);
        for ``dim="subgroup"`` a result of :func:`som_mc.run` of a case with ``[[subgroup]]``
        (``present_value_by_subgroup``); both with ``present_value`` by draw and actor (DKK,
        discounted, in the case's price year).
    dim : {"step", "subgroup"}
        Which parts.
    output : {"total", "kommune", "region", "stat"}
        Whose present value: one actor's, or all actors' together.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new 7 x 4 inch figure if None.
    lang : {"en", "da"}

    Returns
    -------
    matplotlib.axes.Axes
        One row per part, top to bottom in the Dataset's order, then the whole.

    Examples
    --------
    >>> import matplotlib.pyplot as plt, som_mc
    >>> from som_mc.inputs.examples import course_path
    >>> from som_mc.present.plots import parts_plot
    >>> ds = som_mc.run_course(course_path("cti_then_housing_first"), draws=300, seed=1)
    >>> ax = parts_plot(ds, "step", lang="da")
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['cti', 'housing first', 'Alle trin i alt']
    >>> plt.close(ax.figure)
    """
    check_lang(lang)
    variable = _check(ds, dim, output)
    parts = by_actor(ds[variable], output).transpose(dim, DRAW).values
    whole = by_actor(ds["present_value"], output).values
    values = np.vstack([parts, whole[np.newaxis]])  # (part + whole, draw)
    q = np.quantile(values, QUANTILES, axis=1)  # (quantile, row)
    mean = values.mean(axis=1)
    scale = money_scale(q, mean)
    q, mean = q / scale, mean / scale
    labels = [*_labels(ds, dim), _word(f"all_{dim}", lang)]
    color = ACTOR_COLORS[output]

    ax = new_axes(ax)
    rows = np.arange(len(labels), dtype=float)
    rows[-1] += 0.3  # a gap before the whole
    ax.barh(rows, q[4] - q[0], 0.22, left=q[0], color=color, alpha=0.35, linewidth=0)
    ax.barh(rows, q[3] - q[1], 0.5, left=q[1], color=color, alpha=0.8, linewidth=0)
    ax.plot(q[2], rows, linestyle="none", marker="|", markersize=16, mew=2, color="black")
    ax.plot(
        mean,
        rows,
        markersize=7,
        **MEAN_MARKER,
    )
    ax.axhline(rows[-1] - 0.65, color="#bbbbbb", linewidth=0.8)
    zero_line(ax, vertical=True)
    ax.set_yticks(rows, labels, fontsize=9)
    ax.get_yticklabels()[-1].set_fontweight("bold")
    handles = [
        Patch(color=color, alpha=0.35, label=word("band90", lang)),
        Patch(color=color, alpha=0.8, label=word("band50", lang)),
        Line2D([], [], linestyle="none", marker="|", mew=2, color="black",
               label=_word("median_tick", lang)),
        Line2D([], [], linestyle="none", marker="D", markerfacecolor="white",
               markeredgecolor="black", label=_word("mean_marker", lang)),
    ]  # fmt: skip
    # Bars start at their 5th percentile, which matplotlib keeps as a hard edge of the view:
    # a margin is added by hand so the widest bar does not touch the frame.
    low, high = min(float(q[0].min()), 0.0), max(float(q[4].max()), 0.0)
    pad = 0.04 * max(high - low, 1e-9)
    ax.set_xlim(low - pad, high + pad)
    # Below the last row, a strip for the legend's two lines.
    ax.set_ylim(rows[-1] + 1.4, -0.6)
    ax.legend(handles=handles, loc="lower center", ncol=2, fontsize=8, frameon=False)
    ax.set_xlabel(
        money_label(
            word("present_value", lang), lang, scale=scale, **money_meta(ds, "present_value")
        )
    )
    ax.set_ylabel(_word(f"axis_{dim}", lang))
    number_format(ax.xaxis, lang)
    title = f"{_word(f'title_{dim}', lang)}: {actor_name(output, lang)}"
    return finish(ax, title, grid="x")
