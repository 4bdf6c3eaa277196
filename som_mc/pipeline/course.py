"""Complex courses: several interventions in sequence or in combination, on shared draws.

A course file names its steps, each a case::

    name = "CTI, then Housing First for those CTI did not help"
    kind = "sequence"            # or "combination"
    [[step]]
    name = "cti"
    example = "cti"              # a shipped example, or: case = "cti.toml" (relative path)
    [[step]]
    name = "housing_first"
    case = "housing_first.toml"

**Sequence**: the first step runs as its case says. Those who complete step ``i`` in year ``t``
and do not succeed start step ``i + 1`` in year ``t + 1`` (its own intake is not used; those
who decline it count as its dropout). Each step's successes bring that step's consequences.
Operating costs of a later step are charged in the years it can have participants.

**Combination**: the steps are given together to the first step's participants, as one
package: the costs of every step, and one success rate, the chance that at least one step
works, ``1 - prod(1 - r_i)`` (effects assumed independent, **(som-mc)**), with the first
step's consequences (those of the target group).

The steps share their common inputs (see :mod:`som_mc.pipeline.compose`).
"""

from __future__ import annotations

import tomllib
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr

from som_mc.conventions import ACTOR, ACTORS, CONSEQUENCE, DRAW, INPUT, STEP, YEAR
from som_mc.errors import InputError
from som_mc.inputs.case.load import Case, load_case
from som_mc.model.design import STREAM_COHORT, block_generator
from som_mc.model.layout import Layout
from som_mc.pipeline.compose import Composition, compose
from som_mc.pipeline.engine import _check_run
from som_mc.pipeline.plan import allocate, break_even_years, simulate

__all__ = ["KINDS", "load_course", "run_course"]

KINDS = ("sequence", "combination")


def load_course(course: str | Path | dict) -> tuple[dict, Composition]:
    """Read a course file (or dict) and load its steps' cases.

    Returns
    -------
    (dict, Composition)
        The course's own fields (``name``, ``kind``) and its steps on a shared input set.
    """
    base = Path(".")
    file = None
    if not isinstance(course, dict):
        path = Path(course)
        file = str(path)
        try:
            course = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise InputError("", "no such course file", file=file) from None
        except tomllib.TOMLDecodeError as err:
            raise InputError("", f"is not valid TOML: {err}", file=file) from None
        base = path.parent
    try:
        return _parse(course, base)
    except InputError as err:
        raise err.in_file(file) if file else err from None


def _parse(course: dict, base: Path) -> tuple[dict, Composition]:
    unknown = set(course) - {"name", "kind", "step", "description"}
    if unknown:
        raise InputError(
            sorted(unknown)[0], "is not a field of a course; allowed: name, kind, step"
        )
    kind = course.get("kind", "sequence")
    if kind not in KINDS:
        raise InputError("kind", f"'{kind}' is not allowed; allowed: {', '.join(KINDS)}")
    steps = course.get("step")
    if not isinstance(steps, list) or len(steps) < 2:
        raise InputError("step", "a course needs at least two [[step]] tables")
    parts: dict[str, Case] = {}
    for i, step in enumerate(steps):
        where = f"step[{i}]"
        if not isinstance(step, dict) or "name" not in step:
            raise InputError(f"{where}.name", "required field is missing")
        name = step["name"]
        if name in parts:
            raise InputError(f"{where}.name", f"'{name}' is used twice")
        given = [k for k in ("case", "example") if k in step]
        if len(given) != 1:
            raise InputError(where, "give exactly one of case (a file) or example (a name)")
        value = step[given[0]]
        if isinstance(value, Case | dict):
            parts[name] = load_case(value)
        elif given[0] == "example":
            from som_mc.inputs.examples import example_path

            parts[name] = load_case(example_path(value))
        else:
            parts[name] = load_case(base / value)
    meta = {"name": course.get("name", " + ".join(parts)), "kind": kind}
    return meta, compose(parts)


def run_course(
    course: str | Path | dict,
    draws: int = 10_000,
    seed: int | None = None,
    mode: str = "expected",
    design: str = "random",
) -> xr.Dataset:
    """Simulate a course of several interventions (see the module docstring).

    Parameters
    ----------
    course : path or dict
        A course file or its dict (steps may give a loaded ``Case`` or a case dict as ``case``).
    draws, seed, mode, design
        As for :func:`som_mc.run`.

    Returns
    -------
    xarray.Dataset
        ``net``, ``present_value``, ``gain_pv``, ``cost_pv``, ``break_even_year``,
        ``break_even_year_by_actor`` of the whole course; ``net_by_step``,
        ``present_value_by_step``, ``participants_by_step``, ``successes_by_step`` (dim
        ``step``); ``consequence_pv`` over the union of the steps' consequences; ``inputs``.
    """
    meta, comp = load_course(course)
    draws, seed = _check_run(draws, seed, mode)
    layouts = comp.layouts()
    if meta["kind"] == "combination":
        layouts = [_combine(layouts)]
    else:
        layouts = _sequence_costs(layouts, comp.cases)
    cohort = mode == "cohort"
    n_steps, T, A = len(layouts), layouts[0].horizon, len(ACTORS)
    keys, cons_index = _consequence_union(comp, meta["kind"])
    store = {
        "net": np.empty((draws, n_steps, T, A)),
        "pv": np.empty((draws, n_steps, A)),
        "pv_gain": np.empty((draws, n_steps, A)),
        "pv_cost": np.empty((draws, n_steps, A)),
        "starts": np.empty((draws, n_steps, T)),
        "successes": np.empty((draws, n_steps, T)),
        "pv_cons": np.zeros((draws, len(keys), A)),
        "inputs": np.empty((draws, len(comp.inputs.uncertain))),
    }
    for b, lo, hi, x in comp.blocks(draws, seed, design):
        store["inputs"][lo:hi] = x
        rng = block_generator(seed, STREAM_COHORT, b)
        _course_block(layouts, x, cohort, rng, store, lo, hi, cons_index)
    return _dataset(meta, comp, store, keys, seed=seed, mode=mode, design=design, draws=draws)


def _course_block(
    layouts: list[Layout],
    x: np.ndarray,
    cohort: bool,
    rng: np.random.Generator,
    store: dict[str, np.ndarray],
    lo: int,
    hi: int,
    cons_index: list[np.ndarray],
) -> None:
    """One block of a course: each step's intake is the previous step's unhelped completers
    of the year before."""
    starts = None
    for i, layout in enumerate(layouts):
        out = allocate(hi - lo, layout)
        simulate(layout, x, cohort, rng, out, starts=starts)
        for key in ("net", "pv", "pv_gain", "pv_cost", "successes"):
            store[key][lo:hi, i] = out[key]
        store["starts"][lo:hi, i] = (
            starts if starts is not None else _own_starts(layout, x, cohort, hi - lo)
        )
        store["pv_cons"][lo:hi, cons_index[i]] += out["pv_cons"]
        unhelped = out["completions"] - out["successes"]
        starts = np.zeros_like(unhelped)
        starts[:, 1:] = unhelped[:, :-1]


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
        out.append(replace(layout, cost_mask=mask))
        possible = starts
    return out


def _combine(layouts: list[Layout]) -> Layout:
    """One package: the first step's intake and consequences, every step's costs, and the
    chance that at least one step works."""
    first = layouts[0]
    return replace(
        first,
        rate_q=np.concatenate([L.rate_q for L in layouts]),
        gross_q=np.concatenate([L.gross_q for L in layouts]),
        deadweight_q=np.concatenate([L.deadweight_q for L in layouts]),
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
    meta: dict, comp: Composition, store: dict[str, np.ndarray], keys: list[str], **attrs: Any
) -> xr.Dataset:
    m = comp.cases[0].model
    steps = list(comp.names) if meta["kind"] == "sequence" else ["+".join(comp.names)]
    money = {"units": m.currency, "price_year": str(m.price_year)}
    net = store["net"].sum(axis=1)
    be, be_actor = break_even_years(net)
    ds = xr.Dataset(
        {
            "net": ((DRAW, YEAR, ACTOR), net, money),
            "present_value": ((DRAW, ACTOR), store["pv"].sum(axis=1), money),
            "gain_pv": ((DRAW, ACTOR), store["pv_gain"].sum(axis=1), money),
            "cost_pv": ((DRAW, ACTOR), store["pv_cost"].sum(axis=1), money),
            "consequence_pv": ((DRAW, CONSEQUENCE, ACTOR), store["pv_cons"], money),
            "break_even_year": ((DRAW,), be),
            "break_even_year_by_actor": ((DRAW, ACTOR), be_actor),
            "net_by_step": ((DRAW, STEP, YEAR, ACTOR), store["net"], money),
            "present_value_by_step": ((DRAW, STEP, ACTOR), store["pv"], money),
            "participants_by_step": ((DRAW, STEP, YEAR), store["starts"], {"units": "persons"}),
            "successes_by_step": ((DRAW, STEP, YEAR), store["successes"], {"units": "persons"}),
            "inputs": ((DRAW, INPUT), store["inputs"]),
        },
        coords={
            DRAW: np.arange(net.shape[0]),
            YEAR: np.arange(1, m.horizon + 1),
            ACTOR: list(ACTORS),
            STEP: steps,
            CONSEQUENCE: keys,
            INPUT: list(comp.inputs.uncertain),
        },
        attrs={
            "title": f"som-mc course: {meta['name']}",
            "case_name": meta["name"],
            "course_kind": meta["kind"],
            "steps": ", ".join(comp.names),
            "price_year": m.price_year,
            "currency": m.currency,
            "horizon": m.horizon,
            "shared_inputs": "\n".join(comp.notes),
            **comp.provenance(),
            **attrs,
        },
    )
    ds["cumulative"] = ds["net"].cumsum(YEAR)
    return ds
