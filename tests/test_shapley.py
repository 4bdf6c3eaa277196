"""Shapley effects against closed forms for linear models of correlated Gaussian inputs, the
classical indices when the inputs are independent, and reproducibility."""

from __future__ import annotations

import numpy as np
import pytest

from som_mc.analysis.sensitivity.copula import JointInputs
from som_mc.analysis.sensitivity.shapley import shapley_effects, shapley_linear_gaussian
from som_mc.errors import InputError

RHOS = (-0.9, -0.5, 0.3, 0.8)


def iooss_prieur_3(beta, sd, rho) -> np.ndarray:
    """Shapley effects of Y = β1 X1 + β2 X2 + β3 X3, X ~ N(0, Σ), X1 independent of (X2, X3),
    corr(X2, X3) = ρ: the closed form of Iooss & Prieur (2019), "Shapley effects for
    sensitivity analysis with correlated inputs: comparisons with Sobol' indices, numerical
    estimation and applications", IJUQ 9(5), §3 (the three-input Gaussian linear model):

    σ² = β1²σ1² + β2²σ2² + β3²σ3² + 2ρ β2β3σ2σ3,
    Sh1 = β1²σ1² / σ²,
    Sh2 = (β2²σ2²(1 - ρ²/2) + β3²σ3² ρ²/2 + ρ β2β3σ2σ3) / σ²,
    Sh3 = (β3²σ3²(1 - ρ²/2) + β2²σ2² ρ²/2 + ρ β2β3σ2σ3) / σ².

    Re-derived here from the costs c(u) = E[Var(Y|X_-u)]: c({2}) = β2²σ2²(1 - ρ²),
    c({3}) = β3²σ3²(1 - ρ²), c({2,3}) = σ² - β1²σ1², and X1 enters additively and alone.
    """
    b1, b2, b3 = beta
    s1, s2, s3 = sd
    v = b1**2 * s1**2 + b2**2 * s2**2 + b3**2 * s3**2 + 2 * rho * b2 * b3 * s2 * s3
    cross = rho * b2 * b3 * s2 * s3
    return (
        np.array(
            [
                b1**2 * s1**2,
                b2**2 * s2**2 * (1 - rho**2 / 2) + b3**2 * s3**2 * rho**2 / 2 + cross,
                b3**2 * s3**2 * (1 - rho**2 / 2) + b2**2 * s2**2 * rho**2 / 2 + cross,
            ]
        )
        / v
    )


def owen_prieur_2(beta, sd, rho) -> np.ndarray:
    """Two inputs, Y = β1 X1 + β2 X2, (X1, X2) bivariate normal with correlation ρ: Owen &
    Prieur (2017), "On Shapley value for measuring importance of dependent inputs", SIAM/ASA
    JUQ 5, §3: Sh1 = (β1²σ1²(1 - ρ²/2) + ρβ1β2σ1σ2 + β2²σ2²ρ²/2) / σ², and Sh2 by symmetry,
    σ² = β1²σ1² + β2²σ2² + 2ρβ1β2σ1σ2."""
    (b1, b2), (s1, s2) = beta, sd
    v = b1**2 * s1**2 + b2**2 * s2**2 + 2 * rho * b1 * b2 * s1 * s2
    cross = rho * b1 * b2 * s1 * s2
    return (
        np.array(
            [
                b1**2 * s1**2 * (1 - rho**2 / 2) + cross + b2**2 * s2**2 * rho**2 / 2,
                b2**2 * s2**2 * (1 - rho**2 / 2) + cross + b1**2 * s1**2 * rho**2 / 2,
            ]
        )
        / v
    )


def cov3(sd, rho) -> np.ndarray:
    r = np.array([[1.0, 0, 0], [0, 1, rho], [0, rho, 1]])
    return r * np.outer(sd, sd)


BETA3, SD3 = np.array([1.0, -0.7, 1.3]), np.array([1.0, 1.5, 2.0])


@pytest.mark.parametrize("rho", RHOS)
def test_exact_linear_gaussian_path_matches_closed_forms(rho: float) -> None:
    """The exact Gaussian-linear path equals the closed forms of Iooss & Prieur (2019, §3,
    three inputs) and Owen & Prieur (2017, §3, two inputs) to 1e-10 (formulas in
    :func:`iooss_prieur_3` and :func:`owen_prieur_2`)."""
    shares, v = shapley_linear_gaussian(BETA3, cov3(SD3, rho))
    np.testing.assert_allclose(shares, iooss_prieur_3(BETA3, SD3, rho), rtol=0, atol=1e-10)
    assert v == pytest.approx(BETA3 @ cov3(SD3, rho) @ BETA3, rel=1e-12)
    beta2, sd2 = np.array([2.0, 1.0]), np.array([0.5, 3.0])
    cov2 = np.array([[1.0, rho], [rho, 1.0]]) * np.outer(sd2, sd2)
    shares2, _ = shapley_linear_gaussian(beta2, cov2)
    np.testing.assert_allclose(shares2, owen_prieur_2(beta2, sd2, rho), rtol=0, atol=1e-10)


@pytest.mark.parametrize("method", ["exact", "random"])
@pytest.mark.parametrize("rho", RHOS)
def test_monte_carlo_within_three_standard_errors(method: str, rho: float) -> None:
    """Both Monte Carlo estimators (every subset; random orders) lie within 3 of their
    standard errors of the Iooss & Prieur (2019, §3) closed form, at negative and positive
    correlations (fixed seed), and the shares add up to 1 (to rounding: the per-row
    contributions telescope to the estimate of Var(Y))."""
    cov = cov3(SD3, rho)
    res = shapley_effects(
        lambda x: 3.0 + x @ BETA3, JointInputs.normal([1.0, -2.0, 0.5], cov), 8192,
        seed=11, method=method,
    )  # fmt: skip
    expected = iooss_prieur_3(BETA3, SD3, rho)
    assert np.all(np.abs(res.shapley[0] - expected) <= 3 * res.se[0]), (res.shapley, res.se)
    assert res.shapley.sum() == pytest.approx(1.0, abs=1e-12)
    assert np.all(res.se > 0) and np.all(res.se < 0.03)
    assert np.all((res.lower <= res.shapley) & (res.shapley <= res.upper))
    assert res.evaluations == (8192 * 2**3 if method == "exact" else 8192 * 4)


def test_random_orders_for_many_inputs_match_the_exact_path() -> None:
    """Eight correlated Gaussian inputs (a random correlation matrix, fixed seed): the
    random-order estimator (the default beyond six factors) lies within 3 standard errors of
    the exact Gaussian-linear Shapley effects (Owen & Prieur 2017, §3: c(u) =
    Var(E[Y|X_u]) in closed form for every subset)."""
    rng = np.random.default_rng(3)
    g = rng.normal(size=(8, 8))
    cov = g @ g.T + 2 * np.eye(8)
    beta = rng.normal(size=8)
    exact, _ = shapley_linear_gaussian(beta, cov)
    res = shapley_effects(lambda x: x @ beta, JointInputs.normal(np.zeros(8), cov), 4096, seed=2)
    assert res.permutations == 512 and res.method.count("random orders") == 1
    assert np.all(np.abs(res.shapley[0] - exact) <= 3 * res.se[0])
    assert res.shapley.sum() == pytest.approx(1.0, abs=1e-12)


def test_independent_inputs_give_the_classical_indices() -> None:
    """With independent inputs the Shapley effect of an additive model is its input's
    first-order (= total) Sobol' index, var_i / Σ var (Owen 2014, §3), and agrees with
    :func:`sobol_indices`; for the Ishigami function (a = 7, b = 0.1, inputs uniform on
    (-π, π)) it is S_i plus half of each pairwise interaction, from the analytic Sobol'
    decomposition (Saltelli et al. 2008, "Global sensitivity analysis: the primer", §4.3.1):
    V = a²/8 + bπ⁴/5 + b²π⁸/18 + 1/2, V1 = (1 + bπ⁴/5)²/2, V2 = a²/8,
    V13 = b²π⁸ (1/18 - 1/50), so Sh = (V1 + V13/2, V2, V13/2) / V."""
    from scipy import stats

    from som_mc.analysis.sensitivity.sobol import sobol_indices

    sd = np.array([1.0, 2.0, 0.5])
    joint = JointInputs.normal(np.zeros(3), np.diag(sd**2))
    res = shapley_effects(lambda x: x.sum(axis=1), joint, 8192, seed=4)
    v = sd**2 / (sd**2).sum()
    assert np.all(np.abs(res.shapley[0] - v) <= 3 * res.se[0])
    classical = sobol_indices(lambda u: stats.norm.ppf(u) @ sd, 3, 2**12, seed=4, replicates=4)
    np.testing.assert_allclose(classical.S1[0], res.shapley[0], atol=3 * res.se[0].max() + 0.01)

    a, b, pi = 7.0, 0.1, np.pi
    total = a**2 / 8 + b * pi**4 / 5 + b**2 * pi**8 / 18 + 0.5
    v1, v2, v13 = (1 + b * pi**4 / 5) ** 2 / 2, a**2 / 8, b**2 * pi**8 * (1 / 18 - 1 / 50)
    expected = np.array([v1 + v13 / 2, v2, v13 / 2]) / total
    uniform = stats.uniform(loc=-pi, scale=2 * pi)

    def ishigami(x: np.ndarray) -> np.ndarray:
        return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])

    res = shapley_effects(ishigami, JointInputs(np.eye(3), [uniform] * 3), 8192, seed=5)
    assert np.all(np.abs(res.shapley[0] - expected) <= 3 * res.se[0]), (res.shapley, expected)


def test_groups_are_players() -> None:
    """Groups of inputs are players: with X1 independent of the group {X2, X3} of an additive
    model, the group's Shapley effect is Var(β2X2 + β3X3) / Var(Y) (two players, each
    independent and additive: Owen 2014, §3), exactly on the Gaussian-linear path and within
    3 standard errors by Monte Carlo."""
    rho = -0.6
    cov = cov3(SD3, rho)
    v = BETA3 @ cov @ BETA3
    expected = np.array([BETA3[0] ** 2, BETA3[1:] @ cov[1:, 1:] @ BETA3[1:]]) / v
    groups = ["a", "b", "b"]
    exact, _ = shapley_linear_gaussian(BETA3, cov, groups=groups)
    np.testing.assert_allclose(exact, expected, atol=1e-12)
    res = shapley_effects(
        lambda x: x @ BETA3, JointInputs.normal(np.zeros(3), cov), 4096, seed=6, groups=groups
    )
    assert res.names == ("a", "b")
    assert np.all(np.abs(res.shapley[0] - expected) <= 3 * res.se[0])


@pytest.mark.parametrize("method", ["exact", "random"])
def test_same_seed_same_numbers_on_one_or_two_threads(method: str) -> None:
    """The random rows come from the seed alone; chunks of the model's rows are evaluated on
    threads and put back in order, so 1 and 2 threads and any chunk size give identical bits,
    and another seed gives other numbers."""
    joint = JointInputs.normal(np.zeros(3), cov3(SD3, 0.5))

    def run(**kw):
        return shapley_effects(lambda x: x @ BETA3, joint, 1024, method=method, **kw)

    one = run(seed=7, threads=1)
    two = run(seed=7, threads=2, chunk=1000)
    np.testing.assert_array_equal(one.shapley, two.shapley)
    np.testing.assert_array_equal(one.se, two.se)
    assert not np.array_equal(one.shapley, run(seed=8).shapley)


def test_errors_name_the_argument() -> None:
    joint = JointInputs.normal(np.zeros(2), np.eye(2))
    with pytest.raises(InputError, match="method"):
        shapley_effects(lambda x: x[:, 0], joint, 64, seed=0, method="all")
    with pytest.raises(InputError, match="groups"):
        shapley_effects(lambda x: x[:, 0], joint, 64, seed=0, groups=["a", "a"])
    with pytest.raises(InputError, match="model"):
        shapley_effects(lambda x: x[:3, 0], joint, 64, seed=0)
    with pytest.raises(InputError, match="correlation"):
        JointInputs([[1.0, 1.2], [1.2, 1.0]])
