"""Danish help in the case workbook (issue 17, part 8): every field and column has its Danish
meaning, and a template made in Danish shows it on the Help sheet, in the help column of the
field sheets and in the comments on the table sheets' headers, while the names the reader reads
stay the case file's."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from som_mc import example_path
from som_mc.errors import InputError
from som_mc.inputs.workbook import case_layout
from som_mc.inputs.workbook.case_layout import (
    CASE,
    CASE_FIELDS,
    CONSEQUENCE_COLUMNS,
    CONSEQUENCES,
    COST_COLUMNS,
    COSTS,
    INTAKE,
    INTAKE_FIELDS,
    PARTICIPANT_COLUMNS,
    RESOURCE_COLUMNS,
    RESOURCES,
    STUDIES,
    STUDY_COLUMNS,
    SUCCESS,
    SUCCESS_FIELDS,
    Field,
)
from som_mc.inputs.workbook.read import read_case_xlsx
from som_mc.present.workbook import write_template


def _field_tables() -> dict[str, tuple[Field, ...]]:
    """Every tuple of Fields case_layout defines (a table added later is checked too)."""
    return {
        name: value
        for name, value in vars(case_layout).items()
        if isinstance(value, tuple) and value and all(isinstance(f, Field) for f in value)
    }


def test_every_field_has_a_danish_help_text() -> None:
    """No field or column of any sheet lacks its Danish meaning, and the Danish is not the
    English copied."""
    tables = _field_tables()
    assert {"CASE_FIELDS", "SUCCESS_FIELDS", "COST_COLUMNS", "CONSEQUENCE_COLUMNS"} <= set(tables)
    missing = [
        f"{table}.{f.name}" for table, fields in tables.items() for f in fields if not f.help_da
    ]
    assert missing == []
    same = [
        f"{table}.{f.name}"
        for table, fields in tables.items()
        for f in fields
        if f.help_da.strip() == f.help.strip()
    ]
    assert same == []
    # SØM's own words are used where the field is one of them (docs/model.md §2).
    by_name = {f.name: f.help_da for f in (*CASE_FIELDS, *INTAKE_FIELDS, *SUCCESS_FIELDS)}
    for name, word in (
        ("horizon", "tidshorisont"),
        ("price_year", "prisår"),
        ("discount_rate", "diskonteringsrente"),
        ("rate", "succesrate"),
        ("deadweight", "dødvægt"),
        ("persistence", "fastholdelse"),
        ("dropout", "frafald"),
        ("course_years", "forløbslængde"),
        ("description", "indsats"),
    ):
        assert word in by_name[name], name
    prices = [f for f in CONSEQUENCE_COLUMNS if f.name.startswith("price_") and f.path]
    assert [f.help_da.split(" for ")[1].split(",")[0] for f in prices] == [
        "kommunen",
        "regionen",
        "staten",
    ]
    assert all("enhedspris" in f.help_da for f in prices)


@pytest.fixture(scope="module")
def danish(tmp_path_factory: pytest.TempPathFactory) -> openpyxl.Workbook:
    """A blank template made in Danish, read back."""
    path = tmp_path_factory.mktemp("da") / "blank_da.xlsx"
    return openpyxl.load_workbook(write_template(path, lang="da"))


def _help_rows(book: openpyxl.Workbook) -> dict[tuple[str, str], tuple]:
    """The Help sheet's field table: (sheet, field) -> the row's cells."""
    rows = {}
    for row in book["Help"].iter_rows(values_only=True):
        if row[0] and row[1] and len(row) >= 6:
            rows[(str(row[0]), str(row[1]))] = row
    return rows


SECTIONS = (
    (CASE, CASE_FIELDS),
    (INTAKE, INTAKE_FIELDS),
    (f"{INTAKE} (tabellen under felterne)", PARTICIPANT_COLUMNS),
    (SUCCESS, SUCCESS_FIELDS),
    (STUDIES, STUDY_COLUMNS),
    (COSTS, COST_COLUMNS),
    (RESOURCES, RESOURCE_COLUMNS),
    (CONSEQUENCES, CONSEQUENCE_COLUMNS),
)


def test_danish_help_sheet_gives_each_field_its_danish_meaning(danish) -> None:
    """In the Danish Help sheet each field's row has its help_da as the meaning, Danish words
    for what it takes, "ja" if required, and the English meaning beside it; the headers and
    titles are Danish and the English introduction is not there."""
    rows = _help_rows(danish)
    assert rows[("ark", "felt eller kolonne")][:6] == (
        "ark", "felt eller kolonne", "påkrævet", "betydning", "tilladt", "meaning (English)",
    )  # fmt: skip
    for sheet, fields in SECTIONS:
        for field in fields:
            row = rows[(sheet, field.name)]
            assert row[3] == field.help_da, (sheet, field.name)
            assert row[5] == field.help, (sheet, field.name)
            assert row[2] == ("ja" if field.required else None), (sheet, field.name)
            if field.kind in ("whole", "bool", "quantity"):
                assert row[4] in ("et helt tal", "TRUE eller FALSE") or row[4].startswith(
                    "et tal eller en fordeling"
                ), (field.name, row[4])
    text = " ".join(str(c) for r in danish["Help"].iter_rows(values_only=True) for c in r if c)
    for title in ("Sådan udfyldes projektmappen", "Ark, felter og kolonner", "Tal og fordelinger",
                  "Tilladte værdier", "Vidensdatabasen: konsekvenser"):  # fmt: skip
        assert title in text, title
    assert "How to fill in this workbook" not in text and "Allowed values" not in text
    # The Danish introduction says what the English one does: the examples and the commands.
    assert "eksempel i hver tabel" in text and "som-mc run case.xlsx" in text
    assert "Hjemløse med komplekse støttebehov" in text  # a target group by its Danish label


def test_danish_field_sheets_and_header_comments_are_danish(danish) -> None:
    """The help column of Case, Intake and Success holds each field's Danish help ("Skal
    udfyldes." for a required one, "Tilladt:"), the table sheets' header comments too, and the
    headers themselves stay the case file's names."""
    for sheet, fields in ((CASE, CASE_FIELDS), (SUCCESS, SUCCESS_FIELDS), (INTAKE, INTAKE_FIELDS)):
        ws = danish[sheet]
        assert [c.value for c in ws[1]][:3] == ["field", "value", "help"]
        for row, field in enumerate(fields, start=2):
            assert ws.cell(row=row, column=1).value == field.name
            help_cell = ws.cell(row=row, column=3).value
            assert field.help_da[1:] in help_cell and "Tilladt: " in help_cell, field.name
            assert help_cell.startswith("Skal udfyldes. ") == field.required, field.name
            assert "Allowed" not in help_cell and "Required" not in help_cell
    for sheet, columns in ((COSTS, COST_COLUMNS), (CONSEQUENCES, CONSEQUENCE_COLUMNS)):
        ws = danish[sheet]
        for column, field in enumerate(columns, start=1):
            cell = ws.cell(row=1, column=column)
            assert cell.value == field.name
            assert field.help_da[1:] in cell.comment.text, (sheet, field.name)
    errors = {v.error for v in danish[COSTS].data_validations.dataValidation}
    assert "actor er en af: kommune, region, stat (eller tom)" in errors


def test_english_template_is_english_and_both_read_back_the_same(tmp_path: Path) -> None:
    """The default template stays English (Danish beside it on Help); a Danish template of the
    same case reads back to the same case dict, so the language changes only the help; the
    case's own ``lang`` picks the language when none is given; a bad language is an
    InputError naming --lang."""
    case = example_path("cannabis_youth")
    en = write_template(tmp_path / "en.xlsx", case)
    da = write_template(tmp_path / "da.xlsx", case, lang="da")
    assert read_case_xlsx(en) == read_case_xlsx(da)
    book = openpyxl.load_workbook(en)
    assert book[CASE]["C2"].value.startswith("Required. The case's name")
    english = _help_rows(book)
    assert english[(CASE, "name")][3] == CASE_FIELDS[0].help
    assert english[(CASE, "name")][5] == CASE_FIELDS[0].help_da
    given = write_template(tmp_path / "given.xlsx", {**read_case_xlsx(en), "lang": "da"})
    assert openpyxl.load_workbook(given)[CASE]["C2"].value.startswith("Skal udfyldes.")
    with pytest.raises(InputError, match="--lang"):
        write_template(tmp_path / "de.xlsx", case, lang="de")


def test_cli_template_in_danish(tmp_path: Path) -> None:
    """`som-mc template --lang da` writes the Danish help; the workbook runs."""
    from som_mc.cli import main

    book = tmp_path / "case.xlsx"
    assert main(["template", str(book), "--example", "cti", "--lang", "da"]) == 0
    assert openpyxl.load_workbook(book)["Help"]["A1"].value == "Sådan udfyldes projektmappen"
    assert main(["check", str(book)]) == 0
