"""Tests for som_mc.inputs.distributions.

The core is a table (in the manner of PreliZ's ``test_scipy.py``): each TOML spec is paired with
a scipy.stats frozen distribution built here, independently, from the analytic
parameterisation. som_mc computes its quantiles with closed forms and scipy.special, never via
scipy.stats, so agreement is a real check.
"""

from __future__ import annotations

import doctest
import math

import numpy as np
import pytest
from scipy import stats

from som_mc import distributions
from som_mc.errors import InputError
from som_mc.inputs.distributions import (
    FAMILIES,
    PERT,
    Beta,
    Distribution,
    Fixed,
    Gamma,
    LogNormal,
    Normal,
    Triangular,
    TruncNormal,
    Uniform,
    from_spec,
)

Z975 = stats.norm.ppf(0.975)
Q = np.concatenate([[1e-6], np.linspace(0.001, 0.999, 199), [1.0 - 1e-6]])


def _pert(lo, mode, hi, lam=4.0):
    """Beta-PERT as in Vose (2008), Risk Analysis, 3rd ed., sec. 9.1.4."""
    width = hi - lo
    a = 1.0 + lam * (mode - lo) / width
    b = 1.0 + lam * (hi - mode) / width
    return stats.beta(a, b, loc=lo, scale=width)


def _lognorm_from_mean_sd(m, s):
    """Moment matching: E = exp(mu + sigma^2/2), Var = (exp(sigma^2) - 1) E^2."""
    sigma2 = np.log(1.0 + (s / m) ** 2)
    mu = np.log(m) - sigma2 / 2.0
    return stats.lognorm(s=np.sqrt(sigma2), scale=np.exp(mu))


def _lognorm_from_ci95(lo, hi):
    mu = (np.log(lo) + np.log(hi)) / 2.0
    sigma = (np.log(hi) - np.log(lo)) / (2.0 * Z975)
    return stats.lognorm(s=sigma, scale=np.exp(mu))


def _truncnorm(mean, sd, lo=-np.inf, hi=np.inf):
    return stats.truncnorm((lo - mean) / sd, (hi - mean) / sd, loc=mean, scale=sd)


def _beta_from_mean_sd(m, s):
    """Method of moments: alpha + beta = m(1 - m)/s^2 - 1."""
    nu = m * (1.0 - m) / s**2 - 1.0
    return stats.beta(m * nu, (1.0 - m) * nu)


# Parameters are chosen so that no quantile in Q lies near zero, where a relative tolerance
# would measure rounding of a difference rather than the quantile function.
CASES = [
    pytest.param({"dist": "uniform", "min": 2, "max": 5}, stats.uniform(2, 3), id="uniform"),
    pytest.param(
        {"dist": "triangular", "min": 1, "mode": 3, "max": 7},
        stats.triang((3 - 1) / 6, loc=1, scale=6),
        id="triangular",
    ),
    pytest.param(
        {"dist": "triangular", "min": 1, "mode": 1, "max": 7},
        stats.triang(0.0, loc=1, scale=6),
        id="triangular-mode-at-min",
    ),
    pytest.param(
        {"dist": "triangular", "min": 1, "mode": 7, "max": 7},
        stats.triang(1.0, loc=1, scale=6),
        id="triangular-mode-at-max",
    ),
    pytest.param(
        {"dist": "pert", "min": 0.05, "mode": 0.14, "max": 0.25},
        _pert(0.05, 0.14, 0.25),
        id="pert",
    ),
    pytest.param(
        {"dist": "pert", "min": 100, "mode": 180, "max": 400, "lambda": 2.5},
        _pert(100, 180, 400, lam=2.5),
        id="pert-lambda",
    ),
    pytest.param({"dist": "normal", "mean": 10, "sd": 2}, stats.norm(10, 2), id="normal-mean-sd"),
    pytest.param(
        {"dist": "normal", "ci95": [8, 14]},
        stats.norm(11, 6 / (2 * Z975)),
        id="normal-ci95",
    ),
    pytest.param(
        {"dist": "truncnormal", "mean": 0, "sd": 1, "min": 2, "max": 6},
        _truncnorm(0, 1, 2, 6),
        id="truncnormal-tail-2-6sd",
    ),
    pytest.param(
        {"dist": "truncnormal", "mean": 0, "sd": 1, "min": -6, "max": -2},
        _truncnorm(0, 1, -6, -2),
        id="truncnormal-left-tail",
    ),
    pytest.param(
        {"dist": "truncnormal", "mean": 0, "sd": 1, "min": 8, "max": 12},
        _truncnorm(0, 1, 8, 12),
        id="truncnormal-tail-8-12sd",
    ),
    pytest.param(
        {"dist": "truncnormal", "mean": 5, "sd": 2, "min": 1, "max": 13},
        _truncnorm(5, 2, 1, 13),
        id="truncnormal-straddling",
    ),
    pytest.param(
        {"dist": "truncnormal", "mean": 5, "sd": 2, "min": 0.5},
        _truncnorm(5, 2, lo=0.5),
        id="truncnormal-min-only",
    ),
    pytest.param(
        {"dist": "truncnormal", "mean": 50, "sd": 2, "max": 53},
        _truncnorm(50, 2, hi=53),
        id="truncnormal-max-only",
    ),
    pytest.param(
        {"dist": "lognormal", "mean": 120_000, "sd": 30_000},
        _lognorm_from_mean_sd(120_000, 30_000),
        id="lognormal-mean-sd",
    ),
    pytest.param(
        {"dist": "lognormal", "ci95": [80_000, 140_000]},
        _lognorm_from_ci95(80_000, 140_000),
        id="lognormal-ci95",
    ),
    pytest.param(
        {"dist": "lognormal", "mu": 0.5, "sigma": 0.8},
        stats.lognorm(s=0.8, scale=np.exp(0.5)),
        id="lognormal-mu-sigma",
    ),
    pytest.param(
        {"dist": "gamma", "shape": 2.5, "scale": 3},
        stats.gamma(2.5, scale=3),
        id="gamma-shape-scale",
    ),
    pytest.param(
        {"dist": "gamma", "shape": 0.3, "scale": 2},
        stats.gamma(0.3, scale=2),
        id="gamma-small-shape",
    ),
    pytest.param(
        {"dist": "gamma", "mean": 12, "sd": 5},
        stats.gamma((12 / 5) ** 2, scale=5**2 / 12),
        id="gamma-mean-sd",
    ),
    pytest.param({"dist": "beta", "alpha": 2, "beta": 5}, stats.beta(2, 5), id="beta-alpha-beta"),
    pytest.param(
        {"dist": "beta", "mean": 0.3, "sd": 0.1},
        _beta_from_mean_sd(0.3, 0.1),
        id="beta-mean-sd",
    ),
    pytest.param({"dist": "beta", "k": 12, "n": 40}, stats.beta(13, 29), id="beta-k-n-uniform"),
    pytest.param(
        {"dist": "beta", "k": 12, "n": 40, "prior": "uniform"},
        stats.beta(13, 29),
        id="beta-k-n-uniform-explicit",
    ),
    pytest.param(
        {"dist": "beta", "k": 12, "n": 40, "prior": "jeffreys"},
        stats.beta(12.5, 28.5),
        id="beta-k-n-jeffreys",
    ),
    pytest.param({"dist": "beta", "k": 0, "n": 10}, stats.beta(1, 11), id="beta-k-zero"),
]


@pytest.mark.parametrize(("spec", "ref"), CASES)
def test_ppf_matches_scipy(spec, ref):
    """ppf agrees with scipy.stats at 201 quantiles (rtol 1e-9) and at the support ends.

    Reference: the scipy.stats frozen distribution in CASES, built from the analytic
    parameterisation (PERT: Vose 2008; k/n: Gelman et al. BDA3 ch. 2; moment formulas as in
    the helpers above).
    """
    d = from_spec(spec, "x")
    np.testing.assert_allclose(d.ppf(Q), ref.ppf(Q), rtol=1e-9, atol=0)
    lo, hi = ref.support()
    assert d.ppf(0.0) == lo
    assert d.ppf(1.0) == hi
    assert d.support() == (lo, hi)


@pytest.mark.parametrize(("spec", "ref"), CASES)
def test_moments_match_scipy(spec, ref):
    """Closed-form mean and var agree with scipy.stats (rtol 1e-10); central() is the mean."""
    d = from_spec(spec, "x")
    np.testing.assert_allclose(d.mean(), ref.mean(), rtol=1e-10)
    np.testing.assert_allclose(d.var(), ref.var(), rtol=1e-10)
    assert d.central() == d.mean()
    assert not d.is_fixed


@pytest.mark.parametrize(("spec", "ref"), CASES)
def test_rvs_mean_within_four_standard_errors(spec, ref):
    """A seeded sample's mean is within 4 standard errors of mean(); rvs is ppf of uniforms.

    Reference: the central limit theorem (standard error sqrt(var / n)).
    """
    d = from_spec(spec, "x")
    n = 20_000
    x = d.rvs(n, np.random.default_rng(20240601))
    assert x.shape == (n,)
    assert abs(x.mean() - d.mean()) < 4.0 * math.sqrt(d.var() / n)
    u = np.random.default_rng(20240601).random(n)
    np.testing.assert_array_equal(x, d.ppf(u))


@pytest.mark.parametrize(("spec", "ref"), CASES)
def test_params_round_trip(spec, ref):
    """params() are TOML keys: feeding them back to from_spec gives an equal distribution."""
    d = from_spec(spec, "x")
    again = from_spec({"dist": d.family, **d.params()}, "x")
    assert again == d
    assert FAMILIES[d.family] is type(d)


@pytest.mark.parametrize(
    ("family", "lo", "hi"),
    [
        ("gamma", 1.0, 2.0),
        ("gamma", 0.001, 1000.0),
        ("gamma", 5.0, 500_000.0),
        ("gamma", 100.0, 101.0),
        ("gamma", 80_000.0, 140_000.0),
        ("beta", 0.1, 0.3),
        ("beta", 0.01, 0.05),
        ("beta", 0.6, 0.95),
        ("beta", 0.001, 0.9),
        ("beta", 0.2, 0.8),
        ("beta", 0.49, 0.51),
        ("beta", 1e-6, 1e-3),
    ],
)
def test_ci95_solvers_hit_the_interval(family, lo, hi):
    """Gamma and beta from ci95: the 2.5 % and 97.5 % quantiles are lo and hi (rtol 1e-6).

    Reference: scipy.stats.gamma / scipy.stats.beta with the solved parameters, as well as
    the module's own ppf.
    """
    d = from_spec({"dist": family, "ci95": [lo, hi]}, "x")
    if family == "gamma":
        ref = stats.gamma(d.shape, scale=d.scale)
    else:
        ref = stats.beta(d.alpha, d.beta)
    np.testing.assert_allclose(ref.ppf([0.025, 0.975]), [lo, hi], rtol=1e-6)
    np.testing.assert_allclose(d.ppf([0.025, 0.975]), [lo, hi], rtol=1e-6)


@pytest.mark.parametrize("cls", [Normal, LogNormal])
def test_closed_form_ci95_hits_the_interval(cls):
    """Normal and log-normal from ci95 reproduce the interval (rtol 1e-12), by construction."""
    d = cls.from_ci95(3.0, 7.0)
    np.testing.assert_allclose(d.ppf([0.025, 0.975]), [3.0, 7.0], rtol=1e-12)


def test_truncnormal_far_in_the_tail():
    """A truncation at [30, 40] sd stays finite, monotone and inside its bounds.

    Reference: scipy.stats.truncnorm, which also works in log space there (rtol 1e-9). The
    variance is not compared: 1 + a r - r^2 cancels about three digits at a = 30.
    """
    d = TruncNormal(0.0, 1.0, 30.0, 40.0)
    x = d.ppf(Q)
    assert np.all(np.isfinite(x))
    assert np.all(np.diff(x) > 0)
    assert np.all((x >= 30.0) & (x <= 40.0))
    np.testing.assert_allclose(x, stats.truncnorm(30, 40).ppf(Q), rtol=1e-9)
    np.testing.assert_allclose(d.mean(), stats.truncnorm(30, 40).mean(), rtol=1e-10)


def test_classmethod_constructors_match_from_spec():
    """The Python constructors give the same objects as the TOML forms."""
    assert Normal.from_ci95(8, 14) == from_spec({"dist": "normal", "ci95": [8, 14]}, "x")
    assert Normal.from_mean_sd(10, 2) == Normal(10, 2)
    assert Beta.from_successes(12, 40) == Beta(13, 29)
    assert Beta.from_successes(12, 40, prior="jeffreys") == Beta(12.5, 28.5)
    assert Beta.from_mean_sd(0.3, 0.1) == from_spec({"dist": "beta", "mean": 0.3, "sd": 0.1}, "x")
    assert LogNormal.from_mean_sd(3, 1) == from_spec({"dist": "lognormal", "mean": 3, "sd": 1}, "x")
    assert Gamma.from_mean_sd(12, 5) == from_spec({"dist": "gamma", "mean": 12, "sd": 5}, "x")
    assert Gamma.from_ci95(1, 2) == from_spec({"dist": "gamma", "ci95": [1, 2]}, "x")
    assert Beta.from_ci95(0.1, 0.3) == from_spec({"dist": "beta", "ci95": [0.1, 0.3]}, "x")
    np.testing.assert_allclose(LogNormal.from_mean_sd(3, 1).mean(), 3.0, rtol=1e-14)
    np.testing.assert_allclose(LogNormal.from_mean_sd(3, 1).sd(), 1.0, rtol=1e-14)


@pytest.mark.parametrize("spec", [3.5, 7, np.float64(3.5), {"dist": "fixed", "value": 3.5}])
def test_fixed_behaves(spec):
    """A plain number or dist = "fixed" is a point mass: ppf constant, var 0, draws constant."""
    d = from_spec(spec, "price")
    value = float(spec["value"] if isinstance(spec, dict) else spec)
    assert isinstance(d, Fixed)
    assert d.is_fixed
    np.testing.assert_array_equal(d.ppf([0.0, 1e-9, 0.5, 1.0]), value)
    assert d.mean() == d.central() == value
    assert d.var() == 0.0
    assert d.support() == (value, value)
    rng = np.random.default_rng(1)
    np.testing.assert_array_equal(d.rvs((4, 3), rng), np.full((4, 3), value))
    # Fixed consumes its uniforms too, so the stream seen by later inputs does not shift.
    after = np.random.default_rng(1)
    after.random((4, 3))
    assert rng.random() == after.random()


def test_ppf_broadcasts_and_rejects_out_of_range():
    """ppf keeps the shape of q, gives a 0-d result for a scalar and NaN outside [0, 1]."""
    d = PERT(0.0, 1.0, 3.0)
    assert d.ppf(np.full((3, 1, 2), 0.5)).shape == (3, 1, 2)
    assert np.ndim(d.ppf(0.5)) == 0
    assert np.isnan(d.ppf([-0.1, 1.1])).all()


def test_meta_keys_are_ignored():
    """name, preset, source, note and illustrative belong to the case loader."""
    spec = {
        "dist": "pert",
        "min": 0.05,
        "mode": 0.14,
        "max": 0.25,
        "name": "success rate",
        "preset": "cti",
        "source": "Rambøll 2019",
        "note": "expert judgement",
        "illustrative": True,
    }
    assert from_spec(spec, "x") == PERT(0.05, 0.14, 0.25)


def test_describe():
    """describe() is short text naming the family and its canonical parameters."""
    assert PERT(0.05, 0.14, 0.25).describe() == "PERT(min=0.05, mode=0.14, max=0.25)"
    assert PERT(0, 1, 2, lam=2).describe() == "PERT(min=0, mode=1, max=2, lambda=2)"
    assert Normal(10, 2).describe() == "Normal(mean=10, sd=2)"
    assert TruncNormal(0, 1, min=0).describe() == "TruncNormal(mean=0, sd=1, min=0)"
    assert Uniform(1, 2).describe() == "Uniform(min=1, max=2)"
    assert Triangular(1, 2, 4).describe() == "Triangular(min=1, mode=2, max=4)"
    assert Fixed(3).describe() == "Fixed(value=3)"
    assert Beta(4, 8).describe() == "Beta(alpha=4, beta=8)"


def test_families_and_passthrough():
    """FAMILIES lists every family by its TOML name; a Distribution passes through from_spec."""
    assert list(FAMILIES) == [
        "fixed",
        "uniform",
        "triangular",
        "pert",
        "normal",
        "truncnormal",
        "lognormal",
        "gamma",
        "beta",
    ]
    assert all(issubclass(cls, Distribution) for cls in FAMILIES.values())
    d = Gamma(2, 3)
    assert from_spec(d, "x") is d


def test_docstring_examples_run():
    """The examples in the module's docstrings run and print what they say."""
    result = doctest.testmod(distributions, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0


BAD_SPECS = [
    pytest.param("abc", "'abc' is not a number", id="bare-string"),
    pytest.param(True, "true is not a number", id="bare-bool"),
    pytest.param(float("nan"), "nan is not a finite number", id="bare-nan"),
    pytest.param(float("inf"), "inf is not a finite number", id="bare-inf"),
    pytest.param([1, 2], "[1, 2] is not a number", id="bare-list"),
    pytest.param({"min": 1, "max": 2}, "no dist key", id="no-dist"),
    pytest.param({"dist": "betta", "alpha": 1}, "unknown distribution 'betta'", id="bad-family"),
    pytest.param({"dist": "normal", "mean": 1}, "got keys: mean", id="normal-missing-sd"),
    pytest.param({"dist": "normal", "mean": 1, "sd": -3}, "sd is -3", id="negative-sd"),
    pytest.param({"dist": "normal", "mean": "abc", "sd": 1}, "mean 'abc'", id="string-mean"),
    pytest.param({"dist": "normal", "mean": True, "sd": 1}, "mean true", id="bool-mean"),
    pytest.param({"dist": "normal", "mean": float("nan"), "sd": 1}, "mean nan", id="nan-mean"),
    pytest.param({"dist": "uniform", "min": 10, "max": 5}, "min 10 is above max 5", id="min>max"),
    pytest.param({"dist": "uniform", "min": 5, "max": 5}, "min 5 equals max 5", id="min=max"),
    pytest.param(
        {"dist": "triangular", "min": 0, "mode": 12, "max": 10},
        "mode 12 is outside [min 0, max 10]",
        id="mode-outside",
    ),
    pytest.param(
        {"dist": "pert", "min": 0, "mdoe": 1, "max": 2}, "unknown key 'mdoe'", id="typo-key"
    ),
    pytest.param(
        {"dist": "pert", "min": 0, "mode": 1, "max": 2, "lambda": 0}, "lambda is 0", id="lambda"
    ),
    pytest.param({"dist": "truncnormal", "mean": 0, "sd": 1}, "min, max or both", id="tn-nobound"),
    pytest.param(
        {"dist": "truncnormal", "mean": 0, "sd": 1, "max": float("inf")},
        "max inf is not a finite number",
        id="tn-inf-bound",
    ),
    pytest.param({"dist": "lognormal", "mean": -2, "sd": 1}, "mean is -2", id="lognormal-mean"),
    pytest.param({"dist": "lognormal", "ci95": [0, 5]}, "ci95 [0, 5]", id="lognormal-ci95-zero"),
    pytest.param({"dist": "normal", "ci95": [5, 3]}, "ci95 [5, 3]", id="ci95-reversed"),
    pytest.param({"dist": "normal", "ci95": 5}, "got 5", id="ci95-not-a-list"),
    pytest.param({"dist": "gamma", "shape": 1, "scale": 0}, "scale is 0", id="gamma-scale"),
    pytest.param({"dist": "gamma", "ci95": [1, 1.000001]}, "ci95 [1, 1.000001]", id="gamma-ci95"),
    pytest.param({"dist": "beta", "mean": 1.4, "sd": 0.1}, "beta mean 1.4", id="beta-mean"),
    pytest.param({"dist": "beta", "mean": 0.5, "sd": 0.6}, "sd 0.6", id="beta-sd-too-large"),
    pytest.param({"dist": "beta", "k": 12, "n": 10}, "k 12 is above n 10", id="k>n"),
    pytest.param({"dist": "beta", "k": 2.5, "n": 10}, "k 2.5", id="k-not-whole"),
    pytest.param({"dist": "beta", "k": 2, "n": 10, "prior": "flat"}, "'flat'", id="bad-prior"),
    pytest.param({"dist": "beta", "ci95": [0.2, 1.2]}, "ci95 [0.2, 1.2]", id="beta-ci95-range"),
    pytest.param({"dist": "beta", "alpha": 1, "mean": 0.3}, "alpha, mean", id="mixed-forms"),
    pytest.param({"dist": "fixed", "value": "x"}, "value 'x'", id="fixed-string"),
]


@pytest.mark.parametrize(("spec", "fragment"), BAD_SPECS)
def test_bad_specs_raise_input_error(spec, fragment):
    """Each bad spec raises InputError on the given field, one line, naming the bad value."""
    with pytest.raises(InputError) as info:
        from_spec(spec, "success.rate")
    text = str(info.value)
    assert info.value.field == "success.rate"
    assert text.startswith("success.rate: ")
    assert fragment in text
    assert "\n" not in text
    assert "Traceback" not in text


def test_unknown_family_lists_allowed():
    """The message for an unknown family is exactly the documented one."""
    with pytest.raises(InputError) as info:
        from_spec({"dist": "betta"}, "success.rate")
    assert info.value.message == (
        "unknown distribution 'betta'; allowed: fixed, uniform, triangular, pert, normal, "
        "truncnormal, lognormal, gamma, beta"
    )


def test_missing_parameters_message():
    """A table with an incomplete parameterisation names what is needed and what was given."""
    with pytest.raises(InputError) as info:
        from_spec({"dist": "normal", "mean": 1}, "success.rate")
    assert info.value.message == "normal needs either mean and sd or ci95; got keys: mean"


def test_direct_constructor_errors_have_no_field():
    """Constructors called from Python raise InputError too, with an empty field: the field is
    "" and the error reads as the bare message, with no "field: " in front (the format of
    som_mc.errors.InputError.__str__, where the loader adds the field and file)."""
    with pytest.raises(InputError, match="sd is -1; it must be > 0") as info:
        Normal(0, -1)
    assert info.value.field == ""
    assert str(info.value) == info.value.message == "sd is -1; it must be > 0"
    with pytest.raises(InputError, match="k 5 is above n 3") as info:
        Beta.from_successes(5, 3)
    assert info.value.field == ""
    assert str(info.value) == info.value.message
    assert str(info.value).startswith("k 5 is above n 3")
