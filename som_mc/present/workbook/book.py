"""What every workbook som-mc writes shares: header styling, column widths, and an atomic save
that never replaces an existing file unless asked."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from som_mc.errors import InputError
from som_mc.io import atomic_write

__all__ = [
    "BOLD",
    "HEADER_FILL",
    "INPUT_FILL",
    "TITLE",
    "WRAP",
    "check_xlsx_path",
    "fit_rows",
    "save_atomic",
    "style_header",
    "widths",
]

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=13)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")  # pale blue: a header, not data
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")  # pale yellow: a cell the analyst fills in
WRAP = Alignment(wrap_text=True, vertical="top")


def style_header(ws: Worksheet, row: int, n_columns: int, first: int = 1) -> None:
    """Bold, shaded header cells on ``row``, columns ``first`` to ``first + n_columns - 1``."""
    for column in range(first, first + n_columns):
        cell = ws.cell(row=row, column=column)
        cell.font = BOLD
        cell.fill = HEADER_FILL


def widths(ws: Worksheet, values: Iterable[float], first: int = 1) -> None:
    """Set column widths in characters, from column ``first`` on."""
    for i, width in enumerate(values):
        ws.column_dimensions[get_column_letter(first + i)].width = width


def fit_rows(ws: Worksheet, line_height: float = 15.0) -> None:
    """Make rows with wrapped text tall enough to show it.

    Excel and LibreOffice size a row to its wrapped text only when they wrote the row
    themselves, so the height is set here from the text's length and the column's width.
    """
    for row in ws.iter_rows():
        lines = 1
        for cell in row:
            if not (cell.alignment and cell.alignment.wrap_text) or not isinstance(cell.value, str):
                continue
            width = ws.column_dimensions[cell.column_letter].width or 10
            per_line = max(int(width * 1.1), 1)  # about 1.1 characters per unit of width
            needed = sum(-(-len(part) // per_line) or 1 for part in cell.value.split("\n"))
            lines = max(lines, needed)
        if lines > 1:
            ws.row_dimensions[row[0].row].height = line_height * lines


def check_xlsx_path(path: str | Path) -> Path:
    """``path`` as a Path, after checking that it names an ``.xlsx`` file.

    Excel refuses to open a workbook whose name does not end in ``.xlsx``, and
    :func:`som_mc.load_case` reads a case from Excel only by that ending.
    """
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise InputError("", "an Excel workbook's name ends in .xlsx", file=str(path))
    return path


def save_atomic(book: Workbook, path: Path, *, overwrite: bool) -> Path:
    """Save ``book`` to ``path`` through a temporary file in the same folder.

    The temporary file then replaces ``path`` in one step (as :func:`som_mc.io.write_netcdf`
    does): a crash leaves the old file or the new one, never half of one.

    Raises
    ------
    ResultExistsError
        ``path`` exists and ``overwrite`` is false.
    """
    return atomic_write(
        path,
        book.save,
        overwrite=overwrite,
        hint="choose another name, or overwrite=True to replace it",
    )
