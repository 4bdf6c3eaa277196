"""The package's layers depend one way (docs/architecture.md).

Every import in ``som_mc/``, including the lazy ones inside functions, is read from the source
with :mod:`ast` and checked: a module never imports a layer above its own, never a name that
another module keeps private (``_name``), and a private module (``_name.py``) only from its own
package.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "som_mc"

#: The layers, lowest first; a module may import its own layer and those below it.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("_version", "_aliases", "errors", "conventions", "checks", "io"),
    ("inputs",),
    ("model",),
    ("pipeline",),
    ("analysis",),
    ("present",),
    ("cli",),
)
RANK = {top: i for i, tops in enumerate(LAYERS) for top in tops}


def _modules() -> list[tuple[str, Path]]:
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out.append((".".join(parts), path))
    return out


def _imports(module: str, path: Path) -> list[tuple[int, str, list[str]]]:
    """(line, imported module, imported names) of every import in the file, lazy ones too."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    is_package = path.name == "__init__.py"
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name, []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            name = node.module or ""
            if node.level:
                base = module.split(".")
                if not is_package:
                    base = base[:-1]
                base = base[: len(base) - (node.level - 1)]
                name = ".".join([*base, name] if name else base)
            found.append((node.lineno, name, [alias.name for alias in node.names]))
    return [f for f in found if f[1] == "som_mc" or f[1].startswith("som_mc.")]


def _layer(module: str) -> int | None:
    parts = module.split(".")
    return RANK.get(parts[1]) if len(parts) > 1 else None


def _violations() -> list[str]:
    problems = []
    modules = dict(_modules())
    for module, path in modules.items():
        if module == "som_mc":
            continue  # the public facade re-exports every layer, lazily
        own = _layer(module)
        where = f"{path.relative_to(PACKAGE.parent)}"
        if own is None:
            problems.append(f"{where}: module {module} belongs to no layer")
            continue
        package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
        for line, target, names in _imports(module, path):
            if target == "som_mc":
                # ``from som_mc import checks`` names a module; anything else is the facade.
                facade = [n for n in names if n not in (*LAYERS[0], *RANK)]
                if facade:
                    problems.append(f"{where}:{line}: imports {facade} from the facade som_mc")
                names = [n for n in names if n not in LAYERS[0]]
                target = "som_mc." + names[0] if names else target
                if not names:
                    continue
            layer = _layer(target)
            if layer is not None and layer > own:
                problems.append(f"{where}:{line}: {module} imports {target}, a layer above")
            target_package = target.rsplit(".", 1)[0]
            private_module = any(p.startswith("_") for p in target.split(".")[1:])
            if private_module and not (
                package == target_package or package.startswith(target_package + ".")
            ):
                problems.append(f"{where}:{line}: imports the private module {target}")
            for name in names:
                if name.startswith("_") and not name.startswith("__"):
                    problems.append(f"{where}:{line}: imports the private name {target}.{name}")
    return problems


def test_every_module_is_in_a_layer_and_imports_only_downwards():
    """No module imports a layer above its own or another module's private names."""
    problems = _violations()
    assert not problems, "\n".join(problems)


def test_the_check_sees_lazy_imports(tmp_path):
    """The walk finds an import inside a function (the lazy kind that keeps start-up fast)."""
    path = tmp_path / "probe.py"
    path.write_text(
        "def f():\n    from som_mc.cli import main\n    from som_mc.present.plots._style import x\n"
    )
    found = _imports("som_mc.model.probe", path)
    assert [(t, n) for _, t, n in found] == [
        ("som_mc.cli", ["main"]),
        ("som_mc.present.plots._style", ["x"]),
    ]


@pytest.mark.parametrize("tops", LAYERS)
def test_every_layer_exists(tops):
    """Each named layer is a module or a package of som_mc (the table does not go stale)."""
    for top in tops:
        assert (PACKAGE / f"{top}.py").is_file() or (PACKAGE / top / "__init__.py").is_file(), top
