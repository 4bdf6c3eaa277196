"""Build notebooks 04-05 (stored without outputs) from the cells below.

Run from anywhere: ``python notebooks/_build/build_04_05_pilot_followup.py``; edit the cells
here, not the .ipynb files, and rebuild.
"""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

OUT = Path(__file__).resolve().parent.parent

SETUP = """\
%matplotlib inline
import copy
import tomllib

import matplotlib.pyplot as plt
import numpy as np

import som_mc
from som_mc import plots


def pct(x, decimals=1):
    return f"{float(x):.{decimals}%}"


# The CTI example as a dict, so that we can change it and run it again.
path = som_mc.example_path("cti")
cti = tomllib.loads(path.read_text(encoding="utf-8"))
"""


def md(text: str):
    return new_markdown_cell(dedent(text).strip("\n"))


def code(text: str):
    return new_code_cell(dedent(text).strip("\n"))


def notebook(prefix: str, cells: list) -> nbformat.NotebookNode:
    for i, cell in enumerate(cells):
        cell.id = f"{prefix}-{i:02d}"  # fixed ids: an unchanged rebuild changes nothing
    nb = new_notebook(cells=cells)
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    return nb


NB04 = [
    md("""
    # Pilot or roll-out: why a pilot for 25 citizens is so much less certain

    A kommune often tries an **indsats** (intervention) on a small group first. This notebook
    runs the CTI example (Critical Time Intervention for long-term shelter users) twice: as the
    pilot it is, for 25 **deltagere** (participants), and as a roll-out for 2,500, with the
    same cost per participant and the same uncertain inputs.

    som-mc keeps two kinds of randomness apart:

    * **parameter uncertainty**: what we do not know, such as the true **succesrate** (success
      rate) or the true price of a shelter day. It is the same for 25 and for 2,500 citizens.
    * **cohort chance**: with 25 citizens and a 14 % success rate, anything from none to several
      may succeed. In **cohort mode** each draw simulates the actual citizens (successes are
      binomial); in **expected mode** the cohort is replaced by its average.
    """),
    code(SETUP),
    code("""
    def sized(case, participants):
        \"\"\"The same case for another number of participants (the cost is per participant).\"\"\"
        case = copy.deepcopy(case)
        case["intake"]["participants"] = [participants]
        return case


    runs = {}
    for n in (25, 2500):
        for mode in ("expected", "cohort"):
            runs[n, mode] = som_mc.run(sized(cti, n), draws=10_000, seed=4, mode=mode)
    print("illustrative inputs:", runs[25, "cohort"].attrs["illustrative_items"])
    """),
    md("""
    The case uses illustrative consequence profiles (no public profile exists for this target
    group), so the numbers show the mechanics, not a verdict on CTI.

    ## How many succeed?

    In cohort mode, the number of successful citizens in the pilot is a small whole number;
    in the roll-out it is a large one, and relative to the group it varies far less.
    """),
    code("""
    fig, axes = plt.subplots(1, 2, figsize=(12, 4))
    for ax, n in zip(axes, (25, 2500)):
        share = runs[n, "cohort"].successes.sum("year") / n
        ax.hist(share, bins=40 if n > 25 else np.arange(0, 0.5, 1 / 25), color="0.5")
        ax.set_xlabel("Share of participants who succeed")
        ax.set_ylabel("Number of draws")
        ax.set_title(f"{n:,} participants (cohort mode)")
    plt.show()
    pilot = runs[25, "cohort"].successes.sum("year")
    print("pilot: share of draws where nobody succeeds:", pct((pilot == 0).mean()))
    print("pilot: successes, 5th to 95th percentile:",
          *np.percentile(pilot, [5, 95]).astype(int))
    """),
    md("""
    ## The present value per participant

    To compare the two sizes, divide the **nutidsværdi** (present value) by the number of
    participants. In expected mode the two sizes give the same distribution per participant:
    only parameter uncertainty is left. In cohort mode the pilot's distribution is wider: the
    chance in a small group comes on top.
    """),
    code("""
    fig, ax = plt.subplots(figsize=(10, 4.5))
    for (n, mode), ds in runs.items():
        per_head = ds.present_value.sum("actor") / n / 1000
        ax.hist(per_head, bins=80, histtype="step", density=True, label=f"{n:,}, {mode}")
    ax.axvline(0, color="k", lw=0.8)
    ax.set_xlabel("Present value per participant, thousand DKK (2024 prices)")
    ax.set_ylabel("Density")
    ax.legend()
    plt.show()
    """),
    code("""
    print(f"{'size':>6} {'mode':9} {'sd per participant':>19} {'P(total > 0)':>13} {'± se':>7}")
    for (n, mode), ds in runs.items():
        s = som_mc.summarize(ds).sel(actor="total")
        sd = float((ds.present_value.sum("actor") / n).std())
        print(f"{n:>6} {mode:9} {sd:>19,.0f} {pct(s.p_positive):>13}"
              f" {pct(s.p_positive_mcse):>7}")
    """),
    md("""
    Read the table this way:

    * In **expected mode** the spread per participant is the same for both sizes: it is the
      parameter uncertainty, which no number of citizens removes. Only better knowledge (a
      study of the success rate, local prices) narrows it; see notebook 03.
    * In **cohort mode** the pilot's spread is larger than the roll-out's, because with 25
      citizens the number who happen to succeed varies a lot. The roll-out's cohort result is
      close to its expected-mode result: 2,500 citizens average the chance away.
    * So a pilot that "failed" or "succeeded" tells less than it seems: part of its result is
      the luck of a small group. The fan charts below show the same for the cumulative result.
    """),
    code("""
    fig, axes = plt.subplots(1, 2, figsize=(14, 4.5))
    plots.fan_chart(runs[25, "cohort"], ax=axes[0])
    axes[0].set_title("Pilot, 25 participants (cohort mode)")
    plots.fan_chart(runs[2500, "cohort"], ax=axes[1])
    axes[1].set_title("Roll-out, 2,500 participants (cohort mode)")
    plt.show()
    """),
]

NB05 = [
    md("""
    # Follow-up: updating a running case with what it has observed

    Once an **indsats** is running, the kommune learns how many citizens actually succeed.
    This notebook shows how to fold that into the business case, using the CTI example.

    som-mc does not yet have an `update` command (it is planned); here the update is done by
    hand with public pieces, so each step is visible.
    """),
    code(SETUP),
    code("""
    case = som_mc.load_case(path)
    prior = case.inputs["success.rate"]
    print("prior for the success rate:", prior.describe())
    print("prior mean:", pct(prior.mean()), " sd:", pct(prior.sd()))
    """),
    md("""
    The case's **succesrate** is a beta distribution: the slides assume 14 %, and the case gives
    it the preset for an expert's assumption (`som-mc knowledge show success_expert`). That
    prior is a judgement, and the posterior below is only as good as the prior plus the data.

    ## The update

    Suppose the follow-up finds that **6 of the first 25** participants have reached the goal
    (an invented observation, for the example). For a beta prior Beta(a, b) and k successes of
    n, the posterior is Beta(a + k, b + n − k) (the conjugate update; Gelman et al., *Bayesian
    Data Analysis*, 3rd ed., ch. 2).
    """),
    code("""
    def updated(case_dict, prior, k, n):
        \"\"\"The case with its success rate replaced by the posterior after k of n.\"\"\"
        case_dict = copy.deepcopy(case_dict)
        case_dict["success"]["rate"] = {
            "dist": "beta", "alpha": prior.alpha + k, "beta": prior.beta + n - k,
        }
        return case_dict


    scenarios = {
        "before follow-up": cti,
        "after 6 of 25": updated(cti, prior, 6, 25),
        "after 1 of 25": updated(cti, prior, 1, 25),
    }
    for name, c in scenarios.items():
        rate = som_mc.load_case(c).inputs["success.rate"]
        print(f"{name:17} success rate mean {pct(rate.mean())}, sd {pct(rate.sd())}")
    """),
    code("""
    from scipy import stats

    x = np.linspace(0, 0.6, 400)
    fig, ax = plt.subplots(figsize=(9, 4))
    for name, c in scenarios.items():
        rate = som_mc.load_case(c).inputs["success.rate"]
        ax.plot(x, stats.beta(rate.alpha, rate.beta).pdf(x), label=name)
    ax.set_xlabel("Success rate (share of participants)")
    ax.set_ylabel("Probability density")
    ax.legend()
    plt.show()
    """),
    md("""
    ## How the business case moves

    Rerun the case with each posterior (same seed, so the other inputs are drawn alike) and
    compare the probability of a positive result for each actor and the break-even year.
    """),
    code("""
    results = {name: som_mc.run(c, draws=10_000, seed=5) for name, c in scenarios.items()}
    actors = ["kommune", "region", "stat", "total"]
    print(f"{'':17}" + "".join(f"{a:>10}" for a in actors) + "   never breaks even")
    for name, ds in results.items():
        s = som_mc.summarize(ds)
        row = "".join(f"{pct(s.p_positive.sel(actor=a)):>10}" for a in actors)
        print(f"{name:17}{row}   {pct(s.p_never_break_even.sel(actor='total')):>8}")
    print("illustrative inputs:", results["after 6 of 25"].attrs["illustrative_items"])
    """),
    code("""
    fig, axes = plt.subplots(1, 3, figsize=(18, 4), sharey=True)
    for ax, (name, ds) in zip(axes, results.items()):
        plots.pv_distribution(ds, ax=ax)
        ax.set_title(name)
    plt.show()
    """),
    md("""
    A good early result (6 of 25, about 24 %) moves the success rate up and makes a positive
    result more likely; a poor one (1 of 25) moves it down. Two cautions:

    * 25 citizens are few: the posterior still has a wide spread, and the observation itself
      carries the chance of a small group (see notebook 04).
    * The update assumes the first 25 are like the rest and that "success" is measured as the
      case defines it (no return to a shelter within the horizon); an early count may
      overstate lasting success, since relapse comes later.
    """),
]


def main() -> None:
    for name, cells in (
        ("04_pilot_or_rollout.ipynb", NB04),
        ("05_follow_up.ipynb", NB05),
    ):
        nb = notebook(name[:2], cells)
        nbformat.validate(nb)
        nbformat.write(nb, OUT / name)
        print("wrote", OUT / name)


if __name__ == "__main__":
    main()
