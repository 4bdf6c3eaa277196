"""The standard benchmark case: a national roll-out at SØM's full size, every number uncertain.

30 years, 33 consequences (SØM's catalogue has 33) with 10-year profiles whose every value is
uncertain, all three actors, six cost lines of all four types (one a negative line for the
alternative no longer used), intake over five years with a two-year course and dropout, an
uncertain success rate and an uncertain discount rate. A third of the consequences are priced
by one unit price split between actors by fixed shares; the rest have a price for each actor
that pays; every sixth is a revenue (income tax). The numbers are made up but of SØM's order
of magnitude; they are built by formula so that the case is the same on every machine.
"""

from __future__ import annotations

from typing import Any

from som_mc.conventions import AREAS

__all__ = [
    "DRAWS",
    "HORIZON",
    "N_CONSEQUENCES",
    "PROFILE_YEARS",
    "benchmark_case",
]

#: Years simulated.
HORIZON = 30
#: Consequences, each with its own profile and prices.
N_CONSEQUENCES = 33
#: Years in each consequence profile.
PROFILE_YEARS = 10
#: Monte Carlo draws of the kernel benchmark.
DRAWS = 100_000

_AREAS = list(AREAS)
_SPLITS = ({"kommune": 0.5, "stat": 0.5}, {"kommune": 0.3, "region": 0.7})


def _consequence(c: int) -> dict[str, Any]:
    """Consequence ``c`` (0-based): a decaying profile, each year's value uncertain."""
    revenue = c % 6 == 5
    first = (2.0 + c % 7) * (1.0 if revenue else -1.0)  # more weeks taxed, fewer shelter days
    profile = []
    for k in range(PROFILE_YEARS):
        mean = first * 0.85**k
        profile.append({"dist": "normal", "mean": mean, "sd": 0.25 * abs(mean)})
    line: dict[str, Any] = {
        "key": f"consequence_{c + 1:02d}",
        "unit": "units",
        "area": _AREAS[c % len(_AREAS)],
        "kind": "revenue" if revenue else "expenditure",
        "profile": profile,
    }
    price = 170.0 + 50.0 * c
    if c % 3 == 0:  # one price, split between actors by reimbursement rules
        line["unit_price"] = {"dist": "pert", "min": 0.8 * price, "mode": price, "max": 1.3 * price}
        line["split"] = _SPLITS[c % 2]
    else:  # a price for each actor that pays
        actors = ("kommune", "region", "stat")[: 1 + c % 3]
        line["price"] = {
            actor: {"dist": "lognormal", "mean": price / (a + 1), "sd": 0.15 * price / (a + 1)}
            for a, actor in enumerate(actors)
        }
    if c % 4 == 0:  # an uncertain effect size on top of the profile's own uncertainty
        line["scale"] = {"dist": "lognormal", "mean": 1.0, "sd": 0.2}
    return line


def benchmark_case(
    *,
    gross_rate: bool = False,
    persistence: bool = False,
    horizon: int = HORIZON,
    n_consequences: int = N_CONSEQUENCES,
) -> dict[str, Any]:
    """The standard benchmark case as a dict for :func:`som_mc.load_case`.

    Parameters
    ----------
    gross_rate : bool
        Give the success rate as an uncertain gross rate minus an uncertain deadweight instead
        of an uncertain net rate.
    persistence : bool
        Give successes an uncertain annual persistence (mean 0.9) instead of SØM's 1.
    horizon, n_consequences : int
        Years simulated and consequences (the first ``n_consequences`` of the standard 33),
        for measuring how the cost grows.

    Returns
    -------
    dict

    Examples
    --------
    >>> case = benchmark_case()
    >>> case["horizon"], len(case["consequence"]), len(case["consequence"][0]["profile"])
    (30, 33, 10)
    """
    intake = [40, 60, 80, 80, 80]
    success: dict[str, Any]
    if gross_rate:
        success = {
            "gross_rate": {"dist": "beta", "mean": 0.25, "sd": 0.05},
            "deadweight": {"dist": "pert", "min": 0.0, "mode": 0.05, "max": 0.15},
        }
    else:
        success = {"rate": {"dist": "beta", "mean": 0.2, "sd": 0.05}}
    if persistence:
        success["persistence"] = {"dist": "beta", "mean": 0.9, "sd": 0.03}
    return {
        "name": "benchmark: national roll-out",
        "price_year": 2024,
        "horizon": horizon,
        "discount_rate": {"dist": "uniform", "min": 0.02, "max": 0.05},
        "intake": {
            "participants": [
                {"dist": "pert", "min": 0.8 * n, "mode": n, "max": 1.2 * n} for n in intake
            ],
            "course_years": 2,
            "dropout": {"dist": "beta", "mean": 0.15, "sd": 0.05},
        },
        "cost": [
            {
                "label": "start-up",
                "type": "startup",
                "amount": {"dist": "pert", "min": 1.5e6, "mode": 2e6, "max": 3e6},
            },
            {
                "label": "national training",
                "type": "startup",
                "actor": "stat",
                "years": [1, 2],
                "amount": {"dist": "uniform", "min": 4e5, "max": 6e5},
            },
            {
                "label": "team",
                "type": "operating",
                "amount": {"dist": "normal", "mean": 1.5e6, "sd": 1.5e5},
            },
            {
                "label": "course",
                "type": "per_participant",
                "amount": {"dist": "pert", "min": 5e4, "mode": 6e4, "max": 8e4},
            },
            {
                "label": "psychiatric support",
                "type": "per_participant_year",
                "actor": "region",
                "amount": {"dist": "uniform", "min": 3e4, "max": 5e4},
            },
            {
                "label": "shelter place no longer used",
                "type": "per_participant_year",
                "amount": {"dist": "normal", "mean": -2e4, "sd": 3e3},
            },
        ],
        "success": success,
        "consequence": [_consequence(c) for c in range(n_consequences)],
    }
