"""The numba kernel against an independent numpy implementation of the same calculation.

The reference (benchmarks/reference.py) writes docs/model.md §3 and the kernel's extras
(dropout, gross rate minus deadweight, persistence, discounting, cost types, price splits) as
array operations over draws; it shares nothing with the kernel but the case's layout. The case
is the benchmark's standard case (benchmarks/cases.py) at fewer draws, in variants that switch
on the kernel's other branches.
"""

from __future__ import annotations

import numpy as np
import pytest

from benchmarks.cases import benchmark_case
from benchmarks.reference import simulate_reference
from som_mc import load_case, run
from som_mc.model.layout import build_layout

#: Dataset variable of each kernel output the reference computes.
OUTPUTS = {
    "net": "net",
    "present_value": "present_value",
    "gain_pv": "gain_pv",
    "cost_pv": "cost_pv",
    "consequence_pv": "consequence_pv",
    "successes": "successes",
}


def _variant(name: str) -> dict:
    """The standard case, or one that takes the kernel's other branches."""
    if name == "standard":
        return benchmark_case()
    if name == "gross rate, persistence":
        return benchmark_case(gross_rate=True, persistence=True)
    case = benchmark_case(persistence=True)
    case["discount_rate"] = "fm2021"  # fixed discount factors instead of a sampled rate
    return case


VARIANTS = ["standard", "gross rate, persistence", "fm2021 discounting, persistence"]


@pytest.mark.parametrize("variant", VARIANTS)
def test_expected_mode_equals_reference(variant: str) -> None:
    """Expected mode: every output equals the reference to 1e-9 of its largest value, and the
    break-even years exactly. Reference: benchmarks/reference.py on the run's sampled inputs."""
    case = load_case(_variant(variant))
    ds = run(case, draws=2000, seed=7, mode="expected", threads=1)
    ref = simulate_reference(build_layout(case), ds["inputs"].values)
    for key, name in OUTPUTS.items():
        ours = ds[name].values
        scale = np.abs(ref[key]).max()
        assert scale > 0, key  # a comparison of zeros would prove nothing
        np.testing.assert_allclose(ours, ref[key], rtol=1e-9, atol=1e-9 * scale, err_msg=key)
    np.testing.assert_array_equal(ds["break_even_year"].values, ref["break_even_year"])
    np.testing.assert_array_equal(
        ds["break_even_year_by_actor"].values, ref["break_even_year_by_actor"]
    )
    # The comparison covers both outcomes of break-even, not only "never".
    assert 0 < np.isnan(ref["break_even_year"]).sum() < len(ref["break_even_year"])


def _max_z(ours: np.ndarray, theirs: np.ndarray) -> float:
    """Largest distance between the column means of two independent samples, in standard
    errors of the difference; columns that do not vary in either sample are left out."""
    se = np.sqrt(ours.var(axis=0, ddof=1) / len(ours) + theirs.var(axis=0, ddof=1) / len(theirs))
    moving = se > 0  # years before anyone completes have no successes in either
    assert moving.any()
    return float((np.abs(ours.mean(axis=0) - theirs.mean(axis=0))[moving] / se[moving]).max())


@pytest.mark.parametrize("variant", VARIANTS[:2])
def test_cohort_mode_matches_reference_in_distribution(variant: str) -> None:
    """Cohort mode draws from different random streams in the kernel and the reference; the
    mean present value of each actor and the mean successes of each year agree within 4
    standard errors of the difference of two independent means (central limit theorem)."""
    case = load_case(_variant(variant))
    ds = run(case, draws=4000, seed=11, mode="cohort", threads=1)
    rng = np.random.default_rng(20261130)
    ref = simulate_reference(build_layout(case), ds["inputs"].values, cohort=True, rng=rng)
    for name, key in (("present_value", "present_value"), ("successes", "successes")):
        z = _max_z(ds[name].values, ref[key])
        assert z < 4, f"{name}: {z:.2f} standard errors apart"
    # Whole citizens: the cohort really is drawn, on both sides.
    assert np.array_equal(ref["successes"], np.round(ref["successes"]))
    assert np.array_equal(ds["successes"].values, np.round(ds["successes"].values))


def test_cohort_comparison_detects_a_wrong_success_rate() -> None:
    """The 4-standard-error check has power: a reference whose success rate is 10 % too high
    (0.22 instead of 0.20 on average) is told apart from the kernel at 4000 draws."""
    case = load_case(_variant("standard"))
    ds = run(case, draws=4000, seed=11, mode="cohort", threads=1)
    x = ds["inputs"].values.copy()
    x[:, case.inputs.uncertain.index("success.rate")] *= 1.1
    rng = np.random.default_rng(20261130)
    ref = simulate_reference(build_layout(case), x, cohort=True, rng=rng)
    assert _max_z(ds["successes"].values, ref["successes"]) > 4
