"""Picking what a plot shows out of a Dataset: an actor's (or the total's) values, a
sensitivity output, a sampled input, and the money scale and unit to show them in."""

from __future__ import annotations

import numpy as np
import xarray as xr

from som_mc.conventions import ACTOR, ACTORS, DRAW, INPUT, TOTAL
from som_mc.errors import InputError

__all__ = [
    "CHOICES",
    "by_actor",
    "check_choice",
    "money_meta",
    "money_scale",
    "output_of",
    "require",
    "sampled_input",
]

#: What ``actor`` may be on a plot of a result, and ``output`` on a plot of a sensitivity result.
CHOICES: tuple[str, ...] = (TOTAL, *ACTORS)


def require(ds: xr.Dataset, variables: tuple[str, ...], plot: str, draws: bool = True) -> None:
    """Raise an InputError unless ``ds`` has ``variables`` (and a ``draw`` dim if ``draws``)."""
    missing = [v for v in variables if v not in ds.data_vars]
    if missing or (draws and DRAW not in ds.dims):
        what = "a Monte Carlo result of som_mc.run" if draws else "a Dataset"
        lacks = ", ".join(repr(v) for v in missing) if missing else "the 'draw' dim"
        raise InputError(
            "dataset", f"{plot} needs {what} with {', '.join(variables)}; {lacks} missing"
        )


def check_choice(value: str, field: str) -> str:
    """``value`` if it is ``total`` or an actor, else an InputError naming what is allowed."""
    if value not in CHOICES:
        raise InputError(field, f"{value!r} is not allowed; allowed: {', '.join(CHOICES)}")
    return value


def by_actor(da: xr.DataArray, actor: str) -> xr.DataArray:
    """``da`` for one actor, or summed over the actors for ``"total"``."""
    check_choice(actor, "actor")
    return da.sum(ACTOR) if actor == TOTAL else da.sel({ACTOR: actor})


def output_of(da: xr.DataArray, output: str) -> xr.DataArray:
    """``da`` for one sensitivity ``output`` (``total`` or an actor's present value)."""
    check_choice(output, "output")
    outputs = [str(o) for o in da["output"].values]
    if output not in outputs:
        raise InputError("output", f"{output!r} is not in this result; it has {', '.join(outputs)}")
    return da.sel(output=output)


def sampled_input(ds: xr.Dataset, name: str) -> xr.DataArray:
    """The sampled values (draw) of the uncertain input ``name``."""
    names = [str(n) for n in ds[INPUT].values] if INPUT in ds.coords else []
    if name not in names:
        shown = ", ".join(names[:8]) + (", ..." if len(names) > 8 else "")
        raise InputError(
            "input",
            f"{name!r} is not a sampled input of this result; it has {shown or 'none'}"
            " (fixed inputs are not sampled)",
        )
    return ds["inputs"].sel({INPUT: name})


def money_meta(ds: xr.Dataset, variable: str) -> dict[str, object]:
    """Currency and price year of ``variable``, from its attrs or else the Dataset's."""
    attrs = {**ds.attrs, **ds[variable].attrs}
    currency = ds.attrs.get("currency") or ds[variable].attrs.get("units") or "DKK"
    return {"currency": str(currency), "price_year": attrs.get("price_year")}


def money_scale(*values: object) -> float:
    """1, 1e3, 1e6 or 1e9 DKK: the unit in which the largest of ``values`` reads best.

    Examples
    --------
    >>> money_scale([-8.6e6, 1.0e6]), money_scale(224_104.0), money_scale(0.0)
    (1000000.0, 1000.0, 1.0)
    """
    magnitudes = np.abs(np.concatenate([np.ravel(np.asarray(v, dtype=float)) for v in values]))
    largest = float(magnitudes[np.isfinite(magnitudes)].max(initial=0.0))
    # Below 10 billion, millions read better than a few billions ("2.400 mio. kr.").
    for scale, threshold in ((1e9, 1e10), (1e6, 1e6), (1e3, 1e4)):
        if largest >= threshold:
            return scale
    return 1.0
