"""Cell values in and out: what openpyxl gives for a cell, read as the kind a field expects;
and values written so that they come back exactly as they went in."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

from som_mc.checks import is_number, is_whole_number
from som_mc.inputs.workbook.case_layout import Field
from som_mc.inputs.workbook.quantity_text import TextError, parse_quantity, parse_split

__all__ = ["CellError", "convert", "is_blank", "put", "show"]

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_TRUE = ("true", "yes", "ja", "sand")  # SAND and FALSK are Excel's Danish TRUE and FALSE
_FALSE = ("false", "no", "nej", "falsk")


class CellError(ValueError):
    """A cell's value is not what its field allows; the reader adds file, sheet and cell."""


def put(ws: Worksheet, row: int, column: int, value: Any) -> Cell:
    """Write ``value`` to a cell so that reading it back gives the same value.

    Text starting with ``=`` stays text (openpyxl would store it as a formula). A number that
    openpyxl's 16 significant digits would round (``0.1 + 0.2``), or an int beyond 2^53 that
    Excel would round, is written as its exact text, which the reader takes as a number.
    """
    cell = ws.cell(row=row, column=column)
    if isinstance(value, float) and float(f"{value:.16g}") != value:
        value = repr(value)
    elif is_whole_number(value) and abs(value) > 2**53:
        value = str(value)
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"
    return cell


def is_blank(value: Any) -> bool:
    """An empty cell, or one holding only spaces: "not given"."""
    return value is None or (isinstance(value, str) and not value.strip())


def show(value: Any) -> str:
    """A cell's value as the user sees it, for an error message."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, str):
        return repr(value if len(value) <= 50 else value[:47] + "...")
    if isinstance(value, float):
        return f"{value:.12g}"
    if isinstance(value, dt.date | dt.time | dt.timedelta):
        return f"the date {value}"
    return str(value)


def convert(value: Any, field: Field) -> Any:
    """A non-blank cell value read as ``field.kind`` (see :class:`Field`).

    Raises
    ------
    CellError
        Saying what the value is and what the field allows.
    """
    kind = field.kind
    if isinstance(value, dt.date | dt.time | dt.timedelta) and kind not in ("text", "note"):
        raise CellError(
            f"{show(value)} is a date (the spreadsheet turned what was typed into one); "
            f"{field.name} is {field.allowed}; format the cell as text and type it again"
        )
    if kind == "text":
        return _text(value)
    if kind == "word":
        return _text(value).strip()
    if kind == "enum":
        word = _text(value).strip()
        for choice in field.choices:
            if word.lower() == choice.lower():
                return choice
        raise CellError(f"{show(value)} is not allowed; {field.name} is one of: {field.allowed}")
    if kind == "whole":
        return _whole(value, field)
    if kind == "number":
        return _number(value, field)
    if kind == "pair":
        return _pair(value, field)
    if kind in ("quantity", "rate"):
        return _quantity(value, field)
    if kind == "bool":
        return _bool(value, field)
    if kind == "years":
        return _years(value)
    if kind in ("split", "tax", "per_actor"):
        # Rates or caps by actor are written as a split's shares are: kommune=0.25, stat=0.12.
        if not isinstance(value, str):
            raise CellError(f"{show(value)} is not allowed; {field.name} is {field.allowed}")
        try:
            parsed = parse_split(value)
        except TextError as err:
            raise CellError(f"{err}; {field.name} is {field.allowed}") from None
        if kind == "per_actor" and isinstance(parsed, str):
            raise CellError(f"{show(value)} is not allowed; {field.name} is {field.allowed}")
        return parsed
    raise AssertionError(f"unknown field kind {kind}")  # a bug in case_layout, not user input


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return show(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _whole(value: Any, field: Field) -> int:
    if is_whole_number(value):
        return int(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"\s*[+-]?\d+\s*", value):
        return int(value)
    raise CellError(f"{show(value)} is not a whole number; {field.name} is {field.allowed}")


def _number(value: Any, field: Field) -> int | float:
    if is_number(value):
        return value
    if isinstance(value, str) and _NUMBER.fullmatch(value.strip()):
        text = value.strip()
        return int(text) if re.fullmatch(r"[+-]?\d+", text) else float(text)
    raise CellError(f"{show(value)} is not a number; {field.name} is {field.allowed}")


def _pair(value: Any, field: Field) -> list[int | float]:
    if isinstance(value, str):
        body = value.strip().removeprefix("[").removesuffix("]")
        parts = [p.strip() for p in re.split(r"[,;]", body)]
        if len(parts) == 2 and all(_NUMBER.fullmatch(p) for p in parts):
            return [int(p) if re.fullmatch(r"[+-]?\d+", p) else float(p) for p in parts]
    raise CellError(
        f"{show(value)} is not two numbers; {field.name} is {field.allowed} (decimals with a "
        "point; format the cell as text)"
    )


def _quantity(value: Any, field: Field) -> Any:
    if isinstance(value, bool):
        raise CellError(f"{show(value)} is not a number; {field.name} is {field.allowed}")
    if isinstance(value, int | float):
        return value
    if not isinstance(value, str):
        raise CellError(f"{show(value)} is not a number; {field.name} is {field.allowed}")
    if field.kind == "rate" and value.strip().lower() == "fm2021":
        return "fm2021"
    try:
        return parse_quantity(value)
    except TextError as err:
        raise CellError(str(err)) from None


def _bool(value: Any, field: Field) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _TRUE or word in _FALSE:
            return word in _TRUE
    raise CellError(f"{show(value)} is not TRUE or FALSE; {field.name} is TRUE, FALSE or empty")


def _years(value: Any) -> list[int]:
    if is_number(value) and float(value).is_integer():
        return [int(value)]
    if isinstance(value, str):
        body = value.strip().removeprefix("[").removesuffix("]").strip()
        parts = [p for p in re.split(r"[,;\s]+", body) if p]
        if all(re.fullmatch(r"[+-]?\d+", p) for p in parts):
            return [int(p) for p in parts]
    raise CellError(
        f"{show(value)} is not a list of years; write whole years separated by commas, "
        "semicolons or spaces, e.g. 1, 2, 3 (format the cell as text: a Danish spreadsheet "
        "reads 1,2 as the number 1.2)"
    )
