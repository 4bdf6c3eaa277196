"""The knowledge base (vidensdatabase): consequences, prices, rules, indices, target groups,
effect studies and uncertainty presets, loaded from data files and checked."""

from som_mc.inputs.knowledge.base import (
    Figure,
    Knowledge,
    Price,
    check_knowledge,
    knowledge_dir,
    load_knowledge,
    presets_dir,
)
from som_mc.inputs.knowledge.index import PriceIndex
from som_mc.inputs.knowledge.presets import apply_preset

__all__ = [
    "Figure",
    "Knowledge",
    "Price",
    "PriceIndex",
    "apply_preset",
    "check_knowledge",
    "knowledge_dir",
    "load_knowledge",
    "presets_dir",
]
