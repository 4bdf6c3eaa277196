"""Several cases on one set of draws: the shared inputs of a course or a portfolio.

Each case keeps its own intervention (intake, costs, success): those inputs are renamed
``<part>.success.rate`` and so on. What the cases have in common (a consequence's profile and
prices from the knowledge base, the discount rate) is one input, drawn once per draw and used
by every case, when the cases give it the same distribution; where two cases give the same
name different distributions, each keeps its own under its part's name, and a note says so.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from som_mc.conventions import BLOCK_SIZE
from som_mc.errors import InputError
from som_mc.inputs.case.inputs import InputSet
from som_mc.inputs.case.load import Case
from som_mc.model.design import Design, n_blocks, to_inputs
from som_mc.model.layout import Layout, build_layout

__all__ = ["Composition", "compose"]

#: Inputs that belong to one intervention, never shared between cases.
_OWN = ("intake.", "cost.", "success.", "subgroup.")


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

    def provenance(self) -> dict[str, object]:
        """What the parts' cases say about their sources, for the report and the console."""
        from som_mc.pipeline.results import illustrative_items, provenance

        items = [f"{n}: {i}" for n, c in zip(self.names, self.cases, strict=True)
                 for i in illustrative_items(c)]  # fmt: skip
        rates = {str(provenance(c)["discount_rate"]) for c in self.cases}
        return {
            "discount_rate": rates.pop() if len(rates) == 1 else "differs by part",
            "uses_illustrative_values": int(bool(items)),
            "illustrative_items": "; ".join(items),
            "knowledge_notes": "\n".join(n for c in self.cases for n in c.notes),
            "case_sha256": ", ".join(c.sha256 for c in self.cases),
        }

    def blocks(
        self, draws: int, seed: int, design: str
    ) -> Iterator[tuple[int, int, int, np.ndarray]]:
        """The blocks of a run on the shared inputs: ``(b, lo, hi, x)``, ``x`` the sampled
        values of draws ``lo`` to ``hi`` (the same draws for every part)."""
        dists = self.inputs.uncertain_dists
        plan = Design(design, draws, len(dists), seed)
        for b in range(n_blocks(draws)):
            lo, hi = b * BLOCK_SIZE, min((b + 1) * BLOCK_SIZE, draws)
            yield b, lo, hi, to_inputs(plan.block(b), dists, self.inputs.correlation)

    def layouts(self) -> list[Layout]:
        """One layout per part, indexing the shared input set."""
        out = []
        for name, case in zip(self.names, self.cases, strict=True):
            if case.model.subgroup:
                raise InputError(
                    f"{name}", "a case with subgroups cannot be part of a course or portfolio yet"
                )
            out.append(build_layout(case, self.inputs, prefixes=(f"{name}.",)))
        return out


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
            shared = not name.startswith(_OWN)
            key = name if shared else f"{part}.{name}"
            if shared and key in index and dists[index[key]] != dist:
                notes.append(
                    f"'{name}' differs between parts; '{part}' keeps its own ({dist.describe()})"
                )
                key = f"{part}.{name}"
            if key not in index:
                index[key] = len(names)
                names.append(key)
                dists.append(dist)
    uncertain = [n for n, d in zip(names, dists, strict=True) if not d.is_fixed]
    correlation = []
    taken: set[int] = set()
    for part, case in parts.items():
        local = {n: (f"{part}.{n}" if f"{part}.{n}" in index else n) for n in case.inputs.names}
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
    shared = [n for n in names if not any(n.startswith(f"{p}.") for p in parts)]
    notes.insert(0, f"{len(shared)} inputs shared by the parts (same draw in each)")
    return Composition(tuple(parts), tuple(parts.values()), inputs, tuple(notes))
