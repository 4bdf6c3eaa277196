"""The entries of the knowledge-base files, as pydantic models (structure and types only;
cross-references are checked in :mod:`som_mc.inputs.knowledge.base`)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr

from som_mc.inputs.case.schema import Number

__all__ = [
    "ConsequenceEntry",
    "EffectEntry",
    "IndexEntry",
    "Manifest",
    "PresetEntry",
    "PriceEntry",
    "ProfileEntry",
    "RuleEntry",
    "TargetGroupEntry",
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
