"""Results to Excel: the SØM table, the summary, sensitivity analyses, the draws, provenance.

The workbook only reads Datasets (a plot or a report never recomputes); numbers are written as
numbers with number formats, so a reader can go on calculating with them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from itertools import product, zip_longest
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from som_mc.checks import is_number, is_whole_number, whole_number
from som_mc.conventions import (
    ACTOR,
    ACTORS,
    ACTORS_AND_TOTAL,
    CONSEQUENCE,
    DRAW,
    INPUT,
    QUANTILE,
    TOTAL,
    YEAR,
)
from som_mc.errors import InputError
from som_mc.inputs.workbook.cells import put
from som_mc.present.labels import area_name, consequence_names, illustrative_items
from som_mc.present.locale import format_number, format_percent
from som_mc.present.workbook.book import (
    BOLD,
    TITLE,
    WRAP,
    check_xlsx_path,
    save_atomic,
    style_header,
    widths,
)
from som_mc.present.workbook.labels import Labels, labels

__all__ = ["write_results_xlsx"]

DKK = "#,##0"
SHARE = "0.0%"
SHARE_SE = "0.00%"
INDEX = "0.000"
YEARS = "0.0"
PERSONS = "#,##0.0"
_WARN = Font(bold=True, color="C00000")
#: Dims of a sensitivity variable that become columns; the others become rows.
_COLUMN_DIMS = ("ci_bound", QUANTILE)
_ROW_DIM_ORDER = ("output", INPUT, "input_b", YEAR)
#: Widths of the row-label columns: input names run to 60 characters and more.
_DIM_WIDTHS = {"output": 11.0, INPUT: 56.0, "input_b": 56.0, YEAR: 8.0}


def write_results_xlsx(
    path: str | Path,
    *,
    results: xr.Dataset | None = None,
    deterministic: xr.Dataset | None = None,
    summary: xr.Dataset | None = None,
    sensitivity: Mapping[str, xr.Dataset] | None = None,
    max_draws: int = 10_000,
    lang: str = "en",
    overwrite: bool = False,
) -> Path:
    """Write results to a workbook for reading in Excel or LibreOffice.

    Sheets, each written when its Dataset is given:

    - "SØM table" (``deterministic``): successes, gain, cost, net and cumulative net result by
      year and actor, present values and break-even years, and the gain by consequence;
    - "Summary" (``summary``, or :func:`som_mc.summarize` of ``results``): per actor and in
      total, the mean present value and its Monte Carlo standard error, the interval,
      P(present value > 0) and its standard error, the median break-even year and the share
      that never breaks even;
    - one sheet per ``sensitivity`` Dataset (Sobol' indices with intervals, tornado, switching
      values, EVPI/EVPPI, Morris), its variables in long tables, its attrs on top;
    - "Draws" (``results``): present value per actor and in total, break-even year and every
      sampled input, draw by draw, at most ``max_draws`` rows (with a note when capped);
    - "About": every attr of the results (the illustrative-values flag and items, the
      knowledge-base notes, seed, version, case hash ...) and of each sensitivity Dataset.

    Parameters
    ----------
    path : str or Path
        The workbook to write; its name ends in ``.xlsx``.
    results : xarray.Dataset, optional
        A result of :func:`som_mc.run`.
    deterministic : xarray.Dataset, optional
        A result of :func:`som_mc.deterministic`.
    summary : xarray.Dataset, optional
        A result of :func:`som_mc.summarize`; computed from ``results`` if not given.
    sensitivity : mapping of str to xarray.Dataset, optional
        Analyses by name, as ``som-mc sensitivity`` names them: ``sobol``, ``tornado``,
        ``switching``, ``voi``, ``morris`` (another name becomes the sheet's name).
    max_draws : int
        The most draws written to the Draws sheet (Excel holds 1,048,576 rows; a workbook of
        many draws is slow to open).
    lang : {"en", "da"}
        Language of the sheet names and headers.
    overwrite : bool
        Replace an existing file; without it an existing file raises
        :class:`~som_mc.io.ResultExistsError`.

    Returns
    -------
    Path

    Examples
    --------
    >>> import tempfile
    >>> import som_mc
    >>> from som_mc.inputs.examples import example_path
    >>> ds = som_mc.run(example_path("cti"), draws=200, seed=1)
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     xlsx = write_results_xlsx(Path(folder) / "cti.xlsx", results=ds, lang="da")
    ...     print(xlsx.name)
    cti.xlsx
    """
    path = check_xlsx_path(path)
    text = labels(lang)
    max_draws = whole_number(max_draws, "max_draws", minimum=1)
    sensitivity = dict(sensitivity or {})
    if results is None and deterministic is None and summary is None and not sensitivity:
        raise InputError(
            "", "nothing to write; give results, deterministic, summary or sensitivity"
        )
    if summary is None and results is not None:
        from som_mc.pipeline.results import summarize

        summary = summarize(results)

    book = Workbook()
    book.remove(book.active)
    if deterministic is not None:
        _som_table(book.create_sheet(text("sheet_som")), deterministic, text)
    if summary is not None:
        _summary(book.create_sheet(text("sheet_summary")), summary, text)
    for name, ds in sensitivity.items():
        _sensitivity(book.create_sheet(text.sheet(name)), ds, text)
    if results is not None:
        _draws(book.create_sheet(text("sheet_draws")), results, max_draws, text)
    provenance = next((ds for ds in (results, deterministic, summary) if ds is not None), None)
    _about(book.create_sheet(text("sheet_about")), provenance, sensitivity, text)
    return save_atomic(book, path, overwrite=overwrite)


# -- cells ---------------------------------------------------------------------------------------


def _number(value: Any) -> float | int | None:
    """A finite number for a cell, or None (an empty cell) for NaN and infinity."""
    if isinstance(value, np.generic) or (isinstance(value, np.ndarray) and value.ndim == 0):
        value = value.item()
    if not is_number(value):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _value(ws: Worksheet, row: int, column: int, value: Any, number_format: str) -> None:
    cell = ws.cell(row=row, column=column, value=_number(value))
    cell.number_format = number_format


def _title(ws: Worksheet, title: str, *notes: str) -> int:
    """A title and notes on top of a sheet; returns the next free row."""
    put(ws, 1, 1, title).font = TITLE
    row = 2
    for note in notes:
        if note:
            put(ws, row, 1, note)
            row += 1
    return row + 1


def _illustrative(ds: xr.Dataset, text: Labels) -> str:
    if not ds.attrs.get("uses_illustrative_values"):
        return ""
    items = illustrative_items(ds.attrs.get("illustrative_items", ""), text.lang)
    return text("illustrative", items=items)


def _header(ws: Worksheet, row: int, names: list[str]) -> None:
    for column, name in enumerate(names, start=1):
        put(ws, row, column, name).alignment = WRAP  # long headers over narrow number columns
    style_header(ws, row, len(names))
    if any(len(name) > 16 for name in names):
        # Spreadsheets do not grow a row for wrapped text written by another program.
        ws.row_dimensions[row].height = 30


# -- SØM table -----------------------------------------------------------------------------------


def _som_table(ws: Worksheet, ds: xr.Dataset, text: Labels) -> None:
    attrs = ds.attrs
    row = _title(
        ws,
        f"{text('som_title')}: {attrs.get('case_name', '')}",
        text(
            "som_note",
            currency=attrs.get("currency", "DKK"),
            price_year=attrs.get("price_year", ""),
        ),
    )
    warning = _illustrative(ds, text)
    if warning:
        put(ws, row - 1, 1, warning).font = _WARN
        row += 1
    years = [int(y) for y in ds[YEAR].values]
    year_names = [text("year", year=y) for y in years]
    _header(ws, row, ["", text("actor"), *year_names, text("total")])
    header_row = row
    row += 1
    if "successes" in ds:
        put(ws, row, 1, text("successes"))
        for j, value in enumerate(ds["successes"].values):
            _value(ws, row, 3 + j, value, PERSONS)
        _value(ws, row, 3 + len(years), float(ds["successes"].sum()), PERSONS)
        row += 2
    for item in ("gain", "cost", "net", "cumulative"):
        if item not in ds:
            continue
        table = ds[item].transpose(YEAR, ACTOR)
        for actor in ACTORS_AND_TOTAL:
            values = table.sum(ACTOR).values if actor == TOTAL else table.sel(actor=actor).values
            put(ws, row, 1, text(item)).font = BOLD if actor == ACTORS[0] else Font()
            put(ws, row, 2, text.actor(actor))
            for j, value in enumerate(values):
                _value(ws, row, 3 + j, value, DKK)
            if item != "cumulative":  # a sum over years of a cumulative result means nothing
                _value(ws, row, 3 + len(years), float(np.sum(values)), DKK)
            row += 1
        row += 1
    _header(ws, row, ["", text("actor"), text("present_value"), text("break_even_year")])
    row += 1
    for actor in ACTORS_AND_TOTAL:
        put(ws, row, 2, text.actor(actor))
        if actor == TOTAL:
            pv = float(ds["present_value"].sum())
            be = ds["break_even_year"].values if "break_even_year" in ds else None
        else:
            pv = ds["present_value"].sel(actor=actor).values
            by_actor = ds.get("break_even_year_by_actor")
            be = by_actor.sel(actor=actor).values if by_actor is not None else None
        _value(ws, row, 3, pv, DKK)
        _value(ws, row, 4, be, "0")
        row += 1
    put(ws, row, 2, text("never"))
    row += 2
    if "gain_by_consequence" in ds:
        put(ws, row, 1, text("by_consequence")).font = BOLD
        row += 1
        _header(
            ws, row, [text("consequence"), text("area"), text("actor"), *year_names, text("total")]
        )
        row += 1
        gains = ds["gain_by_consequence"].transpose(CONSEQUENCE, YEAR, ACTOR)
        given = ds.get("consequence_label")
        areas = ds.get("area")
        # The catalogue's consequences by their name in the workbook's language; a case's own
        # label is the user's text and stays as written.
        names = consequence_names(
            ds[CONSEQUENCE].values, given.values if given is not None else None, text.lang
        )
        # A taxed transfer's gain (net of the income tax the public purse gets back) is
        # followed by its gain before tax and its tax line, as in the console and the report
        # (docs/model.md §3).
        taxed = (
            (ds["tax_by_consequence"] != 0).any((YEAR, ACTOR)).values
            if "tax_by_consequence" in ds
            else np.zeros(len(names), dtype=bool)
        )
        for k, label in enumerate(names):
            area = area_name(str(areas.values[k]), text.lang) if areas is not None else ""
            parts = [(label, gains)]
            if taxed[k]:
                parts += [
                    (text("before_tax", name=label), ds["gain_gross_by_consequence"]),
                    (text("income_tax", name=label), ds["tax_by_consequence"]),
                ]
            for name, var in parts:
                row = _by_actor_rows(ws, row, name, area, var.isel({CONSEQUENCE: k}), text)
    widths(ws, [34, 12, *[14] * (len(years) + 2)])
    ws.freeze_panes = ws.cell(row=header_row + 1, column=3).coordinate


def _by_actor_rows(
    ws: Worksheet, row: int, name: str, area: str, values: xr.DataArray, text: Labels
) -> int:
    """Rows of one line of the table by consequence: by actor and in total, by year and summed
    over the years; returns the next free row."""
    one = values.transpose(YEAR, ACTOR)
    for actor in ACTORS_AND_TOTAL:
        by_year = one.sum(ACTOR).values if actor == TOTAL else one.sel(actor=actor).values
        put(ws, row, 1, name)
        put(ws, row, 2, area)
        put(ws, row, 3, text.actor(actor))
        for j, value in enumerate(by_year):
            _value(ws, row, 4 + j, value, DKK)
        _value(ws, row, 4 + len(by_year), float(np.sum(by_year)), DKK)
        row += 1
    return row


# -- Summary -------------------------------------------------------------------------------------


def _summary(ws: Worksheet, ds: xr.Dataset, text: Labels) -> None:
    attrs = ds.attrs
    interval = float(attrs.get("interval", 0.9))
    tail = (1 - interval) / 2
    row = _title(
        ws,
        f"{text('summary_title')}: {attrs.get('case_name', '')}",
        text(
            "summary_note",
            currency=attrs.get("currency", "DKK"),
            price_year=attrs.get("price_year", ""),
            discount_rate=attrs.get("discount_rate", ""),
            draws=format_number(attrs.get("draws", math.nan), text.lang),
            interval=format_percent(interval, text.lang, 0),
        ),
    )
    warning = _illustrative(ds, text)
    if warning:
        put(ws, row - 1, 1, warning).font = _WARN
        row += 1
    columns = [
        ("pv_mean", DKK, {}),
        ("pv_mean_mcse", DKK, {}),
        ("pv_lower", DKK, {"q": format_percent(tail, text.lang, 0)}),
        ("pv_upper", DKK, {"q": format_percent(1 - tail, text.lang, 0)}),
        ("p_positive", SHARE, {}),
        ("p_positive_mcse", SHARE_SE, {}),
        ("break_even_median", YEARS, {}),
        ("p_never_break_even", SHARE, {}),
    ]
    present = [c for c in columns if c[0] in ds]
    _header(ws, row, [text("actor"), *[text(name, **kw) for name, _, kw in present]])
    header_row = row
    for actor in ds[ACTOR].values:
        row += 1
        put(ws, row, 1, text.actor(str(actor)))
        for j, (name, fmt, _) in enumerate(present):
            _value(ws, row, 2 + j, ds[name].sel(actor=actor).values, fmt)
    put(ws, row + 2, 1, text("median_note"))
    widths(ws, [12, *[20] * len(present)])
    ws.freeze_panes = ws.cell(row=header_row + 1, column=2).coordinate


# -- Sensitivity ---------------------------------------------------------------------------------


def _sensitivity(ws: Worksheet, ds: xr.Dataset, text: Labels) -> None:
    attrs = ds.attrs
    row = _title(ws, f"{attrs.get('method', ws.title)}: {attrs.get('case_name', '')}")
    for key, value in attrs.items():
        if key in ("method", "case_name"):
            continue
        put(ws, row, 1, key)
        _attr(ws, row, 2, value)
        row += 1
    row += 1
    groups: dict[tuple[str, ...], list[str]] = {}
    for name, var in ds.data_vars.items():
        dims = tuple(
            sorted(
                (d for d in var.dims if d not in _COLUMN_DIMS),
                key=lambda d: _ROW_DIM_ORDER.index(d) if d in _ROW_DIM_ORDER else 99,
            )
        )
        groups.setdefault(dims, []).append(str(name))
    for dims, names in groups.items():
        groups[dims] = sorted(names, key=lambda n: _estimate_first(n, names))
    column_widths = [20.0]  # attrs' names
    for dims, names in groups.items():
        row, table_widths = _long_table(ws, row, ds, dims, names, text)
        column_widths = [
            max(a, b) for a, b in zip_longest(column_widths, table_widths, fillvalue=0.0)
        ]
        row += 1
    widths(ws, column_widths)


def _estimate_first(name: str, names: list[str]) -> float:
    """Sort key that puts an interval's columns next to its estimate: S1, S1 lower, ..."""
    base = name.removesuffix("_ci")
    return names.index(base) + 0.5 if base != name and base in names else names.index(name)


def _long_table(
    ws: Worksheet,
    row: int,
    ds: xr.Dataset,
    dims: tuple[str, ...],
    names: list[str],
    text: Labels,
) -> tuple[int, int]:
    """Variables sharing row dims ``dims`` as one table; returns the next row and the widths
    its columns need."""
    columns: list[tuple[str, dict[str, Any], str]] = []  # (variable, selection, header)
    for name in names:
        var = ds[name]
        extra = [d for d in var.dims if d in _COLUMN_DIMS]
        for combo in product(*[list(var[d].values) for d in extra]):
            sel = dict(zip(extra, combo, strict=True))
            header = text(name)
            for dim, coord in sel.items():
                header += " " + (
                    text("at_quantile", q=format_percent(float(coord), text.lang, 0))
                    if dim == QUANTILE
                    else text(str(coord))
                )
            columns.append((name, sel, header))
    _header(ws, row, [*(_dim_header(d, text) for d in dims), *(c[2] for c in columns)])
    row += 1
    coords = [list(ds[d].values) for d in dims]
    for index in product(*coords):
        at = dict(zip(dims, index, strict=True))
        for j, (dim, coord) in enumerate(at.items()):
            shown = _number(coord) if dim == YEAR else str(coord)
            put(ws, row, 1 + j, text.actor(shown) if dim == "output" else shown)
        for j, (name, sel, _) in enumerate(columns):
            var = ds[name]
            value = var.sel({**{d: at[d] for d in var.dims if d in at}, **sel}).values
            _value(ws, row, 1 + len(dims) + j, value, _format(var, name))
        row += 1
    return row, [_DIM_WIDTHS.get(d, 12.0) for d in dims] + [18.0] * len(columns)


def _dim_header(dim: str, text: Labels) -> str:
    return text(dim) if dim != YEAR else text("year", year="").strip()


def _format(var: xr.DataArray, name: str) -> str:
    if var.attrs.get("units") == "DKK":
        return DKK
    if name.startswith(("S1", "ST", "S2")):
        return INDEX
    return "General"


# -- Draws ---------------------------------------------------------------------------------------


def _draws(ws: Worksheet, ds: xr.Dataset, max_draws: int, text: Labels) -> None:
    n = ds.sizes[DRAW]
    shown = min(n, max_draws)
    note = (
        text("draws_all", n=format_number(n, text.lang))
        if shown == n
        else text(
            "draws_capped",
            shown=format_number(shown, text.lang),
            n=format_number(n, text.lang),
        )
    )
    put(ws, 1, 1, note).font = BOLD if shown == n else _WARN
    pv = ds["present_value"].isel({DRAW: slice(0, shown)}).transpose(DRAW, ACTOR)
    actors = [str(a) for a in pv[ACTOR].values]
    columns: list[tuple[str, np.ndarray, str]] = [
        (text("draw"), ds[DRAW].values[:shown], "0"),
        *[(text("pv_of", actor=a), pv.sel(actor=a).values, DKK) for a in actors],
        (text("pv_of", actor=text("total")), pv.sum(ACTOR).values, DKK),
    ]
    if "break_even_year" in ds:
        columns.append((text("break_even_year"), ds["break_even_year"].values[:shown], "0"))
    if "inputs" in ds and ds.sizes.get(INPUT, 0):
        x = ds["inputs"].isel({DRAW: slice(0, shown)}).transpose(DRAW, INPUT).values
        for j, name in enumerate(ds[INPUT].values):
            columns.append((str(name), x[:, j], "General"))
    _header(ws, 2, [c[0] for c in columns])
    for j, (_, values, fmt) in enumerate(columns, start=1):
        # tolist() gives Python floats at once: 10,000 draws x 30 columns in about a second.
        for i, value in enumerate(np.asarray(values, dtype=float).tolist()):
            cell = ws.cell(row=3 + i, column=j, value=value if math.isfinite(value) else None)
            cell.number_format = fmt
    widths(ws, [8, *[18] * (len(columns) - 1)])
    for j in range(1 + len(actors) + 3, len(columns) + 1):
        ws.column_dimensions[get_column_letter(j)].width = 30
    ws.freeze_panes = "B3"


# -- About ---------------------------------------------------------------------------------------


def _attr(ws: Worksheet, row: int, column: int, value: Any) -> int:
    """Write an attribute; multi-line text goes one line a row. Returns the rows used."""
    value = value.item() if isinstance(value, np.generic) else value
    if isinstance(value, np.ndarray):
        value = ", ".join(str(v) for v in value.tolist())
    if is_whole_number(value) and abs(value) > 2**53:
        value = str(value)  # a 63-bit seed: Excel keeps 15 digits of a number, text keeps all
    if isinstance(value, str) and "\n" in value:
        lines = value.splitlines() or [""]
        for k, line in enumerate(lines):
            put(ws, row + k, column, line).alignment = WRAP
        return len(lines)
    put(ws, row, column, _number(value) if isinstance(value, int | float) else str(value))
    return 1


def _about(
    ws: Worksheet, ds: xr.Dataset | None, sensitivity: dict[str, xr.Dataset], text: Labels
) -> None:
    row = _title(ws, text("about_title"))
    if ds is not None:
        warning = _illustrative(ds, text)
        if warning:
            put(ws, row, 1, warning).font = _WARN
            row += 2
        row = _attrs_block(ws, row, text("results_attrs"), ds.attrs, text)
    for name, result in sensitivity.items():
        row = _attrs_block(ws, row, text.sheet(name), result.attrs, text)
    widths(ws, [28, 120])


def _attrs_block(ws: Worksheet, row: int, title: str, attrs: dict, text: Labels) -> int:
    put(ws, row, 1, title).font = BOLD
    row += 1
    _header(ws, row, [text("attribute"), text("value")])
    row += 1
    for key, value in attrs.items():
        put(ws, row, 1, key).alignment = WRAP
        row += _attr(ws, row, 2, value)
    return row + 1
