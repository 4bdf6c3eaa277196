"""The knowledge base: it loads, cases are filled from it with the right precedence, prices are
indexed and split as hand calculations say."""

from __future__ import annotations

import copy
from fractions import Fraction

import numpy as np
import pytest

from som_mc import InputError, deterministic, load_case
from som_mc.inputs.knowledge import PriceIndex, check_knowledge, load_knowledge

# The consequences issue 4 asks the catalogue to hold at least, by their catalogue keys.
REQUIRED = [
    "kontanthjaelp_weeks", "uddannelseshjaelp_weeks", "foertidspension_weeks", "dagpenge_weeks",
    "sygedagpenge_weeks", "ledighedsydelse_weeks", "ressourceforloeb_weeks", "employment_years",
    "transfer_income_dkk", "shelter_days", "residential_care_107_days",
    "residential_care_108_days", "support_85_hours", "substance_abuse_treatment_years",
    "somatic_admissions", "psychiatric_admissions", "somatic_outpatient_visits",
    "psychiatric_outpatient_visits", "emergency_visits", "gp_visits", "specialist_visits",
    "convictions_violence_sexual", "convictions_property", "convictions_other", "prison_days",
    "child_placement_foster_years", "child_placement_institution_years",
]  # fmt: skip

CASE = {
    "name": "knowledge test",
    "price_year": 2024,
    "horizon": 3,
    "target_group": "long_term_shelter_users",
    "intake": {"participants": [10]},
    "cost": [{"label": "course", "type": "startup", "amount": 0}],
    "success": {"rate": 0.5},
    "consequence": [{"key": "shelter_days"}],
}


def _case(**line: object) -> dict:
    case = copy.deepcopy(CASE)
    case["consequence"][0].update(line)
    return case


def test_whole_knowledge_base_loads_without_problems() -> None:
    """Every file loads and checks: figures sourced, references resolved, rules consistent."""
    kb, problems = check_knowledge()
    assert problems == []
    assert len(kb.figures) >= 119  # the sourced reference table, and the research added to it
    assert all(f.source_url for f in kb.figures.values())
    assert set(REQUIRED) <= set(kb.consequences)
    assert {c.area for c in kb.consequences.values()} == {
        "employment", "education", "social", "health", "crime",
    }  # fmt: skip
    assert {"cpi_fm", "pl_generel_stat"} <= set(kb.indices)
    assert kb.presets and kb.effects and kb.target_groups


def test_every_price_traces_to_its_figure() -> None:
    """A price built from one figure equals the figure's value times its unit factor, and
    carries the figure's source and confidence (kontanthjælp: 11,944 kr. a month x 12/52)."""
    kb = load_knowledge()
    price = kb.price("kontanthjaelp_weeks")
    fig = kb.figures["kontanthjaelp_30plus_ikke_forsorger_2023"]
    assert fig.value == 11944 and fig.price_year == 2023
    assert price.value == pytest.approx(11944 * 12 / 52, rel=1e-12)
    assert price.sources == (fig.source_url,) and price.confidence == fig.confidence == "high"


def test_knowledge_fills_a_catalogued_line() -> None:
    """`key = "shelter_days"` alone gets unit, area, kind, the price with its preset's
    uncertainty (confidence medium: lognormal, sd 15 %), the split, and the target group's
    profile, which is illustrative."""
    kb = load_knowledge()
    case = load_case(CASE)
    line = case.model.consequence[0]
    assert (line.unit, line.area, line.kind) == ("days", "social", "expenditure")
    price = kb.price("shelter_days")
    assert line.unit_price.mean() == pytest.approx(price.value, rel=1e-12)  # 2024 → 2024
    assert line.unit_price.sd() == pytest.approx(0.15 * price.value, rel=1e-9)
    assert line.split == {"kommune": 0.5, "stat": 0.5}
    assert [p.central() for p in line.profile] == [-120.0] * 5
    assert line.illustrative
    assert any("shelter_days" in note and "forsorgshjem_ophold_aar" in note for note in case.notes)


@pytest.mark.parametrize(
    "override, check",
    [
        ({"unit_price": 2000}, lambda ln: ln.unit_price.central() == 2000),
        (
            {"price_preset": "price_low"},
            lambda ln: ln.unit_price.sd() / ln.unit_price.mean() > 0.34,
        ),
        ({"price": {"kommune": 900}}, lambda ln: ln.unit_price is None and ln.split is None),
        ({"split": "kommune_only"}, lambda ln: ln.split == {"kommune": 1.0}),
        ({"profile": [-10, -5]}, lambda ln: [p.central() for p in ln.profile] == [-10, -5]),
        ({"unit": "nights"}, lambda ln: ln.unit == "nights"),
        ({"illustrative": False}, lambda ln: not ln.illustrative),
    ],
    ids=[
        "unit_price",
        "price_preset",
        "price per actor",
        "split rule",
        "profile",
        "unit",
        "illustrative",
    ],
)
def test_case_overrides_knowledge_overrides_preset(override: dict, check) -> None:
    """What the case says wins over the knowledge base, which wins over the presets."""
    line = load_case(_case(**override)).model.consequence[0]
    assert check(line)


def test_preset_on_a_point_value() -> None:
    """`{ preset = "success_level_2", value = 0.2 }` is a beta with mean 0.2 and sd 0.35 x 0.2
    (distributions/presets.toml), and the deterministic run uses 0.2 itself."""
    case = copy.deepcopy(CASE)
    case["success"] = {"rate": {"preset": "success_level_2", "value": 0.2}}
    rate = load_case(case).model.success.rate
    assert rate.family == "beta"
    assert rate.mean() == pytest.approx(0.2) and rate.sd() == pytest.approx(0.07)


def test_indexing_matches_hand_calculation() -> None:
    """The shelter-day price (2024 prices) moved to 2020 prices by the state's general PL index
    (annual changes from oes.dk: 2021 1.2 %, 2022 4.3 %, 2023 2.5 %, 2024 4.0 %):
    1,506.85 / (1.012 x 1.043 x 1.025 x 1.040)."""
    kb = load_knowledge()
    by_hand = (550_000 / 365) / (1.012 * 1.043 * 1.025 * 1.040)
    case = _case(price_preset="price_high")
    case["price_year"] = 2020
    line = load_case(case).model.consequence[0]
    assert line.unit_price.mean() == pytest.approx(by_hand, rel=1e-12)
    assert kb.index_price(kb.price("shelter_days"), 2020) == pytest.approx(
        1 / (1.012 * 1.043 * 1.025 * 1.040), rel=1e-12
    )


def test_index_chain_stops_at_a_gap() -> None:
    """A series of changes is chained only over its contiguous years; a gap is never bridged."""
    index = PriceIndex.from_changes("x", {2015: 0.015, 2016: 0.01, 2018: 0.02})
    assert index.years == (2014, 2016)
    assert index.factor(2014, 2016) == pytest.approx(1.015 * 1.01)
    assert not index.covers(2018)


def test_price_year_outside_index_is_an_error() -> None:
    """A case in prices of a year the index does not reach says which index and its years."""
    case = copy.deepcopy(CASE)
    case["price_year"] = 2030
    with pytest.raises(InputError, match="outside the price index pl_generel_stat"):
        load_case(case)


def test_refusion_ladder_splits_kontanthjaelp_by_hand() -> None:
    """One citizen fewer on kontanthjælp for a week, 2023 prices: 11,944 x 12/52 = 2,756.31 kr.;
    after 52 weeks the state refunds 20 % (refusionstrappen): gross kommune 2,205.05, stat
    551.26. Kontanthjælp is taxable, so the net saving (issue 17) is less the income tax the
    public purse no longer gets back: kommuneskat 25.068 % to the kommune and bundskat 12.01 %
    to the state (Skatteministeriet 2025; rules.toml transfer_income_2025): kommune
    (0.8 - 0.25068) x 2,756.31 = 1,514.09, stat (0.2 - 0.1201) x 2,756.31 = 220.23."""
    case = {
        "name": "ladder", "price_year": 2023, "horizon": 1,
        "intake": {"participants": [1]},
        "cost": [{"label": "none", "type": "startup", "amount": 0}],
        "success": {"rate": 1.0},
        "consequence": [
            {"key": "kontanthjaelp_weeks", "profile": [-1], "price_preset": "price_high"}
        ],
    }  # fmt: skip
    ds = deterministic(case)
    gain, gross = ds.gain.isel(year=0), ds.gain_gross_by_consequence.isel(year=0).sum("consequence")
    week = 11944 * 12 / 52
    assert float(gross.sel(actor="kommune")) == pytest.approx(0.8 * week, rel=1e-12)
    assert float(gross.sel(actor="stat")) == pytest.approx(0.2 * week, rel=1e-12)
    assert float(gain.sel(actor="kommune")) == pytest.approx((0.8 - 0.25068) * week, rel=1e-12)
    assert float(gain.sel(actor="stat")) == pytest.approx((0.2 - 0.1201) * week, rel=1e-12)
    assert float(gain.sel(actor="region")) == 0.0


def test_shelter_refund_and_gp_cofinancing_by_hand() -> None:
    """§ 110: the state refunds 50 % (Social- og Boligstyrelsen, 2023 reform); GP fee 160.72 kr.
    (2024) with 7 % municipal co-financing (age 3-64): kommune 11.25, region 149.47."""
    kb = load_knowledge()
    assert kb.rules["refusion_110_within_cap"].shares == {"kommune": 0.5, "stat": 0.5}
    case = _case(key="gp_visits", profile=[1], price_preset="price_high")
    gain = deterministic(case).gain.isel(year=0) / 5.0  # 10 x 0.5 successes
    assert float(gain.sel(actor="kommune")) == pytest.approx(-0.07 * 160.72, rel=1e-12)
    assert float(gain.sel(actor="region")) == pytest.approx(-0.93 * 160.72, rel=1e-12)


def test_tax_rules_follow_from_their_figures() -> None:
    """The tax split on earned income recomputed from the 2025 rates in the figures:
    kommune 0.92 (1 - 0.123) 0.25068, stat 0.08 + 0.92 x 0.1201; and on transfers 0.25068 and
    0.1201. The rule's shares match to the 4 decimals they are written with."""
    kb = load_knowledge()
    f = {k: kb.figures[k].value for k in kb.rules["tax_on_earned_income_2025"].figures}
    am = f["am_bidrag"]
    kommune = (1 - am) * (1 - f["beskaeftigelsesfradrag_pct_2025"]) * f["kommuneskat_gns_2025"]
    stat = am + (1 - am) * f["bundskat_2025"]
    shares = kb.rules["tax_on_earned_income_2025"].shares
    assert shares["kommune"] == pytest.approx(kommune / (kommune + stat), abs=5e-5)
    assert kb.price("earned_income_dkk").value == pytest.approx(kommune + stat, abs=5e-6)
    transfer = kb.rules["tax_on_transfer_income_2025"].shares
    k, s = f["kommuneskat_gns_2025"], f["bundskat_2025"]
    assert transfer["kommune"] == pytest.approx(k / (k + s), abs=5e-5)


def test_unpriced_and_unsplit_consequences_ask_the_case() -> None:
    """A consequence without a public price, or without a verified split, is an error that
    says what to give."""
    with pytest.raises(InputError, match="no public price for emergency_visits"):
        load_case(_case(key="emergency_visits", profile=[-1]))
    with pytest.raises(InputError, match="no verified rule splits the price of foertidspension"):
        load_case(_case(key="foertidspension_weeks", profile=[-1]))
    ok = load_case(_case(key="foertidspension_weeks", profile=[-1], split="stat_only"))
    assert ok.model.consequence[0].split == {"stat": 1.0}


def test_misspelt_catalogue_key_suggests_the_right_one() -> None:
    """A catalogue reference with a typo names the closest key."""
    with pytest.raises(InputError, match="did you mean 'shelter_days'"):
        load_case(_case(key="shelter_dayz"))


def test_illustrative_use_is_reported_in_attrs() -> None:
    """A result that uses an illustrative profile says so in its attrs, and the knowledge
    notes carry the sources of the prices used."""
    ds = deterministic(CASE)
    assert ds.attrs["uses_illustrative_values"] == 1
    assert "shelter_days" in ds.attrs["illustrative_items"]
    assert "godtigang-housingfirst.dk" in ds.attrs["knowledge_notes"]


def test_every_example_case_refers_to_the_catalogue() -> None:
    """The shipped example cases load, and name catalogued consequences rather than repeating
    their numbers (cannabis_youth prices SU itself: the index does not reach 2026)."""
    from som_mc.inputs.examples import example_names, example_path

    kb = load_knowledge()
    assert {"cti", "cannabis_youth", "housing_first"} <= set(example_names())
    for name in ("cti", "cannabis_youth", "housing_first"):
        case = load_case(example_path(name))
        keys = [c.key for c in case.model.consequence]
        assert all(k in kb.consequences for k in keys), name
        assert case.notes, name


def test_effect_studies_carry_their_uncertainty_or_say_none() -> None:
    """Every effect study has a source and an evidence level; where the source reports an
    interval it is kept as it was read (CTI: odds ratio 0.22, 95 % CI 0.06-0.88, Herman et al.
    2011)."""
    kb = load_knowledge()
    cti = kb.effects["cti_herman_2011_homelessness"]
    assert (cti.estimate, cti.ci95, cti.evidence_level) == (0.22, [0.06, 0.88], 1)
    assert all(e.source and e.evidence_level in (1, 2, 3) for e in kb.effects.values())


def test_preset_factors_are_means() -> None:
    """Every preset keeps the value as the distribution's mean (lognormal, gamma, beta, a
    symmetric PERT), so that a deterministic run uses the value itself."""
    from som_mc.inputs.distributions import from_spec
    from som_mc.inputs.knowledge import apply_preset

    kb = load_knowledge()
    for preset in kb.presets.values():
        value = 0.3 if preset.family == "beta" else 250.0
        dist = from_spec(apply_preset(preset, value), field="x")
        assert dist.mean() == pytest.approx(value, rel=1e-9), preset.key
        assert np.isfinite(dist.var())


def test_fraction_factors() -> None:
    """Unit factors are exact fractions (12/52 is a month's rate to a week's)."""
    assert float(Fraction("12/52")) == 12 / 52
