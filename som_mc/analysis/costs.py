"""The cost of an intervention by resource: per participant, per year, and which resource's
uncertainty the cost's uncertainty comes from (``som-mc costs CASE``; docs/cases.md).

The costs are the kernel's own (expected mode, every price left out, so the net result is
minus the cost): once with every cost line, and once with each line alone, on the same draws
of the inputs as :func:`som_mc.run` with the same seed. A line's share of the variance of the
total cost ``C = sum_r C_r`` is ``Cov(C_r, C) / Var(C)``: the shares add up to 1, and for lines
that share no input it is ``Var(C_r) / Var(C)``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from som_mc.checks import block_bounds
from som_mc.inputs.case.load import Case, load_case
from som_mc.model.layout import Layout
from som_mc.model.simulate import simulate_parts
from som_mc.pipeline.engine import check_run
from som_mc.pipeline.plan import case_plan

__all__ = ["CostBreakdown", "cost_breakdown"]


@dataclass(frozen=True)
class CostBreakdown:
    """Draws of the intervention's cost, undiscounted, in the case's price year.

    Attributes
    ----------
    labels, kinds, actors : tuple of str
        Each cost line's label, resource kind (empty for a ``[[cost]]`` total) and actor.
    per_line : ndarray (draws, N)
        Each line's cost over the horizon.
    by_year : ndarray (draws, T, A)
        The total cost by year and actor.
    participants : ndarray (draws,)
        Participants starting over the horizon.
    """

    labels: tuple[str, ...]
    kinds: tuple[str, ...]
    actors: tuple[str, ...]
    per_line: np.ndarray
    by_year: np.ndarray
    participants: np.ndarray

    @property
    def total(self) -> np.ndarray:
        """The whole cost of each draw (draws,)."""
        return self.by_year.sum(axis=(1, 2))

    @property
    def per_participant(self) -> np.ndarray:
        """The whole cost divided by the participants, each draw (draws,)."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return self.total / self.participants

    def variance_shares(self) -> np.ndarray:
        """Each line's share of the variance of the total cost, ``Cov(C_r, C) / Var(C)``
        (N,); zeros when the cost does not vary."""
        total = self.per_line.sum(axis=1)
        var = total.var()
        if not var > 0:
            return np.zeros(self.per_line.shape[1])
        centred = self.per_line - self.per_line.mean(axis=0)
        return (centred * (total - total.mean())[:, None]).mean(axis=0) / var


def _costs_only(layout: Layout, lines: slice | None = None) -> Layout:
    """The layout with every price left out (net = -cost), and only the cost ``lines``."""
    layout = layout._replace(price_q=np.full_like(layout.price_q, -1))
    if lines is None:
        return layout
    idx = np.arange(layout.cost_q.shape[0])[lines]
    return layout._replace(
        cost_type=layout.cost_type[idx],
        cost_actor=layout.cost_actor[idx],
        cost_q=layout.cost_q[idx],
        cost_mask=layout.cost_mask[idx],
        cost_factor_q=layout.cost_factor_q[idx],
        cost_factor_add=layout.cost_factor_add[idx],
        cost_factor_pow=layout.cost_factor_pow[idx],
    )


def cost_breakdown(
    case: str | Case, draws: int = 10_000, seed: int | None = 0, design: str = "random"
) -> CostBreakdown:
    """The intervention's cost by line, year and actor, for ``draws`` draws of the inputs.

    Parameters
    ----------
    case : str or Case
        A case file or a loaded case.
    draws, seed, design
        As for :func:`som_mc.run`; the same seed gives the same input draws.

    Returns
    -------
    CostBreakdown
    """
    case = load_case(case)
    draws, seed = check_run(draws, seed, "expected")
    plan = case_plan(case, draws, seed, "expected", design)
    m = case.model
    n_lines = len(m.cost)
    T, A = plan.layouts[0].horizon, plan.layouts[0].price_q.shape[1]
    all_costs = [_costs_only(L) for L in plan.layouts]
    each = [[_costs_only(L, slice(i, i + 1)) for L in plan.layouts] for i in range(n_lines)]
    per_line = np.empty((draws, n_lines))
    by_year = np.empty((draws, T, A))
    participants = np.empty(draws)
    intake_q = plan.layouts[0].intake_q
    central = plan.layouts[0].central
    uncertain_q = plan.layouts[0].uncertain_q
    for b in range(plan.n_blocks):
        lo, hi = block_bounds(b, draws)
        x = plan.sampler.block(b)
        out, _ = simulate_parts(all_costs, x, False, None)
        by_year[lo:hi] = -out["net"]
        for i, layouts in enumerate(each):
            part, _ = simulate_parts(layouts, x, False, None)
            per_line[lo:hi, i] = -part["net"].sum(axis=(1, 2))
        vals = np.tile(central, (hi - lo, 1))
        vals[:, uncertain_q] = x
        participants[lo:hi] = vals[:, intake_q].sum(axis=1)
    return CostBreakdown(
        labels=tuple(c.label for c in m.cost),
        kinds=tuple(c.resource or "cost" for c in m.cost),
        actors=tuple(c.actor for c in m.cost),
        per_line=per_line,
        by_year=by_year,
        participants=participants,
    )
