"""The cost model (SØM's omkostningsmodel): an intervention's cost built from its resources.

A case may give ``[[resource]]`` lines instead of (or beside) ``[[cost]]`` totals. Each resource
is one kind of input the intervention uses, each number of it uncertain:

- ``staff``: a staff type's time. Either ``hours`` per participant (``per = "participant"``,
  charged in the year they start, or ``"participant_year"``, every year of their course), or a
  ``caseload`` (participants per full-time worker at a time) with ``fte_hours``, the hours a
  full-time worker works in a year; times the hourly ``wage`` (or ``staff = "<type>"``, a wage
  of ``knowledge/wages.toml`` moved to the case's price year with its uncertainty preset); times
  ``1 + overhead`` (management, premises, IT as a share of the wage cost)::

      cost per participant            = hours x wage x (1 + overhead)
      cost per participant and year   = fte_hours x wage x (1 + overhead) / caseload

- ``material``: an ``amount`` per participant, per participant and year, or per year
  (``per = "year"``, while participants are in a course);
- ``setup`` and ``training``: a one-off ``amount`` (in year 1, or the ``years`` given);
- ``alternative``: what the participants would otherwise receive (business as usual), per
  participant or per participant and year: a saving, charged as minus ``amount``.

Every resource becomes a cost line whose amount is a product of factors
(:class:`som_mc.inputs.case.schema.CostFactor`); the kernel multiplies them draw by draw
(``Layout.cost_factor_q``, docs/cases.md), so each factor is an input of its own in the
sensitivity analysis: ``cost.<label>.hours``, ``cost.<label>.wage``, ``cost.<label>.overhead``,
``cost.<label>.caseload``. Existing ``[[cost]]`` lines are untouched.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from som_mc.checks import is_whole_number
from som_mc.errors import InputError
from som_mc.inputs.distributions import from_spec
from som_mc.inputs.knowledge.base import Knowledge, load_knowledge
from som_mc.inputs.knowledge.presets import apply_preset
from som_mc.inputs.knowledge.schema import WageEntry

__all__ = ["KINDS", "Wage", "expand_resources", "load_wages"]

#: Kinds of resource, and the keys each may give (besides the common ones).
KINDS: dict[str, tuple[str, ...]] = {
    "staff": ("staff", "wage", "hours", "per", "caseload", "fte_hours", "overhead"),
    "material": ("amount", "per"),
    "setup": ("amount",),
    "training": ("amount",),
    "alternative": ("amount", "per"),
}
_COMMON = ("label", "kind", "actor", "years", "source", "illustrative", "note")
#: Cost-line types by ``per``.
_PER = {
    "participant": "per_participant",
    "participant_year": "per_participant_year",
    "year": "operating",
}


#: A staff type's wage: an entry of ``knowledge/wages.toml``, checked with the rest of the
#: knowledge base by :func:`som_mc.inputs.knowledge.base.check_knowledge`.
Wage = WageEntry


def load_wages(path: str | Path | None = None) -> dict[str, Wage]:
    """The staff types and their wages, by key, from the knowledge base at ``path`` (a
    knowledge folder; default the shipped one).

    Raises
    ------
    InputError
        The knowledge base's first problem, naming the file and the entry.
    """
    return load_knowledge(path).wages


def expand_resources(
    data: dict, kb: Knowledge, wages: Mapping[str, Wage] | None = None
) -> list[str]:
    """Replace a case's ``resource`` list by the cost lines it implies (in place).

    The lines are appended to ``data["cost"]``. Called by the loader before validation
    (:func:`som_mc.inputs.case.resolve.resolve_case`).

    Returns
    -------
    list of str
        Notes for the case: which wage, from which source and year, with which preset.

    Raises
    ------
    InputError
        At ``resource[i].<key>`` for an unknown key, kind or staff type, a missing amount or
        time, a caseload that can be 0, or a bad distribution.
    """
    resources = data.pop("resource", None)
    if resources is None:
        return []
    if not isinstance(resources, list):
        raise InputError("resource", "write each resource as a [[resource]] table")
    lines = data.get("cost")
    if lines is None:
        lines = data["cost"] = []
    if not isinstance(lines, list):
        return []  # the schema reports the bad [[cost]]
    notes: list[str] = []
    for i, res in enumerate(resources):
        try:
            line, note = _line(res, kb, wages, data.get("price_year"))
        except InputError as err:
            raise err.under(f"resource[{i}]") from None
        lines.append(line)
        notes += [note] if note else []
    return notes


def _line(
    res: Any, kb: Knowledge, wages: Mapping[str, Wage] | None, price_year: Any
) -> tuple[dict, str]:
    if not isinstance(res, dict):
        raise InputError("", "a resource is a table: [[resource]] with label and kind")
    kind = res.get("kind")
    if kind not in KINDS:
        raise InputError("kind", f"{kind!r} is not allowed; allowed: {', '.join(KINDS)}")
    allowed = _COMMON + KINDS[kind]
    for key in res:
        if key not in allowed:
            close = difflib.get_close_matches(str(key), allowed, n=1)
            hint = f"did you mean '{close[0]}'? " if close else ""
            raise InputError(
                str(key), f"unknown key for a {kind} resource; {hint}allowed: {', '.join(allowed)}"
            )
    if "label" not in res:
        raise InputError("label", "required: the resource's name, e.g. 'Social worker'")
    line: dict[str, Any] = {"label": res["label"], "resource": kind}
    for key in ("actor", "years", "source", "illustrative"):
        if key in res:
            line[key] = res[key]
    if kind == "staff":
        note = _staff(res, line, kb, wages, price_year)
        return line, note
    if "amount" not in res:
        raise InputError("amount", f"required: the {kind}'s cost in DKK")
    _quantity(res["amount"], "amount")
    if kind in ("setup", "training"):
        line.update(type="startup", amount=res["amount"])
        return line, ""
    line["type"] = _per(res, allowed=("participant", "participant_year", "year"))
    if kind == "alternative":  # a saving: minus the cost of what they would otherwise get
        line["amount"] = -1.0
        line["factors"] = [{"name": "alternative_cost", "value": res["amount"]}]
    else:
        line["amount"] = res["amount"]
    return line, ""


def _per(res: dict, allowed: tuple[str, ...]) -> str:
    per = res.get("per", "participant")
    if per not in allowed:
        raise InputError("per", f"{per!r} is not allowed; allowed: {', '.join(allowed)}")
    return _PER[per]


def _quantity(spec: Any, key: str, positive: bool = False) -> None:
    """Check that ``spec`` is a quantity that cannot be negative (or 0, when ``positive``)."""
    dist = from_spec(spec, field=key)
    lo = dist.support()[0]
    if positive and not lo > 0:
        what = f"{dist.central():g}" if dist.is_fixed else f"{dist.describe()} can be 0 or below;"
        raise InputError(
            key, f"{what} it must be above 0 (it divides the cost), e.g. 12 participants"
        )
    if lo < 0:
        raise InputError(key, f"{dist.describe()} can be negative; it must be 0 or more")


def _staff(
    res: dict, line: dict, kb: Knowledge, wages: Mapping[str, Wage] | None, price_year: Any
) -> str:
    if ("hours" in res) == ("caseload" in res):
        raise InputError(
            "hours",
            "give either hours (per participant) or caseload (participants per full-time "
            "worker) and fte_hours",
        )
    if ("wage" in res) == ("staff" in res):
        raise InputError(
            "wage", "give either wage (DKK per hour) or staff, a staff type of knowledge/wages.toml"
        )
    factors: list[dict] = []
    if "hours" in res:
        _quantity(res["hours"], "hours")
        line["type"] = _per(res, allowed=("participant", "participant_year"))
        factors.append({"name": "hours", "value": res["hours"]})
    else:
        if "per" in res:
            raise InputError("per", "a caseload is per participant and year; leave per out")
        if "fte_hours" not in res:
            raise InputError(
                "fte_hours",
                "required with caseload: the hours a full-time worker works in a year "
                "(e.g. from the collective agreement, less holidays)",
            )
        _quantity(res["fte_hours"], "fte_hours", positive=True)
        _quantity(res["caseload"], "caseload", positive=True)
        line["type"] = "per_participant_year"
        factors.append({"name": "fte_hours", "value": res["fte_hours"]})
    note = ""
    if "wage" in res:
        _quantity(res["wage"], "wage")
        wage_spec = res["wage"]
    else:
        wage_spec, note = _known_wage(res["staff"], kb, wages, price_year)
        note = f"{res['label']}: {note}"
    factors.append({"name": "wage", "value": wage_spec})
    if "overhead" in res:
        _quantity(res["overhead"], "overhead")
        factors.append({"name": "overhead", "value": res["overhead"], "add": 1.0})
    if "caseload" in res:
        factors.append({"name": "caseload", "value": res["caseload"], "power": -1})
    line["amount"] = 1.0
    line["factors"] = factors
    return note


def _known_wage(
    staff: Any, kb: Knowledge, wages: Mapping[str, Wage] | None, price_year: Any
) -> tuple[dict, str]:
    wages = kb.wages if wages is None else wages
    if not isinstance(staff, str) or staff not in wages:
        close = difflib.get_close_matches(str(staff), list(wages), n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        raise InputError(
            "staff",
            f"{staff!r} is not a staff type of knowledge/wages.toml; {hint}"
            f"allowed: {', '.join(wages)} (or give wage in DKK per hour)",
        )
    wage = wages[staff]
    factor = 1.0
    if is_whole_number(price_year) and int(price_year) != wage.price_year:
        index = kb.indices.get(wage.index)
        if index is None or not index.covers(int(price_year)):
            raise InputError(
                "staff",
                f"the wage index {wage.index} does not reach price year {price_year}; "
                "give wage in DKK per hour",
            )
        factor = index.factor(wage.price_year, int(price_year))
    value = wage.value * factor
    spec = apply_preset(kb.presets[wage.preset], value)
    moved = f", moved to {price_year} by {wage.index} (x{factor:.4f})" if factor != 1.0 else ""
    note = (
        f"wage {value:,.2f} {wage.unit} ({wage.label}; {wage.price_year}: "
        f"{wage.value:g}{moved}), preset {wage.preset}; source {wage.source}"
    )
    return spec, note
