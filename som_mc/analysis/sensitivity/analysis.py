"""Sensitivity and value-of-information analyses of a business case, as xarray Datasets.

Each function takes a case and returns a Dataset with dims ``input`` (an input or a named group
of inputs) and ``output`` (``total`` and each actor's present value), ``ci_bound`` (``lower``,
``upper``) for intervals, and the method, sample size and seed in its attrs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr

from som_mc.analysis.sensitivity.groups import group_inputs
from som_mc.analysis.sensitivity.model import OUTPUTS, CaseFunction
from som_mc.analysis.sensitivity.sobol import sobol_indices
from som_mc.analysis.sensitivity.voi import evpi, evppi
from som_mc.conventions import INPUT, YEAR
from som_mc.inputs.case.load import Case, load_case
from som_mc.pipeline.engine import run
from som_mc.pipeline.provenance import provenance

__all__ = ["sobol", "value_of_information"]

CaseLike = str | Path | dict | Case


def sobol(
    case: CaseLike,
    n: int = 2**12,
    *,
    seed: int = 0,
    groups: str | Mapping[str, Sequence[str]] | None = None,
    second_order: bool = False,
    replicates: int = 4,
    by_year: bool = False,
    client: Any = None,
) -> xr.Dataset:
    """Sobol' first-order and total indices of the present values (and yearly net results).

    Parameters
    ----------
    case : path, dict or Case
    n : int
        Base sample size, a power of 2; each replicate evaluates n (D + 2) rows (n (2D + 2)
        with second order) for D factors.
    seed : int
    groups : None, "consequence", "kind" or mapping
        See :func:`som_mc.analysis.sensitivity.groups.group_inputs`; correlated inputs always share
        one.
    second_order : bool
        Also estimate second-order indices.
    replicates : int
        Independent scrambles of the Sobol' design; the interval is a t-interval over them
        (a row bootstrap would overstate the error of a scrambled Sobol' design).
    by_year : bool
        Also give indices for each year's net result (indices over time).
    client : dask.distributed.Client, optional
        Evaluate the design on this dask cluster (same indices as a local run).

    Returns
    -------
    xarray.Dataset
        ``S1``, ``ST`` (input, output), ``S1_ci``, ``ST_ci`` (input, output, ci_bound), and with
        options ``S2`` (input, input_b, output), ``S1_by_year``, ``ST_by_year`` (input, year,
        output). An output that does not vary (an actor the case does not touch) has NaN.
    """
    case = load_case(case)
    names, notes = group_inputs(case, groups)
    if case.inputs.correlation:  # issue 15: the per-input indices of correlated inputs
        notes.append(
            "the case correlates inputs: Shapley effects and full/independent indices per "
            "input are in correlated_sensitivity (som-mc sensitivity adds them)"
        )
    f = CaseFunction(case, by_year)
    k = len(case.inputs.uncertain)
    varies = _varying_outputs(f, k, seed)

    def model(u: np.ndarray) -> np.ndarray:
        return f(u)[:, varies]

    res = sobol_indices(
        model,
        k,
        n,
        seed=seed,
        groups=names if names != case.inputs.uncertain else None,
        second_order=second_order,
        replicates=replicates,
        names=case.inputs.uncertain,
        client=client,
    )
    n_out = len(f.output_names)

    def full(a: np.ndarray) -> np.ndarray:  # back to every output, NaN where constant
        out = np.full((n_out, *a.shape[1:]), np.nan)
        out[varies] = a
        return out

    s1, st = full(res.S1), full(res.ST)
    s1_ci = np.stack([full(res.S1_lower), full(res.S1_upper)], axis=-1)
    st_ci = np.stack([full(res.ST_lower), full(res.ST_upper)], axis=-1)
    n_pv = len(OUTPUTS)
    data = {
        "S1": ((INPUT, "output"), s1[:n_pv].T, {"long_name": "first-order Sobol' index"}),
        "ST": ((INPUT, "output"), st[:n_pv].T, {"long_name": "total Sobol' index"}),
        "S1_ci": ((INPUT, "output", "ci_bound"), s1_ci[:n_pv].transpose(1, 0, 2)),
        "ST_ci": ((INPUT, "output", "ci_bound"), st_ci[:n_pv].transpose(1, 0, 2)),
    }
    coords: dict = {INPUT: list(res.names), "output": list(OUTPUTS), "ci_bound": ["lower", "upper"]}
    if second_order and res.S2 is not None:
        data["S2"] = ((INPUT, "input_b", "output"), full(res.S2)[:n_pv].transpose(1, 2, 0))
        coords["input_b"] = list(res.names)
    if by_year:
        T = case.horizon
        for key, arr in (("S1_by_year", s1), ("ST_by_year", st)):
            yearly = arr[n_pv:].reshape(T, n_pv, -1)  # (year, output, input)
            data[key] = ((INPUT, YEAR, "output"), yearly.transpose(2, 0, 1))
        coords[YEAR] = np.arange(1, T + 1)
    return xr.Dataset(
        data,
        coords=coords,
        attrs=provenance(
            case,
            title=f"som-mc Sobol' indices: {case.name}",
            method=res.method,
            n=n,
            replicates=replicates,
            seed=seed,
            evaluations=res.evaluations,
            design="Saltelli/Sobol' (SALib), scrambled",
            mode="expected",
            grouping=str(groups),
            notes="; ".join(notes),
        ),
    )


def value_of_information(
    case: CaseLike,
    draws: int = 10_000,
    *,
    seed: int = 0,
    groups: Mapping[str, Sequence[str]] | str | None = None,
) -> xr.Dataset:
    """EVPI and EVPPI of the decision "invest or not", for each actor and in total.

    The net benefit of investing is the present value of a draw (expected mode, random design);
    not investing is 0. EVPPI is estimated by regressing the net benefit on the input (or group)
    over the probabilistic sample (Strong, Oakley & Brennan 2014).

    Returns
    -------
    xarray.Dataset
        ``evpi`` (output) and ``evppi`` (input, output) in DKK: what resolving all uncertainty,
        or one input's, is worth in expectation to the decision. Inputs are the single
        uncertain inputs, then the named groups if any.
    """
    case = load_case(case)
    ds = run(case, draws=draws, seed=seed, mode="expected", design="random", threads=None)
    pv = ds["present_value"].values
    nb = np.concatenate([pv.sum(axis=1, keepdims=True), pv], axis=1)
    x = ds["inputs"].values
    factors: list[tuple[str, list[int]]] = [(n, [i]) for i, n in enumerate(case.inputs.uncertain)]
    notes: list[str] = []
    if groups is not None:
        names, notes = group_inputs(case, groups)
        for g in dict.fromkeys(names):
            members = [i for i, n in enumerate(names) if n == g]
            if len(members) > 1:
                factors.append((g, members))
    values = np.array([np.atleast_1d(evppi(nb, x[:, cols])) for _, cols in factors])
    money = {"units": case.model.currency, "price_year": str(case.model.price_year)}
    return xr.Dataset(
        {
            "evpi": (("output",), np.atleast_1d(evpi(nb)), money),
            "evppi": ((INPUT, "output"), values, money),
        },
        coords={INPUT: [name for name, _ in factors], "output": list(OUTPUTS)},
        attrs=provenance(
            case,
            title=f"som-mc value of information: {case.name}",
            method="EVPI; EVPPI by nonparametric regression (Strong, Oakley & Brennan 2014)",
            draws=draws,
            seed=seed,
            decision="invest (net benefit = present value) or not (0)",
            notes="; ".join(notes),
        ),
    )


def _varying_outputs(f: CaseFunction, k: int, seed: int) -> np.ndarray:
    """Outputs that vary at all (an actor the case never touches stays 0 and has no index)."""
    probe = np.random.default_rng(seed).random((64, k))
    y = f(probe)
    return np.ptp(y, axis=0) > 1e-9 * (1.0 + np.abs(y).max(axis=0))
