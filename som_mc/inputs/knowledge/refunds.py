"""Refunds that are computed, not looked up: the refund ladder and the high-cost refund.

Two of the state's refunds to the kommune depend on more than a fixed share of a unit's price
(docs/model.md §3):

- the refund ladder (refusionstrappen): the state's share of a municipal benefit falls with
  the citizen's total time on public support. A ``[[ladder]]`` entry of rules.toml names the
  ``[[rule]]`` of each duration band; :func:`ladder_shares` turns it into the actors' shares in
  each year after success, for a citizen with ``prior_weeks`` on support before that year;
- the high-cost refund (den centrale refusionsordning, SEL § 176 and barnets lov § 198): the
  state refunds a rising share of the part of the kommune's yearly cost of one person above
  thresholds. A ``[[high_cost]]`` entry gives the thresholds (sourced figures) and the rates;
  :func:`high_cost_tiers` moves them to a case's price year.

The checks (:func:`ladder_problem`, :func:`high_cost_problem`) are called by the loader in
:mod:`som_mc.inputs.knowledge.base` once the rules, figures and indices are read.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from typing import TYPE_CHECKING

from som_mc.errors import InputError
from som_mc.inputs.knowledge.schema import HighCostEntry, LadderEntry

if TYPE_CHECKING:
    from som_mc.inputs.knowledge.base import Knowledge

__all__ = [
    "WEEKS_PER_YEAR",
    "high_cost_problem",
    "high_cost_tiers",
    "ladder_problem",
    "ladder_shares",
]

#: Weeks counted in a year on support (the ladder's bands are in weeks).
WEEKS_PER_YEAR = 52


def ladder_problem(kb: Knowledge, ladder: LadderEntry) -> str:
    """What is wrong with a ``[[ladder]]`` entry ("" if nothing)."""
    if ladder.key in kb.rules:
        return f"key {ladder.key} is also a [[rule]]: a split's name must be one or the other"
    starts = [band.from_week for band in ladder.bands]
    if starts[0] != 1 or any(b <= a for a, b in itertools.pairwise(starts)):
        return f"bands' from_week must start at 1 and rise; they are {starts}"
    missing = [band.rule for band in ladder.bands if band.rule not in kb.rules]
    if missing:
        return f"band rule '{missing[0]}' is not a [[rule]] of rules.toml"
    actors = {frozenset(kb.rules[band.rule].shares) for band in ladder.bands}
    if len(actors) > 1:
        return "every band's rule must split between the same actors"
    limited = [band.rule for band in ladder.bands if kb.rules[band.rule].cap_figure is not None]
    if limited:
        return f"band rule {limited[0]} has a cap; a ladder's bands are plain shares"
    return ""


def ladder_shares(
    kb: Knowledge, ladder: LadderEntry, prior_weeks: int, years: int
) -> list[dict[str, float]]:
    """The actors' shares of a unit in each year after success, on the ladder.

    Year ``k`` after success (``k = 0`` the year of success) covers weeks ``prior_weeks +
    52 k + 1`` to ``prior_weeks + 52 (k + 1)`` of the citizen's time on support, as if the
    citizen would have stayed on support all year without the intervention (docs/model.md
    §3); each year's share is the mean of its weeks' bands. The list stops once the shares no
    longer change (the last holds on), and has at most ``years`` entries.

    Examples
    --------
    With the shipped ladder (80 % for weeks 1-4, 40 % for 5-26, 30 % for 27-52, 20 % after),
    a citizen new to support gets the state's (4 x 0.8 + 22 x 0.4 + 26 x 0.3) / 52 = 0.3808
    of the first year's weeks:

    >>> from som_mc.inputs.knowledge import load_knowledge
    >>> kb = load_knowledge()
    >>> [round(s["stat"], 4) for s in ladder_shares(kb, kb.ladders["refusion_ladder"], 0, 10)]
    [0.3808, 0.2]
    """
    starts = [band.from_week for band in ladder.bands]
    shares = [kb.rules[band.rule].shares for band in ladder.bands]
    actors = list(shares[0])

    def band_of(week: int) -> int:
        return max(i for i, start in enumerate(starts) if start <= week)

    out: list[dict[str, float]] = []
    for k in range(max(1, years)):
        first = prior_weeks + WEEKS_PER_YEAR * k + 1
        weeks = Counter(band_of(w) for w in range(first, first + WEEKS_PER_YEAR))
        year = {  # a year within one band keeps that band's shares exactly
            a: math.fsum(n * shares[b][a] for b, n in weeks.items()) / WEEKS_PER_YEAR
            if len(weeks) > 1
            else float(shares[next(iter(weeks))][a])
            for a in actors
        }
        out.append(year)
        if band_of(first) == len(starts) - 1:  # the last band from here on
            break
    return out


def high_cost_problem(kb: Knowledge, entry: HighCostEntry) -> str:
    """What is wrong with a ``[[high_cost]]`` entry ("" if nothing)."""
    if entry.payer == entry.refunder:
        return "payer and refunder must differ"
    missing = [t.above_figure for t in entry.tiers if t.above_figure not in kb.figures]
    if missing:
        return f"above_figure '{missing[0]}' is not in figures/*.csv"
    figures = [kb.figures[t.above_figure] for t in entry.tiers]
    values = [f.value for f in figures]
    if any(b <= a for a, b in itertools.pairwise(values)) or values[0] <= 0:
        return f"the thresholds must be positive and rise; they are {values}"
    undated = [f.key for f in figures if f.price_year is None]
    if undated:
        return f"threshold figure {undated[0]} is undated"
    if entry.index not in kb.indices:
        return f"index '{entry.index}' is not in price_index.toml"
    return ""


def high_cost_tiers(kb: Knowledge, entry: HighCostEntry, to_year: int) -> dict:
    """A high-cost refund in ``to_year`` prices, as a case line's ``refund`` field.

    Returns ``{"payer": ..., "refunder": ..., "above": [...], "rate": [...]}``: the refunder
    pays ``rate[j]`` of the part of the payer's yearly cost per unit between ``above[j]`` and
    ``above[j + 1]`` (docs/model.md §3).

    Raises
    ------
    InputError
        When ``to_year`` lies outside the index that moves the thresholds.
    """
    index = kb.indices[entry.index]
    above = []
    for tier in entry.tiers:
        fig = kb.figures[tier.above_figure]
        if not (index.covers(to_year) and index.covers(fig.price_year)):
            lo, hi = index.years
            raise InputError(
                "price_year",
                f"{to_year} is outside the price index {entry.index} ({lo}-{hi}) that moves "
                f"the thresholds of {entry.key}",
            )
        above.append(fig.value * index.factor(fig.price_year, to_year))
    return {
        "payer": entry.payer,
        "refunder": entry.refunder,
        "above": above,
        "rate": [float(t.rate) for t in entry.tiers],
    }
