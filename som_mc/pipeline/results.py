"""Kernel outputs → xarray Datasets with units and provenance, and their summaries.

The variables, their dims, long names and units come from one registry
(:data:`som_mc.conventions.OUTPUTS`); the attrs from :func:`som_mc.pipeline.provenance.provenance`.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import xarray as xr

from som_mc.conventions import (
    ACTOR,
    ACTORS,
    CONSEQUENCE,
    DRAW,
    INPUT,
    MONEY,
    OUTPUT,
    OUTPUTS,
    SUBGROUP,
    TOTAL,
    YEAR,
    Output,
)
from som_mc.inputs.case.load import Case
from som_mc.model.simulate import has_flows
from som_mc.pipeline.provenance import provenance

__all__ = [
    "by_part",
    "case_coords",
    "deterministic_dataset",
    "money",
    "output_attrs",
    "results_dataset",
    "summarize",
]


def case_coords(case: Case) -> dict:
    """Coordinates of a case's results: years, actors and its consequences with their labels."""
    m = case.model
    return {
        YEAR: np.arange(1, m.horizon + 1),
        ACTOR: list(ACTORS),
        CONSEQUENCE: [c.key for c in m.consequence],
        "area": (CONSEQUENCE, [c.area for c in m.consequence]),
        "consequence_unit": (CONSEQUENCE, [c.unit for c in m.consequence]),
        "consequence_label": (CONSEQUENCE, [c.label or c.key for c in m.consequence]),
    }


def money(case: Case, long_name: str, discounted: bool = False) -> dict[str, str]:
    """Attributes of an amount of money of ``case``: currency, price year, discounting."""
    m = case.model
    note = "discounted to year 1" if discounted else "undiscounted"
    return {
        "units": m.currency,
        "price_year": str(m.price_year),
        "long_name": long_name,
        "note": f"fixed {m.price_year} prices, {note}",
    }


def output_attrs(case: Case, output: Output, long_name: str | None = None) -> dict[str, str]:
    """The attributes of ``output`` (from the registry) in ``case``'s currency and price year."""
    name = long_name or output.long_name
    if output.units == MONEY:
        return money(case, name, output.discounted)
    attrs = {"long_name": name, "units": output.units}
    if output.note:
        attrs["note"] = output.note
    return attrs


def _roi(out: Mapping[str, np.ndarray]) -> np.ndarray:
    cost_total = out["cost_pv"].sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(
            cost_total != 0, (out["gain_pv"].sum(axis=1) - cost_total) / cost_total, np.nan
        )


def results_dataset(case: Case, out: Mapping[str, np.ndarray], **attrs: object) -> xr.Dataset:
    """Assemble a Monte Carlo run's kernel outputs (every draw) into a Dataset.

    Parameters
    ----------
    case : Case
    out : mapping of str to ndarray
        The outputs of :data:`~som_mc.conventions.OUTPUTS` by name, with the draw first, and
        ``inputs`` (draws, uncertain inputs; an array, or the variable of
        :func:`som_mc.pipeline.lazy_inputs.lazy_inputs`). A case with subgroups also brings
        ``net_by_subgroup``, ``present_value_by_subgroup`` and ``successes_by_subgroup``
        (subgroup after the draw); they add up to ``net``, ``present_value`` and ``successes``.
    **attrs
        How the run was made (seed, draws, design, mode, threads ...), for the provenance.
    """
    draws = out["net"].shape[0]
    data = {
        o.name: ((DRAW, *o.dims), out[o.name], output_attrs(case, o)) for o in OUTPUTS if o.kept
    }
    data["roi"] = (
        (DRAW,),
        _roi(out),
        {"long_name": "return on investment, (PV gain - PV cost) / PV cost", "units": "1"},
    )
    inputs = out["inputs"]  # an array, or a variable that samples them when read
    data["inputs"] = (
        inputs
        if isinstance(inputs, xr.Variable)
        else ((DRAW, INPUT), inputs, {"long_name": "sampled value of each uncertain input"})
    )
    ds = xr.Dataset(
        data,
        coords={**case_coords(case), DRAW: np.arange(draws), INPUT: list(case.inputs.uncertain)},
        attrs=provenance(case, **attrs),
    )
    # numpy's cumsum on the kernel's array: xarray's goes through nancumsum, a copy more.
    axis = OUTPUT["net"].dims.index(YEAR) + 1
    ds["cumulative"] = (
        (DRAW, *OUTPUT["net"].dims),
        np.cumsum(out["net"], axis=axis),
        money(case, "cumulative net budget result"),
    )
    if "net_by_subgroup" in out:
        _add_subgroups(ds, case, out)
    return ds


def _add_subgroups(ds: xr.Dataset, case: Case, out: Mapping[str, np.ndarray]) -> None:
    groups = case.model.subgroup
    ds.coords[SUBGROUP] = [g.name for g in groups]
    ds.coords["subgroup_label"] = (SUBGROUP, [g.label or g.name for g in groups])
    ds.coords["subgroup_share"] = (SUBGROUP, [g.share for g in groups])
    ds.update(by_part(case, out, SUBGROUP))


def by_part(case: Case, out: Mapping[str, np.ndarray], dim: str) -> dict[str, tuple]:
    """The net result, present value and successes of each part (``dim``: a case's subgroups,
    a course's steps) as Dataset variables ``<output>_by_<dim>``, the part after the draw."""
    variables = {}
    for name in ("net", "present_value", "successes"):
        o = OUTPUT[name]
        variables[f"{name}_by_{dim}"] = (
            (DRAW, dim, *o.dims),
            out[f"{name}_by_{dim}"],
            output_attrs(case, o, f"{o.long_name}, of each {dim}"),
        )
    return variables


def deterministic_dataset(
    case: Case,
    out: Mapping[str, np.ndarray],
    gain_detail: np.ndarray,
    cost_detail: np.ndarray,
    tax_detail: np.ndarray | None = None,
) -> xr.Dataset:
    """Assemble the deterministic (SØM) calculation into a Dataset with the year tables.

    ``out`` holds the outputs of one row (the inputs at their central values); ``gain_detail``
    (consequence, year, actor) and ``cost_detail`` (year, actor) are
    :func:`som_mc.model.simulate.year_tables`, ``tax_detail`` (consequence, year, actor)
    :func:`som_mc.model.simulate.tax_table`: ``gain_by_consequence`` is net of the tax on
    transfers, ``tax_by_consequence`` that tax and ``gain_gross_by_consequence`` the gain
    before it (docs/model.md §3).
    """
    if tax_detail is None:
        tax_detail = np.zeros_like(gain_detail)
    data = {
        o.name: (o.dims, out[o.name][0], output_attrs(case, o))
        for o in OUTPUTS
        if o.kept and o.name != "consequence_pv"
    }
    data.update(
        gain=((YEAR, ACTOR), gain_detail.sum(axis=0), money(case, "gains by year")),
        cost=((YEAR, ACTOR), cost_detail, money(case, "costs by year")),
        gain_by_consequence=(
            (CONSEQUENCE, YEAR, ACTOR),
            gain_detail,
            money(case, "gain from each consequence by year, net of the tax on transfers"),
        ),
        gain_gross_by_consequence=(
            (CONSEQUENCE, YEAR, ACTOR),
            gain_detail - tax_detail,
            money(case, "gain from each consequence by year, before the tax on transfers"),
        ),
        tax_by_consequence=(
            (CONSEQUENCE, YEAR, ACTOR),
            tax_detail,
            money(case, "income tax on transfers in the gain of each consequence, by year"),
        ),
    )
    ds = xr.Dataset(
        data, coords=case_coords(case), attrs=provenance(case, mode="deterministic", draws=1)
    )
    ds["cumulative"] = ds["net"].cumsum(YEAR)
    ds["cumulative"].attrs = money(case, "cumulative net budget result")
    return ds


def summarize(ds: xr.Dataset, interval: float = 0.90) -> xr.Dataset:
    """The headline numbers of a Monte Carlo run, for each actor and in total.

    The ``actor`` dim of the summary has a fourth coordinate, ``total`` (all actors together).

    Parameters
    ----------
    ds : xarray.Dataset
        A result of :func:`som_mc.run`.
    interval : float
        Central probability of the interval (default 90 %).

    Returns
    -------
    xarray.Dataset
        ``pv_mean`` and its Monte Carlo standard error ``pv_mean_mcse`` (sd / sqrt(draws)),
        ``pv_lower`` and ``pv_upper`` (the interval), ``p_positive`` (share of draws with a
        present value > 0) and ``p_positive_mcse`` (sqrt(p (1 - p) / draws), exact for the
        random design and conservative for LHS and Sobol'), ``break_even_median`` (NaN when
        more than half the draws never break even) and ``p_never_break_even``, both
        undiscounted and NaN for an actor the case does not touch, ``affected`` (False for an
        actor without any gain or cost in any draw; docs/model.md §3).
    """
    pv = ds["present_value"]
    pv = xr.concat([pv, pv.sum(ACTOR).expand_dims({ACTOR: [TOTAL]})], dim=ACTOR)
    be = xr.concat(
        [ds["break_even_year_by_actor"], ds["break_even_year"].expand_dims({ACTOR: [TOTAL]})],
        dim=ACTOR,
    )
    n = ds.sizes[DRAW]
    tail = (1.0 - interval) / 2.0
    positive = (pv > 0).mean(DRAW)
    if all(k in ds for k in ("net", "gain_pv", "cost_pv")):
        moved = has_flows(ds["net"].values, ds["gain_pv"].values, ds["cost_pv"].values)
    else:  # without the flows, every actor counts as affected
        moved = np.ones(ds.sizes[ACTOR], dtype=bool)
    affected = xr.DataArray(np.append(moved, moved.any()), dims=ACTOR, coords={ACTOR: be[ACTOR]})
    never = be.isnull().mean(DRAW).where(affected)
    # A draw that never breaks even counts as later than any year, so the median is honest.
    median = be.fillna(np.inf).median(DRAW).where(affected)
    units = {
        "units": ds.attrs.get("currency", "DKK"),
        "price_year": str(ds.attrs.get("price_year")),
    }
    return xr.Dataset(
        {
            "pv_mean": (pv.mean(DRAW)).assign_attrs(units),
            "pv_mean_mcse": (pv.std(DRAW, ddof=1) / np.sqrt(n)).assign_attrs(units),
            "pv_lower": pv.quantile(tail, DRAW).drop_vars("quantile").assign_attrs(units),
            "pv_upper": pv.quantile(1 - tail, DRAW).drop_vars("quantile").assign_attrs(units),
            "p_positive": positive,
            "p_positive_mcse": np.sqrt(positive * (1 - positive) / n),
            "break_even_median": median.where(np.isfinite(median)).assign_attrs(
                note="of the undiscounted cumulative result; p_positive is of the present value"
            ),
            "p_never_break_even": never,
            "affected": affected,
        },
        attrs={**ds.attrs, "interval": interval},
    )
