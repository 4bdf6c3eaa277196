"""Cost-effectiveness (som_mc.analysis.decision.cea) against dampack's published examples and
direct computations.

References
----------
- dampack test suite, tests/testthat/test_calculate_icers.R (DARTH-git/dampack on GitHub):
  the VA Health Economics Resource Center example, six strategies with costs and effects and
  the expected table (order, incremental costs and effects, ICERs, status).
- dampack vignette "Basic Cost Effectiveness Analysis" (Alarid-Escudero, Enns, Knowlton and
  the DARTH team), example 2, the C. difficile PSA of Rajasingham et al. 2020 (Clin Infect Dis
  70(5):754-762) reduced to 11 strategies; its ICER table as shipped with the vignette,
  vignettes/cdiff_icers.csv (mean costs and effects to 15 digits, ICERs and status).
- dampack test suite, tests/testthat/test_ceac.R, "summary.ceac is correct when the frontier
  switches twice": the ranges of a WTP grid over which A, B, C are optimal.

Not checked against a peer package: CEAC, expected loss and EVPI on dampack's ``example_psa``
or BCEA's Vaccine data (the data sets are R binary files not available here); dampack's tests
of them check the same definitions as below (max.col of the net benefit, colMeans of the loss).
"""

from __future__ import annotations

import numpy as np
import pytest

from som_mc.analysis.decision import cea, frontier_intervals, icers, make_psa, switch_points
from som_mc.errors import InputError

# dampack vignettes/cdiff_icers.csv: Strategy, Cost, Effect, Inc_Cost, Inc_Effect, ICER, Status
CDIFF = [
    ("s3", 57336.0059896538, 12.9399639202408, None, None, None, "ND"),
    (
        "s27",
        57541.2526373815,
        13.0140640696275,
        205.246647727639,
        0.0741001493866911,
        2769.85470915263,
        "ND",
    ),
    (
        "s33",
        57642.2587507842,
        13.0389116321918,
        101.006113402713,
        0.0248475625643216,
        4065.03105249231,
        "ND",
    ),
    (
        "s31",
        57934.0743411241,
        13.0966257932217,
        291.815590339931,
        0.0577141610298533,
        5056.2216470406,
        "ND",
    ),
    (
        "s43",
        58072.1137208494,
        13.11285766912,
        138.039379725262,
        0.0162318758983169,
        8504.2160616553,
        "ND",
    ),
    (
        "s44",
        58665.7823044647,
        13.1283328397025,
        593.668583615326,
        0.0154751705825014,
        38362.6519947134,
        "ND",
    ),
    ("s39", 57814.6470919581, 13.0462790163185, None, None, None, "ED"),
    ("s4", 57887.481549326, 12.9970657153765, None, None, None, "D"),
    ("s13", 58018.6252420203, 13.0650412387992, None, None, None, "D"),
    ("s37", 58081.7947984323, 13.1029711156978, None, None, None, "D"),
    ("s20", 58634.2026441398, 13.1100568867995, None, None, None, "D"),
]


def test_icers_match_dampack_test_suite() -> None:
    """dampack test_calculate_icers.R: strategies E, D, C, B, A, UC with costs 55000, 35000,
    25000, 10000, 12000, 5000 and effects 5, 4, 3, 2, 1.5, 1 give the table UC, B, D, E (ND,
    ICERs 5000, 12500, 20000), C (ED), A (D); exact to 1e-9."""
    res = icers(
        [55000, 35000, 25000, 10000, 12000, 5000],
        [5, 4, 3, 2, 1.5, 1],
        ["E", "D", "C", "B", "A", "UC"],
    )
    assert res.option.values.tolist() == ["UC", "B", "D", "E", "C", "A"]
    assert res.status.values.tolist() == ["ND", "ND", "ND", "ND", "ED", "D"]
    np.testing.assert_allclose(res.inc_cost.values[:4], [np.nan, 5000, 25000, 20000], rtol=1e-9)
    np.testing.assert_allclose(res.inc_effect.values[:4], [np.nan, 1, 2, 1], rtol=1e-9)
    np.testing.assert_allclose(
        res.icer.values, [np.nan, 5000, 12500, 20000, np.nan, np.nan], rtol=1e-9
    )


def test_icers_match_dampack_cdiff_vignette() -> None:
    """dampack's basic_cea vignette, C. difficile example: from the 11 strategies' mean costs
    and effects (in a shuffled order), the table of vignettes/cdiff_icers.csv: order, status,
    incremental costs and effects and ICERs to 1e-9 relative."""
    order = [4, 9, 0, 7, 2, 10, 5, 1, 8, 3, 6]
    rows = [CDIFF[i] for i in order]
    res = icers([r[1] for r in rows], [r[2] for r in rows], [r[0] for r in rows])
    assert res.option.values.tolist() == [r[0] for r in CDIFF]
    assert res.status.values.tolist() == [r[6] for r in CDIFF]
    nan = np.nan
    for col, k in (("inc_cost", 3), ("inc_effect", 4), ("icer", 5)):
        expected = [nan if r[k] is None else r[k] for r in CDIFF]
        np.testing.assert_allclose(res[col].values, expected, rtol=1e-9)


def test_switch_points_are_the_frontier_icers() -> None:
    """The λ where the option with the highest expected net benefit changes are the ICERs of
    the efficiency frontier (the upper envelope of λE − C; Briggs, Claxton & Sculpher 2006
    ch. 5). On the dampack C. difficile table: 2769.85, 4065.03, 5056.22, 8504.22, 38362.65
    within 0 to 10^5, to 1e-9, each switching to the next frontier strategy."""
    points = switch_points(
        [r[1] for r in CDIFF], [r[2] for r in CDIFF], [r[0] for r in CDIFF], 0.0, 1e5
    )
    np.testing.assert_allclose([p[0] for p in points], [r[5] for r in CDIFF[1:6]], rtol=1e-9)
    assert [p[2] for p in points] == ["s27", "s33", "s31", "s43", "s44"]
    assert points[0][1] == "s3"
    assert switch_points(
        [r[1] for r in CDIFF], [r[2] for r in CDIFF], [r[0] for r in CDIFF], 5000.0, 6000.0
    )[0][1:] == ("s33", "s31")


def test_frontier_intervals_match_dampack_summary_ceac() -> None:
    """dampack test_ceac.R: optimal A, A, B, C, C at WTP 10000 to 90000 gives three ranges,
    from 10000, 50000, 70000 to 50000, 70000, 90000, strategies A, B, C."""
    got = frontier_intervals([10000, 30000, 50000, 70000, 90000], ["A", "A", "B", "C", "C"])
    assert got == [(10000.0, 50000.0, "A"), (50000.0, 70000.0, "B"), (70000.0, 90000.0, "C")]


@pytest.fixture
def three(rng: np.random.Generator):
    """A PSA of three options' costs and effects, 4000 draws, correlated through inputs."""
    n = 4_000
    x = rng.normal(size=(n, 2))
    effects = np.c_[np.full(n, 1.0), 1.2 + 0.3 * x[:, 0], 1.5 + 0.5 * x[:, 1]]
    costs = np.c_[np.full(n, 1000.0), 3000.0 + 500 * x[:, 1], 9000.0 + 800 * x[:, 0]]
    return make_psa(
        costs=costs,
        effects=effects,
        inputs=x,
        options=["a", "b", "c"],
        input_names=["x1", "x2"],
        units="DKK",
    )


def test_ceac_expected_loss_evpi_by_definition(three) -> None:
    """CEAC = share of draws in which the option has the highest λE − C, expected loss = mean
    of (best NB − NB), EVPI = least expected loss = E[max] − max E (dampack test_ceac.R,
    test_elc.R and test_evpi.R check the same definitions); computed directly, 1e-9."""
    wtp = np.linspace(0, 30_000, 13)
    res = cea(three, wtp)
    for j, lam in enumerate(wtp):
        nb = lam * three.effects - three.costs
        best = nb.argmax(axis=1)
        np.testing.assert_allclose(
            res.ceac.values[:, j], np.bincount(best, minlength=3) / len(nb), rtol=1e-9, atol=1e-15
        )
        loss = nb.max(axis=1, keepdims=True) - nb
        np.testing.assert_allclose(res.expected_loss.values[:, j], loss.mean(0), rtol=1e-9)
        assert res.evpi.values[j] == pytest.approx(nb.max(1).mean() - nb.mean(0).max(), rel=1e-9)
        assert res.optimal.values[j] == "abc"[nb.mean(0).argmax()]
        assert res.ceaf.values[j] == res.ceac.values[nb.mean(0).argmax(), j]
        np.testing.assert_allclose(res.inb.values[:, j], (nb - nb[:, :1]).mean(0), atol=1e-9)
    np.testing.assert_allclose(res.ceac.sum("option"), 1.0, rtol=1e-12)
    np.testing.assert_allclose(res.cost_sd, three.costs.std(0, ddof=1), rtol=1e-12)


def test_ceac_ties_split() -> None:
    """Two options identical in every draw share each draw: CEAC 1/2 each (as compare)."""
    costs = np.c_[np.ones(10), np.ones(10)]
    effects = np.c_[np.linspace(0, 1, 10), np.linspace(0, 1, 10)]
    res = cea(make_psa(costs=costs, effects=effects), [0.0, 1.0])
    np.testing.assert_array_equal(res.ceac, 0.5)


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda p: cea(p, [0.0, 2.0, 1.0]), "wtp"),
        (lambda p: cea(p, [0.0, np.nan]), "wtp"),
        (lambda p: cea(p, [0.0, 1.0], reference="z"), "reference"),
    ],
)
def test_bad_arguments(three, call, field) -> None:
    """A WTP grid that is not increasing, NaN, an unknown reference: InputError naming it."""
    with pytest.raises(InputError) as err:
        call(three)
    assert err.value.field == field
    assert "\n" not in str(err.value)


def test_cea_needs_costs_and_effects() -> None:
    """A sample of net benefits has no costs and effects: InputError on psa."""
    psa = make_psa(np.c_[np.zeros(5), np.arange(5.0)])
    with pytest.raises(InputError, match="costs and effects"):
        cea(psa, [0.0, 1.0])
