"""The SØM calculation for a block of draws, in numba.

One call computes a block of draws; the engine runs blocks on threads (the kernel releases the
GIL). Each block brings its own ``numpy.random.Generator``, so the cohort draws do not depend on
which thread runs the block. The kernel streams: it works on a tile of ``_TILE`` draws at a time
with the draw index innermost, so the compiler turns the inner loops into vector instructions
(a scalar loop per draw measured 4x slower than this layout on the benchmark case), and keeps
only the tile's years x actors, never draws x years x consequences x actors.

The tile's inputs are the transpose of its rows of ``x``. The uncertain quantities come first
in the tile (row ``j`` is column ``j`` of ``x``) and every quantity index of the layout is
moved to its row once per call, so the transpose is a plain copy in 8 x 8 blocks that the
compiler keeps in registers; scattering each value to its quantity's row instead cost 2.5
times as much (measured on the benchmark case, where reading ``x`` is still a quarter of the
kernel's time).

Random numbers (cohort mode) are drawn draw by draw, in the same order whatever the tile: how
many years a draw's successes are followed depends on that draw alone, so the numbers do not
depend on ``_TILE`` or on the other draws of the block.

Year indices are 0-based here (year 1 of the horizon is index 0).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from som_mc.conventions import COST_TYPES, RULES

__all__ = ["simulate_block"]

#: Codes of the cost types and extrapolation rules: their index in the one list of each
#: (numba freezes these globals into the compiled code).
_PER_PARTICIPANT = COST_TYPES.index("per_participant")
_PER_PARTICIPANT_YEAR = COST_TYPES.index("per_participant_year")
_STOP, _HOLD, _DECAY = (RULES.index(r) for r in ("stop", "hold", "decay"))
#: Draws computed together, innermost in every array (a multiple of 8, the transpose's block).
#: 16 and 32 measured the same within noise on the benchmark case; 8 and 64 slower.
_TILE = 16


@njit(cache=True, nogil=True)
def _where(pos, q):
    """Row of vals of quantity ``q`` (-1 stays -1)."""
    return pos[q] if q >= 0 else -1


@njit(cache=True, nogil=True)
def _changes(share_by_year):
    """(C,) whether each line's split changes in some year (a split by year)."""
    out = np.zeros(share_by_year.shape[0], dtype=np.bool_)
    for c in range(share_by_year.shape[0]):
        for k in range(share_by_year.shape[1]):
            for a in range(share_by_year.shape[2]):
                if share_by_year[c, k, a] != 0.0:
                    out[c] = True
    return out


@njit(cache=True, nogil=True)
def _sum_parts(part, out, m):
    """``out[i]`` = the sum over actors of ``part[a, i]``: a unit's whole price."""
    for i in range(m):
        out[i] = 0.0
    for a in range(part.shape[0]):
        for i in range(m):
            out[i] += part[a, i]


@njit(cache=True, nogil=True)
def _refund(part, c, refund_from, refund_to, above, rate, m):
    """Move a high-cost refund of line ``c`` from its payer's part to the refunder's.

    The refunder pays ``rate[c, j]`` of the payer's part of a unit between ``above[c, j]``
    and ``above[c, j + 1]`` (inf pads the last tier; docs/model.md §3).
    """
    payer = refund_from[c]
    to = refund_to[c]
    tiers = above.shape[1]
    for i in range(m):
        x = part[payer, i]
        back = 0.0
        for j in range(tiers):
            lo = above[c, j]
            if x <= lo:
                break
            hi = above[c, j + 1] if j + 1 < tiers else np.inf
            back += rate[c, j] * (min(x, hi) - lo)
        part[payer, i] = x - back
        part[to, i] += back


@njit(cache=True, nogil=True)
def simulate_block(x, layout, starts_in, cohort, rng, out):
    """Simulate ``x.shape[0]`` draws of ``layout`` (a :class:`som_mc.model.layout.Layout`).

    ``x`` (draws, U) holds the uncertain inputs of each draw. The outputs are written in place
    into ``out`` (a :class:`som_mc.model.outputs.Outputs`, one row per draw; see
    :data:`som_mc.conventions.OUTPUTS`): ``net`` (draws, T, A), ``present_value``,
    ``gain_pv``, ``cost_pv`` (draws, A), ``consequence_pv`` (draws, C, A),
    ``break_even_year`` (draws,) and ``break_even_year_by_actor`` (draws, A) as 1-based years
    or NaN for never, ``successes`` (draws, T) by year of completion and ``completions``
    (draws, T) of those who complete the course, successful or not. ``starts_in`` (draws, T),
    when not empty, replaces the intake (the participants of a second step in a sequence).
    ``layout.share`` scales the intake and the fixed costs (a subgroup's share of
    participants). The success rate is ``1 - prod(1 - r_j)`` over the rates ``r_j`` in
    ``layout.rate_q`` (one rate, or several for a combination of interventions).
    """
    central = layout.central
    uncertain_q = layout.uncertain_q
    horizon = layout.horizon
    course_years = layout.course_years
    intake_q = layout.intake_q
    share = layout.share
    dropout_q = layout.dropout_q
    rate_q = layout.rate_q
    gross_q = layout.gross_q
    deadweight_q = layout.deadweight_q
    persistence_q = layout.persistence_q
    discount_q = layout.discount_q
    discount_fixed = layout.discount_fixed
    cost_type = layout.cost_type
    cost_actor = layout.cost_actor
    cost_q = layout.cost_q
    cost_mask = layout.cost_mask
    cost_factor_q = layout.cost_factor_q
    cost_factor_add = layout.cost_factor_add
    cost_factor_pow = layout.cost_factor_pow
    transfer_q = layout.transfer_q
    cons_coef = layout.cons_coef
    profile_q = layout.profile_q
    profile_len = layout.profile_len
    extend = layout.extend
    scale_q = layout.scale_q
    members_q = layout.members_q
    rule_q = layout.rule_q
    decay_q = layout.decay_q
    price_q = layout.price_q
    price_share = layout.price_share
    itt = layout.itt
    observed_done = layout.observed_done
    observed_ok = layout.observed_ok
    n_observed = observed_ok.shape[0]
    limit = layout.limit
    n_limit = limit.shape[0]
    tax = layout.tax
    n_tax = tax.shape[0]
    price_cap = layout.price_cap
    n_cap = price_cap.shape[0]
    share_by_year = layout.share_by_year
    n_by_year = share_by_year.shape[0]
    refund_from = layout.refund_from
    n_refund = refund_from.shape[0]
    year_changes = _changes(share_by_year)
    net = out.net
    pv = out.present_value
    pv_gain = out.gain_pv
    pv_cost = out.cost_pv
    pv_cons = out.consequence_pv
    break_even = out.break_even_year
    break_even_actor = out.break_even_year_by_actor
    successes = out.successes
    completions = out.completions
    n_draws = x.shape[0]
    T = horizon
    A = net.shape[2]
    n_cons = profile_q.shape[0]
    k_max = min(profile_q.shape[1], T)
    n_start = intake_q.shape[0]
    n_unc = uncertain_q.shape[0]
    given_starts = starts_in.shape[0] > 0
    M = _TILE

    # Every array of the tile has the draw index last. vals[j, i] for j < U: uncertain input j
    # of draw i (column j of x); vals[U + q, i]: the central value of quantity q. pos[q] is the
    # row of quantity q, and the *_at indices below are the layout's quantity indices moved
    # to their rows (-1 stays -1).
    P = central.shape[0]
    U = n_unc
    vals = np.zeros((U + P, M))
    pos = np.empty(P, dtype=np.int64)
    for q in range(P):
        pos[q] = U + q
        for i in range(M):
            vals[U + q, i] = central[q]
    for j in range(U):
        pos[uncertain_q[j]] = j
    intake_at = np.empty(n_start, dtype=np.int64)
    for s in range(n_start):
        intake_at[s] = pos[intake_q[s]]
    n_rates = rate_q.shape[0]
    rate_at = np.empty(n_rates, dtype=np.int64)
    gross_at = np.empty(n_rates, dtype=np.int64)
    deadweight_at = np.empty(n_rates, dtype=np.int64)
    for j in range(n_rates):
        rate_at[j] = _where(pos, rate_q[j])
        gross_at[j] = _where(pos, gross_q[j])
        deadweight_at[j] = _where(pos, deadweight_q[j])
    dropout_at = pos[dropout_q]
    persistence_at = _where(pos, persistence_q)
    discount_at = _where(pos, discount_q)
    rule_at = _where(pos, rule_q)
    decay_at = _where(pos, decay_q)
    cost_at = np.empty(cost_q.shape[0], dtype=np.int64)
    for line in range(cost_q.shape[0]):
        cost_at[line] = pos[cost_q[line]]
    # A line's factors (Layout.cost_factor_q); a layout whose cost lines outnumber its factor
    # rows (none given) has no factors on the others.
    n_factor_lines = min(cost_factor_q.shape[0], cost_q.shape[0])
    factor_at = np.full((cost_factor_q.shape[0], cost_factor_q.shape[1]), -1, dtype=np.int64)
    for line in range(cost_factor_q.shape[0]):
        for f in range(cost_factor_q.shape[1]):
            factor_at[line, f] = _where(pos, cost_factor_q[line, f])
    n_transfer = min(transfer_q.shape[0], rate_q.shape[0])
    transfer_at = np.full(max(n_transfer, 1), -1, dtype=np.int64)
    for j in range(n_transfer):
        transfer_at[j] = _where(pos, transfer_q[j])
    unit = np.zeros(_TILE)
    scale_at = np.empty(n_cons, dtype=np.int64)
    members_at = np.empty(n_cons, dtype=np.int64)
    price_at = np.empty((n_cons, A), dtype=np.int64)
    profile_at = np.zeros((n_cons, profile_q.shape[1]), dtype=np.int64)
    for c in range(n_cons):
        scale_at[c] = pos[scale_q[c]]
        members_at[c] = _where(pos, members_q[c])
        for a in range(A):
            price_at[c, a] = _where(pos, price_q[c, a])
        for k in range(min(profile_len[c], profile_q.shape[1])):
            profile_at[c, k] = pos[profile_q[c, k]]
    disc = np.zeros((T, M))
    starts = np.zeros((T, M))
    in_course = np.zeros((T, M))
    cost = np.zeros((T, A, M))
    gain = np.zeros((T, A, M))
    active = np.zeros((T, T, M))  # [year of completion, years since, draw] still successful
    nonzero = np.zeros((T, M), dtype=np.bool_)
    has = np.zeros(T, dtype=np.bool_)  # some draw of the tile has successes completing then
    carry = np.zeros(M)
    effect = np.zeros((T, M))
    discounted = np.zeros((T, M))
    weight = np.zeros((A, T, M))
    cons_pv = np.zeros((n_cons, A, M))
    running = np.zeros((T, M))
    tmp = np.zeros(M)
    price = np.zeros(M)
    part = np.zeros((A, M))  # each actor's part of a unit's price, after caps and tax
    gross = np.zeros(M)
    whole = np.zeros(M)  # a unit's whole price before tax (a split by year moves shares of it)
    excess = np.zeros(M)
    dot = np.zeros(M)
    sum_pv = np.zeros(M)
    sum_gain = np.zeros(M)
    sum_cost = np.zeros(M)
    cum = np.zeros(M)
    first = np.zeros(M)

    for lo in range(0, n_draws, M):
        m = min(M, n_draws - lo)
        # The tile's inputs: x[lo + i, j] to vals[j, i]. Full tiles in 8 x 8 blocks, which the
        # compiler transposes in registers (half the time of a row-by-row copy).
        if m == M:
            for j0 in range(0, U - 7, 8):
                for i0 in range(0, M, 8):
                    for ii in range(8):
                        for jj in range(8):
                            vals[j0 + jj, i0 + ii] = x[lo + i0 + ii, j0 + jj]
            for j in range(U - U % 8, U):
                for i in range(M):
                    vals[j, i] = x[lo + i, j]
        else:
            for i in range(m):
                for j in range(U):
                    vals[j, i] = x[lo + i, j]

        # Discounting: year 1 is the present year.
        if discount_q >= 0:
            for i in range(m):
                tmp[i] = 1.0 / (1.0 + vals[discount_at, i])
                disc[0, i] = 1.0
            for t in range(1, T):
                for i in range(m):
                    disc[t, i] = disc[t - 1, i] * tmp[i]
        else:
            for t in range(T):
                for i in range(m):
                    disc[t, i] = discount_fixed[t]

        # Intake and the participants in a course each year.
        for t in range(T):
            for i in range(m):
                starts[t, i] = 0.0
                in_course[t, i] = 0.0
        if given_starts:
            for s in range(T):
                for i in range(m):
                    starts[s, i] = starts_in[lo + i, s]
        else:
            for s in range(n_start):
                q = intake_at[s]
                for i in range(m):
                    n = vals[q, i] * share
                    starts[s, i] = np.rint(n) if cohort else n
        for s in range(T):
            for t in range(s, min(s + course_years, T)):
                for i in range(m):
                    in_course[t, i] += starts[s, i]

        # Costs.
        for t in range(T):
            for a in range(A):
                for i in range(m):
                    cost[t, a, i] = 0.0
        for line in range(cost_type.shape[0]):
            q = cost_at[line]
            a = cost_actor[line]
            kind = cost_type[line]
            # The line's amount times its factors, (add + value) ** (+1 or -1).
            for i in range(m):
                unit[i] = vals[q, i]
            if line < n_factor_lines:
                for f in range(factor_at.shape[1]):
                    fq = factor_at[line, f]
                    if fq < 0:
                        continue
                    add = cost_factor_add[line, f]
                    if cost_factor_pow[line, f] > 0.0:
                        for i in range(m):
                            unit[i] *= vals[fq, i] + add
                    else:
                        for i in range(m):
                            unit[i] /= vals[fq, i] + add
            for t in range(T):
                mask = cost_mask[line, t]
                if mask == 0.0:
                    continue
                if kind == _PER_PARTICIPANT:
                    for i in range(m):
                        cost[t, a, i] += unit[i] * mask * starts[t, i]
                elif kind == _PER_PARTICIPANT_YEAR:
                    for i in range(m):
                        cost[t, a, i] += unit[i] * mask * in_course[t, i]
                else:
                    for i in range(m):
                        cost[t, a, i] += unit[i] * mask * share

        # Beyond a profile's last year: stop (SØM), hold the last value, or decay geometrically.
        k_end = k_max
        for i in range(m):
            rule = int(np.rint(vals[rule_at, i])) if rule_at >= 0 else _STOP
            if rule == _HOLD:
                carry[i] = 1.0
            elif rule == _DECAY:
                carry[i] = 1.0 - vals[decay_at, i]
            else:
                carry[i] = 0.0
            if carry[i] != 0.0:
                k_end = T

        # Completions, successes and how long successes last: draw by draw, so that cohort
        # mode draws its random numbers in draw order.
        for t in range(T):
            has[t] = False
        for i in range(m):
            d = lo + i
            dropout = vals[dropout_at, i]
            fail = 1.0
            for j in range(rate_q.shape[0]):
                if rate_at[j] >= 0:
                    r = vals[rate_at[j], i]
                else:
                    r = max(vals[gross_at[j], i] - vals[deadweight_at[j], i], 0.0)
                if j < n_transfer and transfer_at[j] >= 0:  # transferability, capped at 1
                    r = min(r * vals[transfer_at[j], i], 1.0)
                fail *= 1.0 - r
            rate = 1.0 - fail
            persistence = vals[persistence_at, i] if persistence_at >= 0 else 1.0
            # Years a success is followed: the draw's own extrapolation rule (the tile's k_end
            # covers every draw; a draw that stops earlier has zeros after its k_max).
            k_draw = T if carry[i] != 0.0 else k_max
            for t in range(T):
                s = t - course_years + 1
                n_start_t = starts[s, i] if s >= 0 else 0.0
                if t < n_observed and observed_ok[t] == observed_ok[t]:
                    # An observed cohort: its numbers as they are, nothing drawn.
                    done = observed_done[t]
                    ok = observed_ok[t]
                elif cohort:
                    done = (
                        float(rng.binomial(int(n_start_t), 1.0 - dropout)) if n_start_t > 0 else 0.0
                    )
                    # Intention to treat: the rate is a share of the starters.
                    base = n_start_t if itt else done
                    ok = float(rng.binomial(int(base), rate)) if base > 0 else 0.0
                else:
                    done = n_start_t * (1.0 - dropout)
                    ok = (n_start_t if itt else done) * rate
                successes[d, t] = ok
                completions[d, t] = done
                nonzero[t, i] = ok != 0.0
                if ok == 0.0:
                    continue
                has[t] = True
                active[t, 0, i] = ok
                for k in range(1, min(k_draw, T - t)):
                    prev = active[t, k - 1, i]
                    if cohort and persistence < 1.0:
                        active[t, k, i] = (
                            float(rng.binomial(int(prev), persistence)) if prev > 0 else 0.0
                        )
                    else:
                        active[t, k, i] = prev * persistence
                for k in range(max(k_draw, 1), min(k_end, T - t)):
                    active[t, k, i] = 0.0
        for t in range(T):  # a year with successes in some draws only: zeros for the others
            if has[t]:
                for i in range(m):
                    if not nonzero[t, i]:
                        for k in range(min(k_end, T - t)):
                            active[t, k, i] = 0.0

        # Consequences. The gain of actor a in year t is the sum over completion years t0 and
        # years since success k (t = t0 + k) of active[t0, k] x weight[a, k], the priced change
        # of every consequence k years after success; the present value of a consequence is its
        # price x sum_k effect[k] x discounted[k], the discounted successes still active k years
        # after success. C K A + T K operations per draw, not C T (K + A).
        for k in range(k_end):
            for i in range(m):
                discounted[k, i] = 0.0
            for a in range(A):
                for i in range(m):
                    weight[a, k, i] = 0.0
        for t0 in range(T):
            if has[t0]:
                for k in range(min(k_end, T - t0)):
                    for i in range(m):
                        discounted[k, i] += active[t0, k, i] * disc[t0 + k, i]
        for c in range(n_cons):
            sq = scale_at[c]
            mq = members_at[c]
            for i in range(m):
                tmp[i] = vals[sq, i] * (vals[mq, i] if mq >= 0 else 1.0)
                dot[i] = 0.0
            length = profile_len[c]
            # A line limited in time (max_years) is 0 from its limit on, whatever the rule.
            lim = limit[c] if c < n_limit and limit[c] > 0 else k_end
            for k in range(k_end):
                if k >= lim:
                    for i in range(m):
                        effect[k, i] = 0.0
                elif k < length:
                    q = profile_at[c, k]
                    for i in range(m):
                        effect[k, i] = vals[q, i] * tmp[i]
                elif k > 0 and extend[c]:
                    for i in range(m):
                        effect[k, i] = effect[k - 1, i] * carry[i]
                else:
                    for i in range(m):
                        effect[k, i] = 0.0
                for i in range(m):
                    dot[i] += effect[k, i] * discounted[k, i]
            # Each actor's part of the price of a unit: its price (or share of the unit price),
            # a capped part cut at its cap with the excess to the uncapped actors by their
            # shares, a high-cost refund moved from payer to refunder, less the income tax it
            # gets back on the gross price; a split by year moves shares of the whole price
            # year by year (docs/model.md §3).
            taxed = False
            for a in range(A):
                pq = price_at[c, a]
                split = price_share[c, a]
                for i in range(m):
                    part[a, i] = vals[pq, i] * split if pq >= 0 else 0.0
                if c < n_tax and tax[c, a] != 0.0:
                    taxed = True
            by_year = c < n_by_year and year_changes[c]
            if by_year:
                _sum_parts(part, whole, m)
            if c < n_cap:
                free = 0.0
                for i in range(m):
                    excess[i] = 0.0
                for a in range(A):
                    if price_cap[c, a] < np.inf:
                        cap = price_cap[c, a]
                        for i in range(m):
                            v = min(part[a, i], cap)
                            excess[i] += part[a, i] - v
                            part[a, i] = v
                    elif price_at[c, a] >= 0:
                        free += price_share[c, a]
                if free > 0.0:
                    for a in range(A):
                        if price_cap[c, a] == np.inf and price_at[c, a] >= 0:
                            w = price_share[c, a] / free
                            for i in range(m):
                                part[a, i] += excess[i] * w
            if c < n_refund and refund_from[c] >= 0:
                _refund(
                    part,
                    c,
                    refund_from,
                    layout.refund_to,
                    layout.refund_above,
                    layout.refund_rate,
                    m,
                )
            if taxed:
                _sum_parts(part, gross, m)
                for a in range(A):
                    tax_rate = tax[c, a]
                    for i in range(m):
                        part[a, i] -= tax_rate * gross[i]
            for a in range(A):
                if price_at[c, a] < 0 and not (taxed and tax[c, a] != 0.0):
                    for i in range(m):
                        cons_pv[c, a, i] = 0.0
                    continue
                coef = cons_coef[c]
                for i in range(m):
                    price[i] = coef * part[a, i]
                    cons_pv[c, a, i] = price[i] * dot[i]
                for k in range(k_end):
                    for i in range(m):
                        weight[a, k, i] += price[i] * effect[k, i]
                if by_year:  # the share's change in year k, on the whole price
                    for k in range(k_end):
                        d = coef * share_by_year[c, k, a]
                        if d != 0.0:
                            for i in range(m):
                                moved = d * whole[i] * effect[k, i]
                                weight[a, k, i] += moved
                                cons_pv[c, a, i] += moved * discounted[k, i]
        for t in range(T):
            for a in range(A):
                for i in range(m):
                    gain[t, a, i] = 0.0
        for t0 in range(T):
            if has[t0]:
                for k in range(min(k_end, T - t0)):
                    for a in range(A):
                        for i in range(m):
                            gain[t0 + k, a, i] += active[t0, k, i] * weight[a, k, i]

        # Net result, present values and break-even.
        for t in range(T):
            for i in range(m):
                running[t, i] = 0.0
        for a in range(A):
            for i in range(m):
                sum_pv[i] = 0.0
                sum_gain[i] = 0.0
                sum_cost[i] = 0.0
                cum[i] = 0.0
                first[i] = np.nan
            for t in range(T):
                for i in range(m):
                    g = gain[t, a, i]
                    c = cost[t, a, i]
                    value = g - c
                    w = disc[t, i]
                    gain[t, a, i] = value  # the net result, written out below
                    sum_pv[i] += value * w
                    sum_gain[i] += g * w
                    sum_cost[i] += c * w
                    cum[i] += value
                    running[t, i] += cum[i]
                    # The first year from which cumulative stays >= 0 to the horizon (docs/
                    # model.md §3): a fall below 0 resets it to NaN. Selects, so it vectorises.
                    hit = (cum[i] >= 0.0) & (first[i] != first[i])
                    first[i] = t + 1.0 if hit else first[i]
                    first[i] = first[i] if cum[i] >= 0.0 else np.nan
            for i in range(m):
                pv[lo + i, a] = sum_pv[i]
                pv_gain[lo + i, a] = sum_gain[i]
                pv_cost[lo + i, a] = sum_cost[i]
                break_even_actor[lo + i, a] = first[i]
        # Out to the draw-major outputs, one draw's contiguous row at a time.
        for i in range(m):
            for t in range(T):
                for a in range(A):
                    net[lo + i, t, a] = gain[t, a, i]
            for c in range(n_cons):
                for a in range(A):
                    pv_cons[lo + i, c, a] = cons_pv[c, a, i]
        for i in range(m):
            # Backwards: the year after the last year below 0 (NaN when the last one is).
            year = 1.0
            for t in range(T - 1, -1, -1):
                if running[t, i] < 0.0:
                    year = t + 2.0
                    break
            break_even[lo + i] = year if year <= T else np.nan
