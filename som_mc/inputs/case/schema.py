"""The structure of a business-case file, as pydantic models.

pydantic checks the structure (required fields, types, unknown keys) better than code we would
write; :mod:`som_mc.inputs.case.load` turns its errors into one-line messages. Every number that
may be uncertain is a :data:`Quantity`: a plain number or an inline table with
``dist = "..."``, parsed by :func:`som_mc.inputs.distributions.from_spec` into a
:class:`~som_mc.inputs.distributions.Distribution`.
"""

from __future__ import annotations

import itertools
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    StrictBool,
    StrictInt,
    StrictStr,
    model_validator,
)
from pydantic_core import PydanticCustomError

from som_mc.checks import is_number
from som_mc.conventions import RULES
from som_mc.errors import InputError
from som_mc.inputs.distributions import Choice, Distribution, from_spec

__all__ = [
    "CaseModel",
    "ConsequenceLine",
    "CorrelationBlock",
    "CostFactor",
    "CostLine",
    "Extrapolation",
    "Intake",
    "Quantity",
    "Subgroup",
    "Success",
]


def _parse_quantity(value: Any) -> Distribution:
    try:
        return from_spec(value, field="")
    except InputError as err:
        # The sub-key inside the distribution table (".sd"), if the parser named one, goes
        # into the error location; the translation in load.py appends it to the field path.
        sub = err.field.lstrip(".")
        raise PydanticCustomError(
            "quantity", "{message}", {"message": err.message, "sub": sub}
        ) from None


def _within(lo: float, hi: float, what: str, hint: str):
    """A check that a quantity's whole support lies in [lo, hi]."""

    def check(dist: Distribution) -> Distribution:
        s_lo, s_hi = dist.support()
        if s_lo >= lo and s_hi <= hi:
            return dist
        if dist.is_fixed:
            value = dist.central()
            side = "below" if value < lo else "above"
            bound = lo if value < lo else hi
            msg = f"{value:g} is {side} {bound:g}; {what} is in [{lo:g}, {hi:g}]"
        else:
            msg = (
                f"{dist.describe()} can take values outside [{lo:g}, {hi:g}], "
                f"the range of {what}; {hint}"
            )
        raise PydanticCustomError("quantity_range", "{message}", {"message": msg, "sub": ""})

    return check


_BOUNDED_DISTS = "use beta, pert, triangular, uniform or truncnormal with min and max"

#: A number that may be uncertain: a point value or a distribution.
Quantity = Annotated[Distribution, PlainValidator(_parse_quantity)]
#: A quantity on [0, 1]: a probability or a share.
Probability = Annotated[
    Distribution,
    PlainValidator(_parse_quantity),
    AfterValidator(_within(0.0, 1.0, "a probability or share", _BOUNDED_DISTS)),
]
#: A quantity that cannot be negative (a number of people).
NonNegative = Annotated[
    Distribution,
    PlainValidator(_parse_quantity),
    AfterValidator(
        _within(0.0, float("inf"), "a count", "use lognormal, gamma, pert or truncnormal with min")
    ),
]
#: A discount rate: between 0 and 100 % a year.
_rate_range = _within(0.0, 1.0, "a discount rate", _BOUNDED_DISTS)


def _parse_discount(value: Any) -> Distribution | str:
    # The Finance Ministry's declining schedule is named, not sampled.
    if value == "fm2021":
        return value
    if isinstance(value, str):
        raise PydanticCustomError(
            "quantity",
            "{message}",
            {
                "message": f"'{value}' is not allowed; give a number, a distribution or 'fm2021'",
                "sub": "",
            },
        )
    return _rate_range(_parse_quantity(value))


#: A discount rate a year: a number or distribution on [0, 1], or ``"fm2021"`` for the Danish
#: Finance Ministry's schedule (3.5 % a year for years 1-35, 2.5 % after).
Rate = Annotated[Distribution | str, PlainValidator(_parse_discount)]


def _number(value: Any) -> float:
    # TOML gives int, float or bool; true is an int to Python, and is not a number here.
    if not is_number(value):
        raise PydanticCustomError("float_type", "not a number")
    return float(value)


#: A plain number (not a distribution), int or float but not true/false.
Number = Annotated[float, PlainValidator(_number)]

#: Must match :data:`som_mc.conventions.ACTORS`, in order (tests/test_vocabulary.py checks it);
#: a Literal is spelled out so that pydantic and type checkers can read it.
Actor = Literal["kommune", "region", "stat"]
Year = Annotated[StrictInt, Field(ge=1, le=50)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True, frozen=True)


class Intake(_Strict):
    """Who starts, when, and for how long.

    ``participants[i]`` is the number starting in year ``i + 1`` of the horizon; a single
    number means everyone starts in year 1.
    """

    participants: list[NonNegative] = Field(min_length=1, max_length=50)
    course_years: Annotated[StrictInt, Field(ge=1, le=50)] = 1
    dropout: Probability = Field(default_factory=lambda: from_spec(0.0, field=""))

    @model_validator(mode="before")
    @classmethod
    def _scalar_participants(cls, data: Any) -> Any:
        if isinstance(data, dict) and not isinstance(data.get("participants", []), list):
            data = {**data, "participants": [data["participants"]]}
        return data


class CostFactor(_Strict):
    """A factor of a cost line's amount: the amount is multiplied by ``(add + value)`` (power
    1) or divided by it (power -1). ``[[resource]]`` lines of a case become cost lines with
    factors (hours x wage x (1 + overhead) / caseload; :mod:`som_mc.inputs.costs`); each
    factor is an input of its own (``cost.<line>.<name>``) in the sensitivity analysis."""

    name: Annotated[StrictStr, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    value: Quantity
    add: Number = 0.0
    power: Literal[1, -1] = 1

    @model_validator(mode="after")
    def _no_division_by_zero(self) -> CostFactor:
        if self.power == -1 and not self.value.support()[0] + self.add > 0:
            raise _located(
                "value",
                f"{self.value.describe()} can be 0 or below; a divisor must stay above 0",
            )
        return self


class CostLine(_Strict):
    """One cost of the intervention, charged to one actor.

    ``startup`` is charged once (in year 1 unless ``years`` says otherwise); ``operating`` every
    year that participants are in a course; ``per_participant`` once per participant, in the
    year they start; ``per_participant_year`` per participant for each year of their course.
    A negative amount is a saving: the business-as-usual alternative the participants no
    longer use.
    """

    label: StrictStr
    type: Literal["startup", "operating", "per_participant", "per_participant_year"]
    amount: Quantity
    actor: Actor = "kommune"
    years: list[Year] | None = None
    factors: list[CostFactor] = Field(default_factory=list, max_length=8)
    resource: Literal["", "staff", "material", "setup", "training", "alternative"] = ""
    source: StrictStr = ""
    illustrative: StrictBool = False


class ObservedCohort(_Strict):
    """What a running intervention has seen of one of the case's cohorts: of the ``completers``
    of the cohort that started in year ``cohort``, ``successes`` reached the goal. The kernel
    uses these numbers as they are for that cohort (nothing re-drawn) and draws only the other
    cohorts (docs/model.md §6, follow-up). ``som-mc update`` writes it."""

    cohort: Annotated[StrictInt, Field(ge=1, le=50)] = 1
    completers: Annotated[StrictInt, Field(ge=1)]
    successes: Annotated[StrictInt, Field(ge=0)]

    @model_validator(mode="after")
    def _k_of_n(self) -> ObservedCohort:
        if self.successes > self.completers:
            raise PydanticCustomError(
                "observed_k_of_n",
                "{message}",
                {
                    "message": f"successes {self.successes} exceed completers "
                    f"{self.completers}; allowed: 0 <= successes <= completers",
                    "sub": "",
                },
            )
        return self


class Success(_Strict):
    """The share of completers who reach the goal, net of deadweight.

    Give either ``rate`` (net) or ``gross_rate`` and ``deadweight`` (the share of participants
    who would have reached the goal anyway); the net rate is then
    ``max(gross_rate - deadweight, 0)``. ``persistence`` is the annual probability that a
    success lasts another year (1 = SØM's convention, where relapse is inside the profiles).
    ``transfer`` is an uncertain transferability factor: the net rate is multiplied by it
    (capped at 1), for a study's effect moved to another setting (docs/evidence.md).
    A case file may also give ``effect = {...}`` (a study's effect size and a baseline rate);
    the loader turns it into ``rate`` before validation (see :mod:`som_mc.inputs.evidence`).
    ``applies_to`` says whom the rate is a share of: ``"completers"`` (the default; those who
    drop out never succeed) or ``"starters"`` (an effect estimated by intention to treat, on
    everyone who started: dropout is then not removed again). ``observed`` fixes the outcome
    of a cohort already seen (:class:`ObservedCohort`).
    """

    rate: Probability | None = None
    gross_rate: Probability | None = None
    deadweight: Probability | None = None
    persistence: Probability = Field(default_factory=lambda: from_spec(1.0, field=""))
    transfer: NonNegative | None = None
    applies_to: Literal["completers", "starters"] = "completers"
    observed: ObservedCohort | None = None
    source: StrictStr = ""
    illustrative: StrictBool = False

    @model_validator(mode="after")
    def _one_way(self) -> Success:
        if self.rate is not None and (self.gross_rate is not None or self.deadweight is not None):
            raise PydanticCustomError(
                "success_form",
                "{message}",
                {"message": "give either rate, or gross_rate and deadweight, not both", "sub": ""},
            )
        if self.rate is None and (self.gross_rate is None or self.deadweight is None):
            raise PydanticCustomError(
                "success_form",
                "{message}",
                {
                    "message": "rate is required (or gross_rate and deadweight), "
                    "or effect = { ... }, a study's effect size",
                    "sub": "",
                },
            )
        return self


class Refund(_Strict):
    """A refund of the part of one person's yearly cost above thresholds (SEL § 176).

    ``refunder`` pays ``rate[j]`` of the part of ``payer``'s share of one unit's price that lies
    between ``above[j]`` and ``above[j + 1]`` (the last tier has no top), in the case's price
    year (docs/model.md §3). A catalogued price that the refund applies to fills it in.
    """

    payer: Actor
    refunder: Actor
    above: list[Annotated[Number, Field(gt=0)]] = Field(min_length=1, max_length=10)
    rate: list[Annotated[Number, Field(gt=0, le=1)]] = Field(min_length=1, max_length=10)

    @model_validator(mode="after")
    def _tiers(self) -> Refund:
        if self.payer == self.refunder:
            raise _located("refunder", f"{self.refunder} is also the payer")
        if len(self.above) != len(self.rate):
            raise _located("rate", f"{len(self.rate)} rates for {len(self.above)} thresholds")
        if any(b <= a for a, b in itertools.pairwise(self.above)):
            raise _located("above", f"the thresholds must rise; they are {self.above}")
        return self


class ConsequenceLine(_Strict):
    """A change in the use of one public service per successful citizen, and its prices.

    ``profile[k]`` is the change in units in year ``k + 1`` after success (year 1 is the year the
    course is completed): negative for fewer shelter days, positive for more weeks in work.
    ``scale`` multiplies the whole profile (an uncertain effect size on a known shape).
    Prices come one of two ways: ``price`` gives the price of one unit for each actor that
    pays (or, for revenue, receives), each its own input; or ``unit_price`` gives the whole
    public cost of one unit, one input, and ``split`` the fixed shares of the actors
    (reimbursement rules: the state's 50 % of a shelter day).
    ``members`` makes it a consequence for the family: the profile is per affected household
    member (a child of a parent who leaves substance abuse), and ``members`` is the number of
    members affected per successful citizen, which may be uncertain. ``extrapolate = false``
    keeps the line out of the case's ``[extrapolation]`` rule. ``max_years`` limits the line in
    time (a refund period, a benefit's maximum duration): nothing after that many years from
    success, whatever the extrapolation rule; a catalogued line takes it from the knowledge
    base, and from a time-limited rule named in ``split`` (docs/model.md §6).
    """

    key: Annotated[StrictStr, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    label: StrictStr = ""
    unit: StrictStr
    area: Literal["employment", "education", "social", "health", "crime"]
    kind: Literal["expenditure", "revenue"]
    profile: list[Quantity] = Field(min_length=1, max_length=50)
    scale: Quantity = Field(default_factory=lambda: from_spec(1.0, field=""))
    members: NonNegative | None = None
    extrapolate: StrictBool = True
    max_years: Annotated[StrictInt, Field(ge=1, le=50)] | None = None
    price: dict[Actor, Quantity] | None = Field(default=None, min_length=1)
    unit_price: Quantity | None = None
    split: dict[Actor, Number] | None = Field(default=None, min_length=1)
    # Income tax rates the public purse gets back on each krone of the price, by actor (a
    # taxable transfer, docs/model.md §3); a catalogued transfer takes its knowledge-base rates.
    tax: dict[Actor, Annotated[Number, Field(ge=0, lt=1)]] | None = None
    # Caps per unit on actors' shares of a split price (co-financing up to DKK x per contact),
    # in the case's price year; the excess falls to the uncapped actors by their shares.
    cap: dict[Actor, Annotated[Number, Field(ge=0)]] | None = None
    # The shares of a split price in each year after success (year 1 first; the last holds
    # on): a split that changes with time, such as the refund ladder by the citizen's time on
    # support. ``split`` defaults to the first year's shares.
    split_by_year: list[dict[Actor, Number]] | None = Field(
        default=None, min_length=1, max_length=50
    )
    # A refund of the part of the payer's share above thresholds (SEL § 176).
    refund: Refund | None = None
    source: StrictStr = ""
    illustrative: StrictBool = False

    @model_validator(mode="before")
    @classmethod
    def _first_year_split(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("split_by_year") and "split" not in data:
            first = data["split_by_year"][0]
            if isinstance(first, dict):
                data = {**data, "split": first}
        return data

    @model_validator(mode="after")
    def _priced_one_way(self) -> ConsequenceLine:
        self._check_split_by_year()
        if self.refund is not None:
            if self.split is None:
                raise _located(
                    "refund", "a refund applies to a split price: give unit_price and split"
                )
            if self.split.get(self.refund.payer, 0.0) <= 0.0:
                raise _located("refund.payer", f"{self.refund.payer} has no share in split")
        if self.cap is not None:
            if self.split is None:
                raise _located("cap", "a cap applies to a split price: give unit_price and split")
            for actor in self.cap:
                if self.split.get(actor, 0.0) <= 0.0:
                    raise _located(f"cap.{actor}", f"{actor} has no share in split to cap")
            if all(self.split.get(a, 0.0) <= 0.0 for a in self.split if a not in self.cap):
                raise _located("cap", "no uncapped actor in split takes the excess over the cap")
        if self.max_years is not None and len(self.profile) > self.max_years:
            raise _located(
                "max_years",
                f"the profile has {len(self.profile)} years but the line is limited to "
                f"{self.max_years}; shorten the profile or raise max_years",
            )
        if self.price is not None and (self.unit_price is not None or self.split is not None):
            raise _located("price", "give either price per actor, or unit_price and split")
        if self.price is None and (self.unit_price is None or self.split is None):
            missing = "split" if self.unit_price is not None else "price"
            raise _located(
                missing, "required field is missing (price per actor, or unit_price and split)"
            )
        if self.split is not None:
            for actor, share in self.split.items():
                if not 0.0 <= share <= 1.0:
                    raise _located(f"split.{actor}", f"{share:g} is outside [0, 1]")
            total = sum(self.split.values())
            if abs(total - 1.0) > 1e-9:
                raise _located("split", f"the shares add up to {total:g}; they must add up to 1")
        return self

    def _check_split_by_year(self) -> None:
        """Shares in [0, 1] adding up to 1 in each year; a split by year has no cap or refund."""
        if self.split_by_year is None:
            return
        if self.unit_price is None:
            raise _located("split_by_year", "a split by year needs unit_price")
        for k, year in enumerate(self.split_by_year):
            for actor, share in year.items():
                if not 0.0 <= share <= 1.0:
                    raise _located(f"split_by_year[{k}].{actor}", f"{share:g} is outside [0, 1]")
            total = sum(year.values())
            if abs(total - 1.0) > 1e-9:
                raise _located(
                    f"split_by_year[{k}]", f"the shares add up to {total:g}; they must add up to 1"
                )
        if self.cap is not None or self.refund is not None:
            field = "cap" if self.cap is not None else "refund"
            raise _located(field, f"a split by year (split_by_year) cannot also have a {field}")


def _parse_rule(value: Any) -> Distribution:
    """``"decay"``, or weights of several rules ``{hold = 0.3, decay = 0.5, stop = 0.2}``."""
    allowed = ", ".join(RULES)
    if isinstance(value, str):
        if value not in RULES:
            raise PydanticCustomError(
                "quantity",
                "{message}",
                {"message": f"'{value}' is not a rule; allowed: {allowed}", "sub": ""},
            )
        value = {value: 1.0}
    if not isinstance(value, dict) or not value:
        raise PydanticCustomError(
            "quantity",
            "{message}",
            {
                "message": f"{value!r} is not allowed; give a rule ({allowed}) or a table of "
                "their probabilities, e.g. {hold = 0.3, decay = 0.5, stop = 0.2}",
                "sub": "",
            },
        )
    for name, weight in value.items():
        if name not in RULES:
            raise PydanticCustomError(
                "quantity",
                "{message}",
                {"message": f"'{name}' is not a rule; allowed: {allowed}", "sub": name},
            )
        if not is_number(weight) or not 0 < weight <= 1:
            raise PydanticCustomError(
                "quantity",
                "{message}",
                {"message": f"{weight!r} is not a probability in (0, 1]", "sub": name},
            )
    total = sum(value.values())
    if abs(total - 1.0) > 1e-9:
        raise PydanticCustomError(
            "quantity",
            "{message}",
            {"message": f"the probabilities add up to {total:g}; they must add up to 1", "sub": ""},
        )
    chosen = [name for name in RULES if name in value]
    return Choice(
        tuple(float(RULES.index(n)) for n in chosen),
        tuple(float(value[n]) for n in chosen),
        tuple(chosen),
    )


class Extrapolation(_Strict):
    """What a consequence does after the last year of its profile, up to the horizon.

    ``rule`` is ``stop`` (SØM: no effect after the profile's years), ``hold`` (the last year's
    change goes on), or ``decay`` (the last year's change shrinks by ``decay`` a year). When
    nobody knows which, give each rule a probability: the rule is then an uncertain input
    (``extrapolation.rule``) and the sensitivity analysis shows its weight.
    """

    rule: Annotated[Distribution, PlainValidator(_parse_rule)]
    decay: Probability = Field(default_factory=lambda: from_spec(0.0, field=""))
    source: StrictStr = ""
    illustrative: StrictBool = False


class SubgroupConsequence(_Strict):
    """A subgroup's own profile or scale of one of the case's consequences."""

    key: StrictStr
    profile: list[Quantity] | None = Field(default=None, min_length=1, max_length=50)
    scale: Quantity | None = None


class Subgroup(_Strict):
    """A part of the participants (an age band, a gender) with its own numbers.

    ``share`` is the subgroup's share of the intake (the shares add up to 1); fixed costs
    (start-up, operating) are attributed to subgroups by the same shares. ``success`` and
    ``consequence`` replace the case's own for this subgroup; what a subgroup does not give it
    shares with the others (the same input, so the same draw).
    """

    name: Annotated[StrictStr, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    label: StrictStr = ""
    share: Annotated[Number, Field(gt=0, le=1)]
    success: Success | None = None
    consequence: list[SubgroupConsequence] = Field(default_factory=list)
    source: StrictStr = ""
    illustrative: StrictBool = False


class CorrelationBlock(_Strict):
    """Spearman rank correlation between named inputs, through a Gaussian copula."""

    inputs: list[StrictStr] = Field(min_length=2)
    spearman: list[list[Number]] = Field(min_length=1)


class CaseModel(_Strict):
    """A whole business case, as written in a case file."""

    name: StrictStr = Field(min_length=1)
    description: StrictStr = ""
    target_group: StrictStr = ""
    price_year: Annotated[StrictInt, Field(ge=1990, le=2100)]
    currency: Literal["DKK"] = "DKK"
    horizon: Annotated[StrictInt, Field(ge=1, le=50)]
    discount_rate: Rate = Field(default_factory=lambda: from_spec(0.0, field=""))
    # The language the case is presented in (console summary, report); a command's --lang wins.
    lang: Literal["da", "en"] | None = None
    intake: Intake
    cost: list[CostLine] = Field(min_length=1)
    success: Success
    consequence: list[ConsequenceLine] = Field(min_length=1)
    extrapolation: Extrapolation | None = None
    subgroup: list[Subgroup] = Field(default_factory=list)
    correlation: list[CorrelationBlock] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> CaseModel:
        keys = [c.key for c in self.consequence]
        for i, key in enumerate(keys):
            if key in keys[:i]:
                raise _located(f"consequence[{i}].key", f"'{key}' is used twice; keys are unique")
        if len(self.intake.participants) > self.horizon:
            raise _located(
                "intake.participants",
                f"{len(self.intake.participants)} intake years exceed the horizon of "
                f"{self.horizon} years",
            )
        for i, line in enumerate(self.cost):
            for year in line.years or ():
                if year > self.horizon:
                    raise _located(
                        f"cost[{i}].years",
                        f"year {year} is beyond the horizon; allowed: 1 to {self.horizon}",
                    )
        observed = self.success.observed
        if observed is not None:
            done = observed.cohort + self.intake.course_years - 1
            if observed.cohort > len(self.intake.participants) or done > self.horizon:
                raise _located(
                    "success.observed.cohort",
                    f"{observed.cohort} is not a cohort that completes within the horizon; "
                    f"allowed: an intake year 1 to {len(self.intake.participants)} completing "
                    f"by year {self.horizon}",
                )
            if self.subgroup:
                raise _located(
                    "success.observed",
                    "an observed cohort is not split by subgroup; run the update without subgroups",
                )
        self._check_subgroups(keys)
        return self

    def _check_subgroups(self, keys: list[str]) -> None:
        names = [g.name for g in self.subgroup]
        for i, group in enumerate(self.subgroup):
            if group.name in names[:i]:
                raise _located(f"subgroup[{i}].name", f"'{group.name}' is used twice")
            for j, line in enumerate(group.consequence):
                if line.key not in keys:
                    raise _located(
                        f"subgroup[{i}].consequence[{j}].key",
                        f"'{line.key}' is not a consequence of the case; allowed: "
                        + ", ".join(keys),
                    )
        total = sum(g.share for g in self.subgroup)
        if self.subgroup and abs(total - 1.0) > 1e-9:
            raise _located("subgroup", f"the shares add up to {total:g}; they must add up to 1")


def _located(field: str, message: str) -> PydanticCustomError:
    """An error found by a whole-model check, at an explicit field path."""
    return PydanticCustomError("located", "{message}", {"message": message, "field": field})
