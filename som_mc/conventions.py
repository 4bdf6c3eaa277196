"""One vocabulary of dims, coordinates and codes, defined once for the whole package."""

from __future__ import annotations

__all__ = [
    "ACTORS",
    "ACTORS_AND_TOTAL",
    "AREAS",
    "BLOCK_SIZE",
    "CONSEQUENCE_KINDS",
    "COST_TYPES",
    "DESIGNS",
    "MODES",
    "RULES",
    "TOTAL",
]

#: The public actors SØM prices for, in the order of the ``actor`` dim.
ACTORS: tuple[str, ...] = ("kommune", "region", "stat")

#: The coordinate of all actors together, added after :data:`ACTORS` in summaries.
TOTAL: str = "total"

#: The actors and their total, as summaries and plots index them.
ACTORS_AND_TOTAL: tuple[str, ...] = (*ACTORS, TOTAL)

#: Consequence areas, as SØM groups its 33 consequences (English code names).
AREAS: dict[str, str] = {
    "employment": "Beskæftigelse og ydelser",
    "education": "Uddannelse",
    "social": "Social",
    "health": "Sundhed",
    "crime": "Kriminalitet",
}

#: Whether more units of a consequence cost the public purse or earn it.
CONSEQUENCE_KINDS: tuple[str, ...] = ("expenditure", "revenue")

#: Cost-line types; the kernel receives their index in this tuple.
COST_TYPES: tuple[str, ...] = ("startup", "operating", "per_participant", "per_participant_year")

#: Extrapolation rules beyond a profile's last year; the kernel receives their index here.
RULES: tuple[str, ...] = ("stop", "hold", "decay")

#: Sampling designs for parameter uncertainty.
DESIGNS: tuple[str, ...] = ("random", "lhs", "sobol")

#: How the cohort is simulated: by its expectation, or citizen by citizen (binomial draws).
MODES: tuple[str, ...] = ("expected", "cohort")

#: Draws per random-number block. Random streams are keyed by block index, never by chunk or
#: thread, so results are identical whatever the chunking or the number of threads. Changing it
#: changes the numbers of cohort-mode and random-design runs for a given seed.
BLOCK_SIZE: int = 4096

# Dimension names (see STYLE.md): never two names for one thing.
DRAW = "draw"
YEAR = "year"
ACTOR = "actor"
CONSEQUENCE = "consequence"
INPUT = "input"
QUANTILE = "quantile"
SUBGROUP = "subgroup"
STEP = "step"
OPTION = "option"
