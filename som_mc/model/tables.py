"""Quantile tables: an input's inverse CDF as a certified interpolant, for fast sampling.

The parameters of an input are the same for every draw of a run, so its quantile function
can be tabulated once and then read for millions of draws. :func:`build_tables` lays, for
each PERT, beta and gamma input (and once, for all normal and lognormal inputs, for the
standard normal), a quintic Hermite interpolant of the standardised quantile ``y(u)`` (the
Beta(a, b) quantile of a PERT, the Gamma(shape, 1) quantile of a gamma, ``z = Φ⁻¹(u)`` of a
normal). On a cell of width ``h`` with ``u = u0 + t h``,

    y(u) ≈ c0 + c1 t + c2 t² + c3 t³ + c4 t⁴ + c5 t⁵,

matching ``y``, ``y' = 1 / f(y)`` and ``y'' = -(f'/f)(y) y'²`` at both ends of the cell
(``f`` the standardised density; the node values are the exact compiled quantiles of
:mod:`som_mc.model.icdf`, the densities its accurate ``beta_pdf`` / ``gamma_pdf``).

Two grids: a **central** one of :data:`CENTRAL_CELLS` equal cells in ``u``, read with one
multiplication, and for the **tails** :data:`LEVELS` dyadic levels on each side (level ``l``
spans ``2^-(l+5) <= w < 2^-(l+4)`` of ``w = u`` or ``w = 1 - u``, in
:data:`CELLS_PER_LEVEL` equal cells, found with ``frexp``), so the cells shrink with the
distance to the end, as the quantile's derivatives grow. A cell is used only if it is
**certified**: when the table is built, the interpolant is compared with the exact quantile
at t = 1/4, 1/2 and 3/4 (the error of a quintic Hermite interpolant is
``t³ (1 - t)³ h⁶ y⁽⁶⁾(ξ) / 720``, largest near the middle; an error of the slopes shows at
the quarter points, where it does not cancel) and kept only if each error is below
:data:`CERTIFY_RTOL` of ``|y|``. Values in no certified cell (beyond 2^-16 of either end, at
shapes whose quantile bends too fast, such as a beta shape of 0.1) take the exact quantile.
So each value is the exact compiled quantile or within about 1e-13 of it relative, 10 times
inside the 1e-12 contract (``tests/test_tables.py``). :func:`ppf_block_tabled` reads a block
tile by tile (rows that fit the cache), column by column.

Why a table and not a library: scipy's quantiles hold the GIL and cost 2-3 µs for a beta;
the compiled exact quantile of :mod:`som_mc.model.icdf` costs about 0.6 µs (an iterative
inverse of the incomplete beta function). A table costs about 10 ns a value and about 10,000
exact quantiles to build (a few milliseconds; tables are cached per process by shapes). The
method is that of UNU.RAN's PINV generator (Derflinger, Hörmann & Leydold 2010, "Random
variate generation by numerical inversion when only the density is known", ACM TOMACS
20(4):18), with Hermite instead of Newton interpolation, grids that give an O(1) lookup, and
an exact fallback instead of an error bound in u.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from som_mc.model.icdf import (
    FAMILY_CODES,
    beta_pdf,
    betaincinv,
    gamma_pdf,
    gammaincinv,
    ndtri,
    ppf_column,
)

__all__ = [
    "CELLS_PER_LEVEL",
    "CENTRAL_CELLS",
    "CERTIFY_RTOL",
    "LEVELS",
    "build_tables",
    "coverage",
    "ppf_block_tabled",
]

#: Levels of each tail and cells of each level: level l spans w in
#: [2^-(l + FIRST_LEVEL + 2), 2^-(l + FIRST_LEVEL + 1)) with w = u on the lower side and
#: w = 1 - u on the upper, so the tails cover 2^-16 <= w < 2^-4 (1.5e-5 from either end);
#: beyond 2^-4 the central grid serves.
LEVELS = 12
FIRST_LEVEL = 3
CELLS_PER_LEVEL = 64
#: A cell is used only where the interpolant is this close to the exact quantile, relative
#: (10 times below the 1e-12 of the contract; the exact quantiles themselves are within
#: 2e-14 of scipy's).
CERTIFY_RTOL = 1e-13
#: Rows of a tile of :func:`ppf_block_tabled`: 128 rows of 419 inputs are 429 KB, in L2.
TILE_ROWS = 128

_PERT, _NORMAL, _LOGNORMAL = FAMILY_CODES["pert"], FAMILY_CODES["normal"], FAMILY_CODES["lognormal"]
_GAMMA, _BETA = FAMILY_CODES["gamma"], FAMILY_CODES["beta"]
# Kinds of standardised quantile a table holds.
_KIND_NORMAL, _KIND_BETA, _KIND_GAMMA = 0, 1, 2
_CHECK_T = np.array([0.25, 0.5, 0.75])
_SQRT_2PI = math.sqrt(2.0 * math.pi)
_HEADER = 3  # a table starts with its central cells, its levels and its cells per level
#: Cells of the central grid, uniform in u, read first (one lookup, no logarithm).
CENTRAL_CELLS = 1024


@njit(nogil=True, error_model="numpy", cache=True)
def _quantile(kind, a, b, u):
    """The exact standardised quantile of a table's kind at ``u``."""
    if kind == _KIND_NORMAL:
        return ndtri(u)
    if kind == _KIND_BETA:
        return betaincinv(a, b, u)
    return gammaincinv(a, u)


@njit(nogil=True, error_model="numpy", cache=True)
def _derivatives(kind, a, b, y):
    """``y'(u) = 1 / f(y)`` and ``y''(u) = -(f'/f)(y) y'(u)²`` of the standardised quantile
    (the densities of :mod:`som_mc.model.icdf`, accurate at large shapes: an error of the
    density is an error of the slopes, which the certification's quarter points see)."""
    if kind == _KIND_NORMAL:
        d = _SQRT_2PI * math.exp(0.5 * y * y)
        return d, y * d * d
    if kind == _KIND_BETA:
        d = 1.0 / beta_pdf(a, b, y)
        dlog_f = (a - 1.0) / y - (b - 1.0) / (1.0 - y)
    else:
        d = 1.0 / gamma_pdf(a, y)
        dlog_f = (a - 1.0) / y - 1.0
    return d, -dlog_f * d * d


@njit(nogil=True, error_model="numpy", cache=True, inline="always")
def _poly(data, base, t):
    """The quintic of the cell whose 6 coefficients start at ``data[base]``, at ``t``."""
    return data[base] + t * (
        data[base + 1]
        + t * (data[base + 2] + t * (data[base + 3] + t * (data[base + 4] + t * data[base + 5])))
    )


@njit(nogil=True, error_model="numpy", cache=True)
def _hermite(coef, y0, y1, d0, d1, s0, s1):
    """The quintic in ``t`` with values ``y0, y1``, slopes ``d0, d1`` and second derivatives
    ``s0, s1`` (in ``t``) at ``t = 0, 1``; False where a derivative is not finite."""
    if not (math.isfinite(d0 + d1) and math.isfinite(s0 + s1)):
        return False
    rest = y1 - y0 - d0 - 0.5 * s0
    slope = d1 - d0 - s0
    bend = s1 - s0
    coef[0] = y0
    coef[1] = d0
    coef[2] = 0.5 * s0
    coef[3] = 10.0 * rest - 4.0 * slope + 0.5 * bend
    coef[4] = -15.0 * rest + 7.0 * slope - bend
    coef[5] = 6.0 * rest - 3.0 * slope + 0.5 * bend
    return True


@njit(nogil=True, error_model="numpy", cache=True)
def _fill(kind, a, b, w0, h, cells, upper, out, check_t):
    """Write the cells of one grid (6 coefficients each) into ``out``; an uncertified cell
    gets NaN as its first coefficient. Returns the number of certified cells.

    Cell ``k`` spans ``w = w0 + (k + t) h``, ``t`` in [0, 1], with ``u = w``, or on the
    ``upper`` side ``u = 1 - w`` (exact in double precision for the dyadic ``w`` of the tails'
    levels), so that there ``dy/dt = -y'(u) h``. A cell whose end has an infinite or
    undefined slope (``u`` = 0 or 1) is not certified.
    """
    sign = -1.0 if upper else 1.0
    y = np.empty(cells + 1)
    d = np.empty(cells + 1)
    s = np.empty(cells + 1)
    for k in range(cells + 1):
        w = w0 + k * h
        y[k] = _quantile(kind, a, b, 1.0 - w if upper else w)
        dy, sy = _derivatives(kind, a, b, y[k])
        d[k] = sign * h * dy
        s[k] = h * h * sy
    coef = np.empty(6)
    certified = 0
    for k in range(cells):
        c = out[6 * k :][:6]
        c[0] = math.nan
        if not _hermite(coef, y[k], y[k + 1], d[k], d[k + 1], s[k], s[k + 1]):
            continue
        ok = True
        for t in check_t:
            w = w0 + (k + t) * h
            exact = _quantile(kind, a, b, 1.0 - w if upper else w)
            if not abs(_poly(coef, 0, t) - exact) <= CERTIFY_RTOL * abs(exact):
                ok = False
                break
        if ok:
            c[:] = coef
            certified += 1
    return certified


def _level_start(level: int) -> float:
    """The smallest ``w`` of tail level ``level``: the level spans ``[w0, 2 w0)``."""
    return 2.0 ** -(level + FIRST_LEVEL + 2)


def _new_table(kind: int, a: float, b: float) -> np.ndarray:
    central = 6 * CENTRAL_CELLS
    table = np.empty(_HEADER + central + 6 * 2 * LEVELS * CELLS_PER_LEVEL)
    table[:_HEADER] = CENTRAL_CELLS, LEVELS, CELLS_PER_LEVEL
    _fill(kind, a, b, 0.0, 1.0 / CENTRAL_CELLS, CENTRAL_CELLS, False, table[_HEADER:], _CHECK_T)
    start = _HEADER + central
    for side in range(2):
        for level in range(LEVELS):
            w0 = _level_start(level)
            cells = table[start : start + 6 * CELLS_PER_LEVEL]
            _fill(kind, a, b, w0, w0 / CELLS_PER_LEVEL, CELLS_PER_LEVEL, side == 1, cells, _CHECK_T)
            start += 6 * CELLS_PER_LEVEL
    return table


def _kind_and_shapes(code: int, params: np.ndarray) -> tuple[int, float, float] | None:
    """The table an input reads (its kind and shapes), or None for the exact path."""
    if code not in (_NORMAL, _LOGNORMAL, _PERT, _BETA, _GAMMA):
        return None
    kind, a, b = _shapes(code, params)
    return int(kind), float(a), float(b)


#: Tables kept per process, by kind and shapes: runs of the same case (a sensitivity
#: analysis, a batch, a course's steps) build each table once. 128 tables are 9.4 MB.
_CACHE: dict[tuple[int, float, float], np.ndarray] = {}
_CACHE_SIZE = 128


def _table(key: tuple[int, float, float]) -> np.ndarray:
    """The table of ``key`` (kind, shapes), from the cache or built (about 2,000 exact
    quantiles: a few milliseconds)."""
    table = _CACHE.pop(key, None)
    if table is None:
        table = _new_table(*key)
        if len(_CACHE) >= _CACHE_SIZE:
            del _CACHE[next(iter(_CACHE))]  # the least recently used
    _CACHE[key] = table
    return table


def build_tables(codes: np.ndarray, params_of: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """The quantile tables of a block's inputs (see the module docstring).

    Parameters
    ----------
    codes : numpy.ndarray of int64
        Family code of each input (:data:`som_mc.model.icdf.FAMILY_CODES`).
    params_of : list of numpy.ndarray
        Each input's packed parameters (:func:`som_mc.model.icdf.pack`).

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        ``table_at`` (int64, one per input): the offset of the input's table in ``data``, or
        -1 for an input sampled by its exact quantile; ``data`` (float64): the tables one
        after the other, each its number of cells ``N`` and then ``6 N`` coefficients.
        Inputs with the same family shapes share a table.

    Examples
    --------
    >>> from som_mc.model.icdf import FAMILY_CODES
    >>> at, data = build_tables(np.array([FAMILY_CODES["normal"], FAMILY_CODES["uniform"]]),
    ...                         [np.array([0.0, 1.0]), np.array([0.0, 1.0])])
    >>> at.tolist(), int(data[0])
    ([0, -1], 1024)
    """
    table_at = np.full(len(codes), -1, dtype=np.int64)
    parts: list[np.ndarray] = []
    offsets: dict[tuple[int, float, float], int] = {}
    size = 0
    for j, (code, params) in enumerate(zip(codes, params_of, strict=True)):
        key = _kind_and_shapes(int(code), params)
        if key is None:
            continue
        if key not in offsets:
            table = _table(key)
            offsets[key] = size
            parts.append(table)
            size += table.size
        table_at[j] = offsets[key]
    data = np.concatenate(parts) if parts else np.zeros(0)
    return table_at, data


def coverage(data: np.ndarray, at: int) -> float:
    """The probability that a uniform ``u`` falls in a certified cell of the table at ``at``
    (the share of values it serves without the exact inverse)."""
    central, levels, cells = (int(v) for v in data[at : at + _HEADER])
    start = at + _HEADER
    ok = np.isfinite(data[start : start + 6 * central : 6])
    mass = ok.mean()
    tails = np.isfinite(data[start + 6 * central : start + 6 * (central + 2 * levels * cells) : 6])
    tails = tails.reshape(2, levels, cells)
    # A tail cell adds what the central grid leaves out there: its own mass where the central
    # cell holding it is not certified.
    for side in range(2):
        for level in range(levels):
            w0 = _level_start(level)
            h = w0 / cells
            for k in range(cells):
                w = w0 + (k + 0.5) * h
                u = w if side == 0 else 1.0 - w
                if tails[side, level, k] and not ok[min(int(u * central), central - 1)]:
                    mass += h
    return float(mass)


@njit(nogil=True, error_model="numpy", cache=True)
def _central(data, at, u, r0, j, y, n):
    """``y[i]`` from the central grid for ``u[r0 + i, j]``, NaN where its cell is not
    certified or ``u`` is outside [0, 1): selects rather than branches, so the loop
    pipelines."""
    central = data[at]
    for i in range(n):
        v = u[r0 + i, j] * central  # exact: central is a power of two
        ok = (v >= 0.0) & (v < central)
        v = v if ok else 0.0
        k = int(v)
        value = _poly(data, at + _HEADER + 6 * k, v - k)  # NaN in an uncertified cell
        y[i] = value if ok else math.nan


@njit(nogil=True, error_model="numpy", cache=True)
def _tail(data, at, q):
    """The standardised quantile at ``0 < q < 1`` from the tails' levels (level
    ``-e - 1 - FIRST_LEVEL`` of ``w = m 2^e``), NaN beyond the last level or in an
    uncertified cell."""
    levels = int(data[at + 1])
    cells = data[at + 2]
    side = 0
    w = q
    if not q < 0.5:
        side = 1
        w = 1.0 - q  # exact for q >= 0.5 (Sterbenz)
    m, e = math.frexp(w)  # w = m 2^e, m in [0.5, 1)
    level = -e - 1 - FIRST_LEVEL
    if level < 0 or level >= levels:
        return math.nan
    pos = (2.0 * m - 1.0) * cells  # exact: cells is a power of two
    k = int(pos)
    base = at + _HEADER + 6 * (int(data[at]) + (side * levels + level) * int(cells) + k)
    return _poly(data, base, pos - k)


@njit(nogil=True, error_model="numpy", cache=True)
def _tabled(kind, a, b, data, at, q):
    """The standardised quantile at one ``q``: the central grid, the tails, or exact."""
    y = _tail(data, at, q)
    if y != y:
        y = _quantile(kind, a, b, q)
    return y


@njit(nogil=True, error_model="numpy", cache=True)
def ppf_block_tabled(codes, param_offsets, params, table_at, data, u, out):
    """Quantiles of a (draws x inputs) block, through the inputs' tables where they have one.

    As :func:`som_mc.model.icdf.ppf_block` (same arguments, plus the tables of
    :func:`build_tables`), but in tiles of :data:`TILE_ROWS` rows, column by column: each
    column of a tile is copied out, looked up in its table's central grid, completed from
    the tails' levels or the exact quantile where the grid has no certified cell, put on the
    input's scale, and copied back. Each value is then the exact compiled quantile or within
    :data:`CERTIFY_RTOL` of it (relative, in the standardised quantile); ``u`` of 0, 1,
    outside [0, 1] or NaN gives what :func:`som_mc.model.icdf.ppf_column` gives.
    """
    n = u.shape[0]
    uu = np.empty(TILE_ROWS)
    y = np.empty(TILE_ROWS)
    edge_rows = np.empty(TILE_ROWS, dtype=np.int64)
    edge_u = np.empty(TILE_ROWS)
    for r0 in range(0, n, TILE_ROWS):
        m = min(n, r0 + TILE_ROWS) - r0
        for j in range(codes.shape[0]):
            code = codes[j]
            p = params[param_offsets[j] : param_offsets[j + 1]]
            at = table_at[j]
            if at < 0:
                for i in range(m):
                    uu[i] = u[r0 + i, j]
                ppf_column(code, p, uu[:m], y[:m])
                for i in range(m):
                    out[r0 + i, j] = y[i]
                continue
            _central(data, at, u, r0, j, y, m)
            edges = _fill_gaps(code, p, data, at, u, r0, j, y, m, edge_rows, edge_u)
            _scale(code, p, y, m, out, r0, j)
            if edges:  # 0, 1, outside [0, 1] or NaN: as ppf_column
                ppf_column(code, p, edge_u[:edges], y[:edges])
                for e in range(edges):
                    out[r0 + edge_rows[e], j] = y[e]


@njit(nogil=True, error_model="numpy", cache=True)
def _fill_gaps(code, p, data, at, u, r0, j, y, n, edge_rows, edge_u):
    """Where the central grid left NaN in ``y``: the tails' levels or the exact quantile for
    ``0 < u < 1``; the rows of ``u`` outside (0, 1) (0, 1, NaN, beyond) are kept apart in
    ``edge_rows`` and ``edge_u`` (``out`` may be ``u`` itself). Returns their number. A
    function of its own, so that the rare fallback does not weigh on the loops around it."""
    edges = 0
    for i in range(n):
        if y[i] != y[i]:
            q = u[r0 + i, j]
            if 0.0 < q < 1.0:
                kind, a, b = _shapes(code, p)
                y[i] = _tabled(kind, a, b, data, at, q)
            else:
                edge_rows[edges] = i
                edge_u[edges] = q
                edges += 1
    return edges


@njit(nogil=True, error_model="numpy", cache=True)
def _shapes(code, p):
    """The kind and shapes of the table of an input of family ``code`` with parameters ``p``."""
    if code == _PERT:
        return _KIND_BETA, p[2], p[3]
    if code == _BETA:
        return _KIND_BETA, p[0], p[1]
    if code == _GAMMA:
        return _KIND_GAMMA, p[0], 1.0
    return _KIND_NORMAL, 0.0, 0.0


@njit(nogil=True, error_model="numpy", cache=True)
def _scale(code, p, y, n, out, r0, j):
    """``out[r0 + i, j]``: the standardised quantiles ``y[:n]`` on the input's scale, as
    ppf_column puts them."""
    if code == _NORMAL:
        for i in range(n):
            out[r0 + i, j] = p[0] + p[1] * y[i]
    elif code == _LOGNORMAL:
        for i in range(n):
            out[r0 + i, j] = math.exp(p[0] + p[1] * y[i])
    elif code == _PERT:
        width = p[1] - p[0]
        for i in range(n):
            out[r0 + i, j] = p[0] + width * y[i]
    elif code == _GAMMA:
        for i in range(n):
            out[r0 + i, j] = p[1] * y[i]
    else:
        for i in range(n):
            out[r0 + i, j] = y[i]
