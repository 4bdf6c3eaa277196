"""Portfolio view: several interventions on the same draws of their shared inputs, compared.

Each case is an option. Inputs the cases share (a consequence's price from the knowledge base,
the discount rate) are drawn once per draw for all of them (:mod:`som_mc.pipeline.compose`), so the
comparison is of the interventions, not of the luck of the draw. Per draw the option with the
highest present value is the best for each actor; :func:`som_mc.analysis.decision.compare` gives the
probability that each is best and the expected loss of choosing it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import xarray as xr

from som_mc.analysis.decision import compare
from som_mc.conventions import ACTOR, ACTORS, DRAW, OPTION
from som_mc.inputs.case.load import Case, load_case
from som_mc.model.design import STREAM_COHORT, block_generator
from som_mc.pipeline.compose import compose
from som_mc.pipeline.engine import _check_run
from som_mc.pipeline.plan import allocate, simulate

__all__ = ["portfolio"]


def portfolio(
    cases: dict[str, str | Path | dict | Case],
    draws: int = 10_000,
    seed: int | None = None,
    mode: str = "expected",
    design: str = "random",
) -> xr.Dataset:
    """Run several cases on the same draws and compare them per draw and actor.

    Parameters
    ----------
    cases : dict of str to case
        The options by name (lower-case words), each a case file, dict or Case. They must
        share horizon and price year.
    draws, seed, mode, design
        As for :func:`som_mc.run`.

    Returns
    -------
    xarray.Dataset
        ``present_value`` (draw, option, actor) and the comparison of
        :func:`som_mc.analysis.decision.compare`: ``p_best``, ``expected_loss`` (with their mcse),
        ``pv_mean`` per option and actor (with ``total``), ``best_by_mean`` and ``evpi`` per
        actor.

    Examples
    --------
    >>> from som_mc.inputs.examples import example_path
    >>> ds = portfolio({"cti": example_path("cti"), "cti_again": example_path("cti")},
    ...                draws=200, seed=1)
    >>> float(ds.p_best.sum("option").sel(actor="total"))
    1.0
    """
    draws, seed = _check_run(draws, seed, mode)
    comp = compose({name: load_case(case) for name, case in cases.items()})
    layouts = comp.layouts()
    pv = np.empty((draws, len(layouts), len(ACTORS)))
    for b, lo, hi, x in comp.blocks(draws, seed, design):
        for i, layout in enumerate(layouts):
            # Each option draws its own cohort from its own stream of the block.
            rng = block_generator(seed, STREAM_COHORT + 16 * (i + 1), b)
            out = allocate(hi - lo, layout)
            simulate(layout, x, mode == "cohort", rng, out)
            pv[lo:hi, i] = out["pv"]
    m = comp.cases[0].model
    money = {"units": m.currency, "price_year": str(m.price_year)}
    da = xr.DataArray(
        pv,
        dims=(DRAW, OPTION, ACTOR),
        coords={DRAW: np.arange(draws), OPTION: list(comp.names), ACTOR: list(ACTORS)},
        attrs=money,
    )
    ds = compare(da)
    ds["present_value"] = xr.concat(
        [da, da.sum(ACTOR).expand_dims({ACTOR: ["total"]})], dim=ACTOR
    ).assign_attrs(money)
    ds.attrs.update(
        title="som-mc portfolio: " + ", ".join(comp.names),
        seed=seed,
        draws=draws,
        mode=mode,
        design=design,
        shared_inputs="\n".join(comp.notes),
        **comp.provenance(),
    )
    return ds
