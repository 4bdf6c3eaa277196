"""som-mc: Monte Carlo business cases for Danish social investments (SØM).

The public API, imported lazily so that ``import som_mc`` stays fast (numba and xarray load on
first use):

- :func:`load_case` reads and validates a case file;
- :func:`run` simulates it with every input drawn from its distribution;
- :func:`deterministic` computes SØM's own table at the inputs' central values;
- :func:`summarize` gives the headline numbers of a run;
- :func:`write_netcdf` writes a result atomically;
- :func:`example_path` finds a shipped example case;
- :func:`sobol`, :func:`tornado`, :func:`switching_values`, :func:`morris` and
  :func:`value_of_information` analyse a case's sensitivity (see
  :mod:`som_mc.analysis.sensitivity`).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from som_mc import _aliases
from som_mc._version import __version__
from som_mc.errors import InputError, SomMcError

if TYPE_CHECKING:
    from som_mc.analysis.followup import update
    from som_mc.analysis.sensitivity import (
        morris,
        sobol,
        switching_values,
        tornado,
        value_of_information,
    )
    from som_mc.inputs.case.load import Case, load_case
    from som_mc.inputs.examples import example_path
    from som_mc.io import write_netcdf
    from som_mc.pipeline.batch import run_batch
    from som_mc.pipeline.course import run_course
    from som_mc.pipeline.engine import deterministic, run
    from som_mc.pipeline.portfolios import portfolio
    from som_mc.pipeline.results import summarize

__all__ = [
    "Case",
    "InputError",
    "SomMcError",
    "__version__",
    "deterministic",
    "example_path",
    "load_case",
    "morris",
    "portfolio",
    "run",
    "run_batch",
    "run_course",
    "sobol",
    "summarize",
    "switching_values",
    "tornado",
    "update",
    "value_of_information",
    "write_netcdf",
]

_LAZY = {
    "Case": "som_mc.inputs.case.load",
    "load_case": "som_mc.inputs.case.load",
    "run": "som_mc.pipeline.engine",
    "run_batch": "som_mc.pipeline.batch",
    "run_course": "som_mc.pipeline.course",
    "portfolio": "som_mc.pipeline.portfolios",
    "update": "som_mc.analysis.followup",
    "deterministic": "som_mc.pipeline.engine",
    "example_path": "som_mc.inputs.examples",
    "write_netcdf": "som_mc.io",
    "summarize": "som_mc.pipeline.results",
    "sobol": "som_mc.analysis.sensitivity",
    "tornado": "som_mc.analysis.sensitivity",
    "switching_values": "som_mc.analysis.sensitivity",
    "morris": "som_mc.analysis.sensitivity",
    "value_of_information": "som_mc.analysis.sensitivity",
}

_aliases.install()


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'som_mc' has no attribute {name!r}")
