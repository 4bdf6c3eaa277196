"""Sensitivity analysis and value of information: which input drives the result, and which is
worth knowing better.

- :func:`sobol` — Sobol' first-order, total and second-order indices, per actor and by year;
- :func:`morris` — Morris screening for cases with many inputs;
- :func:`tornado` and :func:`switching_values` — one-way sensitivity;
- :func:`value_of_information` — EVPI and EVPPI of the decision to invest;
- :func:`sobol_indices`, :func:`evpi`, :func:`evppi` — the same estimators for any function or
  sample.
"""

from som_mc.analysis.sensitivity.analysis import sobol, value_of_information
from som_mc.analysis.sensitivity.morris import morris, morris_screening
from som_mc.analysis.sensitivity.oneway import switching_values, tornado
from som_mc.analysis.sensitivity.sobol import sobol_indices
from som_mc.analysis.sensitivity.voi import evpi, evpi_se, evppi

__all__ = [
    "evpi",
    "evpi_se",
    "evppi",
    "morris",
    "morris_screening",
    "sobol",
    "sobol_indices",
    "switching_values",
    "tornado",
    "value_of_information",
]
