"""The deterministic calculation against a hand calculation (docs/model.md §3)."""

from __future__ import annotations

import numpy as np
import pytest

from som_mc import deterministic
from som_mc.model.layout import discount_factors_fm2021

# A case small enough to work out by hand: two intake years, a 2-year course, two consequences
# with 3-year profiles, prices for two actors, one revenue item, 3.5 % discount rate.
HAND_CASE = {
    "name": "hand calculation",
    "price_year": 2024,
    "horizon": 6,
    "discount_rate": 0.035,
    "intake": {"participants": [10, 20], "course_years": 2, "dropout": 0.1},
    "cost": [
        {"label": "start-up", "type": "startup", "amount": 100_000, "actor": "kommune"},
        {"label": "per participant", "type": "per_participant", "amount": 5_000},
        {"label": "team", "type": "operating", "amount": 20_000, "actor": "kommune"},
    ],
    # A distribution whose mean is 0.3: the deterministic run uses central values (means).
    "success": {"rate": {"dist": "beta", "alpha": 3, "beta": 7}},
    "consequence": [
        {
            "key": "shelter_days",
            "unit": "days",
            "area": "social",
            "kind": "expenditure",
            "profile": [-10, -8, -5],
            "price": {"kommune": 1000, "stat": 500},
        },
        {
            "key": "weeks_in_work",
            "unit": "weeks",
            "area": "employment",
            "kind": "revenue",
            "profile": [10, 20, 30],
            "price": {"kommune": 300, "stat": 700},
        },
    ],
}

# By hand. Starts: 10 in year 1, 20 in year 2; a 2-year course with 10 % dropout completes
# 9 in year 2 and 18 in year 3; at a 30 % success rate 2.7 and 5.4 citizens succeed.
# Shelter days (profile -10, -8, -5 from the year of completion):
#   year 2: 2.7*-10 = -27;  year 3: 2.7*-8 + 5.4*-10 = -75.6;  year 4: 2.7*-5 + 5.4*-8 = -56.7;
#   year 5: 5.4*-5 = -27.   Gain = -units * price (kommune 1000, stat 500).
# Weeks in work (10, 20, 30), revenue: gain = +units * price (kommune 300, stat 700):
#   year 2: 27;  year 3: 54 + 54 = 108;  year 4: 81 + 108 = 189;  year 5: 162.
# Costs (kommune): start-up 100,000 in year 1; 5,000 per participant at start (50,000 in
# year 1, 100,000 in year 2); team 20,000 in each year someone is in a course (years 1-3).
GAIN_KOMMUNE = [0, 27_000 + 8_100, 75_600 + 32_400, 56_700 + 56_700, 27_000 + 48_600, 0]
GAIN_STAT = [0, 13_500 + 18_900, 37_800 + 75_600, 28_350 + 132_300, 13_500 + 113_400, 0]
COST_KOMMUNE = [170_000, 120_000, 20_000, 0, 0, 0]
NET_KOMMUNE = [-170_000, -84_900, 88_000, 113_400, 75_600, 0]
NET_STAT = [0, 32_400, 113_400, 160_650, 126_900, 0]
# Cumulative total: -170,000, -222,500, -21,100, 252,950, 455,450, 455,450: break-even year 4.
# The kommune alone: -170,000, -254,900, -166,900, -53,500, 22,100: year 5.


def test_hand_calculation_by_year_and_actor() -> None:
    """Net, gain and cost by year and actor equal the hand calculation above."""
    ds = deterministic(HAND_CASE)
    np.testing.assert_allclose(ds.gain.sel(actor="kommune"), GAIN_KOMMUNE, rtol=1e-12)
    np.testing.assert_allclose(ds.gain.sel(actor="stat"), GAIN_STAT, rtol=1e-12)
    np.testing.assert_allclose(ds.cost.sel(actor="kommune"), COST_KOMMUNE, rtol=1e-12)
    np.testing.assert_allclose(ds.net.sel(actor="kommune"), NET_KOMMUNE, rtol=1e-12, atol=1e-6)
    np.testing.assert_allclose(ds.net.sel(actor="stat"), NET_STAT, rtol=1e-12, atol=1e-6)
    np.testing.assert_array_equal(ds.net.sel(actor="region"), 0.0)
    np.testing.assert_allclose(
        ds["cumulative"].sum("actor"),
        [-170_000, -222_500, -21_100, 252_950, 455_450, 455_450],
        rtol=1e-12,
    )
    np.testing.assert_allclose(ds.successes, [0, 2.7, 5.4, 0, 0, 0], rtol=1e-12)


def test_hand_calculation_break_even_and_present_value() -> None:
    """Break-even years and present values at 3.5 % (year 1 undiscounted) match by hand."""
    ds = deterministic(HAND_CASE)
    assert float(ds.break_even_year) == 4
    assert float(ds.break_even_year_by_actor.sel(actor="kommune")) == 5
    assert float(ds.break_even_year_by_actor.sel(actor="stat")) == 1
    factors = [1.035 ** -(t - 1) for t in range(1, 7)]
    pv_kommune = sum(n * f for n, f in zip(NET_KOMMUNE, factors, strict=True))
    pv_stat = sum(n * f for n, f in zip(NET_STAT, factors, strict=True))
    assert float(ds.present_value.sel(actor="kommune")) == pytest.approx(pv_kommune, rel=1e-12)
    assert float(ds.present_value.sel(actor="stat")) == pytest.approx(pv_stat, rel=1e-12)


def test_breakdown_by_consequence_adds_up() -> None:
    """The gain by consequence sums to the gain; shelter days alone match the hand figures."""
    ds = deterministic(HAND_CASE)
    np.testing.assert_allclose(ds.gain_by_consequence.sum("consequence"), ds.gain, rtol=1e-12)
    shelter = ds.gain_by_consequence.sel(consequence="shelter_days", actor="kommune")
    np.testing.assert_allclose(shelter, [0, 27_000, 75_600, 56_700, 27_000, 0], rtol=1e-12)
    assert list(ds.area.values) == ["social", "employment"]


def test_gross_rate_minus_deadweight() -> None:
    """With gross_rate 0.35 and deadweight 0.05 the result is the net-rate 0.30 case's
    (docs/model.md §3: the success rate is net of deadweight)."""
    case = {**HAND_CASE, "success": {"gross_rate": 0.35, "deadweight": 0.05}}
    np.testing.assert_allclose(deterministic(case).net, deterministic(HAND_CASE).net, rtol=1e-12)


def test_persistence_thins_successes_geometrically() -> None:
    """With annual retention r, k years after success r^k of the successes remain
    (expected mode): 20 * 0.5 = 10 successes, 10 * 0.8^k units of a profile of ones."""
    case = {
        "name": "persistence",
        "price_year": 2024,
        "horizon": 4,
        "intake": {"participants": [20]},
        "cost": [{"label": "none", "type": "startup", "amount": 0}],
        "success": {"rate": 0.5, "persistence": 0.8},
        "consequence": [
            {
                "key": "weeks_in_work",
                "unit": "weeks",
                "area": "employment",
                "kind": "revenue",
                "profile": [1, 1, 1, 1],
                "price": {"stat": 1},
            }
        ],
    }
    ds = deterministic(case)
    np.testing.assert_allclose(ds.net.sel(actor="stat"), 10 * 0.8 ** np.arange(4), rtol=1e-12)


def test_fm2021_discount_factors() -> None:
    """Finansministeriet (2021): 3.5 % a year for years 1-35, 2.5 % after; year 1 is 1."""
    factors = discount_factors_fm2021(40)
    assert factors[0] == 1.0
    assert factors[35] == pytest.approx(1.035**-35, rel=1e-12)
    assert factors[36] == pytest.approx(1.035**-35 * 1.025**-1, rel=1e-12)
    assert factors[39] == pytest.approx(1.035**-35 * 1.025**-4, rel=1e-12)


def test_cost_years_limit_a_line() -> None:
    """An operating cost limited to years [2, 4] is charged in those years only."""
    case = {
        **HAND_CASE,
        "cost": [{"label": "team", "type": "operating", "amount": 1_000, "years": [2, 4]}],
    }
    cost = deterministic(case).cost.sel(actor="kommune")
    np.testing.assert_array_equal(cost, [0, 1_000, 0, 1_000, 0, 0])


def test_cost_with_no_years_is_never_charged() -> None:
    """`years = []` limits a line to no year at all: it costs nothing."""
    case = {
        **HAND_CASE,
        "cost": [{"label": "none", "type": "operating", "amount": 1_000, "years": []}],
    }
    assert float(deterministic(case).cost.sum()) == 0.0
