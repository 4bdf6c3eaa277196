"""Course files: several interventions in sequence or in combination, read and checked.

A course file names its steps, each a case::

    name = "CTI, then Housing First for those CTI did not help"
    kind = "sequence"            # or "combination"
    [[step]]
    name = "cti"
    example = "cti"              # a shipped example, or: case = "cti.toml" (relative path)
    [[step]]
    name = "housing_first"
    case = "housing_first.toml"

What the kinds mean is in :mod:`som_mc.pipeline.course`, which runs them. The steps share
their common inputs (see :mod:`som_mc.inputs.compose`). The steps are added up, so they must be
on one basis: the same price year and discount rate, or ``discount_rate = ...`` at the top of
the file puts every step on that rate (stated in the results' ``basis``).
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from som_mc.errors import InputError
from som_mc.inputs.basis import check_one_basis, on_one_rate
from som_mc.inputs.case.load import Case, load_case
from som_mc.inputs.compose import Composition, compose
from som_mc.inputs.examples import example_path

__all__ = ["KINDS", "load_course"]

KINDS = ("sequence", "combination")


def load_course(course: str | Path | dict) -> tuple[dict, Composition]:
    """Read a course file (or dict) and load its steps' cases.

    Returns
    -------
    (dict, Composition)
        The course's own fields (``name``, ``kind``) and its steps on a shared input set.
    """
    base = Path(".")
    file = None
    if not isinstance(course, dict):
        path = Path(course)
        file = str(path)
        try:
            course = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise InputError("", "no such course file", file=file) from None
        except tomllib.TOMLDecodeError as err:
            raise InputError("", f"is not valid TOML: {err}", file=file) from None
        base = path.parent
    try:
        return _parse(course, base)
    except InputError as err:
        raise err.in_file(file) if file else err from None


def _parse(course: dict, base: Path) -> tuple[dict, Composition]:
    unknown = set(course) - {"name", "kind", "step", "description", "discount_rate"}
    if unknown:
        raise InputError(
            sorted(unknown)[0],
            "is not a field of a course; allowed: name, kind, step, description, discount_rate",
        )
    kind = course.get("kind", "sequence")
    if kind not in KINDS:
        raise InputError("kind", f"'{kind}' is not allowed; allowed: {', '.join(KINDS)}")
    steps = course.get("step")
    if not isinstance(steps, list) or len(steps) < 2:
        raise InputError("step", "a course needs at least two [[step]] tables")
    parts: dict[str, Case] = {}
    for i, step in enumerate(steps):
        where = f"step[{i}]"
        if not isinstance(step, dict) or "name" not in step:
            raise InputError(f"{where}.name", "required field is missing")
        name = step["name"]
        if name in parts:
            raise InputError(f"{where}.name", f"'{name}' is used twice")
        given = [k for k in ("case", "example") if k in step]
        if len(given) != 1:
            raise InputError(where, "give exactly one of case (a file) or example (a name)")
        value = step[given[0]]
        if isinstance(value, Case | dict):
            parts[name] = load_case(value)
        elif given[0] == "example":
            parts[name] = load_case(example_path(value))
        else:
            parts[name] = load_case(base / value)
    meta = {"name": course.get("name", " + ".join(parts)), "kind": kind, "basis": ""}
    if "discount_rate" in course:  # the steps on one stated rate
        parts, meta["basis"] = on_one_rate(parts, course["discount_rate"], what="step")
    check_one_basis(parts, "course")
    return meta, compose(parts)
