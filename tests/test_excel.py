"""Excel: case workbooks written, filled in and read back; results written for reading.

A workbook is a second spelling of a case file, so the main check is a round trip: TOML (or a
dict) → workbook → dict gives the case as written, and running the workbook gives the same
Dataset as running the TOML file.
"""

from __future__ import annotations

import copy
import math
import tomllib
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pytest
import xarray as xr

import som_mc
from som_mc.cli import main
from som_mc.errors import InputError
from som_mc.inputs.case.load import load_case
from som_mc.inputs.examples import example_path
from som_mc.inputs.workbook.quantity_text import (
    TextError,
    format_quantity,
    format_split,
    parse_quantity,
    parse_split,
)
from som_mc.io import ResultExistsError
from som_mc.present.workbook import read_case_xlsx, write_results_xlsx, write_template
from som_mc.present.workbook.template import BLANK_CASE

EXAMPLES = ("cti", "cannabis_youth", "housing_first")
#: Attrs that name where a case came from, not what it computes.
PROVENANCE = ("created", "case_file", "case_sha256")

#: A case using every distribution family in every way of writing it, presets, and every kind
#: of cell: lists of years, splits by shares and by rule, prices per actor, text that looks
#: like a formula, a float that 16 significant digits would round, correlation blocks.
ALL_FORMS: dict[str, Any] = {
    "name": 'Every form: "quoted", ø æ å',
    "description": "=not a formula, and a second line\nhere",
    "target_group": "long_term_shelter_users",
    "price_year": 2024,
    "currency": "DKK",
    "horizon": 6,
    "discount_rate": {"dist": "uniform", "min": 0.0, "max": 0.05},
    "intake": {
        "participants": [
            {"dist": "pert", "min": 10, "mode": 20, "max": 30},
            12,
            {"dist": "truncnormal", "mean": 10, "sd": 3, "min": 0},
            {"dist": "gamma", "mean": 10, "sd": 2},
        ],
        "course_years": 2,
        "dropout": {"dist": "truncnormal", "mean": 0.1, "sd": 0.05, "min": 0, "max": 1},
    },
    "success": {
        "rate": {"dist": "beta", "k": 14, "n": 100, "prior": "jeffreys"},
        "persistence": {"dist": "beta", "ci95": [0.8, 0.95]},
        "source": "a, b; c",
        "illustrative": True,
    },
    "cost": [
        {
            "label": "Start-up team",
            "type": "startup",
            "amount": {"dist": "normal", "mean": 100000, "sd": 10000},
            "actor": "kommune",
            "years": [1],
        },
        {
            "label": "Running",
            "type": "operating",
            "amount": {"dist": "normal", "ci95": [40000, 60000]},
            "actor": "region",
            "years": [1, 2, 3],
        },
        {
            "label": "Per head",
            "type": "per_participant",
            "amount": {
                "dist": "lognormal",
                "mean": 20000,
                "sd": 3000,
                "source": "budget, 2024",
                "note": 'a "quoted" note \\ with a backslash',
                "illustrative": True,
            },
        },
        {
            "label": "Per year",
            "type": "per_participant_year",
            "amount": {"dist": "gamma", "shape": 4, "scale": 2500},
            "actor": "stat",
        },
        {
            "label": "Saving",
            "type": "startup",
            "amount": -5000.5,
            "source": "=the old service",
            "illustrative": False,
        },
        {"label": "Fixed", "type": "operating", "amount": {"dist": "fixed", "value": 0.1 + 0.2}},
        {
            "label": "Preset",
            "type": "per_participant",
            "amount": {"preset": "cost_budget", "value": 1234.5, "source": "quote"},
            "years": [2, 4],
        },
        {
            "label": "Triangle",
            "type": "startup",
            "amount": {"dist": "triangular", "min": 1, "mode": 2, "max": 4},
        },
    ],
    "consequence": [
        {"key": "shelter_days"},
        {
            "key": "kontanthjaelp_weeks",
            "price_variant": "30plus_children",
            "profile": [4, 4],
            "scale": {"dist": "triangular", "min": 0.5, "mode": 1, "max": 1.5},
        },
        {
            "key": "gp_visits",
            "price_preset": "price_low",
            "profile": [-1, {"dist": "uniform", "min": -2, "max": 0}],
        },
        {
            "key": "own_line",
            "label": "Own line",
            "unit": "days",
            "area": "social",
            "kind": "expenditure",
            "unit_price": {"dist": "lognormal", "ci95": [600, 950]},
            "split": {"kommune": 0.5, "stat": 0.5},
            "profile": [
                -10,
                {"dist": "pert", "min": -20, "mode": -10, "max": 0, "lambda": 6},
                {"dist": "truncnormal", "mean": -5, "sd": 2, "max": 0},
                0,
                -1.5,
            ],
            "source": "own",
        },
        {
            "key": "revenue_line",
            "unit": "weeks",
            "area": "employment",
            "kind": "revenue",
            "price": {
                "kommune": {"dist": "lognormal", "mu": 6.6, "sigma": 0.2},
                "region": {"dist": "gamma", "ci95": [5, 15]},
                "stat": {"preset": "price_medium", "value": 750},
            },
            "profile": [1, 1, 1],
            "scale": {"dist": "beta", "alpha": 2, "beta": 2},
            "illustrative": True,
        },
        {
            "key": "rule_line",
            "unit": "visits",
            "area": "health",
            "kind": "expenditure",
            "unit_price": {"dist": "beta", "mean": 0.5, "sd": 0.1},
            "split": "kommune_only",
            "profile": [{"dist": "normal", "mean": -2, "sd": 1}],
            "scale": {"dist": "beta", "k": 3, "n": 10},
        },
    ],
    "correlation": [
        {
            "inputs": ["cost.start_up_team.amount", "cost.running.amount"],
            "spearman": [[1.0, 0.8], [0.8, 1.0]],
        },
        {
            "inputs": [
                "success.rate",
                "consequence.own_line.unit_price",
                "intake.participants[0]",
            ],
            "spearman": [[1, 0.3, 0.1], [0.3, 1, 0.2], [0.1, 0.2, 1]],
        },
    ],
}


#: A case with the fields added after the first workbook: resources of every kind, a pooled
#: effect (a knowledge-base study and two of the case's own), transfer, applies_to, an observed
#: cohort, and consequence lines with tax (a key, rates by actor, none), cap, members,
#: extrapolate and max_years; and the case's language.
NEW_FIELDS: dict[str, Any] = {
    "name": "Resources and a pooled effect",
    "price_year": 2024,
    "horizon": 4,
    "lang": "da",
    "target_group": "young_cannabis_users_neet",
    "intake": {
        "participants": [10, 12],
        "course_years": 1,
        "dropout": {"dist": "beta", "mean": 0.1, "sd": 0.03},
    },
    "success": {
        "effect": {
            "pool": [
                "cti_herman_2011_homelessness",
                {
                    "label": "a",
                    "measure": "odds_ratio",
                    "estimate": 0.4,
                    "se": 0.2,
                    "evidence_level": 2,
                },
                {"label": "b", "measure": "odds_ratio", "estimate": 0.5, "ci95": [0.3, 0.83]},
            ],
            "baseline": 0.6,
            "outcome": "adverse",
            "use": "prediction",
            "method": "DL",
            "hartung_knapp": True,
            "evidence": True,
            "note": "three studies",
        },
        "transfer": {"dist": "uniform", "min": 0.6, "max": 1.0},
        "applies_to": "starters",
        "observed": {"cohort": 1, "completers": 9, "successes": 2},
        "source": "pooled",
    },
    "resource": [
        {
            "label": "Social worker",
            "kind": "staff",
            "staff": "socialraadgiver",
            "hours": {"dist": "pert", "min": 20, "mode": 30, "max": 45},
            "per": "participant",
            "overhead": {"dist": "uniform", "min": 0.15, "max": 0.35},
            "note": "from the budget",
        },
        {
            "label": "Pedagogue",
            "kind": "staff",
            "wage": 250,
            "caseload": {"dist": "uniform", "min": 8, "max": 12},
            "fte_hours": 1600,
            "actor": "region",
            "years": [1, 2],
        },
        {
            "label": "Books",
            "kind": "material",
            "amount": 500,
            "per": "year",
            "source": "catalogue",
            "illustrative": True,
        },
        {"label": "Set-up", "kind": "setup", "amount": 50_000, "years": [1]},
        {
            "label": "Training",
            "kind": "training",
            "amount": {"preset": "cost_budget", "value": 8000},
        },
        {"label": "Usual care", "kind": "alternative", "amount": 3000, "per": "participant_year"},
    ],
    "consequence": [
        {
            "key": "su_months",
            "unit_price": 7426,
            "split": "stat_only",
            "tax": "transfer_income_2025",
            "max_years": 5,
        },
        {
            "key": "own_benefit",
            "unit": "weeks",
            "area": "employment",
            "kind": "expenditure",
            "unit_price": 4000,
            "split": {"kommune": 0.5, "stat": 0.5},
            "tax": {"kommune": 0.25, "stat": 0.12},
            "cap": {"kommune": 1500},
            "profile": [-4, -4],
            "max_years": 2,
            "extrapolate": False,
        },
        {
            "key": "family_visits",
            "unit": "visits",
            "area": "social",
            "kind": "expenditure",
            "price": {"kommune": 300},
            "tax": "none",
            "members": {"dist": "uniform", "min": 1, "max": 2},
            "profile": [-2],
        },
    ],
}


def _floats(value: Any) -> Any:
    """The case with every int a float: TOML's 14 and 14.0 mean the same number."""
    if isinstance(value, dict):
        return {k: _floats(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_floats(v) for v in value]
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


def _same_run(a: xr.Dataset, b: xr.Dataset) -> None:
    for ds in (a, b):
        for key in PROVENANCE:
            ds.attrs.pop(key, None)
    xr.testing.assert_identical(a, b)


# -- the distribution text --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "spec"),
    [
        ("0.14", 0.14),
        ("14", 14),
        ("-5000.5", -5000.5),
        ("pert(min=0.05, mode=0.14, max=0.3)", {"dist": "pert", "min": 0.05, "mode": 0.14,
                                                "max": 0.3}),
        ("beta(k=14, n=100)", {"dist": "beta", "k": 14, "n": 100}),
        ("normal(ci95=[400, 600])", {"dist": "normal", "ci95": [400, 600]}),
        ("preset(price_medium, 750)", {"preset": "price_medium", "value": 750}),
        ("preset(name=price_medium, value=750)", {"preset": "price_medium", "value": 750}),
        ("  PERT( min = 1 ,mode=2, max=4, )  ", {"dist": "pert", "min": 1, "mode": 2, "max": 4}),
        ('lognormal(mean=7, sd=1, source="a, \\"b\\"", illustrative=TRUE)',
         {"dist": "lognormal", "mean": 7, "sd": 1, "source": 'a, "b"', "illustrative": True}),
    ],
)  # fmt: skip
def test_parse_quantity(text: str, spec: Any) -> None:
    """Every documented spelling reads as the TOML table it stands for."""
    got = parse_quantity(text)
    assert got == spec
    assert type(got) is type(spec)


@pytest.mark.parametrize(
    "spec",
    [
        {"dist": "fixed", "value": 3},
        {"dist": "gamma", "shape": 4.0, "scale": 2.5e-7},
        {"dist": "beta", "k": 3, "n": 10, "prior": "uniform", "note": "line\nbreak ø"},
        {"dist": "truncnormal", "mean": 0.30000000000000004, "sd": 0.1, "max": 1},
        {"preset": "price_low", "value": 370.15, "source": "true", "illustrative": False},
    ],
)
def test_format_then_parse_is_exact(spec: dict) -> None:
    """Text made by format_quantity reads back to the same table, types and all."""
    text = format_quantity(spec)
    assert isinstance(text, str)
    back = parse_quantity(text)
    assert back == spec
    assert [type(v) for v in back.values()] == [type(v) for v in spec.values()]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("abc", "'abc' is not a number or a distribution"),
        ("0,14", "with a point"),
        ("pret(min=1, mode=2, max=4)", "unknown distribution 'pret'; did you mean"),
        ("pert(min=1, mode=2", "expected ',' or ')' at character 19"),
        ("pert(1, 2, 3)", "as key=value"),
        ("pert(min=0,05, mode=0.1, max=0.2)", "decimals with a point"),
        ("normal(mean=1, sd=1, foo=2)", "unknown key 'foo' for normal"),
        ("beta(mean=1.4, sd=0.1)", "beta mean 1.4 is outside (0, 1)"),
        ("pert(min=1, min=2, max=3)", "'min' is given twice"),
        ("pert(min=1, mode=2, max=4) + 1", "unexpected text after"),
        ('normal(mean=1, sd=1, source="open)', "text in quotes is not closed"),
        ("preset(price_low)", "a preset takes a name and a value"),
        ("__import__('os').system('true')", "is not a distribution"),
    ],
)
def test_parse_quantity_is_strict(text: str, message: str) -> None:
    """Malformed or unknown text is an error that says what is wrong; nothing is evaluated."""
    with pytest.raises(TextError) as err:
        parse_quantity(text)
    assert message in str(err.value)


def test_split_text() -> None:
    """A split is a rule's name or shares, and round-trips."""
    for split in ("stat_only", {"kommune": 0.5, "stat": 0.5}, {"region": 1}):
        assert parse_split(format_split(split)) == split
    assert parse_split("{kommune=0.25, stat=0.75}") == {"kommune": 0.25, "stat": 0.75}
    with pytest.raises(TextError, match="not a number"):
        parse_split("kommune=half")


# -- round trips --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_round_trip(name: str, tmp_path: Path) -> None:
    """TOML → workbook → dict is the case as written (knowledge-base lines stay just a key),
    and running the workbook gives the Dataset of running the TOML file."""
    toml_path = example_path(name)
    xlsx = write_template(tmp_path / f"{name}.xlsx", toml_path)
    raw = tomllib.loads(toml_path.read_text(encoding="utf-8"))
    assert _floats(read_case_xlsx(xlsx)) == _floats(raw)
    _same_run(som_mc.run(xlsx, draws=2000, seed=3), som_mc.run(toml_path, draws=2000, seed=3))


def test_every_form_round_trips(tmp_path: Path) -> None:
    """A case with every family, form, preset and kind of cell comes back exactly."""
    xlsx = write_template(tmp_path / "all.xlsx", ALL_FORMS)
    back = read_case_xlsx(xlsx)
    assert _floats(back) == _floats(ALL_FORMS)
    fixed = back["cost"][5]["amount"]["value"]
    assert fixed == 0.1 + 0.2  # not rounded to 0.3 by openpyxl's 16 digits
    _same_run(som_mc.run(xlsx, draws=2000, seed=3), som_mc.run(ALL_FORMS, draws=2000, seed=3))


def test_new_fields_round_trip(tmp_path: Path) -> None:
    """Resources, a pooled effect (Studies sheet), transfer, applies_to, observed, tax, cap,
    members, extrapolate, max_years and lang come back exactly, and the workbook runs as the
    dict does."""
    xlsx = write_template(tmp_path / "new.xlsx", NEW_FIELDS)
    book = openpyxl.load_workbook(xlsx)
    assert book["Studies"]["A2"].value == "cti_herman_2011_homelessness"
    assert book["Resources"].max_row == 1 + len(NEW_FIELDS["resource"])
    back = read_case_xlsx(xlsx)
    assert _floats(back) == _floats(NEW_FIELDS)
    assert write_template(tmp_path / "again.xlsx", xlsx) and (
        read_case_xlsx(tmp_path / "again.xlsx") == back
    )
    _same_run(som_mc.run(xlsx, draws=2000, seed=4), som_mc.run(NEW_FIELDS, draws=2000, seed=4))


@pytest.mark.parametrize(
    "effect",
    [
        {"study": "cti_herman_2011_homelessness", "baseline": 0.6, "outcome": "adverse"},
        {"measure": "odds_ratio", "estimate": 0.22, "ci95": [0.06, 0.88], "baseline": 0.6,
         "outcome": "adverse", "note": "Herman 2011"},
        {"measure": "smd", "estimate": -0.4, "se": 0.1, "baseline": 0.3, "outcome": "desirable"},
    ],
)  # fmt: skip
def test_single_study_effect_round_trips(effect: dict, tmp_path: Path) -> None:
    """A study's effect size on the Success sheet (effect_ fields) comes back as written."""
    case = copy.deepcopy(BLANK_CASE)
    case["success"] = {"effect": effect, "source": "a study"}
    back = read_case_xlsx(write_template(tmp_path / "e.xlsx", case))
    assert back == case
    assert load_case(case).inputs["success.rate"].family == "effect"


def test_empty_list_of_years_round_trips(tmp_path: Path) -> None:
    """``years = []`` (a line charged in no year) is written as [] and read back as []."""
    case = copy.deepcopy(ALL_FORMS)
    case["cost"][6]["years"] = []
    assert read_case_xlsx(write_template(tmp_path / "x.xlsx", case)) == case


def test_workbook_round_trips_through_itself(tmp_path: Path) -> None:
    """A workbook can be the case of a new template (to start a variant of a case)."""
    first = write_template(tmp_path / "a.xlsx", ALL_FORMS)
    second = write_template(tmp_path / "b.xlsx", first)
    assert read_case_xlsx(second) == read_case_xlsx(first)


def test_blank_template_is_a_case_that_runs(tmp_path: Path) -> None:
    """The blank template's examples make a valid case, read back as written."""
    xlsx = write_template(tmp_path / "blank.xlsx")
    assert read_case_xlsx(xlsx) == BLANK_CASE
    ds = som_mc.run(xlsx, draws=500, seed=1)
    assert ds.attrs["case_file"] == "blank.xlsx"
    assert ds.sizes["draw"] == 500


def test_blank_template_layout(tmp_path: Path) -> None:
    """Sheets in order, bold frozen headers, drop-downs for the closed lists, and a Help sheet
    that names every family, type, actor, area and kind."""
    book = openpyxl.load_workbook(write_template(tmp_path / "blank.xlsx"))
    assert book.sheetnames == [
        "Case", "Intake", "Success", "Studies", "Costs", "Resources", "Consequences", "Profiles",
        "Correlation", "Help",
    ]  # fmt: skip
    for name in ("Case", "Costs", "Resources", "Studies", "Consequences", "Profiles"):
        assert book[name]["A1"].font.bold
        assert book[name].freeze_panes in ("A2", "B2")
    lists = {
        sheet: {str(v.formula1) for v in book[sheet].data_validations.dataValidation}
        for sheet in ("Costs", "Consequences")
    }
    assert '"startup,operating,per_participant,per_participant_year"' in lists["Costs"]
    assert '"kommune,region,stat"' in lists["Costs"]
    assert '"employment,education,social,health,crime"' in lists["Consequences"]
    assert '"expenditure,revenue"' in lists["Consequences"]
    help_text = " ".join(
        str(c.value) for row in book["Help"].iter_rows() for c in row if c.value is not None
    )
    for word in (
        "fixed", "uniform", "triangular", "pert(", "normal(ci95=[400, 600])", "truncnormal",
        "lognormal", "gamma", "beta(k=14, n=100)", "preset(price_medium, 750)", "startup",
        "per_participant_year", "kommune", "region", "stat", "employment", "crime",
        "expenditure", "revenue", "shelter_days", "refusion_110_within_cap", "price_low",
        "caseload", "fte_hours", "socialraadgiver", "max_years", "applies_to", "effect_baseline",
        "evidence_level", "hartung_knapp", "transfer_income_2025",
        # Danish beside English
        "Sådan udfyldes projektmappen", "betydning (dansk)", "overførbarhedsfaktor",
        "lofter pr. enhed", "personalegruppe",
    ):  # fmt: skip
        assert word in help_text, word
    # Every field of the new sheets and columns has its Danish help text.
    from som_mc.inputs.workbook.case_layout import RESOURCE_COLUMNS, STUDY_COLUMNS

    for field in (*RESOURCE_COLUMNS, *STUDY_COLUMNS):
        assert field.help_da and field.help_da in help_text, field.name
    assert '"staff,material,setup,training,alternative"' in {
        str(v.formula1) for v in book["Resources"].data_validations.dataValidation
    }


def test_filled_in_by_hand(tmp_path: Path) -> None:
    """A user opens the blank template, types into it (numbers, distribution text, a number
    as text, capitals in a drop-down), deletes the example they do not need, saves: it runs."""
    xlsx = write_template(tmp_path / "case.xlsx")
    book = openpyxl.load_workbook(xlsx)
    case = book["Case"]
    case["B2"] = "Mentor scheme"
    case["B8"] = "fm2021"
    intake = book["Intake"]
    assert intake["A5"].value == "start_year"
    intake["B6"] = 15
    intake["A7"], intake["B7"] = 2, "pert(min=5, mode=10, max=15)"
    book["Success"]["B2"] = "0.2"  # typed into a cell formatted as text
    costs = book["Costs"]
    costs["C2"] = 45000
    typed = ("Coordinator", "operating", "triangular(min=100000, mode=150000, max=250000)")
    for column, value in zip("ABCDE", (*typed, "Region", "1; 2"), strict=True):
        costs[f"{column}3"] = value
    book["Consequences"].delete_rows(3)  # the written-out example line ...
    book["Profiles"].delete_rows(2)  # ... its profile ...
    book["Correlation"].delete_rows(1, 3)  # ... and the correlation that names it
    book["Consequences"]["A3"] = "shelter_days_beyond_cap"
    book.save(xlsx)

    case = load_case(xlsx)
    assert case.name == "Mentor scheme"
    assert case.model.discount_rate == "fm2021"
    assert [d.central() for d in case.model.intake.participants] == [15, 10]
    assert case.model.cost[1].actor == "region"
    assert case.model.cost[1].years == [1, 2]
    assert [c.key for c in case.model.consequence] == ["shelter_days", "shelter_days_beyond_cap"]
    ds = som_mc.run(xlsx, draws=500, seed=2)
    assert np.isfinite(ds["present_value"].values).all()


# -- bad workbooks --------------------------------------------------------------------------------


def _costs(book: openpyxl.Workbook) -> Any:
    return book["Costs"]


BAD: dict[str, tuple[Any, str]] = {
    "text for a number": (
        lambda b: _costs(b).__setitem__("C2", "abc"),
        "Costs!C2: 'abc' is not a number or a distribution",
    ),
    "unknown distribution": (
        lambda b: b["Success"].__setitem__("B2", "bta(k=1, n=10)"),
        "Success!B2: unknown distribution 'bta'",
    ),
    "malformed distribution": (
        lambda b: _costs(b).__setitem__("C2", "pert(min=1, mode=2"),
        "Costs!C2: 'pert(min=1, mode=2' is not a distribution",
    ),
    "misspelt header": (
        lambda b: _costs(b).__setitem__("A1", "lable"),
        "Costs!A1: unknown column 'lable'; did you mean 'label'?",
    ),
    "unknown sheet": (
        lambda b: b.create_sheet("Notes"),
        "sheet 'Notes': is not a sheet of a case workbook",
    ),
    "missing sheet": (lambda b: b.remove(b["Costs"]), "the workbook has no sheet 'Costs'"),
    "missing required column": (
        lambda b: _costs(b).delete_cols(3),
        "Costs!A1:G1: required column 'amount' is missing",
    ),
    "unknown actor": (
        lambda b: _costs(b).__setitem__("D2", "municipality"),
        "Costs!D2: 'municipality' is not allowed; actor is one of: kommune, region, stat",
    ),
    "empty required cell": (
        lambda b: _costs(b).__setitem__("B2", None),
        "Costs!B2: type is required here",
    ),
    "not a whole number": (
        lambda b: b["Case"].__setitem__("B5", 2024.5),
        "Case!B5: 2024.5 is not a whole number",
    ),
    "unknown field": (
        lambda b: b["Case"].__setitem__("A5", "priceyear"),
        "Case!A5: unknown field 'priceyear'; did you mean 'price_year'?",
    ),
    "bad boolean": (
        lambda b: _costs(b).__setitem__("G2", "maybe"),
        "Costs!G2: 'maybe' is not TRUE or FALSE",
    ),
    "gap in a profile": (
        lambda b: (b["Profiles"].__setitem__("C2", None), b["Profiles"].__setitem__("D2", -5)),
        "Profiles!C2: year 2 is empty but a later year is given",
    ),
    "profile of an unknown key": (
        lambda b: b["Profiles"].__setitem__("A2", "no_such_line"),
        "Profiles!A2: 'no_such_line' is not a key on the Consequences sheet",
    ),
    "correlation not square": (
        lambda b: b["Correlation"].__setitem__("A3", "success.rate"),
        "Correlation!A3: expected consequence.day_centre_visits.price.kommune",
    ),
    "formula without a result": (
        lambda b: _costs(b).__setitem__("C2", "=1+2"),
        "Costs!C2: holds a formula with no saved result",
    ),
    "years not whole": (
        lambda b: _costs(b).__setitem__("E2", 1.2),
        "Costs!E2: 1.2 is not a list of years",
    ),
    # Found by the case validation, as for a TOML file: the message names the case field.
    "rate above 1": (
        lambda b: b["Success"].__setitem__("B2", 1.4),
        "success.rate: 1.4 is above 1",
    ),
    "unknown preset": (
        lambda b: _costs(b).__setitem__("C2", "preset(cost_budgett, 5000)"),
        "cost[0].amount: unknown preset 'cost_budgett'",
    ),
    "study key with numbers": (
        lambda b: (
            b["Studies"].__setitem__("A2", "cti_herman_2011_homelessness"),
            b["Studies"].__setitem__("D2", 0.5),
        ),
        "Studies!A2: a study of the knowledge base gives only its key, not estimate",
    ),
    "ci95 not two numbers": (
        lambda b: (b["Studies"].__setitem__("B2", "a"), b["Studies"].__setitem__("F2", "0.3")),
        "Studies!F2: '0.3' is not two numbers",
    ),
    "cap not by actor": (
        lambda b: b["Consequences"].__setitem__("L3", "kommune_only"),
        "Consequences!L3: 'kommune_only' is not allowed; cap is numbers by actor",
    ),
    "unknown resource kind": (
        lambda b: (b["Resources"].__setitem__("A2", "X"), b["Resources"].__setitem__("B2", "staf")),
        "Resources!B2: 'staf' is not allowed; kind is one of: staff, material",
    ),
    "unknown language": (
        lambda b: b["Case"].__setitem__("B9", "de"),
        "Case!B9: 'de' is not allowed; lang is one of: da, en",
    ),
    "horizon too short for the intake": (
        lambda b: b["Case"].__setitem__("B7", 0),
        "horizon: 0 is below the minimum 1",
    ),
}


@pytest.fixture(scope="module")
def blank_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_template(tmp_path_factory.mktemp("blank") / "blank.xlsx")


@pytest.mark.parametrize("kind", list(BAD))
def test_bad_workbook(
    kind: str, blank_book: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    """Each mistake gives one line naming the file, the sheet and cell (or the case field),
    from Python and from the command line, with no traceback and no output file."""
    change, expected = BAD[kind]
    book = openpyxl.load_workbook(blank_book)
    change(book)
    xlsx = tmp_path / "bad.xlsx"
    book.save(xlsx)
    with pytest.raises(InputError) as err:
        load_case(xlsx)
    message = str(err.value)
    assert message.startswith(f"{xlsx}: "), message
    assert expected in message, message
    assert "\n" not in message

    out = tmp_path / "o.nc"
    assert main(["run", str(xlsx), "--draws", "100", "--out", str(out), "--quiet"]) == 2
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1, captured.err
    assert expected in captured.err
    assert "Traceback" not in captured.err
    assert not out.exists()


def test_not_a_workbook(tmp_path: Path) -> None:
    """A file that is not an xlsx workbook says so, naming the file."""
    fake = tmp_path / "case.xlsx"
    fake.write_text("name = 'a TOML file with the wrong ending'\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"case\.xlsx: cannot be read as an Excel workbook"):
        load_case(fake)


def test_template_refuses_what_a_workbook_cannot_hold(tmp_path: Path) -> None:
    """A case field the workbook has no place for is an error naming the field."""
    case = copy.deepcopy(ALL_FORMS)
    case["cost"][0]["colour"] = "red"
    with pytest.raises(InputError, match=r"<dict>: cost\[0\]\.colour: unknown field"):
        write_template(tmp_path / "x.xlsx", case)
    case = copy.deepcopy(ALL_FORMS)
    case["success"]["rate"] = {"mean": 0.2}
    with pytest.raises(InputError, match=r"success\.rate: cannot be put in a cell"):
        write_template(tmp_path / "x.xlsx", case)
    assert not (tmp_path / "x.xlsx").exists()


def test_template_never_overwrites_unasked(tmp_path: Path) -> None:
    """An existing file stays unless overwrite=True; no temporary file is left behind."""
    path = tmp_path / "case.xlsx"
    path.write_bytes(b"mine")
    with pytest.raises(ResultExistsError):
        write_template(path)
    assert path.read_bytes() == b"mine"
    write_template(path, overwrite=True)
    assert read_case_xlsx(path) == BLANK_CASE
    assert [p.name for p in tmp_path.iterdir()] == ["case.xlsx"]
    with pytest.raises(InputError, match=r"ends in \.xlsx"):
        write_template(tmp_path / "case.xls")


# -- results ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def analysed() -> dict[str, Any]:
    """A small run of the CTI example with every analysis, shared by the results tests."""
    from som_mc.analysis.sensitivity import (
        morris,
        sobol,
        switching_values,
        tornado,
        value_of_information,
    )

    case = load_case(example_path("cti"))
    return {
        "results": som_mc.run(case, draws=300, seed=1),
        "deterministic": som_mc.deterministic(case),
        "sensitivity": {
            "sobol": sobol(case, 32, replicates=2),
            "tornado": tornado(case),
            "switching": switching_values(case),
            "voi": value_of_information(case, 300, seed=1),  # groups would take 10 s
            "morris": morris(case, trajectories=4),
        },
    }


def _cells(ws: Any) -> list[list[Any]]:
    return [[c.value for c in row] for row in ws.iter_rows()]


def test_results_workbook(analysed: dict, tmp_path: Path) -> None:
    """Every sheet is written; value cells hold numbers with number formats; Draws is capped
    with a note; About carries the provenance, illustrative flag and knowledge notes."""
    path = write_results_xlsx(tmp_path / "r.xlsx", **analysed, max_draws=100)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == [
        "SØM table", "Summary", "Sobol", "Tornado", "Switching values", "Value of information",
        "Morris", "Draws", "About",
    ]  # fmt: skip

    som = book["SØM table"]
    rows = _cells(som)
    net = next(r for r in rows if r[0] == "net result" and r[1] == "total")
    det = analysed["deterministic"]
    assert net[2 : 2 + 5] == pytest.approx(det["net"].sum("actor").values)
    assert all(isinstance(v, float | int) for v in net[2:8])
    cost_row = next(i for i, r in enumerate(rows, 1) if r[0] == "cost" and r[1] == "kommune")
    assert som.cell(cost_row, 3).number_format == "#,##0"
    assert som.cell(cost_row, 3).value == 8393750

    summary = book["Summary"]
    rows = _cells(summary)
    header = next(r for r in rows if r[0] == "actor")
    total = next(r for r in rows if r[0] == "total")
    assert header[1] == "mean present value"
    s = som_mc.summarize(analysed["results"])
    assert total[1] == pytest.approx(float(s["pv_mean"].sel(actor="total")))
    p_col = header.index("P(present value > 0)") + 1
    total_row = rows.index(total) + 1
    assert summary.cell(total_row, p_col).number_format == "0.0%"
    assert all(isinstance(v, float | int) for v in total[1:7])

    sobol_rows = _cells(book["Sobol"])
    head = next(r for r in sobol_rows if r[:2] == ["output", "input"])
    assert head[2:5] == ["S1, first-order index", "S1 lower", "S1 upper"]
    first = sobol_rows[sobol_rows.index(head) + 1]
    assert first[0] == "total"
    assert isinstance(first[2], float)

    draws = book["Draws"]
    assert "first 100 of 300 draws" in draws["A1"].value
    assert draws.max_row == 2 + 100
    assert draws["B2"].value == "present value, kommune"
    pv = analysed["results"]["present_value"].sel(actor="kommune").values
    assert [draws.cell(3 + i, 2).value for i in range(3)] == pytest.approx(pv[:3])
    inputs = [c.value for c in draws[2]][6:]
    assert inputs == list(analysed["results"]["input"].values)
    assert all(isinstance(draws.cell(50, j).value, float) for j in range(7, 7 + len(inputs)))

    about_rows = _cells(book["About"])
    end = next(i for i, r in enumerate(about_rows) if r[0] == "Sobol")  # the next block
    about = {r[0]: r[1] for r in about_rows[:end] if r[0]}
    attrs = analysed["results"].attrs
    assert about["uses_illustrative_values"] == 1
    assert about["illustrative_items"] == attrs["illustrative_items"]
    assert about["seed"] == 1
    assert about["knowledge_notes"] == attrs["knowledge_notes"].splitlines()[0]
    assert any(str(r[0]).startswith("Uses illustrative values") for r in _cells(book["About"]))


def test_results_all_draws_in_danish(analysed: dict, tmp_path: Path) -> None:
    """Danish sheet names and headers; below max_draws every draw is written."""
    path = write_results_xlsx(
        tmp_path / "r.xlsx", results=analysed["results"], lang="da", max_draws=1000
    )
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Opsummering", "Træk", "Om"]
    assert book["Træk"]["A1"].value == "Alle 300 træk"
    assert book["Træk"].max_row == 2 + 300
    assert _cells(book["Opsummering"])[-1][0].startswith("tom median")


@pytest.mark.parametrize("lang", ["en", "da"])
def test_results_consequences_in_the_workbook_language(
    analysed: dict, lang: str, tmp_path: Path
) -> None:
    """The SØM table's gain by consequence names each catalogued consequence and its area in
    the workbook's language (the knowledge base's label_en / label_da), the Danish
    illustrative warning names them too; a case's own label stays as written."""
    from som_mc.inputs.knowledge.base import load_knowledge

    kb = load_knowledge()
    det = analysed["deterministic"]
    path = write_results_xlsx(tmp_path / "r.xlsx", deterministic=det, lang=lang)
    rows = _cells(openpyxl.load_workbook(path)["SØM-tabel" if lang == "da" else "SØM table"])
    head = next(i for i, r in enumerate(rows) if r[0] == ("konsekvens" if lang == "da" else
                                                          "consequence"))  # fmt: skip
    found = [r[0] for r in rows[head + 1 :] if r[2] == ("i alt" if lang == "da" else "total")]
    keys = [str(k) for k in det["consequence"].values]
    expected = [getattr(kb.consequences[k], f"label_{lang}") for k in keys]
    assert found == expected
    assert kb.consequences[keys[0]].label_da != kb.consequences[keys[0]].label_en
    areas = {r[1] for r in rows[head + 1 :] if r[0] in expected}
    assert areas == {"socialområdet" if lang == "da" else "social"}
    warning = next(r[0] for r in rows if str(r[0]).startswith(("Bruger", "Uses")))
    # Danish names the consequence (som_mc.present.labels.illustrative_items); English keeps
    # the provenance's keys, as the attrs hold them.
    assert (expected[0] if lang == "da" else keys[0]) in warning

    own = det.copy()
    own["consequence_label"] = own["consequence_label"].copy(data=["Mine egne døgn", *expected[1:]])
    path = write_results_xlsx(tmp_path / "own.xlsx", deterministic=own, lang=lang)
    assert "Mine egne døgn" in {r[0] for r in _cells(openpyxl.load_workbook(path).worksheets[0])}


def test_results_never_overwrite_unasked(analysed: dict, tmp_path: Path) -> None:
    """An existing file is kept unless overwrite=True; a big seed is kept exactly, as text."""
    path = tmp_path / "r.xlsx"
    path.write_bytes(b"old")
    ds = analysed["results"].copy()
    ds.attrs["seed"] = 2**62 + 1
    with pytest.raises(ResultExistsError):
        write_results_xlsx(path, results=ds)
    assert path.read_bytes() == b"old"
    write_results_xlsx(path, results=ds, overwrite=True)
    about = {r[0]: r[1] for r in _cells(openpyxl.load_workbook(path)["About"]) if r[0]}
    assert about["seed"] == str(2**62 + 1)
    assert [p.name for p in tmp_path.iterdir()] == ["r.xlsx"]


def test_results_arguments_are_checked(tmp_path: Path) -> None:
    """Nothing to write, an unknown language or a bad max_draws is an InputError."""
    with pytest.raises(InputError, match="nothing to write"):
        write_results_xlsx(tmp_path / "r.xlsx")
    ds = xr.Dataset(attrs={"case_name": "x"})
    with pytest.raises(InputError, match="'de' is not a language"):
        write_results_xlsx(tmp_path / "r.xlsx", summary=ds, lang="de")
    with pytest.raises(InputError, match="max_draws"):
        write_results_xlsx(tmp_path / "r.xlsx", summary=ds, max_draws=0)
    assert not any(tmp_path.iterdir())


def test_nan_cells_are_empty(analysed: dict, tmp_path: Path) -> None:
    """NaN (never breaks even, an output that does not vary) is an empty cell, never text."""
    path = write_results_xlsx(tmp_path / "r.xlsx", deterministic=analysed["deterministic"])
    rows = _cells(openpyxl.load_workbook(path)["SØM table"])
    pv_head = next(i for i, r in enumerate(rows) if r[2] == "present value")
    kommune = rows[pv_head + 1]
    assert kommune[1] == "kommune"
    be = float(analysed["deterministic"]["break_even_year_by_actor"].sel(actor="kommune"))
    assert math.isnan(be) and kommune[3] is None
