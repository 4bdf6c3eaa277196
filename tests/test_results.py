"""The shape of results (dims, coords, units, provenance) and how they are written."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

import som_mc
from som_mc import example_path, run, summarize, write_netcdf
from som_mc.io import ResultExistsError


@pytest.fixture(scope="module")
def cti() -> xr.Dataset:
    """The CTI example, 2,000 draws."""
    return run(example_path("cti"), draws=2_000, seed=7)


def test_dims_coords_and_variables(cti: xr.Dataset) -> None:
    """Dims draw, year, actor, consequence, input with the agreed coordinates and variables."""
    assert dict(cti.sizes) == {"draw": 2_000, "year": 5, "actor": 3, "consequence": 4, "input": 10}
    assert list(cti.actor.values) == ["kommune", "region", "stat"]
    assert list(cti.year.values) == [1, 2, 3, 4, 5]
    assert "shelter_days" in cti.consequence.values
    assert cti.net.dims == ("draw", "year", "actor")
    assert cti.consequence_pv.dims == ("draw", "consequence", "actor")
    for name in ("cumulative", "present_value", "break_even_year", "roi", "inputs"):
        assert name in cti
    np.testing.assert_allclose(cti["cumulative"].isel(year=-1), cti.net.sum("year"))


def test_units_and_price_year_on_money(cti: xr.Dataset) -> None:
    """Money variables carry their currency and price year."""
    for name in ("net", "cumulative", "present_value", "consequence_pv"):
        assert cti[name].attrs["units"] == "DKK"
        assert cti[name].attrs["price_year"] == "2024"


def test_provenance_attrs(cti: xr.Dataset) -> None:
    """Seed, draws, design, mode, version, case hash and creation time are in the attrs."""
    a = cti.attrs
    assert (a["seed"], a["draws"], a["design"], a["mode"]) == (7, 2_000, "random", "expected")
    assert a["som_mc_version"] == som_mc.__version__
    assert len(a["case_sha256"]) == 64
    assert a["created"].endswith("+00:00")
    assert a["uses_illustrative_values"] == 1
    assert "shelter_days" in a["illustrative_items"]


def test_consequence_pv_adds_up_to_gain(cti: xr.Dataset) -> None:
    """Present values by consequence add up to the present value of gains."""
    np.testing.assert_allclose(cti.consequence_pv.sum("consequence"), cti.gain_pv, rtol=1e-10)
    np.testing.assert_allclose(cti.gain_pv - cti.cost_pv, cti.present_value, rtol=1e-10)


def test_summary_probabilities_and_standard_errors(cti: xr.Dataset) -> None:
    """P(PV > 0) is the share of positive draws, with se sqrt(p (1 - p) / N); the total is the
    sum over actors; the interval brackets the mean."""
    s = summarize(cti)
    total = cti.present_value.sum("actor")
    p = float((total > 0).mean())
    assert float(s.p_positive.sel(actor="total")) == pytest.approx(p)
    assert float(s.p_positive_mcse.sel(actor="total")) == pytest.approx(np.sqrt(p * (1 - p) / 2000))
    assert float(s.pv_mean.sel(actor="total")) == pytest.approx(float(total.mean()))
    assert bool((s.pv_lower <= s.pv_mean).all()) and bool((s.pv_mean <= s.pv_upper).all())
    never = float(cti.break_even_year.isnull().mean())
    assert float(s.p_never_break_even.sel(actor="total")) == pytest.approx(never)


def test_netcdf_round_trip(cti: xr.Dataset, tmp_path: Path) -> None:
    """What is written reads back identical, attrs included."""
    path = write_netcdf(cti, tmp_path / "cti.nc")
    with xr.open_dataset(path, engine="h5netcdf") as back:
        xr.testing.assert_identical(back.load(), cti)


def test_existing_result_is_not_overwritten(cti: xr.Dataset, tmp_path: Path) -> None:
    """An existing file is kept unless overwrite=True."""
    path = tmp_path / "cti.nc"
    path.write_text("earlier result")
    with pytest.raises(ResultExistsError, match="--force"):
        write_netcdf(cti, path)
    assert path.read_text() == "earlier result"
    write_netcdf(cti, path, overwrite=True)
    assert path.stat().st_size > 1000


def test_crash_while_writing_leaves_nothing(
    cti: xr.Dataset, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failure in the middle of writing leaves neither a half file nor a temporary file,
    and an earlier result untouched."""
    path = tmp_path / "cti.nc"
    path.write_text("earlier result")

    def broken(self: xr.Dataset, target: str, **kwargs: object) -> None:
        Path(target).write_bytes(b"half a file")
        raise OSError("disk full")

    monkeypatch.setattr(xr.Dataset, "to_netcdf", broken)
    with pytest.raises(OSError, match="disk full"):
        write_netcdf(cti, path, overwrite=True)
    assert path.read_text() == "earlier result"
    assert [p.name for p in tmp_path.iterdir()] == ["cti.nc"]


_THREAD_SCRIPT = textwrap.dedent(
    """
    import sys
    from som_mc import example_path, run, write_netcdf
    ds = run(example_path("cti"), draws=9_000, seed=12, mode="cohort")
    write_netcdf(ds, sys.argv[1])
    """
)


def test_identical_with_numba_num_threads_1_and_2(tmp_path: Path) -> None:
    """NUMBA_NUM_THREADS=1 and =2 (fresh processes) give the identical Dataset for one seed."""
    results = []
    for threads in ("1", "2"):
        out = tmp_path / f"threads{threads}.nc"
        env = {**os.environ, "NUMBA_NUM_THREADS": threads}
        subprocess.run([sys.executable, "-c", _THREAD_SCRIPT, str(out)], env=env, check=True)
        with xr.open_dataset(out, engine="h5netcdf") as ds:
            results.append(ds.load())
    assert (results[0].attrs["threads"], results[1].attrs["threads"]) == (1, 2)
    xr.testing.assert_identical(results[0].drop_attrs(), results[1].drop_attrs())
