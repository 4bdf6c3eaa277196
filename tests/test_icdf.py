"""Compiled inverse CDFs (som_mc.model.icdf) against scipy.special and scipy.stats.

Table-driven, in the manner of PreliZ's ``test_scipy.py``: each scalar function is checked
against its scipy.special counterpart over a table of parameters and probabilities (1e-12,
1e-8, 0.01, 0.5, 0.99, 1 - 1e-8, 1 - 1e-12 and the shape corners 0.05 / 0.1 ... 1e5), and each
family's :func:`~som_mc.model.icdf.ppf_column` against the ``Distribution.ppf`` of the real
som-mc constructors, whose quantiles come from scipy.special. The contract is 1e-12 relative;
where a test allows more, its docstring gives the condition number that makes it the honest
limit. The accuracy reached is stated in each docstring (and in the module's).
"""

from __future__ import annotations

import ast
import itertools
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from scipy import optimize, special, stats

from som_mc.inputs.distributions import (
    PERT,
    Beta,
    Choice,
    Fixed,
    Gamma,
    LogNormal,
    Normal,
    Triangular,
    TruncNormal,
    Uniform,
)
from som_mc.inputs.evidence import EffectRate
from som_mc.model import icdf

EPS = float(np.finfo(float).eps)
RTOL = 1e-12
#: The probabilities of every table.
P_TABLE = (1e-12, 1e-8, 0.01, 0.5, 0.99, 1 - 1e-8, 1 - 1e-12)
BETA_SHAPES = (0.1, 0.5, 1.0, 2.0, 50.0, 1e3, 1e5)
GAMMA_SHAPES = (0.05, 0.1, 0.5, 1.0, 2.0, 10.0, 50.0, 1e3, 1e5)
BETA_PAIRS = list(itertools.product(BETA_SHAPES, BETA_SHAPES))


def _rel(got: float, want: float) -> float:
    return abs(got - want) / abs(want) if want != 0 else abs(got)


# --- the standard normal --------------------------------------------------------------------


@pytest.mark.parametrize(
    "p", [1e-300, *P_TABLE[:3], 0.075, 0.3, 0.5 + 1e-9, 0.7, 0.925, *P_TABLE[4:]]
)
def test_ndtri_against_scipy(p: float) -> None:
    """ndtri (AS241) against scipy.special.ndtri (cephes): reached 5e-16 relative, 1e-15 on
    random p; asserted 1e-12."""
    assert _rel(icdf.ndtri(p), float(special.ndtri(p))) <= RTOL


def test_ndtri_ends_and_outside() -> None:
    """ndtri's ends as scipy.special.ndtri: -inf at 0, inf at 1, NaN outside [0, 1]."""
    assert icdf.ndtri(0.0) == -math.inf and icdf.ndtri(1.0) == math.inf
    assert math.isnan(icdf.ndtri(-0.1)) and math.isnan(icdf.ndtri(1.5))
    assert math.isnan(icdf.ndtri(math.nan)) and icdf.ndtri(0.5) == 0.0


X_NORMAL = (-37.0, -35.0, -20.5, -20.0, -19.5, -8.0, -1.0, -0.5, 0.0, 1e-10, 0.3, 1.0, 8.0, 37.0)


@pytest.mark.parametrize("x", X_NORMAL)
def test_ndtr_against_scipy(x: float) -> None:
    """ndtr against scipy.special.ndtr: the same formula (erf / erfc of x / sqrt 2); reached
    1e-16 near 0 and 6e-14 at x = -35, where cephes' erfc (scipy's) carries that error and
    libm's does not; asserted 1e-12."""
    assert _rel(icdf.ndtr(x), float(special.ndtr(x))) <= RTOL


@pytest.mark.parametrize("x", [-1e4, -1e3, -100.0, -38.0, *X_NORMAL, 30.0])
def test_log_ndtr_against_scipy(x: float) -> None:
    """log_ndtr against scipy.special.log_ndtr: reached 6e-14 (the same erfc difference as
    ndtr, at x = +-35), 1e-16 from the asymptotic series below -20; asserted 1e-12."""
    assert _rel(icdf.log_ndtr(x), float(special.log_ndtr(x))) <= RTOL


@pytest.mark.parametrize(
    "y", [-1e4, -1e3, -700.0, -50.0, -36.0, -2.6, -2.0, -1.0, math.log(0.5), -0.1, -1e-10]
)
def test_ndtri_exp_against_scipy(y: float) -> None:
    """ndtri_exp against scipy.special.ndtri_exp: reached 2e-16 to y = -1000 and 2e-14 at
    y = -1e4, where scipy's rational approximation is the less accurate one (against
    mpmath, ours is 3e-17 off there); asserted 1e-12. Also the inverse of log_ndtr."""
    z = icdf.ndtri_exp(y)
    assert _rel(z, float(special.ndtri_exp(y))) <= RTOL
    assert _rel(icdf.log_ndtr(z), y) <= 1e-14


# --- regularized incomplete beta ------------------------------------------------------------


def _beta_kappa(a: float, b: float, x: float) -> float:
    """Condition number x I'(x) / I(x) of the beta CDF, from scipy.stats.beta."""
    return x * math.exp(stats.beta.logpdf(x, a, b) - stats.beta.logcdf(x, a, b))


@pytest.mark.parametrize(("a", "b"), BETA_PAIRS)
def test_betainc_against_scipy(a: float, b: float) -> None:
    """betainc against scipy.special.betainc (Boost) at the table's quantiles, from
    scipy.special.betaincinv. The tolerance is max(1e-12, 4 eps kappa), kappa = x I'(x) / I
    (scipy.stats.beta): half an ulp of x moves I by eps kappa / 2, and kappa reaches 3e3 in
    the 1e-12 tail of Beta(1e5, 1e5), so neither implementation can be closer there. Reached:
    1.8e-13 (that corner), 4e-14 elsewhere."""
    for p in P_TABLE:
        x = float(special.betaincinv(a, b, p))
        want = float(special.betainc(a, b, x))
        tol = max(RTOL, 4 * EPS * _beta_kappa(a, b, x))
        assert _rel(icdf.betainc(a, b, x), want) <= tol, (a, b, p)


@pytest.mark.parametrize(("a", "b"), BETA_PAIRS)
def test_betaincinv_against_scipy(a: float, b: float) -> None:
    """betaincinv against scipy.special.betaincinv (Boost ibeta_inv) over the table: shapes
    0.1 ... 1e5 and p from 1e-12 to 1 - 1e-12. Reached 2.3e-14 (Beta(1e3, 1e5) at
    1 - 1e-12); asserted 1e-12."""
    for p in P_TABLE:
        assert _rel(icdf.betaincinv(a, b, p), float(special.betaincinv(a, b, p))) <= RTOL, p


def test_betaincinv_random_shapes_against_scipy() -> None:
    """betaincinv against scipy.special.betaincinv for 3000 seeded draws of shapes,
    log-uniform on [0.1, 1e5], and p with log p or log(1 - p) uniform on [-28, 0]. Reached
    6e-13 for two shapes above 1e4 in the tails, where it is scipy's inverse that is off
    (the exact CDF, by mpmath quadrature, is 5e-10 from p at scipy's root, 4e-14 at ours);
    asserted 1e-12."""
    rng = np.random.default_rng(1)
    n = 3000
    a, b = np.exp(rng.uniform(math.log(0.1), math.log(1e5), (2, n)))
    lp = rng.uniform(-28.0, 0.0, n)
    p = np.where(rng.random(n) < 0.5, np.exp(lp), -np.expm1(lp))
    want = special.betaincinv(a, b, p)
    got = np.array([icdf.betaincinv(*v) for v in zip(a, b, p, strict=True)])
    assert np.max(np.abs(got - want) / want) <= RTOL


def _binomial_beta(a: int, b: int, x: float, upper: bool) -> float:
    """I_x(a, b) (``upper`` False) or 1 - I_x(a, b) for whole a, b, as binomial tails:
    1 - I_x(a, b) = P(Binomial(a + b - 1, x) < a) (Abramowitz & Stegun 26.5.24), the first
    term from the exact binomial coefficient and the next by the ratio of neighbours, summed
    with math.fsum."""
    n = a + b - 1
    j = 0 if upper else a
    t = math.exp(math.log(math.comb(n, j)) + j * math.log(x) + (n - j) * math.log1p(-x))
    terms = [t]
    ratio = x / (1.0 - x)
    while j < (a - 1 if upper else n):
        t *= (n - j) / (j + 1) * ratio
        j += 1
        terms.append(t)
        if not upper and j > n * x and t <= 1e-20 * terms[0]:
            break  # past the binomial's mode the terms fall geometrically
    return math.fsum(terms)


@pytest.mark.parametrize(("a", "b"), [(1, 100_000), (2, 100_000), (5, 100_000), (3, 40)])
def test_betaincinv_against_the_binomial_closed_form(a: int, b: int) -> None:
    """Whole shapes, one of them 1e5: the root of the binomial closed form (A&S 26.5.24; the
    tail that holds the target, so it keeps its relative precision) by scipy.optimize.brentq
    (rtol 4 eps). Reached 3e-15; asserted 1e-12. Here scipy's own betaincinv is 1.5e-12 off
    at Beta(2, 1e5) and Beta(5, 1e5), p = 0.7 (checked with mpmath), so the closed form, not
    scipy, is the reference (ours is 3e-15 from it)."""
    for p in (*P_TABLE, 0.3, 0.7):
        upper = p > 0.5
        target = 1.0 - p if upper else p

        def excess(x: float, upper: bool = upper, target: float = target) -> float:
            return _binomial_beta(a, b, x, upper) - target

        near = float(special.betaincinv(a, b, p))  # a bracket only: 1e-6 is ample
        root = optimize.brentq(
            excess, near * (1 - 1e-6), near * (1 + 1e-6), xtol=1e-300, rtol=4 * EPS
        )
        assert _rel(icdf.betaincinv(float(a), float(b), p), root) <= RTOL, p


@pytest.mark.parametrize(("a", "b"), [(1.0, 5.0), (5.0, 1.0), (3.0, 3.0), (1.0, 1.0)])
def test_betaincinv_at_the_pert_corners(a: float, b: float) -> None:
    """PERT's beta shapes with the mode at min (1, 5), at max (5, 1), in the middle (3, 3), and
    the uniform (1, 1), against scipy.special.betaincinv and the closed forms
    1 - (1 - p)^(1/5) and p^(1/5). Reached 2e-16; asserted 1e-12."""
    for p in P_TABLE:
        assert _rel(icdf.betaincinv(a, b, p), float(special.betaincinv(a, b, p))) <= RTOL
        if (a, b) == (1.0, 5.0):
            assert _rel(icdf.betaincinv(a, b, p), -math.expm1(math.log1p(-p) / 5)) <= RTOL
        if (a, b) == (5.0, 1.0):
            assert _rel(icdf.betaincinv(a, b, p), p**0.2) <= RTOL


def test_beta_ends_and_bad_arguments() -> None:
    """Ends and invalid arguments as scipy.special: betainc 0 at 0 and 1 at 1, betaincinv 0 at
    0 and 1 at 1, NaN for a shape <= 0 or an argument outside [0, 1]."""
    assert icdf.betainc(2.0, 3.0, 0.0) == 0.0 and icdf.betainc(2.0, 3.0, 1.0) == 1.0
    assert icdf.betaincinv(2.0, 3.0, 0.0) == 0.0 and icdf.betaincinv(2.0, 3.0, 1.0) == 1.0
    for bad in (icdf.betainc(0.0, 1.0, 0.5), icdf.betainc(1.0, 1.0, 1.5)):
        assert math.isnan(bad)
    for bad in (icdf.betaincinv(-1.0, 1.0, 0.5), icdf.betaincinv(1.0, 1.0, -0.5)):
        assert math.isnan(bad)


# --- regularized incomplete gamma -----------------------------------------------------------


@pytest.mark.parametrize("a", GAMMA_SHAPES)
def test_gammainc_against_scipy(a: float) -> None:
    """gammainc against scipy.special.gammainc at the table's quantiles (from
    scipy.special.gammaincinv), tolerance max(1e-12, 4 eps kappa) with kappa = x f(x) / P(x)
    from scipy.stats.gamma (the CDF's condition number in x). Reached 3e-14 (shape 50,
    p = 1e-12)."""
    for p in P_TABLE:
        x = float(special.gammaincinv(a, p))
        want = float(special.gammainc(a, x))
        kappa = x * math.exp(stats.gamma.logpdf(x, a) - stats.gamma.logcdf(x, a))
        assert _rel(icdf.gammainc(a, x), want) <= max(RTOL, 4 * EPS * kappa), p


@pytest.mark.parametrize("a", GAMMA_SHAPES)
def test_gammaincinv_against_scipy(a: float) -> None:
    """gammaincinv against scipy.special.gammaincinv over the table: shapes 0.05 ... 1e5, p
    from 1e-12 to 1 - 1e-12. Reached 2.4e-14 (shape 0.05, p = 1e-12, where the root is
    6e-241 and the 1 / shape = 20 conditioning of x = (p Gamma(a + 1))^(1 / a) multiplies
    the CDF's rounding); asserted 1e-12."""
    for p in P_TABLE:
        assert _rel(icdf.gammaincinv(a, p), float(special.gammaincinv(a, p))) <= RTOL, p


def test_gammaincinv_random_shapes_against_scipy() -> None:
    """gammaincinv against scipy.special.gammaincinv for 3000 seeded draws of the shape,
    log-uniform on [0.05, 1e5], and p with log p or log(1 - p) uniform on [-28, 0]. Reached
    9e-14; asserted 1e-12."""
    rng = np.random.default_rng(2)
    n = 3000
    a = np.exp(rng.uniform(math.log(0.05), math.log(1e5), n))
    lp = rng.uniform(-28.0, 0.0, n)
    p = np.where(rng.random(n) < 0.5, np.exp(lp), -np.expm1(lp))
    want = special.gammaincinv(a, p)
    got = np.array([icdf.gammaincinv(*v) for v in zip(a, p, strict=True)])
    assert np.max(np.abs(got - want) / want) <= RTOL


def test_gamma_ends_and_bad_arguments() -> None:
    """Ends as scipy.special: gammainc(a, 0) = 0, gammainc(a, inf) = 1, gammaincinv 0 at 0
    and inf at 1; NaN for a shape <= 0 or p outside [0, 1]."""
    assert icdf.gammainc(2.0, 0.0) == 0.0 and icdf.gammainc(2.0, math.inf) == 1.0
    assert icdf.gammaincinv(2.0, 0.0) == 0.0 and icdf.gammaincinv(2.0, 1.0) == math.inf
    assert math.isnan(icdf.gammainc(0.0, 1.0)) and math.isnan(icdf.gammaincinv(1.0, 2.0))


# --- the families, through pack and ppf_column ----------------------------------------------

Q = np.concatenate(
    [
        [1e-12, 1e-8, 1e-4, 0.01, 0.25, 0.5, 0.5 + 1e-9, 0.75, 0.99, 1 - 1e-8, 1 - 1e-12],
        np.random.default_rng(3).random(400),
    ]
)

#: The effect specs of tests/test_evidence.py, with an se for a ci95.
SPEC_EFFECTS = {
    "or-adverse": dict(
        measure="odds_ratio", estimate=0.22, se=0.7, baseline=0.6, outcome="adverse"
    ),
    "or-desirable": dict(
        measure="odds_ratio", estimate=2.0, se=0.5, baseline=0.3, outcome="desirable"
    ),
    "smd-adverse": dict(measure="smd", estimate=-0.437, se=0.12, baseline=0.5, outcome="adverse"),
    "rr-adverse": dict(measure="risk_ratio", estimate=0.7, se=0.3, baseline=0.4, outcome="adverse"),
    "rr-desirable": dict(
        measure="risk_ratio", estimate=1.5, se=0.4, baseline=0.5, outcome="desirable"
    ),
}

#: (distribution, absolute tolerance besides RTOL); the floors are explained in the test.
CASES = {
    "fixed": (Fixed(3.5), 0.0),
    "uniform": (Uniform(-1.0, 4.0), 0.0),
    "triangular": (Triangular(0.0, 1.5, 2.0), 0.0),
    "triangular-mode-at-min": (Triangular(0.0, 0.0, 2.0), 0.0),
    "triangular-mode-at-max": (Triangular(-1.0, 2.0, 2.0), 0.0),
    "pert": (PERT(0.05, 0.14, 0.25), 0.0),
    "pert-mode-at-min": (PERT(0.0, 0.0, 1.0), 0.0),
    "pert-mode-at-max": (PERT(10.0, 20.0, 20.0), 0.0),
    "pert-lambda-100": (PERT(1.0, 2.0, 10.0, 100.0), 0.0),
    "normal": (Normal(1.0, 2.0), 4 * EPS * (1.0 + 2.0 * 7.1)),
    "lognormal": (LogNormal(0.3, 0.8), 0.0),
    "truncnormal-8sd": (TruncNormal(0.0, 1.0, -8.0, 8.0), 8 * EPS),
    "truncnormal-above-8sd": (TruncNormal(0.0, 1.0, 8.0), 8 * EPS),
    "truncnormal-below-8sd": (TruncNormal(0.0, 1.0, max=-8.0), 8 * EPS),
    "truncnormal-half": (TruncNormal(2.0, 3.0, 2.0), 8 * EPS * 5.0),
    "truncnormal-straddling": (TruncNormal(0.0, 1.0, -1.0, 3.0), 8 * EPS),
    "truncnormal-far-sliver": (TruncNormal(0.0, 1.0, 7.5, 8.0), 8 * EPS),
    "truncnormal-mean-outside": (TruncNormal(5.0, 2.0, max=4.0), 8 * EPS * 10.0),
    "gamma-0.05": (Gamma(0.05, 2.0), 0.0),
    "gamma-3": (Gamma(3.0, 1.5), 0.0),
    "gamma-1e5": (Gamma(1e5, 1e-3), 0.0),
    "beta": (Beta(12.0, 30.0), 0.0),
    "beta-small-shapes": (Beta(0.1, 0.5), 0.0),
    "beta-rare-event": (Beta(1.0, 100_001.0), 0.0),
    "beta-large-shapes": (Beta(1e5, 1e5), 0.0),
    "choice": (Choice((0.0, 1.0, 2.0), (0.2, 0.3, 0.5), ("stop", "hold", "decay")), 0.0),
    "choice-one": (Choice((5.0,), (1.0,), ("only",)), 0.0),
    "choice-many": (
        Choice(tuple(float(v) for v in range(7)), (0.1,) * 4 + (0.2,) * 3, tuple("abcdefg")),
        0.0,
    ),
    **{f"effect-{key}": (EffectRate(**spec), 8 * EPS) for key, spec in SPEC_EFFECTS.items()},
}


def _column(dist, q: np.ndarray) -> np.ndarray:
    code, params = icdf.pack(dist)
    out = np.empty_like(q)
    icdf.ppf_column(code, params, q, out)
    return out


@pytest.mark.parametrize("key", CASES)
def test_ppf_column_against_distribution_ppf(key: str) -> None:
    """pack + ppf_column against Distribution.ppf of the som-mc constructors (scipy.special
    ndtri / ndtri_exp / log_ndtr / betaincinv / gammaincinv inside), to 1e-12 relative plus
    an absolute floor where the quantile is a difference:

    - normal and truncated normal, ``mu + sigma z`` near 0: 4-8 eps (|mu| + sigma |z|), the
      rounding of the sum (and, for the truncated normal, of p = exp(log q + log Z), whose
      half-ulp becomes eps / (2 phi(z)) in z, with numpy's and libm's exp and log an ulp
      apart);
    - the effect rate ``p0 - p1`` (or ``p1 - p0``): 8 eps, the ulps of two probabilities
      <= 1, which the difference keeps while the rate nears 0 (a null effect).

    Reached: fixed, uniform, triangular and choice bitwise; PERT, beta, gamma and lognormal
    4e-14 relative; the rest within the floors."""
    dist, atol = CASES[key]
    want = dist.ppf(Q)
    got = _column(dist, Q)
    np.testing.assert_allclose(got, want, rtol=RTOL, atol=atol)
    if key.startswith(("fixed", "uniform", "triangular", "choice")):
        np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("key", CASES)
def test_ppf_column_ends_and_outside(key: str) -> None:
    """At q = 0 and 1 the support's ends, outside [0, 1] NaN, exactly as Distribution.ppf
    (whose NaN input gives the value for fixed, the last code for choice, NaN otherwise)."""
    dist, _ = CASES[key]
    q = np.array([0.0, 1.0, -0.1, 1.1, math.nan])
    np.testing.assert_array_equal(_column(dist, q), dist.ppf(q))


def test_effect_rate_logit_matches_scipy() -> None:
    """pack's logit of the baseline is scipy.special.logit (same branches), to the ulp."""
    for p0 in (0.01, 0.29999, 0.3, 0.5, 0.6, 0.65, 0.650001, 0.99):
        assert _rel(icdf._logit(p0), float(special.logit(p0))) <= 2 * EPS


def test_ppf_block_is_ppf_column_per_column() -> None:
    """ppf_block on a (draws x inputs) block of mixed families is ppf_column per column,
    bitwise; pack_block's offsets delimit each input's parameters."""
    dists = [CASES[k][0] for k in ("pert", "choice", "truncnormal-8sd", "gamma-3", "fixed")]
    dists += [CASES["effect-or-adverse"][0], CASES["beta"][0]]
    codes, offsets, params = icdf.pack_block(dists)
    assert offsets[0] == 0 and offsets[-1] == params.size == sum(
        icdf.pack(d)[1].size for d in dists
    )
    u = np.random.default_rng(4).random((257, len(dists)))
    want = np.column_stack([_column(d, np.ascontiguousarray(u[:, j])) for j, d in enumerate(dists)])
    out = np.empty_like(u)
    icdf.ppf_block(codes, offsets, params, u, out)
    np.testing.assert_array_equal(out, want)


def test_pack_codes_and_unknown_family() -> None:
    """pack returns the code of FAMILY_CODES for each family (EffectRate's family "effect" is
    "effect_rate") and refuses a family it does not know."""
    for key, (dist, _) in CASES.items():
        name = "effect_rate" if key.startswith("effect") else key.split("-")[0]
        assert icdf.pack(dist)[0] == icdf.FAMILY_CODES[name]
    assert sorted(icdf.FAMILY_CODES.values()) == list(range(11))

    class Odd:
        family = "weibull"

    with pytest.raises(ValueError, match="weibull"):
        icdf.pack(Odd())


def test_module_imports_only_numpy_numba_and_math() -> None:
    """icdf must not import the case layer or scipy: its imports are math, numpy and numba;
    and every njit decorator caches on disk (about 10 s of compilation otherwise, in every new
    process)."""
    tree = ast.parse(Path(icdf.__file__).read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module != "__future__":
            names.add(node.module.split(".")[0])
        elif isinstance(node, ast.keyword) and node.arg == "cache":
            assert isinstance(node.value, ast.Constant) and node.value.value is True
    assert names == {"math", "numpy", "numba"}


def test_compiled_lazily_and_without_the_gil() -> None:
    """Importing icdf compiles nothing (a fresh interpreter sees no signatures), and the entry
    points release the GIL."""
    code = (
        "import som_mc.model.icdf as m; "
        "assert not any(getattr(m, f).signatures for f in ('ppf_block', 'ppf_column', 'ndtri'))"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
    for f in (icdf.ppf_block, icdf.ppf_column, icdf.betaincinv, icdf.gammaincinv, icdf.ndtri):
        assert f.targetoptions["nogil"] is True


#: A case with every family a case file can give and a correlation block (for the sampler).
EVERY_FAMILY_CASE: dict = {
    "name": "every family",
    "price_year": 2024,
    "horizon": 6,
    "discount_rate": {"dist": "uniform", "min": 0.0, "max": 0.05},
    "intake": {
        "participants": [{"dist": "triangular", "min": 15, "mode": 20, "max": 30}],
        "course_years": 1,
        "dropout": {"dist": "beta", "alpha": 2, "beta": 18},
    },
    "cost": [
        {
            "label": "course",
            "type": "per_participant",
            "amount": {"dist": "pert", "min": 8000, "mode": 10_000, "max": 15_000},
            "actor": "kommune",
        }
    ],
    "success": {"rate": {"dist": "beta", "mean": 0.3, "sd": 0.05}},
    "consequence": [
        {
            "key": "shelter_days",
            "unit": "days",
            "area": "social",
            "kind": "expenditure",
            "profile": [
                {"dist": "normal", "mean": -100, "sd": 20},
                {"dist": "truncnormal", "mean": -80, "sd": 30, "max": 0},
                -60,
            ],
            "scale": {"dist": "gamma", "mean": 1.0, "sd": 0.2},
            "price": {"kommune": {"dist": "lognormal", "mean": 700, "sd": 70}, "stat": 700},
        }
    ],
    "extrapolation": {"rule": {"hold": 0.3, "decay": 0.5, "stop": 0.2}, "decay": 0.2},
    "correlation": [
        {
            "inputs": ["success.rate", "consequence.shelter_days.scale"],
            "spearman": [[1.0, 0.5], [0.5, 1.0]],
        }
    ],
}


@pytest.mark.parametrize("design", ["random", "lhs", "sobol"])
def test_a_run_samples_what_scipy_samples(design: str) -> None:
    """The compiled sampler of a run (design → copula → inverse CDFs, som_mc.model.sample) gives
    the values of the numpy/scipy path it replaced (benchmarks.reference.inputs_reference) on a
    case with every family, a coded choice and a correlation block, for every design: to 1e-12
    relative, with an absolute floor of 1e-12 of each column's scale for the values that are
    differences near 0 (see the module docstring)."""
    from benchmarks.reference import inputs_reference
    from som_mc.inputs.case.load import load_case
    from som_mc.pipeline.plan import case_plan

    case = load_case(EVERY_FAMILY_CASE)
    families = {d.family for d in case.inputs.uncertain_dists}
    assert families >= {"uniform", "triangular", "beta", "pert", "normal", "truncnormal"}
    assert families >= {"gamma", "lognormal", "choice"}
    plan = case_plan(case, 4096 + 4096, seed=3, mode="expected", design=design)
    dists = case.inputs.uncertain_dists
    for b in range(plan.n_blocks):
        got = plan.sampler.block(b)
        want = inputs_reference(plan.sampler.design.block(b), dists, case.inputs.correlation)
        # The absolute floor: 1e-12 of the column's scale, for values that are differences near 0.
        floor = 1e-12 * np.abs(want).max(axis=0)
        excess = np.abs(got - want) - (1e-12 * np.abs(want) + floor)
        assert excess.max() <= 0.0, (b, np.unravel_index(excess.argmax(), excess.shape))
