"""What a careful analyst would check (issue 17): break-even, follow-up of an observed cohort,
portfolios on one basis, intention to treat.

Every expected number is worked out by hand in the comments next to the case.
"""

from __future__ import annotations

import copy

import numpy as np
import pytest

from som_mc import deterministic, run, summarize

# A case whose costs start in year 2: nothing happens in year 1 (cumulative 0), the costs of
# years 2-4 outweigh the small gains, so the case never pays back. No line falls on the region.
DELAYED = {
    "name": "delayed cost",
    "price_year": 2024,
    "horizon": 5,
    "intake": {"participants": [10], "course_years": 1},
    "cost": [{"label": "team", "type": "startup", "amount": 100_000, "years": [2, 3, 4]}],
    "success": {"rate": 0.2},
    "consequence": [
        {
            "key": "shelter_days",
            "unit": "days",
            "area": "social",
            "kind": "expenditure",
            "profile": [-10, -10, -10, -10, -10],
            "price": {"kommune": 500, "stat": 100},
        }
    ],
}
# By hand: 10 start and complete in year 1, 2 succeed; 20 fewer shelter days a year in years
# 1-5. Kommune: gain 20 × 500 = 10,000 a year; cost 100,000 in years 2, 3, 4.
#   net 10,000, -90,000, -90,000, -90,000, 10,000; cumulative 10,000, -80,000, -170,000,
#   -260,000, -250,000: it is >= 0 in year 1 and never again, so it never breaks even.
# Stat: gain 20 × 100 = 2,000 a year, no cost: >= 0 from year 1 (it is affected, by gains).
# Total: 12,000, -88,000, ...: never. The region has no flows at all: not affected.
DELAYED_CUM_KOMMUNE = [10_000, -80_000, -170_000, -260_000, -250_000]


def test_delayed_cost_never_breaks_even() -> None:
    """A cumulative result that is >= 0 in year 1 and negative from year 2 to the horizon
    does not break even (hand calculation above; docs/model.md §3)."""
    ds = deterministic(DELAYED)
    np.testing.assert_allclose(ds["cumulative"].sel(actor="kommune"), DELAYED_CUM_KOMMUNE)
    assert np.isnan(float(ds.break_even_year))
    assert np.isnan(float(ds.break_even_year_by_actor.sel(actor="kommune")))
    assert float(ds.break_even_year_by_actor.sel(actor="stat")) == 1.0


def test_break_even_is_the_year_from_which_it_stays_non_negative() -> None:
    """Costs in year 1 and again in year 4: the cumulative result turns >= 0 in year 2, falls
    below in year 4 and is >= 0 again from year 5, so break-even is year 5, not year 2."""
    case = copy.deepcopy(DELAYED)
    case["cost"] = [
        {"label": "start", "type": "startup", "amount": 15_000, "years": [1]},
        {"label": "renewal", "type": "startup", "amount": 30_000, "years": [4]},
    ]
    # Kommune net: -5,000, 10,000, 10,000, -20,000, 10,000; cumulative -5,000, 5,000, 15,000,
    # -5,000, 5,000: >= 0 from year 5 on.
    ds = deterministic(case)
    np.testing.assert_allclose(
        ds["cumulative"].sel(actor="kommune"), [-5_000, 5_000, 15_000, -5_000, 5_000]
    )
    assert float(ds.break_even_year_by_actor.sel(actor="kommune")) == 5.0
    # Total adds the stat's 2,000 a year: -3,000, 9,000, 21,000, 3,000, 15,000: year 2.
    assert float(ds.break_even_year) == 2.0


@pytest.mark.parametrize("summary_only", [False, True])
def test_actor_without_flows_is_not_affected(summary_only: bool) -> None:
    """The region has no price and no cost: its summary says 'not affected' (``affected``
    False, break-even median and P(never) NaN), not 'breaks even in year 1'; the kommune of
    the delayed case never breaks even in any draw."""
    case = copy.deepcopy(DELAYED)
    case["success"] = {"rate": {"dist": "beta", "alpha": 2, "beta": 8}}
    ds = run(case, draws=512, seed=3, summary_only=summary_only)
    s = ds if summary_only else summarize(ds)
    assert s.affected.sel(actor="region").item() is False
    assert bool(s.affected.sel(actor="kommune")) and bool(s.affected.sel(actor="total"))
    assert np.isnan(float(s.break_even_median.sel(actor="region")))
    assert np.isnan(float(s.p_never_break_even.sel(actor="region")))
    # Kommune: cumulative in year 5 = 5 years × 10 × rate × 10 days × 500 - 300,000
    # = 250,000 rate - 300,000 < 0 for every rate <= 1: never, in every draw.
    assert float(s.p_never_break_even.sel(actor="kommune")) == 1.0


# --------------------------------------------------------------------------------------------
# Follow-up of an observed cohort (issue 17, item 6)
# --------------------------------------------------------------------------------------------

# Two cohorts of 20 with a one-year course and no dropout: the first completes in year 1, the
# second in year 2. One consequence for one year: 10 fewer shelter days at 1,000 DKK (kommune);
# a start-up cost of 30,000 in year 1.
FOLLOW = {
    "name": "follow-up",
    "price_year": 2024,
    "horizon": 3,
    "intake": {"participants": [20, 20], "course_years": 1},
    "cost": [{"label": "start-up", "type": "startup", "amount": 30_000}],
    "success": {"rate": {"dist": "beta", "alpha": 2, "beta": 8}},
    "consequence": [
        {
            "key": "shelter_days",
            "unit": "days",
            "area": "social",
            "kind": "expenditure",
            "profile": [-10],
            "price": {"kommune": 1000},
        }
    ],
}


@pytest.mark.parametrize("mode", ["expected", "cohort"])
def test_observed_cohort_keeps_its_successes(mode: str) -> None:
    """After 5 of the first cohort's 20 completers succeeded, the posterior case has exactly
    5 successes in year 1 in every draw (nothing re-drawn); the second cohort is drawn from
    the posterior Beta(2 + 5, 8 + 15) (Gelman et al. 2013, BDA3, ch. 2)."""
    from som_mc.analysis.followup import posterior_case

    post = posterior_case(FOLLOW, (5, 20))
    ds = run(post, draws=2000, seed=4, mode=mode)
    np.testing.assert_array_equal(ds.successes.sel(year=1).values, 5.0)
    second = ds.successes.sel(year=2).values
    assert second.std() > 0
    # E[successes of cohort 2] = 20 × 7 / 30; in cohort mode the binomial adds variance.
    se = second.std(ddof=1) / np.sqrt(second.size)
    assert abs(second.mean() - 20 * 7 / 30) < 4 * se


@pytest.mark.parametrize("method", ["conjugate", "importance"])
def test_update_of_an_observed_cohort_by_hand(method: str) -> None:
    """The posterior mean present value is 5 × 10 × 1,000 for the observed cohort plus
    20 × E[r | data] × 10 × 1,000 = 200,000 × 7/30 for the second, less the 30,000 start-up:
    66,667 DKK, within 4 standard errors (re-drawing the first cohort would give
    400,000 × 7/30 - 30,000 = 63,333)."""
    from som_mc.analysis.followup import update

    ds = update(FOLLOW, (5, 20), draws=8000, seed=2, method=method)
    post = ds.sel(stage="posterior", actor="kommune")
    expected = 50_000 + 200_000 * 7 / 30 - 30_000
    assert abs(float(post.pv_mean) - expected) < 4 * float(post.pv_mean_mcse)
    assert ds.attrs["observed_cohort"] == 1


def test_observation_from_elsewhere_redraws_every_cohort() -> None:
    """``cohort=None``: K/N comes from another site, so both cohorts take the posterior rate
    (mean PV 400,000 × 7/30 - 30,000)."""
    from som_mc.analysis.followup import update

    ds = update(FOLLOW, (5, 20), draws=8000, seed=2, cohort=None)
    post = ds.sel(stage="posterior", actor="kommune")
    assert abs(float(post.pv_mean) - (400_000 * 7 / 30 - 30_000)) < 4 * float(post.pv_mean_mcse)


def test_observed_cohort_outside_the_horizon_is_refused() -> None:
    """A cohort that completes after the horizon cannot have been observed: refused."""
    from som_mc.analysis.followup import posterior_case
    from som_mc.errors import InputError

    with pytest.raises(InputError, match="cohort"):
        posterior_case(FOLLOW, (5, 20), cohort=4)


# --------------------------------------------------------------------------------------------
# Intention to treat (issue 17, item 5)
# --------------------------------------------------------------------------------------------

ITT = copy.deepcopy(FOLLOW)
ITT["intake"] = {"participants": [100], "course_years": 1, "dropout": 0.2}
ITT["success"] = {"rate": 0.3}


def test_success_rate_of_completers_by_default() -> None:
    """Default (SØM's reading, docs/model.md §3): 100 start, 80 complete, 30 % of completers
    succeed: 24 successes."""
    ds = deterministic(ITT)
    assert float(ds.successes.sel(year=1)) == pytest.approx(24.0)


@pytest.mark.parametrize("mode", ["expected", "cohort"])
def test_intention_to_treat_rate_applies_to_starters(mode: str) -> None:
    """``applies_to = "starters"`` (an effect estimated by intention to treat): 30 % of the
    100 starters succeed, 30 successes, dropout not removed again; in cohort mode
    Binomial(100, 0.3), mean 30 within 4 standard errors."""
    case = copy.deepcopy(ITT)
    case["success"]["applies_to"] = "starters"
    if mode == "expected":
        assert float(deterministic(case).successes.sel(year=1)) == pytest.approx(30.0)
        return
    ok = run(case, draws=2000, seed=5, mode="cohort").successes.sel(year=1).values
    se = np.sqrt(100 * 0.3 * 0.7 / ok.size)
    assert abs(ok.mean() - 30.0) < 4 * se


# --------------------------------------------------------------------------------------------
# Portfolios on one basis (issue 17, item 7)
# --------------------------------------------------------------------------------------------


def _option(**changes: object) -> dict:
    case = copy.deepcopy(DELAYED)
    case.update(changes)
    return case


@pytest.mark.parametrize(
    ("field", "other"),
    [("discount_rate", 0.035), ("discount_rate", "fm2021"), ("price_year", 2023)],
)
def test_portfolio_refuses_a_mix_of_bases(field: str, other: object) -> None:
    """Options with different discount rates or price years are not comparable: refused, with
    a message naming the option, the field and both values."""
    from som_mc.errors import InputError
    from som_mc.pipeline.portfolios import portfolio

    cases = {"a": _option(), "b": _option(**{field: other})}
    with pytest.raises(InputError) as info:
        portfolio(cases, draws=64, seed=1)
    assert f"b.{field}" in str(info.value) and "'a'" in str(info.value)


def test_compare_command_refuses_mixed_discount_rates(tmp_path, capsys) -> None:
    """`som-mc compare` turns the refusal into one line, exit status 2."""
    import tomli_w

    from som_mc.cli import main

    paths = []
    for name, rate in (("a", 0.0), ("b", 0.035)):
        path = tmp_path / f"{name}.toml"
        path.write_text(tomli_w.dumps(_option(discount_rate=rate)), encoding="utf-8")
        paths.append(f"{name}={path}")
    code = main(["compare", *paths, "--draws", "64", "--quiet"])
    err = capsys.readouterr().err
    assert code == 2
    assert "discount_rate" in err and err.count("\n") == 1


def test_portfolio_on_one_stated_rate() -> None:
    """``discount_rate=`` puts every option on one rate, stated in the attrs: option b's
    present value is then the one at 0 % (the delayed case's kommune: -250,000, by hand)."""
    from som_mc.pipeline.portfolios import portfolio

    cases = {"a": _option(), "b": _option(discount_rate=0.035)}
    ds = portfolio(cases, draws=64, seed=1, discount_rate=0.0)
    assert "'b'" in ds.attrs["basis"] and "0.035" in ds.attrs["basis"]
    pv = ds.present_value.sel(option="b", actor="kommune").values
    np.testing.assert_allclose(pv, -250_000.0)


def test_course_refuses_steps_on_different_rates() -> None:
    """A course adds its steps up, so steps with different discount rates are refused, naming
    the step, the field and how to state one rate in the course file."""
    from som_mc.errors import InputError
    from som_mc.inputs.course_file import load_course

    course = {
        "step": [
            {"name": "a", "case": _option()},
            {"name": "b", "case": _option(discount_rate=0.035)},
        ]
    }
    with pytest.raises(InputError) as info:
        load_course(course)
    assert "b.discount_rate" in str(info.value)
    assert "discount_rate = ... in the course file" in str(info.value)


def test_course_on_one_stated_rate() -> None:
    """``discount_rate`` in a course file puts every step on it, stated in the results'
    ``basis``; the shipped course states its rate the same way. By hand, at 0 %: step b starts
    a's 8 completers without success in year 2; 1.6 succeed, 16 fewer shelter days a year in
    years 2-5 at 500 DKK to the kommune (32,000), against b's 100,000 in each of years 2-4: the
    kommune's present value of b is -268,000 (at b's own 3.5 % it would be -250,779)."""
    from som_mc.inputs.examples import course_path
    from som_mc.pipeline.course import run_course

    course = {
        "discount_rate": 0.0,
        "step": [
            {"name": "a", "case": _option()},
            {"name": "b", "case": _option(discount_rate=0.035)},
        ],
    }
    ds = run_course(course, draws=64, seed=1)
    assert "'b' (0.035)" in ds.attrs["basis"]
    pv = ds.present_value_by_step.sel(step="b", actor="kommune").values
    np.testing.assert_allclose(pv, -268_000.0)
    shipped = run_course(course_path("cti_then_housing_first"), draws=64, seed=1)
    assert "fm2021" in shipped.attrs["basis"] and "'cti' (0)" in shipped.attrs["basis"]


# --------------------------------------------------------------------------------------------
# Time-limited lines (issue 17, item 2)
# --------------------------------------------------------------------------------------------

# 10 start a one-year course, 50 % succeed: 5 successes completing in year 1. Floating
# support in the own home is refunded half by the state for 2 years after a § 110 stay (rule
# refusion_85a_first_2_years, SEL § 176 a, stk. 1): one person-year per success at 100,000 DKK.
REFUNDED = {
    "name": "refunded support",
    "price_year": 2024,
    "horizon": 5,
    "intake": {"participants": [10], "course_years": 1},
    "cost": [{"label": "start-up", "type": "startup", "amount": 1_000}],
    "success": {"rate": 0.5},
    "extrapolation": {"rule": "hold"},
    "consequence": [
        {
            "key": "housing_first_support_refunded_years",
            "profile": [1, 1],
            "unit_price": 100_000,
            "split": "refusion_85a_first_2_years",
        }
    ],
}
# By hand: 5 person-years a year in years 1 and 2 at 100,000, half each: -250,000 a year for
# the kommune and the stat; nothing after year 2, whatever the rule: the refund ends by law.
# (Charged for ever under hold, years 3-5 would add another 750,000 each.)


def test_hold_respects_a_two_year_refund() -> None:
    """Under ``hold`` the 2-year refunded support line stops after year 2 (hand calculation)."""
    ds = deterministic(REFUNDED)
    np.testing.assert_allclose(ds.gain.sel(actor="stat"), [-250_000, -250_000, 0, 0, 0])
    np.testing.assert_allclose(ds.gain.sel(actor="kommune"), [-250_000, -250_000, 0, 0, 0])


def test_hold_extends_a_line_up_to_its_own_limit() -> None:
    """A case's own line with ``max_years = 3`` and a one-year profile holds for years 2 and 3
    and stops: 5 successes × 2 units × 1,000 = -10,000 a year in years 1-3."""
    case = copy.deepcopy(REFUNDED)
    case["consequence"] = [
        {
            "key": "benefit_weeks",
            "unit": "weeks",
            "area": "employment",
            "kind": "expenditure",
            "profile": [2],
            "max_years": 3,
            "price": {"kommune": 1_000},
        }
    ]
    ds = deterministic(case)
    np.testing.assert_allclose(ds.gain.sel(actor="kommune"), [-10_000, -10_000, -10_000, 0, 0])
    mc = run(case, draws=64, seed=1)
    np.testing.assert_allclose(mc.net.sel(actor="kommune").values[:, 3:], 0.0)


def test_profile_longer_than_its_limit_is_refused() -> None:
    """A profile of 3 years on a line limited to 2 is an error naming the field."""
    from som_mc.errors import InputError

    case = copy.deepcopy(REFUNDED)
    case["consequence"][0]["profile"] = [1, 1, 1]
    with pytest.raises(InputError, match="max_years"):
        deterministic(case)


def test_knowledge_validation_catches_a_time_limited_line_without_its_limit(tmp_path) -> None:
    """A consequence priced with a rule limited to 2 years must carry ``max_years``: a copy of
    the knowledge base without it is reported by ``check_knowledge``."""
    import shutil

    from som_mc.inputs.knowledge import check_knowledge
    from som_mc.inputs.knowledge.base import knowledge_dir

    root = tmp_path / "kb"
    shutil.copytree(knowledge_dir(), root)
    path = root / "consequences.toml"
    text = path.read_text(encoding="utf-8")
    assert "max_years = 2" in text
    path.write_text(text.replace("max_years = 2\n", "", 1), encoding="utf-8")
    _, problems = check_knowledge(root)
    assert any("max_years" in str(p) for p in problems), problems
    _, clean = check_knowledge(knowledge_dir())
    assert clean == []


def test_cti_under_hold_keeps_the_refund_to_two_years() -> None:
    """The shipped CTI case: its refunded support line (profile of 2 years, limited to 2 by
    the knowledge base) is not carried on by ``hold``; the other lines' profiles already run
    to the horizon, so the deterministic present value under hold equals the one under stop."""
    import tomllib

    from som_mc.inputs.examples import example_path

    with open(example_path("cti"), "rb") as f:
        case = tomllib.load(f)
    stop = float(deterministic(case).present_value.sum())
    case["extrapolation"] = {"rule": "hold"}
    assert float(deterministic(case).present_value.sum()) == pytest.approx(stop, rel=1e-12)
