"""One-way sensitivity: a tornado of swings, and switching values (what an input must be for
the net result to be zero)."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import xarray as xr
from scipy.optimize import brentq

from som_mc.analysis.sensitivity.model import OUTPUTS, central_values
from som_mc.conventions import INPUT, QUANTILE
from som_mc.errors import InputError
from som_mc.inputs.case.load import Case, load_case
from som_mc.pipeline.engine import evaluate_quantities
from som_mc.pipeline.provenance import provenance

__all__ = ["switching_values", "tornado"]

_PROBABILITIES = ("success.", "intake.dropout", "discount_rate")


def _pv(case: Case, values: np.ndarray) -> np.ndarray:
    """Present value (rows, total + actors) for rows of every quantity's value."""
    pv = evaluate_quantities(case, values)["present_value"]
    return np.concatenate([pv.sum(axis=1, keepdims=True), pv], axis=1)


def tornado(case: str | Path | dict | Case, low: float = 0.05, high: float = 0.95) -> xr.Dataset:
    """Each uncertain input at its ``low`` and ``high`` quantile, the others at their means.

    Returns
    -------
    xarray.Dataset
        ``present_value`` (input, quantile, output), ``base`` (output): every input at its
        mean, and ``swing`` (input, output) = |PV(high) − PV(low)|; inputs sorted by the
        swing of the total, largest first.
    """
    case = load_case(case)
    names = case.inputs.uncertain
    if not names:
        raise InputError("case", "has no uncertain input; a tornado needs at least one")
    rows = central_values(case, 1 + 2 * len(names))
    for j, name in enumerate(names):
        q = case.inputs.names.index(name)
        dist = case.inputs[name]
        rows[1 + 2 * j, q] = float(dist.ppf(low))
        rows[2 + 2 * j, q] = float(dist.ppf(high))
    pv = _pv(case, rows)
    bars = pv[1:].reshape(len(names), 2, len(OUTPUTS))
    swing = np.abs(bars[:, 1] - bars[:, 0])
    order = np.argsort(-swing[:, 0], kind="stable")
    money = {"units": case.model.currency, "price_year": str(case.model.price_year)}
    return xr.Dataset(
        {
            "present_value": ((INPUT, QUANTILE, "output"), bars[order], money),
            "base": (("output",), pv[0], money),
            "swing": ((INPUT, "output"), swing[order], money),
            "input_low": ((INPUT,), [float(case.inputs[names[i]].ppf(low)) for i in order]),
            "input_high": ((INPUT,), [float(case.inputs[names[i]].ppf(high)) for i in order]),
        },
        coords={INPUT: [names[i] for i in order], QUANTILE: [low, high], "output": list(OUTPUTS)},
        attrs=provenance(
            case, title=f"som-mc tornado: {case.name}", method="one-way sensitivity (tornado)"
        ),
    )


def switching_values(
    case: str | Path | dict | Case,
    inputs: list[str] | None = None,
    bounds: dict[str, tuple[float, float]] | None = None,
    grid: int = 401,
) -> xr.Dataset:
    """The value of each named input at which the deterministic present value is zero.

    Parameters
    ----------
    case : Case
    inputs : list of str, optional
        Input names (``som-mc inputs``); default the success rate (``success.rate``, or
        ``success.gross_rate`` when the case gives a gross rate and deadweight).
    bounds : dict, optional
        The range searched for each input. Default [0, 1] for probabilities and shares, else
        the input's 0.1 % to 99.9 % quantiles; a fixed number needs bounds.
    grid : int
        Points of the grid on which sign changes are looked for before refining with Brent's
        method; a result with several zeros reports the one nearest the input's mean.

    Returns
    -------
    xarray.Dataset
        ``switching_value`` (input, output), NaN where the present value has no zero in the
        range ("never"), and ``base_value`` (input).
    """
    case = load_case(case)
    rates = [n for n in ("success.rate", "success.gross_rate") if n in case.inputs.names]
    inputs = inputs or rates[:1]
    bounds = bounds or {}
    values = np.full((len(inputs), len(OUTPUTS)), np.nan)
    ranges = []
    for i, name in enumerate(inputs):
        if name not in case.inputs.names:
            raise InputError(
                "input", f"'{name}' is not an input of this case; `som-mc inputs CASE` lists them"
            )
        lo, hi = bounds.get(name) or _default_bounds(case, name)
        ranges.append((lo, hi))
        q = case.inputs.names.index(name)
        xs = np.linspace(lo, hi, grid)
        rows = central_values(case, grid)
        rows[:, q] = xs
        pv = _pv(case, rows)
        base = case.inputs[name].central()

        def f(x: float, k: int, q: int = q) -> float:
            row = central_values(case, 1)
            row[0, q] = x
            return float(_pv(case, row)[0, k])

        for k in range(len(OUTPUTS)):
            roots = _roots(xs, pv[:, k], lambda x, k=k: f(x, k))
            if roots:
                values[i, k] = min(roots, key=lambda r: abs(r - base))
    return xr.Dataset(
        {
            "switching_value": (
                (INPUT, "output"),
                values,
                {"note": "NaN: the present value does not reach zero within the searched range"},
            ),
            "base_value": ((INPUT,), [case.inputs[n].central() for n in inputs]),
            "search_low": ((INPUT,), [r[0] for r in ranges]),
            "search_high": ((INPUT,), [r[1] for r in ranges]),
        },
        coords={INPUT: inputs, "output": list(OUTPUTS)},
        attrs=provenance(
            case,
            title=f"som-mc switching values: {case.name}",
            method="switching values (deterministic, other inputs at their means)",
        ),
    )


def _default_bounds(case: Case, name: str) -> tuple[float, float]:
    if name.startswith(_PROBABILITIES):
        return 0.0, 1.0
    dist = case.inputs[name]
    if dist.is_fixed:
        raise InputError(
            "bounds", f"'{name}' is a fixed number; give the range to search, e.g. (0, 2 x value)"
        )
    return float(dist.ppf(0.001)), float(dist.ppf(0.999))


def _roots(xs: np.ndarray, ys: np.ndarray, f) -> list[float]:
    """Where the present value changes sign. A stretch where it is exactly zero (an actor the
    input does not touch, or a net rate held at 0 below the deadweight) is not a switch: only
    a change from negative to positive or back is, found between the nonzero grid points on
    either side of it."""
    nonzero = np.nonzero(ys != 0.0)[0]
    roots = []
    for a, b in itertools.pairwise(nonzero):
        if np.sign(ys[a]) != np.sign(ys[b]):
            if b == a + 1:
                roots.append(brentq(f, xs[a], xs[b], xtol=1e-12, rtol=1e-12))
            else:  # zero in between: the switch is where the zero stretch ends
                roots.append(float(xs[b - 1]))
    return roots
