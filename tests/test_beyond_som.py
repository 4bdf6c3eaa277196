"""Subgroups, family consequences and long-term extrapolation (docs/model.md §6)."""

from __future__ import annotations

import numpy as np
import pytest

from som_mc import deterministic, run
from som_mc.analysis.sensitivity.analysis import sobol
from som_mc.errors import InputError
from som_mc.inputs.case.load import load_case

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


def test_a_line_can_stay_out_of_the_extrapolation(base_case):
    """`extrapolate = false` keeps a line at SØM's stop rule while the others hold: hand
    calculation (the shelter line stops after year 3, a second line holds its last value)."""
    second = dict(base_case["consequence"][0], key="prison_days", profile=[-2], extrapolate=True)
    second["price"] = {"kommune": 1000}
    base_case["consequence"][0]["extrapolate"] = False
    base_case["consequence"].append(second)
    base_case["extrapolation"] = {"rule": "hold"}
    ds = deterministic(base_case)
    by = ds.gain_by_consequence.sel(actor="kommune")
    np.testing.assert_allclose(
        by.sel(consequence="shelter_days"), SUCCESSES * PRICE * np.array([100, 80, 60, 0, 0])
    )
    np.testing.assert_allclose(by.sel(consequence="prison_days"), SUCCESSES * 1000 * 2.0)


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
    with pytest.raises(InputError, match=r"add up to 0\.9"):
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
    with pytest.raises(InputError, match=r"subgroup.*add up to 0\.9"):
        load_case(case)
    case = _with_subgroups(base_case, consequence=[{"key": "prison_days", "scale": 2}])
    with pytest.raises(InputError, match=r"subgroup\[0\]\.consequence\[0\]\.key"):
        load_case(case)


def _two_steps(base_case: dict, kind: str) -> dict:
    second = dict(base_case, name="second")
    second["cost"] = [{"label": "second", "type": "per_participant", "amount": 20_000}]
    second["success"] = {"rate": 0.5}
    second["consequence"] = [
        {
            "key": "prison_days",
            "unit": "days",
            "area": "crime",
            "kind": "expenditure",
            "profile": [-10, -10],
            "price": {"kommune": 1000},
        }
    ]
    return {
        "name": "two steps",
        "kind": kind,
        "step": [{"name": "first", "case": base_case}, {"name": "second", "case": second}],
    }


def test_sequence_of_two_interventions_equals_a_hand_calculation(base_case):
    """Step 1: 20 start in year 1, 6 succeed (30 %), 14 complete without success and start
    step 2 in year 2, where 7 succeed (50 %). Kommune, by hand: year 1 = 6 x 100 x 700 -
    20 x 10,000 = 220,000; year 2 = 6 x 80 x 700 - 14 x 20,000 + 7 x 10 x 1,000 = 126,000;
    year 3 = 6 x 60 x 700 + 7 x 10 x 1,000 = 322,000; years 4-5 = 0."""
    from som_mc.pipeline.course import run_course

    ds = run_course(_two_steps(base_case, "sequence"), draws=10, seed=1)
    kommune = ds.net.sel(actor="kommune").isel(draw=0).values
    np.testing.assert_allclose(kommune, [220_000, 126_000, 322_000, 0, 0], rtol=1e-12)
    np.testing.assert_allclose(
        ds.participants_by_step.isel(draw=0).values,
        [[20, 0, 0, 0, 0], [0, 14, 0, 0, 0]],
    )
    np.testing.assert_allclose(ds.successes_by_step.isel(draw=0).sum("year"), [6, 7])
    np.testing.assert_allclose(ds.net_by_step.sum("step"), ds.net)
    assert ds.consequence.values.tolist() == ["shelter_days", "prison_days"]


def test_combination_is_one_package(base_case):
    """Both given to the 20 participants of step 1: rate 1 - 0.7 x 0.5 = 0.65, so 13
    successes; costs 20 x (10,000 + 20,000); gain 13 x 100 x 700 in year 1 (by hand)."""
    from som_mc.pipeline.course import run_course

    ds = run_course(_two_steps(base_case, "combination"), draws=10, seed=1)
    kommune = ds.net.sel(actor="kommune").isel(draw=0).values
    np.testing.assert_allclose(kommune[0], 13 * 100 * 700 - 20 * 30_000, rtol=1e-12)
    np.testing.assert_allclose(ds.successes_by_step.isel(draw=0).sum(), 13)


def test_steps_share_their_common_inputs(base_case):
    """The shelter-day price is one input when both steps give it the same distribution, so
    both steps see the same draw; the steps' own success rates stay two inputs."""
    from som_mc.inputs.course_file import load_course

    base_case["consequence"][0]["price"]["kommune"] = {"dist": "normal", "mean": 700, "sd": 50}
    course = _two_steps(base_case, "sequence")
    course["step"][1]["case"]["consequence"] = base_case["consequence"]
    course["step"][1]["case"]["success"] = {"rate": {"dist": "beta", "mean": 0.5, "sd": 0.1}}
    _, comp = load_course(course)
    assert "consequence.shelter_days.price.kommune" in comp.inputs.uncertain
    assert "second.success.rate" in comp.inputs.uncertain
    assert not any(n.startswith("first.consequence") for n in comp.inputs.names)


def test_portfolio_probabilities_sum_to_one_and_match_a_direct_count(base_case):
    """P(best) per actor sums to 1 over the options and equals the share of draws in which
    each option has the highest present value, counted directly on the draws; options share
    the shelter-day price draw."""
    from som_mc import portfolio

    base_case["consequence"][0]["price"]["kommune"] = {"dist": "normal", "mean": 700, "sd": 50}
    other = dict(base_case, success={"rate": {"dist": "beta", "mean": 0.25, "sd": 0.08}})
    base_case["success"]["rate"] = {"dist": "beta", "mean": 0.3, "sd": 0.05}
    ds = portfolio({"a": base_case, "b": other}, draws=5000, seed=2)
    np.testing.assert_allclose(ds.p_best.sum("option"), 1.0, rtol=1e-12)
    pv = ds.present_value.sel(actor="kommune").values
    best = np.argmax(pv, axis=1)
    direct = [np.mean(best == i) for i in range(2)]
    np.testing.assert_allclose(ds.p_best.sel(actor="kommune").values, direct)
    assert 0.1 < direct[0] < 0.95  # a real comparison, not a foregone one


def test_subgroup_success_from_a_study(base_case):
    """A subgroup's own success may name an effect study: it resolves to the same
    distribution as the top-level success would (the conversion itself is tested in
    test_evidence)."""
    effect = {"study": "cti_herman_2011_homelessness", "baseline": 0.6, "outcome": "adverse"}
    top = load_case(dict(base_case, success={"effect": effect}))
    case = _with_subgroups(base_case, success={"effect": dict(effect)})
    loaded = load_case(case)
    assert loaded.inputs["subgroup.young.success.rate"] == top.inputs["success.rate"]
    assert any(note.startswith("subgroup young:") for note in loaded.notes)
    bad = _with_subgroups(base_case, success={"effect": {"study": "nope", "baseline": 0.6}})
    with pytest.raises(InputError, match=r"subgroup\[0\]\.success\.effect"):
        load_case(bad)


def _doc_blocks(name: str) -> list[dict]:
    import re
    import tomllib
    from pathlib import Path

    text = (Path(__file__).parents[1] / "docs" / name).read_text(encoding="utf-8")
    return [tomllib.loads(b) for b in re.findall(r"```toml\n(.*?)```", text, flags=re.S)]


def test_the_examples_in_docs_beyond_load_and_run(base_case):
    """Every TOML example of docs/beyond.md works in a case (subgroups, a family line, the
    extrapolation table) or as a course file."""
    subgroups, family, extrapolation, course = _doc_blocks("beyond.md")
    case = dict(base_case, horizon=10, **subgroups, **extrapolation)
    case["consequence"] = [*base_case["consequence"], *family["consequence"]]
    loaded = load_case(case)
    names = loaded.inputs.uncertain
    assert "subgroup.age_18_29.success.rate" in names
    assert "consequence.child_placement_days.members" in names
    assert "extrapolation.rule" in names and "extrapolation.decay" in names
    ds = run(loaded, draws=500, seed=1)
    np.testing.assert_allclose(ds.present_value_by_subgroup.sum("subgroup"), ds.present_value)
    assert course["kind"] == "sequence" and len(course["step"]) == 2


def test_a_course_file_given_as_a_case_says_what_it_is(capsys):
    """`som-mc run COURSE.toml` does not list unknown fields: it says to use `som-mc course`."""
    from som_mc.cli import main
    from som_mc.inputs.examples import course_path

    assert main(["run", str(course_path("cti_then_housing_first")), "--no-save"]) == 2
    assert "som-mc course" in capsys.readouterr().err
