"""Random-effects meta-analysis: several studies of one intervention and outcome, pooled.

Each study gives an estimate ``y_i`` on the analysis scale (ln OR, ln RR, or an SMD) and its
standard error ``s_i``. The random-effects model (DerSimonian & Laird 1986; Borenstein et al.
2009, *Introduction to Meta-Analysis*, ch. 12) says ``y_i ~ N(theta_i, s_i^2)`` with the true
effects of the settings ``theta_i ~ N(mu, tau^2)``. :func:`pool` estimates:

- ``tau^2`` by DerSimonian-Laird's method of moments or by restricted maximum likelihood
  (REML; Viechtbauer 2005, Statistics in Medicine 24:3681-3708, as metafor's ``rma``);
- ``mu`` with weights ``1 / (s_i^2 + tau^2)`` and its standard error, the confidence interval
  on the normal, or with the Hartung-Knapp(-Sidik-Jonkman) adjustment on a t with k - 1
  degrees of freedom (Hartung & Knapp 2001; Sidik & Jonkman 2002);
- the heterogeneity statistics: Cochran's ``Q`` (with the fixed-effect weights), ``I^2`` and
  ``H^2`` (Higgins & Thompson 2002, with the "typical" within-study variance, as metafor);
- the **prediction interval** of the effect in a new setting, ``mu +- c sqrt(tau^2 + se^2)``,
  ``c`` the normal quantile, or the t quantile with k - 1 degrees of freedom under
  Hartung-Knapp (as metafor's ``predict.rma``; Higgins, Thompson & Spiegelhalter 2009 propose
  k - 2).

A case uses the **prediction** distribution by default: a municipality is a new setting, and
its effect varies around ``mu`` by ``tau``. som-mc samples it as a normal with variance
``tau^2 + se^2`` on the analysis scale (an :class:`~som_mc.inputs.evidence.EffectRate`), which
is exact for the DerSimonian-Laird/REML normal interval; the Student-t of a Hartung-Knapp
interval has heavier tails than this normal (a t family would need its own compiled inverse
CDF, docs/evidence.md).

Hand-written (about sixty lines of numpy and scipy): statsmodels' ``combine_effects`` has DL
and Paule-Mandel but no REML, and no meta-analysis library is a dependency of som-mc.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from scipy import optimize, stats

from som_mc.errors import InputError
from som_mc.inputs.distributions import finite_number
from som_mc.inputs.evidence import (
    LOGIT_PER_SMD,
    MEASURES,
    OUTCOMES,
    EffectRate,
    se_from_ci95,
)
from som_mc.inputs.knowledge.base import load_knowledge
from som_mc.inputs.knowledge.schema import EvidenceLevelEntry

__all__ = [
    "METHODS",
    "EvidenceLevel",
    "PoolResult",
    "Study",
    "adjust_for_evidence",
    "load_evidence_levels",
    "pool",
    "pool_spec",
    "pooled_effect_rate",
    "studies_from_spec",
]

METHODS: tuple[str, ...] = ("REML", "DL")
_USES = ("prediction", "mean")
_POOL_KEYS = (
    "pool", "baseline", "outcome", "use", "method", "hartung_knapp", "evidence", "note",
)  # fmt: skip
_STUDY_KEYS = ("label", "measure", "estimate", "se", "ci95", "evidence_level")


@dataclass(frozen=True)
class Study:
    """One study on the pooling scale: ``y`` (ln OR, ln RR or SMD) and its standard error."""

    label: str
    measure: str  # of y: "odds_ratio" (ln OR), "risk_ratio" (ln RR) or "smd"
    y: float
    se: float
    evidence_level: int | None = None


#: How a study of an evidence level is widened and adjusted before pooling: an entry of
#: ``knowledge/evidence_levels.toml``, checked with the rest of the knowledge base.
EvidenceLevel = EvidenceLevelEntry


@dataclass(frozen=True)
class PoolResult:
    """A random-effects meta-analysis, on the analysis scale of :attr:`measure`.

    ``ci`` and ``pi`` are the confidence interval of ``mu`` and the prediction interval of a
    new setting's effect at ``level``; ``weights`` are the studies' relative weights (sum 1).
    """

    studies: tuple[Study, ...]
    measure: str
    method: str
    hartung_knapp: bool
    level: float
    estimate: float
    se: float
    tau2: float
    q: float
    i2: float
    h2: float
    ci: tuple[float, float]
    pi: tuple[float, float]
    weights: np.ndarray = field(repr=False)

    @property
    def k(self) -> int:
        """Number of studies."""
        return int(self.weights.size)

    @property
    def tau(self) -> float:
        """Standard deviation of the true effects between settings."""
        return math.sqrt(self.tau2)

    @property
    def q_p(self) -> float:
        """p-value of Cochran's Q on k - 1 degrees of freedom (NaN for one study)."""
        return float(stats.chi2.sf(self.q, self.k - 1)) if self.k > 1 else math.nan

    @property
    def prediction_sd(self) -> float:
        """Standard deviation of a new setting's effect: ``sqrt(tau^2 + se^2)``."""
        return math.sqrt(self.tau2 + self.se**2)


def pool(
    y: Sequence[float],
    se: Sequence[float],
    *,
    method: str = "REML",
    hartung_knapp: bool = False,
    level: float = 0.95,
    studies: Sequence[Study] | None = None,
    measure: str = "",
) -> PoolResult:
    """Pool estimates ``y`` with standard errors ``se`` by a random-effects model.

    Parameters
    ----------
    y, se : sequence of float
        The studies' estimates and standard errors on one analysis scale.
    method : {"REML", "DL"}
        Estimator of ``tau^2``.
    hartung_knapp : bool
        Hartung-Knapp(-Sidik-Jonkman) standard error and t-based intervals (k - 1 df),
        without truncation of the adjustment factor at 1 (metafor's ``test = "knha"``).
    level : float
        Level of the confidence and prediction intervals.

    Examples
    --------
    >>> r = pool([0.1, 0.3, 0.5], [0.1, 0.1, 0.1], method="DL")
    >>> round(r.estimate, 4), round(r.tau2, 4), round(r.q, 4)
    (0.3, 0.03, 8.0)
    """
    if method not in METHODS:
        raise InputError("method", f"{method!r} is not allowed; allowed: {', '.join(METHODS)}")
    y = np.asarray(y, dtype=float)
    v = np.asarray(se, dtype=float) ** 2
    k = y.size
    if k == 0 or v.size != k or not np.all(v > 0) or not np.all(np.isfinite(y)):
        raise InputError("pool", "needs at least one study, each with an estimate and an se > 0")
    w = 1.0 / v
    fixed = float(np.sum(w * y) / np.sum(w))
    q = float(np.sum(w * (y - fixed) ** 2))
    if k == 1:
        tau2 = 0.0  # one study holds no information on the heterogeneity between settings
    elif method == "DL":
        c = float(np.sum(w) - np.sum(w**2) / np.sum(w))
        tau2 = max(0.0, (q - (k - 1)) / c)
    else:
        tau2 = _reml(y, v)
    wr = 1.0 / (v + tau2)
    mu = float(np.sum(wr * y) / np.sum(wr))
    se_mu = math.sqrt(1.0 / np.sum(wr))
    if hartung_knapp and k > 1:
        se_mu = math.sqrt(float(np.sum(wr * (y - mu) ** 2)) / ((k - 1) * np.sum(wr)))
        crit = float(stats.t.ppf(0.5 + level / 2, k - 1))
    else:
        crit = float(stats.norm.ppf(0.5 + level / 2))
    # "Typical" within-study variance (Higgins & Thompson 2002, eq. 9), metafor's I^2 and H^2.
    s2 = (k - 1) * np.sum(w) / (np.sum(w) ** 2 - np.sum(w**2)) if k > 1 else float(v[0])
    i2 = 100.0 * tau2 / (tau2 + s2)
    sd_new = math.sqrt(tau2 + se_mu**2)
    return PoolResult(
        studies=tuple(studies) if studies is not None else (),
        measure=measure,
        method=method,
        hartung_knapp=hartung_knapp,
        level=level,
        estimate=mu,
        se=se_mu,
        tau2=tau2,
        q=q,
        i2=float(i2),
        h2=float((tau2 + s2) / s2),
        ci=(mu - crit * se_mu, mu + crit * se_mu),
        pi=(mu - crit * sd_new, mu + crit * sd_new),
        weights=wr / np.sum(wr),
    )


def _reml(y: np.ndarray, v: np.ndarray) -> float:
    """The REML estimate of tau^2: the maximum of the restricted log-likelihood on [0, inf)
    (Viechtbauer 2005, eq. 10), by bounded Brent search to 1e-12."""

    def minus_loglik(tau2: float) -> float:
        w = 1.0 / (v + tau2)
        mu = np.sum(w * y) / np.sum(w)
        return 0.5 * float(np.sum(np.log(v + tau2)) + np.log(np.sum(w)) + np.sum(w * (y - mu) ** 2))

    top = 10.0 * float(np.var(y) + np.max(v)) + 1.0
    found = optimize.minimize_scalar(
        minus_loglik, bounds=(0.0, top), method="bounded", options={"xatol": 1e-12}
    )
    best = float(found.x)
    return 0.0 if minus_loglik(0.0) <= minus_loglik(best) else best


# --------------------------------------------------------------------------------------------
# Studies from a case or the knowledge base
# --------------------------------------------------------------------------------------------


def load_evidence_levels(path: str | Path | None = None) -> dict[int, EvidenceLevel]:
    """The evidence-level presets (``knowledge/evidence_levels.toml``), by level, from the
    knowledge base at ``path`` (a knowledge folder; default the shipped one)."""
    return load_knowledge(path).evidence_levels


def studies_from_spec(entries: Any, effects: Mapping[str, Any]) -> list[Study]:
    """The studies of ``pool = [...]``: keys of the knowledge base's effects, or tables with
    ``label``, ``measure``, ``estimate``, ``se`` or ``ci95`` and optional ``evidence_level``.

    SMDs are kept on their scale when every study is an SMD, and moved to ln OR
    (``x pi / sqrt(3)``, as :func:`som_mc.inputs.evidence.log_odds_ratio_from_smd`) when they
    are pooled with odds ratios. Risk ratios pool only with risk ratios.

    Raises
    ------
    InputError
        At ``pool[i]`` (or ``pool[i].<key>``) for an unknown study, a measure that does not
        convert, or a study without a standard error or interval.
    """
    if not isinstance(entries, list) or not entries:
        raise InputError("pool", 'a list of studies, e.g. pool = ["study_a", "study_b"]')
    raw = []
    for i, entry in enumerate(entries):
        try:
            raw.append(_raw_study(entry, effects))
        except InputError as err:
            raise err.under(f"pool[{i}]") from None
    measures = {m for _, m, _, _, _ in raw}
    if "risk_ratio" in measures and len(measures) > 1:
        raise InputError(
            "pool", "risk ratios pool only with risk ratios (odds ratios and SMDs share ln OR)"
        )
    scale = "smd" if measures == {"smd"} else raw[0][1] if len(measures) == 1 else "odds_ratio"
    out = []
    for label, measure, est, se, lvl in raw:
        y, s = (est, se) if measure == "smd" else (math.log(est), se)
        if measure == "smd" and scale == "odds_ratio":
            y, s = y * LOGIT_PER_SMD, s * LOGIT_PER_SMD
        out.append(Study(label, scale, y, s, lvl))
    return out


def _raw_study(entry: Any, effects: Mapping[str, Any]) -> tuple:
    if isinstance(entry, str):
        if entry not in effects:
            close = difflib.get_close_matches(entry, list(effects), n=2, cutoff=0.5)
            hint = f"did you mean {', '.join(map(repr, close))}? " if close else ""
            raise InputError(
                "",
                f"{entry!r} is not an effect study of the knowledge base; {hint}"
                "`som-mc knowledge list effects` lists them",
            )
        e = effects[entry]
        spec = {"label": entry, "measure": e.measure, "estimate": e.estimate,
                "evidence_level": e.evidence_level}  # fmt: skip
        if e.se is not None:
            spec["se"] = e.se
        elif e.ci95 is not None:
            spec["ci95"] = list(e.ci95)
        else:
            raise InputError(
                "se",
                f"{entry} reports no standard error or confidence interval, so it cannot be "
                "weighted; leave it out of the pool or give its numbers with an se you can defend",
            )
    elif isinstance(entry, dict):
        spec = entry
        for key in spec:
            if key not in _STUDY_KEYS:
                raise InputError(str(key), f"unknown key; allowed: {', '.join(_STUDY_KEYS)}")
        for key in ("measure", "estimate"):
            if key not in spec:
                raise InputError(key, "required")
        if "se" not in spec and "ci95" not in spec:
            raise InputError(
                "se", "required (or ci95 = [lo, hi]): a study without one cannot be weighted"
            )
    else:
        raise InputError("", f"{entry!r} is neither a study key nor a table")
    measure = spec["measure"]
    if measure not in MEASURES:
        raise InputError(
            "measure", f"{measure!r} does not pool into a rate; allowed: {', '.join(MEASURES)}"
        )
    est = finite_number(spec["estimate"], "estimate")
    if measure != "smd" and not est > 0:
        raise InputError("estimate", f"{est:g} of a {measure} must be > 0")
    if "se" in spec:
        se = finite_number(spec["se"], "se")
    else:
        ci = spec["ci95"]
        if not isinstance(ci, list | tuple) or len(ci) != 2 or not ci[0] < ci[1]:
            raise InputError("ci95", f"must be [lo, hi] with lo < hi; got {ci!r}")
        se = se_from_ci95(float(ci[0]), float(ci[1]), log=measure != "smd")
    if not se > 0:
        raise InputError("se", f"{se:g} must be > 0")
    level = spec.get("evidence_level")
    if level is not None and level not in (1, 2, 3):
        raise InputError("evidence_level", f"{level!r} is not allowed; allowed: 1, 2, 3")
    return str(spec.get("label", "")), measure, est, se, level


def adjust_for_evidence(studies: list[Study], levels: Mapping[int, EvidenceLevel]) -> list[Study]:
    """Each study widened and adjusted by its evidence level's preset (level 1 if unknown)."""
    out = []
    for s in studies:
        lvl = levels[s.evidence_level or 1]
        out.append(Study(s.label, s.measure, s.y * lvl.effect_factor, s.se * lvl.se_factor,
                         s.evidence_level))  # fmt: skip
    return out


def pool_spec(spec: Mapping[str, Any], effects: Mapping[str, Any]) -> PoolResult:
    """The meta-analysis an ``effect = { pool = [...], ... }`` table asks for."""
    unknown = [k for k in spec if k not in _POOL_KEYS]
    if unknown:
        close = difflib.get_close_matches(str(unknown[0]), _POOL_KEYS, n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        raise InputError(str(unknown[0]), f"unknown key; {hint}allowed: {', '.join(_POOL_KEYS)}")
    studies = studies_from_spec(spec["pool"], effects)
    evidence = spec.get("evidence", False)
    if not isinstance(evidence, bool):
        raise InputError("evidence", f"{evidence!r} is not true or false")
    if evidence:
        studies = adjust_for_evidence(studies, load_evidence_levels())
    hk = spec.get("hartung_knapp", False)
    if not isinstance(hk, bool):
        raise InputError("hartung_knapp", f"{hk!r} is not true or false")
    return pool(
        [s.y for s in studies],
        [s.se for s in studies],
        method=spec.get("method", "REML"),
        hartung_knapp=hk,
        studies=studies,
        measure=studies[0].measure,
    )


def pooled_effect_rate(
    spec: Mapping[str, Any], effects: Mapping[str, Any]
) -> tuple[EffectRate, str]:
    """The success-rate distribution of an ``effect = { pool = [...] }`` table, and a note.

    ``use = "prediction"`` (default) samples a new setting's effect, normal with sd
    ``sqrt(tau^2 + se^2)``; ``use = "mean"`` samples the mean effect (sd ``se``), which
    ignores that settings differ. With one study, both equal the study's own conversion
    (:func:`som_mc.inputs.evidence.effect_rate`).

    Raises
    ------
    InputError
        At the key of the table that is wrong.
    """
    result = pool_spec(spec, effects)
    use = spec.get("use", "prediction")
    if use not in _USES:
        raise InputError("use", f"{use!r} is not allowed; allowed: {', '.join(_USES)}")
    for key in ("baseline", "outcome"):
        if key not in spec:
            raise InputError(key, "required with pool")
    if spec["outcome"] not in OUTCOMES:
        raise InputError(
            "outcome", f"{spec['outcome']!r} is not allowed; allowed: adverse, desirable"
        )
    sd = result.prediction_sd if use == "prediction" else result.se
    m = result.measure
    estimate = result.estimate if m == "smd" else math.exp(result.estimate)
    # EffectRate's se is on the analysis scale: of the SMD, or of ln OR / ln RR.
    dist = EffectRate(m, estimate, sd, spec["baseline"], spec["outcome"])
    labels = ", ".join(s.label or f"study {i + 1}" for i, s in enumerate(result.studies))
    hk = ", Hartung-Knapp" if result.hartung_knapp else ""
    note = (
        f"success.rate: random-effects pool ({result.method}{hk}) of {result.k} stud"
        f"{'y' if result.k == 1 else 'ies'} ({labels}) on the "
        f"{'SMD' if m == 'smd' else 'ln ' + MEASURES[m]} scale: mu {result.estimate:.4g} "
        f"(se {result.se:.4g}), tau^2 {result.tau2:.4g}, I^2 {result.i2:.1f} %, Q {result.q:.4g}; "
        f"using the {use} distribution (sd {sd:.4g}); {dist.describe()}; "
        f"P(harm) {dist.p_harm():.1%}; mean rate {dist.mean():.4g}"
    )
    return dist, note
