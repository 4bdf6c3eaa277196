"""Input distributions for the Monte Carlo model, and their TOML spelling.

Analysts write an uncertain input in a case file either as a plain number (a fixed value) or
as an inline table naming a family and its parameters::

    rate = 0.14
    rate = { dist = "pert", min = 0.05, mode = 0.14, max = 0.25 }
    cost = { dist = "lognormal", ci95 = [80_000, 140_000] }
    rate = { dist = "beta", k = 12, n = 40 }

:func:`from_spec` turns either form into a :class:`Distribution`. Every family samples by
inversion (``ppf`` of uniform numbers), which keeps Latin hypercube and common-random-number
designs possible, and gives closed-form ``mean`` and ``var``.

Families and their TOML keys (every parameterisation of a family is listed; give exactly one):

===============  =====================================================================
``fixed``        ``value``
``uniform``      ``min``, ``max``
``triangular``   ``min``, ``mode``, ``max``
``pert``         ``min``, ``mode``, ``max``, optional ``lambda`` (default 4)
``normal``       ``mean``, ``sd`` | ``ci95 = [lo, hi]``
``truncnormal``  ``mean``, ``sd`` (of the parent normal), ``min`` and/or ``max``
``lognormal``    ``mean``, ``sd`` | ``ci95 = [lo, hi]`` | ``mu``, ``sigma`` (log scale)
``gamma``        ``mean``, ``sd`` | ``shape``, ``scale`` | ``ci95 = [lo, hi]``
``beta``         ``alpha``, ``beta`` | ``mean``, ``sd`` | ``k``, ``n``, optional ``prior``
                 | ``ci95 = [lo, hi]``
===============  =====================================================================

A table may also carry ``name``, ``preset``, ``source``, ``note`` and ``illustrative``; they
belong to the case loader and :func:`from_spec` ignores them.

Errors a user can cause are :class:`~som_mc.errors.InputError` with a one-line message that
names the offending value and what is allowed. Constructors called directly from Python raise
them with an empty field; :func:`from_spec` puts the field it was given in front.
"""

from __future__ import annotations

import math
import numbers
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
from numpy.typing import ArrayLike
from scipy import special

from som_mc.errors import InputError

__all__ = [
    "FAMILIES",
    "PERT",
    "Beta",
    "Choice",
    "Distribution",
    "Fixed",
    "Gamma",
    "LogNormal",
    "Normal",
    "Triangular",
    "TruncNormal",
    "Uniform",
    "finite_number",
    "from_spec",
]

#: Standard normal 97.5 % quantile, the half-width of a 95 % interval in standard deviations.
Z95 = float(special.ndtri(0.975))

#: Keys the case loader uses on a distribution table; :func:`from_spec` skips them.
META_KEYS = ("name", "preset", "source", "note", "illustrative")

_BETA_PRIORS = {"uniform": 1.0, "jeffreys": 0.5}

# Shape range searched when matching a gamma to a ci95. Below 0.01 the 2.5 % quantile
# underflows towards 1e-160; above 1e10 the interval is narrower than 4e-5 relative.
_GAMMA_SHAPE_RANGE = (0.01, 1e10)


# --------------------------------------------------------------------------------------------
# Formatting and validation helpers
# --------------------------------------------------------------------------------------------


def _show(value: Any) -> str:
    """Show a user's value the way they would recognise it from TOML, on one line."""
    if isinstance(value, bool | np.bool_):
        return "true" if value else "false"
    if isinstance(value, str):
        text = value if len(value) <= 40 else value[:37] + "..."
        return repr(text)
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        return f"{float(value):.12g}"
    if isinstance(value, Mapping):
        return "a table"
    if isinstance(value, list | tuple):
        text = "[" + ", ".join(_show(v) for v in value) + "]"
        return text if len(text) <= 60 else text[:57] + "..."
    text = " ".join(repr(value).split())
    return text if len(text) <= 40 else text[:37] + "..."


def _fmt(x: float) -> str:
    """Short number for :meth:`Distribution.describe`."""
    return f"{x:.6g}"


def _fail(message: str) -> InputError:
    # The field is filled in by from_spec, which knows where in the case the value sits.
    return InputError("", message)


def finite_number(value: Any, key: str) -> float:
    """Return ``value`` as a finite float, or raise an InputError naming ``key``."""
    # TOML ``true`` arrives as a Python bool, which is an int subclass: not a number here.
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Real):
        raise _fail(f"{key} {_show(value)} is not a number")
    x = float(value)
    if not math.isfinite(x):
        raise _fail(f"{key} {_show(value)} is not a finite number")
    return x


_num = finite_number


def _positive(value: Any, key: str) -> float:
    x = _num(value, key)
    if not x > 0:
        raise _fail(f"{key} is {_show(x)}; it must be > 0")
    return x


def _ordered(lo: float, hi: float, lo_key: str = "min", hi_key: str = "max") -> None:
    if lo > hi:
        raise _fail(f"{lo_key} {_show(lo)} is above {hi_key} {_show(hi)}")
    if lo == hi:
        raise _fail(
            f"{lo_key} {_show(lo)} equals {hi_key} {_show(hi)}; "
            f"for a single value write the plain number {_show(lo)}"
        )


def _ci95(lo: Any, hi: Any, family: str, *, lower: float = -math.inf, upper: float = math.inf):
    """Validate a 95 % interval ``[lo, hi]`` that must lie strictly inside (lower, upper)."""
    lo_f = _num(lo, "ci95 lo")
    hi_f = _num(hi, "ci95 hi")
    if not lo_f < hi_f:
        raise _fail(
            f"ci95 [{_show(lo_f)}, {_show(hi_f)}] is not increasing; write [lo, hi] with lo < hi"
        )
    if not (lower < lo_f and hi_f < upper):
        lower_s = _show(lower) if math.isfinite(lower) else "-inf"
        upper_s = _show(upper) if math.isfinite(upper) else "inf"
        raise _fail(
            f"{family} ci95 [{_show(lo_f)}, {_show(hi_f)}] is outside ({lower_s}, {upper_s})"
        )
    return lo_f, hi_f


def _pair(value: Any, key: str) -> tuple[Any, Any]:
    if isinstance(value, list | tuple) and len(value) == 2:
        return value[0], value[1]
    raise _fail(f"{key} must be a list [lo, hi] of two numbers; got {_show(value)}")


def _whole(value: Any, key: str) -> int:
    x = _num(value, key)
    if not x.is_integer():
        raise _fail(f"{key} {_show(value)} is not a whole number")
    if x < 0:
        raise _fail(f"{key} is {_show(value)}; it must be >= 0")
    return int(x)


@dataclass(frozen=True)
class _Form:
    """One parameterisation of a family as written in TOML."""

    required: tuple[str, ...]
    optional: tuple[str, ...]
    build: Callable[[dict[str, Any]], Distribution]
    text: str


# --------------------------------------------------------------------------------------------
# Base class
# --------------------------------------------------------------------------------------------


class Distribution(ABC):
    """A univariate input distribution, sampled by inversion.

    Subclasses are frozen dataclasses whose fields are the canonical parameters.

    Attributes
    ----------
    family : str
        The name used after ``dist =`` in TOML.
    """

    family: ClassVar[str]
    label: ClassVar[str]
    forms: ClassVar[tuple[_Form, ...]]

    @abstractmethod
    def _ppf(self, q: np.ndarray) -> np.ndarray:
        """Quantile function for ``q`` strictly inside (0, 1); ends are handled by ``ppf``."""

    @abstractmethod
    def mean(self) -> float:
        """Expected value, in closed form."""

    @abstractmethod
    def var(self) -> float:
        """Variance, in closed form."""

    @abstractmethod
    def support(self) -> tuple[float, float]:
        """Smallest and largest possible value (may be infinite)."""

    @abstractmethod
    def params(self) -> dict[str, float]:
        """Canonical parameters under their TOML keys; ``from_spec`` accepts them back."""

    def ppf(self, q: ArrayLike) -> np.ndarray:
        """Quantile function (inverse CDF), vectorised.

        Parameters
        ----------
        q : array_like
            Probabilities in [0, 1]; broadcasts like any numpy argument.

        Returns
        -------
        numpy.ndarray
            Quantiles with the shape of ``q`` (0-d for a scalar). ``ppf(0)`` and ``ppf(1)``
            are the ends of :meth:`support`; ``q`` outside [0, 1] gives NaN.
        """
        q = np.asarray(q, dtype=float)
        lo, hi = self.support()
        with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
            x = np.asarray(self._ppf(q), dtype=float)
        # Closed forms are only exact up to rounding at the ends; pin them to the support so
        # ppf(0) and ppf(1) are exactly min and max.
        x = np.where(q <= 0.0, lo, np.where(q >= 1.0, hi, x))
        bad = (q < 0.0) | (q > 1.0)
        if bad.any():
            x = np.where(bad, np.nan, x)
        return x

    def rvs(self, size: int | tuple[int, ...], rng: np.random.Generator) -> np.ndarray:
        """Draw ``size`` values as ``ppf(rng.random(size))``.

        Every family, :class:`Fixed` included, consumes exactly ``size`` uniforms, so
        changing one input's family does not shift the random stream of the others.
        """
        return self.ppf(rng.random(size))

    def sd(self) -> float:
        """Standard deviation, ``sqrt(var())``."""
        return math.sqrt(self.var())

    def central(self) -> float:
        """The value used for a deterministic (single-point) run: the mean."""
        return self.mean()

    @property
    def is_fixed(self) -> bool:
        """True only for :class:`Fixed`."""
        return False

    def describe(self) -> str:
        """Short human text, for example ``"PERT(min=0.05, mode=0.14, max=0.25)"``."""
        inner = ", ".join(f"{k}={_fmt(v)}" for k, v in self.params().items())
        return f"{self.label}({inner})"


# --------------------------------------------------------------------------------------------
# Families
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fixed(Distribution):
    """A known value: every draw is ``value``.

    Parameters
    ----------
    value : float
    """

    value: float

    family: ClassVar[str] = "fixed"
    label: ClassVar[str] = "Fixed"

    def __post_init__(self) -> None:
        object.__setattr__(self, "value", _num(self.value, "value"))

    def _ppf(self, q: np.ndarray) -> np.ndarray:
        return np.full(q.shape, self.value)

    def mean(self) -> float:
        return self.value

    def var(self) -> float:
        return 0.0

    def support(self) -> tuple[float, float]:
        return (self.value, self.value)

    def params(self) -> dict[str, float]:
        return {"value": self.value}

    @property
    def is_fixed(self) -> bool:
        return True


@dataclass(frozen=True)
class Uniform(Distribution):
    """Uniform on [``min``, ``max``].

    Parameters
    ----------
    min, max : float
        Bounds, ``min < max``.
    """

    min: float
    max: float

    family: ClassVar[str] = "uniform"
    label: ClassVar[str] = "Uniform"

    def __post_init__(self) -> None:
        lo, hi = _num(self.min, "min"), _num(self.max, "max")
        _ordered(lo, hi)
        object.__setattr__(self, "min", lo)
        object.__setattr__(self, "max", hi)

    def _ppf(self, q: np.ndarray) -> np.ndarray:
        return self.min + (self.max - self.min) * q

    def mean(self) -> float:
        return 0.5 * (self.min + self.max)

    def var(self) -> float:
        return (self.max - self.min) ** 2 / 12.0

    def support(self) -> tuple[float, float]:
        return (self.min, self.max)

    def params(self) -> dict[str, float]:
        return {"min": self.min, "max": self.max}


def _min_mode_max(lo: Any, mode: Any, hi: Any) -> tuple[float, float, float]:
    lo_f, mode_f, hi_f = _num(lo, "min"), _num(mode, "mode"), _num(hi, "max")
    _ordered(lo_f, hi_f)
    if not lo_f <= mode_f <= hi_f:
        raise _fail(f"mode {_show(mode_f)} is outside [min {_show(lo_f)}, max {_show(hi_f)}]")
    return lo_f, mode_f, hi_f


@dataclass(frozen=True)
class Triangular(Distribution):
    """Triangular distribution on [``min``, ``max``] peaking at ``mode``.

    Parameters
    ----------
    min, mode, max : float
        ``min <= mode <= max`` and ``min < max``.
    """

    min: float
    mode: float
    max: float

    family: ClassVar[str] = "triangular"
    label: ClassVar[str] = "Triangular"

    def __post_init__(self) -> None:
        lo, mode, hi = _min_mode_max(self.min, self.mode, self.max)
        object.__setattr__(self, "min", lo)
        object.__setattr__(self, "mode", mode)
        object.__setattr__(self, "max", hi)

    def _ppf(self, q: np.ndarray) -> np.ndarray:
        a, c, b = self.min, self.mode, self.max
        width = b - a
        split = (c - a) / width
        left = a + np.sqrt(q * width * (c - a))
        right = b - np.sqrt((1.0 - q) * width * (b - c))
        return np.where(q < split, left, right)

    def mean(self) -> float:
        return (self.min + self.mode + self.max) / 3.0

    def var(self) -> float:
        a, c, b = self.min, self.mode, self.max
        return (a * a + b * b + c * c - a * b - a * c - b * c) / 18.0

    def support(self) -> tuple[float, float]:
        return (self.min, self.max)

    def params(self) -> dict[str, float]:
        return {"min": self.min, "mode": self.mode, "max": self.max}


@dataclass(frozen=True)
class PERT(Distribution):
    """Beta-PERT distribution (Vose 2008, *Risk Analysis*, 3rd ed., sec. 9.1.4).

    A beta distribution scaled to [``min``, ``max``] with
    ``alpha = 1 + lam (mode - min) / (max - min)`` and
    ``beta = 1 + lam (max - mode) / (max - min)``, so that its mean is
    ``(min + lam mode + max) / (lam + 2)``.

    Parameters
    ----------
    min, mode, max : float
        ``min <= mode <= max`` and ``min < max``.
    lam : float, default 4
        Weight of the mode (TOML key ``lambda``); 4 is the classic PERT choice.
    """

    min: float
    mode: float
    max: float
    lam: float = 4.0

    family: ClassVar[str] = "pert"
    label: ClassVar[str] = "PERT"

    def __post_init__(self) -> None:
        lo, mode, hi = _min_mode_max(self.min, self.mode, self.max)
        object.__setattr__(self, "min", lo)
        object.__setattr__(self, "mode", mode)
        object.__setattr__(self, "max", hi)
        object.__setattr__(self, "lam", _positive(self.lam, "lambda"))

    @property
    def alpha(self) -> float:
        """First shape parameter of the underlying beta."""
        return 1.0 + self.lam * (self.mode - self.min) / (self.max - self.min)

    @property
    def beta(self) -> float:
        """Second shape parameter of the underlying beta."""
        return 1.0 + self.lam * (self.max - self.mode) / (self.max - self.min)

    def _ppf(self, q: np.ndarray) -> np.ndarray:
        y = special.betaincinv(self.alpha, self.beta, q)
        return self.min + (self.max - self.min) * y

    def mean(self) -> float:
        return (self.min + self.lam * self.mode + self.max) / (self.lam + 2.0)

    def var(self) -> float:
        a, b = self.alpha, self.beta
        return (self.max - self.min) ** 2 * a * b / ((a + b) ** 2 * (a + b + 1.0))

    def support(self) -> tuple[float, float]:
        return (self.min, self.max)

    def params(self) -> dict[str, float]:
        return {"min": self.min, "mode": self.mode, "max": self.max, "lambda": self.lam}

    def describe(self) -> str:
        text = f"PERT(min={_fmt(self.min)}, mode={_fmt(self.mode)}, max={_fmt(self.max)}"
        return text + (")" if self.lam == 4.0 else f", lambda={_fmt(self.lam)})")


@dataclass(frozen=True)
class Normal(Distribution):
    """Normal distribution.

    Parameters
    ----------
    mu : float
        Mean (TOML key ``mean``).
    sigma : float
        Standard deviation, > 0 (TOML key ``sd``).
    """

    mu: float
    sigma: float

    family: ClassVar[str] = "normal"
    label: ClassVar[str] = "Normal"

    def __post_init__(self) -> None:
        object.__setattr__(self, "mu", _num(self.mu, "mean"))
        object.__setattr__(self, "sigma", _positive(self.sigma, "sd"))

    @classmethod
    def from_mean_sd(cls, mean: float, sd: float) -> Normal:
        """Same as ``Normal(mean, sd)``."""
        return cls(mean, sd)

    @classmethod
    def from_ci95(cls, lo: float, hi: float) -> Normal:
        """Normal whose central 95 % interval is [``lo``, ``hi``].

        ``mean = (lo + hi) / 2`` and ``sd = (hi - lo) / (2 z)`` with ``z = ndtri(0.975)``.
        """
        lo_f, hi_f = _ci95(lo, hi, "normal")
        return cls(0.5 * (lo_f + hi_f), (hi_f - lo_f) / (2.0 * Z95))

    def _ppf(self, q: np.ndarray) -> np.ndarray:
        return self.mu + self.sigma * special.ndtri(q)

    def mean(self) -> float:
        return self.mu

    def var(self) -> float:
        return self.sigma**2

    def support(self) -> tuple[float, float]:
        return (-math.inf, math.inf)

    def params(self) -> dict[str, float]:
        return {"mean": self.mu, "sd": self.sigma}


def _log_gauss_mass(a: float, b: float) -> float:
    """``log(Phi(b) - Phi(a))`` for ``a < b``, accurate far in either tail."""
    if b <= 0.0:
        lb, la = special.log_ndtr(b), special.log_ndtr(a)
        return float(lb + np.log1p(-np.exp(la - lb)))
    if a >= 0.0:
        # Mirror into the left tail, where log_ndtr keeps its relative precision.
        return _log_gauss_mass(-b, -a)
    return float(np.log1p(-special.ndtr(a) - special.ndtr(-b)))


def _log_phi(x: float) -> float:
    """Log of the standard normal density; ``-inf`` at infinite ``x``."""
    return -0.5 * x * x - 0.5 * math.log(2.0 * math.pi) if math.isfinite(x) else -math.inf


@dataclass(frozen=True)
class TruncNormal(Distribution):
    """Normal distribution truncated to [``min``, ``max``].

    ``mean`` and ``sd`` are those of the *parent* (untruncated) normal, not of the truncated
    variable; :meth:`mean` and :meth:`var` give the truncated moments. Either bound may be
    left infinite (omitted in TOML), but not both.

    Parameters
    ----------
    mu, sigma : float
        Mean and standard deviation of the parent normal (TOML keys ``mean`` and ``sd``),
        ``sigma > 0``.
    min, max : float, optional
        Truncation bounds, default ``-inf`` and ``inf``.

    Notes
    -----
    The quantile works in log space on the tail nearer to each result (``log_ndtr`` and
    ``ndtri_exp``), so truncations many standard deviations out keep full precision.
    """

    mu: float
    sigma: float
    min: float = -math.inf
    max: float = math.inf

    family: ClassVar[str] = "truncnormal"
    label: ClassVar[str] = "TruncNormal"

    def __post_init__(self) -> None:
        object.__setattr__(self, "mu", _num(self.mu, "mean"))
        object.__setattr__(self, "sigma", _positive(self.sigma, "sd"))
        lo = -math.inf if self.min == -math.inf else _num(self.min, "min")
        hi = math.inf if self.max == math.inf else _num(self.max, "max")
        if lo == -math.inf and hi == math.inf:
            raise _fail("truncnormal needs min, max or both; without bounds use normal")
        _ordered(lo, hi)
        object.__setattr__(self, "min", lo)
        object.__setattr__(self, "max", hi)

    @property
    def a(self) -> float:
        """Lower bound in parent standard deviations from the parent mean."""
        return (self.min - self.mu) / self.sigma

    @property
    def b(self) -> float:
        """Upper bound in parent standard deviations from the parent mean."""
        return (self.max - self.mu) / self.sigma

    def _ppf(self, q: np.ndarray) -> np.ndarray:
        a, b = self.a, self.b
        log_mass = _log_gauss_mass(a, b)

        def from_left(q: np.ndarray) -> np.ndarray:
            return special.ndtri_exp(np.logaddexp(special.log_ndtr(a), np.log(q) + log_mass))

        def from_right(q: np.ndarray) -> np.ndarray:
            log_p = np.logaddexp(special.log_ndtr(-b), np.log1p(-q) + log_mass)
            return -special.ndtri_exp(log_p)

        if a >= 0.0:
            z = from_right(q)
        elif b <= 0.0:
            z = from_left(q)
        else:
            # Bounds straddle the parent mean: work from whichever tail the answer lies in.
            q_mid = (0.5 - special.ndtr(a)) / (special.ndtr(b) - special.ndtr(a))
            z = np.where(q < q_mid, from_left(q), from_right(q))
        return self.mu + self.sigma * np.clip(z, a, b)

    def _ratios(self) -> tuple[float, float]:
        """``phi(a) / Z`` and ``phi(b) / Z`` with ``Z = Phi(b) - Phi(a)``, in log space."""
        log_mass = _log_gauss_mass(self.a, self.b)
        return math.exp(_log_phi(self.a) - log_mass), math.exp(_log_phi(self.b) - log_mass)

    def mean(self) -> float:
        ra, rb = self._ratios()
        return self.mu + self.sigma * (ra - rb)

    def var(self) -> float:
        ra, rb = self._ratios()
        # a * phi(a) vanishes at an infinite bound; avoid inf * 0.
        ta = self.a * ra if ra > 0.0 else 0.0
        tb = self.b * rb if rb > 0.0 else 0.0
        return self.sigma**2 * (1.0 + ta - tb - (ra - rb) ** 2)

    def support(self) -> tuple[float, float]:
        return (self.min, self.max)

    def params(self) -> dict[str, float]:
        out = {"mean": self.mu, "sd": self.sigma}
        if math.isfinite(self.min):
            out["min"] = self.min
        if math.isfinite(self.max):
            out["max"] = self.max
        return out


@dataclass(frozen=True)
class LogNormal(Distribution):
    """Log-normal distribution: ``log X ~ Normal(mu, sigma)``.

    Parameters
    ----------
    mu, sigma : float
        Mean and standard deviation of ``log X``; ``sigma > 0``.
    """

    mu: float
    sigma: float

    family: ClassVar[str] = "lognormal"
    label: ClassVar[str] = "LogNormal"

    def __post_init__(self) -> None:
        object.__setattr__(self, "mu", _num(self.mu, "mu"))
        object.__setattr__(self, "sigma", _positive(self.sigma, "sigma"))

    @classmethod
    def from_mean_sd(cls, mean: float, sd: float) -> LogNormal:
        """Log-normal with the given mean and sd of the variable itself (not of its log).

        ``sigma^2 = log(1 + (sd / mean)^2)`` and ``mu = log(mean) - sigma^2 / 2``.
        """
        m = _num(mean, "mean")
        if not m > 0:
            raise _fail(f"lognormal mean is {_show(m)}; it must be > 0")
        s = _positive(sd, "sd")
        sigma2 = math.log1p((s / m) ** 2)
        return cls(math.log(m) - 0.5 * sigma2, math.sqrt(sigma2))

    @classmethod
    def from_ci95(cls, lo: float, hi: float) -> LogNormal:
        """Log-normal whose central 95 % interval is [``lo``, ``hi``], ``0 < lo < hi``.

        The interval is symmetric on the log scale: ``mu = (log lo + log hi) / 2`` and
        ``sigma = (log hi - log lo) / (2 z)``; the median is ``sqrt(lo hi)``.
        """
        lo_f, hi_f = _ci95(lo, hi, "lognormal", lower=0.0)
        log_lo, log_hi = math.log(lo_f), math.log(hi_f)
        return cls(0.5 * (log_lo + log_hi), (log_hi - log_lo) / (2.0 * Z95))

    def _ppf(self, q: np.ndarray) -> np.ndarray:
        return np.exp(self.mu + self.sigma * special.ndtri(q))

    def mean(self) -> float:
        return math.exp(self.mu + 0.5 * self.sigma**2)

    def var(self) -> float:
        s2 = self.sigma**2
        return math.expm1(s2) * math.exp(2.0 * self.mu + s2)

    def support(self) -> tuple[float, float]:
        return (0.0, math.inf)

    def params(self) -> dict[str, float]:
        return {"mu": self.mu, "sigma": self.sigma}


@dataclass(frozen=True)
class Gamma(Distribution):
    """Gamma distribution with ``shape`` k and ``scale`` theta (mean ``k theta``).

    Parameters
    ----------
    shape, scale : float
        Both > 0.
    """

    shape: float
    scale: float

    family: ClassVar[str] = "gamma"
    label: ClassVar[str] = "Gamma"

    def __post_init__(self) -> None:
        object.__setattr__(self, "shape", _positive(self.shape, "shape"))
        object.__setattr__(self, "scale", _positive(self.scale, "scale"))

    @classmethod
    def from_mean_sd(cls, mean: float, sd: float) -> Gamma:
        """Gamma with the given mean and sd: ``shape = (mean/sd)^2``, ``scale = sd^2/mean``."""
        m = _num(mean, "mean")
        if not m > 0:
            raise _fail(f"gamma mean is {_show(m)}; it must be > 0")
        s = _positive(sd, "sd")
        return cls((m / s) ** 2, s * s / m)

    @classmethod
    def from_ci95(cls, lo: float, hi: float) -> Gamma:
        """Gamma whose 2.5 % and 97.5 % quantiles are ``lo`` and ``hi``, ``0 < lo < hi``.

        The quantile ratio ``hi / lo`` depends on the shape only and falls monotonically
        with it, so the shape is found by a bracketed root search and the scale follows.
        """
        lo_f, hi_f = _ci95(lo, hi, "gamma", lower=0.0)
        target = math.log(hi_f / lo_f)

        def excess(log_shape: float) -> float:
            k = math.exp(log_shape)
            return math.log(special.gammaincinv(k, 0.975) / special.gammaincinv(k, 0.025)) - target

        k_lo, k_hi = _GAMMA_SHAPE_RANGE
        f_lo, f_hi = excess(math.log(k_lo)), excess(math.log(k_hi))
        if not (f_lo > 0.0 > f_hi):
            r_max, r_min = math.exp(f_lo + target), math.exp(f_hi + target)
            raise _fail(
                f"no gamma distribution has ci95 [{_show(lo_f)}, {_show(hi_f)}]: hi/lo is "
                f"{_show(hi_f / lo_f)}, it must be between {r_min:.6g} and {r_max:.6g}"
                " (for a very narrow interval use normal)"
            )
        from scipy import optimize  # imported when a fit needs it: 0.3 s at start-up

        log_k = optimize.brentq(excess, math.log(k_lo), math.log(k_hi), xtol=1e-14, rtol=1e-15)
        k = math.exp(log_k)
        return cls(k, lo_f / float(special.gammaincinv(k, 0.025)))

    def _ppf(self, q: np.ndarray) -> np.ndarray:
        return self.scale * special.gammaincinv(self.shape, q)

    def mean(self) -> float:
        return self.shape * self.scale

    def var(self) -> float:
        return self.shape * self.scale**2

    def support(self) -> tuple[float, float]:
        return (0.0, math.inf)

    def params(self) -> dict[str, float]:
        return {"shape": self.shape, "scale": self.scale}


@dataclass(frozen=True)
class Beta(Distribution):
    """Beta distribution on [0, 1], for rates and probabilities.

    Parameters
    ----------
    alpha, beta : float
        Shape parameters, both > 0.

    Notes
    -----
    :meth:`from_successes` gives the posterior of a rate after ``k`` successes in ``n``
    trials under a conjugate prior (Gelman et al. 2013, *Bayesian Data Analysis*, 3rd ed.,
    ch. 2): ``Beta(k + 1, n - k + 1)`` under the uniform prior ``Beta(1, 1)``, and
    ``Beta(k + 0.5, n - k + 0.5)`` under the Jeffreys prior ``Beta(0.5, 0.5)``.
    """

    alpha: float
    beta: float

    family: ClassVar[str] = "beta"
    label: ClassVar[str] = "Beta"

    def __post_init__(self) -> None:
        object.__setattr__(self, "alpha", _positive(self.alpha, "alpha"))
        object.__setattr__(self, "beta", _positive(self.beta, "beta"))

    @classmethod
    def from_mean_sd(cls, mean: float, sd: float) -> Beta:
        """Beta by the method of moments; needs ``0 < mean < 1`` and ``sd^2 < mean (1 - mean)``.

        ``nu = mean (1 - mean) / sd^2 - 1``, ``alpha = mean nu``, ``beta = (1 - mean) nu``.
        """
        m = _num(mean, "mean")
        if not 0.0 < m < 1.0:
            raise _fail(f"beta mean {_show(m)} is outside (0, 1)")
        s = _positive(sd, "sd")
        limit = m * (1.0 - m)
        if not s * s < limit:
            raise _fail(
                f"beta sd {_show(s)} is too large for mean {_show(m)}; "
                f"it must be below sqrt(mean (1 - mean)) = {math.sqrt(limit):.6g}"
            )
        nu = limit / (s * s) - 1.0
        return cls(m * nu, (1.0 - m) * nu)

    @classmethod
    def from_successes(cls, k: int, n: int, prior: str = "uniform") -> Beta:
        """Posterior of a rate after ``k`` successes out of ``n`` trials.

        Parameters
        ----------
        k, n : int
            Whole numbers with ``0 <= k <= n`` and ``n >= 1``.
        prior : {"uniform", "jeffreys"}
            ``"uniform"`` gives ``Beta(k + 1, n - k + 1)``; ``"jeffreys"`` gives
            ``Beta(k + 0.5, n - k + 0.5)`` (Gelman et al., BDA3, ch. 2).
        """
        k_i, n_i = _whole(k, "k"), _whole(n, "n")
        if n_i < 1:
            raise _fail(f"n is {n_i}; it must be at least 1")
        if k_i > n_i:
            raise _fail(f"k {k_i} is above n {n_i}")
        if not isinstance(prior, str) or prior not in _BETA_PRIORS:
            raise _fail(f"prior {_show(prior)} is not allowed; allowed: uniform, jeffreys")
        p = _BETA_PRIORS[prior]
        return cls(k_i + p, n_i - k_i + p)

    @classmethod
    def from_ci95(cls, lo: float, hi: float) -> Beta:
        """Beta whose 2.5 % and 97.5 % quantiles are ``lo`` and ``hi``, ``0 < lo < hi < 1``.

        Solved numerically in ``(log alpha, log beta)`` with residuals on the logit scale,
        starting from the method of moments for a normal with that interval.
        """
        lo_f, hi_f = _ci95(lo, hi, "beta", lower=0.0, upper=1.0)
        target = special.logit(np.array([lo_f, hi_f]))

        def residual(x: np.ndarray) -> np.ndarray:
            a, b = np.exp(x)
            return special.logit(special.betaincinv(a, b, [0.025, 0.975])) - target

        m = 0.5 * (lo_f + hi_f)
        s = min((hi_f - lo_f) / (2.0 * Z95), 0.5 * math.sqrt(m * (1.0 - m)))
        nu = m * (1.0 - m) / (s * s) - 1.0
        start = np.log([m * nu, (1.0 - m) * nu])
        with np.errstate(all="ignore"):
            from scipy import optimize  # as above

            fit = optimize.least_squares(residual, start, method="lm", xtol=1e-15, ftol=1e-15)
            a, b = np.exp(fit.x)
            got = special.betaincinv(a, b, [0.025, 0.975])
        ok = np.all(np.isfinite(got)) and np.allclose(got, [lo_f, hi_f], rtol=1e-9, atol=0.0)
        if not ok:
            raise _fail(
                f"no beta distribution found with ci95 [{_show(lo_f)}, {_show(hi_f)}]; "
                "give alpha and beta, or mean and sd, instead"
            )
        return cls(float(a), float(b))

    def _ppf(self, q: np.ndarray) -> np.ndarray:
        return special.betaincinv(self.alpha, self.beta, q)

    def mean(self) -> float:
        return self.alpha / (self.alpha + self.beta)

    def var(self) -> float:
        a, b = self.alpha, self.beta
        return a * b / ((a + b) ** 2 * (a + b + 1.0))

    def support(self) -> tuple[float, float]:
        return (0.0, 1.0)

    def params(self) -> dict[str, float]:
        return {"alpha": self.alpha, "beta": self.beta}


# --------------------------------------------------------------------------------------------
# TOML parameterisations
# --------------------------------------------------------------------------------------------


def _bound(value: Any, key: str) -> float:
    # In TOML an open end is written by leaving the key out, which keeps inf out of case files.
    if isinstance(value, float) and math.isinf(value):
        raise _fail(f"{key} {_show(value)} is not a finite number; leave {key} out for no bound")
    return _num(value, key)


def _ci(cls: Any) -> _Form:
    return _Form(("ci95",), (), lambda p: cls.from_ci95(*_pair(p["ci95"], "ci95")), "ci95")


Fixed.forms = (_Form(("value",), (), lambda p: Fixed(p["value"]), "value"),)
Uniform.forms = (_Form(("min", "max"), (), lambda p: Uniform(p["min"], p["max"]), "min and max"),)
Triangular.forms = (
    _Form(
        ("min", "mode", "max"),
        (),
        lambda p: Triangular(p["min"], p["mode"], p["max"]),
        "min, mode and max",
    ),
)
PERT.forms = (
    _Form(
        ("min", "mode", "max"),
        ("lambda",),
        lambda p: PERT(p["min"], p["mode"], p["max"], p.get("lambda", 4.0)),
        "min, mode and max (optional lambda)",
    ),
)
Normal.forms = (
    _Form(("mean", "sd"), (), lambda p: Normal(p["mean"], p["sd"]), "mean and sd"),
    _ci(Normal),
)
TruncNormal.forms = (
    _Form(
        ("mean", "sd"),
        ("min", "max"),
        lambda p: TruncNormal(
            p["mean"],
            p["sd"],
            _bound(p["min"], "min") if "min" in p else -math.inf,
            _bound(p["max"], "max") if "max" in p else math.inf,
        ),
        "mean, sd and min and/or max",
    ),
)
LogNormal.forms = (
    _Form(("mean", "sd"), (), lambda p: LogNormal.from_mean_sd(p["mean"], p["sd"]), "mean and sd"),
    _ci(LogNormal),
    _Form(("mu", "sigma"), (), lambda p: LogNormal(p["mu"], p["sigma"]), "mu and sigma"),
)
Gamma.forms = (
    _Form(("mean", "sd"), (), lambda p: Gamma.from_mean_sd(p["mean"], p["sd"]), "mean and sd"),
    _Form(("shape", "scale"), (), lambda p: Gamma(p["shape"], p["scale"]), "shape and scale"),
    _ci(Gamma),
)
Beta.forms = (
    _Form(("alpha", "beta"), (), lambda p: Beta(p["alpha"], p["beta"]), "alpha and beta"),
    _Form(("mean", "sd"), (), lambda p: Beta.from_mean_sd(p["mean"], p["sd"]), "mean and sd"),
    _Form(
        ("k", "n"),
        ("prior",),
        lambda p: Beta.from_successes(p["k"], p["n"], p.get("prior", "uniform")),
        "k and n (optional prior)",
    ),
    _ci(Beta),
)

FAMILIES: dict[str, type[Distribution]] = {
    cls.family: cls
    for cls in (Fixed, Uniform, Triangular, PERT, Normal, TruncNormal, LogNormal, Gamma, Beta)
}

_NUMBER_OR_TABLE = (
    'expected a number or a table with dist, e.g. { dist = "pert", min = 1, mode = 2, max = 4 }'
)


def _family_keys(cls: type[Distribution]) -> list[str]:
    keys: list[str] = []
    for form in cls.forms:
        keys += [k for k in form.required + form.optional if k not in keys]
    return keys


def _needs(cls: type[Distribution]) -> str:
    texts = [form.text for form in cls.forms]
    if len(texts) == 1:
        return texts[0]
    if len(texts) == 2:
        return f"either {texts[0]} or {texts[1]}"
    return "one of: " + ", ".join(texts[:-1]) + f" or {texts[-1]}"


def from_spec(spec: Any, field: str) -> Distribution:
    """Build a distribution from its TOML form: a plain number or a table with ``dist``.

    Parameters
    ----------
    spec : int, float, dict or Distribution
        A number (a :class:`Fixed` value) or a table ``{dist = "<family>", ...}`` whose other
        keys are one parameterisation of that family (see the module docstring). The keys
        ``name``, ``preset``, ``source``, ``note`` and ``illustrative`` are ignored. A
        :class:`Distribution` is returned as is.
    field : str
        Dotted path of the value in the case, used in error messages.

    Returns
    -------
    Distribution

    Raises
    ------
    InputError
        With ``field`` as given and a one-line message naming the bad value.

    Examples
    --------
    >>> d = from_spec({"dist": "pert", "min": 0.05, "mode": 0.14, "max": 0.25}, "success.rate")
    >>> d.describe()
    'PERT(min=0.05, mode=0.14, max=0.25)'
    >>> round(d.mean(), 4), from_spec(3, "price").is_fixed
    (0.1433, True)
    """
    if isinstance(spec, Distribution):
        return spec
    try:
        return _from_spec(spec)
    except InputError as error:
        raise error.under(field) from None


def _from_spec(spec: Any) -> Distribution:
    if isinstance(spec, Mapping):
        return _from_table(spec)
    if isinstance(spec, bool | np.bool_) or not isinstance(spec, numbers.Real):
        raise _fail(f"{_show(spec)} is not a number; {_NUMBER_OR_TABLE}")
    value = float(spec)
    if not math.isfinite(value):
        raise _fail(f"{_show(spec)} is not a finite number")
    return Fixed(value)


def _from_table(spec: Mapping[str, Any]) -> Distribution:
    allowed_families = ", ".join(FAMILIES)
    if "dist" not in spec:
        raise _fail(f"table has no dist key; dist is one of: {allowed_families}")
    name = spec["dist"]
    if not isinstance(name, str) or name not in FAMILIES:
        raise _fail(f"unknown distribution {_show(name)}; allowed: {allowed_families}")
    cls = FAMILIES[name]
    family_keys = _family_keys(cls)
    params = {str(k): v for k, v in spec.items() if k != "dist" and k not in META_KEYS}
    unknown = [k for k in params if k not in family_keys]
    if unknown:
        names = ", ".join(repr(k) for k in unknown)
        plural = "s" if len(unknown) > 1 else ""
        raise _fail(
            f"unknown key{plural} {names} for {name}; allowed: {', '.join(family_keys)} "
            f"(and dist, {', '.join(META_KEYS)})"
        )
    given = set(params)
    for form in cls.forms:
        if set(form.required) <= given <= set(form.required + form.optional):
            return form.build(params)
    got = ", ".join(params) if params else "none"
    raise _fail(f"{name} needs {_needs(cls)}; got keys: {got}")


@dataclass(frozen=True)
class Choice(Distribution):
    """One of a few coded alternatives, each with a probability (an uncertain modelling choice).

    Not a TOML family of its own: the case loader builds it where a field takes named
    alternatives (the extrapolation rule). The draw is a code, ``values[i]`` with probability
    ``p[i]``; its central value is the most likely alternative, not the mean code.

    Parameters
    ----------
    values : tuple of float
        The codes, increasing.
    p : tuple of float
        Their probabilities, each > 0, adding up to 1.
    labels : tuple of str
        A name for each code, for tables and reports.

    Examples
    --------
    >>> c = Choice((0.0, 1.0, 2.0), (0.2, 0.3, 0.5), ("stop", "hold", "decay"))
    >>> c.ppf([0.1, 0.3, 0.9]).tolist(), c.central()
    ([0.0, 1.0, 2.0], 2.0)
    >>> c.describe()
    'Choice(stop 20 %, hold 30 %, decay 50 %)'
    """

    values: tuple[float, ...]
    p: tuple[float, ...]
    labels: tuple[str, ...]

    family: ClassVar[str] = "choice"
    label: ClassVar[str] = "Choice"

    def __post_init__(self) -> None:
        if not (len(self.values) == len(self.p) == len(self.labels) >= 1):
            raise _fail("values, p and labels must be as many, at least one")
        if any(not (0.0 < w <= 1.0) for w in self.p) or abs(sum(self.p) - 1.0) > 1e-9:
            raise _fail(f"probabilities {list(self.p)} must each be in (0, 1] and add up to 1")

    def _ppf(self, q: np.ndarray) -> np.ndarray:
        edges = np.cumsum(self.p)[:-1]
        return np.asarray(self.values)[np.searchsorted(edges, q, side="right")]

    def mean(self) -> float:
        return float(np.dot(self.values, self.p))

    def var(self) -> float:
        return float(np.dot(np.square(np.subtract(self.values, self.mean())), self.p))

    def support(self) -> tuple[float, float]:
        return (min(self.values), max(self.values))

    def params(self) -> dict[str, float]:
        return dict(zip(self.labels, self.p, strict=True))

    def central(self) -> float:
        return self.values[int(np.argmax(self.p))]

    @property
    def is_fixed(self) -> bool:
        return len(self.values) == 1

    def describe(self) -> str:
        inner = ", ".join(
            f"{name} {_fmt(100 * w)} %" for name, w in zip(self.labels, self.p, strict=True)
        )
        return f"{self.label}({inner})"
