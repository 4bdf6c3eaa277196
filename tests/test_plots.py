"""The plots: each reads a Dataset without changing it, draws on the Axes it is given, labels
its axes with units in English and Danish, and shows the numbers of the Dataset."""

from __future__ import annotations

import re

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
import xarray as xr
from matplotlib.axes import Axes

import som_mc
from som_mc import plots
from som_mc.analysis.sensitivity import sobol, tornado, value_of_information
from som_mc.errors import InputError

matplotlib.use("Agg")  # before any figure is made; no window, the same pixels everywhere

CTI = som_mc.example_path("cti")
MONEY = {"en": r"\bDKK\b", "da": r"\bkr\."}
SHARE = {"en": r"\bshare\b", "da": r"\bandel\b"}
YEAR = {"en": r"\byear\b", "da": r"år"}
DRAWS = {"en": r"\bdraws\b", "da": r"trækninger"}


@pytest.fixture(scope="module")
def results() -> dict[str, xr.Dataset]:
    """Small real results of the CTI example, built once: a Monte Carlo run, SØM's
    deterministic table, Sobol' indices, a tornado and the value of information."""
    return {
        "run": som_mc.run(CTI, draws=2000, seed=1),
        "deterministic": som_mc.deterministic(CTI),
        "sobol": sobol(CTI, 256, seed=1, replicates=2),
        "tornado": tornado(som_mc.load_case(CTI)),
        "voi": value_of_information(CTI, 2000, seed=1),
    }


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


# (plot, result it reads, {axis: unit pattern by language}): the value axis names its unit.
PLOTS = [
    (plots.fan_chart, "run", {"y": MONEY, "x": YEAR}),
    (plots.pv_distribution, "run", {"x": MONEY, "y": SHARE}),
    (plots.who_pays, "run", {"y": MONEY}),
    (plots.consequence_waterfall, "run", {"x": MONEY}),
    (plots.consequence_waterfall, "deterministic", {"x": MONEY}),
    (plots.break_even_distribution, "run", {"y": SHARE, "x": YEAR}),
    (plots.tornado_plot, "tornado", {"x": MONEY}),
    (plots.sobol_plot, "sobol", {"x": SHARE}),
    (plots.evppi_plot, "voi", {"x": MONEY}),
    (plots.pv_vs_input, "run", {"y": MONEY}),
    (plots.convergence, "run", {"y": MONEY, "x": DRAWS}),
]
IDS = [f"{f.__name__}-{source}" for f, source, _ in PLOTS]


def _labels(ax: Axes) -> dict[str, str]:
    return {"x": ax.get_xlabel(), "y": ax.get_ylabel(), "title": ax.get_title("left")}


@pytest.mark.parametrize(("plot", "source", "units"), PLOTS, ids=IDS)
def test_plot_labels_units_in_both_languages_and_leaves_the_dataset_alone(
    plot, source, units, results
) -> None:
    """Each plot returns an Axes, renders (Danish glyphs and "−" included, warnings are
    errors), leaves its Dataset identical, labels both axes, names the unit on the value axis,
    and says it all differently in Danish."""
    ds = results[source]
    before = ds.copy(deep=True)
    labels = {}
    for lang in ("en", "da"):
        ax = plot(ds, lang=lang)
        assert isinstance(ax, Axes)
        ax.figure.canvas.draw()
        labels[lang] = _labels(ax)
        assert labels[lang]["x"].strip() and labels[lang]["y"].strip()
        for axis, pattern in units.items():
            assert re.search(pattern[lang], labels[lang][axis], re.IGNORECASE), labels[lang]
        xr.testing.assert_identical(ds, before)
    for key in ("x", "y", "title"):
        assert labels["da"][key] != labels["en"][key], key
    money = [labels[lang][axis] for axis, p in units.items() if p is MONEY for lang in labels]
    assert all("2024" in label for label in money), money  # the price year from the attrs


@pytest.mark.parametrize(("plot", "source", "units"), PLOTS, ids=IDS)
def test_plot_draws_on_the_axes_it_is_given(plot, source, units, results) -> None:
    fig, ax = plt.subplots()
    assert plot(results[source], ax=ax) is ax
    assert fig.axes == [ax]


def test_fan_chart_median_is_the_datasets_median(results) -> None:
    """The median line is the median over draws of the cumulative total, in millions."""
    ds = results["run"]
    ax = plots.fan_chart(ds)
    assert "million DKK" in ax.get_ylabel()
    (line,) = ax.get_lines()[:1]
    expected = ds["cumulative"].sum("actor").median("draw").values / 1e6
    np.testing.assert_allclose(line.get_ydata(), expected, rtol=1e-12)
    np.testing.assert_array_equal(line.get_xdata(), ds["year"].values)


def test_fan_chart_of_one_actor(results) -> None:
    ds = results["run"]
    line = plots.fan_chart(ds, "kommune").get_lines()[0]
    expected = ds["cumulative"].sel(actor="kommune").median("draw").values / 1e6
    np.testing.assert_allclose(line.get_ydata(), expected, rtol=1e-12)


@pytest.mark.parametrize("actor", ["total", "kommune", "stat"])
def test_break_even_bars_sum_to_one_and_match_the_draws(results, actor) -> None:
    ds = results["run"]
    ax = plots.break_even_distribution(ds, actor)
    heights = np.array([bar.get_height() for bar in ax.patches])
    assert heights.size == ds.sizes["year"] + 1  # each year, then "never"
    assert heights.sum() == pytest.approx(1.0, abs=1e-12)
    years = (
        ds["break_even_year"]
        if actor == "total"
        else ds["break_even_year_by_actor"].sel(actor=actor)
    )
    assert heights[-1] == pytest.approx(float(years.isnull().mean()))
    assert ax.get_xticklabels()[-1].get_text() == "Never"


def test_pv_distribution_shows_the_probability_of_a_positive_result(results) -> None:
    ds = results["run"]
    ax = plots.pv_distribution(ds, lang="da")
    p = float((ds["present_value"].sum("actor") > 0).mean())
    expected = f"{100 * p:.1f} %".replace(".", ",")
    assert any(expected in t.get_text() for t in ax.texts), [t.get_text() for t in ax.texts]


def test_who_pays_bars_are_the_means(results) -> None:
    """Gains up, costs down and the net, per actor then the total, in millions."""
    ds = results["run"]
    ax = plots.who_pays(ds)
    heights = np.array([bar.get_height() for bar in ax.patches]).reshape(3, 4)
    pv = ds["present_value"].mean("draw").values
    np.testing.assert_allclose(heights[0, :3], ds["gain_pv"].mean("draw").values / 1e6)
    np.testing.assert_allclose(heights[1, :3], -ds["cost_pv"].mean("draw").values / 1e6)
    np.testing.assert_allclose(heights[2], np.append(pv, pv.sum()) / 1e6)


@pytest.mark.parametrize("source", ["run", "deterministic"])
def test_waterfall_starts_with_the_costs_and_ends_in_the_net(results, source) -> None:
    ds = results[source]
    ax = plots.consequence_waterfall(ds)
    widths = np.array([bar.get_width() for bar in ax.patches]) * 1e6
    if source == "run":
        cost = ds["cost_pv"].sum("actor").mean("draw")
        net = ds["present_value"].sum("actor").mean("draw")
    else:
        cost, net = ds["cost"].sum(), ds["net"].sum()
    assert widths[0] == pytest.approx(-float(cost))
    assert widths[-1] == pytest.approx(float(net))
    assert widths[:-1].sum() == pytest.approx(float(net))  # the steps add up to the net
    assert len(widths) == ds.sizes["consequence"] + 2


def test_tornado_bars_are_sorted_by_swing_with_short_names(results) -> None:
    tor = results["tornado"]
    ax = plots.tornado_plot(tor, "kommune")
    names = [t.get_text() for t in ax.get_yticklabels()]
    assert not any("consequence." in n for n in names)
    swing = tor["swing"].sel(output="kommune")
    assert len(names) == int((swing > 0).sum())
    assert names[0] == "success rate"
    low = [bar.get_width() for bar in ax.patches[: len(names)]]
    high = [bar.get_width() for bar in ax.patches[len(names) : 2 * len(names)]]
    shown = np.abs(np.array(high) - np.array(low))
    assert np.all(np.diff(shown) <= 1e-12)


def test_sobol_plot_says_no_variation_for_an_untouched_actor(results) -> None:
    """The CTI case never touches the region: its indices are NaN."""
    assert results["sobol"]["ST"].sel(output="region").isnull().all()
    for lang, text in (("en", "No variation"), ("da", "Ingen variation")):
        ax = plots.sobol_plot(results["sobol"], "region", lang=lang)
        assert any(text in t.get_text() for t in ax.texts)
        ax.figure.canvas.draw()


def test_evppi_plot_has_the_evpi_line(results) -> None:
    voi = results["voi"]
    ax = plots.evppi_plot(voi)
    scale = 1e3 if "thousand" in ax.get_xlabel() else 1e6
    line = ax.get_lines()[0]
    assert line.get_xdata()[0] * scale == pytest.approx(float(voi["evpi"].sel(output="total")))
    bars = sorted((bar.get_width() for bar in ax.patches), reverse=True)
    assert bars[0] * scale == pytest.approx(float(voi["evppi"].sel(output="total").max()))


def test_pv_vs_input_thins_the_points_but_not_the_mean(results) -> None:
    """500 of the 2000 draws are shown as points, but the binned mean uses all of them: its 20
    points are the means of input and total present value over the draws in 20 groups of 100
    consecutive draws in the order of the input (equal count, computed directly here; the
    sampled rates have no ties), in per cent and in the unit the axis names."""
    ds = results["run"]
    ax = plots.pv_vs_input(ds, "success.rate", max_points=500)
    (points,) = ax.collections
    assert len(points.get_offsets()) == 500
    assert "%" in ax.get_xlabel()  # a rate is shown in per cent
    mean_line = ax.get_lines()[0]
    assert len(mean_line.get_xdata()) == 20
    x = ds["inputs"].sel(input="success.rate").values
    pv = ds["present_value"].sum("actor").values
    assert x.size == 2000 and np.unique(x).size == x.size
    groups = np.argsort(x).reshape(20, 100)
    label = ax.get_ylabel()
    scale = 1e9 if "billion" in label else 1e6 if "million" in label else 1e3
    assert "thousand" in label or scale > 1e3, label
    np.testing.assert_allclose(mean_line.get_xdata(), 100 * x[groups].mean(axis=1), rtol=1e-12)
    np.testing.assert_allclose(
        mean_line.get_ydata() * scale, pv[groups].mean(axis=1), rtol=1e-9, atol=1e-6
    )


def test_convergence_ends_at_the_mean_of_all_draws(results) -> None:
    ds = results["run"]
    ax = plots.convergence(ds, "kommune")
    assert ax.get_xscale() == "log"
    running = ax.get_lines()[0]
    expected = float(ds["present_value"].sel(actor="kommune").mean()) / 1e6
    assert running.get_xdata()[-1] == ds.sizes["draw"]
    assert running.get_ydata()[-1] == pytest.approx(expected, rel=1e-12)


def test_danish_ticks_use_decimal_comma_and_thousands_point(results) -> None:
    ax = plots.convergence(results["run"], lang="da")
    ax.figure.canvas.draw()
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert "1.000" in ticks, ticks
    ax = plots.sobol_plot(results["sobol"], lang="da")
    ax.figure.canvas.draw()
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert any("," in t for t in ticks) and not any("." in t for t in ticks), ticks
    ax = plots.fan_chart(results["run"], lang="da")
    ax.figure.canvas.draw()
    assert any(t.get_text().startswith("−") for t in ax.get_yticklabels())


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda r: plots.fan_chart(r["run"], "borger"), "actor"),
        (lambda r: plots.pv_distribution(r["run"], "Kommune"), "actor"),
        (lambda r: plots.break_even_distribution(r["run"], "city"), "actor"),
        (lambda r: plots.consequence_waterfall(r["deterministic"], "x"), "actor"),
        (lambda r: plots.pv_vs_input(r["run"], "success.rates"), "input"),
        (lambda r: plots.tornado_plot(r["tornado"], "kommunen"), "output"),
        (lambda r: plots.sobol_plot(r["sobol"], "all"), "output"),
        (lambda r: plots.evppi_plot(r["voi"], "staten"), "output"),
        (lambda r: plots.who_pays(r["run"], lang="de"), "lang"),
        (lambda r: plots.fan_chart(r["deterministic"]), "dataset"),
        (lambda r: plots.sobol_plot(r["tornado"]), "dataset"),
        (lambda r: plots.consequence_waterfall(r["sobol"]), "dataset"),
    ],
    ids=[
        "fan-actor",
        "distribution-actor",
        "break_even-actor",
        "waterfall-actor",
        "scatter-input",
        "tornado-output",
        "sobol-output",
        "evppi-output",
        "who_pays-lang",
        "fan-deterministic",
        "sobol-tornado",
        "waterfall-sobol",
    ],
)
def test_unknown_actor_input_or_dataset_is_a_clear_error(results, call, field) -> None:
    with pytest.raises(InputError) as error:
        call(results)
    assert error.value.field == field
    assert re.search(r"allowed: |it has |needs ", str(error.value)), str(error.value)


def test_public_api() -> None:
    assert sorted(plots.__all__) == [
        "break_even_distribution",
        "ceac_plot",
        "consequence_waterfall",
        "convergence",
        "evppi_plot",
        "evsi_plot",
        "fan_chart",
        "loss_plot",
        "parts_plot",
        "portfolio_plot",
        "pv_distribution",
        "pv_vs_input",
        "shapley_plot",
        "sobol_plot",
        "tornado_plot",
        "update_plot",
        "voi_curve_plot",
        "who_pays",
        "write_figure",
    ]


@pytest.mark.parametrize(
    "plot",
    [
        plots.fan_chart,
        plots.pv_distribution,
        plots.consequence_waterfall,
        plots.break_even_distribution,
        plots.pv_vs_input,
        plots.convergence,
    ],
)
def test_an_actor_the_case_never_touches_still_plots(results, plot) -> None:
    """The CTI case never touches the region: every draw is 0, and the plots still draw."""
    ax = plot(results["run"], actor="region", lang="da")
    ax.figure.canvas.draw()
    assert ax.get_xlabel() and ax.get_ylabel()


def test_pv_vs_input_defaults_to_the_gross_rate_when_the_case_has_one() -> None:
    """A case with a gross rate and deadweight has no ``success.rate`` input."""
    ds = som_mc.run(som_mc.example_path("cannabis_youth"), draws=300, seed=1)
    assert "success.rate" not in ds["input"].values
    ax = plots.pv_vs_input(ds)
    assert ax.get_xlabel() == "Gross success rate, %"
