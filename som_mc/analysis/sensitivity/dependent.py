"""Sensitivity of a business case whose inputs are correlated: Shapley effects and the full and
independent Sobol' indices, per input (or named group) and actor, as one xarray Dataset.

The classical Sobol' analysis (:func:`som_mc.analysis.sensitivity.analysis.sobol`) has to treat
a correlation block as one factor. Here every input keeps its own index: the Shapley effect
(:mod:`~som_mc.analysis.sensitivity.shapley`) shares what correlated inputs explain together
between them, and the full and independent indices
(:mod:`~som_mc.analysis.sensitivity.correlated`) say what each explains with, and without,
what it borrows from the inputs it moves with. The joint distribution is the case's own:
each input's distribution joined by the Gaussian copula of its rank correlations
(docs/model.md, docs/sensitivity.md).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import xarray as xr

from som_mc.analysis.sensitivity.copula import JointInputs
from som_mc.analysis.sensitivity.correlated import INDICES, correlated_sobol
from som_mc.analysis.sensitivity.groups import group_inputs
from som_mc.analysis.sensitivity.model import OUTPUTS, central_values
from som_mc.analysis.sensitivity.shapley import shapley_effects
from som_mc.conventions import INPUT
from som_mc.inputs.case.load import Case, load_case
from som_mc.model.design import to_inputs
from som_mc.pipeline.engine import evaluate_quantities
from som_mc.pipeline.provenance import provenance

__all__ = ["case_joint", "case_model", "correlated_sensitivity"]

CaseLike = str | Path | dict | Case

_LONG_NAMES = {
    "shapley": "Shapley effect (share of the variance)",
    "S_full": "full first-order index, Var(E[Y|X_u]) / Var(Y)",
    "ST_full": "full total index",
    "S_ind": "independent first-order index",
    "ST_ind": "independent total index, E[Var(Y|X_-u)] / Var(Y)",
}


def case_joint(case: Case) -> JointInputs:
    """The case's uncertain inputs as a :class:`JointInputs`: their distributions, in design
    column order, joined by the Pearson matrices of the case's correlation blocks."""
    k = len(case.inputs.uncertain)
    r = np.eye(k)
    for cols, pearson in case.inputs.correlation:
        r[np.ix_(cols, cols)] = pearson
    dists = case.inputs.uncertain_dists

    def marginals(u: np.ndarray) -> np.ndarray:  # compiled inverse CDFs, no copula
        return to_inputs(u, dists)

    return JointInputs(r, marginals, names=case.inputs.uncertain)


def case_model(case: Case):
    """``f(x)``: values of the uncertain inputs → present values ``(total, actors...)``, the
    other quantities at their central values, expected mode (as
    :class:`~som_mc.analysis.sensitivity.model.CaseFunction`, without the copula)."""
    cols = [case.inputs.names.index(n) for n in case.inputs.uncertain]

    def f(x: np.ndarray) -> np.ndarray:
        values = central_values(case, x.shape[0])
        values[:, cols] = x
        pv = evaluate_quantities(case, values)["present_value"]
        return np.concatenate([pv.sum(axis=1, keepdims=True), pv], axis=1)

    return f


def correlated_sensitivity(
    case: CaseLike,
    n: int = 1024,
    *,
    seed: int = 0,
    groups: str | Mapping[str, Sequence[str]] | None = None,
    permutations: int | None = None,
    threads: int = 1,
) -> xr.Dataset:
    """Shapley effects and full and independent Sobol' indices of a case's present values.

    Parameters
    ----------
    case : path, dict or Case
    n : int
        Base rows of each estimator. Shapley: ``n 2^D`` model rows for D <= 6 factors (every
        subset), ``n (D + 1)`` beyond (random orders); full/independent: ``n (2 + 2 D)``.
    seed : int
    groups : None, "consequence", "kind" or mapping
        As :func:`~som_mc.analysis.sensitivity.groups.group_inputs`, except that correlated
        inputs keep their own factors: the point of these indices is to tell them apart.
    permutations : int, optional
        Orders for the random-order Shapley estimator.
    threads : int
        Threads evaluating the model; the indices do not depend on it.

    Returns
    -------
    xarray.Dataset
        ``shapley``, ``S_full``, ``ST_full``, ``S_ind``, ``ST_ind`` (input, output), each
        with ``*_se`` (input, output) and ``*_ci`` (input, output, ci_bound). NaN for an output
        that does not vary.
    """
    case = load_case(case)
    names = None
    notes = []
    if groups is not None:
        alone = dataclasses.replace(case, inputs=dataclasses.replace(case.inputs, correlation=[]))
        labels, notes = group_inputs(alone, groups)
        names = labels if labels != case.inputs.uncertain else None
    joint = case_joint(case)
    f = case_model(case)
    sh = shapley_effects(
        f, joint, n, seed=seed, groups=names, permutations=permutations, threads=threads
    )
    cs = correlated_sobol(f, joint, n, seed=seed, groups=names, threads=threads)
    varies = _varying(f, joint, seed)
    data = {}
    for key, est, se, lo, hi in [
        ("shapley", sh.shapley, sh.se, sh.lower, sh.upper),
        *[(k, cs.indices[i], cs.se[i], cs.lower[i], cs.upper[i]) for i, k in enumerate(INDICES)],
    ]:
        est, se, lo, hi = (np.where(varies[:, None], a, np.nan) for a in (est, se, lo, hi))
        data[key] = ((INPUT, "output"), est.T, {"long_name": _LONG_NAMES[key]})
        data[f"{key}_se"] = ((INPUT, "output"), se.T)
        data[f"{key}_ci"] = ((INPUT, "output", "ci_bound"), np.stack([lo.T, hi.T], axis=-1))
    correlated = [
        " + ".join(case.inputs.uncertain[c] for c in cols) for cols, _ in case.inputs.correlation
    ]
    return xr.Dataset(
        data,
        coords={INPUT: list(sh.names), "output": list(OUTPUTS), "ci_bound": ["lower", "upper"]},
        attrs=provenance(
            case,
            title=f"som-mc sensitivity with correlated inputs: {case.name}",
            method=f"{sh.method}. {cs.method}",
            n=n,
            seed=seed,
            evaluations=sh.evaluations + cs.evaluations,
            shapley_method="exact" if sh.permutations is None else "random orders",
            mode="expected",
            grouping=str(groups),
            correlated="; ".join(correlated) or "none",
            notes="; ".join(notes),
        ),
    )


def _varying(f, joint: JointInputs, seed: int) -> np.ndarray:
    """Outputs that vary at all (an actor the case never touches has no index)."""
    y = f(joint.to_inputs(joint.sample(np.random.default_rng(seed), 64)))
    return np.ptp(y, axis=0) > 1e-9 * (1.0 + np.abs(y).max(axis=0))
