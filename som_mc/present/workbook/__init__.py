"""Excel for som-mc's users: a case as a workbook to fill in, and results as a workbook to read.

- :func:`write_template` writes a case workbook, blank with examples or filled from a case;
- :func:`read_case_xlsx` reads one back into a case dict (:func:`som_mc.load_case` does this for
  any ``.xlsx`` path, so ``som-mc run case.xlsx`` works);
- :func:`write_results_xlsx` writes a run's results, its SØM table, summary, sensitivity
  analyses, draws and provenance.

A quantity cell holds a number or a distribution as text, e.g. ``pert(min=0.05, mode=0.14,
max=0.3)``; :mod:`som_mc.inputs.workbook.quantity_text` defines the form. Imported lazily: reading
a case
workbook needs openpyxl only, not xarray.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from som_mc.inputs.workbook.read import read_case_xlsx
    from som_mc.present.workbook.results import write_results_xlsx
    from som_mc.present.workbook.template import write_template

__all__ = ["read_case_xlsx", "write_results_xlsx", "write_template"]

_LAZY = {
    "read_case_xlsx": "som_mc.inputs.workbook.read",
    "write_results_xlsx": "som_mc.present.workbook.results",
    "write_template": "som_mc.present.workbook.template",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'som_mc.present.workbook' has no attribute {name!r}")
