"""What a worker needs to compute any block of a run: a case, a course or a portfolio.

A plan holds the layouts, the sampler of the inputs and the seed, and nothing that depends on
how the blocks are shared out. Block ``b`` is always draws ``b * BLOCK_SIZE`` to
``(b + 1) * BLOCK_SIZE`` with random streams keyed by ``(seed, stream, b)``, so a run gives the
same numbers on one thread, many threads, or many machines, whatever the chunks. Every plan is
picklable (a dask worker receives it once) and gives :meth:`BlockPlan.compute` for a block and
:meth:`BlockPlan.new_summary` for the reducer that keeps summaries only.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

import numpy as np

from som_mc.checks import block_bounds
from som_mc.conventions import BLOCK_SIZE, MODES
from som_mc.errors import InputError
from som_mc.inputs.case import names
from som_mc.inputs.case.inputs import InputSet
from som_mc.inputs.case.load import Case
from som_mc.inputs.compose import Composition
from som_mc.model.design import STREAM_COHORT, Design, block_generator, n_blocks
from som_mc.model.layout import Layout, build_layout
from som_mc.model.outputs import allocate
from som_mc.model.sample import PackedInputs, pack_inputs, sample_block
from som_mc.model.simulate import simulate_parts

__all__ = [
    "STREAM_COHORT",
    "BlockPlan",
    "CasePlan",
    "Sampler",
    "case_plan",
    "check_mode",
    "part_layouts",
]


def check_mode(mode: str) -> bool:
    """Whether ``mode`` draws the cohort (``"cohort"``) or takes its expectation."""
    if mode not in MODES:
        raise InputError("mode", f"'{mode}' is not a mode; allowed: {', '.join(MODES)}")
    return mode == "cohort"


@dataclass(frozen=True)
class Sampler:
    """The uncertain inputs of a run, block by block: the design, and the distributions and
    copula packed for compiled sampling (:mod:`som_mc.model.sample`)."""

    design: Design
    packed: PackedInputs

    @classmethod
    def of(cls, inputs: InputSet, draws: int, seed: int, design: str) -> Sampler:
        """The sampler of ``inputs`` for a run of ``draws`` draws."""
        dists = inputs.uncertain_dists
        return cls(Design(design, draws, len(dists), seed), pack_inputs(dists, inputs.correlation))

    @property
    def width(self) -> int:
        """The number of uncertain inputs (columns of a block)."""
        return len(self.packed.codes)

    def block(self, b: int, out: np.ndarray | None = None) -> np.ndarray:
        """The input values of block ``b``: rows are draws, columns the uncertain inputs
        (written into ``out`` when given: the design's points, then in place their values)."""
        u = self.design.block(b, out)
        return sample_block(u, self.packed, u)


@dataclass(frozen=True)
class BlockPlan:
    """The part every plan shares: how many draws, their seed, the sampler and the mode.

    Attributes
    ----------
    sampler : Sampler
    seed, draws : int
    cohort : bool
        Cohort mode (binomial draws of the citizens) rather than expected mode.
    """

    sampler: Sampler
    seed: int
    draws: int
    cohort: bool

    @property
    def n_blocks(self) -> int:
        """Number of blocks of the run."""
        return n_blocks(self.draws)

    def bounds(self, b: int) -> tuple[int, int]:
        """First and one-past-last draw of block ``b``."""
        return block_bounds(b, self.draws)

    def cohort_rng(self, b: int, stream: int = STREAM_COHORT) -> np.random.Generator:
        """The generator of block ``b``'s cohort draws."""
        return block_generator(self.seed, stream, b)

    def compute(self, b: int, out: dict[str, np.ndarray] | None = None) -> dict[str, np.ndarray]:
        """The outputs of block ``b`` by name, one row per draw, and its sampled ``inputs``;
        written into ``out`` (arrays of :meth:`empty`'s shapes) when given."""
        raise NotImplementedError

    def empty(self, rows: int) -> dict[str, np.ndarray] | None:
        """Arrays :meth:`compute` can write ``rows`` draws into, or None when it makes its own.

        Handing them to :meth:`compute` lets the kernel write straight into the rows of a
        kept run, or into a reused buffer of a summary-only run: a block's 20 MB of fresh
        memory costs about 40 ms of page faults on this machine, more than its kernel.
        """
        return None

    def new_summary(self) -> Any:
        """An empty accumulator of this plan's summaries (``add(b, out)``, ``merge(other)``)."""
        raise NotImplementedError


@dataclass(frozen=True)
class CasePlan(BlockPlan):
    """The plan of a run of one case.

    Attributes
    ----------
    layouts : tuple of Layout
        One per subgroup (or the case's own when it has none).
    subgroups : tuple of str
        The subgroups' names; empty for a case without subgroups.
    """

    layouts: tuple[Layout, ...] = ()
    subgroups: tuple[str, ...] = ()
    #: Return the sampled inputs with the outputs. False: each block's inputs live in a
    #: buffer of its thread only, and the Dataset samples them again when they are read
    #: (:mod:`som_mc.pipeline.lazy_inputs`), so a run never holds draws x inputs.
    keep_inputs: bool = True

    def compute(self, b: int, out: dict[str, np.ndarray] | None = None) -> dict[str, np.ndarray]:
        """The kernel's outputs for block ``b`` and (with ``keep_inputs``) the sampled inputs.

        With subgroups the outputs are the sums over subgroups, plus ``net_by_subgroup``,
        ``present_value_by_subgroup`` and ``successes_by_subgroup`` with a subgroup axis after
        the draw axis.
        """
        lo, hi = self.bounds(b)
        out = self.empty(hi - lo) if out is None else out
        buffer = out["inputs"] if self.keep_inputs else _scratch(hi - lo, self.sampler.width)
        x = self.sampler.block(b, buffer)
        _, parts = simulate_parts(self.layouts, x, self.cohort, self.cohort_rng(b), out)
        if self.subgroups:
            for name in ("net", "present_value", "successes"):
                out[f"{name}_by_subgroup"][...] = np.stack([p[name] for p in parts], axis=1)
        return out

    def empty(self, rows: int) -> dict[str, np.ndarray]:
        out = allocate(rows, self.layouts[0])
        if self.keep_inputs:
            out["inputs"] = np.empty((rows, self.sampler.width))
        if self.subgroups:
            G = len(self.subgroups)
            for name in ("net", "present_value", "successes"):
                shape = out[name].shape
                out[f"{name}_by_subgroup"] = np.empty((rows, G, *shape[1:]))
        return out

    def new_summary(self) -> Any:
        from som_mc.pipeline.streaming import RunSummary

        layout = self.layouts[0]
        return RunSummary(layout.horizon, layout.profile_q.shape[0])


#: Each thread's buffer for the inputs of the block it computes (CasePlan.keep_inputs False).
_THREAD = threading.local()


def _scratch(rows: int, width: int) -> np.ndarray:
    """This thread's buffer of ``rows`` x ``width`` (made once per thread and width)."""
    buffer = getattr(_THREAD, "inputs", None)
    if buffer is None or buffer.shape[1] != width or buffer.shape[0] < rows:
        buffer = np.empty((max(rows, BLOCK_SIZE), width))
        _THREAD.inputs = buffer
    return buffer[:rows]


def case_plan(case: Case, draws: int, seed: int, mode: str, design: str) -> CasePlan:
    """The plan of a run of ``case`` (see :func:`som_mc.run` for the arguments)."""
    groups = tuple(g.name for g in case.model.subgroup)
    layouts = tuple(build_layout(case, subgroup=g) for g in groups) or (build_layout(case),)
    return CasePlan(
        sampler=Sampler.of(case.inputs, draws, seed, design),
        seed=seed,
        draws=draws,
        cohort=check_mode(mode),
        layouts=layouts,
        subgroups=groups,
    )


def part_layouts(comp: Composition) -> list[Layout]:
    """One layout per part of a course or portfolio, indexing the shared input set."""
    out = []
    for name, case in comp.parts.items():
        if case.model.subgroup:
            raise InputError(
                f"{name}", "a case with subgroups cannot be part of a course or portfolio yet"
            )
        out.append(build_layout(case, comp.inputs, prefixes=(names.part(name, ""),)))
    return out
