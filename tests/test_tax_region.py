"""Tax on benefits and the region's share of hospital care (issue 17, items 3 and 4).

Every expected number is worked out by hand from the sourced figures, cited where used:

- kommuneskat 25.068 % (landsgennemsnit 2025) and bundskat 12.01 % (2025): Skatteministeriet,
  https://skm.dk/tal-og-metode/satser/statistik-i-kommunerne/kommuneskatter-gennemsnitsprocenten-i-2026,
  and https://blicher.dk/blicher-support/skattemaessige-satser-og-beloebsgraenser/ (2025);
- kontanthjælp, 30+, no children, 11,944 DKK a month (2023): https://bm.dk/satser/satser-for-2023/kontanthjaelp/;
- municipal co-financing of somatic hospital care, 20 % of the DRG tariff (the lowest of 20-56 %
  by age) up to 31,029 DKK per episode: Region Hovedstaden, "Kommunernes medfinansiering",
  https://www.regionh.dk/om-region-hovedstaden/oekonomi/Regionens-oekonomi-og-finansiering/Sider/Kommunernes-medfinansiering.aspx
  (undated; 2023 prices assumed, rules.toml).
"""

from __future__ import annotations

import copy

import numpy as np
import pytest

from som_mc import deterministic

T_KOMMUNE, T_STAT = 0.25068, 0.1201
WEEK_2023 = 11944 * 12 / 52  # kontanthjælp 30+ without children, a week, 2023 prices

# 10 start and complete in year 1, half succeed: 5 successes, each 10 fewer weeks on
# kontanthjælp in year 1: 50 weeks. Refusionstrappen after 52 weeks: kommune 80 %, stat 20 %.
BENEFIT = {
    "name": "tax back",
    "price_year": 2023,
    "horizon": 1,
    "intake": {"participants": [10]},
    "cost": [{"label": "none", "type": "startup", "amount": 0}],
    "success": {"rate": 0.5},
    "consequence": [{"key": "kontanthjaelp_weeks", "profile": [-10]}],
}


def test_tax_back_on_benefit_weeks_by_hand() -> None:
    """50 fewer benefit weeks of 2,756.31 DKK: gross saving kommune 0.8 x 50 x 2,756.31 =
    110,252.31, stat 27,563.08. The public purse loses the tax on them: kommune 25.068 % of the
    gross 137,815.38 = 34,547.56, stat 12.01 % = 16,551.63. Net: kommune 75,704.75, stat
    11,011.45, in all 62.922 % of the gross (the gross overstates it by 59 %)."""
    ds = deterministic(BENEFIT)
    gross_total = 50 * WEEK_2023
    line = {"consequence": "kontanthjaelp_weeks", "year": 1}
    gross = ds.gain_gross_by_consequence.sel(line)
    tax = ds.tax_by_consequence.sel(line)
    net = ds.gain_by_consequence.sel(line)
    expected = {
        "kommune": (0.8 * gross_total, -T_KOMMUNE * gross_total),
        "stat": (0.2 * gross_total, -T_STAT * gross_total),
        "region": (0.0, 0.0),
    }
    for actor, (g, t) in expected.items():
        assert float(gross.sel(actor=actor)) == pytest.approx(g, rel=1e-12, abs=1e-9)
        assert float(tax.sel(actor=actor)) == pytest.approx(t, rel=1e-12, abs=1e-9)
        assert float(net.sel(actor=actor)) == pytest.approx(g + t, rel=1e-12, abs=1e-9)
    assert float(ds.gain.sum()) == pytest.approx(gross_total * (1 - T_KOMMUNE - T_STAT))
    assert float(net.sel(actor="kommune")) == pytest.approx(75_704.75, abs=0.01)


def test_tax_applies_to_per_actor_prices_and_can_be_switched_off() -> None:
    """A case's own prices per actor of a catalogued transfer (800 kommune, 200 stat a week)
    are before tax like the catalogue's: the tax is on their sum, 1,000 a week. 50 weeks:
    kommune 50 (800 - 250.68) = 27,466, stat 50 (200 - 120.10) = 3,995. With tax = "none" the
    prices are taken as net already: 40,000 and 10,000."""
    case = copy.deepcopy(BENEFIT)
    case["consequence"][0]["price"] = {"kommune": 800, "stat": 200}
    gain = deterministic(case).gain.isel(year=0)
    assert float(gain.sel(actor="kommune")) == pytest.approx(50 * (800 - 1000 * T_KOMMUNE))
    assert float(gain.sel(actor="stat")) == pytest.approx(50 * (200 - 1000 * T_STAT))
    case["consequence"][0]["tax"] = "none"
    gain = deterministic(case).gain.isel(year=0)
    assert float(gain.sel(actor="kommune")) == pytest.approx(40_000)
    assert float(gain.sel(actor="stat")) == pytest.approx(10_000)


def test_a_line_that_is_not_a_transfer_is_not_taxed() -> None:
    """Shelter days are a service, not income: no tax line, net equals gross."""
    case = copy.deepcopy(BENEFIT)
    case["consequence"] = [{"key": "shelter_days", "profile": [-10]}]
    ds = deterministic(case)
    assert float(np.abs(ds.tax_by_consequence).sum()) == 0.0
    np.testing.assert_array_equal(ds.gain_by_consequence, ds.gain_gross_by_consequence)


# A hospital line: 5 successes, each 1 fewer somatic admission in year 1, 2023 prices.
HOSPITAL = {
    **BENEFIT,
    "name": "hospital",
    "consequence": [
        {
            "key": "somatic_admissions",
            "profile": [-1],
            "unit_price": 200_000,
            "split": "somatic_cofinancing",
        }
    ],
}


def test_hospital_line_split_by_cofinancing_rule_with_its_cap() -> None:
    """An admission at a DRG tariff of 200,000 DKK: the kommune's 20 % would be 40,000, above
    the cap of 31,029 per episode, so it pays 31,029 and the region 168,971. Five fewer
    admissions: kommune 155,145, region 844,855. At 100,000 the cap does not bind: 20,000 and
    80,000 per admission."""
    gain = deterministic(HOSPITAL).gain.isel(year=0)
    assert float(gain.sel(actor="kommune")) == pytest.approx(5 * 31_029)
    assert float(gain.sel(actor="region")) == pytest.approx(5 * 168_971)
    assert float(gain.sel(actor="stat")) == 0.0
    case = copy.deepcopy(HOSPITAL)
    case["consequence"][0]["unit_price"] = 100_000
    gain = deterministic(case).gain.isel(year=0)
    assert float(gain.sel(actor="kommune")) == pytest.approx(5 * 20_000)
    assert float(gain.sel(actor="region")) == pytest.approx(5 * 80_000)


def test_catalogued_admission_price_falls_on_region_and_kommune() -> None:
    """The catalogue prices a somatic admission (one DRG bill, 48,928 DKK in 2021) and splits it
    by the co-financing rule: below the cap, the kommune's part is 20 % of the indexed price and
    the region's 80 %; the region is no longer zero."""
    case = copy.deepcopy(HOSPITAL)
    del case["consequence"][0]["unit_price"], case["consequence"][0]["split"]
    gain = deterministic(case).gain.isel(year=0)
    kommune, region = float(gain.sel(actor="kommune")), float(gain.sel(actor="region"))
    assert region == pytest.approx(4 * kommune, rel=1e-12)
    assert 5 * 48_928 < kommune + region < 5 * 48_928 * 1.15  # indexed 2021 -> 2023


def test_specialist_rule_caps_the_kommune_at_1614_in_2020_prices() -> None:
    """Practising specialists, age 3-64: 20 % up to 1,614 DKK per contact (2020 prices,
    BEK 1881/2020 via refud.dk). A 10,000 DKK contact in 2020 prices: kommune 1,614, region
    8,386."""
    case = copy.deepcopy(HOSPITAL)
    case["price_year"] = 2020
    case["consequence"] = [
        {
            "key": "specialist_visits",
            "profile": [-1],
            "unit_price": 10_000,
            "split": "specialist_cofinancing_age_3_64",
        }
    ]
    gain = deterministic(case).gain.isel(year=0) / 5
    assert float(gain.sel(actor="kommune")) == pytest.approx(1_614)
    assert float(gain.sel(actor="region")) == pytest.approx(8_386)


def test_kernel_equals_reference_with_tax_and_an_uncertain_capped_price(
    matches_reference,
) -> None:
    """With an uncertain DRG tariff on both sides of the cap (uniform 100,000-250,000: the cap
    binds above 155,145) and a taxed benefit line, every output of the kernel equals the numpy
    reference (benchmarks/reference.py) to 1e-9 of its largest value."""
    case = copy.deepcopy(HOSPITAL)
    case["horizon"] = 3
    case["consequence"][0]["unit_price"] = {"dist": "uniform", "min": 100_000, "max": 250_000}
    case["consequence"][0]["profile"] = [-1, -1, -1]
    case["consequence"].append({"key": "kontanthjaelp_weeks", "profile": [-10, -20, -20]})
    case["success"] = {"rate": {"dist": "beta", "alpha": 5, "beta": 5}}
    ds = matches_reference(case)
    kommune_pv = ds.consequence_pv.sel(consequence="somatic_admissions", actor="kommune")
    # The cap binds in some draws and not in others: the kommune's part per admission varies
    # with the price below the cap and stops at 31,029 above it.
    assert float(kommune_pv.max()) > float(kommune_pv.min()) > 0


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        (  # a transfer's price without a tax treatment
            "prices.toml",
            'split = "dagpenge_cofinancing_weeks_53plus"\nindex = "cpi_fm"\n'
            'tax = "transfer_income_2025"\n',
            'split = "dagpenge_cofinancing_weeks_53plus"\nindex = "cpi_fm"\n',
            "has no tax treatment, but figure dagpenge_max_fuldtid_2024 is stated before",
        ),
        (  # a transfer by the catalogue, whatever its figure's unit says
            "figures/danish_unit_costs.csv|prices.toml",
            "DKK per month (before tax),11944,2023|"
            'index = "cpi_fm"\ntax = "transfer_income_2025"\n',
            'DKK per month,11944,2023|index = "cpi_fm"\n',
            "has no tax treatment, but kontanthjaelp_weeks is a transfer",
        ),
        ("prices.toml", 'tax = "transfer_income_2025"', 'tax = "none"', "needs a tax_note"),
        ("prices.toml", 'tax = "transfer_income_2025"', 'tax = "income"', "is not a [[tax]]"),
        (  # a tax rate that is not the figure it cites
            "rules.toml",
            "rates = { kommune = 0.25068,",
            "rates = { kommune = 0.25,",
            "kommune's rate 0.25 differs from figure kommuneskat_gns_2025",
        ),
        (  # an undated cap without its assumed price year
            "rules.toml",
            'cap_price_year = 2023\ncap_price_year_note = "The Region Hovedstaden page is '
            'undated; it presents the Sundhedsaftale 2019-2023 as current, so 2023 is assumed."'
            '\nvalid_from = 2019\nconfidence = "low"\n\n[[rule]]\nkey = "psychiatric_admission',
            'valid_from = 2019\nconfidence = "low"\n\n[[rule]]\nkey = "psychiatric_admission',
            "cap figure kmf_somatik_max_forloeb is undated",
        ),
    ],
)
def test_validation_catches_missing_tax_treatment_and_bad_caps(
    kb_problems, file: str, old: str, new: str, message: str
) -> None:
    """The knowledge base's validation names a price without a tax treatment where one applies
    (a transfer, or a figure stated before tax), a tax rate that differs from its figure, and a
    cap without a price year."""
    problems = kb_problems(file, old, new)
    assert any(message in p for p in problems), problems


def test_console_table_shows_the_gross_and_the_tax_of_a_transfer(capsys) -> None:
    """SØM's table on screen gives a taxed transfer's gain with its gross saving and its tax
    line beneath (the gain is their sum, docs/model.md §3), in English and Danish; an untaxed
    consequence has no such rows."""
    import som_mc
    from som_mc.cli import main

    ds = som_mc.deterministic(som_mc.example_path("cannabis_youth"))
    gross = ds.gain_gross_by_consequence.sum("year").sel(consequence="uddannelseshjaelp_weeks")
    tax = ds.tax_by_consequence.sum("year").sel(consequence="uddannelseshjaelp_weeks")
    gain = ds.gain_by_consequence.sum("year").sel(consequence="uddannelseshjaelp_weeks")
    np.testing.assert_allclose(gain, gross + tax, rtol=1e-12)
    assert main(["run", "--example", "cannabis_youth", "--deterministic"]) == 0
    text = capsys.readouterr().out
    assert "before tax" in text and "income tax" in text
    assert f"{float(gross.sel(actor='kommune')):,.0f}" in text
    assert f"{float(tax.sel(actor='kommune')):,.0f}".replace("-", "−") in text
    assert text.count("before tax") == int(
        (ds.tax_by_consequence != 0).any(("year", "actor")).sum()
    )
    assert main(["run", "--example", "cannabis_youth", "--deterministic", "--lang", "da"]) == 0
    assert "før skat" in capsys.readouterr().out
