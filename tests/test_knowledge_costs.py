"""knowledge/wages.toml and knowledge/evidence_levels.toml are part of the knowledge base:
listed in the manifest, loaded and checked by ``check_knowledge`` (and so by ``som-mc knowledge
validate``), and read from there by the cost model and the pooling."""

from __future__ import annotations

import re
import shutil
import tomllib
from pathlib import Path

import pytest

from som_mc.cli import main
from som_mc.inputs.costs import load_wages
from som_mc.inputs.knowledge.base import check_knowledge, knowledge_dir, load_knowledge
from som_mc.inputs.pooling import load_evidence_levels


@pytest.fixture
def broken(tmp_path: Path):
    """A copy of the shipped knowledge base, and a function that edits one of its files."""
    root = tmp_path / "knowledge"
    shutil.copytree(knowledge_dir(), root, ignore=shutil.ignore_patterns("cases", "courses"))

    def edit(name: str, old: str, new: str) -> Path:
        path = root / name
        text = path.read_text(encoding="utf-8")
        assert old in text, old
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        return root

    return edit


def test_shipped_files_are_listed_and_loaded() -> None:
    """The manifest names both files, and the knowledge base holds every entry of them."""
    files = tomllib.loads((knowledge_dir() / "manifest.toml").read_text(encoding="utf-8"))["files"]
    assert files["wages"] == "wages.toml"
    assert files["evidence_levels"] == "evidence_levels.toml"
    kb, problems = check_knowledge()
    assert problems == []
    raw = tomllib.loads((knowledge_dir() / "wages.toml").read_text(encoding="utf-8"))
    assert [w["key"] for w in raw["wage"]] == list(kb.wages)
    for wage in kb.wages.values():
        assert wage.source and wage.price_year and wage.value > 0
    assert sorted(kb.evidence_levels) == [1, 2, 3]
    # The cost model and the pooling read the same entries.
    assert load_wages() == kb.wages
    assert load_evidence_levels() == kb.evidence_levels


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("price_year = 2007\n", "",
         "wage[0] socialraadgiver: price_year: required field is missing"),
        ("source = \"Lønkommissionen (2010), Lønkommissionens redegørelse, bind 2, kapitel 37",
         "sauce = \"x", "wage[0] socialraadgiver: source: required field is missing"),
        ("note = ", "colour = ", "wage[0] socialraadgiver: colour: unknown field"),
        ('index = "loen_stat"', 'index = "no_such_index"',
         "wage[0] socialraadgiver: index 'no_such_index' is not a price index"),
        ('preset = "wage_statistic"', 'preset = "no_such_preset"',
         "wage[0] socialraadgiver: preset 'no_such_preset' is not a preset"),
        ("value = 234", "value = -234", "wage[0] socialraadgiver: value: Input should be greater"),
    ],
)  # fmt: skip
def test_a_bad_wage_is_reported(broken, old: str, new: str, message: str) -> None:
    """A wage without its price year or source, with an unknown field, an unknown index or
    preset, or a value that is not positive is a problem naming wages.toml and the entry; the
    entry is left out of the knowledge base."""
    root = broken("wages.toml", old, new)
    kb, problems = check_knowledge(root)
    texts = [str(p) for p in problems]
    assert any(t.startswith(f"wages.toml: {message}") for t in texts), texts
    assert "socialraadgiver" not in kb.wages
    assert "paedagog" in kb.wages


def test_a_wage_without_a_source_is_reported(broken) -> None:
    """An empty source is not a source."""
    start = 'source = "Lønkommissionen (2010), Lønkommissionens redegørelse, bind 2, kapitel 37'
    text = (knowledge_dir() / "wages.toml").read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if x.startswith(start))
    _, problems = check_knowledge(broken("wages.toml", line, 'source = ""'))
    assert any(
        re.match(r"wages\.toml: wage\[0\] socialraadgiver: source: String should have at least 1",
                 str(p))
        for p in problems
    ), problems  # fmt: skip


def test_bad_evidence_levels_are_reported(broken) -> None:
    """A level without reasoning, or a set of levels with one missing, is a problem."""
    root = broken("evidence_levels.toml", "level = 2\n", "level = 1\n")
    _, problems = check_knowledge(root)
    texts = [str(p) for p in problems]
    assert "evidence_levels.toml: level[1]: level 1 twice" in texts
    assert any("no entry for evidence level 2" in t for t in texts), texts
    root = broken("evidence_levels.toml", "reasoning = ", "reasons = ")
    _, problems = check_knowledge(root)
    assert any("level[0]: reasoning: required field is missing" in str(p) for p in problems)


def test_load_knowledge_raises_and_validate_reports(broken, capsys) -> None:
    """load_knowledge raises the first problem; ``som-mc knowledge validate`` lists it and
    exits 2."""
    root = broken("wages.toml", "price_year = 2007\n", "")
    with pytest.raises(Exception, match=r"wages\.toml: wage\[0\] socialraadgiver: price_year"):
        load_knowledge(root)
    assert main(["knowledge", "validate", "--path", str(root)]) == 2
    err = capsys.readouterr().err
    assert "som-mc: wages.toml: wage[0] socialraadgiver: price_year: required field" in err
