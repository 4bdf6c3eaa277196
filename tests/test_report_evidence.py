"""Pooled evidence and the cost model in the report (issue 18 d): a forest plot and the
pooled table for a case that pools studies, the cost breakdown for a case with resources;
neither for a case without them."""

from __future__ import annotations

import tomllib

import numpy as np
import pytest

from som_mc import example_path
from som_mc.inputs.knowledge.base import load_knowledge
from som_mc.inputs.pooling import pool_spec
from som_mc.present.report import compute_report_data, render_report

POOL = {
    "pool": [
        {"label": "a", "measure": "odds_ratio", "estimate": 0.22, "ci95": [0.06, 0.88]},
        {"label": "b", "measure": "odds_ratio", "estimate": 0.6, "se": 0.3},
    ],
    "baseline": 0.6,
    "outcome": "adverse",
}
RESOURCES = [
    {"label": "Social worker", "kind": "staff", "wage": 300,
     "hours": {"dist": "uniform", "min": 20, "max": 40},
     "overhead": {"dist": "uniform", "min": 0.1, "max": 0.3}},
    {"label": "Set-up", "kind": "setup", "amount": 50_000},
]  # fmt: skip


def _case() -> dict:
    """The CTI example with two pooled studies as its success and two [[resource]] lines."""
    case = tomllib.loads(example_path("cti").read_text(encoding="utf-8"))
    case["success"] = {"effect": dict(POOL)}
    case["resource"] = [dict(r) for r in RESOURCES]
    return case


@pytest.fixture(scope="module")
def data():
    return compute_report_data(_case(), draws=500, seed=1, sobol_n=64)


@pytest.mark.slow
def test_pooled_evidence_and_cost_breakdown_are_in_the_report(data) -> None:
    """Both languages show the evidence section (studies, pooled mean, prediction interval,
    forest plot) and the cost section (each resource's line, whole cost, per participant);
    the pooled numbers are those of `pool_spec`, the cost means those of the breakdown."""
    expected = pool_spec(POOL, load_knowledge().effects)
    assert data.pooled.estimate == pytest.approx(expected.estimate)
    for lang, pooled_word in (("en", "Pooled mean"), ("da", "Samlet middelværdi")):
        html = render_report(data, lang)
        assert 'id="evidence"' in html and 'id="figure-forest"' in html
        assert 'id="costs"' in html and "Social worker" in html and "Set-up" in html
        assert pooled_word in html
    en = render_report(data, "en")
    odds = f"{np.exp(expected.estimate):,.3f}"
    assert f"<td>{odds}</td>" in en  # the pooled odds ratio, as the table shows it
    lo, hi = (f"{np.exp(v):,.3f}" for v in expected.pi)
    assert f"{lo} – {hi}" in en  # the prediction interval of a new setting
    b = data.costs
    assert len(b.labels) >= 3 and "Social worker" in b.labels
    assert f"{b.total.mean():,.0f} DKK" in en
    da = render_report(data, "da")
    assert "Pr. deltager" in da and "personale" in da


@pytest.mark.slow
def test_plain_case_has_neither_section() -> None:
    """The CTI example (one study, typed cost totals) has no evidence and no cost section."""
    data = compute_report_data(example_path("cti"), draws=300, seed=1, sobol_n=64)
    assert data.pooled is None and data.costs is None
    html = render_report(data, "en")
    assert 'id="evidence"' not in html and 'id="costs"' not in html


def test_a_loaded_case_file_keeps_its_pooled_evidence(tmp_path) -> None:
    """`som-mc report` hands the report a loaded Case: the pooling behind its success rate is
    read again from the case's file, so the evidence section is there (the same pool_spec)."""
    import tomli_w

    from som_mc import load_case
    from som_mc.present.report.build import _pooled

    path = tmp_path / "pooled.toml"
    path.write_bytes(tomli_w.dumps(_case()).encode())
    got = _pooled(load_case(path))
    assert got is not None
    assert got.estimate == pytest.approx(pool_spec(POOL, load_knowledge().effects).estimate)
    assert _pooled(load_case(example_path("cti"))) is None
