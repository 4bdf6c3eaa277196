"""Hospital contacts priced and split between region and kommune (issue 17, part 4).

Every expected number is worked out by hand from the sourced figures, cited where used:

- psychiatric admissions in 2015 by number of admissions per patient (Sundhedsdatastyrelsen,
  Landspatientregisteret), Table 1 of the health minister's answer to SUU alm. del spm. 898
  (2015-16), https://ft.dk/samling/20151/almdel/suu/spm/898/svar/1351816/1677834/index.htm:
  patients with 1, 2, ..., 11 admissions 16,697, 4,538, 1,700, 811, 442, 269, 169, 131, 76, 62,
  61; their bed-days 430,318, 198,832, 99,660, 59,494, 32,325, 20,027, 14,138, 10,274, 5,790,
  5,364, 5,009;
- a general psychiatric bed-day 3,518 DKK (2015), https://glennhansson.eu/ICD-11--ROOT/danmark/t/tor/f/flugt.html
  (a private website without a source of its own: low confidence);
- municipal co-financing, Region Hovedstaden, "Kommunernes medfinansiering",
  https://www.regionh.dk/om-region-hovedstaden/oekonomi/Regionens-oekonomi-og-finansiering/Sider/Kommunernes-medfinansiering.aspx
  (undated; 2023 prices assumed in rules.toml): psychiatric admissions 60 % up to 8,862 DKK per
  admission; psychiatric outpatient visits 30 % up to 555 DKK per visit; somatic care 20 % (the
  lowest of 20-56 % by age) up to 31,029 DKK per episode;
- the state's general price and wage index (oes.dk, Fastprisberegninger), annual changes 2016-2023:
  0.5, 1.2, 1.9, 1.3, 1.1, 1.2, 4.3, 2.5 %.

Outpatient and emergency visits have no public national tariff in the knowledge base: the tariffs
in those tests are a case's own inputs, chosen to fall on both sides of a cap.
"""

from __future__ import annotations

import copy
import math

import pytest

from som_mc import InputError, deterministic, load_case
from som_mc.cli import main
from som_mc.inputs.knowledge import check_knowledge, load_knowledge

PATIENTS = [16_697, 4_538, 1_700, 811, 442, 269, 169, 131, 76, 62, 61]
BED_DAYS = [430_318, 198_832, 99_660, 59_494, 32_325, 20_027, 14_138, 10_274, 5_790, 5_364, 5_009]
BED_DAY_2015 = 3_518
PL_2016_2023 = math.prod([1.005, 1.012, 1.019, 1.013, 1.011, 1.012, 1.043, 1.025])
PSYCH_CAP_2023 = 8_862

# 10 start and complete in year 1, half succeed: 5 successes, each with one contact fewer in
# year 1, in 2023 prices (the price year the co-financing caps are stated in).
CASE = {
    "name": "hospital prices",
    "price_year": 2023,
    "horizon": 1,
    "intake": {"participants": [10]},
    "cost": [{"label": "none", "type": "startup", "amount": 0}],
    "success": {"rate": 0.5},
    "consequence": [{"key": "psychiatric_admissions", "profile": [-1]}],
}


def _gain(**line: object) -> dict[str, float]:
    """Year-1 gain by actor, per success, of the one consequence line."""
    case = copy.deepcopy(CASE)
    case["consequence"][0].update(line)
    gain = deterministic(case).gain.isel(year=0) / 5
    return {a: float(gain.sel(actor=a)) for a in ("kommune", "region", "stat")}


def test_knowledge_base_validates_with_the_hospital_prices(capsys) -> None:
    """The knowledge base, with the new figure and price, loads without problems, and
    `som-mc knowledge validate` passes."""
    _, problems = check_knowledge()
    assert problems == []
    assert main(["knowledge", "validate"]) == 0
    assert "knowledge base OK" in capsys.readouterr().out


def test_mean_psychiatric_admission_length_is_the_published_table() -> None:
    """The figure is Table 1's bed-days over its admissions (patients with 1-11 admissions):
    881,231 / (1 x 16,697 + 2 x 4,538 + ... + 11 x 61 = 42,147) = 20.909, entered as 20.91;
    patients with one admission alone stay longer, 430,318 / 16,697 = 25.8 days."""
    fig = load_knowledge().figures["psykiatri_sengedage_pr_indlaeggelse_2015"]
    admissions = sum(n * p for n, p in enumerate(PATIENTS, start=1))
    assert (admissions, sum(BED_DAYS)) == (42_147, 881_231)
    assert fig.value == pytest.approx(sum(BED_DAYS) / admissions, abs=0.005)
    assert fig.price_year == 2015 and "ft.dk/samling/20151" in fig.source_url
    assert BED_DAYS[0] / PATIENTS[0] == pytest.approx(25.77, abs=0.005)


def test_psychiatric_admission_price_is_its_length_times_the_bed_day_cost() -> None:
    """20.91 bed-days x 3,518 DKK = 73,561.38 DKK per admission (2015), low confidence, with
    both sources, split by the psychiatric co-financing rule."""
    price = load_knowledge().price("psychiatric_admissions")
    assert price.value == pytest.approx(20.91 * BED_DAY_2015, rel=1e-12)
    assert price.value == pytest.approx(73_561.38, abs=0.005)
    assert (price.price_year, price.confidence) == (2015, "low")
    assert price.split == "psychiatric_admission_cofinancing"
    assert any("glennhansson" in s for s in price.sources)
    assert any("ft.dk" in s for s in price.sources)


def test_psychiatric_admission_splits_at_the_kommunes_cap() -> None:
    """The catalogue price in 2023 prices: 73,561.38 x 1.148339 = 84,473.39 DKK. The kommune's
    60 % would be 50,684, above the cap, so it pays 8,862 and the region 75,611.39; the state
    nothing. Half the tariff (40,000 DKK, a case's own) leaves the kommune at the cap (60 % is
    24,000) and moves the whole difference to the region: 31,138. At 10,000 DKK the cap does not
    bind: 6,000 and 4,000."""
    indexed = 20.91 * BED_DAY_2015 * PL_2016_2023
    assert indexed == pytest.approx(84_473.39, abs=0.01)
    gain = _gain()
    assert gain["kommune"] == pytest.approx(PSYCH_CAP_2023, rel=1e-12)
    assert gain["region"] == pytest.approx(indexed - PSYCH_CAP_2023, rel=1e-12)
    assert gain["stat"] == 0.0
    half = _gain(unit_price=40_000)
    assert (half["kommune"], half["region"]) == pytest.approx((8_862, 31_138), rel=1e-12)
    low = _gain(unit_price=10_000)
    assert (low["kommune"], low["region"]) == pytest.approx((6_000, 4_000), rel=1e-12)


def test_psychiatric_bed_days_fall_on_the_region() -> None:
    """Ten bed-days fewer per success: 10 x 3,518 x 1.148339 = 40,398.56 DKK, all the region's
    (past the cap a day more or less changes nothing for the kommune)."""
    gain = _gain(key="psychiatric_bed_days", profile=[-10])
    assert gain["region"] == pytest.approx(10 * BED_DAY_2015 * PL_2016_2023, rel=1e-12)
    assert gain["kommune"] == 0.0 and gain["stat"] == 0.0


@pytest.mark.parametrize(
    ("key", "rule", "tariff", "kommune"),
    [
        # 30 % of 2,500 is 750, above the cap of 555 per visit: the rest to the region.
        ("psychiatric_outpatient_visits", "psychiatric_outpatient_cofinancing", 2_500, 555),
        # 30 % of 1,000 is 300, below the cap.
        ("psychiatric_outpatient_visits", "psychiatric_outpatient_cofinancing", 1_000, 300),
        # 20 % of a 2,000 DKK outpatient visit; the cap of 31,029 per episode does not bind.
        ("somatic_outpatient_visits", "somatic_cofinancing", 2_000, 400),
        # An emergency visit is somatic hospital care: 20 % of 1,500.
        ("emergency_visits", "somatic_cofinancing", 1_500, 300),
    ],
)
def test_outpatient_and_emergency_visits_split_by_their_rules(
    key: str, rule: str, tariff: float, kommune: float
) -> None:
    """A case's own tariff for an unpriced visit, split by the co-financing rule the
    catalogue names: the kommune's share up to its cap per visit, the region the rest."""
    gain = _gain(key=key, unit_price=tariff, split=rule)
    assert gain["kommune"] == pytest.approx(kommune, rel=1e-12)
    assert gain["region"] == pytest.approx(tariff - kommune, rel=1e-12)
    assert gain["stat"] == 0.0


@pytest.mark.parametrize(
    ("key", "rule"),
    [
        ("somatic_outpatient_visits", "somatic_cofinancing"),
        ("psychiatric_outpatient_visits", "psychiatric_outpatient_cofinancing"),
        ("emergency_visits", "somatic_cofinancing"),
    ],
)
def test_unpriced_visits_ask_for_a_price_and_name_their_rule(key: str, rule: str) -> None:
    """No public national tariff was found for these visits: a case must give one, and the
    catalogue entry names the rule that splits it."""
    kb = load_knowledge()
    assert kb.price(key) is None
    assert rule in kb.rules and f'split = "{rule}"' in kb.consequences[key].note
    case = copy.deepcopy(CASE)
    case["consequence"][0].update(key=key)
    with pytest.raises(InputError, match=f"no public price for {key}"):
        load_case(case)
