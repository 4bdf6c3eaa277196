"""Small checks of arguments, written once: whole numbers, numbers, seeds, draws, powers of two.

Each check either answers a question (``is_*``) or returns the value as a plain Python number
and raises :class:`~som_mc.errors.InputError` naming the field, the value and what is allowed.
``True`` and ``False`` are ints to Python but never numbers here: a case file's ``true`` is not
a count of draws.
"""

from __future__ import annotations

import secrets

import numpy as np

from som_mc.conventions import BLOCK_SIZE
from som_mc.errors import InputError

__all__ = [
    "block_bounds",
    "draws",
    "is_number",
    "is_whole_number",
    "power_of_two",
    "seed",
    "whole_number",
]


def is_whole_number(value: object) -> bool:
    """Whether ``value`` is a whole number: a Python or numpy integer, but not a bool.

    Parameters
    ----------
    value : object
        Anything.

    Returns
    -------
    bool

    Examples
    --------
    >>> is_whole_number(3), is_whole_number(np.int64(3)), is_whole_number(True)
    (True, True, False)
    >>> is_whole_number(3.0), is_whole_number("3")
    (False, False)
    """
    return isinstance(value, int | np.integer) and not isinstance(value, bool)


def is_number(value: object) -> bool:
    """Whether ``value`` is a real number: a Python or numpy integer or float, but not a bool.

    NaN and infinity are numbers here; callers that need a finite number check that too.

    Parameters
    ----------
    value : object
        Anything.

    Returns
    -------
    bool

    Examples
    --------
    >>> is_number(3), is_number(0.5), is_number(np.float32(0.5)), is_number(True)
    (True, True, True, False)
    >>> is_number("0.5"), is_number(None)
    (False, False)
    """
    return isinstance(value, int | float | np.integer | np.floating) and not isinstance(value, bool)


def whole_number(
    value: object, field: str, *, minimum: int | None = None, file: str | None = None
) -> int:
    """``value`` as an int, if it is a whole number (not a bool) of at least ``minimum``.

    Parameters
    ----------
    value : object
        The value the user gave.
    field : str
        Name of the field or argument, for the error.
    minimum : int, optional
        The smallest value allowed; without it any whole number is.
    file : str, optional
        The file the value came from, for the error.

    Returns
    -------
    int

    Raises
    ------
    InputError
        ``"<value> is not allowed; <field> is a whole number >= <minimum>"``.

    Examples
    --------
    >>> whole_number(np.int64(5), "draws", minimum=1)
    5
    >>> whole_number(0, "draws", minimum=1)
    Traceback (most recent call last):
    ...
    som_mc.errors.InputError: draws: 0 is not allowed; draws is a whole number >= 1
    """
    if not is_whole_number(value) or (minimum is not None and value < minimum):
        allowed = f"{field} is a whole number" + (f" >= {minimum}" if minimum is not None else "")
        raise InputError(field, f"{value!r} is not allowed; {allowed}", file=file)
    return int(value)


def draws(value: object) -> int:
    """A number of draws: a whole number >= 1, as an int.

    Parameters
    ----------
    value : object
        The number of draws the user asked for.

    Returns
    -------
    int

    Raises
    ------
    InputError
        Field ``draws``: ``"<value> is not allowed; draws is a whole number >= 1"``.

    Examples
    --------
    >>> draws(10_000)
    10000
    """
    return whole_number(value, "draws", minimum=1)


def seed(value: object) -> int:
    """A seed: a whole number >= 0, as an int; ``None`` draws a fresh 63-bit seed.

    A run records the seed it used, so a run without one can still be repeated.

    Parameters
    ----------
    value : int or None
        The seed the user gave, or None for a random one (:func:`secrets.randbits`).

    Returns
    -------
    int

    Raises
    ------
    InputError
        Field ``seed``: ``"<value> is not allowed; a seed is a whole number >= 0"``.

    Examples
    --------
    >>> seed(7)
    7
    >>> 0 <= seed(None) < 2**63
    True
    >>> seed(-1)
    Traceback (most recent call last):
    ...
    som_mc.errors.InputError: seed: -1 is not allowed; a seed is a whole number >= 0
    """
    if value is None:
        return secrets.randbits(63)
    if not is_whole_number(value) or value < 0:
        raise InputError("seed", f"{value!r} is not allowed; a seed is a whole number >= 0")
    return int(value)


def confidence_level(value: float, field: str = "confidence") -> float:
    """``value`` as a float, if it is a confidence level strictly between 0 and 1.

    Raises
    ------
    InputError
        Naming ``field``, when ``value`` is not in (0, 1).

    Examples
    --------
    >>> confidence_level(0.95)
    0.95
    """
    if not 0 < value < 1:
        raise InputError(field, f"{value} is outside (0, 1); use e.g. 0.95")
    return float(value)


def power_of_two(n: object, field: str) -> int:
    """``n`` as an int, if it is a power of 2 (1, 2, 4, ...), as Sobol' points need.

    Parameters
    ----------
    n : object
        The number the user gave (a number of draws or of base samples).
    field : str
        Name of the field or argument, for the error.

    Returns
    -------
    int

    Raises
    ------
    InputError
        If ``n`` is not a whole number >= 1 (see :func:`whole_number`), or not a power of 2;
        the message suggests the powers of 2 on either side of it.

    Examples
    --------
    >>> power_of_two(1024, "draws")
    1024
    >>> power_of_two(1000, "draws")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    som_mc.errors.InputError: draws: 1000 is not a power of 2, ...; use 512 or 1024
    """
    number = whole_number(n, field, minimum=1)
    if number & (number - 1):
        lower = 1 << (number.bit_length() - 1)
        raise InputError(
            field,
            f"{number} is not a power of 2, which Sobol' points need for their balance; "
            f"use {lower} or {2 * lower}",
        )
    return number


def block_bounds(b: int, draws: int, block_size: int = BLOCK_SIZE) -> tuple[int, int]:
    """The draws of block ``b``: rows ``lo`` to ``hi`` (not included) of a run of ``draws``.

    Block ``b`` is always draws ``b * block_size`` to ``(b + 1) * block_size``; the last block
    of a run stops at ``draws``.

    Parameters
    ----------
    b : int
        Index of the block, from 0.
    draws : int
        Draws in the run.
    block_size : int, default :data:`~som_mc.conventions.BLOCK_SIZE`
        Draws per block.

    Returns
    -------
    tuple of int
        ``(lo, hi)``, for ``values[lo:hi]``.

    Examples
    --------
    >>> block_bounds(0, 10_000), block_bounds(2, 10_000)
    ((0, 4096), (8192, 10000))
    """
    lo = b * block_size
    return lo, min(lo + block_size, draws)
