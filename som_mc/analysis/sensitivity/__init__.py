"""Sensitivity analysis and value of information: which input drives the result, and which is
worth knowing better.

- :func:`sobol` — Sobol' first-order, total and second-order indices, per actor and by year;
- :func:`morris` — Morris screening for cases with many inputs;
- :func:`tornado` and :func:`switching_values` — one-way sensitivity;
- :func:`value_of_information` — EVPI and EVPPI of the decision to invest;
- :func:`sobol_indices`, :func:`evpi`, :func:`evppi` — the same estimators for any function or
  sample;
- :func:`correlated_sensitivity` — Shapley effects and the full and independent Sobol' indices
  of a case with correlated inputs; :func:`shapley_effects`, :func:`correlated_sobol` (and
  their exact Gaussian-linear paths) for any function of a :class:`JointInputs`.
"""

from som_mc.analysis.sensitivity.analysis import sobol, value_of_information
from som_mc.analysis.sensitivity.copula import JointInputs
from som_mc.analysis.sensitivity.correlated import correlated_sobol, linear_gaussian_indices
from som_mc.analysis.sensitivity.dependent import correlated_sensitivity
from som_mc.analysis.sensitivity.morris import morris, morris_screening
from som_mc.analysis.sensitivity.oneway import switching_values, tornado
from som_mc.analysis.sensitivity.shapley import shapley_effects, shapley_linear_gaussian
from som_mc.analysis.sensitivity.sobol import sobol_indices
from som_mc.analysis.sensitivity.voi import evpi, evpi_se, evppi

__all__ = [
    "JointInputs",
    "correlated_sensitivity",
    "correlated_sobol",
    "evpi",
    "evpi_se",
    "evppi",
    "linear_gaussian_indices",
    "morris",
    "morris_screening",
    "shapley_effects",
    "shapley_linear_gaussian",
    "sobol",
    "sobol_indices",
    "switching_values",
    "tornado",
    "value_of_information",
]
