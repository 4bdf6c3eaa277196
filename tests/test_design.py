"""Sampling designs (som_mc.model.design): shapes, bounds, seeds, streams, stratification, and
the mapping of design rows to input values.

References: the one-dimensional stratification of a Latin hypercube (McKay, Beckman & Conover
1979, Technometrics 21(2):239-245); the net property of scrambled Sobol' points (Owen,
"Scrambling Sobol' and Niederreiter-Xing points", J. Complexity 14 (1998) 466-489: a scrambled
(t, m, s)-net in base 2 is again one, and each one-dimensional projection of Sobol' points is a
(0, m, 1)-net); the Gaussian copula's rank correlation (Kruskal 1958, JASA 53:814-861); and
scipy.stats for the inverse CDFs. Every seed is fixed.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from som_mc.conventions import BLOCK_SIZE, DESIGNS
from som_mc.errors import InputError
from som_mc.inputs.distributions import from_spec
from som_mc.model.design import (
    STREAM_COHORT,
    STREAM_PARAMS,
    STREAM_SCRAMBLE,
    Design,
    block_generator,
    n_blocks,
    to_inputs,
)


def _whole(design: Design) -> np.ndarray:
    """All rows of a design, block after block."""
    return np.concatenate([design.block(b) for b in range(n_blocks(design.draws))])


def _draws(kind: str) -> int:
    """A number of draws spanning two blocks (the second one partial for plain designs)."""
    return 2 * BLOCK_SIZE if kind == "sobol" else BLOCK_SIZE + 904


# --- blocks, shapes and bounds ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("draws", "blocks"),
    [(1, 1), (BLOCK_SIZE - 1, 1), (BLOCK_SIZE, 1), (BLOCK_SIZE + 1, 2), (10 * BLOCK_SIZE, 10)],
)
def test_n_blocks_is_the_ceiling_of_draws_over_the_block_size(draws: int, blocks: int) -> None:
    """n_blocks(draws) = ceil(draws / BLOCK_SIZE), by hand for block boundaries."""
    assert n_blocks(draws) == blocks


@pytest.mark.parametrize("kind", DESIGNS)
def test_blocks_have_the_right_shape_and_lie_strictly_inside_the_cube(kind: str) -> None:
    """Block b holds rows b * BLOCK_SIZE to min((b + 1) * BLOCK_SIZE, draws) (hand count:
    4096 and then 904 rows for 5,000 draws, 4096 and 4096 for a Sobol' 8192), one column per
    input, every value strictly inside (0, 1) so that every inverse CDF is finite."""
    draws = _draws(kind)
    design = Design(kind, draws=draws, n_inputs=3, seed=5)
    sizes = [design.block(b).shape for b in range(n_blocks(draws))]
    expected = [(BLOCK_SIZE, 3), (draws - BLOCK_SIZE, 3)]
    assert sizes == expected
    u = _whole(design)
    assert u.dtype == np.float64
    assert np.all(u > 0.0) and np.all(u < 1.0)
    assert np.isfinite(stats.norm.ppf(u)).all()


@pytest.mark.parametrize("kind", DESIGNS)
def test_a_design_without_uncertain_inputs_has_empty_rows(kind: str) -> None:
    """A case with no uncertain input still has its draws: blocks of shape (rows, 0)."""
    design = Design(kind, draws=_draws(kind), n_inputs=0, seed=1)
    assert design.block(0).shape == (BLOCK_SIZE, 0)
    assert design.block(1).shape == (design.draws - BLOCK_SIZE, 0)


# --- seeds and streams ------------------------------------------------------------------------


@pytest.mark.parametrize("kind", DESIGNS)
def test_same_seed_same_blocks_other_seed_other_blocks(kind: str) -> None:
    """Reproducibility: two designs with one seed are equal bit for bit, block by block; another
    seed gives other numbers (in every block, and no column is left unchanged)."""
    draws = _draws(kind)
    one, two = (Design(kind, draws=draws, n_inputs=4, seed=2024) for _ in range(2))
    other = Design(kind, draws=draws, n_inputs=4, seed=2025)
    for b in range(n_blocks(draws)):
        np.testing.assert_array_equal(one.block(b), two.block(b))
        assert not np.any(np.all(one.block(b) == other.block(b), axis=0))


def test_random_blocks_do_not_depend_on_the_number_of_draws() -> None:
    """Plain Monte Carlo blocks are keyed by (seed, stream, block), not by the run's length:
    block 0 of a 5,000-draw and of a 10,000-draw design are equal, and the partial block 1 of
    the shorter one is the head of the longer one's block 1 (numpy fills C order from one
    stream). So the first 5,000 draws of both designs are the same."""
    short = Design("random", draws=5_000, n_inputs=3, seed=7)
    long = Design("random", draws=10_000, n_inputs=3, seed=7)
    np.testing.assert_array_equal(short.block(0), long.block(0))
    np.testing.assert_array_equal(short.block(1), long.block(1)[: 5_000 - BLOCK_SIZE])
    np.testing.assert_array_equal(_whole(short), _whole(long)[:5_000])


def test_random_block_is_its_own_generators_uniforms() -> None:
    """Block b of a random design is the uniforms of block_generator(seed, STREAM_PARAMS, b)
    (the module's documented keying, SeedSequence(seed, spawn_key=(stream, block)))."""
    design = Design("random", draws=3 * BLOCK_SIZE, n_inputs=2, seed=99)
    for b in range(3):
        expected = block_generator(99, STREAM_PARAMS, b).random((BLOCK_SIZE, 2))
        np.testing.assert_array_equal(design.block(b), expected)
    reference = np.random.Generator(
        np.random.PCG64(np.random.SeedSequence(99, spawn_key=(STREAM_PARAMS, 2)))
    )
    np.testing.assert_array_equal(design.block(2), reference.random((BLOCK_SIZE, 2)))


def test_streams_and_blocks_have_independent_generators() -> None:
    """The three streams are distinct numbers, and each (stream, block) pair has its own
    generator: the first draws of every pair differ, and the same pair repeats exactly."""
    assert len({STREAM_PARAMS, STREAM_COHORT, STREAM_SCRAMBLE}) == 3
    firsts = {
        (stream, block): block_generator(3, stream, block).random(4).tobytes()
        for stream in (STREAM_PARAMS, STREAM_COHORT, STREAM_SCRAMBLE)
        for block in range(4)
    }
    assert len(set(firsts.values())) == len(firsts)
    assert block_generator(3, STREAM_COHORT, 2).random(4).tobytes() == firsts[(STREAM_COHORT, 2)]


# --- stratification ---------------------------------------------------------------------------


def test_latin_hypercube_has_one_point_in_each_stratum_of_each_column() -> None:
    """An LHS of N draws has, in every column, exactly one point in each of the N strata
    [i/N, (i+1)/N) (McKay, Beckman & Conover 1979): floor(u N) is a permutation of 0..N-1. The
    design spans two blocks, so the property holds over the whole design, not per block."""
    draws = BLOCK_SIZE + 904
    u = _whole(Design("lhs", draws=draws, n_inputs=4, seed=3))
    for j in range(u.shape[1]):
        strata = np.floor(u[:, j] * draws).astype(np.int64)
        np.testing.assert_array_equal(np.sort(strata), np.arange(draws))


def test_latin_hypercube_columns_are_independent_and_made_block_by_block() -> None:
    """The keyed permutations of a Latin hypercube's columns are independent: over 20 seeds
    and 6 pairs of columns, the Pearson correlations of 8,192 draws, scaled by sqrt(N) (their
    standard error under independence, 1 / sqrt(N)), have a standard deviation within 20 % of
    1 and none beyond 4. A block is made alone, with no draws x inputs array of the design."""
    n = 2 * BLOCK_SIZE
    z = []
    for seed in range(20):
        design = Design("lhs", draws=n, n_inputs=4, seed=seed)
        u = np.concatenate([design.block(b) for b in range(2)])
        z.extend(np.corrcoef(u.T)[np.triu_indices(4, 1)] * np.sqrt(n))
    z = np.asarray(z)
    assert abs(z.std() - 1.0) < 0.2 and np.abs(z).max() < 4.0, (z.std(), np.abs(z).max())
    design = Design("lhs", draws=10**7, n_inputs=500, seed=1)
    assert not any(isinstance(v, np.ndarray) and v.size >= 10**7 for v in vars(design).values())
    last = design.block(10**7 // BLOCK_SIZE)
    assert last.shape == (10**7 % BLOCK_SIZE, 500) and (0 < last).all() and (last < 1).all()


def test_sobol_columns_are_balanced_in_every_dyadic_interval() -> None:
    """Scrambled Sobol' points, 2^m of them: each one-dimensional projection is a (0, m, 1)-net
    in base 2 (Owen 1998, J. Complexity; scrambling keeps the net property), so each of the
    2^k intervals [i 2^-k, (i+1) 2^-k), k = 0..m, holds exactly 2^(m-k) points (direct count).
    m = 13 spans two blocks."""
    m = 13
    u = _whole(Design("sobol", draws=2**m, n_inputs=5, seed=11))
    assert u.shape == (2**m, 5)
    for j in range(u.shape[1]):
        for k in range(m + 1):
            counts = np.bincount(np.floor(u[:, j] * 2**k).astype(np.int64), minlength=2**k)
            assert counts.shape == (2**k,), (j, k)
            assert np.all(counts == 2 ** (m - k)), (j, k)


# --- errors -----------------------------------------------------------------------------------


@pytest.mark.parametrize("draws", [1_000, 3, 4097])
def test_sobol_needs_a_power_of_two(draws: int) -> None:
    """A Sobol' design of draws that are not 2^m is an InputError on ``draws`` that offers the
    powers of two on either side (by hand: 1000 -> 512 or 1024, 3 -> 2 or 4, 4097 -> 4096 or
    8192)."""
    lower = 1 << (draws.bit_length() - 1)
    with pytest.raises(InputError) as info:
        Design("sobol", draws=draws, n_inputs=2, seed=1)
    assert info.value.field == "draws"
    assert f"{lower} or {2 * lower}" in info.value.message


def test_unknown_design_is_an_input_error_listing_the_designs() -> None:
    """An unknown design is an InputError on ``design`` that names the value and lists every
    design there is (som_mc.conventions.DESIGNS)."""
    with pytest.raises(InputError) as info:
        Design("halton", draws=64, n_inputs=2, seed=1)
    assert info.value.field == "design"
    assert "'halton'" in info.value.message
    assert ", ".join(DESIGNS) in info.value.message


# --- from design rows to input values ---------------------------------------------------------

#: Inputs of different families, as case files write them, and the same distribution built
#: independently in scipy.stats (tests/test_distributions.py checks the parameterisations).
DISTS = [
    ({"dist": "beta", "alpha": 3, "beta": 7}, stats.beta(3, 7)),
    ({"dist": "normal", "mean": 750, "sd": 75}, stats.norm(750, 75)),
    ({"dist": "gamma", "shape": 2.5, "scale": 3}, stats.gamma(2.5, scale=3)),
    ({"dist": "uniform", "min": -150, "max": -50}, stats.uniform(-150, 100)),
]


def test_without_correlation_each_column_is_its_inverse_cdf() -> None:
    """With no correlation block, column j of to_inputs (the compiled inverse CDFs of
    som_mc.model.icdf) is dist_j.ppf(u[:, j]) to 1e-12 relative, the bound the icdf module
    states for these families, and agrees with scipy.stats' ppf (rtol 1e-9); u itself is left
    unchanged."""
    dists = [from_spec(spec, "x") for spec, _ in DISTS]
    u = Design("random", draws=2_000, n_inputs=len(dists), seed=8).block(0)
    before = u.copy()
    x = to_inputs(u, dists)
    assert x.shape == u.shape
    for j, (dist, (_, ref)) in enumerate(zip(dists, DISTS, strict=True)):
        np.testing.assert_allclose(x[:, j], dist.ppf(u[:, j]), rtol=1e-12)
        np.testing.assert_allclose(x[:, j], ref.ppf(u[:, j]), rtol=1e-9)
    np.testing.assert_array_equal(u, before)


def _spearman_se(rho: float, n: int) -> float:
    """Standard error of a sample Spearman correlation: (1 - rho²) sqrt((1 + rho²/2) / (n - 3)),
    the delta method on Fisher's z with the variance (1 + rho²/2) / (n - 3) of Bonett & Wright
    (2000), Psychometrika 65(1):23-28. It is within 5 % of the normal-theory (1 - rho²) /
    sqrt(n - 1) for |rho| <= 0.6, and a little larger, as Spearman's rho is less efficient."""
    return (1.0 - rho**2) * np.sqrt((1.0 + rho**2 / 2.0) / (n - 3))


def test_correlation_block_gives_the_requested_spearman_correlation() -> None:
    """A Gaussian copula with Pearson r = 2 sin(pi rho / 6) has Spearman correlation rho (Kruskal
    1958). Three of four inputs bound by a block (columns 0, 2, 3; the columns need not be
    adjacent) on 100,000 plain Monte Carlo draws: each sample Spearman correlation
    (scipy.stats.spearmanr) is within 4 standard errors (_spearman_se) of the target; the free
    column 1 is uncorrelated with the others within 4 standard errors of 0 and is still
    dist.ppf(u[:, 1]) (to the compiled inverse CDF's 1e-12); the marginals are unchanged (each
    bound column is still its inverse CDF of some uniform, so its sample mean is within 4
    standard errors of scipy's mean). The check has power: taking the Spearman matrix itself as
    the copula's Pearson matrix puts the 0.6 pair 9.7 standard errors off at this seed."""
    n = 100_000
    target = np.array([[1.0, 0.6, -0.3], [0.6, 1.0, 0.2], [-0.3, 0.2, 1.0]])
    pearson = 2.0 * np.sin(np.pi * target / 6.0)
    cols = [0, 2, 3]
    dists = [from_spec(spec, "x") for spec, _ in DISTS]
    u = _whole(Design("random", draws=n, n_inputs=4, seed=20261123))
    x = to_inputs(u, dists, [(cols, pearson)])

    rho = stats.spearmanr(x).statistic
    for a in range(3):
        for b in range(a + 1, 3):
            got, want = rho[cols[a], cols[b]], target[a, b]
            assert abs(got - want) < 4 * _spearman_se(want, n), (cols[a], cols[b], got, want)
    for c in cols:
        assert abs(rho[1, c]) < 4 * _spearman_se(0.0, n), (c, rho[1, c])
    np.testing.assert_allclose(x[:, 1], dists[1].ppf(u[:, 1]), rtol=1e-12)
    for j, (_, ref) in enumerate(DISTS):
        assert abs(x[:, j].mean() - ref.mean()) < 4 * ref.std() / np.sqrt(n), j


def test_correlation_block_of_identity_changes_nothing() -> None:
    """A block with the identity matrix (Cholesky factor I) maps u to Phi(Phi^-1(u)) = u, so
    the values equal the uncorrelated ones to rounding (rtol 1e-12)."""
    dists = [from_spec(spec, "x") for spec, _ in DISTS]
    u = Design("lhs", draws=1_000, n_inputs=4, seed=4).block(0)
    plain = to_inputs(u, dists)
    same = to_inputs(u, dists, [([0, 1, 2, 3], np.eye(4))])
    np.testing.assert_allclose(same, plain, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("draws", [2**12, 2**14])
def test_sobol_blocks_are_the_points_of_one_long_draw(draws):
    """A Sobol' design made block by block (each block jumped to its first point) is
    bit-identical to scipy's scrambled sequence drawn at once with the same generator
    (scipy.stats.qmc.Sobol.random_base2): the jump is exact, not an approximation."""
    from scipy.stats import qmc

    from som_mc.model.design import STREAM_SCRAMBLE, Design, block_generator

    design = Design("sobol", draws, 5, seed=11)
    blocks = np.concatenate([design.block(b) for b in range(n_blocks(draws))])
    engine = qmc.Sobol(5, scramble=True, rng=block_generator(11, STREAM_SCRAMBLE, 0))
    whole = np.clip(engine.random_base2(draws.bit_length() - 1), 1e-15, 1 - 1e-15)
    np.testing.assert_array_equal(blocks, whole)
