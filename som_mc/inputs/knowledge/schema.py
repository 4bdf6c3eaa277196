"""The entries of the knowledge-base files, as pydantic models (structure and types only;
cross-references are checked in :mod:`som_mc.inputs.knowledge.base`)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr

from som_mc.inputs.case.schema import Number

__all__ = [
    "ConsequenceEntry",
    "EffectEntry",
    "EvidenceLevelEntry",
    "HighCostEntry",
    "IndexEntry",
    "LadderEntry",
    "Manifest",
    "PresetEntry",
    "PriceEntry",
    "ProfileEntry",
    "RuleEntry",
    "TargetGroupEntry",
    "TaxEntry",
    "WageEntry",
]

#: Must match :data:`som_mc.conventions.ACTORS`, in order (tests/test_vocabulary.py checks it);
#: a Literal is spelled out so that pydantic and type checkers can read it.
Actor = Literal["kommune", "region", "stat"]
Confidence = Literal["high", "medium", "low"]
Key = Annotated[StrictStr, Field(pattern=r"^[a-z][a-z0-9_]*$")]
Year = Annotated[StrictInt, Field(ge=1900, le=2100)]


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Manifest(_Entry):
    version: StrictStr
    description: StrictStr
    files: dict[StrictStr, StrictStr]
    units: list[StrictStr] = Field(min_length=1)


class ConsequenceEntry(_Entry):
    key: Key
    label_da: StrictStr
    label_en: StrictStr
    unit: StrictStr
    area: Literal["employment", "education", "social", "health", "crime"]
    kind: Literal["expenditure", "revenue"]
    # Years from success the line can last at most (a refund period, a maximum benefit
    # duration), with its source; None: not limited in time.
    max_years: Annotated[StrictInt, Field(ge=1, le=50)] | None = None
    max_years_source: StrictStr = ""
    # A benefit paid to the citizen (an income transfer): its prices need a tax treatment.
    transfer: StrictBool = False
    note: StrictStr = ""


class PriceEntry(_Entry):
    consequence: Key
    variant: StrictStr = ""
    default: StrictBool = False
    figure: StrictStr | None = None
    figure_low: StrictStr | None = None
    figure_high: StrictStr | None = None
    figures: list[StrictStr] | None = None
    value: Number | None = None
    derivation: StrictStr = ""
    confidence: Confidence | None = None
    factor: StrictStr = "1"
    price_year: Year | None = None
    price_year_note: StrictStr = ""
    split: StrictStr | None = None
    index: StrictStr
    # Tax treatment: the key of a [[tax]] entry in rules.toml (a taxable transfer: the public
    # purse gets that tax back on every krone paid), or "none" with tax_note saying why.
    tax: StrictStr | None = None
    tax_note: StrictStr = ""
    # The key of a [[high_cost]] entry of rules.toml: the state's refund of an expensive case
    # (SEL § 176) applies to this price, a year of a service for one person.
    high_cost: StrictStr | None = None
    note: StrictStr = ""


class RuleEntry(_Entry):
    key: Key
    description: StrictStr
    shares: dict[StrictStr, Number] = Field(min_length=1)
    figure: StrictStr | None = None
    figure_actor: StrictStr | None = None
    figures: list[StrictStr] | None = None
    derivation: StrictStr = ""
    source: StrictStr = ""
    valid_from: Year | None = None
    # The rule holds for at most this many years from success (the state's refund for 2
    # years); a consequence priced with it must be limited as much.
    max_years: Annotated[StrictInt, Field(ge=1, le=50)] | None = None
    # A cap per unit on cap_actor's share (co-financing "up to DKK x per contact"): the figure
    # giving it, its price year if the figure is undated (with cap_price_year_note) and the
    # index that moves it to a case's price year. The excess falls to the other actors.
    cap_figure: StrictStr | None = None
    cap_actor: Actor | None = None
    cap_price_year: Year | None = None
    cap_price_year_note: StrictStr = ""
    cap_index: StrictStr = "pl_generel_stat"
    confidence: Confidence


class TaxEntry(_Entry):
    """Income tax the public purse gets back on each krone of a taxable transfer, by actor."""

    key: Key
    description: StrictStr
    rates: dict[Actor, Annotated[Number, Field(ge=0, lt=1)]] = Field(min_length=1)
    # The sourced figure that gives each actor's rate; the loader checks they agree.
    figures: dict[Actor, StrictStr] = Field(min_length=1)
    derivation: StrictStr = Field(min_length=1)
    valid_from: Year
    confidence: Confidence


class LadderBand(_Entry):
    from_week: Annotated[StrictInt, Field(ge=1)]
    rule: Key


class LadderEntry(_Entry):
    """A split that changes with the citizen's time on public support (refusionstrappen).

    Each band names the [[rule]] that splits a unit from week ``from_week`` of the citizen's
    total time on support on; a case line says how many weeks the citizen had on support
    before the year of success (``prior_weeks``, default ``default_prior_weeks``).
    """

    key: Key
    description: StrictStr
    bands: list[LadderBand] = Field(min_length=2)
    default_prior_weeks: Annotated[StrictInt, Field(ge=0)]
    default_prior_weeks_note: StrictStr = Field(min_length=1)
    source: StrictStr = Field(min_length=1)
    confidence: Confidence


class HighCostTier(_Entry):
    above_figure: StrictStr
    rate: Annotated[Number, Field(gt=0, le=1)]


class HighCostEntry(_Entry):
    """A refund of the part of one person's yearly cost above thresholds (SEL § 176).

    ``refunder`` pays ``rate`` of the part of ``payer``'s yearly cost of one person that lies
    between a tier's threshold and the next one's (the figures give the thresholds); the
    thresholds move to a case's price year by ``index``.
    """

    key: Key
    description: StrictStr
    payer: Actor
    refunder: Actor
    tiers: list[HighCostTier] = Field(min_length=1)
    index: StrictStr = "pl_generel_stat"
    source: StrictStr = Field(min_length=1)
    confidence: Confidence


class IndexEntry(_Entry):
    key: Key
    name: StrictStr
    kind: Literal["levels", "changes"]
    base: StrictStr = ""
    source: StrictStr
    url: StrictStr
    retrieved_note: StrictStr = ""
    values: dict[StrictStr, Number] = Field(min_length=1)


class ProfileEntry(_Entry):
    consequence: Key
    values: list[Number] = Field(min_length=1, max_length=50)
    illustrative: StrictBool = False
    reasoning: StrictStr = ""
    source: StrictStr = ""
    url: StrictStr = ""


class TargetGroupEntry(_Entry):
    key: Key
    label_da: StrictStr
    label_en: StrictStr
    description: StrictStr
    source: StrictStr
    profile: list[ProfileEntry] = Field(default_factory=list)


class EffectEntry(_Entry):
    key: Key
    intervention: StrictStr
    target_group: StrictStr
    outcome: StrictStr
    measure: Literal["odds_ratio", "risk_ratio", "risk_difference", "smd", "proportion"]
    estimate: Number
    se: Number | None = Field(default=None, gt=0)
    ci95: list[Number] | None = Field(default=None, min_length=2, max_length=2)
    n: StrictInt | None = Field(default=None, ge=1)
    baseline_rate: Number | None = Field(default=None, ge=0, le=1)
    treatment_rate: Number | None = Field(default=None, ge=0, le=1)
    evidence_level: Literal[1, 2, 3]
    country: StrictStr = ""
    source: StrictStr = Field(min_length=1)
    url: StrictStr = ""
    note: StrictStr = ""


class PresetEntry(_Entry):
    key: Key
    applies_to: Literal["price", "success_rate", "profile_scale", "cost", "any"]
    family: Literal["lognormal", "gamma", "beta", "pert"]
    cv: Number
    reasoning: StrictStr = Field(min_length=1)


class WageEntry(_Entry):
    """A staff type's hourly wage for the cost model (``knowledge/wages.toml``,
    :mod:`som_mc.inputs.costs`): a sourced figure with its price year, moved to a case's price
    year by ``index`` and given the uncertainty of ``preset``."""

    key: Key
    label: StrictStr = Field(min_length=1)
    value: Annotated[Number, Field(gt=0)]
    p25: Annotated[Number, Field(gt=0)] | None = None
    p75: Annotated[Number, Field(gt=0)] | None = None
    price_year: Year
    index: Key
    unit: StrictStr = Field(min_length=1)
    preset: Key
    source: StrictStr = Field(min_length=1)
    url: StrictStr = ""
    note: StrictStr = ""


class EvidenceLevelEntry(_Entry):
    """How a study of an evidence level is widened (``se_factor``) and adjusted
    (``effect_factor``) before pooling (``knowledge/evidence_levels.toml``,
    :mod:`som_mc.inputs.pooling`); a judgement, with its reasoning."""

    level: Literal[1, 2, 3]
    se_factor: Annotated[Number, Field(ge=1)]
    effect_factor: Annotated[Number, Field(gt=0, le=1)]
    reasoning: StrictStr = Field(min_length=1)
