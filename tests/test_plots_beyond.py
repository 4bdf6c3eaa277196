"""Plots of several interventions or parts: the portfolio plot and the parts plot show the
numbers of the Dataset they read, in English and Danish, and the CLI writes them."""

from __future__ import annotations

import copy
import re
import tomllib
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
import xarray as xr
from matplotlib.axes import Axes

import som_mc
from som_mc import portfolio
from som_mc.cli import EXIT_USER_ERROR, main
from som_mc.errors import InputError
from som_mc.inputs.examples import course_path
from som_mc.present.plots import parts_plot, portfolio_plot
from som_mc.present.plots.parts import QUANTILES

matplotlib.use("Agg")  # before any figure is made; no window, the same pixels everywhere

ACTORS = ["kommune", "region", "stat"]
SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "1.000 kr.": 1e3, "mio.": 1e6}


@pytest.fixture(scope="module")
def results() -> dict[str, xr.Dataset]:
    """Small real results, built once: a portfolio of the CTI and Housing First examples, the
    shipped course (CTI, then Housing First) and the CTI case split into two age bands with
    their own success rates (the young band's rate is an illustrative number)."""
    cti = tomllib.loads(som_mc.example_path("cti").read_text(encoding="utf-8"))
    grouped = copy.deepcopy(cti)
    grouped["subgroup"] = [
        {
            "name": "age_18_29",
            "label": "18-29 years",
            "share": 0.4,
            "success": {"rate": {"dist": "beta", "mean": 0.10, "sd": 0.03}},
        },
        {"name": "age_30_plus", "label": "30 years and over", "share": 0.6},
    ]
    options = {name: som_mc.example_path(name) for name in ("cti", "housing_first")}
    return {
        "portfolio": portfolio(options, draws=1500, seed=3, discount_rate="fm2021"),
        "course": som_mc.run_course(course_path("cti_then_housing_first"), draws=1500, seed=3),
        "subgroups": som_mc.run(grouped, draws=1500, seed=3),
        "run": som_mc.run(som_mc.example_path("cti"), draws=200, seed=3),
    }


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _scale(label: str) -> float:
    """The money unit an axis label names (1 DKK when it names none of the larger ones)."""
    return next((v for k, v in SCALES.items() if k in label), 1.0)


def _direct_p_best_and_loss(ds: xr.Dataset) -> tuple[np.ndarray, np.ndarray]:
    """P(best) and expected loss by (option, actor incl. total), counted directly from the
    draws: in each draw the options with the highest present value share the draw equally,
    and the loss of an option is the best present value of the draw minus its own."""
    pv = ds.present_value.sel(actor=ACTORS).transpose("draw", "option", "actor").values
    pv = np.concatenate([pv, pv.sum(axis=2, keepdims=True)], axis=2)
    best = pv.max(axis=1, keepdims=True)
    is_best = pv == best
    share = is_best / is_best.sum(axis=1, keepdims=True)
    return share.mean(axis=0), (best - pv).mean(axis=0)


# --------------------------------------------------------------------------------------------
# portfolio_plot
# --------------------------------------------------------------------------------------------


def test_portfolio_bars_and_losses_are_the_datasets(results) -> None:
    """The bars' heights are P(best) and the diamonds the expected loss (in the unit the right
    axis names), for every option and actor. Both are also checked against a direct count on
    the draws (the definitions of som_mc.analysis.decision: ties share a draw; loss = best −
    own)."""
    ds = results["portfolio"]
    ax = portfolio_plot(ds)
    order = ["kommune", "region", "stat", "total"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Kommune", "Region", "State", "Total"]
    options = list(ds.option.values)
    assert len(ax.containers) == len(options)
    scale = _scale(ax.right_ax.get_ylabel())
    diamonds = [line for line in ax.right_ax.lines if line.get_marker() == "D"]
    direct_p, direct_loss = _direct_p_best_and_loss(ds)
    for i, option in enumerate(options):
        heights = np.array([bar.get_height() for bar in ax.containers[i]])
        expected = ds.p_best.sel(option=option, actor=order).values
        np.testing.assert_allclose(heights, expected, rtol=0, atol=1e-12)
        np.testing.assert_allclose(heights, direct_p[i], rtol=0, atol=1e-12)
        losses = diamonds[i].get_ydata() * scale
        np.testing.assert_allclose(losses, ds.expected_loss.sel(option=option, actor=order))
        np.testing.assert_allclose(losses, direct_loss[i], rtol=1e-9, atol=1e-6)
    # Each actor's bars add up to 100 %.
    per_actor = sum(np.array([b.get_height() for b in c]) for c in ax.containers)
    np.testing.assert_allclose(per_actor, 1.0, rtol=1e-12)


def test_portfolio_marks_an_actor_no_option_touches(results) -> None:
    """The region gains and pays nothing in either example: every draw is a tie, the bars are
    pale at 1/2 each and the plot says the options are equal."""
    ds = results["portfolio"]
    assert float(np.abs(ds.present_value.sel(actor="region")).max()) == 0.0
    ax = portfolio_plot(ds, actors=["region", "total"])
    region = [c[0] for c in ax.containers]
    assert [bar.get_height() for bar in region] == [0.5, 0.5]
    assert all(bar.get_alpha() < 1 for bar in region)
    assert all(c[1].get_alpha() in (None, 1.0) for c in ax.containers)
    assert [t.get_text() for t in ax.texts] == ["equal in\nevery draw"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Region", "Total"]


def test_portfolio_plot_in_danish(results) -> None:
    """Danish labels: actors, both axes (with kr. and the price year), legend and title."""
    ax = portfolio_plot(results["portfolio"], lang="da")
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Kommune", "Region", "Stat", "I alt"]
    assert ax.get_xlabel() == "Aktør"
    assert ax.get_ylabel().startswith("Sandsynlighed for at være bedst")
    assert re.search(r"Forventet tab.*kr\..*2024-priser", ax.right_ax.get_ylabel())
    legend = [t.get_text() for t in ax.right_ax.get_legend().get_texts()]
    assert legend == ["cti", "housing first", "Forventet tab (◆, højre akse)"]
    assert ax.get_title(loc="left") == "Hvilket alternativ er bedst?"
    assert "ens i alle\ntrækninger" in [t.get_text() for t in ax.texts]
    ticks = [t.get_text() for t in ax.right_ax.get_yticklabels()]
    assert not any("." in t for t in ticks if t)  # whole numbers, no English decimals


def test_portfolio_plot_bad_input(results) -> None:
    """A missing variable, an unknown or absent actor and an unknown language are
    InputErrors naming the field, the value and what is allowed."""
    ds = results["portfolio"]
    with pytest.raises(InputError, match=r"dataset.*som_mc\.portfolio.*'p_best' missing"):
        portfolio_plot(ds.drop_vars("p_best"))
    with pytest.raises(InputError, match=r"dataset.*'expected_loss' missing"):
        portfolio_plot(results["run"])
    with pytest.raises(InputError, match=r"actors.*'municipality'.*allowed: total, kommune"):
        portfolio_plot(ds, actors=["municipality"])
    with pytest.raises(InputError, match=r"actors.*'total' is not in this result"):
        portfolio_plot(ds.sel(actor=ACTORS), actors=["total"])
    with pytest.raises(InputError, match=r"lang.*'fr'"):
        portfolio_plot(ds, lang="fr")


# --------------------------------------------------------------------------------------------
# parts_plot
# --------------------------------------------------------------------------------------------


def _rows(ax: Axes, n: int, scale: float) -> dict[str, np.ndarray]:
    """The drawn numbers by row: the 90 % and 50 % bars' ends and the median and mean
    markers, in DKK."""
    bars = ax.patches
    assert len(bars) == 2 * n
    wide, narrow = bars[:n], bars[n:]
    marks = {
        line.get_marker(): np.asarray(line.get_xdata()) * scale
        for line in ax.lines
        if line.get_marker() in ("|", "D")
    }
    return {
        "q05": np.array([b.get_x() for b in wide]) * scale,
        "q95": np.array([b.get_x() + b.get_width() for b in wide]) * scale,
        "q25": np.array([b.get_x() for b in narrow]) * scale,
        "q75": np.array([b.get_x() + b.get_width() for b in narrow]) * scale,
        "median": marks["|"],
        "mean": marks["D"],
    }


@pytest.mark.parametrize(
    ("kind", "dim", "output"),
    [("course", "step", "total"), ("subgroups", "subgroup", "kommune")],
)
def test_parts_plot_shows_each_parts_distribution_and_the_whole(
    results, kind: str, dim: str, output: str
) -> None:
    """Each row's interval bars and markers are numpy's quantiles (linear interpolation) and
    the mean of the part's present value over the draws; the last row is the whole. The
    parts add up to the whole draw by draw, so the parts' means add up to the whole's."""
    ds = results[kind]
    ax = parts_plot(ds, dim, output=output)
    parts = ds[f"present_value_by_{dim}"]
    whole = ds.present_value
    if output == "total":
        parts, whole = parts.sum("actor"), whole.sum("actor")
    else:
        parts, whole = parts.sel(actor=output), whole.sel(actor=output)
    values = np.vstack([parts.transpose(dim, "draw").values, whole.values[np.newaxis]])
    drawn = _rows(ax, values.shape[0], _scale(ax.get_xlabel()))
    q = np.quantile(values, QUANTILES, axis=1)
    for key, row in zip(("q05", "q25", "median", "q75", "q95"), q, strict=True):
        np.testing.assert_allclose(drawn[key], row, rtol=1e-12, atol=1e-6, err_msg=key)
    np.testing.assert_allclose(drawn["mean"], values.mean(axis=1), rtol=1e-12)
    np.testing.assert_allclose(parts.sum(dim), whole, rtol=1e-12, atol=1e-6)
    np.testing.assert_allclose(drawn["mean"][-1], drawn["mean"][:-1].sum(), rtol=1e-9)


def test_parts_plot_labels(results) -> None:
    """Rows are named by the subgroups' labels or the steps' names, the whole last; the money
    axis names its unit and price year; Danish words with lang="da"."""
    ax = parts_plot(results["subgroups"], "subgroup", output="kommune")
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["18-29 years", "30 years and over", "All subgroups together"]
    assert re.fullmatch(r"Present value, \w+ DKK \(2024 prices\)", ax.get_xlabel())
    assert ax.get_title(loc="left") == "Present value by subgroup: kommune"
    ax = parts_plot(results["course"], "step", lang="da")
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["cti", "housing first", "Alle trin i alt"]
    assert re.fullmatch(r"Nutidsværdi, .*kr\. \(2024-priser\)", ax.get_xlabel())
    assert ax.get_ylabel() == "Trin"
    assert ax.get_title(loc="left") == "Nutidsværdi pr. trin: i alt"
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["90 %-interval", "50 %-interval", "Median (|)", "Gennemsnit (◆)"]


def test_parts_plot_bad_input(results) -> None:
    """An unknown dim or output, and a result without the parts asked for, are InputErrors."""
    with pytest.raises(InputError, match=r"dim.*'year' is not allowed; allowed: step, subgroup"):
        parts_plot(results["course"], "year")
    with pytest.raises(InputError, match=r"output.*'municipality'.*allowed: total, kommune"):
        parts_plot(results["course"], "step", output="municipality")
    with pytest.raises(InputError, match=r"present_value_by_subgroup.*missing"):
        parts_plot(results["course"], "subgroup")
    with pytest.raises(InputError, match=r"run_course.*present_value_by_step.*missing"):
        parts_plot(results["run"], "step")
    with pytest.raises(InputError, match=r"'draw' dim missing"):
        parts_plot(results["course"].isel(draw=0), "step")


# --------------------------------------------------------------------------------------------
# The command line
# --------------------------------------------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(
    "command",
    [
        ["compare", "cti", "housing_first", "--discount-rate", "fm2021"],
        ["course", "--example", "cti_then_housing_first"],
    ],
)
def test_cli_plot_writes_png_and_refuses_to_overwrite(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    """--plot writes a PNG; a second run without --force stops before it runs and leaves the
    file alone; with --force it replaces it."""
    out = tmp_path / "figure.png"
    args = [*command, "--draws", "300", "--seed", "1", "--quiet", "--plot", str(out)]
    assert main(args) == 0
    assert f"Figure written to {out}" in capsys.readouterr().out.replace("\n", "")
    first = out.read_bytes()
    assert first.startswith(PNG)

    out.write_bytes(b"keep me")
    assert main(args) == EXIT_USER_ERROR
    captured = capsys.readouterr()
    assert "--force" in captured.err and str(out) in captured.err
    assert captured.out == ""  # refused before the run
    assert out.read_bytes() == b"keep me"

    assert main([*args, "--force"]) == 0
    assert out.read_bytes().startswith(PNG)
    assert [p.name for p in tmp_path.iterdir()] == ["figure.png"]  # no temporary file left


def test_cli_plot_names_the_formats_it_writes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A --plot file with a suffix no figure format has is refused before the run."""
    out = tmp_path / "figure.xyz"
    args = ["compare", "cti", "housing_first", "--discount-rate", "0", "--draws", "50"]
    args += ["--plot", str(out)]
    assert main(args) == EXIT_USER_ERROR
    assert "allowed suffixes: .png, .pdf, .svg" in capsys.readouterr().err
    assert not out.exists()
