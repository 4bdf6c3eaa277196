"""Many cases in one go: every municipality x intervention of a table, as summaries.

A batch table (CSV, one row per case to run) has a ``case`` column (a case file, relative to
the table, or ``example:NAME``), an optional ``label`` column, and any number of input columns
named as ``som-mc inputs`` names them (``intake.participants[0]``, ``success.rate``,
``cost.cti_team.amount`` ...): a number there fixes that input for that row. Each row runs
with :func:`som_mc.run` keeping summaries only, on local threads or on a dask cluster; the rows
share the seed, so rows that differ only in a fixed input are compared on common random
numbers.
"""

from __future__ import annotations

import csv
from dataclasses import replace
from pathlib import Path
from typing import Any

import xarray as xr

from som_mc.errors import InputError
from som_mc.inputs.case.inputs import InputSet
from som_mc.inputs.case.load import Case, load_case
from som_mc.inputs.distributions import Fixed
from som_mc.pipeline.engine import ProgressCallback, run

__all__ = ["override_inputs", "read_batch", "run_batch"]

ROW = "row"


def override_inputs(case: Case, values: dict[str, float]) -> Case:
    """The case with some inputs fixed at given values.

    Raises
    ------
    InputError
        For a name that is not an input of the case, or an input bound in a correlation block.
    """
    names = case.inputs.names
    dists = list(case.inputs.dists)
    for name, value in values.items():
        if name not in names:
            raise InputError(name, "is not an input of this case; `som-mc inputs CASE` lists them")
        dists[names.index(name)] = Fixed(value)
    bound = {case.inputs.uncertain[c] for cols, _ in case.inputs.correlation for c in cols}
    for name in values:
        if name in bound:
            raise InputError(name, "is in a correlation block; it cannot be fixed by a batch row")
    uncertain = [n for n, d in zip(names, dists, strict=True) if not d.is_fixed]
    correlation = [
        ([uncertain.index(case.inputs.uncertain[c]) for c in cols], pearson)
        for cols, pearson in case.inputs.correlation
    ]
    inputs = InputSet(names=names, dists=dists, uncertain=uncertain, correlation=correlation)
    return replace(case, inputs=inputs)


def read_batch(path: str | Path) -> list[tuple[str, Case]]:
    """Read a batch table into (label, case) pairs; errors name the file, row and column."""
    path = Path(path)
    try:
        with path.open(newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
    except FileNotFoundError:
        raise InputError("", "no such batch table", file=str(path)) from None
    if not rows or "case" not in rows[0]:
        raise InputError(
            "case", "the table needs a 'case' column and one row per case", file=str(path)
        )
    loaded: dict[str, Case] = {}
    out = []
    for i, row in enumerate(rows, start=2):  # row 1 is the header
        source = (row.pop("case") or "").strip()
        label = (row.pop("label", "") or "").strip() or f"row {i}"
        if source not in loaded:
            loaded[source] = _load(source, path.parent, f"line {i}.case", file=str(path))
        values = {}
        for column, cell in row.items():
            if cell is None or not cell.strip():
                continue
            try:
                values[column] = float(cell)
            except ValueError:
                raise InputError(
                    f"line {i}.{column}", f"'{cell}' is not a number", file=str(path)
                ) from None
        try:
            out.append((label, override_inputs(loaded[source], values)))
        except InputError as err:
            raise InputError(f"line {i}.{err.field}", err.message, file=str(path)) from None
    return out


def _load(source: str, base: Path, field: str, file: str) -> Case:
    if not source:
        raise InputError(field, "is empty; give a case file or example:NAME", file=file)
    if source.startswith("example:"):
        from som_mc.inputs.examples import example_path

        return load_case(example_path(source.removeprefix("example:")))
    return load_case(base / source)


def run_batch(
    rows: str | Path | list[tuple[str, Case]],
    draws: int = 10_000,
    seed: int = 0,
    mode: str = "expected",
    *,
    client: Any = None,
    threads: int | None = None,
    progress: ProgressCallback | None = None,
) -> xr.Dataset:
    """Run every row of a batch table, keeping summaries (see :func:`som_mc.run`).

    Parameters
    ----------
    rows : path or list of (label, Case)
        A batch table (see the module docstring) or its rows.
    draws, seed, mode
        As for :func:`som_mc.run`; every row uses the same seed.
    client : dask.distributed.Client, optional
        Run each row's blocks on this cluster.
    threads : int, optional
        Local threads, without a client.
    progress : callable, optional
        Called with (rows done, rows in all).

    Returns
    -------
    xarray.Dataset
        The summaries of :class:`som_mc.pipeline.streaming.RunSummary` with a leading ``row`` dim
        (coordinates ``label`` and ``case_name``).
    """
    if not isinstance(rows, list):
        rows = read_batch(rows)
    results = []
    for i, (_, case) in enumerate(rows):
        ds = run(case, draws, seed, mode, threads=threads, summary_only=True, client=client)
        results.append(ds.drop_attrs())
        if progress is not None:
            progress(i + 1, len(rows))
    out = xr.concat(results, dim=ROW)
    out.coords[ROW] = range(len(rows))
    out.coords["label"] = (ROW, [label for label, _ in rows])
    out.coords["case_name"] = (ROW, [case.name for _, case in rows])
    out.attrs.update(draws=draws, seed=seed, mode=mode, title="som-mc batch")
    return out
