"""Uncertainty presets: give a point value a distribution by its confidence grade or evidence
level. The presets are data (``distributions/presets.toml``), each with its reasoning."""

from __future__ import annotations

from som_mc.errors import InputError
from som_mc.inputs.knowledge.schema import PresetEntry

__all__ = ["apply_preset"]


def apply_preset(preset: PresetEntry, value: float) -> dict:
    """The distribution spec (as a case would write it) for ``value`` under ``preset``.

    The distribution's mean is ``value`` (so a deterministic run uses the value itself).
    ``cv`` is the coefficient of variation, sd / |mean|, except for ``pert``, where it is the
    half-width relative to the value (min = v (1 - cv), max = v (1 + cv)). ``lognormal`` and
    ``gamma`` take positive values only: put the uncertainty of a negative profile on the line's
    ``scale`` instead.

    Examples
    --------
    >>> from som_mc.inputs.knowledge.schema import PresetEntry
    >>> p = PresetEntry(key="x", applies_to="price", family="lognormal", cv=0.1, reasoning="r")
    >>> apply_preset(p, 200.0)
    {'dist': 'lognormal', 'mean': 200.0, 'sd': 20.0}
    """
    family, cv = preset.family, preset.cv
    if value == 0:
        return {"dist": "fixed", "value": 0.0}
    sd = cv * abs(value)
    if family in ("lognormal", "gamma"):
        if value < 0:
            raise InputError(
                "preset",
                f"{preset.key} ({family}) needs a positive value, got {value:g}; put the "
                "uncertainty of a negative number on a scale of 1",
            )
        return {"dist": family, "mean": value, "sd": sd}
    if family == "pert":
        lo, hi = sorted((value * (1 - cv), value * (1 + cv)))
        return {"dist": "pert", "min": lo, "mode": value, "max": hi}
    # beta, for a rate: mean and sd, feasible only when sd^2 < mean (1 - mean)
    if not 0 < value < 1 or sd**2 >= value * (1 - value):
        raise InputError(
            "preset",
            f"{preset.key} (beta, cv {cv:g}) cannot describe {value:g}; a beta needs a value in "
            f"(0, 1) with sd = cv x value below sqrt(value (1 - value))",
        )
    return {"dist": "beta", "mean": value, "sd": sd}
