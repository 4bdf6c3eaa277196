"""Shared pieces of the horizontal bar charts of sensitivity results (one row per input)."""

from __future__ import annotations

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes

from som_mc.present.plots._names import short_input, wrap
from som_mc.present.plots._text import word

__all__ = ["bottom_legend", "input_rows", "no_variation"]


def input_rows(
    ax: Axes, names: list[str], lang: str, hidden: int = 0, width: int = 30
) -> tuple[np.ndarray, int]:
    """Rows 0, 1, ... top to bottom, labelled with the inputs' readable names.

    Returns the bars' row positions and the number of rows used: one more than the names
    when ``hidden`` inputs were left out, for a last row that says how many.
    """
    rows = np.arange(len(names))
    # At 7 x 4 inches, 8-point labels have room for about 20 lines of text in all.
    lines = 3 if len(names) <= 6 else 2 if len(names) <= 10 else 1
    width = width if lines > 1 else width + 10
    labels = [wrap(short_input(n, lang), width, lines=lines) for n in names]
    ticks = list(rows)
    if hidden:
        ticks.append(len(names))
        labels.append(f"({word('and_more', lang, k=hidden)})")
    ax.set_yticks(ticks, labels, fontsize=8)
    if hidden:
        ax.get_yticklabels()[-1].set_style("italic")
        ax.yaxis.get_major_ticks()[-1].tick1line.set_visible(False)
    used = len(ticks)
    ax.set_ylim(used - 0.5, -0.5)  # first name on top
    return rows, used


def no_variation(ax: Axes, text: str) -> None:
    """Say in the middle of an empty plot why it is empty."""
    ax.set_yticks([])
    ax.text(0.5, 0.5, text, transform=ax.transAxes, ha="center", va="center", fontsize=10)


def bottom_legend(ax: Axes, handles: list[Artist], rows: int) -> None:
    """A legend in two columns in a strip kept free below the last of ``rows`` bars.

    Bars are sorted largest first, so the strip costs little room; a legend in a corner would
    cover the first bar (top) or, with long labels, the smallest ones.
    """
    strip = 0.6 + 0.45 * ((len(handles) + 1) // 2)  # in rows; about one row per legend line
    ax.set_ylim(rows - 0.5 + strip * max(1.0, rows / 8), -0.5)
    ax.legend(
        handles=handles,
        loc="lower center",
        ncol=2,
        fontsize=8,
        frameon=True,
        facecolor="white",
        edgecolor="none",
        framealpha=1.0,
    )
