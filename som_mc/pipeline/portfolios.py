"""Portfolio view: several interventions on the same draws of their shared inputs, compared.

Each case is an option. Inputs the cases share (a consequence's price from the knowledge base,
the discount rate) are drawn once per draw for all of them (:mod:`som_mc.inputs.compose`), so
the comparison is of the interventions, not of the luck of the draw. Per draw the option with
the highest present value is the best for each actor; :class:`som_mc.pipeline.options.
OptionTally` gives the probability that each is best and the expected loss of choosing it. A
portfolio runs like a case (:class:`PortfolioPlan` through
:func:`som_mc.pipeline.executors.execute`): threads, dask, or summaries only.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr

from som_mc.conventions import ACTOR, ACTORS, DRAW, INPUT, OPTION, TOTAL
from som_mc.inputs.basis import check_one_basis, on_one_rate
from som_mc.inputs.case.load import Case, load_case
from som_mc.inputs.compose import compose
from som_mc.model.layout import Layout
from som_mc.model.outputs import allocate
from som_mc.model.simulate import simulate
from som_mc.pipeline.engine import check_run
from som_mc.pipeline.executors import ProgressCallback, execute
from som_mc.pipeline.options import OptionTally
from som_mc.pipeline.plan import STREAM_COHORT, BlockPlan, Sampler, check_mode, part_layouts
from som_mc.pipeline.provenance import provenance

__all__ = ["PortfolioPlan", "portfolio"]


@dataclass(frozen=True)
class PortfolioPlan(BlockPlan):
    """The plan of a portfolio: every option on the same sampled inputs of each block."""

    layouts: tuple[Layout, ...] = ()
    options: tuple[str, ...] = ()

    def compute(self, b: int, out: dict[str, np.ndarray] | None = None) -> dict[str, np.ndarray]:
        """Each option's present value (draws, options, actors) and the sampled ``inputs``."""
        x = self.sampler.block(b)
        pv = np.empty((x.shape[0], len(self.layouts), len(ACTORS)))
        for i, layout in enumerate(self.layouts):
            # Each option draws its own cohort from its own stream of the block.
            rng = self.cohort_rng(b, STREAM_COHORT + 16 * (i + 1))
            out = allocate(x.shape[0], layout)
            simulate(layout, x, self.cohort, rng, out)
            pv[:, i] = out["present_value"]
        return {"present_value_by_option": pv, "inputs": x}

    def new_summary(self) -> OptionTally:
        return OptionTally(list(self.options), list(ACTORS))


def portfolio(
    cases: dict[str, str | Path | dict | Case],
    draws: int = 10_000,
    seed: int | None = None,
    mode: str = "expected",
    design: str = "random",
    threads: int | None = None,
    progress: ProgressCallback | None = None,
    *,
    summary_only: bool = False,
    client: Any = None,
    chunk_draws: int | None = None,
    discount_rate: float | str | None = None,
) -> xr.Dataset:
    """Run several cases on the same draws and compare them per draw and actor.

    Parameters
    ----------
    cases : dict of str to case
        The options by name (lower-case words), each a case file, dict or Case. They must
        share horizon, price year and discount rate (else :class:`~som_mc.errors.InputError`,
        see :func:`som_mc.inputs.basis.check_one_basis`).
    draws, seed, mode, design, threads, progress, summary_only, client, chunk_draws
        As for :func:`som_mc.run`.
    discount_rate : float, distribution spec or "fm2021", optional
        Put every option on this one discount rate (stated in the attrs as ``basis``)
        instead of refusing options whose own rates differ.

    Returns
    -------
    xarray.Dataset
        ``present_value`` (draw, option, actor, with ``total``) and ``inputs`` unless
        ``summary_only``, and the comparison of :func:`som_mc.analysis.decision.compare`:
        ``p_best``, ``expected_loss`` (with their mcse), ``pv_mean`` per option and actor
        (with ``total``), ``best_by_mean`` and ``evpi`` per actor.

    Examples
    --------
    >>> from som_mc.inputs.examples import example_path
    >>> ds = portfolio({"cti": example_path("cti"), "cti_again": example_path("cti")},
    ...                draws=200, seed=1)
    >>> float(ds.p_best.sum("option").sel(actor="total"))
    1.0
    """
    draws, seed = check_run(draws, seed, mode)
    loaded = {name: load_case(case) for name, case in cases.items()}
    basis = ""
    if discount_rate is not None:
        loaded, basis = on_one_rate(loaded, discount_rate, what="option")
    check_one_basis(loaded)
    comp = compose(loaded)
    plan = PortfolioPlan(
        sampler=Sampler.of(comp.inputs, draws, seed, design),
        seed=seed,
        draws=draws,
        cohort=check_mode(mode),
        layouts=tuple(part_layouts(comp)),
        options=comp.names,
    )
    reducer, how = execute(
        plan,
        summary_only=summary_only,
        threads=threads,
        client=client,
        chunk_draws=chunk_draws,
        progress=progress,
    )
    m = comp.cases[0].model
    money = {"units": m.currency, "price_year": str(m.price_year)}
    attrs = provenance(
        comp.parts,
        title="som-mc portfolio: " + ", ".join(comp.names),
        seed=seed,
        draws=draws,
        mode=mode,
        design=design,
        shared_inputs="\n".join(comp.notes),
        **({"basis": basis} if basis else {}),
        **how,
        **({"summary_only": 1} if summary_only else {}),
    )
    if summary_only:
        return reducer.summary.to_dataset(attrs, money)
    arrays = reducer.arrays
    tally = plan.new_summary()
    tally.add(0, arrays)  # the whole run as one block: the same numbers as compare()
    ds = tally.to_dataset(attrs, money)
    da = xr.DataArray(
        arrays["present_value_by_option"],
        dims=(DRAW, OPTION, ACTOR),
        coords={DRAW: np.arange(draws), OPTION: list(comp.names), ACTOR: list(ACTORS)},
        attrs=money,
    )
    ds["present_value"] = xr.concat(
        [da, da.sum(ACTOR).expand_dims({ACTOR: [TOTAL]})], dim=ACTOR
    ).assign_attrs(money)
    ds["inputs"] = ((DRAW, INPUT), arrays["inputs"])
    ds.coords[INPUT] = list(comp.inputs.uncertain)
    return ds
