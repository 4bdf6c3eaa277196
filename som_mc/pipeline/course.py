"""Complex courses: several interventions in sequence or in combination, on shared draws.

A course file (:mod:`som_mc.inputs.course_file`) names its steps, each a case.

**Sequence**: the first step runs as its case says. Those who complete step ``i`` in year ``t``
and do not succeed start step ``i + 1`` in year ``t + 1`` (its own intake is not used; those
who decline it count as its dropout). Each step's successes bring that step's consequences.
Operating costs of a later step are charged in the years it can have participants.

**Combination**: the steps are given together to the first step's participants, as one
package: the costs of every step, and one success rate, the chance that at least one step
works, ``1 - prod(1 - r_i)`` (effects assumed independent, **(som-mc)**), with the first
step's consequences (those of the target group).

The steps share their common inputs (see :mod:`som_mc.inputs.compose`). A course runs like a
case (:class:`CoursePlan` through :func:`som_mc.pipeline.executors.execute`): on threads or a
dask cluster, every draw kept or summaries only.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr

from som_mc.conventions import ACTOR, ACTORS, CONSEQUENCE, DRAW, INPUT, OUTPUT, STEP, YEAR
from som_mc.inputs.case.load import Case
from som_mc.inputs.compose import Composition
from som_mc.inputs.course_file import load_course
from som_mc.model.layout import Layout, concat_cost_factors
from som_mc.model.outputs import allocate
from som_mc.model.simulate import break_even_years, simulate
from som_mc.pipeline.engine import check_run, summary_dataset
from som_mc.pipeline.executors import ProgressCallback, execute
from som_mc.pipeline.plan import BlockPlan, Sampler, check_mode, part_layouts
from som_mc.pipeline.provenance import provenance
from som_mc.pipeline.results import by_part, money, output_attrs

__all__ = ["CoursePlan", "course_plan", "run_course"]

#: The outputs of the whole course its Dataset keeps (attrs from the output registry).
_COURSE_TOTALS = (
    "net",
    "present_value",
    "gain_pv",
    "cost_pv",
    "consequence_pv",
    "break_even_year",
    "break_even_year_by_actor",
)
#: The outputs of each step, summed over the steps for the course's own.
_STEP_SUMS = ("net", "present_value", "gain_pv", "cost_pv", "successes", "completions")


@dataclass(frozen=True)
class CoursePlan(BlockPlan):
    """The plan of a run of a course.

    Attributes
    ----------
    layouts : tuple of Layout
        One per step (a sequence), or the one package (a combination).
    consequences : int
        The number of consequences in the union of the steps'.
    cons_index : tuple of ndarray
        For each layout, the column of each of its consequences in the union.
    """

    layouts: tuple[Layout, ...] = ()
    consequences: int = 0
    cons_index: tuple = ()

    def compute(self, b: int, out: dict[str, np.ndarray] | None = None) -> dict[str, np.ndarray]:
        """One block of a course: each step's intake is the previous step's unhelped
        completers of the year before. The course's outputs (summed over the steps, break-even
        recomputed), the steps' own (``*_by_step``) and the sampled ``inputs``."""
        x = self.sampler.block(b)
        rng = self.cohort_rng(b)
        rows = x.shape[0]
        steps = []
        starts = None
        pv_cons = np.zeros((rows, self.consequences, len(ACTORS)))
        for layout, columns in zip(self.layouts, self.cons_index, strict=True):
            out = allocate(rows, layout)
            simulate(layout, x, self.cohort, rng, out, starts=starts)
            out["participants"] = (
                starts if starts is not None else _own_starts(layout, x, self.cohort, rows)
            )
            pv_cons[:, columns] += out["consequence_pv"]
            steps.append(out)
            unhelped = out["completions"] - out["successes"]
            starts = np.zeros_like(unhelped)
            starts[:, 1:] = unhelped[:, :-1]
        total = {key: sum(s[key] for s in steps) for key in _STEP_SUMS}
        total["consequence_pv"] = pv_cons
        total["break_even_year"], total["break_even_year_by_actor"] = break_even_years(total["net"])
        for key in ("net", "present_value", "participants", "successes"):
            total[f"{key}_by_step"] = np.stack([s[key] for s in steps], axis=1)
        total["inputs"] = x
        return total

    def new_summary(self) -> Any:
        from som_mc.pipeline.streaming import RunSummary

        return RunSummary(self.layouts[0].horizon, self.consequences)


def course_plan(
    comp: Composition, kind: str, draws: int, seed: int, mode: str, design: str
) -> tuple[CoursePlan, list[str]]:
    """The plan of a course of the steps ``comp`` and the keys of its consequences."""
    layouts = part_layouts(comp)
    if kind == "combination":
        layouts = [_combine(layouts)]
    else:
        layouts = _sequence_costs(layouts, comp.cases)
    keys, cons_index = _consequence_union(comp, kind)
    plan = CoursePlan(
        sampler=Sampler.of(comp.inputs, draws, seed, design),
        seed=seed,
        draws=draws,
        cohort=check_mode(mode),
        layouts=tuple(layouts),
        consequences=len(keys),
        cons_index=tuple(cons_index),
    )
    return plan, keys


def run_course(
    course: str | Path | dict,
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
) -> xr.Dataset:
    """Simulate a course of several interventions (see the module docstring).

    Parameters
    ----------
    course : path or dict
        A course file or its dict (steps may give a loaded ``Case`` or a case dict as ``case``).
    draws, seed, mode, design, threads, progress, summary_only, client, chunk_draws
        As for :func:`som_mc.run`.

    Returns
    -------
    xarray.Dataset
        ``net``, ``present_value``, ``gain_pv``, ``cost_pv``, ``break_even_year``,
        ``break_even_year_by_actor`` of the whole course; ``net_by_step``,
        ``present_value_by_step``, ``participants_by_step``, ``successes_by_step`` (dim
        ``step``); ``consequence_pv`` over the union of the steps' consequences; ``inputs``.
        With ``summary_only``, the summaries of the whole course (as for a case).
    """
    meta, comp = load_course(course)
    draws, seed = check_run(draws, seed, mode)
    plan, keys = course_plan(comp, meta["kind"], draws, seed, mode, design)
    reducer, how = execute(
        plan,
        summary_only=summary_only,
        threads=threads,
        client=client,
        chunk_draws=chunk_draws,
        progress=progress,
    )
    attrs = {
        **_course_attrs(meta, comp),
        "seed": seed,
        "draws": draws,
        "mode": mode,
        "design": design,
        **how,
    }
    if summary_only:
        return summary_dataset(reducer.summary, comp.parts, attrs, keys)
    return _dataset(meta, comp, reducer.arrays, keys, attrs)


def _course_attrs(meta: dict, comp: Composition) -> dict[str, object]:
    return {
        "title": f"som-mc course: {meta['name']}",
        "case_name": meta["name"],
        "course_kind": meta["kind"],
        "steps": ", ".join(comp.names),
        "shared_inputs": "\n".join(comp.notes),
        "basis": meta.get("basis", ""),
    }


def _own_starts(layout: Layout, x: np.ndarray, cohort: bool, rows: int) -> np.ndarray:
    """The first step's intake by year, as the kernel reads it."""
    vals = np.broadcast_to(layout.central, (rows, layout.central.size)).copy()
    vals[:, layout.uncertain_q] = x
    starts = np.zeros((rows, layout.horizon))
    n = vals[:, layout.intake_q] * layout.share
    starts[:, : layout.intake_q.size] = np.rint(n) if cohort else n
    return starts


def _sequence_costs(layouts: list[Layout], cases: tuple[Case, ...]) -> list[Layout]:
    """Later steps' operating costs (without explicit years) run in the years the step can
    have participants: from the year after the previous step's first completions."""
    T = layouts[0].horizon
    possible = np.zeros(T, dtype=bool)
    possible[: layouts[0].intake_q.size] = True
    out = [layouts[0]]
    for layout, previous, case in zip(layouts[1:], layouts[:-1], cases[1:], strict=True):
        shift = previous.course_years  # complete course_years - 1 later, start a year after
        starts = np.zeros(T, dtype=bool)
        starts[shift:] = possible[: T - shift]
        in_course = np.zeros(T)
        for s in np.flatnonzero(starts):
            in_course[s : s + layout.course_years] = 1.0
        mask = layout.cost_mask.copy()
        for i, line in enumerate(case.model.cost):
            if line.type == "operating" and line.years is None:
                mask[i] = in_course
        out.append(layout._replace(cost_mask=mask))
        possible = starts
    return out


def _combine(layouts: list[Layout]) -> Layout:
    """One package: the first step's intake and consequences, every step's costs, and the
    chance that at least one step works."""
    first = layouts[0]
    return first._replace(
        rate_q=np.concatenate([L.rate_q for L in layouts]),
        gross_q=np.concatenate([L.gross_q for L in layouts]),
        deadweight_q=np.concatenate([L.deadweight_q for L in layouts]),
        transfer_q=np.concatenate([L.transfer_q for L in layouts]),
        **concat_cost_factors(layouts),
        cost_type=np.concatenate([L.cost_type for L in layouts]),
        cost_actor=np.concatenate([L.cost_actor for L in layouts]),
        cost_q=np.concatenate([L.cost_q for L in layouts]),
        cost_mask=np.concatenate([first.cost_mask] + [_as_first(L, first) for L in layouts[1:]]),
    )


def _as_first(layout: Layout, first: Layout) -> np.ndarray:
    """A later step's cost years when it is given with the first: operating costs follow the
    first step's years in course."""
    mask = layout.cost_mask.copy()
    operating = first.cost_mask[first.cost_type == 1]
    years = operating[0] if operating.size else np.ones(first.horizon)
    mask[layout.cost_type == 1] = years
    return mask


def _consequence_union(comp: Composition, kind: str) -> tuple[list[str], list[np.ndarray]]:
    cases = comp.cases[:1] if kind == "combination" else comp.cases
    keys: list[str] = []
    for case in cases:
        keys += [c.key for c in case.model.consequence if c.key not in keys]
    index = [np.array([keys.index(c.key) for c in case.model.consequence]) for case in cases]
    return keys, index


def _dataset(
    meta: dict, comp: Composition, out: dict[str, np.ndarray], keys: list[str], attrs: dict
) -> xr.Dataset:
    case = comp.cases[0]
    m = case.model
    steps = list(comp.names) if meta["kind"] == "sequence" else ["+".join(comp.names)]
    data = {
        name: ((DRAW, *OUTPUT[name].dims), out[name], output_attrs(case, OUTPUT[name]))
        for name in _COURSE_TOTALS
    }
    data.update(by_part(case, out, STEP))
    data["participants_by_step"] = (
        (DRAW, STEP, YEAR),
        out["participants_by_step"],
        {"long_name": "citizens who start each step, by year", "units": "persons"},
    )
    data["inputs"] = ((DRAW, INPUT), out["inputs"])
    ds = xr.Dataset(
        data,
        coords={
            DRAW: np.arange(out["net"].shape[0]),
            YEAR: np.arange(1, m.horizon + 1),
            ACTOR: list(ACTORS),
            STEP: steps,
            CONSEQUENCE: keys,
            INPUT: list(comp.inputs.uncertain),
        },
        attrs=provenance(comp.parts, **attrs),
    )
    ds["cumulative"] = ds["net"].cumsum(YEAR)
    ds["cumulative"].attrs = money(case, "cumulative net budget result")
    return ds
