"""Refunds computed as rules: the refund ladder by duration and the high-cost refund (issue 17,
item 2).

The expected numbers are worked out by hand from the sourced figures:

- refusionstrappen: the state refunds 80 % in weeks 1-4 of the citizen's total time on public
  support, 40 % in weeks 5-26, 30 % in weeks 27-52 and 20 % after (lov om kommunernes
  finansiering af visse offentlige ydelser § 5, stk. 2,
  https://elov.dk/lov-om-kommunernes-finansiering-af-visse-offentlige-ydelser-udbetalt-af-kommunerne-udbetaling-danmark-og-arbejdsloshedskasserne/5/);
- den centrale refusionsordning (SEL § 176): 25 % of the kommune's yearly expenses on one person
  above 860,000 DKK, 50 % above 1,680,000 and 75 % above 2,120,000 (2022 level,
  https://danskelove.dk/serviceloven/176), each rate on the part above its threshold
  (lovforslag L 197 2019-20, https://ft.dk/samling/20191/lovforslag/l197/20191_l197_som_fremsat.htm);
  the thresholds move 2022 -> 2024 by the state's general PL index, +2.5 % in 2023 and +4.0 %
  in 2024 (oes.dk, knowledge/price_index.toml), a factor of 1.066;
- kontanthjælp, 30+, no children, 11,944 DKK a month (2023), and the income tax on transfers
  (kommune 25.068 %, stat 12.01 %), as in tests/test_tax_region.py.
"""

from __future__ import annotations

import copy

import numpy as np
import pytest

from som_mc import deterministic
from som_mc.errors import InputError
from som_mc.inputs.case.load import load_case
from som_mc.inputs.knowledge import load_knowledge
from som_mc.inputs.knowledge.refunds import ladder_shares

T_KOMMUNE, T_STAT = 0.25068, 0.1201
WEEK_2023 = 11944 * 12 / 52

# 10 start and complete in year 1, half succeed: 5 successes, each 10 fewer weeks on
# kontanthjælp in years 1 and 2: 50 weeks a year.
LADDER = {
    "name": "ladder",
    "price_year": 2023,
    "horizon": 2,
    "intake": {"participants": [10]},
    "cost": [{"label": "none", "type": "startup", "amount": 0}],
    "success": {"rate": 0.5},
    "consequence": [{"key": "kontanthjaelp_weeks", "profile": [-10, -10], "prior_weeks": 0}],
}


@pytest.mark.parametrize(
    ("prior", "first_year"),
    [
        (0, (4 * 0.8 + 22 * 0.4 + 26 * 0.3) / 52),  # weeks 1-52: 19.8 / 52 = 0.3808
        (20, (6 * 0.4 + 26 * 0.3 + 20 * 0.2) / 52),  # weeks 21-72: 14.2 / 52 = 0.2731
        (52, 0.2),  # weeks 53-104: the last band from the first year
    ],
)
def test_ladder_shares_by_hand(prior: int, first_year: float) -> None:
    """The state's share in the year of success is the mean of the bands over its 52 weeks;
    from the year the citizen passes 52 weeks on, it is 20 % and the list stops."""
    kb = load_knowledge()
    shares = ladder_shares(kb, kb.ladders["refusion_ladder"], prior, 10)
    assert shares[0]["stat"] == pytest.approx(first_year, rel=1e-12)
    assert shares[0]["kommune"] == pytest.approx(1 - first_year, rel=1e-12)
    assert shares[-1] == {"kommune": 0.8, "stat": 0.2}
    assert len(shares) == (1 if prior >= 52 else 2)


def test_benefit_weeks_on_the_ladder_by_hand() -> None:
    """A group new to support (prior_weeks = 0): in year 1 the 50 saved weeks of 2,756.31 DKK
    (137,815.38) fall 32.2/52 on the kommune (85,339.53 gross) and 19.8/52 on the state
    (52,475.86); in year 2 the citizen would have been past week 52: 80/20. The income tax
    (25.068 % and 12.01 % of the gross) is the same both years."""
    ds = deterministic(LADDER)
    gross_total = 50 * WEEK_2023
    line = {"consequence": "kontanthjaelp_weeks"}
    gross = ds.gain_gross_by_consequence.sel(line)
    tax = ds.tax_by_consequence.sel(line)
    for year, stat_share in ((1, 19.8 / 52), (2, 0.2)):
        g = gross.sel(year=year)
        assert float(g.sel(actor="stat")) == pytest.approx(stat_share * gross_total, rel=1e-12)
        assert float(g.sel(actor="kommune")) == pytest.approx(
            (1 - stat_share) * gross_total, rel=1e-12
        )
        t = tax.sel(year=year)
        assert float(t.sel(actor="kommune")) == pytest.approx(-T_KOMMUNE * gross_total)
        assert float(t.sel(actor="stat")) == pytest.approx(-T_STAT * gross_total)
    assert float(gross.sel(year=1, actor="kommune")) == pytest.approx(85_339.53, abs=0.01)


def test_ladder_default_is_long_term_support_and_says_so() -> None:
    """Without prior_weeks the ladder takes the knowledge base's default (52 weeks: SØM's
    target groups are long-term recipients), which is the 80/20 band from year 1, and the case's
    notes say it is an assumption."""
    case = copy.deepcopy(LADDER)
    del case["consequence"][0]["prior_weeks"]
    gross = deterministic(case).gain_gross_by_consequence.sel(consequence="kontanthjaelp_weeks")
    share = gross.sel(actor="stat") / gross.sum("actor")
    np.testing.assert_allclose(share.values, 0.2, rtol=1e-12)
    notes = load_case(case).notes
    assert any("refusion_ladder" in n and "An assumption" in n for n in notes), notes


def test_high_cost_refund_by_hand() -> None:
    """A year in residential care at 1,500,000 DKK (2024 prices), kommune only before refunds.
    Thresholds in 2024 prices: 916,760, 1,790,880 and 2,259,920. The state refunds 25 % of
    1,500,000 - 916,760: 145,810; the kommune keeps 1,354,190. At 2,500,000: 0.25 x 874,120 +
    0.50 x 469,040 + 0.75 x 240,080 = 218,530 + 234,520 + 180,060 = 633,110. With
    high_cost = "none" the kommune pays it all."""
    case = copy.deepcopy(LADDER)
    case.update(price_year=2024, horizon=1)
    case["consequence"] = [
        {
            "key": "child_placement_institution_years",
            "profile": [-1],
            "unit_price": 1_500_000,
            "split": "kommune_only",
        }
    ]
    gain = deterministic(case).gain.isel(year=0) / 5
    assert float(gain.sel(actor="stat")) == pytest.approx(145_810, abs=0.01)
    assert float(gain.sel(actor="kommune")) == pytest.approx(1_354_190, abs=0.01)
    case["consequence"][0]["unit_price"] = 2_500_000
    gain = deterministic(case).gain.isel(year=0) / 5
    assert float(gain.sel(actor="stat")) == pytest.approx(633_110, abs=0.01)
    assert float(gain.sel(actor="kommune")) == pytest.approx(2_500_000 - 633_110, abs=0.01)
    case["consequence"][0]["high_cost"] = "none"
    gain = deterministic(case).gain.isel(year=0) / 5
    assert float(gain.sel(actor="kommune")) == pytest.approx(2_500_000)
    assert float(gain.sel(actor="stat")) == 0.0


def test_catalogued_placement_price_gets_the_refund_and_a_note() -> None:
    """The catalogue's residential-care price (1,160,000 DKK in 2019, above the first
    threshold) carries the high-cost refund: the state pays part of it, and the notes say so."""
    case = copy.deepcopy(LADDER)
    case.update(price_year=2024, horizon=1)
    case["consequence"] = [{"key": "child_placement_institution_years", "profile": [-1]}]
    gain = deterministic(case).gain.isel(year=0)
    assert float(gain.sel(actor="stat")) > 0.0
    assert any("central_refusion_sel_176" in n for n in load_case(case).notes)


def test_kernel_equals_reference_with_ladder_and_refund(matches_reference) -> None:
    """With an uncertain placement price on both sides of the thresholds (uniform 0.5-3 M DKK),
    benefit weeks on the ladder for a group new to support (a taxed transfer) and an uncertain
    success rate, every output of the kernel equals the numpy reference
    (benchmarks/reference.py) to 1e-9 of its largest value."""
    case = copy.deepcopy(LADDER)
    case.update(price_year=2024, horizon=4)
    case["consequence"] = [
        {"key": "kontanthjaelp_weeks", "profile": [-10, -20, -20, -20], "prior_weeks": 10},
        {
            "key": "child_placement_institution_years",
            "profile": [-0.5, -1, -1, -1],
            "unit_price": {"dist": "uniform", "min": 500_000, "max": 3_000_000},
            "split": "kommune_only",
        },
    ]
    case["success"] = {"rate": {"dist": "beta", "alpha": 5, "beta": 5}}
    ds = matches_reference(case)
    stat = ds.consequence_pv.sel(consequence="child_placement_institution_years", actor="stat")
    assert float(stat.min()) == 0.0 < float(stat.max())  # below the thresholds, no refund


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"key": "shelter_days", "prior_weeks": 10}, "prior_weeks", "applies to a split on"),
        ({"prior_weeks": -3}, "prior_weeks", "whole number of weeks >= 0"),
        ({"prior_weeks": 2.5}, "prior_weeks", "whole number of weeks >= 0"),
        ({"split": "refusion_ladr"}, "split", "did you mean 'refusion_ladder'"),
        ({"key": "child_placement_institution_years", "high_cost": "x"}, "high_cost", "allowed"),
    ],
)
def test_bad_refund_fields_name_the_field(change: dict, field: str, message: str) -> None:
    """A misused prior_weeks, split or high_cost is refused with a message naming the line's
    field and what is allowed."""
    case = copy.deepcopy(LADDER)
    case["consequence"][0].update(change)
    with pytest.raises(InputError) as err:
        load_case(case)
    assert f"consequence[0].{field}" in str(err.value) and message in str(err.value)


@pytest.mark.parametrize(
    ("refund", "message"),
    [
        ({"payer": "kommune", "refunder": "kommune", "above": [1], "rate": [0.5]}, "also the"),
        ({"payer": "kommune", "refunder": "stat", "above": [1, 2], "rate": [0.5]}, "1 rates"),
        ({"payer": "kommune", "refunder": "stat", "above": [2, 1], "rate": [0.1, 0.2]}, "rise"),
        ({"payer": "region", "refunder": "stat", "above": [1], "rate": [0.5]}, "no share"),
    ],
)
def test_a_case_refund_is_checked(refund: dict, message: str) -> None:
    """A refund written in a case is checked: payer and refunder differ, a rate per threshold,
    rising thresholds, a payer with a share of the price."""
    case = copy.deepcopy(LADDER)
    case["consequence"] = [
        {
            "key": "own_line",
            "label": "own",
            "unit": "years",
            "area": "social",
            "kind": "expenditure",
            "profile": [-1],
            "unit_price": 1_000,
            "split": {"kommune": 1.0},
            "refund": refund,
        }
    ]
    with pytest.raises(InputError, match=message):
        load_case(case)


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        (
            "rules.toml",
            '{ from_week = 5, rule = "refusion_ladder_weeks_5_26" }',
            '{ from_week = 5, rule = "refusion_ladder_weeks_5_25" }',
            "band rule 'refusion_ladder_weeks_5_25' is not a [[rule]]",
        ),
        (
            "rules.toml",
            '{ from_week = 27, rule = "refusion_ladder_weeks_27_52" }',
            '{ from_week = 3, rule = "refusion_ladder_weeks_27_52" }',
            "must start at 1 and rise",
        ),
        (
            "rules.toml",
            'above_figure = "refusion_dyre_enkeltsager_taerskel_50pct"',
            'above_figure = "refusion_dyre_enkeltsager_taerskel_25pct"',
            "the thresholds must be positive and rise",
        ),
        (
            "prices.toml",
            'split = "somatic_cofinancing"\n',
            'split = "somatic_cofinancing"\nhigh_cost = "central_refusion_sel_176"\n',
            "high_cost applies to a year of a service for one person",
        ),
    ],
)
def test_validation_catches_bad_ladders_and_refunds(
    kb_problems, file: str, old: str, new: str, message: str
) -> None:
    """The knowledge base's validation names a ladder band without its rule, bands out of
    order, thresholds that do not rise, and a high-cost refund on a price that is not a year
    of a service."""
    problems = kb_problems(file, old, new)
    assert any(message in p for p in problems), problems


def test_refund_notes_read_in_danish() -> None:
    """The notes on a ladder's shares, a high-cost refund and a taxed transfer come out in
    Danish: the consequence by its Danish label, the frame translated, amounts the Danish way
    (38,08 %, 916.760 kr.); only the knowledge base's own quoted text stays as written."""
    from som_mc.present.labels import translate_note

    case = copy.deepcopy(LADDER)
    case.update(price_year=2024)
    case["consequence"].append({"key": "child_placement_institution_years", "profile": [-1]})
    kb = load_knowledge()
    notes = [translate_note(n, "da") for n in load_case(case).notes]
    ladder = next(n for n in notes if "refusion_ladder" in n)
    assert ladder.startswith(kb.consequences["kontanthjaelp_weeks"].label_da)
    assert "statens andel i år 1, 2, ... efter succes: 38,08 %, 20,00 %" in ladder
    high = next(n for n in notes if "central_refusion_sel_176" in n)
    assert "25 % over 916.760 kr." in high and "2024-priser" in high
    taxed = next(n for n in notes if "transfer_income_2025" in n)
    assert "skattepligtig overførsel" in taxed and "25,07 %" in taxed
    for frame in ("split by", "the state's share", "applies to the kommune", "taxable transfer"):
        assert not any(frame in n for n in notes), frame
