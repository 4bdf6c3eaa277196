"""Random-effects pooling (som_mc/inputs/pooling.py) against metafor's published BCG example,
and pooled success rates in a case."""

from __future__ import annotations

import math

import numpy as np
import pytest

from som_mc import load_case
from som_mc.errors import InputError
from som_mc.inputs.evidence import effect_rate
from som_mc.inputs.examples import example_path
from som_mc.inputs.pooling import pool

#: The BCG vaccine trials (Colditz et al. 1994, JAMA 271:698-702), metafor's ``dat.bcg``:
#: tpos, tneg (vaccinated TB+/TB-), cpos, cneg (control TB+/TB-), as printed in metafor's
#: README (github.com/wviechtb/metafor, README.md, "dat <- escalc(measure='RR', ...)").
BCG = np.array(
    [
        [4, 119, 11, 128],
        [6, 300, 29, 274],
        [3, 228, 11, 209],
        [62, 13536, 248, 12619],
        [33, 5036, 47, 5761],
        [180, 1361, 372, 1079],
        [8, 2537, 10, 619],
        [505, 87886, 499, 87892],
        [29, 7470, 45, 7232],
        [17, 1699, 65, 1600],
        [186, 50448, 141, 27197],
        [5, 2493, 3, 2338],
        [27, 16886, 29, 17825],
    ],
    dtype=float,
)


def _log_rr() -> tuple[np.ndarray, np.ndarray]:
    """ln RR and its sampling variance, as metafor's escalc(measure="RR")."""
    a, b, c, d = BCG.T
    return np.log((a / (a + b)) / (c / (c + d))), 1 / a - 1 / (a + b) + 1 / c - 1 / (c + d)


def test_escalc_matches_the_printed_effect_sizes() -> None:
    """yi and vi as metafor's README prints them (4 decimals), e.g. Aronson 1948
    yi -0.8893, vi 0.3256; TPT Madras 1980 yi 0.0120, vi 0.0040."""
    y, v = _log_rr()
    assert round(y[0], 4) == -0.8893 and round(v[0], 4) == 0.3256
    assert round(y[7], 4) == 0.0120 and round(v[7], 4) == 0.0040


def test_reml_matches_metafor() -> None:
    """REML: metafor's README / rma(yi, vi, data=dat) output (github.com/wviechtb/metafor,
    README.md): tau^2 0.3132, tau 0.5597, I^2 92.22 %, H^2 12.86, Q(df = 12) 152.2330,
    estimate -0.7145, se 0.1798, CI -1.0669 to -0.3622; predict(res, transf=exp) gives
    pred 0.4894, CI 0.3441-0.6962, PI 0.1546-1.5490 (a metafor tutorial's printed output of
    the same model)."""
    y, v = _log_rr()
    r = pool(y, np.sqrt(v), method="REML")
    assert round(r.tau2, 4) == 0.3132
    assert round(r.tau, 4) == 0.5597
    assert round(r.i2, 2) == 92.22
    assert round(r.h2, 2) == 12.86
    assert round(r.q, 4) == 152.2330
    assert round(r.estimate, 4) == -0.7145
    assert round(r.se, 4) == 0.1798
    assert [round(c, 4) for c in r.ci] == [-1.0669, -0.3622]
    assert round(math.exp(r.estimate), 4) == 0.4894
    assert [round(math.exp(c), 4) for c in r.ci] == [0.3441, 0.6962]
    assert [round(math.exp(p), 4) for p in r.pi] == [0.1546, 1.5490]
    assert r.q_p < 1e-4


def test_hartung_knapp_matches_metafor() -> None:
    """rma(yi, vi, data=dat, test="knha") in metafor's README: se 0.1808, CI -1.1084 to
    -0.3206 (t, 12 df); predict(res, transf=exp, digits=2): pred 0.49, CI 0.33-0.73,
    PI 0.14-1.76."""
    y, v = _log_rr()
    r = pool(y, np.sqrt(v), method="REML", hartung_knapp=True)
    assert round(r.tau2, 4) == 0.3132
    assert round(r.se, 4) == 0.1808
    assert [round(c, 4) for c in r.ci] == [-1.1084, -0.3206]
    assert [round(math.exp(c), 2) for c in r.ci] == [0.33, 0.73]
    assert [round(math.exp(p), 2) for p in r.pi] == [0.14, 1.76]


def test_dersimonian_laird_matches_metafor_and_stata() -> None:
    """DL: metafor's test tests/testthat/test_misc_metan_vs_rma.uni_with_dat.bcg.r (results
    checked against Stata's metan): estimate -0.7141, CI -1.0644 to -0.3638, tau^2 0.3088,
    I^2 92.1173; exp: pred 0.4896, CI 0.3449-0.6950."""
    y, v = _log_rr()
    r = pool(y, np.sqrt(v), method="DL")
    assert round(r.estimate, 4) == -0.7141
    assert [round(c, 4) for c in r.ci] == [-1.0644, -0.3638]
    assert round(r.tau2, 4) == 0.3088
    assert round(r.i2, 4) == 92.1173
    assert round(math.exp(r.estimate), 4) == 0.4896
    assert [round(math.exp(c), 4) for c in r.ci] == [0.3449, 0.6950]
    # DL's I^2 is also (Q - df) / Q (Higgins & Thompson 2002).
    assert r.i2 == pytest.approx(100 * (r.q - 12) / r.q, rel=1e-12)


def test_homogeneous_studies_have_no_heterogeneity() -> None:
    """Equal estimates: Q = 0, tau^2 = 0 by both methods, and the pool is the fixed-effect
    inverse-variance mean with se 1 / sqrt(sum w) (Borenstein et al. 2009, ch. 11)."""
    for method in ("DL", "REML"):
        r = pool([0.4, 0.4, 0.4], [0.1, 0.2, 0.3], method=method)
        assert r.tau2 == 0.0 and r.q == pytest.approx(0.0, abs=1e-12)
        assert r.se == pytest.approx(1 / math.sqrt(100 + 25 + 1 / 0.09))
        assert r.pi == pytest.approx(r.ci)


def test_one_study_pool_equals_the_single_study_conversion() -> None:
    """A pool of one study gives the same success-rate distribution as today's single-study
    effect (som_mc/inputs/evidence.py): the same quantiles on a grid, for an odds ratio from
    the knowledge base and for an SMD."""
    from som_mc.inputs.knowledge import load_knowledge

    effects = load_knowledge().effects
    q = np.linspace(0.001, 0.999, 101)
    for key in ("cti_herman_2011_homelessness", "youth_cannabis_bender_2011_individual"):
        single, _ = effect_rate({"study": key, "baseline": 0.5, "outcome": "adverse"}, effects)
        for use in ("prediction", "mean"):
            pooled, note = effect_rate(
                {"pool": [key], "baseline": 0.5, "outcome": "adverse", "use": use}, effects
            )
            np.testing.assert_allclose(pooled.ppf(q), single.ppf(q), rtol=1e-12, atol=1e-15)
            assert pooled.mean() == pytest.approx(single.mean(), rel=1e-10)
            assert "1 study" in note


def test_prediction_is_wider_than_the_mean() -> None:
    """With heterogeneity the prediction distribution (sd sqrt(tau^2 + se^2)) is wider than
    the mean's (sd se); the rate's variance follows."""
    studies = [
        {"label": "a", "measure": "odds_ratio", "estimate": 0.4, "se": 0.2},
        {"label": "b", "measure": "odds_ratio", "estimate": 0.9, "se": 0.15},
        {"label": "c", "measure": "odds_ratio", "estimate": 0.5, "ci95": [0.3, 0.83]},
    ]
    spec = {"pool": studies, "baseline": 0.4, "outcome": "adverse"}
    pred, _ = effect_rate({**spec, "use": "prediction"})
    mean, _ = effect_rate({**spec, "use": "mean"})
    assert pred.var() > mean.var()


def test_evidence_levels_down_weight() -> None:
    """evidence = true widens a level-3 study's se by its preset (x2, knowledge/
    evidence_levels.toml), so its weight falls to a quarter of what it was (DL with tau^2 0)."""
    studies = [
        {"label": "rct", "measure": "smd", "estimate": -0.4, "se": 0.1, "evidence_level": 1},
        {"label": "pre-post", "measure": "smd", "estimate": -0.4, "se": 0.1, "evidence_level": 3},
    ]
    from som_mc.inputs.pooling import pool_spec

    plain = pool_spec({"pool": studies, "method": "DL"}, {})
    adjusted = pool_spec({"pool": studies, "method": "DL", "evidence": True}, {})
    assert plain.weights.tolist() == pytest.approx([0.5, 0.5])
    # Level 3 also halves the effect (-0.2): the studies now differ, but DL's tau^2 stays 0
    # as Q = 0.2^2 / (0.01 + 0.04) = 0.8 < df = 1.
    assert adjusted.tau2 == 0.0
    assert adjusted.weights.tolist() == pytest.approx([0.8, 0.2])


def test_a_case_with_a_pooled_effect_loads(tmp_path) -> None:
    """`[success] effect = { pool = [...] }` in a case file becomes the success rate, with a
    note saying how."""
    text = example_path("cti").read_text(encoding="utf-8")
    start = text.index("[success]")
    end = text.index("\n[", start + 1)
    pooled = (
        "[success]\n"
        'effect = { pool = [{ label = "a", measure = "odds_ratio", estimate = 0.22, '
        'ci95 = [0.06, 0.88] }, { label = "b", measure = "odds_ratio", estimate = 0.6, '
        'se = 0.3 }], baseline = 0.6, outcome = "adverse" }\n'
    )
    path = tmp_path / "pooled.toml"
    path.write_text(text[:start] + pooled + text[end:], encoding="utf-8")
    case = load_case(path)
    assert case.inputs["success.rate"].family == "effect"
    assert any("random-effects pool (REML)" in n for n in case.notes)


def test_a_study_without_se_is_a_one_line_error(tmp_path) -> None:
    """A pooled study with neither se nor ci95: an error naming the file and the field."""
    text = example_path("cti").read_text(encoding="utf-8")
    start = text.index("[success]")
    end = text.index("\n[", start + 1)
    bad = (
        "[success]\n"
        'effect = { pool = [{ measure = "odds_ratio", estimate = 0.22, se = 0.7 }, '
        '{ measure = "odds_ratio", estimate = 0.5 }], baseline = 0.6, outcome = "adverse" }\n'
    )
    path = tmp_path / "bad.toml"
    path.write_text(text[:start] + bad + text[end:], encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_case(path)
    message = str(err.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: success.effect.pool[1].se: required")


def test_bad_method_is_refused() -> None:
    with pytest.raises(InputError, match="method: 'PM' is not allowed"):
        pool([0.1, 0.2], [0.1, 0.1], method="PM")
