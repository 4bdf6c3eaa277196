"""Shared set-up of the benchmarks: the machine's description and the measured times.

The benchmarks are off in the default test run (``--benchmark-disable`` in pyproject.toml);
``python benchmarks/make_table.py --run`` runs them and rewrites the table in README.md.
"""

from __future__ import annotations

import os
import platform
from importlib.metadata import version

import pytest


def pytest_benchmark_update_machine_info(config: pytest.Config, machine_info: dict) -> None:
    """Describe the machine in the JSON: CPU, cores, memory and the versions that matter.

    The host name and kernel release that pytest-benchmark records are dropped: the table
    describes hardware.
    """
    import psutil

    machine_info.pop("node", None)
    machine_info.pop("release", None)
    machine_info["cpu_model"] = _cpu_model()
    machine_info["cores_logical"] = os.cpu_count()
    machine_info["cores_physical"] = psutil.cpu_count(logical=False)
    machine_info["ram_gb"] = round(psutil.virtual_memory().total / 2**30, 1)
    machine_info["load_average_at_start"] = list(os.getloadavg())
    machine_info["versions"] = {
        "python": platform.python_version(),
        **{name: version(name) for name in ("som-mc", "numpy", "numba", "SALib", "scipy")},
    }


def _cpu_model() -> str:
    """The CPU's model name, from /proc/cpuinfo on Linux, else what platform says."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


@pytest.fixture(scope="session")
def timings() -> dict[tuple[str, ...], float]:
    """Fastest round of each benchmark, in seconds, for the tests that check target ratios.

    The fastest round is the least disturbed by other work on the machine, so ratios of
    minima are the steadiest measure of what the code itself costs.
    """
    return {}
