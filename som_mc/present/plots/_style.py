"""The look shared by every plot: one colour per actor, the figure size, the zero line.

Colours are the Okabe–Ito palette, which stays distinct for colour-blind readers and in grey
print. Each actor keeps its colour on every plot; gains and costs have their own two.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.axes import Axes

__all__ = [
    "ACTOR_COLORS",
    "COST_COLOR",
    "FIGSIZE",
    "GAIN_COLOR",
    "MUTED",
    "finish",
    "new_axes",
    "zero_line",
]

#: One colour per actor and for the total (all actors together).
ACTOR_COLORS: dict[str, str] = {
    "kommune": "#0072B2",  # blue
    "region": "#E69F00",  # orange
    "stat": "#CC79A7",  # reddish purple
    "total": "#333333",  # near black
}
GAIN_COLOR = "#009E73"  # bluish green
COST_COLOR = "#D55E00"  # vermillion
MUTED = "#999999"  # "never", reference lines
#: The mean as a white diamond on interval bars (ax.plot keywords; add a markersize).
MEAN_MARKER = {
    "linestyle": "none",
    "marker": "D",
    "markerfacecolor": "white",
    "markeredgecolor": "black",
    "markeredgewidth": 1.2,
    "zorder": 3,
}

#: Report size in inches: readable on an A4 page at full text width.
FIGSIZE: tuple[float, float] = (7.0, 4.0)


def new_axes(ax: Axes | None, figsize: tuple[float, float] = FIGSIZE) -> Axes:
    """``ax`` itself, or the Axes of a new figure of report size.

    Constrained layout makes room for long labels without ``tight_layout``'s warnings.
    """
    if ax is not None:
        return ax
    _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def zero_line(ax: Axes, vertical: bool = False) -> None:
    """A thin black line at zero, behind the data."""
    line = ax.axvline if vertical else ax.axhline
    line(0.0, color="black", linewidth=0.8, zorder=1.5)


def finish(ax: Axes, title: str, grid: str = "y") -> Axes:
    """Title at the left, no top or right frame, a light grid along ``grid`` ("x" or "y")."""
    ax.set_title(title, loc="left", fontsize=11)
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis=grid, color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    return ax
