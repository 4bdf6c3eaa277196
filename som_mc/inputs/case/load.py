"""Read a business case from a TOML file (or a dict) into a validated :class:`Case`."""

from __future__ import annotations

import difflib
import hashlib
import json
import re
import tomllib
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from som_mc.errors import InputError
from som_mc.inputs.case.inputs import InputSet, collect_inputs
from som_mc.inputs.case.resolve import resolve_case
from som_mc.inputs.case.schema import CaseModel
from som_mc.inputs.knowledge.base import Knowledge, load_knowledge

__all__ = ["Case", "illustrative_items", "load_case"]


@dataclass(frozen=True)
class Case:
    """A validated business case with its uncertain inputs.

    Attributes
    ----------
    model : CaseModel
        The case as written, every number parsed into a distribution.
    inputs : InputSet
        Every quantity of the case by name, the uncertain ones and their correlation.
    source : str
        Where the case came from (a file name, or ``"<dict>"``).
    sha256 : str
        Hash of the case file's bytes (or of the dict's canonical JSON), for provenance.
    notes : tuple of str
        What was taken from the knowledge base, with sources and assumptions.
    """

    model: CaseModel
    inputs: InputSet
    source: str
    sha256: str
    notes: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        """The case's name."""
        return self.model.name

    @property
    def horizon(self) -> int:
        """Number of years simulated."""
        return self.model.horizon


def illustrative_items(case: Case) -> list[str]:
    """Names of the case's lines whose numbers are marked illustrative (no public source)."""
    m = case.model
    items = [f"cost: {c.label}" for c in m.cost if c.illustrative]
    if m.success.illustrative:
        items.append("success")
    items += [f"consequence: {c.key}" for c in m.consequence if c.illustrative]
    if m.extrapolation is not None and m.extrapolation.illustrative:
        items.append("extrapolation")
    items += [f"subgroup: {g.name}" for g in m.subgroup if g.illustrative]
    return items


def load_case(case: str | Path | dict | Case, knowledge: Knowledge | None = None) -> Case:
    """Read and validate a business case.

    Parameters
    ----------
    case : str, Path, dict or Case
        Path to a TOML case file, or the case as a dict with the same structure.
    knowledge : Knowledge, optional
        The knowledge base to fill the case from; the shipped one by default.

    Returns
    -------
    Case

    Raises
    ------
    InputError
        With a one-line message naming the file, the field, the value and what is allowed.

    Examples
    --------
    >>> from som_mc.inputs.examples import example_path
    >>> load_case(example_path("cti")).horizon
    5
    """
    if isinstance(case, Case):
        return case
    if isinstance(case, dict):
        raw = json.dumps(case, sort_keys=True, default=str).encode()
        return _validate(case, "<dict>", hashlib.sha256(raw).hexdigest(), knowledge)
    path = Path(case)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError("", "no such case file", file=str(path)) from None
    except OSError as err:
        raise InputError("", f"cannot be read ({err.strerror})", file=str(path)) from None
    if path.suffix.lower() == ".xlsx":
        # A workbook from som_mc.present.workbook.write_template: read into the dict a TOML file
        # gives,
        # then validated the same way. The reader needs only openpyxl and the distributions;
        # imported here so that a TOML case never loads openpyxl.
        from som_mc.inputs.workbook.read import read_case_xlsx

        data = read_case_xlsx(path)
        return _validate(data, str(path), hashlib.sha256(raw).hexdigest(), knowledge)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise InputError(
            f"line {line}",
            f"byte 0x{raw[err.start]:02x} is not UTF-8 text; save the case as UTF-8",
            file=str(path),
        ) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise _syntax_error(err, text).in_file(str(path)) from None
    return _validate(data, str(path), hashlib.sha256(raw).hexdigest(), knowledge)


def _syntax_error(err: tomllib.TOMLDecodeError, text: str) -> InputError:
    """A TOML syntax error, located at its line and showing that line."""
    # tomllib writes "<what> (at line L, column C)" or "<what> (at end of document)".
    found = re.fullmatch(r"(.*) \(at (?:line (\d+), column (\d+)|end of document)\)", str(err))
    if found is None:
        return InputError("", f"TOML syntax error: {err}")
    what, line, column = found.groups()
    if line is None:
        return InputError(
            "end of file",
            f"TOML syntax error: {what}; close every [ ], {{ }} and quote that was opened",
        )
    lines = text.splitlines()
    shown = lines[int(line) - 1].strip() if int(line) <= len(lines) else ""
    shown = shown if len(shown) <= 60 else shown[:57] + "..."
    if what == "Invalid value":
        what += ' (a value is a number, "quoted text", true or false, [a, list] or { a = table })'
    elif what == "Cannot overwrite a value":
        what += " (is the key given twice?)"
    return InputError(
        f"line {line}",
        f"TOML syntax error at column {column}: {what}; the line reads {shown!r}",
    )


def _validate(data: dict, source: str, sha256: str, knowledge: Knowledge | None) -> Case:
    if not data:
        raise InputError(
            "",
            "the case is empty; it needs at least name, price_year, horizon, [intake], "
            "[[cost]], [success] and [[consequence]]",
            file=source,
        )
    if "step" in data and "intake" not in data:
        raise InputError(
            "step",
            "this is a course of several cases, not a case; run it with `som-mc course FILE` "
            "(see docs/beyond.md)",
            file=source,
        )
    kb = knowledge or load_knowledge()  # its errors name the knowledge file, not the case
    try:
        data, notes = resolve_case(data, kb)
    except InputError as err:
        raise err.in_file(source) from None
    try:
        model = CaseModel.model_validate(data)
    except ValidationError as err:
        raise _translate(_first(err.errors())).in_file(source) from None
    try:
        inputs = collect_inputs(model)
    except InputError as err:
        raise err.in_file(source) from None
    return Case(model=model, inputs=inputs, source=source, sha256=sha256, notes=tuple(notes))


def _first(errors: list[Any]) -> Any:
    """The error to report: pydantic's first, except that a misspelt field beats the missing one.

    A typo such as ``priceyear`` gives both "price_year is missing" and "priceyear is unknown";
    the unknown field is the one the user has to fix.
    """
    first = errors[0]
    if first["type"] == "missing":
        parent = tuple(first["loc"][:-1])
        for error in errors:
            if error["type"] == "extra_forbidden" and tuple(error["loc"][:-1]) == parent:
                return error
    return first


def _translate(error: dict[str, Any]) -> InputError:
    """Turn pydantic's first error into our one-line message."""
    loc = list(error["loc"])
    kind = error["type"]
    ctx = error.get("ctx") or {}
    value = error.get("input")
    if kind == "located":  # a whole-model check; its field is relative to the model at loc
        prefix = _path(loc)
        return InputError(f"{prefix}.{ctx['field']}" if prefix else ctx["field"], ctx["message"])
    if loc and loc[-1] == "[key]":  # a bad key of a mapping (the actor of a price)
        loc.pop()
        field = _path(loc)
        return InputError(field, f"unknown actor '{loc[-1]}'; allowed: kommune, region, stat")
    if ctx.get("sub"):
        loc.append(ctx["sub"])
    field = _path(loc)
    if kind in ("quantity", "quantity_range", "success_form"):
        return InputError(field, ctx["message"])
    return InputError(field, _message(kind, ctx, value, loc))


def _message(kind: str, ctx: dict, value: Any, loc: list) -> str:
    shown = _show(value)
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        allowed = _allowed_fields(loc[:-1])
        close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        return f"unknown field '{loc[-1]}'; {hint}allowed: {', '.join(allowed)}"
    if kind == "literal_error":
        return f"{shown} is not allowed; allowed: {ctx['expected']}"
    if kind in ("int_type", "int_from_float", "int_parsing"):
        return f"{shown} is not a whole number; a whole number is required"
    if kind == "string_type":
        return f"{shown} is not text; write it in quotes"
    if kind == "bool_type":
        return f"{shown} is not true or false"
    if kind == "list_type":
        if isinstance(value, dict) and loc and isinstance(loc[-1], str) and _allowed_fields(loc):
            # [cost] where [[cost]] was meant: a single table for a list of tables.
            return f"a single [{loc[-1]}] table is not a list; write each one as [[{loc[-1]}]]"
        return f"{shown} is not a list; write it as [a, b, ...]"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        if isinstance(value, list) and loc and isinstance(loc[-1], str) and _allowed_fields(loc):
            return f"a list is not a table; write it as [{loc[-1]}], not [[{loc[-1]}]]"
        return f"{shown} is not a table; write it as a [section] or {{ key = value }}"
    if kind in ("float_type", "float_parsing"):
        return f"{shown} is not a number"
    if kind == "greater_than_equal":
        return f"{shown} is below the minimum {ctx['ge']}"
    if kind == "less_than_equal":
        return f"{shown} is above the maximum {ctx['le']}"
    if kind == "too_short":
        return f"needs at least {ctx['min_length']} item(s), got {ctx['actual_length']}"
    if kind == "too_long":
        return f"allows at most {ctx['max_length']} item(s), got {ctx['actual_length']}"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_pattern_mismatch":
        return f"{shown} is not a valid key; use a-z, 0-9 and _, starting with a letter"
    return f"{shown} is not allowed ({kind})"


def _show(value: Any) -> str:
    text = repr(value) if isinstance(value, str) else json.dumps(value, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


def _path(loc: list) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _allowed_fields(loc: list) -> list[str]:
    """The field names of the model at ``loc`` in the case structure."""
    node: Any = CaseModel
    for part in loc:
        if isinstance(part, int):
            continue
        if isinstance(node, type) and issubclass(node, BaseModel):
            if part not in node.model_fields:  # not a path of the case structure
                return []
            node = _unwrap(node.model_fields[part].annotation)
    if isinstance(node, type) and issubclass(node, BaseModel):
        return list(node.model_fields)
    return []


def _unwrap(annotation: Any) -> Any:
    """The model class inside ``list[X]``, ``X | None`` or ``Annotated[X, ...]``."""
    while True:
        origin = typing.get_origin(annotation)
        args = typing.get_args(annotation)
        if origin in (list, typing.Annotated) and args:
            annotation = args[0]
        elif origin in (typing.Union, types.UnionType):
            annotation = next(a for a in args if a is not type(None))
        else:
            return annotation
