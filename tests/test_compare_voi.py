"""Decision analysis of a portfolio: ``som-mc compare --discount-rate`` and ``--voi``.

The shipped CTI and Housing First examples have different discount rates (0 and fm2021), so a
comparison of the two must state one rate. ``--voi`` reads the portfolio as a probabilistic
sample of net benefits (the present value per actor, :func:`som_mc.analysis.decision.
psa_from_run`) and prints EVPI and EVPPI per actor.

Reference: EVPI = E[max_d NB_d] − max_d E[NB_d] and the chance of being best (Briggs, Claxton
& Sculpher 2006, *Decision Modelling for Health Economic Evaluation*, Oxford University Press,
ch. 7), computed here directly from the kept draws with numpy; EVPPI lies in [0, EVPI]
(Strong, Oakley & Brennan 2014, *Medical Decision Making* 34(3):311-326, eq. 1-2).
"""

from __future__ import annotations

import re

import numpy as np
import pytest
import xarray as xr

import som_mc
from som_mc.analysis import decision
from som_mc.cli import main
from som_mc.cli.common import EXIT_USER_ERROR
from som_mc.errors import InputError

OPTIONS = ("cti", "housing_first")
DRAWS, SEED = 600, 4


@pytest.fixture(scope="module")
def choice() -> xr.Dataset:
    """The two shipped examples on the fm2021 rate, as ``som-mc compare`` runs them."""
    options = {name: som_mc.example_path(name) for name in OPTIONS}
    return som_mc.portfolio(options, draws=DRAWS, seed=SEED, discount_rate="fm2021")


def test_mixed_rates_are_refused_with_the_flag_to_use(capsys: pytest.CaptureFixture[str]) -> None:
    """Without --discount-rate the command refuses the mix in one line that names the field,
    both rates and the flag; a bad rate is refused naming --discount-rate."""
    assert main(["compare", *OPTIONS, "--draws", "50", "--quiet"]) == EXIT_USER_ERROR
    err = capsys.readouterr().err.strip()
    assert "\n" not in err
    assert "housing_first.discount_rate: fm2021 differs from 0 of 'cti'" in err
    assert "--discount-rate RATE" in err and "portfolio(" not in err
    assert main(["compare", *OPTIONS, "--draws", "50", "--quiet", "--discount-rate", "2"]) == 2
    assert capsys.readouterr().err.startswith("som-mc: --discount-rate: 2.0 is not allowed")


def test_discount_rate_flag_is_the_portfolio_argument(
    choice: xr.Dataset, capsys: pytest.CaptureFixture[str]
) -> None:
    """--discount-rate fm2021 gives the numbers of portfolio(discount_rate="fm2021") on the
    same draws and seed, and prints the basis (which option was moved from its own rate)."""
    args = ["compare", *OPTIONS, "--discount-rate", "fm2021", "--draws", str(DRAWS)]
    assert main([*args, "--seed", str(SEED), "--quiet"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "Basis: every option at discount rate fm2021; moved from their own: 'cti' (0)." in out
    mean = float(choice.pv_mean.sel(option="housing_first", actor="total")) / 1000
    assert f"│ housing_first │ total │ {mean:,.0f} │" in out


def test_psa_of_a_portfolio_gives_its_evpi_and_chance_of_being_best(choice: xr.Dataset) -> None:
    """Per actor, the PSA of the portfolio has the portfolio's options and draws; its EVPI
    (decision.evpi) equals both the direct formula on the kept draws and the portfolio's own
    tally to 1e-9 (relative), and the share of draws in which each option has the highest net
    benefit (ties shared) equals p_best exactly."""
    for actor in [str(a) for a in choice.actor.values]:
        psa = decision.psa_from_run(choice, actor)
        assert psa.options == OPTIONS and psa.draws == DRAWS
        nb = choice.present_value.sel(actor=actor).transpose("draw", "option").values
        direct = nb.max(axis=1).mean() - nb.mean(axis=0).max()
        got = float(decision.evpi(psa).evpi)
        np.testing.assert_allclose(got, direct, rtol=1e-9, atol=1e-6, err_msg=actor)
        np.testing.assert_allclose(got, float(choice.evpi.sel(actor=actor)), rtol=1e-9, atol=1e-6)
        top = psa.nb == psa.nb.max(axis=1, keepdims=True)
        share = (top / top.sum(axis=1, keepdims=True)).mean(axis=0)
        np.testing.assert_array_equal(share, choice.p_best.sel(actor=actor).values)


def test_evppi_of_each_input_is_between_zero_and_evpi(choice: xr.Dataset) -> None:
    """For the state (the actor with the most at stake here) every input's EVPPI is in
    [0, EVPI + 3 SE], and at least one input carries a visible part of the EVPI."""
    psa = decision.psa_from_run(choice, "stat")
    res = decision.evppi(psa, seed=0)
    evpi = float(res.evpi)
    assert evpi > 0
    assert (res.evppi >= 0).all()
    assert (res.evppi <= evpi + 3 * res.evppi_se).all()
    assert float(res.evppi.max()) > 0.1 * evpi


def test_voi_prints_evpi_per_actor(choice: xr.Dataset, capsys: pytest.CaptureFixture[str]) -> None:
    """--voi prints one EVPI line per actor with the portfolio's EVPI and best option, and a
    table of the inputs for every actor whose EVPI is above 0."""
    args = ["compare", *OPTIONS, "--discount-rate", "fm2021", "--draws", str(DRAWS)]
    assert main([*args, "--seed", str(SEED), "--quiet", "--voi"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    for actor in [str(a) for a in choice.actor.values]:
        value = float(choice.evpi.sel(actor=actor))
        best = choice.best_by_mean.sel(actor=actor).item()
        line = re.search(rf"{actor}: EVPI ([\d,]+) ± [\d,]+ DKK; best by mean: (\w+)", out)
        assert line is not None, actor
        assert line.group(1) == f"{value:,.0f}" and line.group(2) == best
        assert (f"{actor}: inputs that decide the choice" in out) == (value > 0)


def test_voi_arguments_are_checked(capsys: pytest.CaptureFixture[str]) -> None:
    """--voi needs the draws (not --summary-only), --group goes with --voi, and a group naming
    an input the portfolio does not have is refused with the input's name."""
    base = ["compare", *OPTIONS, "--discount-rate", "0", "--draws", "60", "--quiet"]
    assert main([*base, "--voi", "--summary-only"]) == EXIT_USER_ERROR
    assert "--voi reads every draw" in capsys.readouterr().err
    assert main([*base, "--group", "g=cti.success.rate"]) == EXIT_USER_ERROR
    assert "add --voi" in capsys.readouterr().err
    assert main([*base, "--voi", "--group", "g"]) == EXIT_USER_ERROR
    assert "--group: 'g' is not NAME=A,B" in capsys.readouterr().err
    assert main([*base, "--voi", "--group", "g=no.such.input"]) == EXIT_USER_ERROR
    assert "'no.such.input' is not an input of the sample" in capsys.readouterr().err


def test_psa_from_a_summary_only_portfolio_is_refused() -> None:
    """A portfolio that kept only its summaries has no draws to read as a PSA."""
    options = {name: som_mc.example_path(name) for name in OPTIONS}
    ds = som_mc.portfolio(options, draws=64, seed=1, discount_rate=0.0, summary_only=True)
    with pytest.raises(InputError, match="ds: has no present_value per draw"):
        decision.psa_from_run(ds)
