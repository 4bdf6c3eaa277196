"""The command line on good input: what a user sees and what is written."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import xarray as xr

from som_mc.cli import main


def test_run_example_prints_summary_and_writes_results(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`som-mc run --example cti` prints the summary table and writes a readable netCDF file."""
    out = tmp_path / "cti.nc"
    code = main(["run", "--example", "cti", "--draws", "3000", "--seed", "1", "--out", str(out)])
    text = capsys.readouterr().out
    assert code == 0
    for fragment in ("kommune", "region", "stat", "total", "P(net > 0)", "illustrative"):
        assert fragment in text
    with xr.open_dataset(out, engine="h5netcdf") as ds:
        assert (ds.attrs["draws"], ds.attrs["seed"]) == (3000, 1)


def test_run_writes_case_named_file_by_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without --out the results go to CASE.nc in the current folder."""
    monkeypatch.chdir(tmp_path)
    assert main(["run", "--example", "cti", "--draws", "500", "--seed", "2", "--quiet"]) == 0
    assert (tmp_path / "cti.nc").is_file()
    assert "Results written to cti.nc" in capsys.readouterr().out


def test_deterministic_prints_soem_table(capsys: pytest.CaptureFixture[str]) -> None:
    """--deterministic prints the net result by year and actor and the consequence breakdown,
    and writes nothing unless --out is given."""
    assert main(["run", "--example", "cti", "--deterministic"]) == 0
    text = capsys.readouterr().out
    assert "Net budget result by year" in text
    assert "shelter_days" in text
    assert "−8,393,750" in text  # the CTI course's cost, from the Aarhus slides
    assert "Break-even year" in text


def test_inputs_check_and_example(capsys: pytest.CaptureFixture[str]) -> None:
    """`inputs` names every input, `check` says OK, `example` lists and prints valid TOML."""
    assert main(["inputs", "--example", "cti"]) == 0
    assert "consequence.shelter_days.unit_price" in capsys.readouterr().out
    assert main(["check", "--example", "cti"]) == 0
    assert "OK" in capsys.readouterr().out
    assert main(["example"]) == 0
    assert "cti" in capsys.readouterr().out.split()
    assert main(["example", "cti"]) == 0
    assert tomllib.loads(capsys.readouterr().out)["horizon"] == 5


def test_unknown_example_is_a_user_error(capsys: pytest.CaptureFixture[str]) -> None:
    """An unknown example name lists the ones there are."""
    assert main(["run", "--example", "nope"]) == 2
    assert "allowed: " in capsys.readouterr().err


def test_import_compiles_and_loads_nothing_heavy() -> None:
    """`import som_mc` loads neither numba nor xarray (STYLE.md: nothing compiles at import)."""
    code = "import sys, som_mc; print('numba' in sys.modules, 'xarray' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_kernel_compilation_is_cached() -> None:
    """The kernel is compiled with cache=True: a second process loads it from numba's cache
    instead of compiling again (no cache misses)."""
    code = (
        "from som_mc import example_path, run\n"
        "from som_mc.model.kernel import simulate_block\n"
        "run(example_path('cti'), draws=10, seed=1)\n"
        "print(sum(simulate_block.stats.cache_misses.values()))\n"
    )
    for _ in range(2):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "0"
