"""One block of draws of a case, computed anywhere: a thread, a process, a dask worker.

A :class:`BlockPlan` holds everything needed to compute any block of a run (the layouts, the
input distributions, the design, the seed) and nothing that depends on how the blocks are
shared out. Block ``b`` is always draws ``b * BLOCK_SIZE`` to ``(b + 1) * BLOCK_SIZE`` with
random streams keyed by ``(seed, stream, b)``, so a run gives the same numbers on one thread,
many threads, or many machines, whatever the chunks.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from som_mc.conventions import ACTORS, BLOCK_SIZE
from som_mc.inputs.case.load import Case
from som_mc.model.design import STREAM_COHORT, Design, block_generator, n_blocks, to_inputs
from som_mc.model.layout import Layout, build_layout

__all__ = [
    "BlockPlan",
    "allocate",
    "break_even_years",
    "make_plan",
    "simulate",
    "simulate_parts",
]

#: Outputs that add up over subgroups (the rest are recomputed from the sums).
_ADDITIVE = ("net", "pv", "pv_gain", "pv_cost", "pv_cons", "successes", "completions")


@dataclass(frozen=True)
class BlockPlan:
    """What a worker needs to compute any block of a run.

    Attributes
    ----------
    layouts : tuple of Layout
        One per subgroup (or the case's own when it has none).
    subgroups : tuple of str
        The subgroups' names; empty for a case without subgroups.
    design : Design
        The unit-hypercube design of the uncertain inputs.
    dists, correlation
        The uncertain inputs' distributions and correlation blocks.
    seed, draws, cohort
        As given to :func:`som_mc.run`.
    """

    layouts: tuple[Layout, ...]
    subgroups: tuple[str, ...]
    design: Design
    dists: tuple
    correlation: tuple
    seed: int
    draws: int
    cohort: bool

    @property
    def n_blocks(self) -> int:
        """Number of blocks of the run."""
        return n_blocks(self.draws)

    def bounds(self, b: int) -> tuple[int, int]:
        """First and one-past-last draw of block ``b``."""
        return b * BLOCK_SIZE, min((b + 1) * BLOCK_SIZE, self.draws)

    def compute(self, b: int) -> dict[str, np.ndarray]:
        """The kernel's outputs for block ``b``, one row per draw, and the sampled inputs.

        With subgroups the outputs are the sums over subgroups, plus ``net_sub``,
        ``pv_sub`` and ``successes_sub`` with a subgroup axis after the draw axis.
        """
        x = to_inputs(self.design.block(b), list(self.dists), list(self.correlation))
        rng = block_generator(self.seed, STREAM_COHORT, b)
        out, parts, _ = simulate_parts(self.layouts, x, self.cohort, rng)
        if self.subgroups:
            out["net_sub"] = np.stack([p["net"] for p in parts], axis=1)
            out["pv_sub"] = np.stack([p["pv"] for p in parts], axis=1)
            out["successes_sub"] = np.stack([p["successes"] for p in parts], axis=1)
        out["inputs"] = x
        return out


def simulate_parts(
    layouts: tuple[Layout, ...] | list[Layout],
    x: np.ndarray,
    cohort: bool,
    rng: np.random.Generator | None,
    out: dict[str, np.ndarray] | None = None,
    detail: bool = False,
) -> tuple[dict[str, np.ndarray], list[dict[str, np.ndarray]], list[tuple]]:
    """Run the parts of a case (its subgroups, or the case alone) on the same rows and add up.

    Parameters
    ----------
    layouts : sequence of Layout
        One per subgroup, or the case's own.
    x, cohort, rng
        As for :func:`simulate`; the parts draw from ``rng`` one after the other.
    out : dict, optional
        Where to write the total (allocated when None).
    detail : bool
        Also fill each part's deterministic table of draw 0 (gain by consequence, cost).

    Returns
    -------
    (dict, list of dict, list of (gain, cost))
        The total (outputs that add up are summed, the break-even years recomputed from the
        summed net result), each part's outputs, and each part's table when ``detail``.
    """
    rows = x.shape[0]
    if out is None:
        out = allocate(rows, layouts[0])
    single = len(layouts) == 1
    parts, details = [], []
    for layout in layouts:
        part = out if single else allocate(rows, layout)
        gain = cost = None
        if detail:
            T, A, C = layout.horizon, len(ACTORS), layout.profile_q.shape[0]
            gain, cost = np.zeros((C, T, A)), np.zeros((T, A))
            details.append((gain, cost))
        simulate(layout, x, cohort, rng, part, gain, cost)
        parts.append(part)
    if not single:
        for key in _ADDITIVE:
            out[key][...] = parts[0][key]
            for part in parts[1:]:
                out[key] += part[key]
        out["break_even"][...], out["break_even_actor"][...] = break_even_years(out["net"])
    return out, parts, details


def make_plan(case: Case, draws: int, seed: int, mode: str, design: str) -> BlockPlan:
    """The plan of a run of ``case`` (see :func:`som_mc.run` for the arguments)."""
    groups = tuple(g.name for g in case.model.subgroup)
    layouts = tuple(build_layout(case, subgroup=g) for g in groups) or (build_layout(case),)
    dists = case.inputs.uncertain_dists
    return BlockPlan(
        layouts=layouts,
        subgroups=groups,
        design=Design(design, draws, len(dists), seed),
        dists=tuple(dists),
        correlation=tuple(case.inputs.correlation),
        seed=seed,
        draws=draws,
        cohort=mode == "cohort",
    )


def break_even_years(net: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """First 1-based year the cumulative net result is >= 0, in total and for each actor.

    Parameters
    ----------
    net : ndarray, shape (draws, T, A)

    Returns
    -------
    (ndarray (draws,), ndarray (draws, A))
        NaN where it never happens within the horizon.

    Examples
    --------
    >>> net = np.array([[[-5.0, 1.0], [3.0, 0.0], [4.0, 0.0]]])
    >>> total, by_actor = break_even_years(net)
    >>> total.tolist(), by_actor.tolist()
    ([3.0], [[3.0, 1.0]])
    """
    cumulative = np.cumsum(net, axis=1)

    def first(ok: np.ndarray) -> np.ndarray:
        year = np.argmax(ok, axis=1).astype(np.float64) + 1.0
        return np.where(ok.any(axis=1), year, np.nan)

    return first(cumulative.sum(axis=2) >= 0.0), first(cumulative >= 0.0)


def allocate(draws: int, layout: Layout) -> dict[str, np.ndarray]:
    """Empty output arrays of the kernel for ``draws`` draws."""
    T, A, C = layout.horizon, len(ACTORS), layout.profile_q.shape[0]
    return {
        "net": np.empty((draws, T, A)),
        "pv": np.empty((draws, A)),
        "pv_gain": np.empty((draws, A)),
        "pv_cost": np.empty((draws, A)),
        "pv_cons": np.empty((draws, C, A)),
        "break_even": np.empty(draws),
        "break_even_actor": np.empty((draws, A)),
        "successes": np.empty((draws, T)),
        "completions": np.empty((draws, T)),
    }


# Expected mode draws nothing; the kernel still takes a generator argument.
_UNUSED_RNG = np.random.default_rng(0)
# No given intake: the kernel reads the case's own.
_NO_STARTS = np.zeros((0, 0))


def simulate(
    layout: Layout,
    x: np.ndarray,
    cohort: bool,
    rng: np.random.Generator | None,
    out: dict[str, np.ndarray],
    detail_gain: np.ndarray | None = None,
    detail_cost: np.ndarray | None = None,
    starts: np.ndarray | None = None,
) -> None:
    """Run the kernel on rows ``x`` (one value per uncertain input of ``layout``) into ``out``.

    ``starts`` (rows, T), when given, replaces the case's intake (the participants of the
    second step of a sequence).
    """
    from som_mc.model.kernel import simulate_block  # numba compiles lazily, not at import

    if detail_gain is None:
        detail_gain = np.zeros((0, 0, 0))
        detail_cost = np.zeros((0, 0))
    L = layout
    simulate_block(
        np.ascontiguousarray(x), L.central, L.uncertain_q, L.horizon, L.course_years,
        L.intake_q, L.share, np.ascontiguousarray(_NO_STARTS if starts is None else starts),
        L.dropout_q, L.rate_q, L.gross_q, L.deadweight_q, L.persistence_q,
        L.discount_q, L.discount_fixed, L.cost_type, L.cost_actor, L.cost_q, L.cost_mask,
        L.cons_coef, L.profile_q, L.profile_len, L.extend, L.scale_q, L.members_q,
        L.rule_q, L.decay_q,
        L.price_q, L.price_share, cohort, _UNUSED_RNG if rng is None else rng,
        out["net"], out["pv"], out["pv_gain"], out["pv_cost"], out["pv_cons"],
        out["break_even"], out["break_even_actor"], out["successes"], out["completions"],
        detail_gain, detail_cost,
    )  # fmt: skip
