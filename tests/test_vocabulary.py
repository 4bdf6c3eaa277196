"""One vocabulary: the codes spelled out in pydantic Literals match som_mc.conventions."""

from __future__ import annotations

import typing

import pytest

from som_mc.conventions import ACTORS, ACTORS_AND_TOTAL, AREAS, CONSEQUENCE_KINDS, COST_TYPES, TOTAL
from som_mc.inputs.case import schema as case_schema
from som_mc.inputs.knowledge import schema as knowledge_schema


@pytest.mark.parametrize("schema", [case_schema, knowledge_schema], ids=["case", "knowledge"])
def test_schema_actors_are_the_conventions_actors(schema) -> None:
    """The Actor Literal of each schema lists conventions.ACTORS, in the same order."""
    assert typing.get_args(schema.Actor) == ACTORS


def test_actors_and_total_is_the_actors_then_the_total() -> None:
    """ACTORS_AND_TOTAL is the actors, then the total, as summaries index them."""
    assert ACTORS_AND_TOTAL == (*ACTORS, TOTAL)


@pytest.mark.parametrize(
    ("model", "field", "codes"),
    [
        (case_schema.CostLine, "type", COST_TYPES),
        (case_schema.ConsequenceLine, "area", tuple(AREAS)),
        (case_schema.ConsequenceLine, "kind", CONSEQUENCE_KINDS),
        (knowledge_schema.ConsequenceEntry, "area", tuple(AREAS)),
        (knowledge_schema.ConsequenceEntry, "kind", CONSEQUENCE_KINDS),
    ],
)
def test_schema_codes_are_the_conventions_codes(model, field: str, codes: tuple) -> None:
    """Cost types, areas and consequence kinds in the schemas match conventions, in order (the
    kernel receives a cost type as its index in COST_TYPES)."""
    assert typing.get_args(model.model_fields[field].annotation) == codes
