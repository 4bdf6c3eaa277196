"""The case laid out as index arrays (som_mc.model.layout) against the case as written.

Every slot of a layout is an index into the case's quantities, or -1 where the case has
nothing. Each test builds a small case as a dict (docs/cases.md), loads it, and checks that the
slot names the quantity the case gives there (``inputs.names[q]``), or is -1, by hand from the
case; masks and factors are checked against hand calculations. Fields are read by attribute
only (the Layout may be a dataclass or a named tuple).
"""

from __future__ import annotations

import copy

import numpy as np
import pytest

from som_mc import load_case
from som_mc.conventions import ACTORS
from som_mc.errors import SomMcError
from som_mc.inputs.case.inputs import InputSet
from som_mc.inputs.compose import compose
from som_mc.inputs.distributions import Fixed
from som_mc.model.layout import build_layout, discount_factors_fm2021

#: A case touching every slot: two intake years, a 2-year course, every cost type (two lines
#: with one label, two limited by ``years``), an uncertain rate, persistence, an uncertain
#: discount rate, and three consequences: per-actor prices with 3 profile years, a revenue
#: with unit_price and split and 1 profile year, a family line with members and 2 years.
CASE: dict = {
    "name": "layout",
    "price_year": 2024,
    "horizon": 6,
    "discount_rate": {"dist": "uniform", "min": 0.0, "max": 0.05},
    "intake": {
        "participants": [10, {"dist": "pert", "min": 10, "mode": 20, "max": 30}],
        "course_years": 2,
        "dropout": 0.1,
    },
    "cost": [
        {"label": "Start-up", "type": "startup", "amount": 100_000},
        {
            "label": "Team",
            "type": "operating",
            "amount": {"dist": "normal", "mean": 20_000, "sd": 2_000},
            "actor": "region",
        },
        {"label": "Team", "type": "operating", "amount": 5_000, "years": [2, 5], "actor": "stat"},
        {"label": "Late start-up", "type": "startup", "amount": 1_000, "years": [3]},
        {"label": "Per head", "type": "per_participant", "amount": 5_000},
        {"label": "Per year", "type": "per_participant_year", "amount": 2_000, "actor": "stat"},
    ],
    "success": {"rate": {"dist": "beta", "alpha": 3, "beta": 7}, "persistence": 0.9},
    "consequence": [
        {
            "key": "shelter_days",
            "unit": "days",
            "area": "social",
            "kind": "expenditure",
            "profile": [-10, {"dist": "uniform", "min": -10, "max": -6}, -5],
            "price": {"kommune": 1000, "stat": {"dist": "normal", "mean": 500, "sd": 50}},
        },
        {
            "key": "weeks_in_work",
            "unit": "weeks",
            "area": "employment",
            "kind": "revenue",
            "profile": [10],
            "scale": {"dist": "pert", "min": 0.5, "mode": 1, "max": 1.2},
            "unit_price": 1000,
            "split": {"kommune": 0.3, "stat": 0.7},
        },
        {
            "key": "child_days",
            "unit": "days",
            "area": "social",
            "kind": "expenditure",
            "profile": [-2, -2],
            "members": 1.5,
            "price": {"region": 300},
        },
    ],
}


@pytest.fixture
def case_dict() -> dict:
    """A fresh deep copy of :data:`CASE` to modify."""
    return copy.deepcopy(CASE)


def _names(names: list[str], slots: np.ndarray) -> list:
    """The quantity name of each slot, None for -1 (same nesting as ``slots``)."""
    return np.vectorize(lambda q: None if q == -1 else names[q], otypes=[object])(
        np.asarray(slots)
    ).tolist()


def _name(names: list[str], q: int) -> str | None:
    return None if int(q) == -1 else names[int(q)]


# --- the intervention -------------------------------------------------------------------------


def test_scalar_and_intake_slots_name_their_quantities(case_dict: dict) -> None:
    """Success rate, dropout, persistence, discount rate and each intake year point at their
    names (hand reading of the case); gross rate, deadweight and the extrapolation slots are -1
    as the case gives none; a sampled discount rate leaves the fixed factors at 1."""
    case = load_case(case_dict)
    layout = build_layout(case)
    names = case.inputs.names
    assert (layout.horizon, layout.course_years) == (6, 2)
    assert _names(names, layout.rate_q) == ["success.rate"]
    assert _names(names, layout.gross_q) == [None]
    assert _names(names, layout.deadweight_q) == [None]
    assert _name(names, layout.persistence_q) == "success.persistence"
    assert _name(names, layout.dropout_q) == "intake.dropout"
    assert _name(names, layout.discount_q) == "discount_rate"
    assert _names(names, layout.intake_q) == ["intake.participants[0]", "intake.participants[1]"]
    assert _name(names, layout.rule_q) is None and _name(names, layout.decay_q) is None
    np.testing.assert_array_equal(layout.discount_fixed, np.ones(6))
    assert layout.share == 1.0


def test_gross_rate_and_deadweight_replace_the_rate(case_dict: dict) -> None:
    """With gross_rate and deadweight the rate slot is -1 and the two slots name their inputs
    (docs/cases.md: the rate is then max(gross_rate - deadweight, 0), taken by the kernel)."""
    case_dict["success"] = {"gross_rate": 0.35, "deadweight": {"dist": "beta", "k": 1, "n": 20}}
    case = load_case(case_dict)
    layout = build_layout(case)
    names = case.inputs.names
    assert _names(names, layout.rate_q) == [None]
    assert _names(names, layout.gross_q) == ["success.gross_rate"]
    assert _names(names, layout.deadweight_q) == ["success.deadweight"]


def test_cost_lines_index_their_type_actor_and_amount(case_dict: dict) -> None:
    """Each cost line gets its type's index in COST_TYPES, its actor's in ACTORS and its amount
    (slugs from the labels; the second "Team" line is team_2), by hand from the case."""
    case = load_case(case_dict)
    layout = build_layout(case)
    # COST_TYPES = startup, operating, per_participant, per_participant_year;
    # ACTORS = kommune, region, stat.
    np.testing.assert_array_equal(layout.cost_type, [0, 1, 1, 0, 2, 3])
    np.testing.assert_array_equal(layout.cost_actor, [0, 1, 2, 0, 0, 2])
    assert _names(case.inputs.names, layout.cost_q) == [
        "cost.start_up.amount",
        "cost.team.amount",
        "cost.team_2.amount",
        "cost.late_start_up.amount",
        "cost.per_head.amount",
        "cost.per_year.amount",
    ]


def test_cost_mask_by_type_and_years(case_dict: dict) -> None:
    """Hand calculation: starts in years 1 and 2 with a 2-year course, so someone is in a
    course in years 1-3. Start-up: year 1 only; operating: years 1-3; explicit years [2, 5]
    and [3]: those years only, whatever the type; per participant (at start, and per year of
    the course): every year, the participant counts say when."""
    layout = build_layout(load_case(case_dict))
    expected = [
        [1, 0, 0, 0, 0, 0],  # startup
        [1, 1, 1, 0, 0, 0],  # operating
        [0, 1, 0, 0, 1, 0],  # operating, years = [2, 5]
        [0, 0, 1, 0, 0, 0],  # startup, years = [3]
        [1, 1, 1, 1, 1, 1],  # per_participant
        [1, 1, 1, 1, 1, 1],  # per_participant_year
    ]
    np.testing.assert_array_equal(layout.cost_mask, expected)


@pytest.mark.parametrize(
    ("horizon", "participants", "course_years", "expected"),
    [
        (5, [5], 3, [1, 1, 1, 0, 0]),
        (3, [5, 5, 5], 2, [1, 1, 1]),  # the last course runs past the horizon: cut at year 3
        (6, [5, 0, 5], 1, [1, 1, 1, 0, 0, 0]),  # a year with 0 starters is still a course year
    ],
)
def test_operating_cost_runs_while_someone_can_be_in_a_course(
    base_case: dict, horizon: int, participants: list, course_years: int, expected: list
) -> None:
    """Operating costs apply in the years from the first start to the last start's last course
    year, cut at the horizon (hand calculation); ``years = []`` charges no year."""
    base_case["horizon"] = horizon
    base_case["intake"] = {"participants": participants, "course_years": course_years}
    base_case["cost"] = [
        {"label": "team", "type": "operating", "amount": 1_000},
        {"label": "never", "type": "operating", "amount": 1_000, "years": []},
    ]
    layout = build_layout(load_case(base_case))
    np.testing.assert_array_equal(layout.cost_mask, [expected, [0] * horizon])


def test_fm2021_uses_fixed_factors_and_no_discount_input(case_dict: dict) -> None:
    """discount_rate = "fm2021" is no input: the slot is -1 and the fixed factors are the
    Finance Ministry's schedule for the case's horizon."""
    case_dict["discount_rate"] = "fm2021"
    case = load_case(case_dict)
    layout = build_layout(case)
    assert "discount_rate" not in case.inputs.names
    assert int(layout.discount_q) == -1
    np.testing.assert_allclose(layout.discount_fixed, discount_factors_fm2021(6), rtol=0)
    np.testing.assert_allclose(layout.discount_fixed, 1.035 ** -np.arange(6.0), rtol=1e-14)


# --- uncertain inputs and central values ------------------------------------------------------


def test_uncertain_inputs_in_order_and_central_values(case_dict: dict) -> None:
    """uncertain_q lists the design's columns in the order the input set gives them, which is
    the case's order (discount rate, intake, success, costs, consequences); central holds each
    quantity's central value: Distribution.central(), and by hand the means (uniform 0-0.05:
    0.025; PERT(10, 20, 30): 20; Beta(3, 7): 0.3; PERT(0.5, 1, 1.2): (0.5 + 4 + 1.2) / 6)
    and the fixed values themselves."""
    case = load_case(case_dict)
    layout = build_layout(case)
    names, dists = case.inputs.names, case.inputs.dists
    uncertain = [
        "discount_rate",
        "intake.participants[1]",
        "success.rate",
        "cost.team.amount",
        "consequence.shelter_days.profile[1]",
        "consequence.shelter_days.price.stat",
        "consequence.weeks_in_work.scale",
    ]
    assert _names(names, layout.uncertain_q) == uncertain
    assert list(case.inputs.uncertain) == uncertain
    assert [n for n, d in zip(names, dists, strict=True) if not d.is_fixed] == uncertain

    assert layout.central.shape == (len(names),)
    np.testing.assert_array_equal(layout.central, [d.central() for d in dists])
    by_hand = {
        "discount_rate": 0.025,
        "intake.participants[0]": 10.0,
        "intake.participants[1]": 20.0,
        "intake.dropout": 0.1,
        "success.rate": 0.3,
        "success.persistence": 0.9,
        "cost.team.amount": 20_000.0,
        "consequence.shelter_days.profile[1]": -8.0,
        "consequence.shelter_days.price.stat": 500.0,
        "consequence.weeks_in_work.scale": 5.7 / 6,
        "consequence.child_days.members": 1.5,
    }
    for name, value in by_hand.items():
        assert layout.central[names.index(name)] == pytest.approx(value, rel=1e-12), name


# --- consequences -----------------------------------------------------------------------------


def test_profiles_of_different_lengths_are_padded_with_minus_one(case_dict: dict) -> None:
    """Profiles of 3, 1 and 2 years: profile_q is (3 consequences, 3 years), slot [c, k] names
    ``consequence.<key>.profile[k]`` and is -1 beyond the profile; profile_len is (3, 1, 2)."""
    case = load_case(case_dict)
    layout = build_layout(case)
    stems = ["consequence.shelter_days", "consequence.weeks_in_work", "consequence.child_days"]
    assert _names(case.inputs.names, layout.profile_q) == [
        [f"{stems[0]}.profile[0]", f"{stems[0]}.profile[1]", f"{stems[0]}.profile[2]"],
        [f"{stems[1]}.profile[0]", None, None],
        [f"{stems[2]}.profile[0]", f"{stems[2]}.profile[1]", None],
    ]
    np.testing.assert_array_equal(layout.profile_len, [3, 1, 2])


def test_kind_scale_and_members(case_dict: dict) -> None:
    """cons_coef is -1 for an expenditure (fewer units gain) and +1 for a revenue
    (docs/cases.md); every line has a scale (default 1); members is -1 unless the line gives
    it; every line follows the extrapolation rule unless it says extrapolate = false."""
    case_dict["consequence"][1]["extrapolate"] = False
    case = load_case(case_dict)
    layout = build_layout(case)
    names = case.inputs.names
    np.testing.assert_array_equal(layout.cons_coef, [-1.0, 1.0, -1.0])
    assert _names(names, layout.scale_q) == [
        "consequence.shelter_days.scale",
        "consequence.weeks_in_work.scale",
        "consequence.child_days.scale",
    ]
    assert _names(names, layout.members_q) == [None, None, "consequence.child_days.members"]
    np.testing.assert_array_equal(layout.extend, [True, False, True])


def test_prices_per_actor_and_by_split(case_dict: dict) -> None:
    """price_q[c, a] names ``consequence.<key>.price.<actor>``, or -1 where the case gives that
    actor no price; a split line points every actor with a share at the one unit_price, with
    price_share the split's share (0 and -1 for an actor outside the split)."""
    case = load_case(case_dict)
    layout = build_layout(case)
    assert list(ACTORS) == ["kommune", "region", "stat"]
    assert layout.price_q.shape == layout.price_share.shape == (3, len(ACTORS))
    assert _names(case.inputs.names, layout.price_q) == [
        ["consequence.shelter_days.price.kommune", None, "consequence.shelter_days.price.stat"],
        ["consequence.weeks_in_work.unit_price", None, "consequence.weeks_in_work.unit_price"],
        [None, "consequence.child_days.price.region", None],
    ]
    # Per-actor prices are used whole; a split divides the unit price by its fixed shares.
    priced = layout.price_q != -1
    np.testing.assert_array_equal(layout.price_share[[0, 2]][priced[[0, 2]]], 1.0)
    np.testing.assert_array_equal(layout.price_share[1], [0.3, 0.0, 0.7])


def test_extrapolation_slots(case_dict: dict) -> None:
    """With [extrapolation], the rule and decay slots name their inputs (docs/beyond.md)."""
    case_dict["extrapolation"] = {"rule": {"hold": 0.3, "decay": 0.7}, "decay": 0.2}
    case = load_case(case_dict)
    layout = build_layout(case)
    assert _name(case.inputs.names, layout.rule_q) == "extrapolation.rule"
    assert _name(case.inputs.names, layout.decay_q) == "extrapolation.decay"


# --- subgroups --------------------------------------------------------------------------------


def _with_subgroups(base_case: dict) -> dict:
    """The base case (conftest) split 40/60: "young" has its own success table and its own,
    shorter shelter-day profile and scale; "older" has only its own scale."""
    base_case["success"]["rate"] = {"dist": "beta", "mean": 0.3, "sd": 0.05}
    base_case["subgroup"] = [
        {
            "name": "young",
            "share": 0.4,
            "success": {"rate": {"dist": "beta", "mean": 0.5, "sd": 0.1}},
            "consequence": [
                {
                    "key": "shelter_days",
                    "profile": [-50, {"dist": "uniform", "min": -50, "max": -30}],
                    "scale": {"dist": "pert", "min": 0.8, "mode": 1, "max": 1.3},
                }
            ],
        },
        {
            "name": "older",
            "share": 0.6,
            "consequence": [{"key": "shelter_days", "scale": 1.1}],
        },
    ]
    return base_case


def test_subgroup_uses_its_own_success_profile_scale_and_share(base_case: dict) -> None:
    """A subgroup's layout takes its own success table (all of it: rate and the default
    persistence), its own profile (2 years, so profile_len 2) and scale, and its share of the
    intake and fixed costs; what it does not give (prices, intake, costs) is the case's."""
    case = load_case(_with_subgroups(base_case))
    names = case.inputs.names
    young = build_layout(case, subgroup="young")
    own = "subgroup.young."
    assert young.share == 0.4
    assert _names(names, young.rate_q) == [f"{own}success.rate"]
    assert _name(names, young.persistence_q) == f"{own}success.persistence"
    assert _names(names, young.gross_q) == [None]
    assert _names(names, young.profile_q) == [
        [f"{own}consequence.shelter_days.profile[0]", f"{own}consequence.shelter_days.profile[1]"]
    ]
    np.testing.assert_array_equal(young.profile_len, [2])
    assert _names(names, young.scale_q) == [f"{own}consequence.shelter_days.scale"]
    assert _names(names, young.price_q) == [
        ["consequence.shelter_days.price.kommune", None, "consequence.shelter_days.price.stat"]
    ]
    assert _names(names, young.intake_q) == ["intake.participants[0]"]
    assert _names(names, young.cost_q) == ["cost.course.amount"]
    assert _names(names, young.uncertain_q) == case.inputs.uncertain


def test_subgroup_without_own_success_shares_the_cases(base_case: dict) -> None:
    """A subgroup that gives only a scale keeps the case's success rate and profile, takes its
    own scale and its share 0.6; the case laid out without a subgroup has share 1."""
    case = load_case(_with_subgroups(base_case))
    names = case.inputs.names
    older = build_layout(case, subgroup="older")
    assert older.share == 0.6
    assert _names(names, older.rate_q) == ["success.rate"]
    assert _name(names, older.persistence_q) == "success.persistence"
    assert _names(names, older.profile_q) == [
        [f"consequence.shelter_days.profile[{k}]" for k in range(3)]
    ]
    assert _names(names, older.scale_q) == ["subgroup.older.consequence.shelter_days.scale"]
    whole = build_layout(case)
    assert whole.share == 1.0
    assert _names(names, whole.rate_q) == ["success.rate"]
    assert _names(names, whole.scale_q) == ["consequence.shelter_days.scale"]


def test_unknown_subgroup_raises(base_case: dict) -> None:
    """Asking for a subgroup the case does not have is an error naming it, not a layout of
    the whole case."""
    case = load_case(_with_subgroups(base_case))
    with pytest.raises((ValueError, SomMcError), match="'nobody'"):
        build_layout(case, subgroup="nobody")


# --- several cases on one input set -----------------------------------------------------------


def test_prefixes_resolve_in_order_before_the_plain_name(base_case: dict) -> None:
    """build_layout looks a quantity up under each prefix in turn, first match wins, and under
    its plain name last: with ``x.success.rate`` and ``y.success.rate`` added to the case's own
    input set, prefixes ("x.", "y.") find x's, ("y.", "x.") y's, and ("z.",) the plain one.
    Indices are into the given set, whose central values the layout carries."""
    case = load_case(base_case)
    own = case.inputs
    names = [*own.names, "y.success.rate", "x.success.rate"]
    inputs = InputSet(
        names=names,
        dists=[*own.dists, Fixed(0.2), Fixed(0.1)],
        uncertain=list(own.uncertain),
        correlation=list(own.correlation),
    )
    for prefixes, expected in (
        (("x.", "y."), "x.success.rate"),
        (("y.", "x."), "y.success.rate"),
        (("z.",), "success.rate"),
        ((), "success.rate"),
    ):
        layout = build_layout(case, inputs, prefixes=prefixes)
        assert _names(names, layout.rate_q) == [expected], prefixes
        assert _names(names, layout.price_q)[0][0] == "consequence.shelter_days.price.kommune"
    np.testing.assert_array_equal(layout.central, [*(d.central() for d in own.dists), 0.2, 0.1])


def test_composed_parts_find_their_own_inputs_before_the_shared_ones(base_case: dict) -> None:
    """Two cases composed on one input set (som_mc.inputs.compose): each part's layout with
    prefixes=("<part>.",) finds its own intervention (intake, cost, success) under its name,
    a consequence price both give the same distribution as the one shared input, and a price
    they give differently as the part's own (the second part's, renamed) or the plain one (the
    first part's, which keeps the plain name)."""
    base_case["success"]["rate"] = {"dist": "beta", "mean": 0.3, "sd": 0.05}
    base_case["consequence"][0]["price"]["kommune"] = {"dist": "normal", "mean": 700, "sd": 50}
    other = copy.deepcopy(base_case)
    other["success"]["rate"] = {"dist": "beta", "mean": 0.2, "sd": 0.05}
    other["consequence"][0]["price"]["stat"] = 900  # differs from the first part's 700
    cases = {"first": load_case(base_case), "second": load_case(other)}
    inputs = compose(cases).inputs
    names = inputs.names
    for part in cases:
        layout = build_layout(cases[part], inputs, prefixes=(f"{part}.",))
        assert _names(names, layout.rate_q) == [f"{part}.success.rate"], part
        assert _names(names, layout.intake_q) == [f"{part}.intake.participants[0]"], part
        assert _names(names, layout.cost_q) == [f"{part}.cost.course.amount"], part
        kommune, _, stat = _names(names, layout.price_q)[0]
        assert kommune == "consequence.shelter_days.price.kommune", part
        own_stat = "second." if part == "second" else ""
        assert stat == f"{own_stat}consequence.shelter_days.price.stat", part
        assert _names(names, layout.uncertain_q) == list(inputs.uncertain), part
        np.testing.assert_array_equal(layout.central, [d.central() for d in inputs.dists])
    stat_q = names.index("second.consequence.shelter_days.price.stat")
    assert inputs.dists[stat_q].central() == 900.0


# --- the Finance Ministry's discount factors --------------------------------------------------


def test_fm2021_factors_equal_a_hand_computation() -> None:
    """Finansministeriet, "Dokumentationsnotat - den samfundsøkonomiske diskonteringsrente"
    (January 2021): 3.5 % a year in years 0-35 of the project and 2.5 % in years 36-70. With
    year 1 undiscounted, year 1 is 1, each of years 2..36 divides by 1.035 and each later year
    by 1.025. Computed here year by year in plain Python, for the longest horizon (50)."""
    horizon = 50
    by_hand = [1.0]
    for year in range(2, horizon + 1):
        by_hand.append(by_hand[-1] / (1.035 if year <= 36 else 1.025))
    factors = discount_factors_fm2021(horizon)
    assert factors.shape == (horizon,)
    assert factors[0] == 1.0
    np.testing.assert_allclose(factors, by_hand, rtol=1e-13)
    assert factors[35] == pytest.approx(1.035**-35, rel=1e-13)  # year 36
    assert factors[36] == pytest.approx(1.035**-35 / 1.025, rel=1e-13)  # year 37
    ratios = factors[1:] / factors[:-1]
    np.testing.assert_allclose(ratios[:35], 1 / 1.035, rtol=1e-13)
    np.testing.assert_allclose(ratios[35:], 1 / 1.025, rtol=1e-13)


@pytest.mark.parametrize("horizon", [1, 2, 36, 37])
def test_fm2021_factors_are_a_prefix_of_the_long_schedule(horizon: int) -> None:
    """A shorter horizon gives the first years of the same schedule (year t's factor does not
    depend on the horizon); a one-year horizon is [1]."""
    np.testing.assert_array_equal(
        discount_factors_fm2021(horizon), discount_factors_fm2021(50)[:horizon]
    )
    assert discount_factors_fm2021(horizon).shape == (horizon,)
