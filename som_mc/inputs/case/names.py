"""The names of a case's quantities, written once: what the case file's reader gives each
quantity and what the layout looks up.

Input names are what a user writes in ``[[correlation]]``, a batch table's columns and what
sensitivity tables show: ``success.rate``, ``intake.participants[0]``, ``cost.cti_team.amount``,
``consequence.shelter_days.price.kommune``, ``consequence.shelter_days.profile[2]``,
``subgroup.young.success.rate``; in a course or portfolio a part's own inputs are prefixed
with its name (``cti.success.rate``).

Examples
--------
>>> price("shelter_days", "kommune"), profile("shelter_days", 2, subgroup="young")
('consequence.shelter_days.price.kommune', 'subgroup.young.consequence.shelter_days.profile[2]')
"""

from __future__ import annotations

__all__ = [
    "DECAY",
    "DISCOUNT_RATE",
    "DROPOUT",
    "OWN_PREFIXES",
    "RULE",
    "SUCCESS_KEYS",
    "consequence",
    "cost_amount",
    "cost_factor",
    "part",
    "participants",
    "price",
    "profile",
    "subgroup_prefix",
    "success",
]

DISCOUNT_RATE = "discount_rate"
DROPOUT = "intake.dropout"
RULE = "extrapolation.rule"
DECAY = "extrapolation.decay"

#: The quantities of ``[success]``, in the order they are named.
SUCCESS_KEYS: tuple[str, ...] = ("rate", "gross_rate", "deadweight", "persistence", "transfer")

#: Inputs that belong to one intervention: in a course or portfolio never shared between parts.
OWN_PREFIXES: tuple[str, ...] = ("intake.", "cost.", "success.", "subgroup.")


def subgroup_prefix(subgroup: str | None) -> str:
    """``"subgroup.<name>."`` before a subgroup's own quantities; empty for the whole case."""
    return f"subgroup.{subgroup}." if subgroup else ""


def participants(year: int) -> str:
    """The intake of start year ``year`` (0-based)."""
    return f"intake.participants[{year}]"


def success(key: str, subgroup: str | None = None) -> str:
    """A quantity of ``[success]`` (one of :data:`SUCCESS_KEYS`), or of a subgroup's own."""
    return f"{subgroup_prefix(subgroup)}success.{key}"


def cost_amount(slug: str) -> str:
    """The amount of the cost line named ``slug`` (see ``cost_slugs``)."""
    return f"cost.{slug}.amount"


def cost_factor(slug: str, factor: str) -> str:
    """A factor of the cost line named ``slug``: ``cost.social_worker.wage``."""
    return f"cost.{slug}.{factor}"


def consequence(key: str, field: str, subgroup: str | None = None) -> str:
    """A consequence line's ``scale``, ``members`` or ``unit_price``."""
    return f"{subgroup_prefix(subgroup)}consequence.{key}.{field}"


def profile(key: str, k: int, subgroup: str | None = None) -> str:
    """Year ``k`` (0-based) of a consequence's profile."""
    return consequence(key, f"profile[{k}]", subgroup)


def price(key: str, actor: str) -> str:
    """The price of a consequence for one actor."""
    return consequence(key, f"price.{actor}")


def part(name: str, quantity: str) -> str:
    """A quantity of one part (a course's step, a portfolio's option) under the part's name."""
    return f"{name}.{quantity}"
