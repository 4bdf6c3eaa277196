"""Morris screening (elementary effects) for cases with many inputs, with SALib."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import xarray as xr
from SALib.analyze import morris as morris_analyze
from SALib.sample import morris as morris_sample

from som_mc.analysis.sensitivity.model import CaseFunction
from som_mc.conventions import INPUT
from som_mc.errors import InputError
from som_mc.inputs.case.load import Case, load_case
from som_mc.pipeline.provenance import provenance

__all__ = ["morris", "morris_screening"]


def morris_screening(
    model: Callable[[np.ndarray], np.ndarray],
    n_inputs: int,
    *,
    trajectories: int = 20,
    levels: int = 4,
    seed: int = 0,
    names: Sequence[str] | None = None,
    groups: Sequence[str] | None = None,
) -> dict[str, np.ndarray]:
    """Elementary effects of ``model`` on the unit hypercube (Morris 1991; Campolongo, Cariboni
    & Saltelli 2007 for mu*), with SALib's sampler and estimator.

    The levels sit at the centres of ``levels`` equal-probability bins, (2i + 1) / (2 levels),
    not at 0 and 1, so that an input with unbounded support stays finite.

    Returns
    -------
    dict
        ``names`` (factors), and arrays (n_outputs, factors): ``mu``, ``mu_star``, ``sigma``,
        ``mu_star_conf`` (SALib's bootstrap half-width at 95 %).
    """
    if trajectories < 2:
        raise InputError("trajectories", f"{trajectories} is too few; Morris needs at least 2")
    if levels < 2 or levels % 2:
        raise InputError("levels", f"{levels} is not allowed; use an even number >= 2, e.g. 4")
    names = list(names) if names is not None else [f"x{i}" for i in range(n_inputs)]
    edge = 1.0 / (2 * levels)
    problem = {"num_vars": n_inputs, "names": names, "bounds": [[edge, 1 - edge]] * n_inputs}
    if groups is not None:
        problem["groups"] = list(groups)
    u = morris_sample.sample(problem, trajectories, num_levels=levels, seed=seed)
    y = np.asarray(model(u), dtype=float)
    y = y[:, None] if y.ndim == 1 else y
    keys = ("mu", "mu_star", "sigma", "mu_star_conf")
    out: dict[str, list] = {k: [] for k in keys}
    factor_names: list[str] = []
    for k in range(y.shape[1]):
        res = morris_analyze.analyze(
            problem, u, y[:, k], num_levels=levels, seed=seed, num_resamples=200
        )
        factor_names = list(res["names"])
        for key in keys:
            out[key].append(np.asarray(res[key], dtype=float))
    return {"names": factor_names, **{k: np.array(v) for k, v in out.items()}}


def morris(
    case: str | Path | dict | Case,
    *,
    trajectories: int = 20,
    levels: int = 4,
    seed: int = 0,
    groups: Sequence[str] | None = None,
) -> xr.Dataset:
    """Morris screening of a case's present values (total and per actor).

    Returns
    -------
    xarray.Dataset
        ``mu_star``, ``mu``, ``sigma``, ``mu_star_conf`` with dims (input, output); the effect
        of moving an input by one level step of its probability scale, in DKK.
    """
    case = load_case(case)
    f = CaseFunction(case)
    res = morris_screening(
        f,
        len(case.inputs.uncertain),
        trajectories=trajectories,
        levels=levels,
        seed=seed,
        names=case.inputs.uncertain,
        groups=groups,
    )
    money = {"units": case.model.currency, "price_year": str(case.model.price_year)}
    outputs = [n.removeprefix("pv_") for n in f.output_names]
    return xr.Dataset(
        {
            k: ((INPUT, "output"), res[k].T, money)
            for k in ("mu_star", "mu", "sigma", "mu_star_conf")
        },
        coords={INPUT: res["names"], "output": outputs},
        attrs=provenance(
            case,
            title=f"som-mc Morris screening: {case.name}",
            method="Morris elementary effects (SALib)",
            trajectories=trajectories,
            levels=levels,
            seed=seed,
            evaluations=trajectories * (len(res["names"]) + 1),
        ),
    )
