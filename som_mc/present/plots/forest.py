"""A forest plot of a random-effects meta-analysis (:func:`som_mc.inputs.pooling.pool`).

Each study's estimate with its 95 % interval, square marks sized by weight; the pooled mean
as a diamond spanning its confidence interval, and the prediction interval of a new setting
as a bar beneath it (metafor's ``addpred``). Ratios are drawn on the log scale with ratio
tick labels.
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.axes import Axes

from som_mc.inputs.pooling import PoolResult
from som_mc.present.locale import format_number
from som_mc.present.plots._style import ACTOR_COLORS, MUTED, new_axes
from som_mc.present.plots._text import check_lang

__all__ = ["forest_plot"]


# (English, Danish)
_WORDS = {
    "study": ("study", "studie"),
    "model": ("RE model", "RE-model"),
    "prediction": ("prediction interval", "prædiktionsinterval"),
    "smd": ("standardised mean difference", "standardiseret middelforskel"),
    "odds_ratio": ("odds ratio", "oddsratio"),
    "risk_ratio": ("risk ratio", "relativ risiko"),
    "effect": ("effect", "effekt"),
    "log": (" (log scale)", " (logaritmisk skala)"),
}


def forest_plot(result: PoolResult, ax: Axes | None = None, lang: str = "en") -> Axes:
    """Draw ``result`` as a forest plot in ``lang`` ("en" or "da"); returns the Axes."""
    col = check_lang(lang)

    def w(key: str) -> str:
        return _WORDS[key][col]

    ax = new_axes(ax, figsize=(7.0, 1.2 + 0.35 * (result.k + 3)))
    ratio = result.measure != "smd"
    z = 1.959963984540054
    rows = np.arange(result.k, 0, -1) + 1.0
    color = ACTOR_COLORS["kommune"]
    for row, study, weight in zip(rows, result.studies, result.weights, strict=False):
        ax.plot([study.y - z * study.se, study.y + z * study.se], [row, row], color=MUTED)
        ax.plot(study.y, row, "s", color=color, markersize=4 + 10 * math.sqrt(weight))
    lo, hi = result.ci
    mu = result.estimate
    ax.fill([lo, mu, hi, mu], [0.5, 0.8, 0.5, 0.2], color=color)
    ax.plot(list(result.pi), [-0.3, -0.3], color=color, linewidth=3)
    labels = [s.label or f"{w('study')} {i + 1}" for i, s in enumerate(result.studies)]
    hk = ", HK" if result.hartung_knapp else ""
    ax.set_yticks(
        [*rows, 0.5, -0.3],
        [*labels, f"{w('model')} ({result.method}{hk})", w("prediction")],
    )
    ax.axvline(0.0, color=MUTED, linewidth=0.8, linestyle=":")
    if ratio:
        ticks = ax.get_xticks()
        tick_text = [f"{math.exp(t):.2g}" for t in ticks]
        ax.set_xticks(ticks, [x.replace(".", ",") for x in tick_text] if col else tick_text)
    name = w(result.measure) if result.measure in _WORDS else w("effect")
    ax.set_xlabel(f"{name}{w('log') if ratio else ''}")
    tau2 = f"{result.tau2:.3g}".replace(".", ",") if col else f"{result.tau2:.3g}"
    ax.set_title(
        f"tau² {tau2}, I² {format_number(result.i2, lang)} %, Q {format_number(result.q, lang, 1)}"
        f" (df {result.k - 1})",
        loc="left",
        fontsize=10,
    )
    return ax
