"""The inputs of a block of draws, in compiled code: design points → copula → inverse CDFs.

:class:`PackedInputs` holds the uncertain inputs' families and parameters as flat arrays
(:func:`som_mc.model.icdf.pack_block`) and the Cholesky factors of their correlation blocks;
:func:`sample_block` maps a block of unit-hypercube points to input values without the GIL,
so the blocks of a run are sampled on every thread at once, and nothing of the whole run's
draws x inputs is ever held: only one block's (4,096 rows) at a time.

The Gaussian copula is the one of :func:`som_mc.model.design.to_inputs`: for the columns of
a correlation block, ``z = Φ⁻¹(u)``, ``z' = L z`` with ``L`` the Cholesky factor of the
block's Pearson matrix, ``u' = Φ(z')`` clipped to ``[1e-15, 1 - 1e-15]``; then each column
goes through its input's inverse CDF: from its quantile table where it has one
(:mod:`som_mc.model.tables`: PERT, beta, gamma, normal, lognormal; within 1e-13 of the exact
quantile), else the exact compiled quantile (:mod:`som_mc.model.icdf`, equal to scipy's to
about 1e-12 relative; the module states the bound of each family).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit

from som_mc.model.icdf import ndtr, ndtri, pack_block
from som_mc.model.tables import build_tables, ppf_block_tabled

__all__ = ["PackedInputs", "pack_inputs", "sample_block"]

# Keeps inverse CDFs finite: the copula's Φ can round to 0 or 1 (as in design.to_inputs).
_EPS = 1e-15


class PackedInputs(NamedTuple):
    """The uncertain inputs of a run as flat arrays (see the module docstring).

    Attributes
    ----------
    codes, offsets, params : ndarray
        Family codes, parameter offsets and packed parameters (:func:`icdf.pack_block`).
    columns, column_offsets : ndarray of int64
        Block ``k`` of the copula binds columns ``columns[column_offsets[k]:column_offsets[k+1]]``.
    chol : ndarray of float64
        The blocks' Cholesky factors, each ``m x m`` row-major, one after the other.
    table_at, tables : ndarray
        The inputs' quantile tables (:func:`som_mc.model.tables.build_tables`).
    """

    codes: np.ndarray
    offsets: np.ndarray
    params: np.ndarray
    columns: np.ndarray
    column_offsets: np.ndarray
    chol: np.ndarray
    table_at: np.ndarray
    tables: np.ndarray


def pack_inputs(dists, correlation=()) -> PackedInputs:
    """Pack the uncertain inputs' distributions and correlation blocks.

    Parameters
    ----------
    dists : sequence of Distribution
        One per design column.
    correlation : sequence of (columns, pearson matrix)
        As in :class:`som_mc.inputs.case.inputs.InputSet`.
    """
    codes, offsets, params = pack_block(list(dists))
    columns = [np.asarray(cols, dtype=np.int64) for cols, _ in correlation]
    chol = [np.linalg.cholesky(np.asarray(p, dtype=np.float64)).ravel() for _, p in correlation]
    column_offsets = np.zeros(len(columns) + 1, dtype=np.int64)
    column_offsets[1:] = np.cumsum([c.size for c in columns])
    table_at, tables = build_tables(
        codes, [params[offsets[j] : offsets[j + 1]] for j in range(codes.size)]
    )
    return PackedInputs(
        codes,
        offsets,
        params,
        np.concatenate(columns) if columns else np.zeros(0, dtype=np.int64),
        column_offsets,
        np.concatenate(chol) if chol else np.zeros(0),
        table_at,
        tables,
    )


def sample_block(u: np.ndarray, packed: PackedInputs, out: np.ndarray | None = None) -> np.ndarray:
    """Input values of the design rows ``u`` (draws x uncertain inputs, in (0, 1)).

    ``u`` is used as scratch space (the copula writes into it); the values are written into
    ``out`` (C-contiguous, the shape of ``u``; it may be ``u`` itself) when given, and
    returned.

    Examples
    --------
    >>> from som_mc.inputs.distributions import Normal, Uniform
    >>> x = sample_block(np.array([[0.5, 0.25]]), pack_inputs([Normal(1.0, 2.0), Uniform(0, 4)]))
    >>> x.tolist()
    [[1.0, 1.0]]
    """
    u = np.ascontiguousarray(u, dtype=np.float64)
    x = np.empty_like(u) if out is None else out
    if u.shape[1]:
        _copula(u, packed.columns, packed.column_offsets, packed.chol)
        ppf_block_tabled(
            packed.codes, packed.offsets, packed.params, packed.table_at, packed.tables, u, x
        )
    return x


@njit(nogil=True, cache=True)
def _copula(u, columns, column_offsets, chol):
    """The Gaussian copula of each correlation block, in place on ``u``."""
    n = u.shape[0]
    start = 0
    for k in range(column_offsets.shape[0] - 1):
        cols = columns[column_offsets[k] : column_offsets[k + 1]]
        m = cols.shape[0]
        L = chol[start : start + m * m].reshape((m, m))
        start += m * m
        z = np.empty(m)
        for i in range(n):
            for j in range(m):
                z[j] = ndtri(u[i, cols[j]])
            for r in range(m):
                s = 0.0
                for j in range(r + 1):
                    s += z[j] * L[r, j]
                u[i, cols[r]] = min(max(ndtr(s), _EPS), 1.0 - _EPS)
