"""One vocabulary of dims, coordinates and codes, defined once for the whole package."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "ACTORS",
    "ACTORS_AND_TOTAL",
    "AREAS",
    "BLOCK_SIZE",
    "CONSEQUENCE_KINDS",
    "COST_TYPES",
    "DESIGNS",
    "MODES",
    "MONEY",
    "OUTPUT",
    "OUTPUTS",
    "RULES",
    "TOTAL",
    "Output",
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
STAGE = "stage"  # a follow-up's prior and posterior
WTP = "wtp"  # willingness to pay per unit of effect (decision analysis)
SAMPLE_SIZE = "sample_size"  # citizens a study follows (value of sample information)


# --------------------------------------------------------------------------------------------
# The kernel's outputs: one registry for the kernel, the blocks, the reducers and the Datasets.
# --------------------------------------------------------------------------------------------

#: The unit of money outputs: the case's currency (``units``) in its price year.
MONEY = "money"


@dataclass(frozen=True)
class Output:
    """One output of the kernel, per draw.

    Attributes
    ----------
    name : str
        The kernel's array and the Dataset's variable: one name all the way.
    dims : tuple of str
        Dims after ``draw``.
    adds_up : bool
        Whether it is the sum of its parts (subgroups, steps of a course); the others (the
        break-even years) are recomputed from the summed net result.
    long_name : str
        The Dataset attribute ``long_name``.
    units : str
        :data:`MONEY` (the case's currency and price year), ``"persons"``,
        ``"year of the horizon"`` or ``"1"``.
    discounted : bool
        A present value (discounted to year 1).
    kept : bool
        Whether a run's Dataset keeps it (``completions`` is used by courses only).
    """

    name: str
    dims: tuple[str, ...]
    adds_up: bool
    long_name: str
    units: str
    discounted: bool = False
    kept: bool = True

    @property
    def note(self) -> str:
        """The ``note`` attribute of a break-even year; empty for the others."""
        return "NaN: not within the horizon" if self.units == "year of the horizon" else ""


OUTPUTS: tuple[Output, ...] = (
    Output("net", (YEAR, ACTOR), True, "net budget result by year", MONEY),
    Output("present_value", (ACTOR,), True, "present value of the net result", MONEY, True),
    Output("gain_pv", (ACTOR,), True, "present value of gains", MONEY, True),
    Output("cost_pv", (ACTOR,), True, "present value of costs", MONEY, True),
    Output(
        "consequence_pv",
        (CONSEQUENCE, ACTOR),
        True,
        "present value of the gain from each consequence",
        MONEY,
        True,
    ),
    Output(
        "break_even_year",
        (),
        False,
        "first year from which the undiscounted cumulative net result of all actors stays "
        ">= 0 to the horizon",
        "year of the horizon",
    ),
    Output(
        "break_even_year_by_actor",
        (ACTOR,),
        False,
        "first year from which the actor's undiscounted cumulative net result stays >= 0 "
        "to the horizon",
        "year of the horizon",
    ),
    Output(
        "successes",
        (YEAR,),
        True,
        "citizens who succeed, by year of completing the course",
        "persons",
    ),
    Output(
        "completions",
        (YEAR,),
        True,
        "citizens who complete the course, by year",
        "persons",
        kept=False,
    ),
)

#: The outputs by name.
OUTPUT: dict[str, Output] = {o.name: o for o in OUTPUTS}
