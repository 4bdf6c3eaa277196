"""Turn a validated case into the plain arrays the kernel reads.

Every quantity of the case has an index ``q`` into one vector of values per draw: a fixed
quantity keeps its value, an uncertain one takes its column of the design. The model's slots
(the success rate, the price of consequence ``c`` for actor ``a`` ...) hold such indices, or
-1 where the case has nothing (no price for that actor, a profile shorter than the horizon).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from som_mc.conventions import ACTORS, COST_TYPES
from som_mc.inputs.case import names
from som_mc.inputs.case.inputs import InputSet, cost_slugs
from som_mc.inputs.case.load import Case
from som_mc.inputs.case.schema import CaseModel

__all__ = ["Layout", "build_layout", "concat_cost_factors", "discount_factors_fm2021"]


class Layout(NamedTuple):
    """The case as plain arrays (see the module docstring). Shapes use T years, C consequences,
    A actors, K profile years, N cost lines, P quantities, U uncertain inputs.

    A named tuple, so that the kernel takes it as one typed argument (numba compiles field
    access by name) and variants are made with ``_replace``.
    """

    horizon: int
    course_years: int
    central: np.ndarray  # (P,) value of every quantity at its central value
    uncertain_q: np.ndarray  # (U,) quantity index of each design column
    intake_q: np.ndarray  # (n_start,)
    dropout_q: int
    rate_q: np.ndarray  # (m,) one per intervention; -1 where it gives gross_rate and deadweight
    gross_q: np.ndarray  # (m,)
    deadweight_q: np.ndarray  # (m,)
    persistence_q: int
    discount_q: int  # -1 when the discount factors are fixed (fm2021)
    discount_fixed: np.ndarray  # (T,) factors used when discount_q == -1
    cost_type: np.ndarray  # (N,) index into COST_TYPES
    cost_actor: np.ndarray  # (N,)
    cost_q: np.ndarray  # (N,)
    cost_mask: np.ndarray  # (N, T) 1.0 in the years the line applies
    cons_coef: np.ndarray  # (C,) -1 for expenditure (fewer units gain), +1 for revenue
    profile_q: np.ndarray  # (C, K)
    profile_len: np.ndarray  # (C,) years each profile gives
    extend: np.ndarray  # (C,) bool: the extrapolation rule applies after the profile
    scale_q: np.ndarray  # (C,)
    members_q: np.ndarray  # (C,) household members per success, -1 for the citizen only
    rule_q: int  # extrapolation rule (a code of conventions.RULES), -1 for stop
    decay_q: int  # annual decay under the "decay" rule
    price_q: np.ndarray  # (C, A)
    price_share: np.ndarray  # (C, A) the actor's share of the price quantity (1 for per-actor)
    share: float = 1.0  # share of the intake and fixed costs (a subgroup's share)
    # A cost line's amount times its factors, each (add + quantity) ** power (power +1 or -1):
    # the resources of a cost model (docs/cases.md, "Costs from resources"). -1 pads.
    cost_factor_q: np.ndarray = np.full((0, 0), -1, dtype=np.int64)  # (N, F)
    cost_factor_add: np.ndarray = np.zeros((0, 0))  # (N, F) 1.0 for an overhead share
    cost_factor_pow: np.ndarray = np.ones((0, 0))  # (N, F) +1 multiplies, -1 divides
    transfer_q: np.ndarray = np.full(0, -1, dtype=np.int64)  # (m,) factor on each rate, -1 none
    # The rate is a share of the starters (intention to treat), not of the completers.
    itt: bool = False
    # An observed cohort, by year of completion (T,): completers and successes used as they
    # are (NaN: drawn). Empty: nothing observed (docs/model.md §6, follow-up).
    observed_done: np.ndarray = np.zeros(0)
    observed_ok: np.ndarray = np.zeros(0)
    # (C,) years from success a line lasts at most (max_years; 0: no limit), whatever the
    # extrapolation rule. Empty: no line is limited.
    limit: np.ndarray = np.zeros(0, dtype=np.int64)
    # (C, A) income tax rate actor a gets back on each krone of the gross price of c (the sum
    # over actors of its price), a taxable transfer (docs/model.md §3). Empty: no tax.
    tax: np.ndarray = np.zeros((0, 0))
    # (C, A) cap per unit on actor a's part of the price of c (co-financing up to DKK x per
    # contact), inf for none; the excess falls to the uncapped actors by their shares. Empty:
    # no caps.
    price_cap: np.ndarray = np.zeros((0, 0))
    # (C, T, A) change of actor a's share of c's unit price in year k after success from its
    # share in price_share (a split by year: the refund ladder); empty: no split changes.
    share_by_year: np.ndarray = np.zeros((0, 0, 0))
    # A high-cost refund (SEL § 176): refund_to[c] pays refund_rate[c, j] of the part of
    # refund_from[c]'s part of a unit between refund_above[c, j] and refund_above[c, j + 1]
    # (inf pads). Empty: no refunds; -1: none on that line.
    refund_from: np.ndarray = np.zeros(0, dtype=np.int64)
    refund_to: np.ndarray = np.zeros(0, dtype=np.int64)
    refund_above: np.ndarray = np.zeros((0, 0))
    refund_rate: np.ndarray = np.zeros((0, 0))


def discount_factors_fm2021(horizon: int) -> np.ndarray:
    """Discount factors of the Danish Finance Ministry's 2021 schedule, year 1 undiscounted.

    3.5 % a year for the first 35 years and 2.5 % after (Finansministeriet, "Dokumentationsnotat
    – den samfundsøkonomiske diskonteringsrente", January 2021).
    """
    rates = np.where(np.arange(1, horizon) <= 35, 0.035, 0.025)
    return np.concatenate([[1.0], np.cumprod(1.0 / (1.0 + rates))])


def build_layout(
    case: Case,
    inputs: InputSet | None = None,
    prefixes: tuple[str, ...] = (),
    subgroup: str | None = None,
) -> Layout:
    """Lay a case out as arrays for :func:`som_mc.model.kernel.simulate_block`.

    Parameters
    ----------
    case : Case
        The case.
    inputs : InputSet, optional
        The quantities the layout indexes into; default the case's own. Several cases (the
        steps of a course, a portfolio) index into one shared set.
    prefixes : tuple of str
        Looked up before a quantity's plain name, first match wins: ``"subgroup.young."``
        finds a step's own success rate, and the shared one when it has none.
    subgroup : str, optional
        Lay out this subgroup of the case: its share of the intake and fixed costs, its own
        success table (all of it) and its own profiles and scales where it gives them.
    """
    m = case.model
    group = next((g for g in m.subgroup if g.name == subgroup), None)
    if subgroup is not None and group is None:
        raise ValueError(f"no subgroup {subgroup!r} in the case")
    inputs = inputs or case.inputs
    index = {name: q for q, name in enumerate(inputs.names)}
    horizon = m.horizon
    n_start = len(m.intake.participants)
    course = m.intake.course_years

    def q(name: str) -> int:
        for prefix in prefixes:
            if prefix + name in index:
                return index[prefix + name]
        return index.get(name, -1)

    own = subgroup if group is not None else None
    own_lines = {line.key: line for line in group.consequence} if group is not None else {}

    def q_success(key: str) -> int:
        if group is not None and group.success is not None:
            return index.get(names.success(key, own), -1)
        return q(names.success(key))

    in_course = np.zeros(horizon)
    for s in range(n_start):
        in_course[s : min(s + course, horizon)] = 1.0
    slugs = cost_slugs(m)
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
    lengths = [len(c.profile) for c in m.consequence]
    for c, line in enumerate(m.consequence):
        if line.key in own_lines and own_lines[line.key].profile is not None:
            lengths[c] = len(own_lines[line.key].profile)
    k_max = max(lengths)
    profile_q = np.full((n_cons, k_max), -1, dtype=np.int64)
    price_q = np.full((n_cons, len(ACTORS)), -1, dtype=np.int64)
    price_share = np.ones((n_cons, len(ACTORS)))
    profile_len = np.zeros(n_cons, dtype=np.int64)
    for c, line in enumerate(m.consequence):
        mine = own_lines.get(line.key)
        own_profile = mine is not None and mine.profile is not None
        profile_q[c, : lengths[c]] = [
            index[names.profile(line.key, k, own)] if own_profile else q(names.profile(line.key, k))
            for k in range(lengths[c])
        ]
        profile_len[c] = lengths[c]
        for a, actor in enumerate(ACTORS):
            if line.split is not None:  # one unit price, split by fixed shares
                share = line.split.get(actor, 0.0)
                pays = share > 0 or actor in _later_payers(line)
                price_q[c, a] = q(names.consequence(line.key, "unit_price")) if pays else -1
                price_share[c, a] = share
            else:
                price_q[c, a] = q(names.price(line.key, actor))

    fixed_discount = isinstance(m.discount_rate, str)
    return Layout(
        horizon=horizon,
        course_years=course,
        central=np.array([d.central() for d in inputs.dists], dtype=np.float64),
        uncertain_q=np.array([index[n] for n in inputs.uncertain], dtype=np.int64),
        intake_q=np.array([q(names.participants(s)) for s in range(n_start)], dtype=np.int64),
        dropout_q=q(names.DROPOUT),
        rate_q=np.array([q_success("rate")], dtype=np.int64),
        gross_q=np.array([q_success("gross_rate")], dtype=np.int64),
        deadweight_q=np.array([q_success("deadweight")], dtype=np.int64),
        persistence_q=q_success("persistence"),
        discount_q=q(names.DISCOUNT_RATE),
        discount_fixed=(discount_factors_fm2021(horizon) if fixed_discount else np.ones(horizon)),
        cost_type=np.array([COST_TYPES.index(c.type) for c in m.cost], dtype=np.int64),
        cost_actor=np.array([ACTORS.index(c.actor) for c in m.cost], dtype=np.int64),
        cost_q=np.array([q(names.cost_amount(slug)) for slug in slugs], dtype=np.int64),
        cost_mask=cost_mask,
        cons_coef=np.array(
            [-1.0 if c.kind == "expenditure" else 1.0 for c in m.consequence], dtype=np.float64
        ),
        profile_q=profile_q,
        profile_len=profile_len,
        extend=np.array([c.extrapolate for c in m.consequence], dtype=np.bool_),
        scale_q=np.array(
            [
                index[names.consequence(c.key, "scale", own)]
                if c.key in own_lines and own_lines[c.key].scale is not None
                else q(names.consequence(c.key, "scale"))
                for c in m.consequence
            ],
            dtype=np.int64,
        ),
        members_q=np.array(
            [q(names.consequence(c.key, "members")) for c in m.consequence], dtype=np.int64
        ),
        rule_q=q(names.RULE),
        decay_q=q(names.DECAY),
        price_q=price_q,
        price_share=price_share,
        share=group.share if group is not None else 1.0,
        **_cost_factors(m.cost, slugs, q),
        transfer_q=np.array([q_success("transfer")], dtype=np.int64),
        itt=(group.success if group is not None and group.success else m.success).applies_to
        == "starters",
        **_observed(m, horizon),
        limit=np.array([c.max_years or 0 for c in m.consequence], dtype=np.int64),
        **_tax_and_caps(m),
        **_computed_splits(m, horizon),
    )


def _later_payers(line) -> set[str]:
    """Actors with no share in a line's split that get one later (by year, or a refund)."""
    out = {a for year in line.split_by_year or () for a, s in year.items() if s > 0}
    if line.refund is not None:
        out.add(line.refund.refunder)
    return out


def _computed_splits(m: CaseModel, horizon: int) -> dict[str, np.ndarray]:
    """The splits by year and the high-cost refunds as arrays (see Layout); none: left empty."""
    out: dict[str, np.ndarray] = {}
    lines = m.consequence
    shape = (len(lines), len(ACTORS))
    if any(c.split_by_year for c in lines):
        change = np.zeros((len(lines), horizon, len(ACTORS)))
        for c, line in enumerate(lines):
            for k in range(horizon if line.split_by_year else 0):
                year = line.split_by_year[min(k, len(line.split_by_year) - 1)]
                for a, actor in enumerate(ACTORS):
                    change[c, k, a] = year.get(actor, 0.0) - line.split.get(actor, 0.0)
        out["share_by_year"] = change
    if any(c.refund for c in lines):
        tiers = max(len(c.refund.above) for c in lines if c.refund)
        payer = np.full(shape[0], -1, dtype=np.int64)
        to = np.full(shape[0], -1, dtype=np.int64)
        above = np.full((shape[0], tiers), np.inf)
        rate = np.zeros((shape[0], tiers))
        for c, line in enumerate(lines):
            if line.refund is not None:
                payer[c] = ACTORS.index(line.refund.payer)
                to[c] = ACTORS.index(line.refund.refunder)
                above[c, : len(line.refund.above)] = line.refund.above
                rate[c, : len(line.refund.rate)] = line.refund.rate
        out |= {"refund_from": payer, "refund_to": to, "refund_above": above, "refund_rate": rate}
    return out


def _tax_and_caps(m: CaseModel) -> dict[str, np.ndarray]:
    """The lines' tax rates and caps as (C, A) arrays (see Layout); none: left empty."""
    out: dict[str, np.ndarray] = {}
    shape = (len(m.consequence), len(ACTORS))
    if any(c.tax for c in m.consequence):
        tax = np.zeros(shape)
        for c, line in enumerate(m.consequence):
            for actor, rate in (line.tax or {}).items():
                tax[c, ACTORS.index(actor)] = rate
        out["tax"] = tax
    if any(c.cap for c in m.consequence):
        cap = np.full(shape, np.inf)
        for c, line in enumerate(m.consequence):
            for actor, value in (line.cap or {}).items():
                cap[c, ACTORS.index(actor)] = value
        out["price_cap"] = cap
    return out


def _observed(m: CaseModel, horizon: int) -> dict[str, np.ndarray]:
    """The observed cohort of ``m.success.observed`` by its year of completion (see Layout)."""
    seen = m.success.observed
    if seen is None:
        return {}
    done, ok = np.full(horizon, np.nan), np.full(horizon, np.nan)
    t = seen.cohort + m.intake.course_years - 2  # 0-based year of completion
    done[t], ok[t] = seen.completers, seen.successes
    return {"observed_done": done, "observed_ok": ok}


def _cost_factors(lines: list, slugs: list[str], q) -> dict[str, np.ndarray]:
    """The factors of each cost line as (N, F) arrays, -1 / 0 / 1 padding (see Layout)."""
    width = max((len(line.factors) for line in lines), default=0)
    fq = np.full((len(lines), width), -1, dtype=np.int64)
    add = np.zeros((len(lines), width))
    power = np.ones((len(lines), width))
    for i, (line, slug) in enumerate(zip(lines, slugs, strict=True)):
        for f, factor in enumerate(line.factors):
            fq[i, f] = q(names.cost_factor(slug, factor.name))
            add[i, f] = factor.add
            power[i, f] = factor.power
    return {"cost_factor_q": fq, "cost_factor_add": add, "cost_factor_pow": power}


def concat_cost_factors(layouts: list[Layout]) -> dict[str, np.ndarray]:
    """The cost factors of several layouts' cost lines, one after the other (the cost lines of
    a course's steps in one package), padded to the widest."""
    width = max(L.cost_factor_q.shape[1] for L in layouts)

    def padded(L: Layout, key: str, fill: float) -> np.ndarray:
        a = getattr(L, key)
        n = L.cost_q.shape[0]
        out = np.full((n, width), fill, dtype=a.dtype)
        out[: a.shape[0], : a.shape[1]] = a
        return out

    return {
        key: np.concatenate([padded(L, key, fill) for L in layouts])
        for key, fill in (("cost_factor_q", -1), ("cost_factor_add", 0.0), ("cost_factor_pow", 1.0))
    }
