"""Shared fixtures: a seeded generator, small cases built as dicts, a writable copy of the
knowledge base, and the kernel's check against the numpy reference."""

from __future__ import annotations

import copy
import shutil
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

#: A small valid case, used as the base that tests modify.
BASE_CASE: dict = {
    "name": "test case",
    "price_year": 2024,
    "horizon": 5,
    "intake": {"participants": [20], "course_years": 1},
    "cost": [{"label": "course", "type": "per_participant", "amount": 10_000, "actor": "kommune"}],
    "success": {"rate": 0.3},
    "consequence": [
        {
            "key": "shelter_days",
            "unit": "days",
            "area": "social",
            "kind": "expenditure",
            "profile": [-100, -80, -60],
            "price": {"kommune": 700, "stat": 700},
        }
    ],
}


@pytest.fixture
def rng() -> np.random.Generator:
    """A seeded generator, the same in every test."""
    return np.random.default_rng(20261123)


@pytest.fixture
def base_case() -> dict:
    """A fresh deep copy of :data:`BASE_CASE` to modify."""
    return copy.deepcopy(BASE_CASE)


@pytest.fixture(scope="module")
def client():
    """A dask LocalCluster of 2 worker processes, one thread each (for the tests that a run
    on a cluster equals one process), shared by a module's tests."""
    distributed = pytest.importorskip("dask.distributed")
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


@pytest.fixture
def copy_kb(tmp_path: Path) -> tuple[Path, Path]:
    """A writable copy of the shipped knowledge base and presets."""
    from som_mc.inputs.knowledge import knowledge_dir, presets_dir

    kb = tmp_path / "knowledge"
    presets = tmp_path / "distributions"
    shutil.copytree(knowledge_dir(), kb, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(presets_dir(), presets, ignore=shutil.ignore_patterns("__pycache__"))
    return kb, presets


@pytest.fixture
def kb_problems(copy_kb: tuple[Path, Path]) -> Callable[[str, str, str], list[str]]:
    """``kb_problems(files, olds, news)``: the problems ``check_knowledge`` reports after each
    text ``old`` of ``file`` (several joined by ``|``) is replaced by ``new`` in the copy."""
    from som_mc.inputs.knowledge.base import check_knowledge

    kb, presets = copy_kb

    def problems(file: str, old: str, new: str) -> list[str]:
        for f, o, n in zip(file.split("|"), old.split("|"), new.split("|"), strict=True):
            path = kb / f
            text = path.read_text(encoding="utf-8")
            assert o in text, o
            path.write_text(text.replace(o, n, 1), encoding="utf-8")
        return [str(p) for p in check_knowledge(kb, presets)[1]]

    return problems


def assert_kernel_matches_reference(case: dict, draws: int = 1000, seed: int = 3) -> object:
    """Run ``case`` in expected mode and check every output the numpy reference computes
    (benchmarks/reference.py) to 1e-9 of its largest value; returns the run's Dataset."""
    from benchmarks.reference import simulate_reference
    from som_mc import load_case, run
    from som_mc.conventions import OUTPUTS
    from som_mc.model.layout import build_layout

    loaded = load_case(case)
    ds = run(loaded, draws=draws, seed=seed, mode="expected", threads=1)
    ref = simulate_reference(build_layout(loaded), ds["inputs"].values)
    for out in OUTPUTS:
        if out.name in ref:
            scale = np.abs(ref[out.name]).max()
            np.testing.assert_allclose(
                ds[out.name].values, ref[out.name], rtol=1e-9, atol=1e-9 * scale, err_msg=out.name
            )
    return ds


@pytest.fixture
def matches_reference() -> Callable[..., object]:
    """:func:`assert_kernel_matches_reference`, for a test to call."""
    return assert_kernel_matches_reference
