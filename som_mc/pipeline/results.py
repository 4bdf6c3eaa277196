"""Kernel outputs → xarray Datasets with units and provenance, and their summaries."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import xarray as xr

from som_mc._version import __version__
from som_mc.conventions import ACTOR, ACTORS, CONSEQUENCE, DRAW, INPUT, SUBGROUP, YEAR
from som_mc.inputs.case.load import Case

__all__ = [
    "deterministic_dataset",
    "illustrative_items",
    "provenance",
    "results_dataset",
    "summarize",
]


def illustrative_items(case: Case) -> list[str]:
    """Names of the case's lines whose numbers are marked illustrative (no public source)."""
    m = case.model
    items = [f"cost: {c.label}" for c in m.cost if c.illustrative]
    if m.success.illustrative:
        items.append("success")
    items += [f"consequence: {c.key}" for c in m.consequence if c.illustrative]
    if m.extrapolation is not None and m.extrapolation.illustrative:
        items.append("extrapolation")
    items += [f"subgroup: {g.name}" for g in m.subgroup if g.illustrative]
    return items


def _describe(value: object) -> str:
    if isinstance(value, str):
        return value
    return f"{value.central():g}" if value.is_fixed else value.describe()


def _coords(case: Case) -> dict:
    m = case.model
    return {
        YEAR: np.arange(1, m.horizon + 1),
        ACTOR: list(ACTORS),
        CONSEQUENCE: [c.key for c in m.consequence],
        "area": (CONSEQUENCE, [c.area for c in m.consequence]),
        "consequence_unit": (CONSEQUENCE, [c.unit for c in m.consequence]),
        "consequence_label": (CONSEQUENCE, [c.label or c.key for c in m.consequence]),
    }


def _money(case: Case, long_name: str, discounted: bool = False) -> dict[str, str]:
    m = case.model
    note = "discounted to year 1" if discounted else "undiscounted"
    return {
        "units": m.currency,
        "price_year": str(m.price_year),
        "long_name": long_name,
        "note": f"fixed {m.price_year} prices, {note}",
    }


def provenance(case: Case, **extra: object) -> dict[str, object]:
    m = case.model
    illustrative = illustrative_items(case)
    attrs: dict[str, object] = {
        "title": f"som-mc results: {m.name}",
        "case_name": m.name,
        "case_file": Path(case.source).name,
        "case_sha256": case.sha256,
        "target_group": m.target_group,
        "price_year": m.price_year,
        "currency": m.currency,
        "horizon": m.horizon,
        "discount_rate": _describe(m.discount_rate),
        "som_mc_version": __version__,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "uses_illustrative_values": int(bool(illustrative)),
        "illustrative_items": "; ".join(illustrative),
        "knowledge_notes": "\n".join(case.notes),
    }
    attrs.update(extra)
    return attrs


def results_dataset(
    case: Case,
    out: dict[str, np.ndarray],
    inputs: np.ndarray,
    *,
    seed: int,
    mode: str,
    design: str,
    draws: int,
    threads: int,
    **extra: object,
) -> xr.Dataset:
    """Assemble a Monte Carlo run's kernel outputs into a Dataset.

    A case with subgroups also gets ``net_by_subgroup``, ``present_value_by_subgroup`` and
    ``successes_by_subgroup`` (dim ``subgroup``); they add up to ``net``, ``present_value``
    and ``successes``.
    """
    cost_total = out["pv_cost"].sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        roi = np.where(
            cost_total != 0, (out["pv_gain"].sum(axis=1) - cost_total) / cost_total, np.nan
        )
    ds = xr.Dataset(
        {
            "net": ((DRAW, YEAR, ACTOR), out["net"], _money(case, "net budget result by year")),
            "present_value": (
                (DRAW, ACTOR),
                out["pv"],
                _money(case, "present value of the net result", True),
            ),
            "gain_pv": (
                (DRAW, ACTOR),
                out["pv_gain"],
                _money(case, "present value of gains", True),
            ),
            "cost_pv": (
                (DRAW, ACTOR),
                out["pv_cost"],
                _money(case, "present value of costs", True),
            ),
            "consequence_pv": (
                (DRAW, CONSEQUENCE, ACTOR),
                out["pv_cons"],
                _money(case, "present value of the gain from each consequence", True),
            ),
            "break_even_year": (
                (DRAW,),
                out["break_even"],
                {
                    "long_name": "first year the cumulative net result of all actors is >= 0",
                    "units": "year of the horizon",
                    "note": "NaN: not within the horizon",
                },
            ),
            "break_even_year_by_actor": (
                (DRAW, ACTOR),
                out["break_even_actor"],
                {
                    "long_name": "first year the actor's cumulative net result is >= 0",
                    "units": "year of the horizon",
                    "note": "NaN: not within the horizon",
                },
            ),
            "roi": (
                (DRAW,),
                roi,
                {"long_name": "return on investment, (PV gain - PV cost) / PV cost", "units": "1"},
            ),
            "successes": (
                (DRAW, YEAR),
                out["successes"],
                {
                    "long_name": "citizens who succeed, by year of completing the course",
                    "units": "persons",
                },
            ),
            "inputs": (
                (DRAW, INPUT),
                inputs,
                {"long_name": "sampled value of each uncertain input"},
            ),
        },
        coords={**_coords(case), DRAW: np.arange(draws), INPUT: list(case.inputs.uncertain)},
        attrs=provenance(
            case, seed=seed, draws=draws, design=design, mode=mode, threads=threads, **extra
        ),
    )
    ds["cumulative"] = ds["net"].cumsum(YEAR)
    ds["cumulative"].attrs = _money(case, "cumulative net budget result")
    if "net_sub" in out:
        _add_subgroups(ds, case, out)
    return ds


def _add_subgroups(ds: xr.Dataset, case: Case, out: dict[str, np.ndarray]) -> None:
    groups = case.model.subgroup
    ds.coords[SUBGROUP] = [g.name for g in groups]
    ds.coords["subgroup_label"] = (SUBGROUP, [g.label or g.name for g in groups])
    ds.coords["subgroup_share"] = (SUBGROUP, [g.share for g in groups])
    ds["net_by_subgroup"] = (
        (DRAW, SUBGROUP, YEAR, ACTOR),
        out["net_sub"],
        _money(case, "net budget result by year, of each subgroup"),
    )
    ds["present_value_by_subgroup"] = (
        (DRAW, SUBGROUP, ACTOR),
        out["pv_sub"],
        _money(case, "present value of the net result, of each subgroup", True),
    )
    ds["successes_by_subgroup"] = (
        (DRAW, SUBGROUP, YEAR),
        out["successes_sub"],
        {"long_name": "citizens who succeed, by year and subgroup", "units": "persons"},
    )


def deterministic_dataset(
    case: Case, out: dict[str, np.ndarray], gain_detail: np.ndarray, cost_detail: np.ndarray
) -> xr.Dataset:
    """Assemble the deterministic (SØM) calculation into a Dataset with the year tables."""
    gain_by = xr.DataArray(gain_detail, dims=(CONSEQUENCE, YEAR, ACTOR))
    ds = xr.Dataset(
        {
            "net": ((YEAR, ACTOR), out["net"][0], _money(case, "net budget result by year")),
            "gain": ((YEAR, ACTOR), gain_detail.sum(axis=0), _money(case, "gains by year")),
            "cost": ((YEAR, ACTOR), cost_detail, _money(case, "costs by year")),
            "gain_by_consequence": (
                gain_by.dims,
                gain_detail,
                _money(case, "gain from each consequence by year"),
            ),
            "present_value": (
                (ACTOR,),
                out["pv"][0],
                _money(case, "present value of the net result", True),
            ),
            "break_even_year": ((), out["break_even"][0], {"note": "NaN: not within the horizon"}),
            "break_even_year_by_actor": ((ACTOR,), out["break_even_actor"][0]),
            "successes": ((YEAR,), out["successes"][0], {"units": "persons"}),
        },
        coords=_coords(case),
        attrs=provenance(case, mode="deterministic", draws=1),
    )
    ds["cumulative"] = ds["net"].cumsum(YEAR)
    ds["cumulative"].attrs = _money(case, "cumulative net budget result")
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
        more than half the draws never break even) and ``p_never_break_even``.
    """
    pv = ds["present_value"]
    pv = xr.concat([pv, pv.sum(ACTOR).expand_dims({ACTOR: ["total"]})], dim=ACTOR)
    be = xr.concat(
        [ds["break_even_year_by_actor"], ds["break_even_year"].expand_dims({ACTOR: ["total"]})],
        dim=ACTOR,
    )
    n = ds.sizes[DRAW]
    tail = (1.0 - interval) / 2.0
    positive = (pv > 0).mean(DRAW)
    never = be.isnull().mean(DRAW)
    # A draw that never breaks even counts as later than any year, so the median is honest.
    median = be.fillna(np.inf).median(DRAW)
    money = {
        "units": ds.attrs.get("currency", "DKK"),
        "price_year": str(ds.attrs.get("price_year")),
    }
    return xr.Dataset(
        {
            "pv_mean": (pv.mean(DRAW)).assign_attrs(money),
            "pv_mean_mcse": (pv.std(DRAW, ddof=1) / np.sqrt(n)).assign_attrs(money),
            "pv_lower": pv.quantile(tail, DRAW).drop_vars("quantile").assign_attrs(money),
            "pv_upper": pv.quantile(1 - tail, DRAW).drop_vars("quantile").assign_attrs(money),
            "p_positive": positive,
            "p_positive_mcse": np.sqrt(positive * (1 - positive) / n),
            "break_even_median": median.where(np.isfinite(median)),
            "p_never_break_even": never,
        },
        attrs={**ds.attrs, "interval": interval},
    )
