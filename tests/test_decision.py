"""Portfolio decision statistics: chance of being best, expected loss, EVPI."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
import xarray as xr
from scipy import stats

from som_mc.analysis.decision import compare
from som_mc.analysis.sensitivity.voi import evpi as evpi_two_options
from som_mc.errors import InputError

ACTORS = ["kommune", "region", "stat"]


def _pv(values: np.ndarray, options: list[str] | None = None) -> xr.DataArray:
    options = options or [f"option {i}" for i in range(values.shape[1])]
    return xr.DataArray(
        values,
        dims=("draw", "option", "actor"),
        coords={"option": options, "actor": ACTORS},
        attrs={"units": "DKK", "price_year": "2024"},
    )


def _with_total(x: np.ndarray) -> np.ndarray:
    return np.concatenate([x, x.sum(axis=-1, keepdims=True)], axis=-1)


@pytest.fixture
def tied(rng: np.random.Generator) -> np.ndarray:
    """PVs of 4 options rounded to few levels, so that two- to four-way ties are common."""
    return np.round(rng.normal(0.0, 1.0, size=(2_000, 4, 3)))


def test_p_best_is_a_direct_count_and_sums_to_one(tied: np.ndarray) -> None:
    """p_best is the share of draws in which an option has the highest PV, a k-way tie giving
    1/k to each: counted draw by draw in plain Python with exact fractions. The shares of the
    options add up to 1 (to rounding of the final division)."""
    res = compare(_pv(tied))
    values = _with_total(tied)
    n, n_options, n_cols = values.shape
    for a in range(n_cols):
        shares = [Fraction(0)] * n_options
        for i in range(n):
            row = [float(v) for v in values[i, :, a]]
            top = max(row)
            winners = [o for o in range(n_options) if row[o] == top]
            for o in winners:
                shares[o] += Fraction(1, len(winners))
        expected = [float(s / n) for s in shares]
        assert res.p_best.isel(actor=a).values.tolist() == expected
        assert sum(shares) == n
    assert np.all(np.abs(res.p_best.sum("option") - 1.0) <= 4 * np.finfo(float).eps)
    # Ties really occurred (else this test would not test them).
    ties = (values == values.max(axis=1, keepdims=True)).sum(axis=1)
    assert (ties >= 2).mean() > 0.2 and (ties >= 3).any()


def test_expected_loss_is_the_mean_shortfall_from_the_best() -> None:
    """expected_loss(d) = mean over draws of (max over options − PV of d), computed directly;
    mcse = sd(loss, ddof=1) / sqrt(n)."""
    rng = np.random.default_rng(5)
    values = rng.normal(0.0, 1e6, size=(3_000, 3, 3)) + np.array([0.0, 1e5, -2e5])[:, None]
    res = compare(_pv(values))
    v = _with_total(values)
    for a in range(4):
        for o in range(3):
            loss = np.array([max(v[i, :, a]) - v[i, o, a] for i in range(v.shape[0])])
            got = res.isel(option=o, actor=a)
            assert float(got.expected_loss) == pytest.approx(loss.mean(), rel=1e-12)
            assert float(got.expected_loss_mcse) == pytest.approx(
                loss.std(ddof=1) / np.sqrt(len(loss)), rel=1e-12
            )
            assert float(got.pv_mean) == pytest.approx(v[:, o, a].mean(), rel=1e-12)


def test_evpi_is_least_expected_loss_and_emax_minus_maxe() -> None:
    """EVPI = E[max_d PV] − max_d E[PV] (Briggs, Claxton & Sculpher 2006, ch. 7) equals the
    least expected loss, and the option with least expected loss has the highest mean PV."""
    rng = np.random.default_rng(6)
    values = rng.normal([[0.0], [3e4], [5e4], [-1e4]], 2e5, size=(5_000, 4, 3))
    res = compare(_pv(values, ["a", "b", "c", "d"]))
    v = _with_total(values)
    e_max_minus_max_e = v.max(axis=1).mean(axis=0) - v.mean(axis=0).max(axis=0)
    np.testing.assert_allclose(res.evpi, e_max_minus_max_e, rtol=1e-9)
    np.testing.assert_array_equal(res.evpi, res.expected_loss.min("option"))
    least_loss = res.option.values[res.expected_loss.argmin("option").values]
    np.testing.assert_array_equal(res.best_by_mean.values, least_loss)
    np.testing.assert_array_equal(
        res.best_by_mean.values, np.array(["a", "b", "c", "d"])[v.mean(axis=0).argmax(axis=0)]
    )
    assert bool((res.evpi > 0).all())


def test_two_options_against_the_normal_closed_form() -> None:
    """Doing nothing (PV 0) against PV ~ N(μ, σ²): P(best) = Φ(μ/σ) and EVPI = σ φ(μ/σ) −
    μ Φ(−μ/σ) for μ > 0 (the expected loss of a normal, e.g. Raiffa & Schlaifer 1961, unit
    normal loss integral); both within 4 Monte Carlo standard errors, and EVPI equal to the
    two-option som_mc.analysis.sensitivity.voi.evpi on the same draws."""
    mu, sigma, n = 2e5, 5e5, 200_000
    rng = np.random.default_rng(7)
    course = rng.normal(mu, sigma, size=(n, 3))
    res = compare(_pv(np.stack([np.zeros((n, 3)), course], axis=1), ["nothing", "course"]))
    z = mu / sigma
    for actor in ACTORS:
        r = res.sel(actor=actor, option="course")
        assert abs(float(r.p_best) - stats.norm.cdf(z)) < 4 * float(r.p_best_mcse)
        exact = sigma * stats.norm.pdf(z) - mu * stats.norm.cdf(-z)
        assert abs(float(res.evpi.sel(actor=actor)) - exact) < 4 * float(r.expected_loss_mcse)
    np.testing.assert_allclose(
        res.evpi.sel(actor=ACTORS).values, evpi_two_options(course), rtol=1e-12
    )
    # Without ties the mcse of a share is the binomial sqrt(p (1 − p) / n).
    p = res.p_best.values
    np.testing.assert_allclose(res.p_best_mcse, np.sqrt(p * (1 - p) / n), rtol=1e-9)


def test_ties_split_equally() -> None:
    """All options equal in every draw: each is best with 1/k, loses nothing, EVPI is 0. Two
    options always tied above a third: 1/2 each, the third never."""
    same = np.repeat(np.random.default_rng(8).normal(size=(100, 1, 3)), 3, axis=1)
    res = compare(_pv(same))
    np.testing.assert_array_equal(res.p_best, np.full((3, 4), 1 / 3))
    np.testing.assert_array_equal(res.expected_loss, 0.0)
    np.testing.assert_array_equal(res.evpi, 0.0)
    pair = same.copy()
    pair[:, 2] -= 1.0
    res = compare(_pv(pair))
    np.testing.assert_array_equal(res.p_best.sel(actor="total"), [0.5, 0.5, 0.0])


def test_dims_order_total_and_shape() -> None:
    """Transposed input gives the same Dataset; the total actor is the sum of the actors;
    dims option and actor, units kept."""
    values = np.random.default_rng(9).normal(size=(500, 3, 3))
    res = compare(_pv(values))
    xr.testing.assert_identical(compare(_pv(values).transpose("actor", "draw", "option")), res)
    assert res.actor.values.tolist() == [*ACTORS, "total"]
    assert res.p_best.dims == ("option", "actor") and res.evpi.dims == ("actor",)
    assert res.expected_loss.attrs["units"] == "DKK"
    total = compare(_pv(np.concatenate([values.sum(-1, keepdims=True)] * 3, axis=-1)))
    np.testing.assert_array_equal(total.p_best.sel(actor="kommune"), res.p_best.sel(actor="total"))


def test_bad_input_raises_input_error() -> None:
    """Missing or extra dims, one option, one draw, NaN, a given total, not a DataArray."""
    good = _pv(np.zeros((10, 2, 3)))
    with pytest.raises(InputError, match="dims"):
        compare(good.isel(actor=0))
    with pytest.raises(InputError, match="dims"):
        compare(good.expand_dims(year=[1]))
    with pytest.raises(InputError, match=r"pv\.option: 1 option"):
        compare(good.isel(option=[0]))
    with pytest.raises(InputError, match=r"pv\.draw"):
        compare(good.isel(draw=[0]))
    bad = good.copy()
    bad[3, 1, 2] = np.nan
    with pytest.raises(InputError, match="draw 3, option 'option 1', actor 'stat' is nan"):
        compare(bad)
    with pytest.raises(InputError, match="total"):
        compare(good.assign_coords(actor=["kommune", "region", "total"]))
    with pytest.raises(InputError, match="DataArray"):
        compare(np.zeros((10, 2, 3)))
