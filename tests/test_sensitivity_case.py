"""Sensitivity analysis of a case: Sobol' indices against analytic values, grouping, the CLI."""

from __future__ import annotations

import copy
from pathlib import Path

import numpy as np
import pytest
import xarray as xr

from som_mc import load_case
from som_mc.analysis.sensitivity.analysis import sobol
from som_mc.analysis.sensitivity.groups import group_inputs
from som_mc.cli import main

# Two uncertain costs and an uncertain price for the state only: PV(total) = -(c1 + c2) + const
# + 50 x price, a linear model with independent inputs.
ADDITIVE = {
    "name": "additive",
    "price_year": 2024,
    "horizon": 2,
    "intake": {"participants": [10]},
    "cost": [
        {"label": "a", "type": "startup", "amount": {"dist": "normal", "mean": 1e5, "sd": 3e3}},
        {"label": "b", "type": "startup", "amount": {"dist": "uniform", "min": 0, "max": 2e4},
         "actor": "stat"},
    ],
    "success": {"rate": 0.5},
    "consequence": [
        {"key": "days", "unit": "days", "area": "social", "kind": "expenditure",
         "profile": [-10], "price": {"stat": {"dist": "normal", "mean": 500, "sd": 40}}},
    ],
}  # fmt: skip


def test_sobol_of_a_linear_case_matches_analytic_shares() -> None:
    """For PV = -c_a - c_b + 50 p with independent inputs, S1 = ST = variance share:
    var(c_a) = 3000^2, var(c_b) = 20000^2 / 12 (uniform), var(50 p) = (50 x 40)^2
    (Saltelli et al. 2008, a linear model's indices). Per actor: the kommune's PV depends on
    c_a alone (S1 = 1), the state's on c_b and p."""
    ds = sobol(ADDITIVE, 2**11, seed=5, replicates=2)
    v = np.array([3000.0**2, 20000.0**2 / 12, (50 * 40.0) ** 2])
    names = ["cost.a.amount", "cost.b.amount", "consequence.days.price.stat"]
    total = ds.sel(output="total", input=names)
    np.testing.assert_allclose(total.S1, v / v.sum(), atol=0.01)
    np.testing.assert_allclose(total.ST, v / v.sum(), atol=0.01)
    assert float(ds.S1.sel(output="kommune", input="cost.a.amount")) == pytest.approx(1, abs=0.01)
    stat = ds.sel(output="stat", input=names[1:]).ST.values
    np.testing.assert_allclose(stat, v[1:] / v[1:].sum(), atol=0.01)
    assert np.isnan(ds.S1.sel(output="region")).all(), "the region is untouched: no index"
    assert ds.attrs["replicates"] == 2 and ds.attrs["evaluations"] == 2 * 2**11 * 5


def test_group_index_is_the_sum_for_a_linear_case() -> None:
    """A group's first-order index in a linear model is the sum of its members' (both costs:
    (var_a + var_b) / total)."""
    ds = sobol(ADDITIVE, 2**11, seed=6, replicates=2, groups={"costs": ["cost.*"]})
    v = np.array([3000.0**2, 20000.0**2 / 12, (50 * 40.0) ** 2])
    assert list(ds.input.values) == ["costs", "consequence.days.price.stat"]
    s1 = float(ds.S1.sel(output="total", input="costs"))
    assert s1 == pytest.approx(v[:2].sum() / v.sum(), abs=0.01)


def test_correlated_inputs_form_one_factor() -> None:
    """Inputs bound by a rank correlation are one factor in the Sobol' analysis."""
    case = copy.deepcopy(ADDITIVE)
    case["correlation"] = [
        {"inputs": ["cost.a.amount", "cost.b.amount"], "spearman": [[1, 0.5], [0.5, 1]]}
    ]
    names, notes = group_inputs(load_case(case))
    assert names[0] == names[1] == "cost.a.amount + cost.b.amount"
    assert notes


def test_indices_over_time_and_second_order() -> None:
    """by_year gives indices of each year's net result; second order gives S2 (input, input).

    Year 1 carries everything here (the start-up costs, and the price's effect: the profile is
    one year long and the 10 participants complete in year 1), so year 1's total indices are
    the linear model's variance shares (as in the test above), the kommune's year 1 depends on
    c_a alone (ST = 1), and year 2, which does not vary, has no index (NaN). The model is
    additive, so every second-order index is 0 (Sobol' 1993: an additive function has no
    interaction terms in its variance decomposition; Saltelli et al. 2008, The Primer, ch. 4).
    Tolerances: over 30 seeds at n = 2^9 with 2 replicates the total's S2 had sd 0.002 (largest
    |S2| 0.005) and the year-1 ST errors sd 0.0011 or less; 0.01 and 0.005 are over 4 sd."""
    ds = sobol(ADDITIVE, 2**9, seed=2, replicates=2, by_year=True, second_order=True)
    assert ds.ST_by_year.dims == ("input", "year", "output")
    assert list(ds.year.values) == [1, 2]
    assert float(ds.ST_by_year.sel(input="cost.a.amount", year=1, output="kommune")) == (
        pytest.approx(1, abs=0.02)
    )
    v = np.array([3000.0**2, 20000.0**2 / 12, (50 * 40.0) ** 2])
    names = ["cost.a.amount", "cost.b.amount", "consequence.days.price.stat"]
    year1 = ds.ST_by_year.sel(year=1, output="total", input=names)
    np.testing.assert_allclose(year1, v / v.sum(), atol=0.005)
    assert bool(ds.ST_by_year.sel(year=2).isnull().all()), "year 2 does not vary: no index"
    assert ds.S2.dims == ("input", "input_b", "output")
    s2 = ds.S2.sel(output="total", input=names, input_b=names).values
    pairs = s2[np.triu_indices(len(names), k=1)]
    assert pairs.size == 3 and np.isfinite(pairs).all()
    np.testing.assert_allclose(pairs, 0.0, atol=0.01)


def test_cli_sensitivity_writes_every_method(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """`som-mc sensitivity` prints the tables and writes one netCDF with a group per method."""
    out = tmp_path / "sens.nc"
    code = main([
        "sensitivity", "--example", "cti", "--n", "256", "--replicates", "2", "--draws", "2000",
        "--methods", "sobol,tornado,switching,voi,morris", "--trajectories", "4",
        "--out", str(out), "--quiet",
    ])  # fmt: skip
    text = capsys.readouterr().out
    assert code == 0
    for title in ("Sobol' indices", "Tornado", "Switching values", "Value of information",
                  "Morris"):  # fmt: skip
        assert title in text
    tree = xr.open_datatree(out, engine="h5netcdf")
    # cti correlates inputs, so the Sobol' method adds Shapley effects and the full and
    # independent indices (docs/sensitivity.md).
    assert set(tree.children) == {"sobol", "tornado", "switching", "voi", "morris", "shapley"}
    assert "ST" in tree["sobol"].dataset and "evppi" in tree["voi"].dataset
