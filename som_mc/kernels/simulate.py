"""The SØM calculation for a block of draws, in numba.

One call computes a block of draws serially; the engine runs blocks on threads (the kernel
releases the GIL). Each block brings its own ``numpy.random.Generator``, so the cohort draws do
not depend on which thread runs the block. The kernel streams: per draw it keeps the years x
actors of one draw and the consequence x actor present values, never draws x years x
consequences x actors.

Year indices are 0-based here (year 1 of the horizon is index 0).
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["simulate_block"]

_STARTUP, _OPERATING, _PER_PARTICIPANT, _PER_PARTICIPANT_YEAR = 0, 1, 2, 3
#: Codes of the extrapolation rule beyond a profile's last year (see som_mc.layout.RULES).
_STOP, _HOLD, _DECAY = 0, 1, 2


@njit(cache=True, nogil=True)
def _value(vals, q, default):
    return vals[q] if q >= 0 else default


@njit(cache=True, nogil=True)
def simulate_block(
    x,
    central,
    uncertain_q,
    horizon,
    course_years,
    intake_q,
    share,
    starts_in,
    dropout_q,
    rate_q,
    gross_q,
    deadweight_q,
    persistence_q,
    discount_q,
    discount_fixed,
    cost_type,
    cost_actor,
    cost_q,
    cost_mask,
    cons_coef,
    profile_q,
    profile_len,
    scale_q,
    members_q,
    rule_q,
    decay_q,
    price_q,
    price_share,
    cohort,
    rng,
    net,
    pv,
    pv_gain,
    pv_cost,
    pv_cons,
    break_even,
    break_even_actor,
    successes,
    completions,
    detail_gain,
    detail_cost,
):
    """Simulate ``x.shape[0]`` draws; see :class:`som_mc.layout.Layout` for the inputs.

    Outputs (written in place, one row per draw): ``net`` (draws, T, A), ``pv``, ``pv_gain``,
    ``pv_cost`` (draws, A), ``pv_cons`` (draws, C, A), ``break_even`` (draws,) and
    ``break_even_actor`` (draws, A) as 1-based years or NaN for never, ``successes``
    (draws, T) by year of completion and ``completions`` (draws, T) of those who complete the
    course, successful or not. ``starts_in`` (draws, T), when not empty, replaces the intake
    (the participants of a second step in a sequence). ``share`` scales the intake and the
    fixed costs (a subgroup's share of participants). The success rate is ``1 - prod(1 - r_j)``
    over the rates ``r_j`` in ``rate_q`` (one rate, or several for a combination of
    interventions). ``detail_gain`` (C, T, A) and ``detail_cost`` (T, A) are
    filled for draw 0 when they are not empty (the deterministic table).
    """
    n_draws = x.shape[0]
    T = horizon
    n_actor = net.shape[2]
    n_cons = profile_q.shape[0]
    k_max = profile_q.shape[1]
    n_start = intake_q.shape[0]
    want_detail = detail_gain.shape[0] > 0
    given_starts = starts_in.shape[0] > 0

    vals = central.copy()
    starts = np.zeros(T)
    in_course = np.zeros(T)
    completed = np.zeros(T)
    active = np.zeros((T, T))  # [year of completion, years since] successes still successful
    units = np.zeros(T)
    effect = np.zeros(max(k_max, T))
    gain = np.zeros((T, n_actor))
    cost = np.zeros((T, n_actor))
    discount = np.zeros(T)
    cumulative = np.zeros(n_actor)

    for d in range(n_draws):
        for j in range(uncertain_q.shape[0]):
            vals[uncertain_q[j]] = x[d, j]

        # Discounting: year 1 is the present year.
        if discount_q >= 0:
            factor = 1.0 / (1.0 + vals[discount_q])
            discount[0] = 1.0
            for t in range(1, T):
                discount[t] = discount[t - 1] * factor
        else:
            discount[:] = discount_fixed

        # Intake and the participants in a course each year.
        starts[:] = 0.0
        in_course[:] = 0.0
        if given_starts:
            for s in range(T):
                starts[s] = starts_in[d, s]
        else:
            for s in range(n_start):
                n = vals[intake_q[s]] * share
                starts[s] = np.rint(n) if cohort else n
        for s in range(T):
            for t in range(s, min(s + course_years, T)):
                in_course[t] += starts[s]

        # Costs.
        gain[:, :] = 0.0
        cost[:, :] = 0.0
        for i in range(cost_type.shape[0]):
            amount = vals[cost_q[i]]
            a = cost_actor[i]
            kind = cost_type[i]
            for t in range(T):
                if kind == _PER_PARTICIPANT:
                    count = starts[t]
                elif kind == _PER_PARTICIPANT_YEAR:
                    count = in_course[t]
                else:
                    count = share
                cost[t, a] += amount * cost_mask[i, t] * count

        # Completions, successes and how long successes last.
        dropout = vals[dropout_q]
        fail = 1.0
        for j in range(rate_q.shape[0]):
            if rate_q[j] >= 0:
                r = vals[rate_q[j]]
            else:
                r = max(vals[gross_q[j]] - vals[deadweight_q[j]], 0.0)
            fail *= 1.0 - r
        rate = 1.0 - fail
        persistence = _value(vals, persistence_q, 1.0)
        for t in range(T):
            s = t - course_years + 1
            n_start_t = starts[s] if s >= 0 else 0.0
            if cohort:
                done = float(rng.binomial(int(n_start_t), 1.0 - dropout)) if n_start_t > 0 else 0.0
                ok = float(rng.binomial(int(done), rate)) if done > 0 else 0.0
            else:
                done = n_start_t * (1.0 - dropout)
                ok = done * rate
            completed[t] = ok
            successes[d, t] = ok
            completions[d, t] = done
            active[t, 0] = ok
            for k in range(1, T - t):
                prev = active[t, k - 1]
                if cohort and persistence < 1.0:
                    active[t, k] = float(rng.binomial(int(prev), persistence)) if prev > 0 else 0.0
                else:
                    active[t, k] = prev * persistence

        # Beyond a profile's last year: stop (SØM), hold the last value, or decay geometrically.
        rule = int(np.rint(vals[rule_q])) if rule_q >= 0 else _STOP
        if rule == _HOLD:
            carry = 1.0
        elif rule == _DECAY:
            carry = 1.0 - vals[decay_q]
        else:
            carry = 0.0
        k_end = T if carry != 0.0 else k_max

        # Consequences: units used by all successful citizens in each calendar year, priced.
        for c in range(n_cons):
            scale = vals[scale_q[c]] * _value(vals, members_q[c], 1.0)
            for k in range(k_end):
                if k < profile_len[c]:
                    effect[k] = vals[profile_q[c, k]] * scale
                elif k > 0:
                    effect[k] = effect[k - 1] * carry
                else:
                    effect[k] = 0.0
            units[:] = 0.0
            for t0 in range(T):
                if completed[t0] == 0.0:
                    continue
                for k in range(min(k_end, T - t0)):
                    units[t0 + k] += active[t0, k] * effect[k]
            for a in range(n_actor):
                if price_q[c, a] < 0:
                    pv_cons[d, c, a] = 0.0
                    continue
                price = cons_coef[c] * vals[price_q[c, a]] * price_share[c, a]
                total = 0.0
                for t in range(T):
                    g = units[t] * price
                    gain[t, a] += g
                    total += g * discount[t]
                    if want_detail:
                        detail_gain[c, t, a] = g
                pv_cons[d, c, a] = total

        # Net result, present values and break-even.
        break_even[d] = np.nan
        cumulative[:] = 0.0
        for a in range(n_actor):
            pv[d, a] = 0.0
            pv_gain[d, a] = 0.0
            pv_cost[d, a] = 0.0
            break_even_actor[d, a] = np.nan
        for t in range(T):
            total = 0.0
            for a in range(n_actor):
                value = gain[t, a] - cost[t, a]
                net[d, t, a] = value
                pv[d, a] += value * discount[t]
                pv_gain[d, a] += gain[t, a] * discount[t]
                pv_cost[d, a] += cost[t, a] * discount[t]
                cumulative[a] += value
                total += cumulative[a]
                if cumulative[a] >= 0.0 and np.isnan(break_even_actor[d, a]):
                    break_even_actor[d, a] = t + 1
                if want_detail:
                    detail_cost[t, a] = cost[t, a]
            if total >= 0.0 and np.isnan(break_even[d]):
                break_even[d] = t + 1
