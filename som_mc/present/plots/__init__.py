"""Plots of som-mc results: each function reads a Dataset and draws on one Axes.

Every plot takes ``ax`` (a new 7 x 4 inch figure if None) and ``lang`` (``"en"`` or ``"da"``:
labels, titles and numbers in that language), returns the Axes, and never recomputes the
model: it summarises the Dataset it is given.

Results of :func:`som_mc.run`:

- :func:`fan_chart` — the cumulative net result by year, median with 50 % and 90 % bands;
- :func:`pv_distribution` — histogram of the present value, with P(present value > 0);
- :func:`who_pays` — gains, costs and net present value of each actor and in total;
- :func:`consequence_waterfall` — from the costs through each consequence to the net result
  (also for a result of :func:`som_mc.deterministic`);
- :func:`break_even_distribution` — the share of draws breaking even in each year, and never;
- :func:`pv_vs_input` — the present value against a sampled input, e.g. the success rate;
- :func:`convergence` — the running mean of the present value with ± 2 standard errors.

Results of :mod:`som_mc.analysis.sensitivity`:

- :func:`tornado_plot` — one-way swings of the present value;
- :func:`sobol_plot` — first-order and total Sobol' indices with their intervals;
- :func:`evppi_plot` — EVPPI per input or group against the EVPI;
- :func:`shapley_plot` — Shapley effects per actor of a case with correlated inputs.

Results of several interventions or parts:

- :func:`portfolio_plot` — for :func:`som_mc.portfolio`, the probability that each option is
  best and the expected loss of choosing it, per actor;
- :func:`parts_plot` — the present value of each step of :func:`som_mc.run_course` or each
  subgroup of a case, and of all parts together;
- :func:`update_plot` — for :func:`som_mc.update`, the success rate and P(pay off) before and
  after a follow-up.

:func:`write_figure` writes any of them to a file (the commands' ``--plot``).
"""

from som_mc.present.plots.actors import who_pays
from som_mc.present.plots.break_even import break_even_distribution
from som_mc.present.plots.convergence import convergence
from som_mc.present.plots.decision import ceac_plot, evsi_plot, loss_plot, voi_curve_plot
from som_mc.present.plots.distribution import pv_distribution
from som_mc.present.plots.fan import fan_chart
from som_mc.present.plots.figure import write_figure
from som_mc.present.plots.parts import parts_plot
from som_mc.present.plots.portfolio import portfolio_plot
from som_mc.present.plots.scatter import pv_vs_input
from som_mc.present.plots.shapley import shapley_plot
from som_mc.present.plots.sobol import sobol_plot
from som_mc.present.plots.tornado import tornado_plot
from som_mc.present.plots.update import update_plot
from som_mc.present.plots.voi import evppi_plot
from som_mc.present.plots.waterfall import consequence_waterfall

__all__ = [
    "break_even_distribution",
    "ceac_plot",
    "consequence_waterfall",
    "convergence",
    "evppi_plot",
    "evsi_plot",
    "fan_chart",
    "loss_plot",
    "parts_plot",
    "portfolio_plot",
    "pv_distribution",
    "pv_vs_input",
    "shapley_plot",
    "sobol_plot",
    "tornado_plot",
    "update_plot",
    "voi_curve_plot",
    "who_pays",
    "write_figure",
]
