"""Sampling designs: unit-hypercube matrices for the uncertain inputs, block by block.

A design gives, for block ``b`` of :data:`~som_mc.conventions.BLOCK_SIZE` draws, the matrix
``U`` (draws x inputs) on (0, 1). :func:`to_inputs` applies the Gaussian copula of the case's
rank correlations and maps each column through its input's inverse CDF. Sensitivity analysis
reuses the same mapping on its own designs.

Random streams are keyed by block index (``SeedSequence(seed, spawn_key=(stream, block))``),
never by chunk or thread, so any chunking of the draws gives the same numbers.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING

import numpy as np
from numba import njit

from som_mc.checks import block_bounds, power_of_two
from som_mc.conventions import BLOCK_SIZE, DESIGNS
from som_mc.errors import InputError
from som_mc.inputs.distributions import Distribution

if TYPE_CHECKING:
    from scipy.stats import qmc

__all__ = [
    "STREAM_COHORT",
    "STREAM_PARAMS",
    "STREAM_SCRAMBLE",
    "Design",
    "block_generator",
    "n_blocks",
    "to_inputs",
]

#: Stream numbers under a run's seed: parameter draws, cohort draws, design scrambling.
STREAM_PARAMS, STREAM_COHORT, STREAM_SCRAMBLE = 0, 1, 2
# Keeps inverse CDFs finite: a plain uniform draw can be exactly 0.
_EPS = 1e-15


def block_generator(seed: int, stream: int, block: int) -> np.random.Generator:
    """The generator of one block of draws, for one purpose (``stream``)."""
    return np.random.Generator(
        np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(stream, block)))
    )


def n_blocks(draws: int) -> int:
    """Number of blocks that ``draws`` draws span."""
    return -(-draws // BLOCK_SIZE)


class Design:
    """A unit-hypercube design of ``draws`` rows and ``n_inputs`` columns.

    Parameters
    ----------
    kind : {"random", "lhs", "sobol"}
        Plain Monte Carlo, Latin hypercube, or scrambled Sobol' points (scipy.stats.qmc).
    draws : int
        Number of rows. A Sobol' design needs a power of two.
    n_inputs : int
        Number of columns (uncertain inputs).
    seed : int
        Seed of the run.

    Examples
    --------
    >>> d = Design("lhs", draws=100, n_inputs=2, seed=1)
    >>> d.block(0).shape
    (100, 2)
    """

    def __init__(self, kind: str, draws: int, n_inputs: int, seed: int) -> None:
        if kind not in DESIGNS:
            raise InputError("design", f"'{kind}' is not a design; allowed: {', '.join(DESIGNS)}")
        if kind == "sobol":
            power_of_two(draws, "draws")
        self.kind = kind
        self.draws = draws
        self.n_inputs = n_inputs
        self.seed = seed
        self._sobol: qmc.Sobol | None = None
        self._lhs_keys: np.ndarray | None = None
        if kind == "lhs" and n_inputs > 0:
            # Latin hypercube strata are a random permutation of the draws in each column;
            # a keyed permutation computed draw by draw (see _lhs_block) gives block b its
            # strata without holding the permutation, let alone draws x inputs.
            keys = np.random.SeedSequence(seed, spawn_key=(STREAM_SCRAMBLE, 1))
            self._lhs_keys = keys.generate_state(n_inputs * _ROUNDS, np.uint64).reshape(
                n_inputs, _ROUNDS
            )
        elif kind == "sobol" and n_inputs > 0:
            # Scrambled Sobol' points are made block by block from the scrambled engine,
            # jumped to the block's first point: the same points as one long draw.
            rng = block_generator(seed, STREAM_SCRAMBLE, 0)
            # Imported here: scipy.stats takes 0.6 s to import, and only Sobol' designs need it.
            from scipy.stats import qmc

            self._sobol = qmc.Sobol(n_inputs, scramble=True, rng=rng)

    def block(self, b: int, out: np.ndarray | None = None) -> np.ndarray:
        """The rows of block ``b``, in (0, 1); written into ``out`` (C-contiguous float64 of
        the block's shape) when given, so that a run reuses its memory."""
        lo, hi = block_bounds(b, self.draws)
        shape = (hi - lo, self.n_inputs)
        if out is None:
            out = np.empty(shape)
        if self._sobol is not None:
            out[...] = _sobol_from(self._sobol, lo).random(hi - lo)
        elif self.n_inputs:
            block_generator(self.seed, STREAM_PARAMS, b).random(out=out)
            if self._lhs_keys is not None:
                bits = max(1, (self.draws - 1).bit_length())
                _lhs_block(out, lo, self.draws, self._lhs_keys, bits)
        return np.clip(out, _EPS, 1.0 - _EPS, out=out)


#: Rounds of the Feistel network of a Latin hypercube's permutations.
_ROUNDS = 6


@njit(nogil=True, cache=True)
def _mix(x):
    """SplitMix64's finaliser (Steele, Lea & Flood 2014): a well-mixed 64-bit hash of ``x``."""
    x = x + np.uint64(0x9E3779B97F4A7C15)
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


@njit(nogil=True, cache=True)
def _permute(i, n, keys, bits):
    """The image of ``i`` under a keyed random permutation of ``0 .. n - 1``: a Feistel
    network on ``bits`` bits (split into a high and a low part; each round replaces one part
    by itself xor a hash of the other, which is invertible whatever the hash, so the network
    permutes ``0 .. 2^bits - 1``; Luby & Rackoff 1988), walked until it lands below ``n``
    (cycle walking, Black & Rogaway 2002, "Ciphers with arbitrary finite domains"), which
    restricts it to a permutation of ``0 .. n - 1``; ``2^bits < 2 n``, so fewer than two
    walks on average."""
    low_bits = np.uint64(bits // 2)
    low_mask = (np.uint64(1) << low_bits) - np.uint64(1)
    high_mask = (np.uint64(1) << np.uint64(bits - bits // 2)) - np.uint64(1)
    x = np.uint64(i)
    while True:
        high = x >> low_bits
        low = x & low_mask
        for r in range(keys.shape[0]):
            if r % 2 == 0:
                high ^= _mix(low ^ keys[r]) & high_mask
            else:
                low ^= _mix(high ^ keys[r]) & low_mask
        x = (high << low_bits) | low
        if x < np.uint64(n):
            return np.int64(x)


@njit(nogil=True, cache=True)
def _lhs_block(u, lo, n, keys, bits):
    """Rows ``lo ..`` of a Latin hypercube of ``n`` draws, in place: ``u`` holds uniforms
    ``U`` and becomes ``(π_j(lo + r) + U) / n``, with ``π_j`` the permutation of column ``j``
    (McKay, Beckman & Conover 1979)."""
    for r in range(u.shape[0]):
        for j in range(u.shape[1]):
            u[r, j] = (_permute(lo + r, n, keys[j], bits) + u[r, j]) / n


def _sobol_from(template: qmc.Sobol, start: int) -> qmc.Sobol:
    """A copy of an unused scrambled Sobol' engine whose next point is point ``start``.

    Point ``j >= 1`` of the sequence is the scrambled shift XOR the direction numbers of the
    set bits of the Gray code of ``j`` (Antonov & Saleev 1979), so the state is set directly
    instead of stepping through ``start`` points (scipy's ``fast_forward`` costs O(start),
    which made a block near the end of 2^20 points cost 0.17 s). The private state of scipy's
    engine is used where it is there; ``tests/test_design.py`` checks the blocks against one
    long draw, and without that state the public ``fast_forward`` is used.
    """
    engine = copy.deepcopy(template)
    if start == 0:
        return engine
    state = ("_shift", "_sv", "_quasi")
    if not all(hasattr(engine, name) for name in state):
        return engine.fast_forward(start)
    gray = (start - 1) ^ ((start - 1) >> 1)  # the state of point start - 1 (scipy's offset)
    quasi = engine._shift.copy()
    bit = 0
    while gray:
        if gray & 1:
            quasi ^= engine._sv[:, bit]
        gray >>= 1
        bit += 1
    engine._quasi = quasi
    engine.num_generated = start
    return engine


def to_inputs(
    u: np.ndarray,
    dists: list[Distribution],
    correlation: list[tuple[list[int], np.ndarray]] = (),
) -> np.ndarray:
    """Map unit-hypercube rows to input values, in compiled code (:mod:`som_mc.model.sample`).

    Columns bound by a correlation block go through a Gaussian copula: ``z = Φ⁻¹(u)``,
    ``z' = z Lᵀ`` with ``L`` the Cholesky factor of the block's Pearson matrix, ``u' = Φ(z')``.
    Then every column goes through its input's inverse CDF (:mod:`som_mc.model.icdf`). A run
    packs its inputs once (:class:`som_mc.pipeline.plan.Sampler`); this packs them per call.

    Parameters
    ----------
    u : ndarray, shape (n, k)
        Design rows in (0, 1).
    dists : list of Distribution
        The k inputs' distributions.
    correlation : list of (columns, pearson matrix)
        As in :class:`som_mc.inputs.case.inputs.InputSet`.

    Returns
    -------
    ndarray, shape (n, k)
    """
    from som_mc.model.sample import pack_inputs, sample_block

    return sample_block(np.array(u, dtype=np.float64, copy=True), pack_inputs(dists, correlation))
