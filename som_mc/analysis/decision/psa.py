"""A probabilistic sample (PSA) of a decision: per draw, each option's outcome and the inputs.

Every quantity of :mod:`som_mc.analysis.decision` reads a :class:`PSA`: for each Monte Carlo
draw, either the net benefit of each option (money), or its costs and effects (so that the net
benefit at willingness to pay λ is λ effect − cost), and the sampled inputs that produced them,
in the same row order. A PSA comes from

- arrays (:func:`make_psa`): numpy arrays, pandas DataFrames (their column names name the
  options or inputs) or xarray DataArrays;
- a table of columns (:func:`psa_from_table`, :func:`read_psa` for a CSV or netCDF file):
  ``nb_<option>`` columns, or ``cost_<option>`` and ``effect_<option>`` columns, and every
  other column an input;
- a som-mc run or portfolio (:func:`psa_from_run`): a case's present value is the net benefit
  of investing against doing nothing (present value 0), per actor; a portfolio's options are
  its cases.

pandas is not a dependency of som-mc: a DataFrame is read through its ``columns`` and
``to_numpy``, without importing pandas.
"""

from __future__ import annotations

import csv
import dataclasses
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr

from som_mc.conventions import ACTOR, DRAW, INPUT, OPTION, TOTAL
from som_mc.errors import InputError

__all__ = ["PSA", "check_wtp", "make_psa", "psa_from_run", "psa_from_table", "read_psa"]

#: Column prefixes of a PSA table.
PREFIXES: dict[str, str] = {"nb": "nb_", "cost": "cost_", "effect": "effect_"}


@dataclasses.dataclass(frozen=True)
class PSA:
    """A probabilistic sample of a decision between options.

    Attributes
    ----------
    options : tuple of str
        The options' names, at least 2.
    nb : numpy.ndarray or None, shape (draws, options)
        Net benefit per draw and option (money), or None if costs and effects are given.
    costs, effects : numpy.ndarray or None, shape (draws, options)
        Costs (money) and effects (any unit) per draw and option, or None if ``nb`` is given.
    inputs : numpy.ndarray, shape (draws, k)
        The sampled inputs (k may be 0).
    input_names : tuple of str
        Their names.
    units : str
        The unit of money, for labels ("" if unknown).
    """

    options: tuple[str, ...]
    nb: np.ndarray | None
    costs: np.ndarray | None
    effects: np.ndarray | None
    inputs: np.ndarray
    input_names: tuple[str, ...]
    units: str = ""

    @property
    def draws(self) -> int:
        """Number of draws."""
        return self.inputs.shape[0]

    @property
    def has_effects(self) -> bool:
        """True if the sample has costs and effects (and a willingness to pay is needed)."""
        return self.costs is not None

    def net_benefit(self, wtp: np.ndarray | None = None) -> np.ndarray:
        """Net benefit per draw, option and willingness to pay, shape (draws, options, W).

        For a sample of net benefits ``wtp`` must be None and W is 1; for costs and effects it
        is the checked grid of :func:`check_wtp` and NB = λ effect − cost.
        """
        wtp = self.check_wtp(wtp)
        if wtp is None:
            return self.nb[:, :, None]
        return wtp[None, None, :] * self.effects[:, :, None] - self.costs[:, :, None]

    def check_wtp(self, wtp: Any) -> np.ndarray | None:
        """The willingness-to-pay grid checked for this sample (None for net benefits)."""
        if not self.has_effects:
            if wtp is not None:
                raise InputError(
                    "wtp",
                    "is given but the sample has net benefits; a grid of willingness to pay "
                    "goes with costs and effects",
                )
            return None
        if wtp is None:
            raise InputError(
                "wtp", "is missing; a sample of costs and effects needs a grid of values"
            )
        return check_wtp(wtp)

    def input_columns(self, names: str | Sequence[str]) -> np.ndarray:
        """The columns of ``inputs`` named ``names`` (one name or several), shape (draws, j)."""
        names = [names] if isinstance(names, str) else list(names)
        if not names:
            raise InputError("inputs", "a group is empty; name one input or more")
        missing = [n for n in names if n not in self.input_names]
        if missing:
            known = ", ".join(self.input_names) or "none"
            raise InputError("inputs", f"{missing[0]!r} is not an input of the sample ({known})")
        return self.inputs[:, [self.input_names.index(n) for n in names]]


def check_wtp(wtp: Any) -> np.ndarray:
    """A willingness-to-pay grid as a float array: finite and strictly increasing.

    Raises
    ------
    InputError
        Field ``wtp``, naming the first value out of order.
    """
    grid = _numbers("wtp", wtp)
    grid = np.atleast_1d(grid)
    if grid.ndim != 1 or grid.size < 1:
        raise InputError("wtp", f"has shape {grid.shape}; use a 1-d grid of values")
    steps = np.diff(grid)
    if np.any(steps <= 0):
        i = int(np.flatnonzero(steps <= 0)[0])
        raise InputError(
            "wtp",
            f"is not increasing: value {i + 1} ({grid[i + 1]:g}) follows {grid[i]:g}; "
            "give a strictly increasing grid",
        )
    return grid


def make_psa(
    nb: Any = None,
    *,
    costs: Any = None,
    effects: Any = None,
    inputs: Any = None,
    options: Sequence[str] | None = None,
    input_names: Sequence[str] | None = None,
    units: str = "",
) -> PSA:
    """A :class:`PSA` from arrays.

    Parameters
    ----------
    nb : array_like, shape (draws, options), optional
        Net benefit per draw and option. Give either ``nb`` or both ``costs`` and ``effects``.
    costs, effects : array_like, shape (draws, options), optional
        Costs and effects per draw and option.
    inputs : array_like, shape (draws,) or (draws, k), optional
        The sampled inputs, in the same row order.
    options, input_names : sequence of str, optional
        Names; by default the columns of a DataFrame, the coordinates of a DataArray's
        ``option`` and ``input`` dims, or ``option 1``, ... and ``input 1``, ...
    units : str
        The unit of money, for labels.

    Returns
    -------
    PSA

    Raises
    ------
    InputError
        Naming the argument: not numbers, NaN or infinite values, fewer than 2 draws or 2
        options, costs and effects of different shapes, or inputs whose rows do not align.

    Examples
    --------
    >>> psa = make_psa(np.array([[0.0, 1.0], [0.0, -2.0], [0.0, 3.0]]), inputs=[1.0, -2.0, 3.0])
    >>> psa.options, psa.draws, psa.input_names
    (('option 1', 'option 2'), 3, ('input 1',))
    """
    if (nb is None) == (costs is None and effects is None):
        raise InputError("nb", "give net benefits (nb) or costs and effects, not both or neither")
    if nb is None and (costs is None or effects is None):
        missing = "costs" if costs is None else "effects"
        raise InputError(missing, "is missing; costs and effects go together")
    first = nb if nb is not None else costs
    names = _names(first, OPTION, options, "option")
    if nb is not None:
        values = _table("nb", nb)
        cost_values = effect_values = None
    else:
        values = None
        cost_values = _table("costs", costs)
        effect_values = _table("effects", effects)
        if cost_values.shape != effect_values.shape:
            raise InputError(
                "effects",
                f"has shape {effect_values.shape} but costs has {cost_values.shape}; "
                "they must match",
            )
    shape = (values if values is not None else cost_values).shape
    if len(names) != shape[1]:
        raise InputError("options", f"names {len(names)} options but the sample has {shape[1]}")
    if len(set(names)) != len(names):
        raise InputError("options", f"{list(names)} has a name twice; options have unique names")
    x, x_names = _inputs(inputs, shape[0], input_names)
    return PSA(tuple(names), values, cost_values, effect_values, x, tuple(x_names), units)


def psa_from_table(table: Any, *, units: str = "") -> PSA:
    """A :class:`PSA` from a table of columns: ``nb_<option>``, or ``cost_<option>`` and
    ``effect_<option>``, and every other column an input.

    Parameters
    ----------
    table : pandas.DataFrame, xarray.Dataset or mapping of column name to 1-d array
        One row per draw. An xarray Dataset gives its 1-d data variables as columns.
    units : str
        The unit of money, for labels.

    Returns
    -------
    PSA

    Raises
    ------
    InputError
        Field ``table``: no option columns, both ``nb_`` and ``cost_`` columns, an option with
        a cost column and no effect column (or the other way), or columns of unequal length;
        or the errors of :func:`make_psa`.

    Examples
    --------
    >>> psa = psa_from_table({"cost_a": [1.0, 2.0], "cost_b": [2.0, 3.0],
    ...                       "effect_a": [0.1, 0.2], "effect_b": [0.3, 0.1], "p": [0.5, 0.6]})
    >>> psa.options, psa.input_names
    (('a', 'b'), ('p',))
    """
    columns = _columns(table)
    lengths = {len(v) for v in columns.values()}
    if len(lengths) > 1:
        raise InputError("table", f"columns have different lengths {sorted(lengths)}")
    kind = {k: [c for c in columns if c.startswith(p)] for k, p in PREFIXES.items()}
    if kind["nb"] and (kind["cost"] or kind["effect"]):
        raise InputError("table", "has both nb_ and cost_/effect_ columns; use one form")
    inputs = [c for c in columns if not any(c in v for v in kind.values())]
    x = np.column_stack([columns[c] for c in inputs]) if inputs else None
    if kind["nb"]:
        options = [c[len(PREFIXES["nb"]) :] for c in kind["nb"]]
        nb = np.column_stack([columns[c] for c in kind["nb"]])
        return make_psa(nb, inputs=x, options=options, input_names=inputs, units=units)
    options = [c[len(PREFIXES["cost"]) :] for c in kind["cost"]]
    with_effect = [c[len(PREFIXES["effect"]) :] for c in kind["effect"]]
    if not options and not with_effect:
        raise InputError(
            "table",
            "has no option columns; name them nb_<option>, or cost_<option> and effect_<option>",
        )
    if set(options) != set(with_effect):
        odd = sorted(set(options) ^ set(with_effect))[0]
        raise InputError("table", f"option {odd!r} needs both a cost_ and an effect_ column")
    costs = np.column_stack([columns[f"cost_{o}"] for o in options])
    effects = np.column_stack([columns[f"effect_{o}"] for o in options])
    return make_psa(
        costs=costs, effects=effects, inputs=x, options=options, input_names=inputs, units=units
    )


def read_psa(path: str | Path, *, units: str = "") -> PSA:
    """Read a PSA table from a CSV file (a header row, then one row per draw) or a netCDF file
    (1-d variables, or a som-mc run or portfolio, see :func:`psa_from_run`).

    Raises
    ------
    InputError
        Naming the file, the column and the row of a value that is not a number, or the
        errors of :func:`psa_from_table`.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError("PSA", f"{path} is not a file", file=str(path))
    try:
        if path.suffix.lower() in (".nc", ".nc4", ".netcdf"):
            with xr.open_dataset(path) as opened:
                ds = opened.load()
            if "present_value" in ds:
                return psa_from_run(ds)
            return psa_from_table(ds, units=units or str(ds.attrs.get("units", "")))
        return psa_from_table(_read_csv(path), units=units)
    except InputError as err:
        raise err.in_file(str(path)) from None


def psa_from_run(ds: xr.Dataset, actor: str = TOTAL, *, nothing: bool | None = None) -> PSA:
    """A :class:`PSA` from a result of :func:`som_mc.run` or :func:`som_mc.portfolio`.

    The present value is the net benefit (docs/decision.md): a case's options are doing
    nothing (present value 0) and the case; a portfolio's options are its cases. The inputs
    are the run's sampled inputs (``inputs``, draw x input).

    Parameters
    ----------
    ds : xarray.Dataset
        With ``present_value`` (draw, actor) or (draw, option, actor) and ``inputs``; not a
        summary-only run.
    actor : str
        Whose net benefit: an actor or ``"total"`` (their sum).
    nothing : bool, optional
        Add a "nothing" option with net benefit 0. By default for a case (which is otherwise
        one option) and not for a portfolio.
    """
    if "present_value" not in ds or DRAW not in ds["present_value"].dims:
        raise InputError(
            "ds", "has no present_value per draw; give a run that keeps its draws (not summary)"
        )
    pv = ds["present_value"]
    if actor == TOTAL and TOTAL not in pv[ACTOR].values.tolist():
        pv = pv.sum(ACTOR)
    elif actor in pv[ACTOR].values.tolist():
        pv = pv.sel({ACTOR: actor})
    else:
        known = ", ".join([*map(str, pv[ACTOR].values), TOTAL])
        raise InputError("actor", f"{actor!r} is not an actor of the run; use one of {known}")
    if OPTION in pv.dims:
        nb = pv.transpose(DRAW, OPTION).values
        options = [str(o) for o in pv[OPTION].values]
        nothing = False if nothing is None else nothing
    else:
        nb = pv.values[:, None]
        options = [str(ds.attrs.get("case_name", "intervention"))]
        nothing = True if nothing is None else nothing
    if nothing:
        nb = np.column_stack([np.zeros(nb.shape[0]), nb])
        options = ["nothing", *options]
    x, names = None, None
    if "inputs" in ds and DRAW in ds["inputs"].dims:
        inputs = ds["inputs"].transpose(DRAW, INPUT)
        x, names = inputs.values, [str(n) for n in inputs[INPUT].values]
    units = str(pv.attrs.get("units", ds.attrs.get("units", "DKK")))
    return make_psa(nb, inputs=x, options=options, input_names=names, units=units)


# --- reading arrays ---------------------------------------------------------------------------


def _numbers(field: str, value: Any) -> np.ndarray:
    if hasattr(value, "to_numpy") and not isinstance(value, xr.DataArray):
        value = value.to_numpy()
    try:
        out = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise InputError(field, "is not an array of numbers") from None
    if not np.isfinite(out).all():
        bad = np.argwhere(~np.isfinite(out))[0]
        where = f"row {bad[0]}" + (f", column {bad[1]}" if bad.size > 1 else "")
        raise InputError(field, f"{where} is {out[tuple(bad)]}; every value is a finite number")
    return out


def _table(field: str, value: Any) -> np.ndarray:
    if isinstance(value, xr.DataArray):
        if value.ndim == 2 and DRAW in value.dims:
            value = value.transpose(DRAW, ...)
        value = value.values
    out = _numbers(field, value)
    if out.ndim != 2:
        raise InputError(field, f"has shape {out.shape}; use (draws, options)")
    if out.shape[0] < 2:
        raise InputError(field, f"has {out.shape[0]} draw; it needs 2 or more")
    if out.shape[1] < 2:
        raise InputError(
            field, f"has {out.shape[1]} option; a decision needs 2 or more (add doing nothing)"
        )
    return out


def _names(value: Any, dim: str, given: Sequence[str] | None, word: str) -> list[str]:
    if given is not None:
        return [str(n) for n in given]
    if isinstance(value, xr.DataArray) and dim in value.coords:
        return [str(n) for n in value[dim].values]
    if hasattr(value, "columns") and hasattr(value, "to_numpy"):  # a pandas DataFrame
        return [str(n) for n in value.columns]
    shape = np.shape(value)
    n = shape[1] if len(shape) == 2 else 1
    return [f"{word} {i + 1}" for i in range(n)]


def _inputs(inputs: Any, draws: int, names: Sequence[str] | None) -> tuple[np.ndarray, list[str]]:
    if inputs is None:
        return np.empty((draws, 0)), []
    found = _names(inputs, INPUT, names, "input")
    if isinstance(inputs, xr.DataArray):
        inputs = inputs.transpose(DRAW, ...).values if DRAW in inputs.dims else inputs.values
    x = _numbers("inputs", inputs)
    x = x[:, None] if x.ndim == 1 else x
    if x.ndim != 2:
        raise InputError("inputs", f"has shape {x.shape}; use (draws,) or (draws, k)")
    if x.shape[0] != draws:
        raise InputError(
            "inputs", f"has {x.shape[0]} rows but the outcomes have {draws}; rows must align"
        )
    if len(found) != x.shape[1]:
        raise InputError("input_names", f"names {len(found)} inputs but there are {x.shape[1]}")
    if len(set(found)) != len(found):
        raise InputError("input_names", "has a name twice; inputs have unique names")
    return x, found


def _columns(table: Any) -> dict[str, np.ndarray]:
    if isinstance(table, xr.Dataset):
        items = {str(k): v.values for k, v in table.data_vars.items() if v.ndim == 1}
    elif hasattr(table, "columns") and hasattr(table, "to_numpy"):  # a pandas DataFrame
        items = {str(c): table[c].to_numpy() for c in table.columns}
    elif isinstance(table, Mapping):
        items = {str(k): np.asarray(v) for k, v in table.items()}
    else:
        raise InputError(
            "table", f"a {type(table).__name__} is not allowed; use a DataFrame, Dataset or dict"
        )
    out = {}
    for name, values in items.items():
        try:
            out[name] = np.asarray(values, dtype=np.float64)
        except (TypeError, ValueError):
            raise InputError(f"table.{name}", "is not a column of numbers") from None
    return out


def _read_csv(path: Path) -> dict[str, np.ndarray]:
    # The csv module, not pandas (not a dependency); numpy.loadtxt would not name the column.
    with path.open(newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    rows = [r for r in rows if any(cell.strip() for cell in r)]
    if len(rows) < 3:
        raise InputError("PSA", "needs a header row and at least 2 rows of draws")
    header = [h.strip() for h in rows[0]]
    values = np.empty((len(rows) - 1, len(header)))
    for i, row in enumerate(rows[1:]):
        if len(row) != len(header):
            raise InputError(
                f"row {i + 2}", f"has {len(row)} values but the header has {len(header)}"
            )
        for j, cell in enumerate(row):
            try:
                values[i, j] = float(cell)
            except ValueError:
                raise InputError(f"{header[j]}", f"row {i + 2}: {cell!r} is not a number") from None
    return {h: values[:, j] for j, h in enumerate(header)}
