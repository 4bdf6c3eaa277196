"""Write a case workbook for an analyst to fill in: blank with examples, or from a case file."""

from __future__ import annotations

import copy
import tomllib
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from som_mc.checks import is_number, is_whole_number
from som_mc.conventions import ACTORS
from som_mc.errors import InputError
from som_mc.inputs.workbook.case_layout import (
    CASE,
    CASE_FIELDS,
    CONSEQUENCE_COLUMNS,
    CONSEQUENCES,
    CORRELATION,
    CORRELATION_CORNER,
    COST_COLUMNS,
    COSTS,
    FIELD_HEADER,
    INTAKE,
    INTAKE_FIELDS,
    NOTE,
    PARTICIPANT_COLUMNS,
    PROFILES,
    RESOURCE_COLUMNS,
    RESOURCES,
    STUDIES,
    STUDY_COLUMNS,
    SUCCESS,
    SUCCESS_FIELDS,
    Field,
    year_header,
)
from som_mc.inputs.workbook.cells import put
from som_mc.inputs.workbook.quantity_text import format_quantity, format_split, format_value
from som_mc.present.locale import LANGUAGES
from som_mc.present.workbook.book import (
    BOLD,
    INPUT_FILL,
    WRAP,
    check_xlsx_path,
    fit_rows,
    save_atomic,
    style_header,
    widths,
)
from som_mc.present.workbook.help_sheet import help_text, write_help

__all__ = ["BLANK_CASE", "write_template"]

#: The example the blank template is filled with: a complete case that runs, showing each form
#: once (a knowledge-base line that gives only its key, a line written out in full, a
#: distribution, a preset, a correlation). Each of its rows is meant to be overwritten.
BLANK_CASE: dict[str, Any] = {
    "name": "Example: replace with your case's name",
    "description": "What the intervention is, and for whom",
    "target_group": "long_term_shelter_users",
    "price_year": 2024,
    "currency": "DKK",
    "horizon": 5,
    "discount_rate": 0,
    "intake": {"participants": [20], "course_years": 1, "dropout": 0},
    "success": {
        "rate": {"dist": "pert", "min": 0.05, "mode": 0.14, "max": 0.3},
        "source": "where the rate comes from",
    },
    "cost": [
        {
            "label": "Course",
            "type": "per_participant",
            "amount": {"preset": "cost_budget", "value": 50000},
            "actor": "kommune",
            "source": "the budget",
            "illustrative": True,
        }
    ],
    "consequence": [
        {"key": "shelter_days"},
        {
            "key": "day_centre_visits",
            "label": "Visits to a day centre",
            "unit": "visits",
            "area": "social",
            "kind": "expenditure",
            "price": {"kommune": {"dist": "pert", "min": 150, "mode": 200, "max": 300}},
            "profile": [-20, -20, -10],
            "source": "your own line: every column filled in",
            "illustrative": True,
        },
    ],
    "correlation": [
        {
            "inputs": [
                "consequence.shelter_days.unit_price",
                "consequence.day_centre_visits.price.kommune",
            ],
            "spearman": [[1.0, 0.5], [0.5, 1.0]],
        }
    ],
}

#: Notes beside the blank template's example rows (the note column is not read back).
_BLANK_NOTES: dict[str, tuple[str, ...]] = {
    COSTS: ("an example line: overwrite it, and add one row per cost",),
    CONSEQUENCES: (
        "only the key: the knowledge base fills in the rest (see Help for the keys)",
        "written out in full; its profile is on the Profiles sheet",
    ),
}
_BLANK_NOTES_DA: dict[str, tuple[str, ...]] = {
    COSTS: ("en eksempellinje: overskriv den, og tilføj en række pr. omkostning",),
    CONSEQUENCES: (
        "kun nøglen: vidensdatabasen udfylder resten (se nøglerne på arket Help)",
        "skrevet helt ud; dens konsekvensestimat står på arket Profiles",
    ),
}
#: The words of a drop-down's error and of the Profiles sheet's key, in English and Danish.
_DROP_DOWN = ("{name} is one of: {listed} (or empty)", "{name} er en af: {listed} (eller tom)")
_PROFILES_KEY = (
    "A key of the Consequences sheet. Give a row only to write the profile yourself; a "
    "knowledge-base line without a row here takes its target group's profile.",
    "En nøgle fra arket Consequences. Angiv kun en række for selv at skrive "
    "konsekvensestimatet; en linje fra vidensdatabasen uden en række her får sin målgruppes.",
)
_ROWS_VALIDATED = 500  # drop-downs reach this far down a table
_LEFT = Alignment(horizontal="left")
_FIELD_WIDTHS = (16, 44, 100)


def write_template(
    path: str | Path,
    case: str | Path | dict | None = None,
    *,
    overwrite: bool = False,
    lang: str | None = None,
) -> Path:
    """Write a workbook an analyst fills in instead of a TOML case file.

    The sheets are Case, Intake, Success, Studies (of a pooled effect), Costs, Resources,
    Consequences, Profiles and Correlation, laid out like the case file (docs/cases.md), and
    Help, which explains every column (in English and Danish), the
    allowed values and the knowledge base's keys. A quantity cell holds a number or a
    distribution as text, such as ``pert(min=0.05, mode=0.14, max=0.3)``, ``beta(k=14,
    n=100)``, ``normal(ci95=[400, 600])`` or ``preset(price_medium, 750)`` (see
    :mod:`som_mc.inputs.workbook.quantity_text`). An empty cell is a field not given.

    Parameters
    ----------
    path : str or Path
        The workbook to write; its name ends in ``.xlsx``.
    case : str, Path, dict or None
        None: a blank template holding one example line per table (:data:`BLANK_CASE`), to
        overwrite. A TOML case file (or a workbook) or a case dict: the template filled with
        it as written, so a knowledge-base line stays just its key. The case need not be
        complete; it is checked when the workbook is loaded.
    overwrite : bool
        Replace an existing file; without it an existing file raises
        :class:`~som_mc.io.ResultExistsError`.
    lang : {"en", "da"} or None
        The language of the help column, the headers' comments, the drop-downs' messages and
        the Help sheet; the names of sheets, fields and columns are the case file's in both.
        None: the case's ``lang`` if it gives one, else English.

    Returns
    -------
    Path

    Raises
    ------
    InputError
        If the case holds something a workbook cannot (an unknown field, a table where a
        number goes), naming the field.

    Examples
    --------
    >>> import tempfile
    >>> from som_mc.inputs.examples import example_path
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     xlsx = write_template(Path(folder) / "cti.xlsx", example_path("cti"))
    ...     print(xlsx.name)
    cti.xlsx
    """
    path = check_xlsx_path(path)
    data, source = _raw_case(case)
    if lang is None:
        given = data.get("lang") if isinstance(data, dict) else None
        lang = given if given in LANGUAGES else "en"
    if lang not in LANGUAGES:
        raise InputError("--lang", f"'{lang}' is not a language; allowed: {', '.join(LANGUAGES)}")
    try:
        book = _workbook(data, lang)
    except InputError as err:
        raise err.in_file(source) from None
    if case is None:
        for sheet, notes in (_BLANK_NOTES_DA if lang == "da" else _BLANK_NOTES).items():
            column = book[sheet].max_column  # the note column is the last
            for row, note in enumerate(notes, start=2):
                put(book[sheet], row, column, note)
    return save_atomic(book, path, overwrite=overwrite)


def _raw_case(case: str | Path | dict | None) -> tuple[dict, str]:
    """The case as written (not filled from the knowledge base), and where it came from."""
    if case is None:
        return copy.deepcopy(BLANK_CASE), "<blank template>"
    if isinstance(case, dict):
        return copy.deepcopy(case), "<dict>"
    path = Path(case)
    if path.suffix.lower() == ".xlsx":
        from som_mc.inputs.workbook.read import read_case_xlsx

        return read_case_xlsx(path), str(path)
    try:
        return tomllib.loads(path.read_text(encoding="utf-8")), str(path)
    except FileNotFoundError:
        raise InputError("", "no such case file", file=str(path)) from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise InputError(
            "", f"cannot be read ({err}); `som-mc check` says more", file=str(path)
        ) from None


def _workbook(data: dict, lang: str = "en") -> Workbook:
    if not isinstance(data, dict):
        raise InputError("", "a case is a table of fields")
    sections = {"intake", "success", "cost", "resource", "consequence", "correlation"}
    _known_keys(data, {f.name for f in CASE_FIELDS} | sections, "")
    book = Workbook()
    ws = book.active
    ws.title = CASE
    _field_sheet(ws, CASE_FIELDS, data, "", lang=lang)
    intake = _section(data, "intake")
    _intake_sheet(book.create_sheet(INTAKE), intake, lang)
    success = _section(data, "success")
    # The studies of a pooled effect go on a sheet of their own, one row each.
    sheet = book.create_sheet(SUCCESS)
    _field_sheet(sheet, SUCCESS_FIELDS, success, "success", {"effect": "pool"}, lang)
    effect = success.get("effect")
    pool = effect.get("pool", []) if isinstance(effect, dict) else []
    studies = _studies(pool)
    _table_sheet(book.create_sheet(STUDIES), STUDY_COLUMNS, studies, "success.effect.pool", lang)
    costs = _lines(data, "cost")
    _table_sheet(book.create_sheet(COSTS), COST_COLUMNS, costs, "cost", lang)
    resources = _lines(data, "resource")
    _table_sheet(book.create_sheet(RESOURCES), RESOURCE_COLUMNS, resources, "resource", lang)
    lines = _lines(data, "consequence")
    _table_sheet(book.create_sheet(CONSEQUENCES), CONSEQUENCE_COLUMNS, lines, "consequence", lang)
    horizon = data.get("horizon")
    years = horizon if isinstance(horizon, int) else 10
    _profiles_sheet(book.create_sheet(PROFILES), lines, years, lang)
    _correlation_sheet(book.create_sheet(CORRELATION), _lines(data, "correlation"))
    write_help(book.create_sheet("Help"), lang)
    return book


# -- checking what the case holds ---------------------------------------------------------------


def _known_keys(table: dict, known: set[str], where: str) -> None:
    for key in table:
        if key not in known:
            field = f"{where}.{key}" if where else key
            raise InputError(
                field, f"unknown field; a workbook holds only {', '.join(sorted(known))}"
            )


def _section(data: dict, name: str) -> dict:
    value = data.get(name, {})
    if not isinstance(value, dict):
        raise InputError(name, f"is not a table; write it as [{name}]")
    return value


def _lines(data: dict, name: str) -> list[dict]:
    value = data.get(name, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise InputError(name, f"is not a list of tables; write each one as [[{name}]]")
    return value


def _studies(pool: Any) -> list[dict]:
    """The rows of the Studies sheet: a knowledge-base study as its key, a table as it is."""
    if not isinstance(pool, list):
        raise InputError("success.effect.pool", "is not a list of studies")
    rows = []
    for i, entry in enumerate(pool):
        if isinstance(entry, str):
            rows.append({"key": entry})
        elif isinstance(entry, dict) and "key" not in entry:
            rows.append(entry)
        else:
            raise InputError(
                f"success.effect.pool[{i}]", "is neither a study's key nor a table of its numbers"
            )
    return rows


def _cell_value(value: Any, field: Field, where: str) -> Any:
    """The cell value for a field's value in the case; raises if a cell cannot hold it."""
    kind = field.kind
    ok = True
    if kind in ("text", "word", "enum"):
        ok = isinstance(value, str)
    elif kind == "whole":
        ok = is_whole_number(value)
    elif kind == "bool":
        ok = isinstance(value, bool)
    elif kind == "rate" and value == "fm2021":
        return value
    elif kind in ("quantity", "rate"):
        try:
            return format_quantity(value)
        except TypeError as err:
            raise InputError(where, f"cannot be put in a cell: {err}") from None
    elif kind == "years":
        ok = isinstance(value, list) and all(is_whole_number(v) for v in value)
        if ok and len(value) == 1:
            return value[0]  # a number cell, as one year is typed
        if ok:
            # "[]" (no year) must differ from an empty cell (every year).
            return ", ".join(str(v) for v in value) or "[]"
    elif kind == "number":
        ok = is_number(value)
    elif kind == "pair":
        ok = isinstance(value, list) and len(value) == 2 and all(is_number(v) for v in value)
        if ok:
            return format_value(value)
    elif kind in ("split", "tax", "per_actor"):
        if kind == "per_actor" and not isinstance(value, dict):
            ok = False
        else:
            try:
                return format_split(value)
            except TypeError as err:
                raise InputError(where, f"cannot be put in a cell: {err}") from None
    if not ok:
        raise InputError(
            where, f"{value!r} cannot be put in a cell; {field.name} is {field.allowed}"
        )
    return value


# -- sheets ------------------------------------------------------------------------------------


def _field_sheet(
    ws: Worksheet,
    fields: tuple[Field, ...],
    data: dict,
    where: str,
    elsewhere: dict[str, str] | None = None,
    lang: str = "en",
) -> int:
    """Write a header and one row per field; returns the last row written.

    A field with a ``path`` of two keys (``effect_study`` is ``effect.study``) is one key of a
    table of the section; ``elsewhere`` names keys of such tables written on another sheet.
    """
    if where:
        _known_keys(data, {f.key_path[0] for f in fields}, where)
    for top in {f.key_path[0] for f in fields if len(f.key_path) > 1}:
        table = data.get(top)
        if table is None:
            continue
        at = f"{where}.{top}" if where else top
        if not isinstance(table, dict):
            raise InputError(at, f"is not a table; a workbook holds {top} as a table of keys")
        known = {f.key_path[1] for f in fields if f.key_path[0] == top}
        known |= {(elsewhere or {}).get(top)} - {None}
        _known_keys(table, known, at)
    for column, text in enumerate(FIELD_HEADER, start=1):
        put(ws, 1, column, text)
    style_header(ws, 1, len(FIELD_HEADER))
    for row, field in enumerate(fields, start=2):
        put(ws, row, 1, field.name)
        cell = ws.cell(row=row, column=2)
        cell.fill = INPUT_FILL
        cell.alignment = _LEFT  # text and numbers alike, as a form reads
        value = _get_path(data, field.key_path, where)
        if value is not None:
            path = ".".join(field.key_path)
            at = f"{where}.{path}" if where else path
            put(ws, row, 2, _cell_value(value, field, at))
        help_cell = put(ws, row, 3, help_text(field, lang))
        help_cell.alignment = WRAP
        if field.kind in ("enum", "bool"):
            _drop_down(ws, field, f"B{row}", lang)
    widths(ws, _FIELD_WIDTHS)
    fit_rows(ws)
    ws.freeze_panes = "A2"
    return 1 + len(fields)


def _intake_sheet(ws: Worksheet, intake: dict, lang: str = "en") -> None:
    _known_keys(intake, {f.name for f in INTAKE_FIELDS} | {"participants"}, "intake")
    fields = {k: v for k, v in intake.items() if k != "participants"}
    last = _field_sheet(ws, INTAKE_FIELDS, fields, "intake", lang=lang)
    participants = intake.get("participants", [])
    # One number means everyone starts in year 1: the same as a list of one.
    participants = participants if isinstance(participants, list) else [participants]
    rows = [{"start_year": i + 1, "participants": p} for i, p in enumerate(participants)]
    where = "intake.participants"
    _table(ws, PARTICIPANT_COLUMNS, rows, where, header_row=last + 2, check=False, lang=lang)


def _table_sheet(
    ws: Worksheet, columns: tuple[Field, ...], lines: list[dict], where: str, lang: str = "en"
) -> None:
    _table(ws, columns, lines, where, header_row=1, lang=lang)
    widths(ws, [c.width for c in columns])
    ws.freeze_panes = "B2"


def _table(
    ws: Worksheet,
    columns: tuple[Field, ...],
    lines: list[dict],
    where: str,
    header_row: int,
    check: bool = True,
    lang: str = "en",
) -> None:
    for column, field in enumerate(columns, start=1):
        cell = put(ws, header_row, column, field.name)
        cell.comment = _comment(field, lang)
    style_header(ws, header_row, len(columns))
    tops = {c.key_path[0] for c in columns if c.kind != "note"}
    if where == "consequence":
        tops.add("profile")  # written on the Profiles sheet
    for i, line in enumerate(lines):
        at = f"{where}[{i}]"
        if check:
            _known_keys(line, tops, at)
        row = header_row + 1 + i
        for column, field in enumerate(columns, start=1):
            value = _get_path(line, field.key_path, at)
            if value is not None:
                # Rows made from a list (participants) are located by their index alone.
                loc = f"{at}.{'.'.join(field.key_path)}" if check else at
                put(ws, row, column, _cell_value(value, field, loc))
        price = line.get("price")
        if isinstance(price, dict):
            _known_keys(price, set(ACTORS), f"{at}.price")
    first = header_row + 1
    for column, field in enumerate(columns, start=1):
        letter = get_column_letter(column)
        if field.kind in ("enum", "bool"):
            _drop_down(ws, field, f"{letter}{first}:{letter}{first + _ROWS_VALIDATED}", lang)


def _get_path(line: dict, path: tuple[str, ...], where: str) -> Any:
    value: Any = line
    for part in path:
        if value is None:
            return None
        if not isinstance(value, dict):
            raise InputError(where, f"{'.'.join(path[:-1])} is not a table of actors")
        value = value.get(part)
    return value


def _comment(field: Field, lang: str = "en") -> Comment:
    comment = Comment(help_text(field, lang), "som-mc")
    comment.width, comment.height = 320, 140  # points; the default box cuts the text short
    return comment


def _drop_down(ws: Worksheet, field: Field, cells: str, lang: str = "en") -> None:
    choices = field.choices if field.kind == "enum" else ("TRUE", "FALSE")
    listed = ", ".join(choices)
    validation = DataValidation(
        type="list",
        formula1=f'"{",".join(choices)}"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=f"{field.name}",
        error=_DROP_DOWN[LANGUAGES.index(lang)].format(name=field.name, listed=listed),
    )
    ws.add_data_validation(validation)
    validation.add(cells)


def _profiles_sheet(ws: Worksheet, lines: list[dict], horizon: int, lang: str = "en") -> None:
    profiled = [(i, line) for i, line in enumerate(lines) if "profile" in line]
    for i, line in profiled:
        if not isinstance(line["profile"], list) or not line["profile"]:
            raise InputError(f"consequence[{i}].profile", "is not a list of quantities")
    longest = max([len(line["profile"]) for _, line in profiled], default=0)
    years = max(horizon, longest, 1)
    put(ws, 1, 1, "key").comment = Comment(_PROFILES_KEY[LANGUAGES.index(lang)], "som-mc")
    for year in range(1, years + 1):
        put(ws, 1, 1 + year, year_header(year))
    put(ws, 1, years + 2, NOTE)
    style_header(ws, 1, years + 2)
    for row, (i, line) in enumerate(profiled, start=2):
        put(
            ws,
            row,
            1,
            _cell_value(line.get("key"), CONSEQUENCE_COLUMNS[0], f"consequence[{i}].key"),
        )
        for k, value in enumerate(line["profile"]):
            field = Field("profile", "quantity", "")
            put(ws, row, 2 + k, _cell_value(value, field, f"consequence[{i}].profile[{k}]"))
    widths(ws, [30, *[14] * years, 30])
    ws.freeze_panes = "B2"


def _correlation_sheet(ws: Worksheet, blocks: list[dict]) -> None:
    row = 1
    for b, block in enumerate(blocks):
        where = f"correlation[{b}]"
        _known_keys(block, {"inputs", "spearman"}, where)
        names, matrix = block.get("inputs"), block.get("spearman")
        square = (
            isinstance(names, list)
            and isinstance(matrix, list)
            and len(matrix) == len(names)
            and all(isinstance(r, list) and len(r) == len(names) for r in matrix)
        )
        if not square or not all(isinstance(n, str) for n in names):
            raise InputError(where, "is not inputs and a square spearman matrix of them")
        put(ws, row, 1, CORRELATION_CORNER)
        style_header(ws, row, 1 + len(names))
        for j, name in enumerate(names):
            put(ws, row, 2 + j, name)
            put(ws, row + 1 + j, 1, name).font = BOLD
            for k, value in enumerate(matrix[j]):
                if not is_number(value):
                    raise InputError(f"{where}.spearman[{j}][{k}]", f"{value!r} is not a number")
                put(ws, row + 1 + j, 2 + k, value)
        row += len(names) + 2
    widths(ws, [48, *[44] * max((len(b.get("inputs", [])) for b in blocks), default=2)])
