"""The kernel's output arrays, one per :data:`som_mc.conventions.OUTPUTS` entry.

:class:`Outputs` is the named tuple the kernel writes into (numba reads a named tuple's fields
by name at compile time, so the kernel's signature does not list them one by one); its fields
are the registry's names, in the registry's order.
"""

from __future__ import annotations

from collections import namedtuple

import numpy as np

from som_mc.conventions import ACTOR, ACTORS, CONSEQUENCE, OUTPUTS, YEAR
from som_mc.model.layout import Layout

__all__ = ["Outputs", "allocate", "as_outputs", "shape"]

#: The kernel's outputs for some draws, each an array with the draw first.
Outputs = namedtuple("Outputs", [o.name for o in OUTPUTS], module=__name__)


def shape(dims: tuple[str, ...], layout: Layout) -> tuple[int, ...]:
    """The sizes of ``dims`` (after the draw) for ``layout``."""
    sizes = {YEAR: layout.horizon, ACTOR: len(ACTORS), CONSEQUENCE: layout.profile_q.shape[0]}
    return tuple(sizes[d] for d in dims)


def allocate(draws: int, layout: Layout) -> dict[str, np.ndarray]:
    """Empty output arrays for ``draws`` draws of ``layout``, by output name.

    Examples
    --------
    >>> from som_mc.inputs.case.load import load_case
    >>> from som_mc.inputs.examples import example_path
    >>> from som_mc.model.layout import build_layout
    >>> out = allocate(10, build_layout(load_case(example_path("cti"))))
    >>> out["net"].shape, out["present_value"].shape
    ((10, 5, 3), (10, 3))
    """
    return {o.name: np.empty((draws, *shape(o.dims, layout))) for o in OUTPUTS}


def as_outputs(out: dict[str, np.ndarray]) -> Outputs:
    """The arrays of ``out`` as the kernel's named tuple (the same arrays, not copies)."""
    return Outputs(**{o.name: out[o.name] for o in OUTPUTS})
