"""Every quantity of a case by name, which of them are uncertain, and how they correlate.

The names are written once, in :mod:`som_mc.inputs.case.names`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np

from som_mc.errors import InputError
from som_mc.inputs.case import names
from som_mc.inputs.case.schema import CaseModel
from som_mc.inputs.distributions import Distribution

__all__ = ["InputSet", "collect_inputs", "cost_slugs", "iter_quantities"]


@dataclass(frozen=True)
class InputSet:
    """The quantities of a case, in a fixed order.

    Attributes
    ----------
    names, dists : list
        Every quantity (fixed or uncertain) and its distribution.
    uncertain : list of str
        Names of the quantities that are not fixed, in the order of the design's columns.
    correlation : list of (list of int, ndarray)
        For each correlation block: the design columns it binds and the Pearson correlation
        of the Gaussian copula that gives the requested Spearman correlation.
    """

    names: list[str]
    dists: list[Distribution]
    uncertain: list[str]
    correlation: list[tuple[list[int], np.ndarray]] = field(default_factory=list)

    def __getitem__(self, name: str) -> Distribution:
        return self.dists[self.names.index(name)]

    @property
    def uncertain_dists(self) -> list[Distribution]:
        """The distributions of the uncertain inputs, in design-column order."""
        return [self[name] for name in self.uncertain]


def cost_slugs(model: CaseModel) -> list[str]:
    """A name for each cost line, from its label (``"CTI team"`` → ``cti_team``), unique."""
    slugs: list[str] = []
    for i, line in enumerate(model.cost):
        slug = re.sub(r"[^a-z0-9]+", "_", line.label.lower()).strip("_") or f"cost{i}"
        slugs.append(slug if slug not in slugs else f"{slug}_{i}")
    return slugs


def iter_quantities(model: CaseModel) -> Iterator[tuple[str, Distribution]]:
    """Yield ``(name, distribution)`` for every quantity of the case, in a fixed order
    (the names are :mod:`som_mc.inputs.case.names`)."""
    if isinstance(model.discount_rate, Distribution):
        yield names.DISCOUNT_RATE, model.discount_rate
    for i, dist in enumerate(model.intake.participants):
        yield names.participants(i), dist
    yield names.DROPOUT, model.intake.dropout
    for key in names.SUCCESS_KEYS:
        dist = getattr(model.success, key)
        if dist is not None:
            yield names.success(key), dist
    for slug, line in zip(cost_slugs(model), model.cost, strict=True):
        yield names.cost_amount(slug), line.amount
        for factor in line.factors:
            yield names.cost_factor(slug, factor.name), factor.value
    for line in model.consequence:
        for k, dist in enumerate(line.profile):
            yield names.profile(line.key, k), dist
        yield names.consequence(line.key, "scale"), line.scale
        if line.members is not None:
            yield names.consequence(line.key, "members"), line.members
        if line.unit_price is not None:
            yield names.consequence(line.key, "unit_price"), line.unit_price
        for actor, dist in (line.price or {}).items():
            yield names.price(line.key, actor), dist
    if model.extrapolation is not None:
        yield names.RULE, model.extrapolation.rule
        yield names.DECAY, model.extrapolation.decay
    for group in model.subgroup:
        # A subgroup's own numbers, under its name; what it does not give it shares.
        if group.success is not None:
            for key in names.SUCCESS_KEYS:
                dist = getattr(group.success, key)
                if dist is not None:
                    yield names.success(key, group.name), dist
        for line in group.consequence:
            for k, dist in enumerate(line.profile or ()):
                yield names.profile(line.key, k, group.name), dist
            if line.scale is not None:
                yield names.consequence(line.key, "scale", group.name), line.scale


def collect_inputs(model: CaseModel) -> InputSet:
    """Name every quantity and check the correlation blocks.

    Raises
    ------
    InputError
        For a correlation block that names an unknown or fixed input, is not a valid
        correlation matrix, or is not positive definite.
    """
    pairs = list(iter_quantities(model))
    quantity_names = [name for name, _ in pairs]
    dists = [dist for _, dist in pairs]
    uncertain = [name for name, dist in pairs if not dist.is_fixed]
    seen: set[str] = set()
    blocks = []
    for b, block in enumerate(model.correlation):
        where = f"correlation[{b}]"
        cols = []
        for name in block.inputs:
            if name not in quantity_names:
                raise InputError(
                    f"{where}.inputs",
                    f"'{name}' is not an input of this case; `som-mc inputs CASE` lists them",
                )
            if name not in uncertain:
                raise InputError(
                    f"{where}.inputs",
                    f"'{name}' is a fixed number; only uncertain inputs correlate",
                )
            if name in seen:
                raise InputError(f"{where}.inputs", f"'{name}' is in more than one block")
            seen.add(name)
            cols.append(uncertain.index(name))
        blocks.append((cols, _pearson_for(block.spearman, len(cols), f"{where}.spearman")))
    return InputSet(names=quantity_names, dists=dists, uncertain=uncertain, correlation=blocks)


def _pearson_for(spearman: list[list[float]], n: int, field: str) -> np.ndarray:
    """Check a Spearman matrix and return the Gaussian copula's Pearson matrix.

    For a bivariate normal, Spearman's rho_s = (6/pi) arcsin(r/2), so r = 2 sin(pi rho_s/6)
    (Kruskal 1958); the Gaussian copula with that r has exactly the requested rank correlation.
    """
    rows = [len(row) for row in spearman]
    if len(spearman) != n or any(r != n for r in rows):
        shape = f"{len(spearman)}x{rows[0]}" if len(set(rows)) == 1 else f"ragged (rows of {rows})"
        raise InputError(field, f"is {shape}; needs {n}x{n}, one row and column per input")
    matrix = np.asarray(spearman, dtype=float)
    for i, j in zip(*np.nonzero(~np.isfinite(matrix) | (np.abs(matrix) > 1)), strict=True):
        raise InputError(f"{field}[{i}][{j}]", f"{matrix[i, j]:g} is outside [-1, 1]")
    for i in range(n):
        if matrix[i, i] != 1.0:
            raise InputError(
                f"{field}[{i}][{i}]", f"{matrix[i, i]:g} is on the diagonal; it must be 1"
            )
    for i, j in zip(*np.nonzero(matrix != matrix.T), strict=True):
        raise InputError(
            f"{field}[{i}][{j}]",
            f"{matrix[i, j]:g} differs from [{j}][{i}] {matrix[j, i]:g}; "
            "the matrix must be symmetric",
        )
    pearson = 2.0 * np.sin(np.pi * matrix / 6.0)
    smallest = float(np.linalg.eigvalsh(pearson).min())
    if smallest <= 1e-10:
        raise InputError(
            field,
            f"the matrix is not positive definite (smallest eigenvalue {smallest:.3g}); "
            "these correlations contradict each other",
        )
    return pearson
