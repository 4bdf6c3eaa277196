"""The kernel on plain arrays: one layout, the parts of a case added up, and SØM's year table.

Everything here takes and returns numpy arrays (the outputs by their names in
:data:`som_mc.conventions.OUTPUTS`); the pipeline decides which rows, on which thread.
"""

from __future__ import annotations

import numpy as np

from som_mc.conventions import OUTPUTS
from som_mc.model.layout import Layout
from som_mc.model.outputs import allocate, as_outputs

__all__ = [
    "break_even_years",
    "has_flows",
    "simulate",
    "simulate_parts",
    "tax_table",
    "year_tables",
]

# Expected mode draws nothing; the kernel still takes a generator argument.
_UNUSED_RNG = np.random.default_rng(0)
# No given intake: the kernel reads the case's own.
_NO_STARTS = np.zeros((0, 0))
#: Outputs that add up over the parts of a case (the rest are recomputed from the sums).
_ADDS_UP = tuple(o.name for o in OUTPUTS if o.adds_up)


def simulate(
    layout: Layout,
    x: np.ndarray,
    cohort: bool,
    rng: np.random.Generator | None,
    out: dict[str, np.ndarray],
    starts: np.ndarray | None = None,
) -> None:
    """Run the kernel on rows ``x`` (one value per uncertain input of ``layout``) into ``out``.

    ``starts`` (rows, T), when given, replaces the case's intake (the participants of the
    second step of a sequence).
    """
    from som_mc.model.kernel import simulate_block  # numba compiles lazily, not at import

    given = _NO_STARTS if starts is None else starts
    simulate_block(
        np.ascontiguousarray(x),
        layout,
        np.ascontiguousarray(given),
        cohort,
        _UNUSED_RNG if rng is None else rng,
        as_outputs(out),
    )


def simulate_parts(
    layouts: tuple[Layout, ...] | list[Layout],
    x: np.ndarray,
    cohort: bool,
    rng: np.random.Generator | None,
    out: dict[str, np.ndarray] | None = None,
) -> tuple[dict[str, np.ndarray], list[dict[str, np.ndarray]]]:
    """Run the parts of a case (its subgroups, or the case alone) on the same rows and add up.

    Parameters
    ----------
    layouts : sequence of Layout
        One per subgroup, or the case's own.
    x, cohort, rng
        As for :func:`simulate`; the parts draw from ``rng`` one after the other.
    out : dict, optional
        Where to write the total (allocated when None).

    Returns
    -------
    (dict, list of dict)
        The total (outputs that add up are summed, the break-even years recomputed from the
        summed net result) and each part's outputs.
    """
    rows = x.shape[0]
    if out is None:
        out = allocate(rows, layouts[0])
    if len(layouts) == 1:
        simulate(layouts[0], x, cohort, rng, out)
        return out, [out]
    parts = []
    for layout in layouts:
        part = allocate(rows, layout)
        simulate(layout, x, cohort, rng, part)
        parts.append(part)
    for key in _ADDS_UP:
        out[key][...] = parts[0][key]
        for part in parts[1:]:
            out[key] += part[key]
    out["break_even_year"][...], out["break_even_year_by_actor"][...] = break_even_years(out["net"])
    return out, parts


def year_tables(layouts: tuple[Layout, ...] | list[Layout], x: np.ndarray) -> tuple:
    """SØM's table for one row ``x``: the gain of each consequence and the cost, by year.

    The kernel is run once with the costs alone and once for each consequence alone (every
    other price left out), in expected mode, and the parts of a case are added up. The
    Monte Carlo loop thus keeps no branch for the table, and a table costs C + 1 kernel calls
    of one row (microseconds).

    Parameters
    ----------
    layouts : sequence of Layout
        The parts of the case (they share their consequences).
    x : ndarray, shape (1, U)

    Returns
    -------
    (ndarray (C, T, A), ndarray (T, A))
        Gain by consequence, year and actor; cost by year and actor.
    """
    first = layouts[0]
    C, T = first.profile_q.shape[0], first.horizon
    gain = np.zeros((C, T, first.price_q.shape[1]))
    cost = np.zeros((T, first.price_q.shape[1]))
    for layout in layouts:
        no_price = np.full_like(layout.price_q, -1)
        costs_only = layout._replace(price_q=no_price)
        out = allocate(1, layout)
        simulate(costs_only, x, False, None, out)
        cost -= out["net"][0]
        no_cost = layout._replace(
            cost_type=layout.cost_type[:0],
            cost_actor=layout.cost_actor[:0],
            cost_q=layout.cost_q[:0],
            cost_mask=layout.cost_mask[:0],
        )
        for c in range(C):
            price_q = no_price.copy()
            price_q[c] = layout.price_q[c]
            simulate(no_cost._replace(price_q=price_q), x, False, None, out)
            gain[c] += out["net"][0]
    return gain, cost


def tax_table(layouts: tuple[Layout, ...] | list[Layout], x: np.ndarray) -> np.ndarray:
    """The tax line of SØM's table: the part of each consequence's gain that is income tax.

    The gain of :func:`year_tables` is net of the tax the public purse gets back on a taxable
    transfer (docs/model.md §3); this is that gain less the gain with no tax, so the gross gain
    is ``gain - tax_table``. Zero for a case without taxed lines.

    Returns
    -------
    ndarray (C, T, A)
    """
    with_tax, _ = year_tables(layouts, x)
    if not any(layout.tax.size for layout in layouts):
        return np.zeros_like(with_tax)
    untaxed = [layout._replace(tax=np.zeros((0, 0))) for layout in layouts]
    gross, _ = year_tables(untaxed, x)
    return with_tax - gross


def break_even_years(net: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """First 1-based year from which the cumulative net result stays >= 0 to the horizon, in
    total and for each actor (docs/model.md §3).

    A cumulative result that reaches 0 and falls below it again has not broken even then: the
    break-even year is the year after the last year below 0.

    Parameters
    ----------
    net : ndarray, shape (draws, T, A)

    Returns
    -------
    (ndarray (draws,), ndarray (draws, A))
        NaN where the cumulative result is below 0 in the last year of the horizon.

    Examples
    --------
    >>> net = np.array([[[-5.0, 1.0], [6.0, 0.0], [-2.0, -1.0], [4.0, 0.0]]])
    >>> total, by_actor = break_even_years(net)
    >>> total.tolist(), by_actor.tolist()
    ([4.0], [[4.0, 1.0]])
    """
    cumulative = np.cumsum(net, axis=1)

    def stays(ok: np.ndarray) -> np.ndarray:
        T = ok.shape[1]
        last_below = T - 1 - np.argmax(~ok[:, ::-1], axis=1)
        year = np.where(ok.all(axis=1), 1.0, last_below + 2.0)
        return np.where(year <= T, year, np.nan)

    return stays(cumulative.sum(axis=2) >= 0.0), stays(cumulative >= 0.0)


def has_flows(net: np.ndarray, gain_pv: np.ndarray, cost_pv: np.ndarray) -> np.ndarray:
    """Which actors the case touches at all: a gain or a cost other than 0 in some draw.

    An actor with no flows is *not affected*; its break-even year (1 by the definition, as its
    cumulative result is 0 throughout) means nothing and the summaries report it as not
    affected (docs/model.md §3).

    Parameters
    ----------
    net : ndarray, shape (draws, T, A)
    gain_pv, cost_pv : ndarray, shape (draws, A)

    Returns
    -------
    ndarray of bool, shape (A,)

    Examples
    --------
    >>> net = np.zeros((2, 3, 2)); net[1, 2, 0] = -1.0
    >>> has_flows(net, np.zeros((2, 2)), np.zeros((2, 2))).tolist()
    [True, False]
    """
    moved = np.any(net != 0.0, axis=(0, 1))
    return moved | np.any(gain_pv != 0.0, axis=0) | np.any(cost_pv != 0.0, axis=0)
