"""The import paths of som-mc before its layers became packages, kept working.

``from som_mc.sensitivity import sobol`` and ``som_mc.plots.fan_chart`` are what users wrote
when ``sensitivity`` and ``plots`` lay flat in ``som_mc/``. A finder on ``sys.meta_path`` hands
out the module under its new name for the old one (the same module object, so there is one
copy of its state). Written by hand: importlib has aliases for nothing but this, and module
files that only re-export would put the old flat shape back into ``ls som_mc``.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import sys
from types import ModuleType

__all__ = ["OLD_PATHS", "install"]

#: Old import path -> where it lives now (prefixes: submodules follow).
OLD_PATHS: dict[str, str] = {
    "som_mc.sensitivity": "som_mc.analysis.sensitivity",
    "som_mc.decision": "som_mc.analysis.decision",
    "som_mc.plots": "som_mc.present.plots",
    "som_mc.report": "som_mc.present.report",
    "som_mc.distributions": "som_mc.inputs.distributions",
    "som_mc.examples": "som_mc.inputs.examples",
    "som_mc.knowledge": "som_mc.inputs.knowledge",
}


def _target(fullname: str) -> str | None:
    for old, new in OLD_PATHS.items():
        if fullname == old or fullname.startswith(old + "."):
            return new + fullname[len(old) :]
    return None


# Plain classes with the finder and loader protocols: importlib.abc would import
# importlib.resources, 17 ms of the 20 ms that `import som_mc` took with it.
class _AliasLoader:
    def __init__(self, target: str) -> None:
        self.target = target
        self.spec: importlib.machinery.ModuleSpec | None = None

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        module = importlib.import_module(self.target)
        self.spec = module.__spec__
        return module

    def exec_module(self, module: ModuleType) -> None:
        # The import system set the alias's spec on the module; give it back its own.
        module.__spec__ = self.spec


class _AliasFinder:
    def find_spec(self, fullname, path=None, target=None):
        new = _target(fullname)
        if new is None:
            return None
        return importlib.machinery.ModuleSpec(fullname, _AliasLoader(new))


def install() -> None:
    """Put the finder on ``sys.meta_path`` once."""
    if not any(isinstance(f, _AliasFinder) for f in sys.meta_path):
        # First: the path finder would otherwise load a second copy of a submodule through
        # the aliased package's __path__.
        sys.meta_path.insert(0, _AliasFinder())
