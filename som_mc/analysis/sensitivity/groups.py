"""Named groups of inputs for sensitivity and value-of-information analysis."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Mapping, Sequence

from som_mc.errors import InputError
from som_mc.inputs.case.load import Case

__all__ = ["GROUPINGS", "group_inputs"]

#: Ready-made groupings: ``"consequence"`` puts each consequence's profile, scale and prices
#: together; ``"kind"`` gathers all prices, all profiles, the success rate, the costs ...
GROUPINGS = ("consequence", "kind")

_KIND_RULES = (
    ("prices", r"^consequence\.[^.]+\.(unit_price|price\..+)$"),
    ("profiles", r"^consequence\.[^.]+\.(profile\[\d+\]|scale)$"),
    ("success", r"^success\."),
    ("costs", r"^cost\."),
    ("intake", r"^intake\."),
    ("discount", r"^discount_rate$"),
)


def group_inputs(
    case: Case, groups: str | Mapping[str, Sequence[str]] | None = None
) -> tuple[list[str], list[str]]:
    """The group of each uncertain input, and notes on how they were formed.

    Inputs bound by a rank correlation always share a group: Sobol' indices of correlated inputs
    taken one by one are not defined (their variance shares overlap), so a correlation block
    counts as one factor unless a named group already holds all of it.

    Parameters
    ----------
    case : Case
        The case; its uncertain inputs are the factors.
    groups : None, "consequence", "kind" or mapping
        None: each input on its own. A mapping names groups by glob patterns on input names,
        ``{"all prices": ["consequence.*.unit_price", "consequence.*.price.*"]}``; an input no
        pattern matches stays on its own.

    Returns
    -------
    names : list of str
        The group name of each uncertain input, in design-column order.
    notes : list of str
    """
    inputs = case.inputs.uncertain
    names = list(inputs)
    if groups == "consequence":
        names = [_consequence_group(name) for name in inputs]
    elif groups == "kind":
        names = [_kind_group(name) for name in inputs]
    elif isinstance(groups, Mapping):
        for group, patterns in groups.items():
            hits = [i for i, n in enumerate(inputs) if any(fnmatch.fnmatch(n, p) for p in patterns)]
            if not hits:
                raise InputError(
                    f"groups.{group}", f"{list(patterns)} match no uncertain input of the case"
                )
            for i in hits:
                names[i] = group
    elif groups is not None:
        raise InputError(
            "groups",
            f"{groups!r} is not allowed; allowed: {', '.join(GROUPINGS)}, a mapping or none",
        )
    notes = []
    for cols, _ in case.inputs.correlation:
        members = {names[c] for c in cols}
        if len(members) > 1:
            merged = " + ".join(sorted(members))
            for i, name in enumerate(names):
                if name in members:
                    names[i] = merged
            notes.append(f"correlated inputs form one factor: {merged}")
    return names, notes


def _consequence_group(name: str) -> str:
    match = re.match(r"^(consequence\.[^.]+)\.", name)
    if match:
        return match.group(1)
    return _kind_group(name)


def _kind_group(name: str) -> str:
    for group, pattern in _KIND_RULES:
        if re.search(pattern, name):
            return group
    return name
