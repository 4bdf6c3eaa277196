"""Shared fixtures: a seeded generator and small cases built as dicts."""

from __future__ import annotations

import copy

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
