"""The decision plots (som_mc.present.plots.decision): CEAC/CEAF, expected loss, EVPI/EVPPI
curves and EVSI/ENBS draw the numbers of the Dataset they are given, label their axes in
English or Danish, refuse what they cannot draw, and are written to files that are not
overwritten unless asked.

The data are a small synthetic sample (three options whose costs and effects follow from two
inputs); the plots are checked against the Datasets of som_mc.analysis.decision, not against
outside numbers.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
import xarray as xr

from som_mc.analysis import decision
from som_mc.cli import main
from som_mc.cli.common import EXIT_USER_ERROR
from som_mc.errors import InputError
from som_mc.io import ResultExistsError
from som_mc.present import plots

matplotlib.use("Agg")

PNG = b"\x89PNG\r\n\x1a\n"
WTP = np.arange(0.0, 100_001.0, 5_000.0)


def _columns(n: int = 400, seed: int = 11) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    rate = rng.beta(6, 14, n)
    price = rng.gamma(16.0, 1_000.0, n)
    return {
        "cost_a": np.zeros(n),
        "cost_b": price,
        "cost_c": 2.5 * price,
        "effect_a": np.zeros(n),
        "effect_b": rate,
        "effect_c": 1.6 * rate + rng.normal(0, 0.05, n),
        "rate": rate,
        "price": price,
    }


@pytest.fixture(scope="module")
def results() -> dict[str, xr.Dataset]:
    psa = decision.psa_from_table(_columns(), units="DKK")
    ev = decision.evsi(psa, "rate", [5, 20, 80], WTP, seed=2)
    nb_psa = decision.psa_from_table(
        {"nb_a": np.zeros(400), "nb_b": _columns()["effect_b"] * 50_000 - _columns()["cost_b"]}
        | {"rate": _columns()["rate"], "price": _columns()["price"]},
        units="DKK",
    )
    return {
        "cea": decision.cea(psa, WTP),
        "voi": decision.evppi(psa, None, WTP),
        "voi_nb": decision.evppi(nb_psa),
        "evsi": ev,
        "enbs": decision.enbs(ev, 50.0, 1_000.0, population=20),
    }


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _scale(label: str) -> float:
    return 1e6 if "million" in label or "mio." in label else 1e3 if "thousand" in label else 1.0


def test_ceac_plot_draws_the_ceac_the_frontier_and_the_switch_points(results) -> None:
    """One line per option with the CEAC, a frontier line with the CEAF, a vertical line at
    each switch point (in the unit of the x axis); the axes name what they show."""
    ds = results["cea"]
    ax = plots.ceac_plot(ds)
    xscale = _scale(ax.get_xlabel())
    lines = {line.get_label(): line for line in ax.get_lines()}
    for option in ds.option.values:
        np.testing.assert_allclose(lines[option].get_ydata(), ds.ceac.sel(option=option))
        np.testing.assert_allclose(lines[option].get_xdata() * xscale, WTP)
    np.testing.assert_allclose(lines["frontier (CEAF)"].get_ydata(), ds.ceaf)
    vertical = [
        line.get_xdata()[0] * xscale
        for line in ax.get_lines()
        if len(set(np.atleast_1d(line.get_xdata()))) == 1
    ]
    assert ds.sizes["switch"] > 0
    np.testing.assert_allclose(vertical, ds.switch_wtp.values)
    assert ax.get_xlabel().startswith("Willingness to pay per unit of effect")
    assert ax.get_ylabel() == "Probability of the highest net benefit, %"
    assert ax.get_ylim() == (0.0, 1.0)


def test_loss_plot_draws_the_expected_losses_and_the_evpi_on_a_money_axis(results) -> None:
    """The loss lines and the EVPI line are the Dataset's numbers in the unit the y label
    names (thousand DKK here), and the EVPI is the lowest loss at each λ."""
    ds = results["cea"]
    ax = plots.loss_plot(ds)
    scale = _scale(ax.get_ylabel())
    assert ax.get_ylabel().startswith("Expected loss, ") and ax.get_ylabel().endswith("DKK")
    lines = {line.get_label(): line for line in ax.get_lines()}
    for option in ds.option.values:
        np.testing.assert_allclose(
            lines[option].get_ydata() * scale, ds.expected_loss.sel(option=option)
        )
    np.testing.assert_allclose(lines["EVPI"].get_ydata() * scale, ds.evpi)
    np.testing.assert_allclose(ds.evpi, ds.expected_loss.min("option"))


def test_voi_curve_plot_curves_and_bars(results) -> None:
    """Over λ: one EVPPI line per input and the EVPI; for net benefits (no λ): one bar per
    input and the EVPI as a line, in the unit of the axis."""
    ds = results["voi"]
    ax = plots.voi_curve_plot(ds)
    scale = _scale(ax.get_ylabel())
    lines = {line.get_label(): line for line in ax.get_lines()}
    for name in ds.input.values:
        np.testing.assert_allclose(lines[name].get_ydata() * scale, ds.evppi.sel(input=name))
    np.testing.assert_allclose(lines["EVPI"].get_ydata() * scale, ds.evpi)
    assert ax.get_ylabel().startswith("Value of information, ")

    nb = results["voi_nb"]
    ax = plots.voi_curve_plot(nb)
    scale = _scale(ax.get_xlabel())
    widths = sorted(p.get_width() * scale for p in ax.patches)
    np.testing.assert_allclose(widths, np.sort(nb.evppi.values))
    evpi_line = next(line for line in ax.get_lines() if line.get_label() == "EVPI")
    np.testing.assert_allclose(evpi_line.get_xdata()[0] * scale, float(nb.evpi))
    assert ax.get_xlabel().startswith("EVPPI")


def test_evsi_plot_at_a_chosen_wtp_and_scaled_by_the_population(results) -> None:
    """At the λ nearest the one asked for (named in the title), the EVSI line is population ×
    EVSI, the ceiling population × EVPPI of the rate, the ENBS line the ENBS."""
    ev, nb = results["evsi"], results["enbs"]
    ax = plots.evsi_plot(ev, nb, wtp=52_000)
    scale = _scale(ax.get_ylabel())
    assert "50,000 DKK" in ax.get_title(loc="left")
    lines = {line.get_label(): line for line in ax.get_lines()}
    at = ev.sel(wtp=50_000)
    np.testing.assert_allclose(lines["EVSI × 20"].get_ydata() * scale, 20 * at.evsi)
    np.testing.assert_allclose(
        np.asarray(lines["EVPPI of the rate × 20"].get_ydata()) * scale, 20 * float(at.evppi)
    )
    enbs = next(v for k, v in lines.items() if k.startswith("ENBS"))
    np.testing.assert_allclose(enbs.get_ydata() * scale, nb.enbs.sel(wtp=50_000))
    np.testing.assert_array_equal(enbs.get_xdata(), [5, 20, 80])
    assert ax.get_xlabel() == "Citizens followed by the study"
    default = plots.evsi_plot(ev)  # the middle of the grid, as `som-mc voi` prints it
    assert "50,000 DKK" in default.get_title(loc="left")


def test_decision_plots_in_danish(results) -> None:
    """lang="da": Danish axis labels and titles, and Danish numbers on the ticks."""
    ax = plots.ceac_plot(results["cea"], lang="da")
    ax.figure.canvas.draw()
    assert ax.get_xlabel().startswith("Betalingsvilje pr. effektenhed, ")
    assert ax.get_xlabel().endswith("kr.")
    assert ax.get_ylabel() == "Sandsynlighed for den højeste nettogevinst, %"
    assert "acceptabilitetsfront (CEAF)" in [t.get_text() for t in ax.get_legend().get_texts()]
    assert ax.xaxis.get_major_formatter()(1234567.0) == "1.234.567"  # the Danish way
    assert ax.yaxis.get_major_formatter()(0.5) == "50"  # shares as %
    assert [t.get_text() for t in ax.get_yticklabels()][-1] == "100"  # shares in %
    ax = plots.loss_plot(results["cea"], lang="da")
    assert ax.get_ylabel().startswith("Forventet tab, ")
    assert ax.get_title(loc="left") == "Forventet tab ved hvert alternativ"
    ax = plots.voi_curve_plot(results["voi"], lang="da")
    assert ax.get_ylabel().startswith("Værdi af information, ")
    ax = plots.evsi_plot(results["evsi"], results["enbs"], lang="da")
    assert ax.get_xlabel() == "Borgere fulgt af undersøgelsen"
    assert "ved betalingsvilje 50.000 kr." in ax.get_title(loc="left")


def test_decision_plots_refuse_what_they_cannot_draw(results) -> None:
    """An unknown language, a Dataset of another kind, a sample without λ for a curve over λ,
    and a λ for an EVSI without one are each an InputError naming the argument."""
    cases = [
        (lambda: plots.ceac_plot(results["cea"], lang="fr"), "lang"),
        (lambda: plots.ceac_plot(results["voi"]), "dataset"),
        (lambda: plots.loss_plot(results["evsi"]), "dataset"),
        (lambda: plots.voi_curve_plot(results["cea"]), "dataset"),
        (lambda: plots.evsi_plot(results["cea"]), "dataset"),
        (lambda: plots.ceac_plot(results["cea"].isel(wtp=0)), "dataset"),
        (lambda: plots.evsi_plot(results["evsi"].isel(wtp=0), wtp=1.0), "wtp"),
    ]
    for call, field in cases:
        with pytest.raises(InputError) as err:
            call()
        assert err.value.field == field


def test_write_figure_writes_png_and_refuses_to_overwrite(results, tmp_path: Path) -> None:
    """Each decision plot goes to a PNG through write_figure; a second write without
    overwrite leaves the file alone, with overwrite it is replaced."""
    draws = {
        "ceac": lambda ax: plots.ceac_plot(results["cea"], ax=ax),
        "loss": lambda ax: plots.loss_plot(results["cea"], ax=ax),
        "voi": lambda ax: plots.voi_curve_plot(results["voi"], ax=ax),
        "evsi": lambda ax: plots.evsi_plot(results["evsi"], results["enbs"], ax=ax),
    }
    for name, draw in draws.items():
        path = tmp_path / f"{name}.png"
        assert plots.write_figure(draw, path, overwrite=False) == path
        assert path.read_bytes().startswith(PNG)
        path.write_bytes(b"keep me")
        with pytest.raises(ResultExistsError):
            plots.write_figure(draw, path, overwrite=False)
        assert path.read_bytes() == b"keep me"
        plots.write_figure(draw, path, overwrite=True)
        assert path.read_bytes().startswith(PNG)
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{n}.png" for n in sorted(draws)]


def test_cli_voi_refuses_existing_figures_before_it_runs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``som-mc voi --plot-dir`` stops before the analysis when a figure it would write is
    there (nothing printed, the file kept), writes Danish figures with --force --lang da."""
    columns = _columns(200)
    path = tmp_path / "psa.csv"
    names = list(columns)
    rows = np.column_stack([columns[n] for n in names])
    np.savetxt(path, rows, delimiter=",", header=",".join(names), comments="")
    folder = tmp_path / "fig"
    folder.mkdir()
    (folder / "loss.png").write_bytes(b"keep me")
    args = ["voi", str(path), "--wtp", "0:100000:25000", "--plot-dir", str(folder)]
    assert main(args) == EXIT_USER_ERROR
    captured = capsys.readouterr()
    assert "--force" in captured.err and "loss.png" in captured.err
    assert captured.out == ""
    assert (folder / "loss.png").read_bytes() == b"keep me"
    assert main([*args, "--force", "--lang", "da"]) == 0
    assert sorted(p.name for p in folder.iterdir()) == ["ceac.png", "loss.png", "voi.png"]
    assert (folder / "loss.png").read_bytes().startswith(PNG)
