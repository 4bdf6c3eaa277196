"""Full and independent Sobol' indices of correlated inputs against Kucherenko, Tarantola &
Annoni (2012) and closed forms; the same analysis of a case with correlated inputs."""

from __future__ import annotations

import copy

import numpy as np
import pytest
from scipy import stats

from som_mc import load_case
from som_mc.analysis.sensitivity.copula import JointInputs, spearman_to_pearson
from som_mc.analysis.sensitivity.correlated import correlated_sobol, linear_gaussian_indices
from som_mc.analysis.sensitivity.dependent import case_model, correlated_sensitivity
from som_mc.analysis.sensitivity.shapley import shapley_linear_gaussian

#: The correlations of Kucherenko et al. (2012), Table 1.
TABLE1_RHOS = (0.0, 0.5, -0.5, 0.8, -0.8)


def kucherenko_linear(rho: float, sigma: float = 2.0) -> tuple[np.ndarray, np.ndarray]:
    """Kucherenko, Tarantola & Annoni (2012), "Estimation of global sensitivity indices for
    models with dependent variables", Comput. Phys. Commun. 183:937-946, test case 1 and
    Table 1 (p. 943): Y = X1 + X2 + X3, X ~ N(0, Σ), Σ = [[1, 0, 0], [0, 1, ρσ], [0, ρσ, σ²]],
    σ = 2, ρ in {0, ±0.5, ±0.8}. The analytic values of the table's columns, with
    D = 2 + σ² + 2ρσ: S = (1, (1 + ρσ)², (σ + ρ)²) / D and
    ST = (1, 1 - ρ², σ²(1 - ρ²)) / D. The printed table's digits were not at hand, so the
    values are computed from these formulas (re-derived: S_i = Var(E[Y|X_i]) / V,
    ST_i = E[Var(Y|X_-i)] / V for jointly normal inputs)."""
    d = 2 + sigma**2 + 2 * rho * sigma
    s = np.array([1.0, (1 + rho * sigma) ** 2, (sigma + rho) ** 2]) / d
    st = np.array([1.0, 1 - rho**2, sigma**2 * (1 - rho**2)]) / d
    return s, st


def linear_cov(rho: float, sigma: float = 2.0) -> np.ndarray:
    return np.array([[1.0, 0, 0], [0, 1, rho * sigma], [0, rho * sigma, sigma**2]])


@pytest.mark.parametrize("rho", TABLE1_RHOS)
def test_exact_path_matches_kucherenko_table_1(rho: float) -> None:
    """The exact Gaussian-linear indices equal Kucherenko et al. (2012) Table 1's analytic
    values (:func:`kucherenko_linear`) to 1e-10: S_full is their first-order index, ST_ind
    their total; for a linear model first order equals total in each reading (Mara &
    Tarantola 2012, §4)."""
    s, st = kucherenko_linear(rho)
    exact, v = linear_gaussian_indices(np.ones(3), linear_cov(rho))
    np.testing.assert_allclose(exact[0], s, atol=1e-10)
    np.testing.assert_allclose(exact[3], st, atol=1e-10)
    np.testing.assert_array_equal(exact[0], exact[1])
    np.testing.assert_array_equal(exact[2], exact[3])
    assert v == pytest.approx(2 + 4 + 4 * rho, rel=1e-12)


@pytest.mark.parametrize("rho", TABLE1_RHOS[1:])
def test_monte_carlo_matches_kucherenko_table_1(rho: float) -> None:
    """All four Monte Carlo indices of test case 1 lie within 3 standard errors of the exact
    values (Kucherenko et al. 2012, Table 1, for S_full and ST_ind), fixed seed. The indices
    do not add up: Σ S_full > 1 > Σ ST_ind for ρ > 0 and the reverse for ρ = -0.5 (at
    ρ = -0.8 both sums are 1 by coincidence: 1 + 0.36 + 1.44 = D = 2.8)."""
    exact, _ = linear_gaussian_indices(np.ones(3), linear_cov(rho))
    res = correlated_sobol(
        lambda x: x.sum(axis=1), JointInputs.normal(np.zeros(3), linear_cov(rho)), 8192, seed=21
    )
    # + 1e-12: at ρ = -0.5, S_full of X2 is exactly 0 and its estimate and error are rounding
    assert np.all(np.abs(res.indices[:, 0] - exact) <= 3 * res.se[:, 0] + 1e-12), res.indices
    assert res.evaluations == 8192 * (2 + 2 * 3)
    if rho != -0.8:
        assert np.sign(exact[0].sum() - 1) == np.sign(rho) == -np.sign(exact[3].sum() - 1)


def test_monte_carlo_matches_kucherenko_table_2_portfolio() -> None:
    """Kucherenko et al. (2012), test case 2 and Table 2 (p. 945), the product ("portfolio")
    model Y = X1 X3 + X2 X4, X ~ N(μ, Σ) with μ = (0, 0, 250, 400), variances
    (16, 4, 4e4, 9e4), cov(X1, X2) = 2.4 (ρ12 = 0.3), cov(X3, X4) = -1.8e4 (ρ34 = -0.3), the
    pairs independent. Analytic values (the paper's; re-derived from E[Y|X_i] and
    Var(Y|X_-i), the table's printed digits not at hand):
    D = σ1²(σ3² + μ3²) + σ2²(σ4² + μ4²) + 2σ12(σ34 + μ3μ4),
    S1 = σ1²(μ3 + μ4ρ12σ2/σ1)²/D, S2 = σ2²(μ4 + μ3ρ12σ1/σ2)²/D, S3 = S4 = 0,
    ST1 = σ1²(1 - ρ12²)(σ3² + μ3²)/D, ST2 = σ2²(1 - ρ12²)(σ4² + μ4²)/D,
    ST3 = σ1²σ3²(1 - ρ34²)/D, ST4 = σ2²σ4²(1 - ρ34²)/D.
    The estimates (S_full, ST_ind) lie within 3 standard errors, fixed seed."""
    mu = np.array([0.0, 0.0, 250.0, 400.0])
    var = np.array([16.0, 4.0, 4e4, 9e4])
    cov = np.diag(var)
    cov[0, 1] = cov[1, 0] = 2.4
    cov[2, 3] = cov[3, 2] = -1.8e4
    s1, s2, s3, s4 = np.sqrt(var)
    r12, r34 = 2.4 / (s1 * s2), -1.8e4 / (s3 * s4)
    m3, m4 = mu[2], mu[3]
    d = var[0] * (var[2] + m3**2) + var[1] * (var[3] + m4**2) + 2 * 2.4 * (-1.8e4 + m3 * m4)
    first = (
        np.array(
            [var[0] * (m3 + m4 * r12 * s2 / s1) ** 2, var[1] * (m4 + m3 * r12 * s1 / s2) ** 2, 0, 0]
        )
        / d
    )
    total = (
        np.array(
            [
                var[0] * (1 - r12**2) * (var[2] + m3**2),
                var[1] * (1 - r12**2) * (var[3] + m4**2),
                var[0] * var[2] * (1 - r34**2),
                var[1] * var[3] * (1 - r34**2),
            ]
        )
        / d
    )
    res = correlated_sobol(
        lambda x: x[:, 0] * x[:, 2] + x[:, 1] * x[:, 3], JointInputs.normal(mu, cov), 32768,
        seed=22,
    )  # fmt: skip
    assert np.all(np.abs(res["S_full"][0] - first) <= 3 * res.se[0, 0]), (res["S_full"], first)
    assert np.all(np.abs(res["ST_ind"][0] - total) <= 3 * res.se[3, 0]), (res["ST_ind"], total)
    assert res.variance[0] == pytest.approx(d, rel=0.05)


def test_independent_inputs_give_the_classical_indices() -> None:
    """With independent inputs both readings are the classical indices: for the Ishigami
    function (a = 7, b = 0.1) the analytic S = (0.3139, 0.4424, 0) and ST = (0.5576, 0.4424,
    0.2437) (Saltelli et al. 2008, "Global sensitivity analysis: the primer", §4.3.1, from
    V1 = (1 + bπ⁴/5)²/2, V2 = a²/8, V13 = b²π⁸(1/18 - 1/50)) within 3 standard errors, and
    :func:`sobol_indices` (SALib's estimators) agrees."""
    from som_mc.analysis.sensitivity.sobol import sobol_indices

    a, b, pi = 7.0, 0.1, np.pi
    v = a**2 / 8 + b * pi**4 / 5 + b**2 * pi**8 / 18 + 0.5
    v1, v2, v13 = (1 + b * pi**4 / 5) ** 2 / 2, a**2 / 8, b**2 * pi**8 * (1 / 18 - 1 / 50)
    s = np.array([v1, v2, 0.0]) / v
    st = np.array([v1 + v13, v2, v13]) / v
    uniform = stats.uniform(loc=-pi, scale=2 * pi)

    def ishigami(x: np.ndarray) -> np.ndarray:
        return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])

    res = correlated_sobol(ishigami, JointInputs(np.eye(3), [uniform] * 3), 16384, seed=23)
    for k, ref in ((0, s), (1, st), (2, s), (3, st)):
        assert np.all(np.abs(res.indices[k, 0] - ref) <= 3 * res.se[k, 0]), (k, res.indices[k])
    classical = sobol_indices(lambda u: ishigami(uniform.ppf(u)), 3, 2**13, seed=23)
    np.testing.assert_allclose(classical.S1[0], s, atol=0.02)
    np.testing.assert_allclose(res["S_full"][0], classical.S1[0], atol=4 * res.se[0, 0].max())
    np.testing.assert_allclose(res["ST_ind"][0], classical.ST[0], atol=4 * res.se[3, 0].max())


def test_rank_correlated_marginals_through_the_copula() -> None:
    """Non-normal marginals with a Spearman correlation: uniform and exponential inputs,
    the model Y = Σ β_i Φ⁻¹(F_i(X_i)) is linear in the copula's normal scores, whose
    correlation is 2 sin(πρ_s/6) (Kruskal 1958). So its indices are the Gaussian-linear ones
    of (β, R) (exact path, Mara & Tarantola 2012, §4): within 3 standard errors."""
    spearman = np.array([[1.0, 0.6, -0.3], [0.6, 1.0, 0.0], [-0.3, 0.0, 1.0]])
    margs = [stats.uniform(0, 10), stats.expon(scale=2.0), stats.uniform(-1, 2)]
    beta = np.array([1.0, 2.0, -1.5])
    joint = JointInputs.from_spearman(spearman, margs)

    def model(x: np.ndarray) -> np.ndarray:
        z = np.column_stack([stats.norm.ppf(m.cdf(x[:, i])) for i, m in enumerate(margs)])
        return z @ beta

    exact, _ = linear_gaussian_indices(beta, spearman_to_pearson(spearman))
    res = correlated_sobol(model, joint, 8192, seed=24)
    assert np.all(np.abs(res.indices[:, 0] - exact) <= 3 * res.se[:, 0])


def test_group_indices() -> None:
    """The group {X2, X3} of test case 1 (Kucherenko et al. 2012): X1 is independent of it,
    so every index of the group is Var(X2 + X3) / V = (1 + σ² + 2ρσ) / (2 + σ² + 2ρσ)
    (X1 enters additively), within 3 standard errors; X1's indices stay 1 / D."""
    rho = 0.8
    d = 2 + 4 + 4 * rho
    res = correlated_sobol(
        lambda x: x.sum(axis=1), JointInputs.normal(np.zeros(3), linear_cov(rho)), 8192,
        seed=25, groups=["x1", "pair", "pair"],
    )  # fmt: skip
    expected = np.array([1.0, 1 + 4 + 4 * rho]) / d
    assert res.names == ("x1", "pair")
    assert np.all(np.abs(res.indices[:, 0] - expected) <= 3 * res.se[:, 0])
    exact, _ = linear_gaussian_indices(np.ones(3), linear_cov(rho), groups=["x1", "p", "p"])
    np.testing.assert_allclose(exact, np.tile(expected, (4, 1)), atol=1e-12)


def test_same_seed_same_numbers_on_one_or_two_threads() -> None:
    """Rows from the seed alone, chunks put back in order: bit-identical on 1 and 2 threads."""
    joint = JointInputs.normal(np.zeros(3), linear_cov(-0.5))
    kw = {"seed": 26}
    one = correlated_sobol(lambda x: x.sum(axis=1), joint, 2048, threads=1, **kw)
    two = correlated_sobol(lambda x: x.sum(axis=1), joint, 2048, threads=2, chunk=1500, **kw)
    np.testing.assert_array_equal(one.indices, two.indices)
    np.testing.assert_array_equal(one.se, two.se)


# Two uncertain costs and an uncertain state price (tests/test_sensitivity_case.py): the
# present value is linear in them. The normal cost a and the normal price are rank-correlated.
CASE = {
    "name": "correlated",
    "price_year": 2024,
    "horizon": 2,
    "intake": {"participants": [10]},
    "cost": [
        {"label": "a", "type": "startup", "amount": {"dist": "normal", "mean": 1e5, "sd": 3e3}},
        {"label": "b", "type": "startup", "amount": {"dist": "uniform", "min": 0, "max": 2e4},
         "actor": "stat"},
    ],
    "success": {"rate": 0.5},
    "consequence": [
        {"key": "days", "unit": "days", "area": "social", "kind": "expenditure",
         "profile": [-10], "price": {"stat": {"dist": "normal", "mean": 500, "sd": 40}}},
    ],
    "correlation": [
        {"inputs": ["cost.a.amount", "consequence.days.price.stat"],
         "spearman": [[1, -0.7], [-0.7, 1]]},
    ],
}  # fmt: skip
NAMES = ["cost.a.amount", "cost.b.amount", "consequence.days.price.stat"]


def _case_reference() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The case's total present value is β₀ + βᵀx; β from the model itself (differences of
    one unit, exact for a linear model). cost a and the price are normal and joined by a
    Gaussian copula, so they are bivariate normal with r = 2 sin(π (-0.7)/6); cost b is
    independent. Every E[Y|X_u] is then linear, so the Gaussian-linear formulas (Owen &
    Prieur 2017, §3; Mara & Tarantola 2012, §4) hold with the inputs' covariance."""
    case = load_case(CASE)
    f = case_model(case)
    x0 = np.array([[1e5, 1e4, 500.0]])
    beta = np.array([(f(x0 + np.eye(3)[i]) - f(x0))[0, 0] for i in range(3)])
    r = 2 * np.sin(np.pi * -0.7 / 6)
    sd = np.array([3e3, 2e4 / np.sqrt(12), 40.0])
    cov = np.diag(sd**2)
    cov[0, 2] = cov[2, 0] = r * sd[0] * sd[2]
    return beta, cov, f(x0 + 1.0)[0] - f(x0)[0]


def test_case_with_correlated_inputs() -> None:
    """On a case with a rank-correlated pair, the Shapley effects and the full and independent
    indices of the total present value lie within 3 standard errors of the exact
    Gaussian-linear values (:func:`_case_reference`), keep one factor per input (the classical
    analysis has to join the pair), add up to 1 (Shapley), and are NaN for the region, which
    the case does not touch."""
    beta, cov, _ = _case_reference()
    ds = correlated_sensitivity(CASE, 4096, seed=27)
    assert list(ds.input.values) == NAMES
    total = ds.sel(output="total")
    sh, _ = shapley_linear_gaussian(beta, cov)
    assert np.all(np.abs(total.shapley.values - sh) <= 3 * total.shapley_se.values)
    assert float(total.shapley.sum()) == pytest.approx(1.0, abs=1e-12)
    exact, _ = linear_gaussian_indices(beta, cov)
    for k, key in enumerate(("S_full", "ST_full", "S_ind", "ST_ind")):
        se = total[f"{key}_se"].values
        assert np.all(np.abs(total[key].values - exact[k]) <= 3 * se), key
    assert np.isnan(ds.shapley.sel(output="region")).all()
    assert "cost.a.amount + consequence.days.price.stat" in ds.attrs["correlated"]
    assert ds.shapley_ci.sel(ci_bound="lower").notnull().sum() > 0


def test_case_threads_give_identical_indices() -> None:
    """The same case, seed and n on 1 and 2 threads give identical indices."""
    one = correlated_sensitivity(CASE, 256, seed=28, threads=1)
    two = correlated_sensitivity(CASE, 256, seed=28, threads=2)
    for key in ("shapley", "S_full", "ST_full", "S_ind", "ST_ind", "shapley_se"):
        np.testing.assert_array_equal(one[key].values, two[key].values)


def test_case_groups_keep_correlated_inputs_apart() -> None:
    """Named groups apply, but correlated inputs are not joined into one factor (the classical
    analysis must join them; these indices tell them apart)."""
    case = copy.deepcopy(CASE)
    ds = correlated_sensitivity(case, 128, seed=29, groups={"costs": ["cost.*"]})
    assert list(ds.input.values) == ["costs", "consequence.days.price.stat"]
