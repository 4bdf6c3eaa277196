"""Monte Carlo properties of :func:`som_mc.run` (docs/model.md §4)."""

from __future__ import annotations

import copy

import numpy as np
import pytest
import xarray as xr
from scipy import stats

from som_mc import InputError, deterministic, run

# Independent uncertain inputs on a case that is linear in each input separately (expected
# mode, fixed dropout and discount): the expectation of the result is the result at the means.
LINEAR_CASE = {
    "name": "linear",
    "price_year": 2024,
    "horizon": 6,
    "discount_rate": 0.03,
    "intake": {
        "participants": [{"dist": "gamma", "mean": 30, "sd": 6}, 10],
        "course_years": 2,
        "dropout": 0.1,
    },
    "cost": [
        {
            "label": "course",
            "type": "per_participant_year",
            "amount": {"dist": "normal", "mean": 40_000, "sd": 5_000},
        },
        {
            "label": "shelter not used",
            "type": "operating",
            "amount": {"dist": "triangular", "min": -30_000, "mode": -20_000, "max": -5_000},
        },
    ],
    "success": {"rate": {"dist": "beta", "k": 6, "n": 20}},
    "consequence": [
        {
            "key": "shelter_days",
            "unit": "days",
            "area": "social",
            "kind": "expenditure",
            "profile": [{"dist": "uniform", "min": -150, "max": -50}, -80, -60],
            "scale": {"dist": "pert", "min": 0.5, "mode": 1, "max": 1.2},
            "price": {"kommune": {"dist": "lognormal", "mean": 750, "sd": 100}, "stat": 750},
        },
        {
            "key": "income_tax",
            "unit": "DKK of tax",
            "area": "employment",
            "kind": "revenue",
            "profile": [10_000, 20_000, {"dist": "normal", "ci95": [15_000, 35_000]}],
            "price": {
                "kommune": 0.25,
                "stat": {"dist": "truncnormal", "mean": 0.1, "sd": 0.05, "min": 0},
            },
        },
    ],
}


def _within_se(draws: xr.DataArray, reference: xr.DataArray, k: float = 4.0) -> None:
    mean = draws.mean("draw")
    se = draws.std("draw", ddof=1) / np.sqrt(draws.sizes["draw"])
    diff = abs(mean - reference)
    # Where an output does not vary it must be exact; elsewhere within k standard errors.
    ok = (diff <= k * se) | ((se == 0) & (diff <= 1e-9 * (1 + abs(reference))))
    assert bool(ok.all()), f"outside {k} SE:\n{(diff / se).where(~ok, drop=True)}"


def test_mean_equals_deterministic_at_means_where_linear() -> None:
    """E[f(X)] = f(E[X]) for f linear in each of independent inputs (expectation of a product
    of independent variables is the product of expectations): the Monte Carlo mean of the net
    result by year and actor and of the present values is within 4 standard errors of the
    deterministic result at the inputs' means."""
    ds = run(LINEAR_CASE, draws=40_000, seed=3)
    det = deterministic(LINEAR_CASE)
    _within_se(ds.net, det.net)
    _within_se(ds.present_value, det.present_value)
    _within_se(ds.successes, det.successes)


@pytest.mark.parametrize("alpha, beta, n", [(2.0, 12.0, 25), (5.0, 5.0, 40)])
def test_cohort_successes_are_beta_binomial(alpha: float, beta: float, n: int) -> None:
    """With rate ~ Beta(a, b) and n completers, cohort-mode successes are beta-binomial
    (reference: scipy.stats.betabinom); their mean equals expected mode's mean n a/(a+b).
    The variance is compared within 4 standard errors, se(s²) = sqrt((mu4 - sigma^4)/N)."""
    case = {
        "name": "beta-binomial",
        "price_year": 2024,
        "horizon": 2,
        "intake": {"participants": [n]},
        "cost": [{"label": "none", "type": "startup", "amount": 0}],
        "success": {"rate": {"dist": "beta", "alpha": alpha, "beta": beta}},
        "consequence": [
            {
                "key": "c",
                "unit": "u",
                "area": "social",
                "kind": "expenditure",
                "profile": [1],
                "price": {"kommune": 1},
            }
        ],
    }
    draws = 60_000
    cohort = run(case, draws=draws, seed=11, mode="cohort").successes.isel(year=0).values
    expected = run(case, draws=draws, seed=11, mode="expected").successes.isel(year=0).values
    ref = stats.betabinom(n, alpha, beta)
    mean, var, kurt = (float(v) for v in ref.stats(moments="mvk"))
    assert np.all(cohort == np.round(cohort)), "cohort successes are whole citizens"
    assert abs(cohort.mean() - mean) <= 4 * np.sqrt(var / draws)
    assert abs(cohort.mean() - expected.mean()) <= 4 * np.sqrt(var / draws)
    mu4 = (kurt + 3.0) * var**2
    assert abs(cohort.var(ddof=1) - var) <= 4 * np.sqrt((mu4 - var**2) / draws)


def test_cohort_persistence_thins_binomially() -> None:
    """Cohort mode with retention r: the mean number still successful k years after success is
    n p r^k (binomial thinning), within 4 standard errors."""
    case = {
        "name": "persistence",
        "price_year": 2024,
        "horizon": 4,
        "intake": {"participants": [50]},
        "cost": [{"label": "none", "type": "startup", "amount": 0}],
        "success": {"rate": 0.4, "persistence": 0.7},
        "consequence": [
            {
                "key": "c",
                "unit": "u",
                "area": "social",
                "kind": "revenue",
                "profile": [1, 1, 1, 1],
                "price": {"stat": 1},
            }
        ],
    }
    ds = run(case, draws=20_000, seed=5, mode="cohort")
    _within_se(ds.net.sel(actor="stat"), xr.DataArray(20 * 0.7 ** np.arange(4), dims="year"))


def _spearman_se(rho: np.ndarray | float, n: int) -> np.ndarray | float:
    """Standard error of a sample Spearman correlation, (1 - rho²) sqrt((1 + rho²/2) / (n - 3)):
    the delta method on Fisher's z with the variance of Bonett & Wright (2000), Psychometrika
    65(1):23-28. For independent draws; a Latin hypercube does not increase the variance of a
    smooth function of sample means, asymptotically (Stein 1987, Technometrics 29:143-151)."""
    return (1.0 - np.square(rho)) * np.sqrt((1.0 + np.square(rho) / 2.0) / (n - 3))


def test_copula_gives_requested_spearman() -> None:
    """A Gaussian copula with Pearson r = 2 sin(pi rho_s / 6) has Spearman rho_s (Kruskal
    1958): at 100,000 draws each sample Spearman correlation is within 0.02 of the request and
    within 4 standard errors of it (_spearman_se), and an input outside the block is
    uncorrelated within 4 standard errors of 0. The check has power: a copula taking the
    Spearman matrix as its Pearson matrix gives rho_s = (6/pi) arcsin(0.3) = 0.582 for the 0.6
    pair, 0.018 off, which 0.02 alone would accept but is 8 standard errors here."""
    case = copy.deepcopy(LINEAR_CASE)
    names = [
        "success.rate",
        "consequence.shelter_days.scale",
        "consequence.shelter_days.price.kommune",
    ]
    target = np.array([[1.0, 0.6, -0.3], [0.6, 1.0, 0.2], [-0.3, 0.2, 1.0]])
    case["correlation"] = [{"inputs": names, "spearman": target.tolist()}]
    n = 100_000
    ds = run(case, draws=n, seed=8, design="lhs")
    sample = ds.inputs.sel(input=names).values
    rho = stats.spearmanr(sample).statistic
    np.testing.assert_allclose(rho, target, atol=0.02)
    off = ~np.eye(3, dtype=bool)
    z = np.abs(rho - target)[off] / _spearman_se(target[off], n)
    assert np.all(z < 4), z
    other = ds.inputs.sel(input="intake.participants[0]").values
    independent = stats.spearmanr(sample[:, 0], other).statistic
    assert abs(independent) < 0.02
    assert abs(independent) < 4 * _spearman_se(0.0, n)


def test_same_seed_same_dataset_on_one_or_two_threads() -> None:
    """Blocks of draws have their own generators: 1 and 2 threads give identical numbers."""
    one = run(LINEAR_CASE, draws=9_000, seed=2, mode="cohort", threads=1)
    two = run(LINEAR_CASE, draws=9_000, seed=2, mode="cohort", threads=2)
    xr.testing.assert_identical(one.drop_attrs(), two.drop_attrs())


def test_streams_are_keyed_by_block_not_by_run_length() -> None:
    """The first 5,000 draws of a 9,000-draw run equal a 5,000-draw run: a random stream
    belongs to a fixed block of draws, so any chunking reproduces the same draws."""
    short = run(LINEAR_CASE, draws=5_000, seed=4, mode="cohort")
    long = run(LINEAR_CASE, draws=9_000, seed=4, mode="cohort").isel(draw=slice(0, 5_000))
    xr.testing.assert_identical(short.drop_attrs(), long.drop_attrs())


def test_different_seeds_differ() -> None:
    """Another seed gives other draws (the seed is used)."""
    a = run(LINEAR_CASE, draws=100, seed=1).present_value
    b = run(LINEAR_CASE, draws=100, seed=2).present_value
    assert not np.allclose(a, b)


def test_latin_hypercube_stratifies_each_input() -> None:
    """In a Latin hypercube of N draws every input has exactly one draw in each of the N
    equal-probability strata (McKay, Beckman & Conover 1979)."""
    case = copy.deepcopy(LINEAR_CASE)
    case["success"] = {"rate": {"dist": "uniform", "min": 0.0, "max": 1.0}}
    ds = run(case, draws=1_000, seed=9, design="lhs")
    strata = np.floor(ds.inputs.sel(input="success.rate").values * 1_000).astype(int)
    assert sorted(strata) == list(range(1_000))


def test_sobol_design_integrates_more_accurately() -> None:
    """Scrambled Sobol' points (scipy.stats.qmc) estimate the mean of a uniform input with an
    error far below plain Monte Carlo's standard error, 1/sqrt(12 N)."""
    case = copy.deepcopy(LINEAR_CASE)
    case["success"] = {"rate": {"dist": "uniform", "min": 0.0, "max": 1.0}}
    ds = run(case, draws=4_096, seed=9, design="sobol")
    error = abs(float(ds.inputs.sel(input="success.rate").mean()) - 0.5)
    assert error < 0.1 / np.sqrt(12 * 4_096)


def test_sobol_design_needs_power_of_two() -> None:
    """A Sobol' design of 1,000 draws is refused with the nearest powers of two."""
    with pytest.raises(InputError, match="512 or 1024"):
        run(LINEAR_CASE, draws=1_000, seed=1, design="sobol")


@pytest.mark.parametrize(
    "kwargs, fragment",
    [
        ({"draws": 0}, "draws"),
        ({"draws": 10, "mode": "cohorts"}, "expected, cohort"),
        ({"draws": 10, "design": "halton"}, "random, lhs, sobol"),
        ({"draws": 10, "seed": -1}, "seed"),
    ],
)
def test_bad_run_options(kwargs: dict, fragment: str) -> None:
    """Bad options to run() are InputErrors that say what is allowed."""
    with pytest.raises(InputError, match=fragment):
        run(LINEAR_CASE, **kwargs)
