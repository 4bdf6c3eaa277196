"""Follow-up updating (som_mc.analysis.followup) and the `som-mc update` command.

The conjugate update is checked against scipy.stats.beta; importance reweighting of a beta
prior against the conjugate result within stated Monte Carlo standard errors.
"""

from __future__ import annotations

import math
import tomllib
import warnings
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

import som_mc
from som_mc.analysis.followup import (
    LowEffectiveSampleSize,
    parse_observed,
    posterior_case,
    update,
)
from som_mc.cli import main
from som_mc.errors import InputError
from som_mc.inputs.distributions import Beta
from som_mc.inputs.examples import example_path

# With BASE_CASE (20 participants, 10,000 kr each, 240 fewer shelter days at 700 kr for
# kommune and state), the total pays off when the rate exceeds 200,000 / 6.72e6 = 0.030 and
# the kommune when it exceeds 0.060: a Beta(2, 18) prior leaves both uncertain.
PRIOR = {"dist": "beta", "alpha": 2, "beta": 18}


@pytest.fixture
def beta_case(base_case: dict) -> dict:
    base_case["success"] = {"rate": dict(PRIOR)}
    return base_case


def test_parse_observed() -> None:
    """K/N with whole numbers and 0 <= K <= N, N >= 1; anything else names the allowed form."""
    assert parse_observed("3/20") == (3, 20)
    assert parse_observed(" 0 / 5 ") == (0, 5)
    for bad, fragment in (
        ("3", "is not K/N"),
        ("a/b", "is not K/N"),
        ("-1/4", "is not K/N"),
        ("1.5/4", "is not K/N"),
        ("5/3", "'5/3' has K = 5 outside 0 to N = 3"),
        ("0/0", "'0/0' has N = 0"),
    ):
        with pytest.raises(InputError) as info:
            parse_observed(bad)
        assert info.value.field == "--observed"
        assert fragment in info.value.message


def test_conjugate_update_equals_scipy_beta(beta_case: dict) -> None:
    """Beta(a, b) after K of N is Beta(a + K, b + N - K) (Gelman et al., BDA3, ch. 2): the
    posterior case's rate, and the update's mean and 90 % interval, equal scipy.stats.beta's."""
    k, n = 3, 20
    ref = stats.beta(PRIOR["alpha"] + k, PRIOR["beta"] + n - k)
    post = posterior_case(beta_case, (k, n)).model.success.rate
    assert isinstance(post, Beta)
    assert (post.alpha, post.beta) == (5.0, 35.0)
    ds = update(beta_case, (k, n), draws=2000, seed=1)
    assert ds.attrs["method"] == "conjugate"
    post_stage = ds.sel(stage="posterior")
    assert float(post_stage.rate_mean) == pytest.approx(ref.mean(), rel=1e-12)
    assert float(post_stage.rate_lower) == pytest.approx(ref.ppf(0.05), rel=1e-9)
    assert float(post_stage.rate_upper) == pytest.approx(ref.ppf(0.95), rel=1e-9)
    prior_ref = stats.beta(PRIOR["alpha"], PRIOR["beta"])
    assert float(ds.sel(stage="prior").rate_mean) == pytest.approx(prior_ref.mean(), rel=1e-12)


def test_importance_reweighting_matches_conjugate(beta_case: dict) -> None:
    """Importance reweighting of Beta(2, 18) prior draws after 1 of 20 agrees with the exact
    conjugate update: the posterior rate mean and P(present value > 0) of every actor with
    0 < P < 1 differ by less than 4 combined standard errors (fixed seed, 20,000 draws)."""
    k, n, draws = 1, 20, 20_000
    # cohort=None: K/N from elsewhere, so the case's one cohort stays uncertain.
    exact = update(beta_case, (k, n), draws=draws, seed=7, method="conjugate", cohort=None)
    reweighted = update(beta_case, (k, n), draws=draws, seed=7, method="importance", cohort=None)
    assert reweighted.attrs["method"] == "importance"
    assert 0.3 * draws < reweighted.attrs["ess"] < draws
    a, b = exact.sel(stage="posterior"), reweighted.sel(stage="posterior")
    assert abs(float(a.rate_mean) - float(b.rate_mean)) < 4 * float(b.rate_mean_mcse)
    checked = 0
    for actor in a.actor.values:
        p_a, p_b = float(a.p_positive.sel(actor=actor)), float(b.p_positive.sel(actor=actor))
        if 0.02 < p_a < 0.98:
            se = math.hypot(
                float(a.p_positive_mcse.sel(actor=actor)), float(b.p_positive_mcse.sel(actor=actor))
            )
            assert abs(p_a - p_b) < 4 * se, actor
            checked += 1
    assert checked >= 2  # kommune and total are uncertain here
    # The observation lowers the rate and with it the chance of paying off.
    assert float(b.rate_mean) < float(reweighted.sel(stage="prior").rate_mean)


def test_importance_on_a_pert_prior(base_case: dict) -> None:
    """A PERT prior is updated by reweighting: the posterior rate mean equals the numerical
    posterior mean (quadrature of r^K (1-r)^(N-K) against the PERT density from scipy.stats
    beta, scaled) within 4 Monte Carlo standard errors."""
    base_case["success"] = {"rate": {"dist": "pert", "min": 0.02, "mode": 0.1, "max": 0.3}}
    k, n = 4, 25
    ds = update(base_case, (k, n), draws=20_000, seed=3)
    assert ds.attrs["method"] == "importance"
    lo, hi = 0.02, 0.3
    a, b = 1 + 4 * (0.1 - lo) / (hi - lo), 1 + 4 * (hi - 0.1) / (hi - lo)
    prior = stats.beta(a, b, loc=lo, scale=hi - lo)
    grid = np.linspace(lo, hi, 20_001)
    post = prior.pdf(grid) * grid**k * (1 - grid) ** (n - k)
    mean = np.trapezoid(grid * post, grid) / np.trapezoid(post, grid)
    s = ds.sel(stage="posterior")
    assert abs(float(s.rate_mean) - mean) < 4 * float(s.rate_mean_mcse)


def test_small_effective_sample_warns(base_case: dict) -> None:
    """Many observations against a wide prior leave few effective draws: a warning says so."""
    base_case["success"] = {"rate": {"dist": "uniform", "min": 0.0, "max": 1.0}}
    with pytest.warns(LowEffectiveSampleSize, match="effective"):
        ds = update(base_case, (300, 1000), draws=2000, seed=1)
    assert ds.attrs["ess"] < 1000


def test_gross_rate_is_what_is_observed(base_case: dict) -> None:
    """With gross_rate and deadweight, K/N updates the gross rate; deadweight is untouched."""
    base_case["success"] = {"gross_rate": dict(PRIOR), "deadweight": 0.02}
    post = posterior_case(base_case, (4, 20))
    assert post.model.success.gross_rate.params() == {"alpha": 6.0, "beta": 34.0}
    assert post.model.success.deadweight.central() == 0.02
    ds = update(base_case, (4, 20), draws=1000, seed=2)
    assert ds.attrs["updated_input"] == "success.gross_rate"


def test_fixed_rate_cannot_be_updated(base_case: dict) -> None:
    """A plain-number rate has no uncertainty to update: refused, naming the field."""
    with pytest.raises(InputError, match=r"fixed number 0\.3") as info:
        update(base_case, (3, 20), draws=100, seed=1)
    assert info.value.field == "success.rate"


def test_update_dataset_shape_and_attrs(beta_case: dict) -> None:
    """Dims stage x actor (with total), rate histogram; provenance and the observation in attrs;
    the same seed gives the same Dataset."""
    ds = update(beta_case, (2, 10), draws=1500, seed=5)
    assert ds.stage.values.tolist() == ["prior", "posterior"]
    assert ds.actor.values.tolist() == ["kommune", "region", "stat", "total"]
    assert ds.p_positive.dims == ("stage", "actor")
    for key in ("method", "ess", "observed_k", "observed_n", "seed", "draws", "case_sha256"):
        assert key in ds.attrs
    assert (ds.attrs["observed_k"], ds.attrs["observed_n"], ds.attrs["seed"]) == (2, 10, 5)
    width = float(ds.rate_bin[1] - ds.rate_bin[0])
    np.testing.assert_allclose(ds.rate_density.sum("rate_bin") * width, 1.0, rtol=1e-9)
    again = update(beta_case, (2, 10), draws=1500, seed=5)
    np.testing.assert_array_equal(ds.p_positive.values, again.p_positive.values)


def test_effect_size_prior_is_updated(base_case: dict) -> None:
    """A rate from a study's effect size is updated by reweighting and moves toward K/N."""
    base_case["success"] = {
        "effect": {"study": "cti_herman_2011_homelessness", "baseline": 0.6, "outcome": "adverse"}
    }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LowEffectiveSampleSize)
        ds = update(base_case, (2, 20), draws=4000, seed=4)
    assert ds.attrs["method"] == "importance"
    prior_mean, post_mean = ds.rate_mean.values
    assert post_mean < prior_mean  # 10 % observed against a prior mean of 33 %


# --- the command -------------------------------------------------------------------------------


def test_cli_update_prints_writes_case_and_plot(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`som-mc update --example cti --observed 5/25 --out --plot` prints prior and posterior,
    writes a case whose rate is the conjugate posterior (scipy.stats.beta's parameters) and
    whose other tables are the example's, and a PNG; a second run without --force refuses."""
    out, png = tmp_path / "updated.toml", tmp_path / "update.png"
    args = ["update", "--example", "cti", "--observed", "5/25", "--draws", "1000"]
    assert main([*args, "--out", str(out), "--plot", str(png)]) == 0
    text = capsys.readouterr().out
    for fragment in ("prior", "posterior", "conjugate", "kommune", "total", "P(>0)"):
        assert fragment in text
    original = tomllib.loads(example_path("cti").read_text(encoding="utf-8"))
    written = tomllib.loads(out.read_text(encoding="utf-8"))
    assert {k: v for k, v in written.items() if k != "success"} == {
        k: v for k, v in original.items() if k != "success"
    }
    prior = som_mc.load_case(example_path("cti")).model.success.rate
    rate = som_mc.load_case(out).model.success.rate
    assert (rate.alpha, rate.beta) == pytest.approx((prior.alpha + 5, prior.beta + 20))
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    assert main([*args, "--out", str(out)]) == 2
    assert "--force" in capsys.readouterr().err
    assert main([*args, "--out", str(out), "--force"]) == 0


@pytest.mark.parametrize("observed", ["3", "5/3", "a/b", "-1/4", "0/0"])
def test_cli_bad_observed_is_one_line_exit_2(
    observed: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A bad --observed ends in one line naming the value and the form K/N, exit status 2,
    no traceback, nothing written."""
    out = tmp_path / "u.toml"
    code = main(["update", "--example", "cti", f"--observed={observed}", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith(f"som-mc: --observed: '{observed}'") and "K/N" in err
    assert not out.exists()
