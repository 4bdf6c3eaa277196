"""One basis for cases that are added up or compared: the same discount rate and price year.

Present values at different discount rates or in different price years cannot be compared or
added up (docs/beyond.md, portfolios and courses); som-mc refuses such a mix with a clear
message, or puts every case on one stated rate when asked (a portfolio's ``discount_rate``, a
course file's ``discount_rate``).
"""

from __future__ import annotations

import dataclasses

from som_mc.errors import InputError
from som_mc.inputs.case.inputs import collect_inputs
from som_mc.inputs.case.load import Case
from som_mc.inputs.case.schema import Rate

__all__ = ["check_one_basis", "on_one_rate"]

#: What is put on one basis, and how a user states one rate for it.
_HOW = {
    "portfolio": (
        "the options of a portfolio are compared",
        "portfolio(..., discount_rate=...) or --discount-rate",
    ),
    "course": ("the steps of a course are added up", "discount_rate = ... in the course file"),
}


def check_one_basis(cases: dict[str, Case], what: str = "portfolio") -> None:
    """Refuse cases that are not on one basis: the same discount rate and price year.

    ``what`` is ``"portfolio"`` (options compared) or ``"course"`` (steps added up); the
    message says how to put them on one rate for each.

    Present values at different discount rates or in different price years cannot be compared
    or added up (docs/beyond.md, portfolios); som-mc does not silently put them on one basis.
    The price year is also checked by :func:`som_mc.inputs.compose.compose`; the discount rate
    only here (a shared input that differs would otherwise be kept per part).

    Raises
    ------
    InputError
        Field ``<option>.discount_rate`` or ``<option>.price_year``, naming both values.
    """
    items = list(cases.items())
    if not items:
        return
    first_name, first = items[0]
    for name, case in items[1:]:
        for field in ("price_year", "discount_rate"):
            mine, theirs = getattr(case.model, field), getattr(first.model, field)
            if mine != theirs:
                shown = [_shown(v) for v in (mine, theirs)]
                how = _HOW[what]
                hint = (
                    f" (or put them on one stated rate: {how[1]})"
                    if field == "discount_rate"
                    else ""
                )
                raise InputError(
                    f"{name}.{field}",
                    f"{shown[0]} differs from {shown[1]} of '{first_name}'; {how[0]} on one "
                    f"basis: give every case the same {field}{hint}",
                )


def _shown(value: object) -> str:
    """A price year, a discount rate's name, a fixed rate's number or a distribution."""
    if isinstance(value, str | int):
        return str(value)
    return f"{value.central():g}" if value.is_fixed else value.describe()


def on_one_rate(
    cases: dict[str, Case], rate: float | str, what: str = "option"
) -> tuple[dict[str, Case], str]:
    """Every case at the discount rate ``rate``, and a sentence saying which ones changed.

    Raises
    ------
    InputError
        Field ``discount_rate`` when ``rate`` is not a discount rate.
    """
    from pydantic import TypeAdapter, ValidationError

    try:
        value = TypeAdapter(Rate).validate_python(rate)
    except ValidationError as err:
        msg = err.errors()[0]["msg"]
        raise InputError("discount_rate", f"{rate!r} is not allowed: {msg}") from None
    shown = _shown(value)
    out, changed = {}, []
    for name, case in cases.items():
        own = case.model.discount_rate
        if own != value:
            changed.append(f"'{name}' ({_shown(own)})")
            model = case.model.model_copy(update={"discount_rate": value})
            case = dataclasses.replace(case, model=model, inputs=collect_inputs(model))
        out[name] = case
    moved = "; moved from their own: " + ", ".join(changed) if changed else ""
    return out, f"every {what} at discount rate {shown}{moved}"
