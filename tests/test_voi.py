"""Tests for som_mc.analysis.sensitivity.voi: EVPI and regression-based EVPPI.

Reference values are closed forms for normally distributed net benefit, where the expected
value of perfect information is the classic "unit normal linear loss" result (Raiffa &
Schlaifer 1961, Applied Statistical Decision Theory, sec. 5.3 and table IV):

    E[max(Y, 0)] = mu Φ(mu/sigma) + sigma φ(mu/sigma)   for Y ~ N(mu, sigma²)

(the mean of a normal censored at 0), so EVPI = E[max(Y, 0)] − max(mu, 0). For a linear model
NB = a + b X1 + c X2 with independent normal inputs, E[NB | X1] = a + c mu2 + b X1 is normal
too, which gives EVPPI(X1) in the same closed form. The EVPPI estimator is the one of Strong,
Oakley & Brennan (2014), Medical Decision Making 34(3):311-326.

Tolerances in Monte Carlo standard errors (SE) use the SE of the same-sample estimator with
the true conditional mean (sd of the opportunity loss / sqrt(draws)); 4 SE has a two-sided
chance of about 6e-5 of failing by Monte Carlo noise, and the seeds are fixed anyway.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from som_mc.analysis.sensitivity.voi import METHODS, evpi, evpi_se, evppi
from som_mc.errors import InputError


def _censored_mean(mu: float, sigma: float) -> float:
    """E[max(Y, 0)] for Y ~ N(mu, sigma²)."""
    return mu * stats.norm.cdf(mu / sigma) + sigma * stats.norm.pdf(mu / sigma)


def _normal_voi(mu: float, sigma: float) -> float:
    """E[max(Y, 0)] − max(E[Y], 0) for Y ~ N(mu, sigma²)."""
    return _censored_mean(mu, sigma) - max(mu, 0.0)


def _oracle_se(g: np.ndarray) -> float:
    """Monte Carlo SE of mean(max(g, 0)) − max(mean(g), 0) with g the true E[NB | x]."""
    loss = np.maximum(-g, 0.0) if g.mean() > 0 else np.maximum(g, 0.0)
    return float(loss.std(ddof=1) / np.sqrt(g.size))


def _oracle(g: np.ndarray) -> float:
    """The same-sample value with the true conditional mean g."""
    return float(np.mean(np.maximum(g, 0.0)) - max(g.mean(), 0.0))


# A linear model in DKK: NB = A + B X1 + C X2, X1 ~ N(M1, S1²), X2 ~ N(M2, S2²).
A, B, C = -200.0, 300.0, 150.0
M1, S1, M2, S2 = 0.5, 1.0, 0.8, 2.0
MU = A + B * M1 + C * M2  # E[NB] = 70 DKK


@pytest.fixture
def linear(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(nb, x1, x2) for the linear model, 10^5 draws."""
    x1 = rng.normal(M1, S1, 100_000)
    x2 = rng.normal(M2, S2, 100_000)
    return A + B * x1 + C * x2, x1, x2


# --- EVPI -------------------------------------------------------------------------------------


@pytest.mark.parametrize("mu", [-1.5, -0.3, 0.0, 0.4, 2.0])
def test_evpi_matches_censored_normal(rng: np.random.Generator, mu: float) -> None:
    """EVPI of NB ~ N(mu, 1) is mu Φ(mu) + φ(mu) − max(mu, 0) (Raiffa & Schlaifer 1961, unit
    normal linear loss), within 4 of its reported Monte Carlo standard errors."""
    nb = rng.normal(mu, 1.0, 200_000)
    assert abs(evpi(nb) - _normal_voi(mu, 1.0)) < 4 * evpi_se(nb)


def test_evpi_se_matches_spread_over_replicates(rng: np.random.Generator) -> None:
    """evpi_se agrees with the sd of EVPI over 400 independent samples (definition of a
    standard error). E[NB] is 22 of its standard errors from 0, so the decision never flips;
    the sd of 400 replicates has a relative SE of 1/sqrt(2 x 399) = 3.5 %, so 15 % is over 4
    of those."""
    nb = rng.normal(1.0, 2.0, size=(2_000, 400))
    spread = evpi(nb).std(ddof=1)
    assert evpi_se(nb).mean() == pytest.approx(spread, rel=0.15)


def test_evpi_of_certain_decision_is_zero() -> None:
    """When NB has one sign in every draw, knowing more cannot change the decision: EVPI = 0
    exactly (definition)."""
    nb = np.column_stack([np.linspace(1.0, 5.0, 101), -np.linspace(1.0, 5.0, 101)])
    assert np.array_equal(evpi(nb), [0.0, 0.0])
    assert np.array_equal(evpi_se(nb), [0.0, 0.0])


# --- EVPPI, one input (spline) ----------------------------------------------------------------


def test_evppi_linear_model_x1_matches_closed_form(linear) -> None:
    """EVPPI(X1) of NB = a + b X1 + c X2: E[NB | X1] ~ N(mu, (b s1)²), so EVPPI(X1) =
    E[max(.,0)] − max(mu, 0) in the censored-normal closed form; within 4 SE of the
    same-sample estimator with the true E[NB | X1]. Over 8 seeds the error was within 1.7 SE,
    the spline's own part (estimate minus same-sample oracle) within 0.9 SE."""
    nb, x1, _ = linear
    true = _normal_voi(MU, B * S1)
    se = _oracle_se(A + C * M2 + B * x1)
    assert abs(evppi(nb, x1) - true) < 4 * se


def test_evppi_linear_model_x2_matches_closed_form(linear) -> None:
    """EVPPI(X2) of the same model, E[NB | X2] ~ N(mu, (c s2)²); closed form as for X1, within
    4 SE (over 8 seeds within 1.9 SE)."""
    nb, _, x2 = linear
    true = _normal_voi(MU, C * S2)
    se = _oracle_se(A + B * M1 + C * x2)
    assert abs(evppi(nb, x2, "spline") - true) < 4 * se


def test_evppi_of_monotone_transform_is_unchanged(linear) -> None:
    """exp(X1) carries the same information as X1, so its EVPPI has the same closed form
    (invariance of conditional expectation under a bijection). Its lognormal skew tests the
    knot placement; within 4 SE as above."""
    nb, x1, _ = linear
    true = _normal_voi(MU, B * S1)
    se = _oracle_se(A + C * M2 + B * x1)
    assert abs(evppi(nb, np.exp(1.5 * x1)) - true) < 4 * se


def test_evppi_with_tied_input_values(linear) -> None:
    """X1 rounded to 0.05 (about 110 distinct values, every one repeated) still carries almost
    all the information of X1: within-bin sd 0.05/sqrt(12) = 0.014 is 1.4 % of sd(X1), which
    lowers EVPPI by less than 0.1 %. Same closed form, within 4 SE."""
    nb, x1, _ = linear
    rounded = np.round(x1 * 20) / 20
    assert np.unique(rounded).size < 200
    true = _normal_voi(MU, B * S1)
    se = _oracle_se(A + C * M2 + B * x1)
    assert abs(evppi(nb, rounded) - true) < 4 * se


def test_evppi_of_binary_input(rng: np.random.Generator) -> None:
    """A Bernoulli(0.3) input: E[NB | b] = −0.5 + 2 b, E[NB] = 0.1 > 0, so EVPPI = P(b = 0) x
    0.5 = 0.35 (definition). The group-mean estimate has SE about 0.006 at 2 x 10^4 draws
    (0.7 x sd of the mean of 14 000 unit normals, plus the spread of the share of b = 0);
    4 SE = 0.025."""
    b = (rng.random(20_000) < 0.3).astype(float)
    nb = -0.5 + 2.0 * b + rng.normal(size=b.size)
    assert evppi(nb, b) == pytest.approx(0.35, abs=0.025)


def test_evppi_of_constant_input_is_zero(linear) -> None:
    """Learning a constant learns nothing: EVPPI = 0 exactly (definition)."""
    nb, _, _ = linear
    assert evppi(nb, np.full(nb.size, 3.0)) == 0.0
    assert evppi(nb, np.full((nb.size, 2), 3.0)) == 0.0


def test_evppi_of_irrelevant_input_is_near_zero(rng: np.random.Generator) -> None:
    """An input independent of NB has EVPPI 0 (definition); the spline's estimate must be
    below 1 % of EVPI. E[NB] is 0.1 sd from 0, the case most sensitive to a spurious slope."""
    nb = rng.normal(0.1, 1.0, 50_000)
    noise = rng.normal(size=nb.size)
    assert 0.0 <= evppi(nb, noise) < 0.01 * evpi(nb)


# --- EVPPI, a group (Gaussian process) --------------------------------------------------------


def test_evppi_of_all_inputs_of_linear_model_equals_evpi(linear) -> None:
    """Learning every input of NB is perfect information: EVPPI({X1, X2}) = EVPI on the same
    sample (definition). The Gaussian process's linear mean reproduces a linear NB exactly, so
    a relative tolerance of 1e-3 leaves room only for rounding. 10^4 draws."""
    nb, x1, x2 = (v[:10_000] for v in linear)
    assert evppi(nb, np.c_[x1, x2]) == pytest.approx(evpi(nb), rel=1e-3)


@pytest.mark.parametrize(
    ("model", "k"),
    [
        pytest.param(lambda x: 0.5 + x[:, 0] * x[:, 1], 2, id="x1*x2"),
        pytest.param(lambda x: np.exp(0.7 * x[:, 0]) * x[:, 1] - 0.3 + x[:, 2], 3, id="exp"),
    ],
)
def test_evppi_of_all_inputs_of_nonlinear_model_equals_evpi(
    rng: np.random.Generator, model, k: int
) -> None:
    """EVPPI of all of a nonlinear NB's inputs = EVPI on the same sample (definition). NB is an
    exact smooth function of the group, so only the Gaussian process's fit error separates
    them: measured below 0.1 %; tolerance 1 % relative. 5000 draws."""
    x = rng.normal(size=(5_000, k))
    nb = model(x)
    assert evppi(nb, x) == pytest.approx(evpi(nb), rel=0.01)


def test_evppi_of_group_with_small_remainder_matches_true_conditional_mean(
    rng: np.random.Generator,
) -> None:
    """NB = 0.5 + X1 X2 + 0.2 X3: E[NB | X1, X2] = 0.5 + X1 X2 (definition), so the estimate
    must match the same-sample value computed with that true conditional mean. X3 adds noise of
    sd 0.2 (4 % of NB's variance). Over 20 seeds the relative error had mean +0.4 % (the
    regression's upward bias), sd 0.7 % and largest 2.7 %; tolerance 3 % relative. 5000
    draws."""
    x = rng.normal(size=(5_000, 3))
    nb = 0.5 + x[:, 0] * x[:, 1] + 0.2 * x[:, 2]
    oracle = _oracle(0.5 + x[:, 0] * x[:, 1])
    estimate = evppi(nb, x[:, :2])
    assert estimate == pytest.approx(oracle, rel=0.03)
    assert estimate < evpi(nb)


def test_evppi_of_irrelevant_group_is_near_zero(rng: np.random.Generator) -> None:
    """A group of three inputs independent of NB has EVPPI 0 (definition); the Gaussian
    process's estimate must be below 2 % of EVPI (measured up to 0.4 % over 5 seeds). E[NB]
    is 0.1 sd from 0."""
    nb = rng.normal(0.1, 1.0, 5_000)
    noise = rng.normal(size=(nb.size, 3))
    assert 0.0 <= evppi(nb, noise) < 0.02 * evpi(nb)


def test_evppi_between_zero_and_evpi(rng: np.random.Generator) -> None:
    """0 <= EVPPI <= EVPI (Jensen's inequality: E[max(E[NB|X], 0)] <= E[max(NB, 0)], and
    >= max(E[NB], 0)), for single inputs and groups of a nonlinear model. The lower bound holds
    exactly by construction; the upper within 2 % for the regression's upward bias."""
    x = rng.normal(size=(5_000, 4))
    nb = 0.3 + np.exp(0.5 * x[:, 0]) * x[:, 1] - 1.0 + 0.5 * x[:, 2] + 0.3 * x[:, 3] ** 2
    total = evpi(nb)
    values = [evppi(nb, x[:, j]) for j in range(4)]
    values += [evppi(nb, x[:, [0, 1]]), evppi(nb, x)]
    for value in values:
        assert 0.0 <= value <= 1.02 * total
    # Learning more cannot be worth less: the group of all is close to EVPI.
    assert values[-1] == pytest.approx(total, rel=0.02)


# --- several outputs, determinism, types ------------------------------------------------------


@pytest.mark.parametrize("method", ["spline", "gp"])
def test_columns_equal_column_by_column(rng: np.random.Generator, method: str) -> None:
    """nb with one column per output (total, kommune, stat) gives what each column gives on
    its own (each column has its own regression); agreement to 1e-10 relative, rounding."""
    x = rng.normal(size=(3_000, 2))
    kommune = 100.0 * x[:, 0] + 50.0 * x[:, 0] * x[:, 1] - 20.0
    stat = 80.0 * x[:, 1] + 30.0 * rng.normal(size=x.shape[0]) + 10.0
    nb = np.column_stack([kommune + stat, kommune, stat])
    group = x[:, 0] if method == "spline" else x
    together = evppi(nb, group, method)
    assert isinstance(together, np.ndarray) and together.shape == (3,)
    one_by_one = [evppi(nb[:, j], group, method) for j in range(3)]
    np.testing.assert_allclose(together, one_by_one, rtol=1e-10)
    np.testing.assert_allclose(evpi(nb), [evpi(nb[:, j]) for j in range(3)], rtol=1e-12)
    np.testing.assert_allclose(evpi_se(nb), [evpi_se(nb[:, j]) for j in range(3)], rtol=1e-12)


def test_results_are_deterministic(rng: np.random.Generator) -> None:
    """The same inputs and seed give the same numbers, bit for bit; a 1-d nb gives floats."""
    x = rng.normal(size=(2_000, 2))
    nb = x[:, 0] * x[:, 1] + 0.2 * x[:, 0]
    first = evppi(nb, x, seed=7)
    assert isinstance(first, float)
    assert evppi(nb, x, seed=7) == first
    assert evppi(nb, x[:, 0]) == evppi(nb, x[:, 0])
    assert isinstance(evpi(nb), float) and isinstance(evpi_se(nb), float)


# --- bad arguments ----------------------------------------------------------------------------


NB = np.linspace(-1.0, 1.0, 50)
X = np.linspace(0.0, 1.0, 50)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"nb": NB, "x": X[:40]}, "x"),
        ({"nb": np.r_[NB[:-1], np.nan], "x": X}, "nb"),
        ({"nb": NB, "x": np.r_[X[:-1], np.nan]}, "x"),
        ({"nb": NB, "x": np.r_[X[:-1], np.inf]}, "x"),
        ({"nb": NB.reshape(5, 5, 2), "x": X}, "nb"),
        ({"nb": NB, "x": X.reshape(5, 5, 2)}, "x"),
        ({"nb": NB[:1], "x": X[:1]}, "nb"),
        ({"nb": ["a"] * 50, "x": X}, "nb"),
        ({"nb": NB, "x": X, "method": "gam"}, "method"),
        ({"nb": NB, "x": np.c_[X, X**2], "method": "spline"}, "method"),
        ({"nb": NB[:4], "x": np.c_[X, X**2][:4]}, "x"),
        ({"nb": NB, "x": X, "seed": -1}, "seed"),
        ({"nb": NB, "x": X, "seed": 1.5}, "seed"),
        ({"nb": NB, "x": X, "max_fit": 5}, "max_fit"),
        ({"nb": NB, "x": X, "max_inducing": True}, "max_inducing"),
    ],
)
def test_bad_arguments_raise_input_error(kwargs: dict, field: str) -> None:
    """Each bad argument is an InputError naming the argument (som_mc.errors)."""
    with pytest.raises(InputError) as excinfo:
        evppi(**kwargs)
    assert excinfo.value.field == field


@pytest.mark.parametrize("nb", [np.r_[NB[:-1], np.nan], NB[:1], NB.reshape(5, 5, 2)])
def test_evpi_bad_arguments_raise_input_error(nb: np.ndarray) -> None:
    """NaN, a single draw or a 3-d array is an InputError on ``nb`` (som_mc.errors)."""
    for function in (evpi, evpi_se):
        with pytest.raises(InputError) as excinfo:
            function(nb)
        assert excinfo.value.field == "nb"


def test_methods_are_listed() -> None:
    """The methods the error message offers are exactly METHODS, and evppi accepts each of them
    with the right value. NB = 2 X - 1 is an exact function of X, so learning X is perfect
    information and EVPPI(X) = EVPI (definition); by hand, on the 50 draws NB = -1 + 2 i / 49
    the opportunity loss is |NB| on the 25 negative ones, so EVPI = (25 - 600 / 49) / 50 =
    25 / 98. The spline and the Gaussian process (linear mean) both reproduce a linear NB, so
    1e-8 relative leaves room for rounding only (measured: 6e-11, from the spline's tiny
    ridge). "auto" is the spline for one input and the Gaussian process for several (evppi's
    docstring): equal results, bit for bit."""
    with pytest.raises(InputError) as excinfo:
        evppi(NB, X, "gam")
    assert excinfo.value.field == "method"
    offered = excinfo.value.message.split("use one of ", 1)[1]
    assert tuple(offered.split(", ")) == METHODS
    assert evpi(NB) == pytest.approx(25 / 98, rel=1e-12)
    for method in METHODS:
        value = evppi(NB, X, method)
        assert isinstance(value, float), method
        assert value == pytest.approx(25 / 98, rel=1e-8), method
    assert evppi(NB, X, "auto") == evppi(NB, X, "spline")
    pair = np.c_[X, X**2]
    assert evppi(NB, pair, "auto") == evppi(NB, pair, "gp")
