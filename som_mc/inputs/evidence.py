"""From a study's effect size to a success-rate distribution.

A study reports its effect as a standardised mean difference (SMD: Cohen's d, Hedges' g), an
odds ratio (OR) or a risk ratio (RR), with a standard error or a 95 % interval. som-mc's
success rate is the share of completers who reach the goal *net* of what would have happened
anyway (the risk difference between treated and untreated). With the rate of the outcome
without the intervention, the *baseline* ``p0``, the effect gives the treated risk ``p1`` and
the rate:

- adverse outcome (the study's event is bad: homeless at follow-up): ``rate = p0 - p1``;
- desirable outcome (the event is good: in stable housing): ``rate = p1 - p0``;

so that a beneficial effect is a positive rate. A draw in which the intervention does harm
(a negative difference) is **clipped at 0**: the net success rate of the case cannot be
negative (as for ``max(gross_rate - deadweight, 0)``), and the distribution has an atom at 0
holding the probability that the effect is harmful.

Conversions (each function's docstring cites its source):

- SMD to log odds ratio: ``ln OR = SMD * pi / sqrt(3)`` (about 1.81 SMD), and the same factor
  on its standard error (Hasselblad & Hedges 1995; Chinn 2000);
- OR and ``p0`` to the treated risk: ``p1 = OR p0 / (1 - p0 + OR p0)`` (Cochrane Handbook 5.1,
  section 12.5.4.3), equivalently the risk ratio ``RR = OR / (1 - p0 + p0 OR)`` (Zhang & Yu
  1998);
- RR and ``p0``: ``p1 = RR p0`` (Cochrane Handbook 5.1, section 12.5.4.2), capped at 1;
- standard error from a 95 % interval: ``(ln hi - ln lo) / (2 x 1.96)`` for a ratio,
  ``(hi - lo) / (2 x 1.96)`` for an SMD (Cochrane Handbook 5.1, sections 7.7.7.2-7.7.7.3).

Uncertainty is normal on the analysis scale (log OR, log RR; an SMD is first moved to the log
OR scale), so the rate's quantile function is an exact monotone transform of the normal one:
:class:`EffectRate` samples by inversion like every other input, and Latin hypercube, Sobol'
designs and rank correlations work unchanged.

In a case file, ``[success]`` gives ``effect`` instead of ``rate``::

    effect = { study = "cti_herman_2011_homelessness", baseline = 0.6, outcome = "adverse" }
    effect = { measure = "odds_ratio", estimate = 0.22, ci95 = [0.06, 0.88],
               baseline = 0.6, outcome = "adverse" }

and the loader turns it into the rate (see :func:`resolve_success_effect`).
"""

from __future__ import annotations

import difflib
import itertools
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
from numpy.typing import ArrayLike
from scipy import special

from som_mc.errors import InputError
from som_mc.inputs.distributions import Distribution, finite_number

__all__ = [
    "MEASURES",
    "OUTCOMES",
    "EffectRate",
    "effect_rate",
    "log_odds_ratio_from_smd",
    "resolve_success_effect",
    "risk_ratio_from_odds_ratio",
    "se_from_ci95",
    "treated_risk_from_odds_ratio",
    "treated_risk_from_risk_ratio",
]

#: Effect measures that convert to a rate, with their short names for display.
MEASURES: dict[str, str] = {"smd": "SMD", "odds_ratio": "OR", "risk_ratio": "RR"}

#: Whether the study's event is bad (``rate = p0 - p1``) or good (``rate = p1 - p0``).
OUTCOMES: tuple[str, ...] = ("adverse", "desirable")

#: ``pi / sqrt(3)``: the standard deviation of the standard logistic distribution, which
#: turns an SMD into a log odds ratio (Hasselblad & Hedges 1995; Chinn 2000: "about 1.81").
LOGIT_PER_SMD = math.pi / math.sqrt(3.0)

#: The 1.96 of "estimate ± 1.96 se" by which studies and the Cochrane Handbook (sections
#: 7.7.7.2-7.7.7.3) form and undo a 95 % interval.
Z95_REPORTED = 1.96

# Normal tails beyond ±12 sd hold less than 1e-32 of the mass: nothing for a mean or variance.
_Z_RANGE = 12.0

_SPEC_KEYS = ("study", "measure", "estimate", "se", "ci95", "baseline", "outcome", "note")


# --------------------------------------------------------------------------------------------
# The conversions
# --------------------------------------------------------------------------------------------


def log_odds_ratio_from_smd(smd: float, se: float | None = None) -> tuple[float, float | None]:
    """A standardised mean difference as a log odds ratio: ``ln OR = SMD * pi / sqrt(3)``.

    Assumes the continuous outcome is logistic with equal spread in both groups, so that a
    shift of ``d`` standard deviations is a shift of ``d pi / sqrt(3)`` on the logit scale of
    "above any threshold" (Hasselblad V, Hedges LV 1995, Meta-analysis of screening and
    diagnostic tests, Psychological Bulletin 117:167-178; Chinn S 2000, A simple method for
    converting an odds ratio to effect size for use in meta-analysis, Statistics in Medicine
    19:3127-3131, "ln(odds ratio) can be converted to effect size by dividing by 1.81";
    Cochrane Handbook 5.1, section 12.6.3). The standard error scales by the same factor
    (Borenstein et al. 2009, *Introduction to Meta-Analysis*, ch. 7).

    Parameters
    ----------
    smd : float
        Cohen's d or Hedges' g; its sign follows the study's scale.
    se : float, optional
        Standard error of the SMD.

    Returns
    -------
    (float, float or None)
        ``ln OR`` and its standard error (None when ``se`` is None).

    Examples
    --------
    >>> lor, se = log_odds_ratio_from_smd(0.5, 0.0205 ** 0.5)
    >>> round(lor, 4), round(se**2, 4)
    (0.9069, 0.0674)
    """
    return smd * LOGIT_PER_SMD, None if se is None else se * LOGIT_PER_SMD


def treated_risk_from_odds_ratio(odds_ratio: ArrayLike, baseline: float) -> np.ndarray:
    """Risk with the intervention from an odds ratio and the baseline risk ``p0``.

    ``p1 = OR p0 / (1 - p0 + OR p0)``: the odds ``p0 / (1 - p0)`` multiplied by OR, turned
    back into a risk (Cochrane Handbook 5.1, section 12.5.4.3, "Computing absolute risk
    reduction or NNT from an odds ratio").

    Examples
    --------
    Cochrane's example: OR 0.73 and an assumed control risk of 0.3 give 62 fewer per 1000.

    >>> round(1000 * (0.3 - float(treated_risk_from_odds_ratio(0.73, 0.3))))
    62
    """
    odds_ratio = np.asarray(odds_ratio, dtype=float)
    return odds_ratio * baseline / (1.0 - baseline + odds_ratio * baseline)


def risk_ratio_from_odds_ratio(odds_ratio: ArrayLike, baseline: float) -> np.ndarray:
    """The risk ratio an odds ratio implies at baseline risk ``p0``: ``OR / (1 - p0 + p0 OR)``.

    Zhang J, Yu KF (1998), What's the relative risk? A method of correcting the odds ratio in
    cohort studies of common outcomes, JAMA 280(19):1690-1691. It is
    :func:`treated_risk_from_odds_ratio` divided by ``p0``.

    Examples
    --------
    >>> round(float(risk_ratio_from_odds_ratio(0.73, 0.3)), 4)
    0.7943
    """
    odds_ratio = np.asarray(odds_ratio, dtype=float)
    return odds_ratio / (1.0 - baseline + baseline * odds_ratio)


def treated_risk_from_risk_ratio(risk_ratio: ArrayLike, baseline: float) -> np.ndarray:
    """Risk with the intervention from a risk ratio: ``p1 = RR p0``, capped at 1.

    Cochrane Handbook 5.1, section 12.5.4.2 ("Computing absolute risk reduction or NNT from
    a risk ratio"). A risk ratio above ``1 / p0`` would give a risk above 1; such values are
    capped at 1 (**som-mc**: a risk is a probability).

    Examples
    --------
    Cochrane's example: RR 0.92 and an assumed control risk of 0.3 give 24 fewer per 1000.

    >>> round(1000 * (0.3 - float(treated_risk_from_risk_ratio(0.92, 0.3))))
    24
    """
    risk_ratio = np.asarray(risk_ratio, dtype=float)
    return np.minimum(risk_ratio * baseline, 1.0)


def se_from_ci95(lo: float, hi: float, *, log: bool) -> float:
    """Standard error from a reported 95 % interval, ``width / (2 x 1.96)``.

    For a ratio measure (``log=True``) the width is taken on the natural-log scale, where the
    interval is symmetric (Cochrane Handbook 5.1, sections 7.7.7.2 and 7.7.7.3).

    Examples
    --------
    An interval 1.33 to 3.47 around a risk ratio of 2.15 gives se(ln RR) = 0.2446.

    >>> round(se_from_ci95(1.33, 3.47, log=True), 4)
    0.2446
    """
    if log:
        lo, hi = math.log(lo), math.log(hi)
    return (hi - lo) / (2.0 * Z95_REPORTED)


# --------------------------------------------------------------------------------------------
# The distribution
# --------------------------------------------------------------------------------------------


def _fail(message: str) -> InputError:
    return InputError("", message)


def _number(value: Any, key: str) -> float:
    """``value`` as a finite float, or an error naming ``key`` (as the distributions check)."""
    return finite_number(value, key)


def _pct(p: float) -> str:
    return f"{100 * p:.3g} %"


@dataclass(frozen=True)
class EffectRate(Distribution):
    """The net success rate implied by a study's effect size and a baseline rate.

    The effect is normal on the analysis scale, ``theta ~ Normal(mu, sd)`` with ``theta`` the
    log odds ratio (for ``smd`` and ``odds_ratio``) or the log risk ratio (``risk_ratio``);
    the treated risk ``p1(theta)`` rises with ``theta``, and the rate is ``p0 - p1`` for an
    adverse outcome or ``p1 - p0`` for a desirable one, clipped at 0. The quantile function
    is therefore ``rate(mu - sd z_q)`` (adverse) or ``rate(mu + sd z_q)`` (desirable) with
    ``z_q`` the standard normal quantile: exact, and monotone in ``q``. Mean and variance are
    integrals over the normal, computed by adaptive quadrature split at the kinks of the
    clipping (they are not closed forms).

    Parameters
    ----------
    measure : {"smd", "odds_ratio", "risk_ratio"}
    estimate : float
        The study's estimate on its reported scale (an SMD, or a ratio > 0).
    se : float
        Standard error on the analysis scale: of the SMD, of ln OR, or of ln RR; > 0.
    baseline : float
        The risk of the study's event without the intervention, in (0, 1).
    outcome : {"adverse", "desirable"}
        Whether the study's event is bad or good for the citizen.
    ci95 : tuple of float, optional
        The reported interval, for :meth:`describe` only.
    study : str, optional
        Knowledge-base key of the study, for :meth:`describe` only.

    Examples
    --------
    >>> d = EffectRate("odds_ratio", 0.22, se_from_ci95(0.06, 0.88, log=True), 0.6, "adverse",
    ...                ci95=(0.06, 0.88))
    >>> d.describe()
    'from OR 0.22 (95 % CI 0.06 to 0.88), baseline 60 %, adverse outcome'
    >>> d.support(), round(float(d.ppf(0.5)), 4)
    ((0.0, 0.6), 0.3519)
    """

    measure: str
    estimate: float
    se: float
    baseline: float
    outcome: str
    ci95: tuple[float, float] | None = None
    study: str = ""

    family: ClassVar[str] = "effect"
    label: ClassVar[str] = "Effect"

    def __post_init__(self) -> None:
        if self.measure not in MEASURES:
            raise _fail(f"measure {self.measure!r} is not allowed; allowed: {', '.join(MEASURES)}")
        estimate = _number(self.estimate, "estimate")
        if self.measure != "smd" and not estimate > 0:
            raise _fail(f"estimate {estimate:g} of a {self.measure} must be > 0")
        se = _number(self.se, "se")
        if not se > 0:
            raise _fail(f"se is {se:g}; it must be > 0")
        baseline = _number(self.baseline, "baseline")
        if not 0.0 < baseline < 1.0:
            raise _fail(f"baseline {baseline:g} is outside (0, 1); it is a rate, e.g. 0.6")
        if self.outcome not in OUTCOMES:
            raise _fail(f"outcome {self.outcome!r} is not allowed; allowed: adverse, desirable")
        object.__setattr__(self, "estimate", estimate)
        object.__setattr__(self, "se", se)
        object.__setattr__(self, "baseline", baseline)
        if self.ci95 is not None:
            object.__setattr__(self, "ci95", (float(self.ci95[0]), float(self.ci95[1])))

    # The analysis scale -----------------------------------------------------------------

    @property
    def mu(self) -> float:
        """Mean of ``theta``: ln OR (from an SMD or an OR) or ln RR."""
        if self.measure == "smd":
            return self.estimate * LOGIT_PER_SMD
        return math.log(self.estimate)

    @property
    def sigma(self) -> float:
        """Standard deviation of ``theta``."""
        return self.se * (LOGIT_PER_SMD if self.measure == "smd" else 1.0)

    def _treated(self, theta: np.ndarray) -> np.ndarray:
        p0 = self.baseline
        if self.measure == "risk_ratio":
            return np.minimum(p0 * np.exp(theta), 1.0)
        # Odds form, stable for any theta: expit(logit(p0) + theta).
        return special.expit(special.logit(p0) + theta)

    def rate_at(self, theta: ArrayLike) -> np.ndarray:
        """The net success rate at effect ``theta`` (ln OR or ln RR), clipped at 0."""
        p1 = self._treated(np.asarray(theta, dtype=float))
        diff = self.baseline - p1 if self.outcome == "adverse" else p1 - self.baseline
        return np.maximum(diff, 0.0)

    def _theta_at(self, z: np.ndarray) -> np.ndarray:
        # The rate falls with theta for an adverse outcome: its q-quantile is at theta's (1-q).
        sign = -1.0 if self.outcome == "adverse" else 1.0
        return self.mu + sign * self.sigma * z

    # Distribution -------------------------------------------------------------------------

    def _ppf(self, q: np.ndarray) -> np.ndarray:
        return self.rate_at(self._theta_at(special.ndtri(q)))

    def _moment(self, power: int) -> float:
        # Imported here: scipy.integrate (with scipy.optimize) takes 0.35 s to import, and
        # only an effect study's rate needs it.
        from scipy import integrate

        # The rate is smooth in z except where clipping starts (theta = 0, and for a risk
        # ratio theta = -ln p0 where p1 reaches 1); quad is given those points as ends.
        sign = -1.0 if self.outcome == "adverse" else 1.0
        kinks = [0.0] + ([-math.log(self.baseline)] if self.measure == "risk_ratio" else [])
        cuts = sorted({(k - self.mu) / (sign * self.sigma) for k in kinks})
        ends = [-_Z_RANGE, *(c for c in cuts if -_Z_RANGE < c < _Z_RANGE), _Z_RANGE]

        def f(z: float) -> float:
            r = float(self.rate_at(self._theta_at(np.asarray(z))))
            return r**power * math.exp(-0.5 * z * z) / math.sqrt(2.0 * math.pi)

        return sum(
            integrate.quad(f, a, b, epsabs=1e-14, epsrel=1e-12, limit=200)[0]
            for a, b in itertools.pairwise(ends)
        )

    def mean(self) -> float:
        return self._moment(1)

    def var(self) -> float:
        return max(self._moment(2) - self._moment(1) ** 2, 0.0)

    def support(self) -> tuple[float, float]:
        top = self.baseline if self.outcome == "adverse" else 1.0 - self.baseline
        return (0.0, top)

    def params(self) -> dict[str, float]:
        return {"estimate": self.estimate, "se": self.se, "baseline": self.baseline}

    def p_harm(self) -> float:
        """Probability that the effect is harmful: the atom of the rate at 0."""
        # theta > 0 raises the event's risk: harm for an adverse event, and vice versa.
        z = self.mu / self.sigma
        return float(special.ndtr(z if self.outcome == "adverse" else -z))

    def describe(self) -> str:
        text = f"from {MEASURES[self.measure]} {self.estimate:.6g}"
        if self.ci95 is not None:
            text += f" (95 % CI {self.ci95[0]:.6g} to {self.ci95[1]:.6g})"
        else:
            scale = "" if self.measure == "smd" else " of the log"
            text += f" (se{scale} {self.se:.3g})"
        if self.study:
            text += f" [{self.study}]"
        return f"{text}, baseline {_pct(self.baseline)}, {self.outcome} outcome"


# --------------------------------------------------------------------------------------------
# From a case file
# --------------------------------------------------------------------------------------------

_SOURCES = {
    "smd": "ln OR = SMD x pi/sqrt(3) (Hasselblad & Hedges 1995; Chinn 2000), then "
    "p1 = OR p0 / (1 - p0 + OR p0) (Cochrane Handbook 5.1, 12.5.4.3)",
    "odds_ratio": "p1 = OR p0 / (1 - p0 + OR p0) (Cochrane Handbook 5.1, 12.5.4.3; "
    "Zhang & Yu 1998)",
    "risk_ratio": "p1 = RR p0, capped at 1 (Cochrane Handbook 5.1, 12.5.4.2)",
}


def effect_rate(
    spec: Mapping[str, Any], effects: Mapping[str, Any] | None = None, field: str = ""
) -> tuple[EffectRate, str]:
    """Build the rate distribution of an ``effect = {...}`` table of a case.

    Parameters
    ----------
    spec : mapping
        Either ``study`` (a key of the knowledge base's effects) or ``measure``,
        ``estimate`` and one of ``se`` / ``ci95``; and ``baseline`` (may be left out when the
        study gives a ``baseline_rate``) and ``outcome`` (``"adverse"`` or ``"desirable"``).
        ``note`` is free text.
    effects : mapping, optional
        The knowledge base's effect entries by key (:attr:`Knowledge.effects`).
    field : str
        Where the table sits in the case, for error messages.

    Returns
    -------
    (EffectRate, str)
        The distribution, and a note saying which conversion and source were used.

    Raises
    ------
    InputError
        Naming the field, the value and what is allowed.

    Examples
    --------
    >>> d, note = effect_rate({"measure": "risk_ratio", "estimate": 0.92, "se": 0.05,
    ...                        "baseline": 0.3, "outcome": "adverse"})
    >>> d.describe()
    'from RR 0.92 (se of the log 0.05), baseline 30 %, adverse outcome'
    """
    try:
        return _effect_rate(spec, effects or {})
    except InputError as err:
        raise err.under(field) if field else err from None


def _effect_rate(spec: Mapping[str, Any], effects: Mapping[str, Any]) -> tuple[EffectRate, str]:
    if not isinstance(spec, Mapping):
        raise _fail(
            'expected a table, e.g. { study = "<key>", baseline = 0.6, outcome = "adverse" }'
        )
    if "pool" in spec:  # several studies: a random-effects meta-analysis
        from som_mc.inputs.pooling import pooled_effect_rate

        return pooled_effect_rate(spec, effects)
    unknown = [k for k in spec if k not in _SPEC_KEYS]
    if unknown:
        close = difflib.get_close_matches(str(unknown[0]), _SPEC_KEYS, n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        raise InputError(str(unknown[0]), f"unknown key; {hint}allowed: {', '.join(_SPEC_KEYS)}")
    if "outcome" not in spec:
        raise InputError(
            "outcome",
            "required: 'adverse' if the study's event is bad for the citizen (homeless at "
            "follow-up), 'desirable' if it is good (in stable housing)",
        )
    entry = None
    if "study" in spec:
        clash = [k for k in ("measure", "estimate", "se", "ci95") if k in spec]
        if clash:
            raise InputError(
                clash[0], "give either study, or measure, estimate and se or ci95, not both"
            )
        entry = _study(spec["study"], effects)
        measure, estimate, se, ci95 = entry.measure, entry.estimate, entry.se, entry.ci95
        baseline = spec.get("baseline", entry.baseline_rate)
        if baseline is None:
            raise InputError(
                "baseline", "required: the rate of the study's event without the intervention"
            )
    else:
        for key in ("measure", "estimate", "baseline"):
            if key not in spec:
                raise InputError(key, "required (or give study, a key of the knowledge base)")
        measure, estimate, baseline = spec["measure"], spec["estimate"], spec["baseline"]
        se, ci95 = spec.get("se"), spec.get("ci95")
        if measure not in MEASURES:
            raise InputError(
                "measure", f"{measure!r} is not allowed; allowed: {', '.join(MEASURES)}"
            )
        if (se is None) == (ci95 is None):
            raise InputError("se", "give exactly one of se or ci95 = [lo, hi]")
    where_ci = "ci95" if entry is None else "study"
    if se is None:
        lo, hi = _interval(ci95, measure, where_ci)
        se = se_from_ci95(lo, hi, log=measure != "smd")
        how_se = f"se {se:.4g}{'' if measure == 'smd' else ' of the log'} from the 95 % CI"
        ci95 = (lo, hi)
    else:
        se = _number(se, "se")
        how_se = f"se {se:.4g}{'' if measure == 'smd' else ' of the log'} as given"
        ci95 = None if ci95 is None else (float(ci95[0]), float(ci95[1]))
    try:
        dist = EffectRate(
            measure,
            estimate,
            se,
            baseline,
            spec["outcome"],
            ci95=ci95,
            study=entry.key if entry is not None else "",
        )
    except InputError as err:
        key = err.message.split(" ", 1)[0]
        raise InputError(key if key in _SPEC_KEYS else "", err.message) from None
    origin = f"study {entry.key} ({entry.source})" if entry is not None else "the case"
    rate = "p0 - p1" if dist.outcome == "adverse" else "p1 - p0"
    note = (
        f"success.rate: {dist.describe()}, from {origin}; {how_se}; {_SOURCES[measure]}; "
        f"rate = {rate} clipped at 0 (P(harm) {dist.p_harm():.1%}); "
        f"mean rate {dist.mean():.4g}"
    )
    return dist, note


def _study(key: Any, effects: Mapping[str, Any]) -> Any:
    if not isinstance(key, str) or key not in effects:
        close = difflib.get_close_matches(str(key), list(effects), n=3, cutoff=0.5)
        hint = (
            f"did you mean {', '.join(repr(c) for c in close)}? "
            if close
            else "`som-mc knowledge list effects` lists them"
        )
        raise InputError("study", f"{key!r} is not an effect study of the knowledge base; {hint}")
    entry = effects[key]
    if entry.measure not in MEASURES:
        raise InputError(
            "study",
            f"{key} reports a {entry.measure}; only {', '.join(MEASURES)} convert to a rate "
            "(write the rate itself, e.g. a beta or pert from the study's numbers)",
        )
    if entry.se is None and entry.ci95 is None:
        raise InputError(
            "study",
            f"{key} reports no standard error or confidence interval (no uncertainty "
            "reported), so it cannot become a distribution without a judgement; give measure, "
            "estimate and an se you can defend instead, and mark the success illustrative",
        )
    return entry


def _interval(ci95: Any, measure: str, key: str) -> tuple[float, float]:
    if not isinstance(ci95, list | tuple) or len(ci95) != 2:
        raise InputError(key, f"ci95 must be [lo, hi], two numbers; got {ci95!r}")
    lo, hi = _number(ci95[0], "ci95 lo"), _number(ci95[1], "ci95 hi")
    if not lo < hi:
        raise InputError(key, f"ci95 [{lo:g}, {hi:g}]: lo must be below hi")
    if measure != "smd" and not lo > 0:
        raise InputError(key, f"ci95 [{lo:g}, {hi:g}] of a {measure} must be above 0")
    return lo, hi


def resolve_success_effect(success: dict, effects: Mapping[str, Any]) -> str | None:
    """Replace ``effect`` in a case's ``[success]`` table by the rate it implies.

    Called by the loader (:func:`som_mc.inputs.case.resolve.resolve_case`) before validation;
    changes ``success`` in place and returns the note for the case's notes (None when there
    is no ``effect``).

    Raises
    ------
    InputError
        At ``success.effect...`` for a bad effect table, or ``success.rate`` when the table
        also gives a rate.
    """
    if "effect" not in success:
        return None
    for key in ("rate", "gross_rate", "deadweight"):
        if key in success:
            raise InputError(
                f"success.{key}", "give either effect, or rate, or gross_rate and deadweight"
            )
    spec = success.pop("effect")
    dist, note = effect_rate(spec, effects, field="success.effect")
    success["rate"] = dist
    if dist.study and "source" not in success:
        success["source"] = f"{dist.study}: {effects[dist.study].source}"
    return note
