"""How long ``import som_mc`` takes, in a fresh interpreter.

Timed as the wall time of ``python -c "import som_mc"`` minus that of ``python -c "pass"``
(the interpreter's own start-up), each in a new subprocess, so nothing is cached in the
process. ``from som_mc import run`` is timed too: it loads the engine, and with it numpy,
scipy, numba and xarray, which ``import som_mc`` defers to first use.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from pytest_benchmark.fixture import BenchmarkFixture

STATEMENTS = {
    "python -c pass": "pass",
    "import som_mc": "import som_mc",
    "from som_mc import run": "from som_mc import run",
}


@pytest.mark.parametrize("label", list(STATEMENTS))
def test_import(benchmark: BenchmarkFixture, label: str) -> None:
    """Wall time of a fresh interpreter running one statement."""
    benchmark.group = "import time (fresh interpreter)"
    benchmark.extra_info.update(role=label)
    command = [sys.executable, "-c", STATEMENTS[label]]
    done = benchmark.pedantic(
        subprocess.run, args=(command,), kwargs={"check": True}, rounds=10, warmup_rounds=1
    )
    assert done.returncode == 0
