"""Build notebook 07 (a researcher's own probabilistic sample), stored without outputs.

Run from anywhere: ``python notebooks/_build/build_07.py``. The notebook is written next to
this folder; edit the cells here, not the .ipynb file, and rebuild. Its data,
``notebooks/data/own_psa.csv``, is written by ``make_own_psa.py`` in this folder.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from cells import code, md, notebook

HERE = Path(__file__).resolve().parent
OUT = HERE.parent

SETUP = """\
%matplotlib inline
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from som_mc import plots
from som_mc.analysis import decision

pd.options.display.float_format = "{:,.4g}".format

DATA = Path("data") / "own_psa.csv"  # beside this notebook
WTP = np.arange(0, 1_500_001, 25_000)  # DKK per QALY, 0 to 1.5 million (illustrative grid)
AT = 750_000  # the willingness to pay the tables are shown at (the middle of the grid)


def at(ds):
    \"\"\"``ds`` at the willingness to pay AT.\"\"\"
    return ds.sel(wtp=AT)
"""

NB07 = [
    md("""
    # Your own probabilistic sample: cost-effectiveness and the value of information

    Notebooks 01-06 run SØM business cases. Many analysts arrive with a model of their own,
    built in R (BCEA, voi, dampack), in Excel or in a trial analysis, and with its
    **probabilistic sensitivity analysis** (PSA): one row per Monte Carlo draw, with each
    option's cost and effect and the sampled inputs that produced them. som-mc's decision
    analysis (`som_mc.analysis.decision`, docs/decision.md) reads such a file and gives the
    standard quantities: the cost-effectiveness table, ICERs and the efficiency frontier, the
    acceptability curves (CEAC, CEAF), expected loss, EVPI and EVPPI, and the expected value
    of sample information (EVSI) of a local evaluation.

    **The data are synthetic.** `data/own_psa.csv` stands in for your own file. It was written
    by `notebooks/_build/make_own_psa.py` (seed 20240607, 1,000 draws) from a small made-up
    model of three offers to young people out of education and work: the jobcentre's
    **usual** offer, a **group** course and individual **mentor**ing, with effects in
    quality-adjusted life years (QALYs) and costs in DKK net of the public savings a success
    brings. **Every number in it is illustrative**: none is Danish data or a published
    estimate, so the results show the methods, not which offer to choose.
    """),
    code(SETUP),
    md("""
    ## 1. Reading the file

    The columns are `cost_<option>` and `effect_<option>` for each option (or `nb_<option>`
    for net benefits in money), and every other column is an input, in the same row as the
    outcomes it produced. `read_psa` checks the file: a value that is not a number, rows of
    unequal length, an option with a cost and no effect are each one line naming the column
    and the row.
    """),
    code("""
    psa = decision.read_psa(DATA, units="DKK")
    print(f"{psa.draws:,} draws; options: {', '.join(psa.options)}")
    print("inputs:", ", ".join(psa.input_names))
    pd.read_csv(DATA).head(3)
    """),
    md("""
    ## 2. Cost-effectiveness table, ICERs and the efficiency frontier

    `cea` gives the mean and standard deviation of each option's cost and effect, and the
    incremental cost-effectiveness ratios (ICERs) of dampack's `calculate_icers`: options that
    cost more and give less than another are **dominated** (`D`), those beaten by a mix of two
    others **extendedly dominated** (`ED`), and the rest (`ND`) form the **efficiency
    frontier**, each ICER against the previous option on it.

    There is no official Danish willingness to pay per QALY; the grid here, 0 to 1.5 million
    DKK per QALY, is an **illustrative** range.
    """),
    code("""
    res = decision.cea(psa, WTP)
    table = res[["cost_mean", "cost_sd", "effect_mean", "effect_sd", "icer", "status"]]
    table.to_dataframe()
    """),
    md("""
    The option with the highest expected net benefit (λ × effect − cost) changes at the ICERs
    of the frontier: these are the **switch points**. `frontier_intervals` gives the ranges of
    the grid over which each option is optimal.
    """),
    code("""
    for w, a, b in zip(res.switch_wtp.values, res.switch_from.values, res.switch_to.values):
        print(f"switch point {w:,.0f} DKK per QALY: {a} -> {b}")
    for lo, hi, option in decision.frontier_intervals(WTP, res.optimal.values):
        print(f"{option:>7} optimal from {lo:>9,.0f} to {hi:>9,.0f} DKK per QALY")
    print(f"incremental net benefit against usual at {AT:,} DKK per QALY (DKK per citizen):")
    at(res.inb).to_pandas()
    """),
    md("""
    ## 3. Acceptability and expected loss

    The **CEAC** of an option is the share of draws in which it has the highest net benefit;
    the **CEAF** (dotted) follows the option that is optimal on expected net benefit, which is
    not always the one most often best. The **expected loss** of an option is the mean
    shortfall of its net benefit from that of the best option of each draw; the least of them
    is the **EVPI**, what knowing every input before choosing would be worth per citizen.
    """),
    code("""
    fig, (left, right) = plt.subplots(1, 2, figsize=(13, 4.2))
    plots.ceac_plot(res, ax=left)
    plots.loss_plot(res, ax=right)
    plt.show()
    """),
    md("""
    ## 4. EVPI and EVPPI: which inputs are worth knowing better

    `evppi` estimates, for each input and for groups of inputs, what knowing it exactly would
    be worth (a smoothing spline for one input, a Gaussian process for a group; the standard
    error holds the regression fixed). Here the three success-rate inputs are also taken
    together, as one study could measure them. The ranking is at λ = 750,000 DKK per QALY.
    """),
    code("""
    groups = {name: [name] for name in psa.input_names}
    groups["success rates"] = ["p_usual", "p_mentor", "log_or_group"]
    voi = decision.evppi(psa, groups, WTP, seed=1)
    print(f"EVPI at {AT:,} DKK per QALY: {float(at(voi.evpi)):,.0f} "
          f"± {float(at(voi.evpi_se)):,.0f} DKK per citizen")
    at(voi[["evppi", "evppi_se", "ratio", "evppi_rank"]]).to_dataframe().sort_values("evppi_rank")
    """),
    code("""
    ax = plots.voi_curve_plot(voi, max_inputs=5)
    plt.show()
    """),
    md("""
    ## 5. Is a local evaluation worth it, and of how many citizens?

    Suppose the kommune can follow `n` citizens who get mentoring and count how many succeed.
    That is binomial evidence on `p_mentor`, whose prior in the model is Beta(30, 70). The
    **EVSI** of such a study is what the decision is expected to gain from choosing after
    seeing the result. `evsi` estimates it by the regression method of Strong, Oakley, Brennan
    & Breeze (2015); `evsi_preposterior` computes it directly by reweighting the draws with
    the beta-binomial update that `som-mc update` also uses. Both rise with `n` towards the
    EVPPI of `p_mentor` and stay below it. With 1,000 draws they differ at some sizes by a few
    of the regression's standard errors: that SE holds the fitted curve fixed and leaves out
    the noise of the one simulated study per draw, and the direct value rests on fewer
    effective draws as `n` grows (last column). A firmer answer needs a larger sample.
    """),
    code("""
    SIZES = [10, 25, 50, 100, 200, 400]
    ev = decision.evsi(psa, "p_mentor", SIZES, WTP, seed=1)
    direct = decision.evsi_preposterior(psa, "p_mentor", SIZES, WTP, prior=(30, 70))
    pd.DataFrame({
        "EVSI (regression)": at(ev.evsi).values,
        "SE": at(ev.evsi_se).values,
        "EVSI (direct)": at(direct.evsi).values,
        "effective draws (direct)": direct.ess.values,
    }, index=pd.Index(SIZES, name="citizens followed")).assign(
        **{"EVPPI of p_mentor": float(at(ev.evppi))}
    )
    """),
    md("""
    EVSI is per citizen whose offer the decision sets. A study informs the choice for everyone
    it will apply to: here **500 citizens** (say 100 a year for five years), and the study
    costs **150,000 DKK** to set up and **2,000 DKK** per citizen followed (all three numbers
    **illustrative**). The **expected net benefit of sampling** (ENBS) is 500 × EVSI less the
    study's cost; the best study size is where it is highest, and the study is worth doing
    at all only if that highest ENBS is above 0.
    """),
    code("""
    nb = decision.enbs(ev, cost_per_citizen=2_000, fixed_cost=150_000, population=500)
    best = int(at(nb.best_size))
    print(f"at {AT:,} DKK per QALY: best study size {best} citizens, "
          f"ENBS {float(at(nb.enbs).sel(sample_size=best)):,.0f} DKK, "
          f"worth doing: {'yes' if bool(at(nb.worth_it)) else 'no'}")
    ax = plots.evsi_plot(ev, nb, wtp=AT)
    plt.show()
    """),
    md("""
    ## 6. The same from the command line, and in Danish

    ```
    som-mc voi notebooks/data/own_psa.csv --wtp 0:1500000:25000 \\
        --group rates=p_usual,p_mentor,log_or_group --evsi-rate p_mentor \\
        --n 10,25,50,100,200,400 --cost-per-citizen 2000 --fixed-cost 150000 \\
        --population 500 --plot-dir figures
    ```

    prints the same tables at the middle of the grid (750,000 DKK per QALY) and writes
    `voi.png`, `ceac.png`, `loss.png` and `evsi.png`. Every plot takes `lang="da"` for Danish
    labels and numbers:
    """),
    code("""
    ax = plots.ceac_plot(res, lang="da")
    plt.show()
    """),
    md("""
    | question | function | here |
    |---|---|---|
    | which option, on expected net benefit? | `cea`, `frontier_intervals` | switch points at the ICERs |
    | how sure? | `cea` (CEAC, CEAF) | the optimal option is not always the most often best |
    | what is all uncertainty worth? | `evpi`, `cea` (`evpi`) | per citizen, by λ |
    | which inputs matter? | `evppi` | success rates first |
    | should we evaluate locally, and how many? | `evsi`, `evsi_preposterior`, `enbs` | best n, and whether at all |

    For a SØM business case the same functions read `psa_from_run(ds, actor)`, where the
    present value is each option's net benefit in money (no willingness to pay), and
    `som-mc compare A B --voi` prints EVPI and EVPPI per actor for a portfolio.
    """),
]


def main() -> None:
    name = "07_own_psa.ipynb"
    nb = notebook(name[:2], NB07)
    nbformat.validate(nb)
    nbformat.write(nb, OUT / name)
    print("wrote", OUT / name)


if __name__ == "__main__":
    main()
