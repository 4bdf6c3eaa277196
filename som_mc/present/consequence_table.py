"""SØM's table of gains by consequence over the horizon, as the console and the report show it.

Each consequence has a row of its gain by actor (net of the tax on transfers); a taxed
transfer (a price with ``tax``, docs/model.md §3) has two rows beneath it, its gain before tax
(``gain_gross_by_consequence``) and the income tax the public purse gets back
(``tax_by_consequence``), whose sum is its gain; the last row is the intervention's cost, with
a minus sign. The numbers are read here once, so that the console and the report cannot
differ; each writes them in its own words and number format.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import xarray as xr

from som_mc.conventions import ACTOR, ACTORS, CONSEQUENCE, YEAR

__all__ = ["PARTS", "ConsequenceRow", "consequence_rows"]

Part = Literal["gain", "gross", "tax", "cost"]
#: The kinds of row, in the order a taxed consequence's rows come.
PARTS: tuple[str, ...] = ("gain", "gross", "tax", "cost")


@dataclass(frozen=True)
class ConsequenceRow:
    """One row of SØM's table by consequence.

    Attributes
    ----------
    consequence : str
        The consequence's key (the one the row belongs to; empty for the cost row).
    part : {"gain", "gross", "tax", "cost"}
        The gain of the consequence (net of tax), its gain before tax, its tax line, or the
        intervention's cost (negative).
    by_actor : tuple of float
        The row's amounts over the horizon, undiscounted, by actor in ``ACTORS`` order.
    total : float
        Their sum over the actors.
    """

    consequence: str
    part: Part
    by_actor: tuple[float, ...]
    total: float


def _row(key: str, part: Part, values: xr.DataArray) -> ConsequenceRow:
    by_actor = tuple(float(values.sel({ACTOR: a})) for a in ACTORS)
    return ConsequenceRow(key, part, by_actor, float(values.sum()))


def consequence_rows(ds: xr.Dataset) -> list[ConsequenceRow]:
    """The rows of SØM's table by consequence of a deterministic Dataset.

    Parameters
    ----------
    ds : xarray.Dataset
        :func:`som_mc.deterministic`'s Dataset: ``gain_by_consequence`` and ``cost`` by year
        and actor, and (since the tax on transfers) ``gain_gross_by_consequence`` and
        ``tax_by_consequence``.

    Returns
    -------
    list of ConsequenceRow
        For each consequence its ``gain`` row, followed by its ``gross`` and ``tax`` rows when
        it is taxed in some year; then the ``cost`` row (0 minus the cost, so a cost of 0 is
        not written "-0").
    """
    gains = ds.gain_by_consequence.sum(YEAR)
    taxed = None
    if "tax_by_consequence" in ds:
        gross = ds.gain_gross_by_consequence.sum(YEAR)
        tax = ds.tax_by_consequence.sum(YEAR)
        taxed = (ds.tax_by_consequence != 0).any((YEAR, ACTOR))
    rows = []
    for c in ds[CONSEQUENCE].values:
        key = str(c)
        rows.append(_row(key, "gain", gains.sel({CONSEQUENCE: c})))
        if taxed is not None and bool(taxed.sel({CONSEQUENCE: c})):
            # A transfer: its gain is the gross saving plus the tax line (docs/model.md §3).
            rows.append(_row(key, "gross", gross.sel({CONSEQUENCE: c})))
            rows.append(_row(key, "tax", tax.sel({CONSEQUENCE: c})))
    rows.append(_row("", "cost", 0.0 - ds.cost.sum(YEAR)))
    return rows
