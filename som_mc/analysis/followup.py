"""Follow-up: update the success rate with what a running intervention has observed.

A running intervention has seen ``K`` of ``N`` completers reach the goal. That is binomial
evidence on the success rate, and :func:`update` shows how the business case moves: the
probability that the present value is positive, and its mean, for each actor before and after.

**What K/N observes (som-mc).** A running intervention without a comparison group sees how
many of its own completers succeed, which is the *gross* rate. So:

- a case with ``gross_rate`` and ``deadweight`` updates ``gross_rate``; the deadweight keeps
  its prior, and the net rate stays ``max(gross_rate - deadweight, 0)``;
- a case with ``rate`` (net, also a rate from ``effect``) updates ``rate``: K/N is then read
  as successes net of deadweight, which holds when deadweight is negligible or K was counted
  against a comparison group. If your K/N is gross and the deadweight is not negligible,
  write the case with ``gross_rate`` and ``deadweight`` first.

**How.** A Beta(a, b) prior has the conjugate posterior Beta(a + K, b + N - K) (Gelman et al.
2013, *Bayesian Data Analysis*, 3rd ed., ch. 2); the posterior is simulated with the same
seed as the prior, so both runs use common random numbers. Any other prior (PERT, triangular,
uniform, a rate from a study's effect size ...) is updated by importance reweighting of the
prior draws, weights ``w ∝ r^K (1 - r)^(N - K)``: the posterior numbers are weighted averages
of the prior run, with Monte Carlo standard errors of the self-normalised estimator and the
effective sample size ``1 / sum(w^2)`` (Owen 2013, *Monte Carlo theory, methods and examples*,
ch. 9). A small effective sample size gives a :class:`LowEffectiveSampleSize` warning.

**The observed cohort (som-mc).** K/N are, by default, the completers and successes of the
case's own first cohort (``cohort=1``; another intake year with ``cohort=``). That cohort's
outcome is known, so the posterior case keeps it as it is (``success.observed``: exactly K
successes of N completers in its year of completion, in every draw and in both modes) and only
the other cohorts are drawn with the posterior rate; persistence after success is still drawn.
``cohort=None`` reads K/N as evidence from elsewhere (another site, a pilot that is not a
cohort of this case): every cohort is then drawn. Costs stay those of the case's intake.
"""

from __future__ import annotations

import dataclasses
import hashlib
import math
import re
import warnings
from pathlib import Path

import numpy as np
import xarray as xr
from scipy import special

from som_mc.checks import is_whole_number
from som_mc.checks import seed as check_seed
from som_mc.conventions import ACTOR, INPUT, STAGE, TOTAL
from som_mc.errors import InputError
from som_mc.inputs.case.inputs import collect_inputs
from som_mc.inputs.case.load import Case, load_case
from som_mc.inputs.case.schema import ObservedCohort
from som_mc.inputs.distributions import Beta, Distribution

__all__ = [
    "ESS_WARNING",
    "LowEffectiveSampleSize",
    "parse_observed",
    "posterior_case",
    "update",
]


#: Below this effective sample size, importance reweighting warns.
ESS_WARNING = 1000

#: Bins of the rate histograms an update carries for plotting.
_RATE_BINS = 60


class LowEffectiveSampleSize(UserWarning):
    """The importance-weighted posterior rests on few effective draws."""


def parse_observed(text: str) -> tuple[int, int]:
    """Read ``"K/N"`` (K successes of N completers) into ``(K, N)``.

    Raises
    ------
    InputError
        Field ``--observed``, naming the value and the allowed form.

    Examples
    --------
    >>> parse_observed("3/20")
    (3, 20)
    """
    found = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", str(text))
    if found is None:
        raise InputError(
            "--observed",
            f"{text!r} is not K/N; write successes/completers as whole numbers, e.g. 3/20",
        )
    return _checked(int(found[1]), int(found[2]), "--observed", repr(str(text).strip()))


def _checked(k: object, n: object, field: str = "observed", shown: str = "") -> tuple[int, int]:
    shown = shown or f"({k!r}, {n!r})"
    allowed = "allowed: K/N, K successes of N >= 1 completers, 0 <= K <= N"
    for value in (k, n):
        if not is_whole_number(value):
            raise InputError(field, f"{shown} is not two whole numbers; {allowed}")
    k, n = int(k), int(n)
    if n < 1:
        raise InputError(field, f"{shown} has N = {n}; {allowed}")
    if not 0 <= k <= n:
        raise InputError(field, f"{shown} has K = {k} outside 0 to N = {n}; {allowed}")
    return k, n


def _updated_input(case: Case) -> tuple[str, Distribution]:
    """The rate that K/N observes: ``success.gross_rate`` if the case has one, else
    ``success.rate``."""
    success = case.model.success
    name = "gross_rate" if success.gross_rate is not None else "rate"
    dist = getattr(success, name)
    if dist.is_fixed:
        raise InputError(
            f"success.{name}",
            f"is the fixed number {dist.central():g}; an observation updates an uncertain rate "
            'only: give it a distribution, e.g. { dist = "beta", k = 3, n = 20 }',
        )
    return f"success.{name}", dist


def _with_rate(
    case: Case,
    name: str,
    dist: Distribution,
    note: str,
    k: int,
    n: int,
    cohort: int | None = None,
) -> Case:
    field = name.split(".", 1)[1]
    changes: dict[str, object] = {field: dist}
    if cohort is not None:
        changes["observed"] = _observed(case, cohort, k, n)
        note += f"; cohort {cohort} kept as observed ({k} of {n}), later cohorts drawn"
    success = case.model.success.model_copy(update=changes)
    model = case.model.model_copy(update={"success": success})
    tag = f"{case.sha256}:{name}:{k}/{n}:{cohort}:{dist.describe()}".encode()
    return dataclasses.replace(
        case,
        model=model,
        inputs=collect_inputs(model),
        sha256=hashlib.sha256(tag).hexdigest(),
        notes=(*case.notes, note),
    )


def _observed(case: Case, cohort: int, k: int, n: int) -> ObservedCohort:
    """The observed cohort, validated against the case (a cohort completing in its horizon)."""
    if not is_whole_number(cohort) or int(cohort) < 1:
        raise InputError("cohort", f"{cohort!r} is not allowed; an intake year 1, 2, ... or None")
    seen = ObservedCohort(cohort=int(cohort), completers=n, successes=k)
    m = case.model
    if int(cohort) > len(m.intake.participants) or (
        int(cohort) + m.intake.course_years - 1 > m.horizon
    ):
        raise InputError(
            "cohort",
            f"{cohort} is not a cohort of the case that completes within its horizon; allowed: "
            f"1 to {len(m.intake.participants)}, or None for an observation from elsewhere",
        )
    if m.subgroup:
        raise InputError(
            "cohort",
            f"{cohort}: an observed cohort is not split by subgroup; use cohort=None (--cohort 0)",
        )
    return seen


def _conjugate_note(name: str, prior: Beta, post: Beta, k: int, n: int) -> str:
    return (
        f"{name}: updated with {k} of {n} observed successes, conjugate "
        f"{prior.describe()} -> {post.describe()} (Gelman et al., BDA3, ch. 2)"
    )


def posterior_case(
    case: str | Path | dict | Case,
    observed: tuple[int, int],
    draws: int = 10_000,
    seed: int | None = 0,
    cohort: int | None = 1,
) -> Case:
    """The case with its success rate replaced by the posterior after ``observed``.

    Parameters
    ----------
    case : path, dict or Case
    observed : (int, int)
        ``(K, N)``: K of N completers succeeded.
    draws, seed : int
        Used only for a non-beta prior, whose posterior is the importance-weighted prior
        draws summarised as a beta with the same mean and variance (an approximation, said in
        the case's notes). A beta prior's posterior is exact and needs no draws.
    cohort : int or None
        The intake year of the observed cohort (default 1), kept as observed in the returned
        case (``success.observed``); None: K/N is from elsewhere (see the module docstring).

    Returns
    -------
    Case
        With the updated rate (``success.rate``, or ``success.gross_rate``, see the module
        docstring) and a note saying how it was updated.

    Examples
    --------
    >>> from som_mc.inputs.examples import example_path
    >>> post = posterior_case(example_path("cti"), (5, 25))
    >>> post.model.success.rate.describe()
    'Beta(alpha=7.24889, beta=33.8146)'
    """
    case = load_case(case)
    k, n = _checked(*observed)
    name, prior = _updated_input(case)
    if isinstance(prior, Beta):
        post = Beta(prior.alpha + k, prior.beta + n - k)
        note = _conjugate_note(name, prior, post, k, n)
        return _with_rate(case, name, post, note, k, n, cohort)
    r = _prior_draws(case, name, prior, draws, seed)
    w, ess = _weights(r, k, n, name)
    mean = float(np.dot(w, r))
    var = float(np.dot(w, (r - mean) ** 2))
    post = Beta.from_mean_sd(mean, math.sqrt(var))
    note = (
        f"{name}: updated with {k} of {n} observed successes by importance reweighting of "
        f"{draws:,} draws of the prior {prior.describe()} (effective sample size {ess:,.0f}), "
        f"summarised as {post.describe()} with the posterior's mean {mean:.4g} and sd "
        f"{math.sqrt(var):.4g} (an approximation)"
    )
    return _with_rate(case, name, post, note, k, n, cohort)


def _prior_draws(
    case: Case, name: str, prior: Distribution, draws: int, seed: int | None
) -> np.ndarray:
    # Plain Monte Carlo draws suffice: they only summarise the posterior's mean and variance.
    rng = np.random.default_rng(seed)
    return prior.rvs(draws, rng)


def _weights(r: np.ndarray, k: int, n: int, name: str) -> tuple[np.ndarray, float]:
    """Normalised importance weights ``∝ r^K (1 - r)^(N - K)`` and the effective sample size."""
    with np.errstate(divide="ignore", invalid="ignore"):
        # xlogy(0, 0) = 0: a rate of exactly 0 is possible after 0 successes.
        logw = special.xlogy(k, r) + special.xlog1py(n - k, -r)
    finite = np.isfinite(logw)
    if not finite.any():
        raise InputError(
            "observed",
            f"{k}/{n} is impossible under every prior draw of {name} (the prior gives it no "
            "room); widen the prior",
        )
    logw = np.where(finite, logw, -np.inf)
    w = np.exp(logw - logw.max())
    w /= w.sum()
    return w, float(1.0 / np.sum(w * w))


# --------------------------------------------------------------------------------------------
# The update
# --------------------------------------------------------------------------------------------


def _with_total(pv: xr.DataArray) -> xr.DataArray:
    return xr.concat([pv, pv.sum(ACTOR).expand_dims({ACTOR: [TOTAL]})], dim=ACTOR)


def _weighted(x: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Self-normalised weighted mean over axis 0 and its delta-method standard error,
    ``sqrt(sum w_i^2 (x_i - mean)^2)`` (Owen 2013, ch. 9); with equal weights 1/n it is the
    usual ``sd / sqrt(n)`` (with divisor n)."""
    mean = np.tensordot(w, x, axes=(0, 0))
    se = np.sqrt(np.tensordot(w * w, (x - mean) ** 2, axes=(0, 0)))
    return mean, se


def _weighted_quantile(x: np.ndarray, w: np.ndarray, q: np.ndarray) -> np.ndarray:
    order = np.argsort(x)
    cdf = np.cumsum(w[order])
    cdf /= cdf[-1]
    return x[order][np.minimum(np.searchsorted(cdf, q), len(x) - 1)]


def update(
    case: str | Path | dict | Case,
    observed: tuple[int, int],
    draws: int = 10_000,
    seed: int | None = None,
    mode: str = "expected",
    design: str = "random",
    interval: float = 0.90,
    method: str = "auto",
    cohort: int | None = 1,
) -> xr.Dataset:
    """How the business case moves after ``K`` of ``N`` completers have succeeded.

    Parameters
    ----------
    case : path, dict or Case
        The business case; its ``success.rate`` (or ``success.gross_rate``) must be uncertain.
    observed : (int, int)
        ``(K, N)``: K of N completers reached the goal, ``0 <= K <= N``, ``N >= 1``.
    draws : int
        Monte Carlo draws of each run.
    seed : int, optional
        One seed for the prior and the posterior run (common random numbers); drawn at
        random and recorded if omitted.
    mode, design : str
        As for :func:`som_mc.run`.
    interval : float
        Central probability of the rate's interval (default 90 %).
    method : {"auto", "conjugate", "importance"}
        ``"auto"``: conjugate for a beta prior, importance reweighting otherwise.
        ``"importance"`` reweights a beta prior too (a check on the conjugate result).
    cohort : int or None
        The intake year of the observed cohort (default 1): the posterior keeps its K of N as
        they are and draws only the other cohorts; None: K/N is evidence from elsewhere and
        every cohort is drawn (see the module docstring).

    Returns
    -------
    xarray.Dataset
        Dims ``stage`` (``prior``, ``posterior``), ``actor`` (the actors and ``total``) and
        ``rate_bin``. Variables: ``p_positive`` and ``p_positive_mcse`` (P(present value > 0)
        and its Monte Carlo standard error), ``pv_mean`` and ``pv_mean_mcse``, ``rate_mean``,
        ``rate_mean_mcse``, ``rate_lower`` and ``rate_upper`` (the rate's interval), and
        ``rate_density`` (a histogram of the rate, for plotting). Attributes: ``method``
        (``"conjugate"`` or ``"importance"``), ``ess`` (effective sample size of the
        posterior), ``observed_k``, ``observed_n``, ``observed_cohort`` (0: from
        elsewhere), ``updated_input``, ``prior`` and
        ``posterior`` (descriptions), and the run's provenance.

    Raises
    ------
    InputError
        For a bad ``observed``, a fixed rate, or an observation no prior draw allows.

    Warns
    -----
    LowEffectiveSampleSize
        When importance reweighting leaves fewer than 1000 effective draws.

    Examples
    --------
    >>> from som_mc.inputs.examples import example_path
    >>> ds = update(example_path("cti"), (5, 25), draws=2000, seed=1)
    >>> ds.attrs["method"], ds.sizes["stage"], ds.actor.values.tolist()
    ('conjugate', 2, ['kommune', 'region', 'stat', 'total'])
    """
    from som_mc.pipeline.engine import run

    case = load_case(case)
    k, n = _checked(*observed)
    name, prior = _updated_input(case)
    if method not in ("auto", "conjugate", "importance"):
        raise InputError(
            "method", f"{method!r} is not allowed; allowed: auto, conjugate, importance"
        )
    if method == "conjugate" and not isinstance(prior, Beta):
        raise InputError(
            name, f"{prior.describe()} is not a beta; the conjugate update needs a beta prior"
        )
    seed = check_seed(seed)
    prior_ds = run(case, draws=draws, seed=seed, mode=mode, design=design)
    r_prior = prior_ds["inputs"].sel({INPUT: name}).values
    pv_prior = _with_total(prior_ds["present_value"]).values
    n_draws = len(r_prior)
    equal = np.full(n_draws, 1.0 / n_draws)

    if isinstance(prior, Beta) and method != "importance":
        method = "conjugate"
        post = Beta(prior.alpha + k, prior.beta + n - k)
        note = _conjugate_note(name, prior, post, k, n)
        post_case = _with_rate(case, name, post, note, k, n, cohort)
        post_ds = run(post_case, draws=draws, seed=seed, mode=mode, design=design)
        r_post = post_ds["inputs"].sel({INPUT: name}).values
        pv_post = _with_total(post_ds["present_value"]).values
        w_post, ess = equal, float(n_draws)
        posterior_text = post.describe()
    else:
        method, post = "importance", None
        r_post, pv_post = r_prior, pv_prior
        if cohort is not None:  # the prior's draws with the observed cohort as it was
            seen = _with_rate(case, name, prior, "", k, n, cohort)
            seen_ds = run(seen, draws=draws, seed=seed, mode=mode, design=design)
            r_post = seen_ds["inputs"].sel({INPUT: name}).values
            pv_post = _with_total(seen_ds["present_value"]).values
        w_post, ess = _weights(r_post, k, n, name)
        posterior_text = f"prior draws reweighted by r^{k} (1 - r)^{n - k}"
        if ess < ESS_WARNING:
            warnings.warn(
                f"the posterior rests on an effective {ess:,.0f} of {n_draws:,} draws; its "
                "numbers carry the standard errors shown; use more draws, or a beta prior "
                "(exact update)",
                LowEffectiveSampleSize,
                stacklevel=2,
            )

    tail = (1.0 - interval) / 2.0
    stages = []
    for r, pv, w in ((r_prior, pv_prior, equal), (r_post, pv_post, w_post)):
        p_pos, p_se = _weighted((pv > 0).astype(float), w)
        pv_mean, pv_se = _weighted(pv, w)
        r_mean, r_se = _weighted(r, w)
        lo, hi = _weighted_quantile(r, w, np.array([tail, 1.0 - tail]))
        stages.append((p_pos, p_se, pv_mean, pv_se, r_mean, r_se, lo, hi))
    if method == "conjugate":  # exact for both stages
        exact = [
            (prior.mean(), *prior.ppf([tail, 1 - tail])),
            (post.mean(), *post.ppf([tail, 1 - tail])),
        ]
    else:
        exact = [(prior.mean(), *prior.ppf([tail, 1 - tail])), None]

    edges = np.linspace(*_rate_range(r_prior, r_post), _RATE_BINS + 1)
    density = np.stack(
        [
            np.histogram(r_prior, bins=edges, weights=equal, density=True)[0],
            np.histogram(r_post, bins=edges, weights=w_post, density=True)[0],
        ]
    )
    rate_mean = np.array([s[4] if e is None else e[0] for s, e in zip(stages, exact, strict=True)])
    rate_lower = np.array([s[6] if e is None else e[1] for s, e in zip(stages, exact, strict=True)])
    rate_upper = np.array([s[7] if e is None else e[2] for s, e in zip(stages, exact, strict=True)])
    rate_mcse = np.array([s[5] if e is None else 0.0 for s, e in zip(stages, exact, strict=True)])

    money = {
        "units": prior_ds.attrs.get("currency", "DKK"),
        "price_year": str(prior_ds.attrs.get("price_year")),
    }
    actors = [*prior_ds[ACTOR].values.tolist(), TOTAL]
    dims = (STAGE, ACTOR)
    ds = xr.Dataset(
        {
            "p_positive": (
                dims,
                np.stack([s[0] for s in stages]),
                {"long_name": "P(present value > 0)", "units": "1"},
            ),
            "p_positive_mcse": (
                dims,
                np.stack([s[1] for s in stages]),
                {"long_name": "Monte Carlo standard error of p_positive", "units": "1"},
            ),
            "pv_mean": (
                dims,
                np.stack([s[2] for s in stages]),
                {**money, "long_name": "mean present value of the net result"},
            ),
            "pv_mean_mcse": (
                dims,
                np.stack([s[3] for s in stages]),
                {**money, "long_name": "Monte Carlo standard error of pv_mean"},
            ),
            "rate_mean": ((STAGE,), rate_mean, {"long_name": f"mean of {name}", "units": "1"}),
            "rate_mean_mcse": (
                (STAGE,),
                rate_mcse,
                {"long_name": "Monte Carlo standard error of rate_mean (0: exact)", "units": "1"},
            ),
            "rate_lower": (
                (STAGE,),
                rate_lower,
                {"long_name": f"{tail:.1%} quantile of {name}", "units": "1"},
            ),
            "rate_upper": (
                (STAGE,),
                rate_upper,
                {"long_name": f"{1 - tail:.1%} quantile of {name}", "units": "1"},
            ),
            "rate_density": (
                (STAGE, "rate_bin"),
                density,
                {"long_name": f"histogram density of {name}", "units": "1 per unit rate"},
            ),
        },
        coords={
            STAGE: ["prior", "posterior"],
            ACTOR: actors,
            "rate_bin": 0.5 * (edges[:-1] + edges[1:]),
        },
        attrs={
            **prior_ds.attrs,
            "title": f"som-mc follow-up update: {case.name}",
            "method": method,
            "ess": ess,
            "observed_k": k,
            "observed_n": n,
            "observed_cohort": 0 if cohort is None else int(cohort),
            "updated_input": name,
            "prior": prior.describe(),
            "posterior": posterior_text,
            "interval": interval,
        },
    )
    return ds


def _rate_range(*draws: np.ndarray) -> tuple[float, float]:
    lo = min(float(np.min(d)) for d in draws)
    hi = max(float(np.max(d)) for d in draws)
    return (lo, hi) if hi > lo else (lo - 0.5e-3, hi + 0.5e-3)
