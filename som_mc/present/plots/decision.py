"""Decision curves over willingness to pay, and value of sample information by study size.

Each plot reads a Dataset of :mod:`som_mc.analysis.decision` (docs/decision.md) and, like
every plot of :mod:`som_mc.present.plots`, takes ``ax`` and ``lang`` (``"en"`` or ``"da"``):

- :func:`ceac_plot` — the probability that each option has the highest net benefit (CEAC)
  and the acceptability frontier (CEAF), with the switch points;
- :func:`loss_plot` — the expected loss of each option and the EVPI, the least of them;
- :func:`voi_curve_plot` — EVPI and the EVPPI of each input or group (bars for a sample of
  net benefits);
- :func:`evsi_plot` — EVSI and ENBS by the number of citizens a local evaluation follows.
"""

from __future__ import annotations

import numpy as np
import xarray as xr
from matplotlib.axes import Axes

from som_mc.conventions import INPUT, OPTION, SAMPLE_SIZE, WTP
from som_mc.errors import InputError
from som_mc.present.locale import format_money, format_number
from som_mc.present.plots._format import number_format
from som_mc.present.plots._select import money_scale
from som_mc.present.plots._style import MUTED, finish, new_axes
from som_mc.present.plots._text import check_lang, money_label

__all__ = ["ceac_plot", "evsi_plot", "loss_plot", "voi_curve_plot"]

# (English, Danish): the words of these plots only.
_WORDS: dict[str, tuple[str, str]] = {
    "wtp": ("Willingness to pay per unit of effect", "Betalingsvilje pr. effektenhed"),
    "ceac_axis": (
        "Probability of the highest net benefit, %",
        "Sandsynlighed for den højeste nettogevinst, %",
    ),
    "ceaf": ("frontier (CEAF)", "acceptabilitetsfront (CEAF)"),
    "switch": ("switch point", "skiftepunkt"),
    "ceac_title": ("Cost-effectiveness acceptability", "Acceptabilitet af omkostningseffektivitet"),
    "loss": ("Expected loss", "Forventet tab"),
    "loss_title": ("Expected loss of each option", "Forventet tab ved hvert alternativ"),
    "evpi": ("EVPI", "EVPI"),
    "voi": ("Value of information", "Værdi af information"),
    "evppi": ("EVPPI", "EVPPI"),
    "voi_title": ("EVPI and EVPPI", "EVPI og EVPPI"),
    "citizens": ("Citizens followed by the study", "Borgere fulgt af undersøgelsen"),
    "evsi": ("EVSI", "EVSI"),
    "enbs": ("ENBS (EVSI less the study's cost)", "ENBS (EVSI minus undersøgelsens pris)"),
    "evppi_rate": ("EVPPI of the rate", "EVPPI af raten"),
    "value": ("Value", "Værdi"),
    "evsi_title": ("Value of a local evaluation", "Værdi af en lokal evaluering"),
    "at_wtp": ("at willingness to pay {v}", "ved betalingsvilje {v}"),
}


def _word(key: str, lang: str, **fill: object) -> str:
    text = _WORDS[key][check_lang(lang)]
    return text.format(**fill) if fill else text


def _option_label(option: object) -> str:
    """An option's name as shown: ``housing_first`` reads ``housing first``."""
    return str(option).replace("_", " ")


def _require(ds: object, variables: tuple[str, ...], plot: str, source: str) -> None:
    have = getattr(ds, "data_vars", {})
    missing = [v for v in variables if v not in have]
    if missing:
        raise InputError(
            "dataset",
            f"{plot} needs a result of {source}; {', '.join(repr(v) for v in missing)} missing",
        )


def _x(ds: xr.Dataset, what: str) -> np.ndarray:
    if WTP not in ds.dims:
        raise InputError("dataset", f"{what} needs a dim wtp (a sample of costs and effects)")
    return ds[WTP].values


def _money_axis(axis, quantity: str, units: str, lang: str, *values: object) -> float:
    """Label a money axis (scaled to thousands, millions ... when a currency is known) and
    return the scale the values are divided by."""
    number_format(axis, lang)
    if not units:
        axis.set_label_text(quantity)
        return 1.0
    scale = money_scale(*values)
    axis.set_label_text(money_label(quantity, lang, scale=scale, currency=units))
    return scale


def _wtp_axis(
    ax: Axes, lang: str, ds: xr.Dataset, what: str, units: str
) -> tuple[np.ndarray, float]:
    """Label the willingness-to-pay axis (in thousands, millions ... of ``units`` when known);
    the grid in that unit, and the scale it was divided by."""
    grid = _x(ds, what)
    scale = _money_axis(ax.xaxis, _word("wtp", lang), units, lang, grid)
    return grid / scale, scale


def ceac_plot(cea_ds: xr.Dataset, ax: Axes | None = None, lang: str = "en") -> Axes:
    """CEAC of each option and the acceptability frontier (CEAF), over willingness to pay.

    Parameters
    ----------
    cea_ds : xarray.Dataset
        A result of :func:`som_mc.analysis.decision.cea`.
    ax : matplotlib.axes.Axes, optional
    lang : {"en", "da"}

    Returns
    -------
    matplotlib.axes.Axes
        One line per option and a dotted frontier (probabilities 0-1, ticks in %), a thin
        vertical line at each switch point.
    """
    check_lang(lang)
    _require(cea_ds, ("ceac", "ceaf"), "ceac_plot", "som_mc.analysis.decision.cea")
    ax = new_axes(ax)
    units = str(cea_ds.evpi.attrs.get("units", "")) if "evpi" in cea_ds else ""
    x, x_scale = _wtp_axis(ax, lang, cea_ds, "ceac_plot", units)
    for option in cea_ds[OPTION].values:
        ax.plot(x, cea_ds.ceac.sel({OPTION: option}), label=_option_label(option), linewidth=1.5)
    ax.plot(x, cea_ds.ceaf, color="black", linestyle=":", linewidth=2.5, label=_word("ceaf", lang))
    switches = np.atleast_1d(cea_ds.get("switch_wtp", xr.DataArray([])).values)
    for i, at in enumerate(switches):
        label = _word("switch", lang) if i == 0 else None
        ax.axvline(at / x_scale, color=MUTED, linewidth=0.8, label=label)
    ax.set_ylim(0.0, 1.0)
    ax.set_ylabel(_word("ceac_axis", lang))
    number_format(ax.yaxis, lang, factor=100.0)
    ax.legend(frameon=False, fontsize=8)
    return finish(ax, _word("ceac_title", lang))


def loss_plot(cea_ds: xr.Dataset, ax: Axes | None = None, lang: str = "en") -> Axes:
    """Expected loss of each option and the EVPI (the least of them), over willingness to pay.

    Parameters
    ----------
    cea_ds : xarray.Dataset
        A result of :func:`som_mc.analysis.decision.cea`.
    ax : matplotlib.axes.Axes, optional
    lang : {"en", "da"}
    """
    check_lang(lang)
    _require(cea_ds, ("expected_loss", "evpi"), "loss_plot", "som_mc.analysis.decision.cea")
    ax = new_axes(ax)
    units = str(cea_ds.evpi.attrs.get("units", ""))
    x, _ = _wtp_axis(ax, lang, cea_ds, "loss_plot", units)
    scale = _money_axis(ax.yaxis, _word("loss", lang), units, lang, cea_ds.expected_loss.values)
    for option in cea_ds[OPTION].values:
        loss = cea_ds.expected_loss.sel({OPTION: option}) / scale
        ax.plot(x, loss, label=_option_label(option))
    ax.plot(x, cea_ds.evpi / scale, color="black", linestyle=":", linewidth=2.5, label="EVPI")
    ax.legend(frameon=False, fontsize=8)
    return finish(ax, _word("loss_title", lang))


def voi_curve_plot(
    voi_ds: xr.Dataset, ax: Axes | None = None, max_inputs: int = 8, lang: str = "en"
) -> Axes:
    """EVPI and the EVPPI of each input or group, over willingness to pay (or as bars for a
    sample of net benefits).

    Parameters
    ----------
    voi_ds : xarray.Dataset
        A result of :func:`som_mc.analysis.decision.evppi`.
    ax : matplotlib.axes.Axes, optional
    max_inputs : int
        The inputs with the highest EVPPI (at any λ) shown.
    lang : {"en", "da"}
    """
    check_lang(lang)
    _require(voi_ds, ("evppi", "evpi"), "voi_curve_plot", "som_mc.analysis.decision.evppi")
    ax = new_axes(ax)
    units = str(voi_ds.evpi.attrs.get("units", ""))
    if WTP not in voi_ds.dims:
        order = np.argsort(-voi_ds.evppi.values, kind="stable")[:max_inputs]
        names = [str(voi_ds[INPUT].values[i]) for i in order]
        scale = _money_axis(
            ax.xaxis, _word("evppi", lang), units, lang, voi_ds.evpi.values, voi_ds.evppi.values
        )
        ax.barh(np.arange(len(order))[::-1], voi_ds.evppi.values[order] / scale, 0.6)
        ax.set_yticks(np.arange(len(order))[::-1], names)
        ax.axvline(float(voi_ds.evpi) / scale, color=MUTED, linestyle="--", label="EVPI")
        ax.legend(frameon=False, fontsize=8)
        return finish(ax, _word("voi", lang), grid="x")
    x, _ = _wtp_axis(ax, lang, voi_ds, "voi_curve_plot", units)
    scale = _money_axis(ax.yaxis, _word("voi", lang), units, lang, voi_ds.evpi.values)
    top = voi_ds.evppi.max(WTP).values
    for i in np.argsort(-top, kind="stable")[:max_inputs]:
        ax.plot(x, voi_ds.evppi.isel({INPUT: i}) / scale, label=str(voi_ds[INPUT].values[i]))
    ax.plot(x, voi_ds.evpi / scale, color="black", linestyle=":", linewidth=2.5, label="EVPI")
    ax.legend(frameon=False, fontsize=8)
    return finish(ax, _word("voi_title", lang))


def evsi_plot(
    evsi_ds: xr.Dataset,
    enbs_ds: xr.Dataset | None = None,
    ax: Axes | None = None,
    *,
    wtp: float | None = None,
    lang: str = "en",
) -> Axes:
    """EVSI (and ENBS) by the number of citizens a study follows, with the rate's EVPPI as its
    ceiling.

    Parameters
    ----------
    evsi_ds : xarray.Dataset
        A result of :func:`som_mc.analysis.decision.evsi` or ``evsi_preposterior``.
    enbs_ds : xarray.Dataset, optional
        A result of :func:`som_mc.analysis.decision.enbs` of it; EVSI and EVPPI are then
        drawn times its ``population``, on the scale of the ENBS.
    ax : matplotlib.axes.Axes, optional
    wtp : float, optional
        For a sample of costs and effects, the willingness to pay shown (the nearest value of
        the grid); default the middle of the grid, as ``som-mc voi`` prints it.
    lang : {"en", "da"}
    """
    check_lang(lang)
    _require(evsi_ds, ("evsi", "evppi"), "evsi_plot", "som_mc.analysis.decision.evsi")
    title = _word("evsi_title", lang)
    at: dict[str, int] = {}
    if WTP in evsi_ds.dims:
        grid = evsi_ds[WTP].values
        i = grid.size // 2 if wtp is None else int(np.abs(grid - float(wtp)).argmin())
        at = {WTP: i}
        units = str(evsi_ds.evsi.attrs.get("units", ""))
        shown = format_money(grid[i], lang) if units == "DKK" else format_number(grid[i], lang)
        title += ", " + _word("at_wtp", lang, v=shown)
    elif wtp is not None:
        raise InputError("wtp", "is given but the EVSI has no willingness to pay (net benefits)")
    ax = new_axes(ax)
    n = evsi_ds[SAMPLE_SIZE].values
    units = str(evsi_ds.evsi.attrs.get("units", ""))
    population = 1.0 if enbs_ds is None else float(enbs_ds.attrs.get("population", 1.0))
    curves = [population * evsi_ds.evsi.isel(at).values, population * evsi_ds.evppi.isel(at)]
    if enbs_ds is not None:
        curves.append(enbs_ds.enbs.isel(at).values)
    scale = _money_axis(ax.yaxis, _word("value", lang), units, lang, *curves)
    times = "" if population == 1 else f" × {format_number(population, lang)}"
    ax.plot(n, curves[0] / scale, marker="o", label=_word("evsi", lang) + times)
    ceiling = _word("evppi_rate", lang) + times
    ax.axhline(float(curves[1]) / scale, color=MUTED, linestyle="--", label=ceiling)
    if enbs_ds is not None:
        ax.plot(n, curves[2] / scale, marker="s", label=_word("enbs", lang))
        ax.axhline(0.0, color="black", linewidth=0.8)
    ax.set_xlabel(_word("citizens", lang))
    number_format(ax.xaxis, lang)
    ax.legend(frameon=False, fontsize=8)
    return finish(ax, title)
