"""From a study's effect size to a success-rate distribution (som_mc.inputs.evidence).

Each conversion is checked against a worked example of its source; the distribution against
an independent transform of scipy.stats.norm (quantiles, moments by scipy's own quadrature,
and Monte Carlo within stated standard errors); and a case naming a study loads and runs.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from scipy import special, stats

import som_mc
from som_mc.cli import main
from som_mc.errors import InputError
from som_mc.inputs.evidence import (
    LOGIT_PER_SMD,
    EffectRate,
    effect_rate,
    log_odds_ratio_from_smd,
    risk_ratio_from_odds_ratio,
    se_from_ci95,
    treated_risk_from_odds_ratio,
    treated_risk_from_risk_ratio,
)
from som_mc.inputs.knowledge import load_knowledge

HERMAN = "cti_herman_2011_homelessness"  # OR 0.22 (0.06 to 0.88), knowledge/effects.toml


# --- conversions against their sources' worked examples --------------------------------------


def test_smd_to_log_odds_ratio_borenstein_example() -> None:
    """Borenstein, Hedges, Higgins & Rothstein (2009), Introduction to Meta-Analysis, ch. 7:
    d = 0.5000 with variance 0.0205 is a log odds ratio of 0.9069 with variance 0.0674; and
    Chinn (2000): the factor pi/sqrt(3) is "1.81"."""
    lor, se = log_odds_ratio_from_smd(0.5, math.sqrt(0.0205))
    assert round(lor, 4) == 0.9069
    assert round(se**2, 4) == 0.0674
    assert round(LOGIT_PER_SMD, 2) == 1.81


def test_odds_ratio_to_risk_cochrane_example() -> None:
    """Cochrane Handbook 5.1, section 12.5.4.3: OR 0.73 with an assumed control risk of 0.3
    is 62 fewer per 1000, NNT 17 (NNTs are rounded up)."""
    p1 = float(treated_risk_from_odds_ratio(0.73, 0.3))
    assert round(1000 * (0.3 - p1)) == 62
    assert math.ceil(1 / (0.3 - p1)) == 17


def test_risk_ratio_to_risk_cochrane_example() -> None:
    """Cochrane Handbook 5.1, section 12.5.4.2: RR 0.92 with an assumed control risk of 0.3
    is 24 fewer per 1000, NNT 42."""
    p1 = float(treated_risk_from_risk_ratio(0.92, 0.3))
    assert round(1000 * (0.3 - p1)) == 24
    assert math.ceil(1 / (0.3 - p1)) == 42


def test_risk_ratio_is_capped_at_a_risk_of_one() -> None:
    """p1 = RR p0 is a probability: RR 3 at p0 0.5 gives 1, not 1.5."""
    assert float(treated_risk_from_risk_ratio(3.0, 0.5)) == 1.0


@pytest.mark.parametrize("p0", [0.05, 0.3, 0.6, 0.9])
@pytest.mark.parametrize("odds_ratio", [0.22, 0.73, 1.0, 6.35])
def test_zhang_yu_risk_ratio_is_the_ratio_of_risks(odds_ratio: float, p0: float) -> None:
    """Zhang & Yu (1998), JAMA 280:1690: RR = OR / (1 - p0 + p0 OR). Checked against the
    definitions: p1 from the odds (p1/(1-p1) = OR p0/(1-p0)) and RR = p1 / p0."""
    odds1 = odds_ratio * p0 / (1 - p0)
    p1 = odds1 / (1 + odds1)
    assert float(risk_ratio_from_odds_ratio(odds_ratio, p0)) == pytest.approx(p1 / p0, rel=1e-12)
    assert float(treated_risk_from_odds_ratio(odds_ratio, p0)) == pytest.approx(p1, rel=1e-12)


def test_se_from_ci95_worked_example() -> None:
    """Heart (BMJ) tutorial on comparing relative risks, Table 4 (the Adventist study): RR 2.15
    (1.33 to 3.47), ln CI 0.285179 to 1.244155, best estimate of se(ln RR) 0.244637 (the mean
    of the two half-widths / 1.96, which is the full width / 3.92, Cochrane Handbook 7.7.7.3)."""
    assert se_from_ci95(1.33, 3.47, log=True) == pytest.approx(0.244637, abs=5e-7)
    assert se_from_ci95(-0.671, -0.203, log=False) == pytest.approx(0.468 / 3.92, rel=1e-12)


# --- the distribution ------------------------------------------------------------------------

SPECS = {
    "or-adverse": dict(measure="odds_ratio", estimate=0.22, ci95=[0.06, 0.88], baseline=0.6,
                       outcome="adverse"),
    "or-desirable": dict(measure="odds_ratio", estimate=2.0, se=0.5, baseline=0.3,
                         outcome="desirable"),
    "smd-adverse": dict(measure="smd", estimate=-0.437, ci95=[-0.671, -0.203], baseline=0.5,
                        outcome="adverse"),
    "rr-adverse": dict(measure="risk_ratio", estimate=0.7, se=0.3, baseline=0.4,
                       outcome="adverse"),
    "rr-desirable": dict(measure="risk_ratio", estimate=1.5, se=0.4, baseline=0.5,
                         outcome="desirable"),
}  # fmt: skip


def _reference(spec: dict) -> tuple[stats.rv_continuous, callable]:
    """An independent spelling of the model: theta ~ scipy Normal on the log scale and the
    rate as a function of theta, from the definitions (odds, or risk times RR)."""
    p0, est = spec["baseline"], spec["estimate"]
    if "se" in spec:
        se = spec["se"]
    else:
        lo, hi = spec["ci95"]
        se = (hi - lo) / 3.92 if spec["measure"] == "smd" else math.log(hi / lo) / 3.92
    if spec["measure"] == "smd":
        theta = stats.norm(est * math.pi / math.sqrt(3), se * math.pi / math.sqrt(3))
    else:
        theta = stats.norm(math.log(est), se)

    def rate(t: np.ndarray) -> np.ndarray:
        if spec["measure"] == "risk_ratio":
            p1 = np.clip(p0 * np.exp(t), 0, 1)
        else:
            odds = p0 / (1 - p0) * np.exp(t)
            p1 = odds / (1 + odds)
        diff = p0 - p1 if spec["outcome"] == "adverse" else p1 - p0
        return np.maximum(diff, 0.0)

    return theta, rate


@pytest.mark.parametrize("key", SPECS)
def test_ppf_is_the_transform_of_the_normal_ppf(key: str) -> None:
    """The rate's quantiles are the rate at theta's quantiles (theta's 1-q for an adverse
    outcome, whose rate falls as theta rises), with theta from scipy.stats.norm."""
    dist, _ = effect_rate(SPECS[key])
    theta, rate = _reference(SPECS[key])
    q = np.linspace(0.001, 0.999, 51)
    tq = theta.ppf(1 - q) if SPECS[key]["outcome"] == "adverse" else theta.ppf(q)
    np.testing.assert_allclose(dist.ppf(q), rate(tq), rtol=1e-9, atol=1e-12)
    assert np.all(np.diff(dist.ppf(q)) >= 0)


@pytest.mark.parametrize("key", SPECS)
def test_mean_and_var_equal_scipy_expectations(key: str) -> None:
    """Mean and variance against scipy.stats.norm.expect of the reference rate (scipy's own
    quadrature), to 1e-7 absolute."""
    dist, _ = effect_rate(SPECS[key])
    theta, rate = _reference(SPECS[key])
    lb, ub = theta.mean() - 12 * theta.std(), theta.mean() + 12 * theta.std()
    kw = dict(lb=lb, ub=ub, epsabs=1e-12, points=[0.0])  # the kink of the clipping at 0

    m = theta.expect(lambda t: float(rate(np.asarray(t))), **kw)
    m2 = theta.expect(lambda t: float(rate(np.asarray(t))) ** 2, **kw)
    assert dist.mean() == pytest.approx(m, abs=1e-7)
    assert dist.var() == pytest.approx(m2 - m * m, abs=1e-7)


@pytest.mark.parametrize("key", SPECS)
def test_monte_carlo_of_the_transform_agrees(key: str, rng: np.random.Generator) -> None:
    """Rates from scipy.stats.norm draws of theta: their mean is within 4 standard errors of
    dist.mean(), their 10 %, 50 % and 90 % quantiles within 4 standard errors of dist.ppf
    (se of a sample quantile sqrt(q(1-q)/n) / density, the density from the ppf's slope),
    and the share of zeros within 4 se of P(harm)."""
    n = 200_000
    dist, _ = effect_rate(SPECS[key])
    theta, rate = _reference(SPECS[key])
    r = rate(theta.rvs(size=n, random_state=rng))
    assert abs(r.mean() - dist.mean()) < 4 * r.std() / math.sqrt(n)
    for q in (0.1, 0.5, 0.9):
        h = 0.005
        slope = (dist.ppf(q + h) - dist.ppf(q - h)) / (2 * h)
        se_q = math.sqrt(q * (1 - q) / n) * slope
        assert abs(np.quantile(r, q) - dist.ppf(q)) < 4 * se_q + 1e-12
    p = dist.p_harm()
    assert abs((r == 0).mean() - p) < 4 * math.sqrt(p * (1 - p) / n) + 1e-12


def test_support_and_description() -> None:
    """An adverse outcome's rate lies in [0, p0], a desirable one's in [0, 1 - p0]; describe()
    reads like the study."""
    d, _ = effect_rate(SPECS["or-adverse"])
    assert d.support() == (0.0, 0.6)
    assert d.describe() == "from OR 0.22 (95 % CI 0.06 to 0.88), baseline 60 %, adverse outcome"
    d, _ = effect_rate(SPECS["rr-desirable"])
    assert d.support() == (0.0, 0.5)
    assert "from RR 1.5 (se of the log 0.4)" in d.describe()


def test_named_study_equals_inline_numbers() -> None:
    """A study key gives the same distribution as its numbers written inline."""
    kb = load_knowledge()
    named, note = effect_rate({"study": HERMAN, "baseline": 0.6, "outcome": "adverse"}, kb.effects)
    inline, _ = effect_rate(SPECS["or-adverse"])
    assert named.params() == inline.params() and named.mu == inline.mu
    assert HERMAN in note and "Cochrane Handbook" in note and "clipped at 0" in note


# --- in a case ---------------------------------------------------------------------------------


def test_case_with_named_study_loads_and_runs(base_case: dict) -> None:
    """[success] effect = { study = ... } loads into a rate, says so in the notes, and runs; the
    sampled rates' mean is within 4 standard errors of the distribution's mean."""
    base_case["success"] = {"effect": {"study": HERMAN, "baseline": 0.6, "outcome": "adverse"}}
    case = som_mc.load_case(base_case)
    dist = case.inputs["success.rate"]
    assert isinstance(dist, EffectRate)
    assert any(HERMAN in note for note in case.notes)
    assert HERMAN in case.model.success.source
    ds = som_mc.run(case, draws=4000, seed=3)
    r = ds["inputs"].sel(input="success.rate").values
    assert abs(r.mean() - dist.mean()) < 4 * math.sqrt(dist.var() / r.size)
    ds = som_mc.run(case, draws=1024, seed=3, design="sobol")
    assert ds["inputs"].sel(input="success.rate").min() >= 0


def test_inputs_command_describes_the_effect(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`som-mc inputs` shows the rate as the study's effect."""
    monkeypatch.setenv("COLUMNS", "200")  # one table row per line
    path = tmp_path / "case.toml"
    path.write_text(
        'name = "effect"\nprice_year = 2024\nhorizon = 3\n[intake]\nparticipants = [20]\n'
        '[[cost]]\nlabel = "course"\ntype = "per_participant"\namount = 10000\n'
        '[success]\neffect = { measure = "odds_ratio", estimate = 0.22, ci95 = [0.06, 0.88],'
        ' baseline = 0.6, outcome = "adverse" }\n'
        '[[consequence]]\nkey = "x"\nunit = "days"\narea = "social"\nkind = "expenditure"\n'
        "profile = [-10]\nprice = { kommune = 700 }\n",
        encoding="utf-8",
    )
    assert main(["inputs", str(path)]) == 0
    out = capsys.readouterr().out
    assert "from OR 0.22 (95 % CI 0.06 to 0.88)" in out


@pytest.mark.parametrize(
    ("effect", "field", "fragment"),
    [
        ({"study": "cti_herman_2011", "baseline": 0.6, "outcome": "adverse"},
         "success.effect.study", f"did you mean '{HERMAN}'"),
        ({"study": "move_youthdat_2022_convictions_vouchers", "baseline": 0.3,
          "outcome": "adverse"}, "success.effect.study", "no standard error"),
        ({"study": "move_youthdat_2021_completion", "baseline": 0.3, "outcome": "desirable"},
         "success.effect.study", "reports a proportion"),
        ({"study": HERMAN, "baseline": 0.6}, "success.effect.outcome", "adverse"),
        ({"study": HERMAN, "baseline": 0.6, "outcome": "bad"}, "success.effect.outcome",
         "allowed: adverse, desirable"),
        ({"study": HERMAN, "baseline": 1.2, "outcome": "adverse"}, "success.effect.baseline",
         "outside (0, 1)"),
        ({"measure": "hazard_ratio", "estimate": 0.5, "se": 0.1, "baseline": 0.3,
          "outcome": "adverse"}, "success.effect.measure", "allowed: smd, odds_ratio"),
        ({"measure": "odds_ratio", "estimate": 0.5, "baseline": 0.3, "outcome": "adverse"},
         "success.effect.se", "exactly one of se or ci95"),
        ({"measure": "odds_ratio", "estimate": 0.5, "ci95": [0.9, 0.2], "baseline": 0.3,
          "outcome": "adverse"}, "success.effect.ci95", "lo must be below hi"),
        ({"measure": "odds_ratio", "estimate": 0.5, "se": 0.2, "baseline": 0.3,
          "outcome": "adverse", "basline": 0.3}, "success.effect.basline", "did you mean"),
    ],
)  # fmt: skip
def test_bad_effect_names_field_and_allowed(
    base_case: dict, effect: dict, field: str, fragment: str
) -> None:
    """A bad effect table is an InputError naming the field and what is allowed."""
    base_case["success"] = {"effect": effect}
    with pytest.raises(InputError) as info:
        som_mc.load_case(base_case)
    assert info.value.field == field
    assert fragment in info.value.message


def test_effect_and_rate_together_refused(base_case: dict) -> None:
    """rate and effect are two answers to one question: refused, naming rate."""
    base_case["success"] = {"rate": 0.1, "effect": {"study": HERMAN, "outcome": "adverse"}}
    with pytest.raises(InputError, match="give either effect, or rate") as info:
        som_mc.load_case(base_case)
    assert info.value.field == "success.rate"


def test_logit_shift_matches_special_functions() -> None:
    """The OR route is expit(logit(p0) + ln OR), the same number as the odds formula."""
    d = EffectRate("odds_ratio", 0.5, 0.2, 0.3, "desirable")
    theta = np.array([-1.0, 0.0, 2.0])
    p1 = special.expit(special.logit(0.3) + theta)
    np.testing.assert_allclose(d.rate_at(theta), np.maximum(p1 - 0.3, 0), rtol=1e-14)
