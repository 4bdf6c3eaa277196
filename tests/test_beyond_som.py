"""Subgroups, family consequences and long-term extrapolation (MODEL.md section 5)."""

from __future__ import annotations

import numpy as np
import pytest

from som_mc import deterministic, run
from som_mc.case.load import load_case
from som_mc.errors import InputError
from som_mc.sensitivity.analysis import sobol

# The base case (conftest): 20 start in year 1, a one-year course, 30 % succeed, so 6
# successes in year 1; shelter days fall by 100, 80, 60 in years 1-3 at 700 kr for kommune and
# for stat.
SUCCESSES = 6.0
PRICE = 700.0


def _kommune_gain(ds) -> np.ndarray:
    return (ds.net.sel(actor="kommune") + ds.cost.sel(actor="kommune")).values


def test_extrapolation_stop_is_soms_rule(base_case):
    """Without [extrapolation] the profile stops after its years (SØM): hand calculation."""
    expected = SUCCESSES * PRICE * np.array([100, 80, 60, 0, 0])
    np.testing.assert_allclose(_kommune_gain(deterministic(base_case)), expected, rtol=1e-12)
    base_case["extrapolation"] = {"rule": "stop"}
    np.testing.assert_allclose(_kommune_gain(deterministic(base_case)), expected, rtol=1e-12)


def test_extrapolation_hold_and_decay(base_case):
    """Hold repeats the last year's change; decay at d shrinks it by (1 - d) a year: hand
    calculation on the base case (last profile year 60 days)."""
    base_case["extrapolation"] = {"rule": "hold"}
    hold = SUCCESSES * PRICE * np.array([100, 80, 60, 60, 60])
    np.testing.assert_allclose(_kommune_gain(deterministic(base_case)), hold, rtol=1e-12)
    base_case["extrapolation"] = {"rule": "decay", "decay": 0.25}
    decay = SUCCESSES * PRICE * np.array([100, 80, 60, 45, 33.75])
    np.testing.assert_allclose(_kommune_gain(deterministic(base_case)), decay, rtol=1e-12)


def test_uncertain_rule_mixes_the_rules_and_drives_the_spread(base_case):
    """With the rule uncertain, the mean of the present value over draws is the probability-
    weighted mean of the three rules' values (law of total expectation), within 4 standard
    errors; and the rule's Sobol' total index is large when only the rule is uncertain."""
    weights = {"hold": 0.3, "decay": 0.5, "stop": 0.2}
    values = {}
    for rule in weights:
        base_case["extrapolation"] = {"rule": rule, "decay": 0.25}
        values[rule] = float(deterministic(base_case).present_value.sel(actor="kommune"))
    base_case["extrapolation"] = {"rule": weights, "decay": 0.25}
    case = load_case(base_case)
    assert case.inputs.uncertain == ["extrapolation.rule"]
    ds = run(case, draws=20_000, seed=3)
    pv = ds.present_value.sel(actor="kommune").values
    expected = sum(weights[r] * values[r] for r in weights)
    assert abs(pv.mean() - expected) < 4 * pv.std(ddof=1) / np.sqrt(pv.size)
    shares = {r: np.mean(np.isclose(pv, values[r])) for r in weights}
    for rule, w in weights.items():
        assert abs(shares[rule] - w) < 4 * np.sqrt(w * (1 - w) / pv.size)

    base_case["success"]["rate"] = {"dist": "beta", "mean": 0.3, "sd": 0.02}
    base_case["horizon"] = 10
    indices = sobol(base_case, n=1024, seed=1, replicates=2)
    st = indices.ST.sel(output="kommune")
    assert float(st.sel(input="extrapolation.rule")) > float(st.sel(input="success.rate"))


def test_bad_rule_is_a_clear_error(base_case):
    base_case["extrapolation"] = {"rule": {"hold": 0.5, "fade": 0.5}}
    with pytest.raises(InputError, match=r"extrapolation\.rule.*'fade' is not a rule"):
        load_case(base_case)
    base_case["extrapolation"] = {"rule": {"hold": 0.5, "stop": 0.4}}
    with pytest.raises(InputError, match="add up to 0.9"):
        load_case(base_case)


def test_family_members_multiply_the_consequence(base_case):
    """A family consequence counts per affected member: with 1.5 members per success the
    gain is 1.5 times the per-member gain (hand calculation); with an uncertain number of
    members, the mean over draws is E[members] times it (expected mode, independent inputs),
    within 4 standard errors."""
    child = dict(base_case["consequence"][0], key="child_placement", profile=[-10, -10])
    child["price"] = {"kommune": 2000}
    base_case["consequence"].append(dict(child, members=1.5))
    ds = deterministic(base_case)
    by = ds.gain_by_consequence.sel(consequence="child_placement", actor="kommune").values
    np.testing.assert_allclose(by, 1.5 * SUCCESSES * 2000 * np.array([10, 10, 0, 0, 0]))

    base_case["consequence"][1]["members"] = {"dist": "gamma", "mean": 1.5, "sd": 0.5}
    draws = run(base_case, draws=20_000, seed=5)
    pv = draws.consequence_pv.sel(consequence="child_placement", actor="kommune").values
    expected = 1.5 * SUCCESSES * 2000 * 20
    assert abs(pv.mean() - expected) < 4 * pv.std(ddof=1) / np.sqrt(pv.size)
    assert "consequence.child_placement.members" in load_case(base_case).inputs.uncertain


def _with_subgroups(case: dict, **young) -> dict:
    case = dict(case)
    case["subgroup"] = [
        {"name": "young", "label": "18-29", "share": 0.4, **young},
        {"name": "older", "label": "30+", "share": 0.6},
    ]
    return case


@pytest.mark.parametrize("mode", ["expected", "cohort"])
def test_subgroups_sharing_inputs_add_up_to_the_ungrouped_run(base_case, mode):
    """Subgroups that share every input: their results add up to the case without subgroups,
    draw by draw (same seed, same inputs). In cohort mode the intake shares (8 and 12 of 20)
    are whole numbers, so the citizens are the same too; the binomial draws differ, so there
    only the expected-mode identity is exact and cohort mode is compared in mean."""
    base_case["success"]["rate"] = {"dist": "pert", "min": 0.1, "mode": 0.3, "max": 0.5}
    base_case["cost"].append({"label": "start", "type": "startup", "amount": 50_000})
    plain = run(base_case, draws=5000, seed=11, mode=mode)
    grouped = run(_with_subgroups(base_case), draws=5000, seed=11, mode=mode)
    total = grouped.present_value_by_subgroup.sum("subgroup")
    np.testing.assert_allclose(total, grouped.present_value, rtol=1e-12, atol=1e-6)
    np.testing.assert_allclose(grouped.net_by_subgroup.sum("subgroup"), grouped.net, atol=1e-6)
    if mode == "expected":
        np.testing.assert_allclose(grouped.present_value, plain.present_value, rtol=1e-12)
        np.testing.assert_allclose(grouped.net, plain.net, rtol=1e-12, atol=1e-6)
        np.testing.assert_array_equal(grouped.break_even_year, plain.break_even_year)
    else:
        a, b = grouped.present_value.sum("actor"), plain.present_value.sum("actor")
        se = np.sqrt(a.var() / a.size + b.var() / b.size)
        assert abs(float(a.mean() - b.mean())) < 4 * float(se)


def test_subgroup_with_its_own_success_rate(base_case):
    """A subgroup's own rate changes only its part: hand calculation, 8 young at 50 % and 12
    older at 30 % succeed in year 1 (4 + 3.6 successes)."""
    case = _with_subgroups(base_case, success={"rate": 0.5})
    ds = deterministic(case)
    assert float(ds.successes.sel(year=1)) == pytest.approx(0.4 * 20 * 0.5 + 0.6 * 20 * 0.3)
    loaded = load_case(case)
    assert "subgroup.young.success.rate" in loaded.inputs.names
    draws = run(case, draws=100, seed=1)
    young = draws.successes_by_subgroup.sel(subgroup="young", year=1)
    np.testing.assert_allclose(young, 4.0)


def test_subgroup_errors_name_the_field(base_case):
    case = _with_subgroups(base_case)
    case["subgroup"][1]["share"] = 0.5
    with pytest.raises(InputError, match="subgroup.*add up to 0.9"):
        load_case(case)
    case = _with_subgroups(base_case, consequence=[{"key": "prison_days", "scale": 2}])
    with pytest.raises(InputError, match=r"subgroup\[0\]\.consequence\[0\]\.key"):
        load_case(case)
