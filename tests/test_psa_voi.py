"""Value of information for several options (som_mc.analysis.decision.voi) and PSA input.

References
----------
- Closed form: for NB ~ N(mu, s²), E[max(NB, 0)] = mu Φ(mu/s) + s φ(mu/s) (Raiffa & Schlaifer
  1961, Applied Statistical Decision Theory, unit normal linear loss).
- The model of the voi package's vignette (Jackson, "voi for Value of Information
  calculation: package overview", CRAN voi): p1 ~ N(1, 1), p2 ~ N(0, 2²), options t1 = 0 and
  t2 = p1 − p2 (net benefit form), or effects (0, p1) and costs (0, p2) at k = 1, 2, 3; the
  vignette's EVPI against the known current net benefit nb_current = 1 of option 2. Its
  printed numbers come from R's random numbers, which are not reproduced here; the closed
  forms of the same model are used instead (NB2 ~ N(k, k² + 4), E[NB2 | p1] = k p1,
  E[NB2 | p2] = k − p2).
- EVPPI by regression: Strong, Oakley & Brennan 2014, Medical Decision Making 34(3):311-326.

Not checked: the voi package's chemotherapy example (chemo_nb, EVPI 1535.81) and BCEA's
Vaccine example, whose samples are R binary data sets not available here.
"""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr
from scipy import stats

from som_mc.analysis.decision import evpi, evppi, make_psa, psa_from_run, psa_from_table
from som_mc.errors import InputError


def _voi_normal(mu: float, s: float) -> float:
    """E[max(Y, 0)] − max(mu, 0) for Y ~ N(mu, s²)."""
    return mu * stats.norm.cdf(mu / s) + s * stats.norm.pdf(mu / s) - max(mu, 0.0)


@pytest.fixture
def vignette(rng: np.random.Generator):
    """The voi vignette's model, 20 000 draws."""
    n = 20_000
    p = np.c_[rng.normal(1, 1, n), rng.normal(0, 2, n)]
    nb = make_psa(
        np.c_[np.zeros(n), p[:, 0] - p[:, 1]],
        inputs=p,
        options=["t1", "t2"],
        input_names=["p1", "p2"],
    )
    ce = make_psa(
        costs=np.c_[np.zeros(n), p[:, 1]],
        effects=np.c_[np.zeros(n), p[:, 0]],
        inputs=p,
        options=["t1", "t2"],
        input_names=["p1", "p2"],
    )
    return nb, ce


def test_evpi_closed_form_and_against_current(vignette) -> None:
    """EVPI of the vignette's model: NB2 ~ N(1, 5), EVPI = E[max(NB2, 0)] − 1 in closed form,
    within 4 reported SE; against the known current net benefit 1 (the vignette's
    nb_current) it is E[max] − 1, the same number here since E[NB2] = 1, within 4 SE."""
    nb, _ = vignette
    exact = _voi_normal(1.0, np.sqrt(5.0))
    res = evpi(nb)
    assert abs(float(res.evpi) - exact) < 4 * float(res.evpi_se)
    cur = evpi(nb, current=1.0)
    assert abs(float(cur.evpi) - exact) < 4 * float(cur.evpi_se)
    top = np.maximum(nb.nb[:, 1], 0.0)
    assert float(cur.evpi) == pytest.approx(top.mean() - 1.0, rel=1e-12)


def test_evpi_curve_over_wtp_closed_form(vignette) -> None:
    """Cost-effectiveness form, k = 1, 2, 3: NB2 = k p1 − p2 ~ N(k, k² + 4); EVPI by k in
    closed form within 4 SE, and exactly the net-benefit form's value at k = 1 (1e-12)."""
    nb, ce = vignette
    res = evpi(ce, [1.0, 2.0, 3.0])
    for j, k in enumerate([1.0, 2.0, 3.0]):
        exact = _voi_normal(k, np.sqrt(k * k + 4))
        assert abs(res.evpi.values[j] - exact) < 4 * res.evpi_se.values[j]
    assert res.evpi.values[0] == pytest.approx(float(evpi(nb).evpi), rel=1e-12)


def test_evppi_single_inputs_closed_form(vignette) -> None:
    """EVPPI(p1) at k: E[NB2 | p1] = k p1 ~ N(k, k²); EVPPI(p2): k − p2 ~ N(k, 4); closed
    forms within 4 reported SE (spline regression, Strong et al. 2014), for k = 1, 2, 3."""
    _, ce = vignette
    wtp = [1.0, 2.0, 3.0]
    res = evppi(ce, ["p1", "p2"], wtp)
    for j, k in enumerate(wtp):
        e1, e2 = _voi_normal(k, k), _voi_normal(k, 2.0)
        r = res.isel(wtp=j)
        assert abs(float(r.evppi.sel(input="p1")) - e1) < 4 * float(r.evppi_se.sel(input="p1"))
        assert abs(float(r.evppi.sel(input="p2")) - e2) < 4 * float(r.evppi_se.sel(input="p2"))
    # p2 matters more at k = 1, p1 at k = 3 (closed forms: 0.25 vs 0.08, 0.64 vs 0.25)
    assert res.evppi_rank.sel(input="p2", wtp=1.0) == 1
    assert res.evppi_rank.sel(input="p1", wtp=3.0) == 1


def test_multi_option_group_of_all_inputs_equals_evpi(rng: np.random.Generator) -> None:
    """Four options whose net benefits are smooth functions of two inputs: EVPPI of the group
    of both = EVPI on the same sample (definition; learning every input is perfect
    information). 1 % relative; 800 draws, the Gaussian process fitted on all of them."""
    n = 800
    x = rng.normal(size=(n, 2))
    nb = np.c_[np.zeros(n), x[:, 0], 0.5 * x[:, 1] + 0.2, np.sin(x[:, 0]) + 0.3 * x[:, 1]]
    psa = make_psa(nb, inputs=x, input_names=["a", "b"])
    res = evppi(psa, [["a", "b"]])
    assert float(res.evppi[0]) == pytest.approx(float(res.evpi), rel=0.01)


def test_multi_option_evppi_between_zero_and_evpi(rng: np.random.Generator) -> None:
    """0 <= EVPPI <= EVPI for every input and λ, three options (Jensen's inequality); the
    upper bound within 2 % for the regression's upward bias. An input that no option depends
    on has EVPPI below 2 % of EVPI."""
    n = 5_000
    x = rng.normal(size=(n, 3))
    costs = np.c_[np.zeros(n), 1 + 0.5 * x[:, 0], 2 + x[:, 1] * x[:, 0]]
    effects = np.c_[np.zeros(n), 0.1 + 0.05 * x[:, 1], 0.2 + 0.1 * x[:, 0]]
    psa = make_psa(costs=costs, effects=effects, inputs=x, input_names=["a", "b", "noise"])
    res = evppi(psa, None, [0.0, 10.0, 20.0, 40.0])
    assert bool((res.evppi >= 0).all())
    assert bool((res.evppi <= 1.02 * res.evpi).all())
    assert bool((res.evppi.sel(input="noise") < 0.02 * res.evpi).all())


def test_group_evppi_does_not_move_with_the_seed(rng: np.random.Generator) -> None:
    """The issue's stability check: a noisy 3-input group at 1,000 draws (the Gaussian process
    fits on all of them, docs/decision.md) gives the same EVPPI for seeds 0 and 1, well within
    its reported SE. With a 500-draw subsample (the old default) the same group moved by
    up to 13 % between seeds."""
    n = 1_000
    x = rng.normal(size=(n, 3))
    nb = 0.1 + 0.3 * x[:, 0] + 0.2 * np.sin(2 * x[:, 1]) + rng.normal(size=n)
    psa = make_psa(np.c_[np.zeros(n), nb], inputs=x, input_names=["a", "b", "c"])
    first = evppi(psa, [["a", "b", "c"]], seed=0)
    second = evppi(psa, [["a", "b", "c"]], seed=1)
    assert abs(float(first.evppi[0]) - float(second.evppi[0])) <= float(first.evppi_se[0])


@pytest.mark.slow
@pytest.mark.xfail(strict=True, reason="known limit: a 2,000-draw subsample of 4,000 moves it")
def test_group_evppi_subsample_seed_within_se(rng: np.random.Generator) -> None:
    """With more draws than max_fit (4,000 draws, hyperparameters on 2,000 chosen by the
    seed) the group's EVPPI should move by less than its reported SE between seeds. It does
    not: measured 0.0676, 0.0677, 0.0759 for seeds 0-2 against an SE of 0.0021 (the SE holds
    the regression fixed, and the subsample picks between two optima of the likelihood).
    Kept as a strict xfail so that a fix shows up; docs/decision.md says so."""
    n = 4_000
    x = rng.normal(size=(n, 3))
    nb = 0.1 + 0.3 * x[:, 0] + 0.2 * np.sin(2 * x[:, 1]) + rng.normal(size=n)
    psa = make_psa(np.c_[np.zeros(n), nb], inputs=x, input_names=["a", "b", "c"])
    values = [evppi(psa, [["a", "b", "c"]], seed=s) for s in (0, 1, 2)]
    se = float(values[0].evppi_se[0])
    assert np.ptp([float(v.evppi[0]) for v in values]) <= se


def test_inputs_from_pandas_xarray_and_table(vignette) -> None:
    """The same sample as numpy arrays, a pandas DataFrame (if pandas is installed), xarray
    DataArrays and a table of columns gives the same EVPI and names."""
    nb, _ = vignette
    expected = float(evpi(nb).evpi)
    table = {
        "nb_t1": nb.nb[:, 0],
        "nb_t2": nb.nb[:, 1],
        "p1": nb.inputs[:, 0],
        "p2": nb.inputs[:, 1],
    }
    from_table = psa_from_table(table)
    assert from_table.options == ("t1", "t2") and from_table.input_names == ("p1", "p2")
    assert float(evpi(from_table).evpi) == expected
    arr = xr.DataArray(nb.nb, dims=("draw", "option"), coords={"option": ["t1", "t2"]})
    assert make_psa(arr.T).options == ("t1", "t2")
    ds = xr.Dataset({k: ("row", v) for k, v in table.items()})
    assert float(evpi(psa_from_table(ds)).evpi) == expected
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(table)
    assert float(evpi(psa_from_table(frame)).evpi) == expected
    assert make_psa(frame[["nb_t1", "nb_t2"]]).options == ("nb_t1", "nb_t2")


def test_psa_from_a_run_is_invest_or_not() -> None:
    """A som-mc run: options nothing (PV 0) and the case, the net benefit the total present
    value; EVPI equals the two-option som_mc.analysis.sensitivity.voi.evpi (1e-12)."""
    import som_mc
    from som_mc.analysis.sensitivity.voi import evpi as evpi_two

    ds = som_mc.run(som_mc.example_path("cti"), draws=400, seed=3)
    psa = psa_from_run(ds)
    assert psa.options[0] == "nothing" and psa.input_names == tuple(ds.input.values)
    total = ds.present_value.sum("actor").values
    assert float(evpi(psa).evpi) == pytest.approx(evpi_two(total), rel=1e-12)
    kommune = psa_from_run(ds, "kommune")
    np.testing.assert_array_equal(kommune.nb[:, 1], ds.present_value.sel(actor="kommune"))


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"nb": np.zeros((10, 2)), "inputs": np.zeros((9, 1))}, "inputs"),
        ({"nb": np.r_[np.zeros((9, 2)), [[0, np.nan]]]}, "nb"),
        ({"nb": np.zeros((10, 1))}, "nb"),
        ({"costs": np.zeros((10, 2)), "effects": np.zeros((10, 3))}, "effects"),
        ({"costs": np.zeros((10, 2))}, "effects"),
        ({"nb": np.zeros((10, 2)), "options": ["a", "a"]}, "options"),
    ],
)
def test_bad_psa_input(kwargs: dict, field: str) -> None:
    """Rows that do not align, NaN, a single option, mismatched costs and effects, a missing
    half, repeated names: a one-line InputError naming the argument."""
    with pytest.raises(InputError) as err:
        make_psa(**kwargs)
    assert err.value.field == field
    assert "\n" not in str(err.value)


def test_bad_wtp_and_inputs(vignette) -> None:
    """A WTP grid that is not increasing, a grid given to net benefits, none given to costs
    and effects, an unknown input: InputError naming wtp or inputs."""
    nb, ce = vignette
    for call, field in (
        (lambda: evpi(ce, [1.0, 1.0]), "wtp"),
        (lambda: evpi(ce), "wtp"),
        (lambda: evpi(nb, [1.0]), "wtp"),
        (lambda: evppi(nb, ["p3"]), "inputs"),
        (lambda: evpi(nb, current=np.nan), "current"),
    ):
        with pytest.raises(InputError) as err:
            call()
        assert err.value.field == field


def test_cli_voi_on_a_csv(tmp_path, rng: np.random.Generator, capsys) -> None:
    """``som-mc voi PSA.csv`` reads a CSV of costs, effects and inputs, prints EVPI, the
    EVPPI table, the ICERs and switch points, writes a figure per curve; a WTP grid that is
    not increasing is a one-line error naming --wtp/wtp (exit status 2)."""
    from som_mc.cli.app import main

    n = 300
    rate = rng.beta(6, 14, n)
    unit = rng.normal(1.2e4, 1.5e3, n)
    path = tmp_path / "psa.csv"
    lines = ["cost_nothing,cost_course,effect_nothing,effect_course,rate,unit"]
    lines += [f"0,{u},0,{r},{r},{u}" for r, u in zip(rate, unit, strict=True)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    status = main(
        [
            "voi",
            str(path),
            "--wtp",
            "0:80000:20000",
            "--evsi-rate",
            "rate",
            "--n",
            "5,20",
            "--plot-dir",
            str(tmp_path / "fig"),
        ]
    )
    out = capsys.readouterr().out
    assert status == 0 and "EVPI" in out and "switch point" in out
    assert sorted(p.name for p in (tmp_path / "fig").iterdir()) == [
        "ceac.png",
        "evsi.png",
        "loss.png",
        "voi.png",
    ]
    assert main(["voi", str(path), "--wtp", "3,2,1"]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "wtp" in err
