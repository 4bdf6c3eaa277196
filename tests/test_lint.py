"""The code is ruff-clean (the project's standard; ruff is in the test extras)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_ruff_check_passes() -> None:
    """`ruff check` with the rules in pyproject.toml reports nothing."""
    missing = importlib.util.find_spec("ruff") is None
    assert not missing, "ruff is missing: install the test extras, pip install -e '.[test]'"
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", str(ROOT)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr
