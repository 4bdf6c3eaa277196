"""Expected value of sample information for a binomial local evaluation
(som_mc.analysis.decision.evsi).

References
----------
- Regression EVSI: Strong, Oakley, Brennan & Breeze 2015, "Estimating the expected value of
  sample information using the probabilistic sensitivity analysis sample: a fast,
  nonparametric regression-based method", Medical Decision Making 35(5):570-583.
- Closed form used as the reference: with a Beta(a, b) prior on the rate p and an
  incremental net benefit linear in p, INB = c0 + c1 p + (noise independent of p), the
  posterior mean after k of n is (a + k) / (a + b + n) (conjugacy; Gelman et al. 2013,
  Bayesian Data Analysis, 3rd ed., ch. 2) and k is beta-binomial, so
  EVSI(n) = sum_k BetaBin(k; n, a, b) max(0, c0 + c1 (a + k)/(a + b + n)) − max(0, E[INB])
  exactly (scipy.stats.betabinom); EVPPI(p) = E[max(0, c0 + c1 p)] − max(0, E[INB]) by
  quadrature over the Beta density (scipy.integrate.quad).
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import integrate, stats

from som_mc.analysis.decision import enbs, evsi, evsi_preposterior, make_psa
from som_mc.errors import InputError

A, B = 6.0, 14.0  # prior Beta(6, 14): mean rate 0.3
C0, C1 = -3.0e5, 1.0e6  # INB = C0 + C1 p + noise: E[INB] = 0, the decision is on a knife edge
SIZES = [5, 20, 80, 300]


def _exact_evsi(n: int) -> float:
    k = np.arange(n + 1)
    post = (A + k) / (A + B + n)
    return float(np.sum(stats.betabinom.pmf(k, n, A, B) * np.maximum(0.0, C0 + C1 * post)))


def _exact_evppi() -> float:
    value, _ = integrate.quad(
        lambda p: max(0.0, C0 + C1 * p) * stats.beta.pdf(p, A, B), 0, 1, points=[0.3], limit=200
    )
    return value


@pytest.fixture
def psa(rng: np.random.Generator):
    """Doing nothing or the intervention, 20 000 draws; a second input (a price) adds noise."""
    n = 20_000
    p = rng.beta(A, B, n)
    price = rng.normal(0.0, 1.0, n)
    inb = C0 + C1 * p + 1.5e5 * price
    return make_psa(
        np.c_[np.zeros(n), inb],
        inputs=np.c_[p, price],
        options=["nothing", "intervention"],
        input_names=["success.rate", "price"],
    )


def test_regression_evsi_matches_closed_form(psa) -> None:
    """Regression EVSI (Strong et al. 2015) for n = 5, 20, 80, 300 within 4 reported SE of the
    beta-binomial closed form, plus the sample's own deviation of E[INB] from 0 (the closed
    form assumes E[INB] = 0 exactly)."""
    res = evsi(psa, "success.rate", SIZES, seed=1)
    offset = abs(psa.nb[:, 1].mean())
    for j, n in enumerate(SIZES):
        assert abs(res.evsi.values[j] - _exact_evsi(n)) < 4 * res.evsi_se.values[j] + offset


def test_direct_preposterior_matches_closed_form_and_regression(psa) -> None:
    """The direct calculation (reweighting the draws by the binomial likelihood, exact
    beta-binomial P(k)) agrees with the closed form and with the regression estimate within
    4 of the regression's reported SE (plus the sample's offset of E[INB] from 0)."""
    reg = evsi(psa, "success.rate", SIZES, seed=1)
    direct = evsi_preposterior(psa, "success.rate", SIZES, prior=(A, B))
    offset = abs(psa.nb[:, 1].mean())
    for j, n in enumerate(SIZES):
        tol = 4 * reg.evsi_se.values[j] + offset
        assert abs(direct.evsi.values[j] - _exact_evsi(n)) < tol
        assert abs(direct.evsi.values[j] - reg.evsi.values[j]) < tol
    assert bool((direct.ess > 100).all())
    # Without the prior, P(k) from the draws: the same within the same tolerance.
    free = evsi_preposterior(psa, "success.rate", SIZES)
    np.testing.assert_allclose(free.evsi, direct.evsi, atol=float(4 * reg.evsi_se.max()))


def test_evsi_rises_with_n_and_stays_below_evppi(psa) -> None:
    """EVSI rises with the study size and stays below the EVPPI of the rate (a study of the
    rate cannot be worth more than learning it exactly); the EVPPI itself matches its
    quadrature value within 4 SE-sized margins (2 %)."""
    direct = evsi_preposterior(psa, "success.rate", SIZES, prior=(A, B))
    assert bool((np.diff(direct.evsi.values) > 0).all())
    assert bool((direct.evsi < direct.evppi).all())
    reg = evsi(psa, "success.rate", SIZES, seed=1)
    assert bool((np.diff(reg.evsi.values) > 0).all())
    assert bool((reg.evsi < reg.evppi).all())
    assert float(reg.evppi) == pytest.approx(_exact_evppi(), rel=0.03)


def test_enbs_chooses_a_size(psa) -> None:
    """ENBS = EVSI − (fixed + per citizen × n), computed directly; the best size is the
    argmax, and a study costing more than EVPI is never worth it."""
    ds = evsi_preposterior(psa, "success.rate", SIZES, prior=(A, B))
    out = enbs(ds, cost_per_citizen=100.0, fixed_cost=5_000.0)
    np.testing.assert_allclose(out.enbs, ds.evsi - (5_000.0 + 100.0 * np.array(SIZES)))
    assert int(out.best_size) == SIZES[int(np.argmax(out.enbs.values))]
    never = enbs(ds, cost_per_citizen=0.0, fixed_cost=float(ds.evpi) * 1.01)
    assert not bool(never.worth_it)


def test_cost_effect_sample_gives_curves(rng: np.random.Generator) -> None:
    """A sample of costs and effects gives EVSI by study size and λ; at each λ it agrees with
    the net-benefit form of the same λ (1e-9)."""
    n = 5_000
    p = rng.beta(A, B, n)
    costs = np.c_[np.zeros(n), np.full(n, 1.0e5)]
    effects = np.c_[np.zeros(n), 10.0 * p]
    ce = make_psa(costs=costs, effects=effects, inputs=p[:, None], input_names=["rate"])
    res = evsi_preposterior(ce, "rate", [10, 40], [2.0e4, 3.3e4, 5e4], prior=(A, B))
    nb = make_psa(3.3e4 * effects - costs, inputs=p[:, None], input_names=["rate"])
    one = evsi_preposterior(nb, "rate", [10, 40], prior=(A, B))
    np.testing.assert_allclose(res.evsi.sel(wtp=3.3e4), one.evsi, rtol=1e-9)


def test_bad_arguments(psa) -> None:
    """Unknown rate, a rate outside [0, 1], sizes not increasing or below 1, a bad prior,
    negative costs: InputError naming the argument."""
    cases = [
        (lambda: evsi(psa, "nope", [5]), "inputs"),
        (lambda: evsi(psa, "price", [5]), "rate"),
        (lambda: evsi(psa, "success.rate", [20, 5]), "n"),
        (lambda: evsi(psa, "success.rate", [0]), "n"),
        (lambda: evsi_preposterior(psa, "success.rate", [5], prior=(0.0, 1.0)), "prior"),
    ]
    for call, field in cases:
        with pytest.raises(InputError) as err:
            call()
        assert err.value.field == field
    ds = evsi_preposterior(psa, "success.rate", [5], prior=(A, B))
    with pytest.raises(InputError) as err:
        enbs(ds, cost_per_citizen=-1.0)
    assert err.value.field == "cost_per_citizen"
