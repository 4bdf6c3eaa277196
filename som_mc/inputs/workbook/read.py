"""Read a case workbook (made by :func:`~som_mc.present.workbook.write_template`) into a case dict.

The dict has the structure a TOML case file gives, so :func:`som_mc.load_case` validates a
workbook exactly as it validates a TOML file. What only the workbook can get wrong (an unknown
sheet or column, a cell that is not a number or a distribution, an empty required cell) is
reported here, naming the sheet and the cell: ``case.xlsx: Costs!C4: 'abc' is not a number ...``.
"""

from __future__ import annotations

import difflib
import re
import warnings
import zipfile
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from som_mc.checks import is_number, is_whole_number
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
    HELP,
    INTAKE,
    INTAKE_FIELDS,
    NOTE,
    PARTICIPANT_COLUMNS,
    PROFILES,
    REQUIRED_SHEETS,
    RESOURCE_COLUMNS,
    RESOURCES,
    SHEETS,
    STUDIES,
    STUDY_COLUMNS,
    SUCCESS,
    SUCCESS_FIELDS,
    Field,
    year_header,
)
from som_mc.inputs.workbook.cells import CellError, convert, is_blank, show

__all__ = ["read_case_xlsx"]

_KEY = Field("key", "word", "", required=True)
_PROFILE_VALUE = Field("profile", "quantity", "")
_SPEARMAN = Field("spearman", "quantity", "")


def read_case_xlsx(path: str | Path) -> dict[str, Any]:
    """Read a filled-in case workbook into the dict a TOML case file gives.

    Empty cells are fields not given. The result is not yet validated:
    :func:`som_mc.load_case` (which reads ``.xlsx`` files with this function) checks it, with
    the same messages as for a TOML file.

    Parameters
    ----------
    path : str or Path
        An ``.xlsx`` workbook with the sheets of :func:`~som_mc.present.workbook.write_template`.

    Returns
    -------
    dict
        ``name``, ``price_year``, ..., ``intake``, ``success`` (with ``effect.pool`` from the
        Studies sheet), ``cost``, ``resource``, ``consequence`` and ``correlation``, as in a
        case file (docs/cases.md).

    Raises
    ------
    InputError
        Naming the file, the sheet and the cell, what was found there and what is allowed.

    Examples
    --------
    >>> import tempfile
    >>> from som_mc.inputs.examples import example_path
    >>> from som_mc.present.workbook import write_template
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     xlsx = write_template(Path(folder) / "cti.xlsx", example_path("cti"))
    ...     case = read_case_xlsx(xlsx)
    >>> case["cost"][0]["amount"]
    {'preset': 'cost_budget', 'value': 335750}
    """
    return _Reader(Path(path)).case()


class _Reader:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.book = self._open(data_only=False)
        self._values: Workbook | None = None  # saved formula results, loaded when needed

    # -- errors and cells --------------------------------------------------------------------

    def error(self, where: str, message: str) -> InputError:
        return InputError(where, message, file=str(self.path))

    def _open(self, data_only: bool) -> Workbook:
        try:
            with warnings.catch_warnings():
                # openpyxl warns that it drops extensions it does not read (Excel's own data
                # validation lists, conditional formats); a case is read from values only.
                warnings.filterwarnings("ignore", category=UserWarning, module="openpyxl")
                return load_workbook(self.path, data_only=data_only)
        except FileNotFoundError:
            raise self.error("", "no such case file") from None
        except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as err:
            raise self.error(
                "",
                f"cannot be read as an Excel workbook ({type(err).__name__}: {err}); save it as "
                ".xlsx (Excel Workbook) and try again",
            ) from None

    def value(self, ws: Worksheet, cell: Cell) -> Any:
        """The cell's value; a formula's saved result; an error for an Excel error value."""
        if cell.data_type == "f":
            if self._values is None:
                self._values = self._open(data_only=True)
            value = self._values[ws.title][cell.coordinate].value
            if value is None:
                raise self.error(
                    _at(ws, cell),
                    "holds a formula with no saved result; open and save the workbook in Excel "
                    "or LibreOffice, or type the value",
                )
            return value
        if cell.data_type == "e":
            raise self.error(_at(ws, cell), f"holds the spreadsheet error {cell.value}")
        return cell.value

    def read(self, ws: Worksheet, cell: Cell, field: Field) -> Any:
        """The cell read as ``field`` wants it, or None when it is empty."""
        value = self.value(ws, cell)
        if is_blank(value):
            if field.required:
                raise self.error(
                    _at(ws, cell), f"{field.name} is required here; it is {field.allowed}"
                )
            return None
        try:
            return convert(value, field)
        except CellError as err:
            raise self.error(_at(ws, cell), str(err)) from None

    def rows(self, ws: Worksheet, start: int = 1) -> list[tuple[Cell, ...]]:
        """The sheet's rows from ``start`` that hold anything (blank rows are skipped)."""
        return [
            row
            for row in ws.iter_rows(min_row=start)
            if any(not is_blank(self.value(ws, c)) for c in row)
        ]

    # -- the whole case ----------------------------------------------------------------------

    def case(self) -> dict[str, Any]:
        sheets = self.sheets()
        data = self.fields(sheets[CASE], CASE_FIELDS)
        data["intake"] = self.intake(sheets[INTAKE])
        data["success"] = self.fields(sheets[SUCCESS], SUCCESS_FIELDS)
        if STUDIES in sheets:
            studies = self.studies(sheets[STUDIES])
            if studies:
                data["success"].setdefault("effect", {})["pool"] = studies
        costs = self.table(sheets[COSTS], COST_COLUMNS)
        if costs:
            data["cost"] = [line for _, line in costs]
        if RESOURCES in sheets:
            resources = self.table(sheets[RESOURCES], RESOURCE_COLUMNS)
            if resources:
                data["resource"] = [line for _, line in resources]
        consequences = self.table(sheets[CONSEQUENCES], CONSEQUENCE_COLUMNS)
        if consequences:
            data["consequence"] = [line for _, line in consequences]
        lines = self.unique_keys(sheets[CONSEQUENCES], consequences)
        if PROFILES in sheets:
            for key, profile in self.profiles(sheets[PROFILES], lines).items():
                lines[key]["profile"] = profile
        if CORRELATION in sheets:
            blocks = self.correlation(sheets[CORRELATION])
            if blocks:
                data["correlation"] = blocks
        return data

    def sheets(self) -> dict[str, Worksheet]:
        found = {ws.title: ws for ws in self.book.worksheets}
        for title in found:
            if title not in SHEETS:
                close = difflib.get_close_matches(title, SHEETS, n=1)
                hint = f"did you mean '{close[0]}'? " if close else ""
                raise self.error(
                    f"sheet '{title}'",
                    f"is not a sheet of a case workbook; {hint}allowed: {', '.join(SHEETS)}",
                )
        for title in REQUIRED_SHEETS:
            if title not in found:
                raise self.error(
                    "",
                    f"the workbook has no sheet '{title}'; a case workbook has the sheets "
                    f"{', '.join(REQUIRED_SHEETS)} (and {PROFILES}, {CORRELATION}, {HELP})",
                )
        found.pop(HELP, None)  # Help is for the reader of the workbook, never read back
        return found

    # -- field sheets ------------------------------------------------------------------------

    def fields(
        self, ws: Worksheet, fields: tuple[Field, ...], stop: str | None = None
    ) -> dict[str, Any]:
        """A field sheet's values; with ``stop``, the rows up to the one starting with it."""
        rows = self.rows(ws)
        if not rows:
            return {}
        self.field_header(ws, rows[0])
        by_name = {f.name: f for f in fields}
        out: dict[str, Any] = {}
        seen: dict[str, Cell] = {}
        for row in rows[1:]:
            label = self.value(ws, row[0])
            if stop is not None and _same(label, stop):
                break
            if is_blank(label):
                raise self.error(_at(ws, row[0]), "a value without a field name in column A")
            name = str(label).strip()
            if name not in by_name:
                allowed = [f.name for f in fields] + ([stop] if stop else [])
                raise self.error(_at(ws, row[0]), _unknown("field", name, allowed))
            if name in seen:
                raise self.error(
                    _at(ws, row[0]), f"{name} is given twice (also in {seen[name].coordinate})"
                )
            seen[name] = row[0]
            for extra in row[3:]:
                if not is_blank(self.value(ws, extra)):
                    raise self.error(
                        _at(ws, extra), "nothing is read beyond column C; the value goes in B"
                    )
            value_cell = row[1] if len(row) > 1 else ws.cell(row=row[0].row, column=2)
            value = self.read(ws, value_cell, by_name[name])
            if value is not None:
                _put_path(out, by_name[name].key_path, value)
        for field in fields:
            if field.required and field.name not in seen:
                raise self.error(
                    ws.title,
                    f"required field '{field.name}' has no row; add one with {field.name} in "
                    "column A and its value in column B",
                )
        return out

    def field_header(self, ws: Worksheet, row: tuple[Cell, ...]) -> None:
        for cell, want in zip(row, FIELD_HEADER, strict=False):
            got = self.value(ws, cell)
            if not (_same(got, want) or (want == FIELD_HEADER[2] and is_blank(got))):
                raise self.error(
                    _at(ws, cell),
                    f"the header row is {' | '.join(FIELD_HEADER)}; found {show(got)}",
                )

    def intake(self, ws: Worksheet) -> dict[str, Any]:
        start = PARTICIPANT_COLUMNS[0].name
        intake = self.fields(ws, INTAKE_FIELDS, stop=start)
        header = next((r[0].row for r in self.rows(ws) if _same(self.value(ws, r[0]), start)), None)
        if header is None:
            raise self.error(
                ws.title,
                f"no participants table; it starts with a header row "
                f"{' | '.join(c.name for c in PARTICIPANT_COLUMNS)} below the fields",
            )
        participants = []
        for row, line in self.table(ws, PARTICIPANT_COLUMNS, header_row=header):
            year = line.get("start_year", len(participants) + 1)
            if year != len(participants) + 1:
                raise self.error(
                    f"{ws.title}!A{row}",
                    f"start year {year} is not the next year ({len(participants) + 1}); give "
                    "every year from 1 in order, 0 participants for a year with none",
                )
            participants.append(line["participants"])
        if participants:
            intake["participants"] = participants
        return intake

    # -- table sheets ------------------------------------------------------------------------

    def table(
        self, ws: Worksheet, columns: tuple[Field, ...], header_row: int | None = None
    ) -> list[tuple[int, dict[str, Any]]]:
        """The rows of a table as (row number, dict), the header being the first row used."""
        rows = self.rows(ws, start=header_row or 1)
        if not rows:
            return []
        layout = self.header(ws, rows[0], columns)
        out = []
        for row in rows[1:]:
            line: dict[str, Any] = {}
            used = False
            for cell in row:
                field = layout.get(cell.column)
                value = self.value(ws, cell)
                if field is None:
                    if not is_blank(value):
                        raise self.error(
                            _at(ws, cell),
                            f"a value in a column with no header "
                            f"({get_column_letter(cell.column)}{rows[0][0].row})",
                        )
                    continue
                if field.kind != "note" and not is_blank(value):
                    used = True
            if not used:  # only notes: a comment row
                continue
            for cell in row:
                field = layout.get(cell.column)
                if field is None or field.kind == "note":
                    continue
                value = self.read(ws, cell, field)
                if value is not None:
                    _put_path(line, field.key_path, value)
            out.append((row[0].row, line))
        return out

    def header(
        self, ws: Worksheet, row: tuple[Cell, ...], columns: tuple[Field, ...]
    ) -> dict[int, Field]:
        by_name = {c.name: c for c in columns}
        layout: dict[int, Field] = {}
        for cell in row:
            value = self.value(ws, cell)
            if is_blank(value):
                continue
            name = str(value).strip().lower()
            if name not in by_name:
                raise self.error(_at(ws, cell), _unknown("column", name, list(by_name)))
            if by_name[name] in layout.values():
                raise self.error(_at(ws, cell), f"the column {name} is there twice")
            layout[cell.column] = by_name[name]
        for column in columns:
            if column.required and column not in layout.values():
                last = get_column_letter(max(len(row), 1))
                raise self.error(
                    f"{ws.title}!A{row[0].row}:{last}{row[0].row}",
                    f"required column '{column.name}' is missing from the header row; the "
                    f"columns are {', '.join(c.name for c in columns)}",
                )
        return layout

    def studies(self, ws: Worksheet) -> list[Any]:
        """The studies of a pooled effect: a knowledge-base key, or a table of numbers."""
        out: list[Any] = []
        for row, line in self.table(ws, STUDY_COLUMNS):
            if "key" not in line:
                out.append(line)
                continue
            if len(line) > 1:
                others = ", ".join(k for k in line if k != "key")
                raise self.error(
                    f"{ws.title}!A{row}",
                    f"a study of the knowledge base gives only its key, not {others}; to give "
                    "a study's own numbers, leave key empty",
                )
            out.append(line["key"])
        return out

    def unique_keys(
        self, ws: Worksheet, lines: list[tuple[int, dict[str, Any]]]
    ) -> dict[str, dict[str, Any]]:
        by_key: dict[str, dict[str, Any]] = {}
        rows: dict[str, int] = {}
        for row, line in lines:
            key = line["key"]
            if key in by_key:
                raise self.error(
                    f"{ws.title}!A{row}", f"key '{key}' is on row {rows[key]} too; keys are unique"
                )
            by_key[key], rows[key] = line, row
        return by_key

    # -- profiles and correlation ------------------------------------------------------------

    def profiles(self, ws: Worksheet, lines: dict[str, dict]) -> dict[str, list]:
        rows = self.rows(ws)
        if not rows:
            return {}
        years: dict[int, int] = {}  # column -> year
        notes: set[int] = set()
        head = rows[0]
        for cell in head:
            value = self.value(ws, cell)
            if cell.column == 1:
                if not _same(value, "key"):
                    raise self.error(_at(ws, cell), f"column A is key; found {show(value)}")
            elif is_blank(value):
                continue
            elif _same(value, NOTE):
                notes.add(cell.column)
            elif _year(value) == len(years) + 1:
                years[cell.column] = len(years) + 1
            else:
                raise self.error(
                    _at(ws, cell),
                    f"{show(value)} is not the next profile column; the header row is key, "
                    f"{year_header(1)}, {year_header(2)}, ... in order (and a note column)",
                )
        out: dict[str, list] = {}
        for row in rows[1:]:
            key = self.read(ws, row[0], _KEY)
            if key not in lines:
                keys = ", ".join(lines) or "none yet"
                raise self.error(
                    _at(ws, row[0]),
                    f"'{key}' is not a key on the {CONSEQUENCES} sheet; the keys there: {keys}",
                )
            if key in out:
                raise self.error(_at(ws, row[0]), f"the profile of '{key}' is given twice")
            values: list = []
            gap: Cell | None = None
            for cell in row[1:]:
                if cell.column in notes:
                    continue
                value = self.value(ws, cell)
                if cell.column not in years:
                    if not is_blank(value):
                        raise self.error(_at(ws, cell), "a value in a column with no year header")
                    continue
                if is_blank(value):
                    gap = gap or cell
                    continue
                if gap is not None:
                    raise self.error(
                        _at(ws, gap),
                        f"year {years[gap.column]} is empty but a later year is given; write 0 "
                        "for no change",
                    )
                values.append(self.read(ws, cell, _PROFILE_VALUE))
            if values:
                out[key] = values
        return out

    def correlation(self, ws: Worksheet) -> list[dict[str, Any]]:
        rows = self.rows(ws)
        blocks: list[dict[str, Any]] = []
        i = 0
        while i < len(rows):
            head = rows[i]
            if not _same(self.value(ws, head[0]), CORRELATION_CORNER):
                raise self.error(
                    _at(ws, head[0]),
                    f"expected a block whose top-left cell is '{CORRELATION_CORNER}', with the "
                    "inputs across and down and the Spearman correlations between them",
                )
            names = []
            for cell in head[1:]:
                value = self.value(ws, cell)
                if is_blank(value):
                    break
                names.append(str(value).strip())
            if len(names) < 2:
                raise self.error(_at(ws, head[0]), "a block needs at least two inputs across")
            matrix = []
            for k, name in enumerate(names):
                row = rows[i + 1 + k] if i + 1 + k < len(rows) else None
                if row is None or row[0].row != head[0].row + 1 + k:
                    where = f"{ws.title}!A{head[0].row + 1 + k}"
                    raise self.error(where, f"expected the row of {name}: the block is square")
                label = self.value(ws, row[0])
                if is_blank(label) or str(label).strip() != name:
                    raise self.error(
                        _at(ws, row[0]), f"expected {name} (the inputs down match those across)"
                    )
                matrix.append(
                    [
                        self.number(ws, ws.cell(row=row[0].row, column=2 + j))
                        for j in range(len(names))
                    ]
                )
                for cell in row[1 + len(names) :]:
                    if not is_blank(self.value(ws, cell)):
                        raise self.error(_at(ws, cell), "a value outside the block")
            for cell in head[1 + len(names) :]:
                if not is_blank(self.value(ws, cell)):
                    raise self.error(_at(ws, cell), "a value after an empty cell in the header")
            blocks.append({"inputs": names, "spearman": matrix})
            i += 1 + len(names)
        return blocks

    def number(self, ws: Worksheet, cell: Cell) -> int | float:
        value = self.value(ws, cell)
        if not is_number(value):
            shown = "empty" if is_blank(value) else f"{show(value)}, not a number"
            raise self.error(_at(ws, cell), f"is {shown}; a correlation is a number in [-1, 1]")
        return value


def _at(ws: Worksheet, cell: Cell) -> str:
    return f"{ws.title}!{cell.coordinate}"


def _same(value: Any, name: str) -> bool:
    return isinstance(value, str) and value.strip().lower() == name


def _year(value: Any) -> int | None:
    if is_whole_number(value):
        return int(value)
    found = (
        re.fullmatch(r"\s*(?:year\s*)?(\d+)\s*", value, re.IGNORECASE)
        if isinstance(value, str)
        else None
    )
    return int(found.group(1)) if found else None


def _unknown(what: str, name: str, allowed: list[str]) -> str:
    close = difflib.get_close_matches(name, allowed, n=1)
    hint = f"did you mean '{close[0]}'? " if close else ""
    return f"unknown {what} '{name}'; {hint}allowed: {', '.join(allowed)}"


def _put_path(target: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    for part in path[:-1]:
        target = target.setdefault(part, {})
    target[path[-1]] = value
