"""Several cases on one set of draws: the shared inputs of a course or a portfolio.

Each case keeps its own intervention (intake, costs, success): those inputs are renamed
``<part>.success.rate`` and so on. What the cases have in common (a consequence's profile and
prices from the knowledge base, the discount rate) is one input, drawn once per draw and used
by every case, when the cases give it the same distribution; where two cases give the same
name different distributions, each keeps its own under its part's name, and a note says so.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from som_mc.errors import InputError
from som_mc.inputs.case.inputs import InputSet
from som_mc.inputs.case.load import Case
from som_mc.inputs.case.names import OWN_PREFIXES
from som_mc.inputs.case.names import part as part_name

__all__ = ["Composition", "compose"]


@dataclass(frozen=True)
class Composition:
    """Several named cases and the one input set they draw from.

    Attributes
    ----------
    names : tuple of str
        The parts' names, in order.
    cases : tuple of Case
    inputs : InputSet
        The union of the parts' quantities (see the module docstring).
    notes : tuple of str
        Which inputs are shared and which could not be.
    """

    names: tuple[str, ...]
    cases: tuple[Case, ...]
    inputs: InputSet
    notes: tuple[str, ...]

    @property
    def parts(self) -> dict[str, Case]:
        """The cases by part name."""
        return dict(zip(self.names, self.cases, strict=True))


def compose(parts: dict[str, Case]) -> Composition:
    """Put several cases on one input set.

    Parameters
    ----------
    parts : dict of str to Case
        The cases by name (a step of a course, an option of a portfolio). Names are lower-case
        words: ``[a-z][a-z0-9_]*``.

    Returns
    -------
    Composition

    Raises
    ------
    InputError
        For fewer than two parts, a bad name, or cases that cannot be added up (different
        horizons or price years).
    """
    if len(parts) < 2:
        raise InputError("step", f"{len(parts)} case(s) given; give at least two")
    first = next(iter(parts.values())).model
    for name, case in parts.items():
        if not name or not name.replace("_", "a").isalnum() or not name[0].isalpha():
            raise InputError("name", f"'{name}' is not allowed; use letters, digits and _")
        m = case.model
        for field in ("horizon", "price_year"):
            if getattr(m, field) != getattr(first, field):
                raise InputError(
                    f"{name}.{field}",
                    f"{getattr(m, field)} differs from {getattr(first, field)} of "
                    f"'{next(iter(parts))}'; the parts of a course or portfolio must agree",
                )
    names: list[str] = []
    dists: list = []
    index: dict[str, int] = {}
    notes: list[str] = []
    for part, case in parts.items():
        for name, dist in zip(case.inputs.names, case.inputs.dists, strict=True):
            shared = not name.startswith(OWN_PREFIXES)
            key = name if shared else part_name(part, name)
            if shared and key in index and dists[index[key]] != dist:
                notes.append(
                    f"'{name}' differs between parts; '{part}' keeps its own ({dist.describe()})"
                )
                key = part_name(part, name)
            if key not in index:
                index[key] = len(names)
                names.append(key)
                dists.append(dist)
    uncertain = [n for n, d in zip(names, dists, strict=True) if not d.is_fixed]
    correlation = []
    taken: set[int] = set()
    for part, case in parts.items():
        local = {
            n: (part_name(part, n) if part_name(part, n) in index else n) for n in case.inputs.names
        }
        for cols, pearson in case.inputs.correlation:
            mapped = [uncertain.index(local[case.inputs.uncertain[c]]) for c in cols]
            if any(m == mapped and np.array_equal(p, pearson) for m, p in correlation):
                continue  # the same block over the same shared inputs, given by both parts
            if taken & set(mapped):
                raise InputError(
                    f"{part}.correlation",
                    "binds an input that another part also correlates; give the correlation "
                    "in one part only",
                )
            taken |= set(mapped)
            correlation.append((mapped, np.asarray(pearson)))
    inputs = InputSet(names=names, dists=dists, uncertain=uncertain, correlation=correlation)
    shared = [n for n in names if not any(n.startswith(part_name(p, "")) for p in parts)]
    notes.insert(0, f"{len(shared)} inputs shared by the parts (same draw in each)")
    return Composition(tuple(parts), tuple(parts.values()), inputs, tuple(notes))
