"""Decision analysis: which option is best, what more information is worth, cost-effectiveness.

- :func:`compare`: several interventions' present values draw by draw (chance of being best,
  expected loss, EVPI), per actor;
- a probabilistic sample of any decision (:class:`PSA`, from arrays, a table, a CSV or netCDF
  file, or a som-mc run: :func:`make_psa`, :func:`psa_from_table`, :func:`read_psa`,
  :func:`psa_from_run`);
- value of information for any number of options: :func:`evpi` (also against a known current
  net benefit), :func:`evppi` of inputs and groups with a ranking, as curves over
  willingness to pay;
- cost-effectiveness: :func:`cea` (means and SDs, ICERs with dominance, incremental net
  benefit, CEAC and CEAF, expected loss, switch points), :func:`icers`,
  :func:`frontier_intervals`;
- value of sample information for a local evaluation of n citizens: :func:`evsi`
  (regression), :func:`evsi_preposterior` (direct), :func:`enbs`.

docs/decision.md explains each quantity with a worked example.
"""

from __future__ import annotations

from som_mc.analysis.decision.cea import STATUS, cea, frontier_intervals, icers, switch_points
from som_mc.analysis.decision.compare import OPTION, compare
from som_mc.analysis.decision.evsi import enbs, evsi, evsi_preposterior
from som_mc.analysis.decision.psa import PSA, make_psa, psa_from_run, psa_from_table, read_psa
from som_mc.analysis.decision.voi import evpi, evppi

__all__ = [
    "OPTION",
    "PSA",
    "STATUS",
    "cea",
    "compare",
    "enbs",
    "evpi",
    "evppi",
    "evsi",
    "evsi_preposterior",
    "frontier_intervals",
    "icers",
    "make_psa",
    "psa_from_run",
    "psa_from_table",
    "read_psa",
    "switch_points",
]
