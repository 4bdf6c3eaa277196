"""Tick labels in the plot's language: 1.234,5 in Danish, 1,234.5 in English, "−" for minus."""

from __future__ import annotations

import numpy as np
from matplotlib.axis import Axis
from matplotlib.ticker import Formatter, NullFormatter

from som_mc.present.locale import format_number

__all__ = ["LocaleFormatter", "number_format"]


class LocaleFormatter(Formatter):
    """Ticks as :func:`som_mc.present.locale.format_number` writes them, with as few decimals as the
    tick spacing needs (0.25 gets two, 0.5 one, 5 none).

    Parameters
    ----------
    lang : {"en", "da"}
    factor : float
        Multiplies each tick before it is written: 100 shows shares as percentages.
    """

    def __init__(self, lang: str, factor: float = 1.0) -> None:
        self.lang = lang
        self.factor = factor
        self.decimals = 0

    def set_locs(self, locs: list[float]) -> None:
        super().set_locs(locs)
        values = np.asarray(locs, dtype=float)
        if self.axis is not None:  # locators also return ticks just outside the view
            low, high = sorted(self.axis.get_view_interval())
            slack = 1e-9 * max(abs(low), abs(high), 1.0)
            values = values[(values >= low - slack) & (values <= high + slack)]
        values = values[np.isfinite(values)] * self.factor
        self.decimals = 0
        for decimals in range(7):
            scaled = values * 10.0**decimals
            tolerance = 1e-6 * max(1.0, float(np.abs(scaled).max(initial=0.0)))
            if np.allclose(scaled, np.round(scaled), rtol=0.0, atol=tolerance):
                self.decimals = decimals
                break
        else:
            self.decimals = 6

    def __call__(self, x: float, pos: int | None = None) -> str:
        return format_number(x * self.factor, self.lang, self.decimals)


def number_format(axis: Axis, lang: str, factor: float = 1.0) -> None:
    """Write ``axis``'s major ticks the ``lang`` way and leave minor ticks unlabelled."""
    axis.set_major_formatter(LocaleFormatter(lang, factor))
    axis.set_minor_formatter(NullFormatter())
