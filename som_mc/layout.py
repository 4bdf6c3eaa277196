"""Turn a validated case into the plain arrays the kernel reads.

Every quantity of the case has an index ``q`` into one vector of values per draw: a fixed
quantity keeps its value, an uncertain one takes its column of the design. The model's slots
(the success rate, the price of consequence ``c`` for actor ``a`` ...) hold such indices, or
-1 where the case has nothing (no price for that actor, a profile shorter than the horizon).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from som_mc.case.load import Case
from som_mc.conventions import ACTORS, COST_TYPES

__all__ = ["Layout", "build_layout", "discount_factors_fm2021"]


@dataclass(frozen=True)
class Layout:
    """The case as plain arrays (see the module docstring). Shapes use T years, C consequences,
    A actors, K profile years, N cost lines, P quantities, U uncertain inputs."""

    horizon: int
    course_years: int
    central: np.ndarray  # (P,) value of every quantity at its central value
    uncertain_q: np.ndarray  # (U,) quantity index of each design column
    intake_q: np.ndarray  # (n_start,)
    dropout_q: int
    rate_q: int  # -1 when the case gives gross_rate and deadweight
    gross_q: int
    deadweight_q: int
    persistence_q: int
    discount_q: int  # -1 when the discount factors are fixed (fm2021)
    discount_fixed: np.ndarray  # (T,) factors used when discount_q == -1
    cost_type: np.ndarray  # (N,) index into COST_TYPES
    cost_actor: np.ndarray  # (N,)
    cost_q: np.ndarray  # (N,)
    cost_mask: np.ndarray  # (N, T) 1.0 in the years the line applies
    cons_coef: np.ndarray  # (C,) -1 for expenditure (fewer units gain), +1 for revenue
    profile_q: np.ndarray  # (C, K)
    scale_q: np.ndarray  # (C,)
    price_q: np.ndarray  # (C, A)
    price_share: np.ndarray  # (C, A) the actor's share of the price quantity (1 for per-actor)


def discount_factors_fm2021(horizon: int) -> np.ndarray:
    """Discount factors of the Danish Finance Ministry's 2021 schedule, year 1 undiscounted.

    3.5 % a year for the first 35 years and 2.5 % after (Finansministeriet, "Dokumentationsnotat
    – den samfundsøkonomiske diskonteringsrente", January 2021).
    """
    rates = np.where(np.arange(1, horizon) <= 35, 0.035, 0.025)
    return np.concatenate([[1.0], np.cumprod(1.0 / (1.0 + rates))])


def build_layout(case: Case) -> Layout:
    """Lay a case out as arrays for :func:`som_mc.kernels.simulate.simulate_block`."""
    m = case.model
    names = case.inputs.names
    index = {name: q for q, name in enumerate(names)}
    horizon = m.horizon
    n_start = len(m.intake.participants)
    course = m.intake.course_years

    def q(name: str) -> int:
        return index.get(name, -1)

    in_course = np.zeros(horizon)
    for s in range(n_start):
        in_course[s : min(s + course, horizon)] = 1.0
    slugs = [name.split(".")[1] for name in names if name.startswith("cost.")]
    cost_mask = np.zeros((len(m.cost), horizon))
    for i, line in enumerate(m.cost):
        if line.years is not None:
            cost_mask[i, np.asarray(line.years, dtype=np.int64) - 1] = 1.0
        elif line.type == "startup":
            cost_mask[i, 0] = 1.0
        elif line.type == "operating":
            cost_mask[i] = in_course
        else:  # per participant: the counts themselves say when
            cost_mask[i] = 1.0

    n_cons = len(m.consequence)
    k_max = max(len(c.profile) for c in m.consequence)
    profile_q = np.full((n_cons, k_max), -1, dtype=np.int64)
    price_q = np.full((n_cons, len(ACTORS)), -1, dtype=np.int64)
    price_share = np.ones((n_cons, len(ACTORS)))
    for c, line in enumerate(m.consequence):
        stem = f"consequence.{line.key}"
        profile_q[c, : len(line.profile)] = [
            q(f"{stem}.profile[{k}]") for k in range(len(line.profile))
        ]
        for a, actor in enumerate(ACTORS):
            if line.split is not None:  # one unit price, split by fixed shares
                share = line.split.get(actor, 0.0)
                price_q[c, a] = q(f"{stem}.unit_price") if share > 0 else -1
                price_share[c, a] = share
            else:
                price_q[c, a] = q(f"{stem}.price.{actor}")

    fixed_discount = isinstance(m.discount_rate, str)
    return Layout(
        horizon=horizon,
        course_years=course,
        central=np.array([d.central() for d in case.inputs.dists], dtype=np.float64),
        uncertain_q=np.array([index[n] for n in case.inputs.uncertain], dtype=np.int64),
        intake_q=np.array([q(f"intake.participants[{s}]") for s in range(n_start)], dtype=np.int64),
        dropout_q=q("intake.dropout"),
        rate_q=q("success.rate"),
        gross_q=q("success.gross_rate"),
        deadweight_q=q("success.deadweight"),
        persistence_q=q("success.persistence"),
        discount_q=q("discount_rate"),
        discount_fixed=(discount_factors_fm2021(horizon) if fixed_discount else np.ones(horizon)),
        cost_type=np.array([COST_TYPES.index(c.type) for c in m.cost], dtype=np.int64),
        cost_actor=np.array([ACTORS.index(c.actor) for c in m.cost], dtype=np.int64),
        cost_q=np.array([q(f"cost.{slug}.amount") for slug in slugs], dtype=np.int64),
        cost_mask=cost_mask,
        cons_coef=np.array(
            [-1.0 if c.kind == "expenditure" else 1.0 for c in m.consequence], dtype=np.float64
        ),
        profile_q=profile_q,
        scale_q=np.array([q(f"consequence.{c.key}.scale") for c in m.consequence], dtype=np.int64),
        price_q=price_q,
        price_share=price_share,
    )
