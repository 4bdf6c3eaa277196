"""The installed package ships its knowledge base, presets and example cases."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_wheel_ships_data_and_runs_outside_the_source_tree(tmp_path: Path) -> None:
    """Build the wheel, install it (without dependencies) into a folder away from the source
    tree, and from there validate the knowledge base and run the CTI example: a data file left
    out of the wheel, or data looked up beside the source, fails here."""
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(ROOT)],
        check=True,
    )
    (wheel,) = wheels.glob("som_mc-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for needed in (
        "som_mc/knowledge_data/manifest.toml",
        "som_mc/knowledge_data/figures/danish_unit_costs.csv",
        "som_mc/knowledge_data/cases/cti.toml",
        "som_mc/presets_data/presets.toml",
    ):
        assert needed in names
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target),
         str(wheel)],
        check=True,
    )  # fmt: skip
    code = (
        "import som_mc, sys\n"
        "assert som_mc.__file__.startswith(sys.argv[1]), som_mc.__file__\n"
        "from som_mc.cli import main\n"
        "assert main(['knowledge', 'validate']) == 0\n"
        "assert main(['run', '--example', 'cti', '--draws', '200', '--no-save', '--quiet']) == 0\n"
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    run = subprocess.run(
        [sys.executable, "-c", code, str(target)], cwd=tmp_path, env=env, capture_output=True,
        text=True,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
