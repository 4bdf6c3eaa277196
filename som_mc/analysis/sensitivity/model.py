"""A business case as a vectorised function of the unit hypercube, for sensitivity analysis."""

from __future__ import annotations

import numpy as np

from som_mc.conventions import ACTORS, TOTAL
from som_mc.inputs.case.load import Case
from som_mc.model.design import to_inputs
from som_mc.pipeline.engine import evaluate_quantities

__all__ = ["OUTPUTS", "CaseFunction", "central_values"]

#: The outputs analysed: each actor's present value and the total.
OUTPUTS: tuple[str, ...] = (TOTAL, *ACTORS)


def central_values(case: Case, rows: int = 1) -> np.ndarray:
    """Every quantity at its central value (its mean), repeated ``rows`` times: (rows, P)."""
    central = np.array([d.central() for d in case.inputs.dists])
    return np.tile(central, (rows, 1))


class CaseFunction:
    """``f(u)``: unit-hypercube rows of the uncertain inputs → present values (expected mode).

    Parameters
    ----------
    case : Case
    by_year : bool
        Also return the net result of every year and actor.

    Notes
    -----
    ``u`` goes through the case's copula and each input's ppf
    (:func:`som_mc.model.design.to_inputs`),
    the other quantities stay at their central values, and the kernel runs in expected mode:
    the sensitivity analysis is of the parameter uncertainty, not of the chance in a cohort.
    """

    def __init__(self, case: Case, by_year: bool = False) -> None:
        self.case = case
        self.by_year = by_year
        self._dists = case.inputs.uncertain_dists
        self._cols = [case.inputs.names.index(n) for n in case.inputs.uncertain]

    @property
    def output_names(self) -> list[str]:
        """Names of the output columns: ``pv_total``, ``pv_kommune``, ... then by year."""
        names = [f"pv_{o}" for o in OUTPUTS]
        if self.by_year:
            names += [f"net_{o}_{t}" for t in range(1, self.case.horizon + 1) for o in OUTPUTS]
        return names

    def values(self, u: np.ndarray) -> np.ndarray:
        """Every quantity's value for each row of ``u``: (rows, P)."""
        values = central_values(self.case, u.shape[0])
        values[:, self._cols] = to_inputs(u, self._dists, self.case.inputs.correlation)
        return values

    def __call__(self, u: np.ndarray) -> np.ndarray:
        out = evaluate_quantities(self.case, self.values(np.atleast_2d(u)))
        pv = out["present_value"]
        cols = [pv.sum(axis=1, keepdims=True), pv]
        if self.by_year:
            net = out["net"]  # (rows, T, A)
            cols.append(
                np.concatenate([net.sum(axis=2, keepdims=True), net], axis=2).reshape(
                    net.shape[0], -1
                )
            )
        return np.concatenate(cols, axis=1)
