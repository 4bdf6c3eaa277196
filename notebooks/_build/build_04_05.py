"""Build notebooks 04 (pilot or roll-out) and 05 (follow-up), stored without outputs.

Run from anywhere: ``python notebooks/_build/build_04_05.py``. The notebooks are written next to
this folder; edit the cells here, not the .ipynb files, and rebuild.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from cells import code, md, notebook

HERE = Path(__file__).resolve().parent
OUT = HERE.parent

SETUP = """\
%matplotlib inline
import copy
import tomllib

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from scipy import stats

import som_mc
from som_mc import plots


def pct(x, decimals=1):
    return f"{float(x):.{decimals}%}"


def dkk(x):
    \"\"\"An amount in DKK, written as the English plots write it: 1,234,567 DKK.\"\"\"
    return f"{float(x):,.0f} DKK"


# The CTI example as a plain dict with the structure of its TOML file, so that we can change
# fields and hand the dict to som_mc.run.
cti = tomllib.loads(som_mc.example_path("cti").read_text(encoding="utf-8"))
"""


# ---------------------------------------------------------------------------------------------
# 04: pilot or roll-out
# ---------------------------------------------------------------------------------------------

NB04 = [
    md("""
    # Pilot or roll-out: why a pilot for 25 citizens is so much less certain

    A **kommune** (municipality) that considers a new **indsats** (intervention) for a
    **målgruppe** (target group) often tries it on a small group first. This notebook asks what
    such a pilot can tell, using **som-mc**, a Monte Carlo version of the Danish Social
    Investment Model (SØM, *Den Socialøkonomiske Investeringsmodel*).

    The example is the CTI case that ships with som-mc (notebook 01 goes through it in
    detail): Critical Time Intervention, a 12-month course that helps long-term shelter users
    into an own home. The kommune pays for the course; if a citizen succeeds, fewer shelter days
    and support change the budgets of the kommune and the **stat** (the state, which refunds
    part of the shelter cost). The third public actor in SØM, the **region** (the regions run
    the hospitals), has no part in this case. The key inputs:

    * **deltagere** (participants): 25 in the example; here also 2,500 for a roll-out;
    * **succesrate** (success rate): the share of participants who leave homelessness and do
      not return to a shelter within 5 years, net of those who would have done so anyway. The
      case assumes 14 %, an expert's assumption with a wide distribution around it;
    * the cost per participant, the prices of a shelter day and of support, and how many of
      them a successful citizen saves: all uncertain.

    som-mc keeps two kinds of randomness apart:

    * **parameter uncertainty**, what we do not know: the true success rate, the true prices.
      It is the same whether 25 or 2,500 citizens take part.
    * **cohort chance**, the luck of a small group: even if the rate were exactly 14 %, anything
      from none to several of 25 citizens could succeed.

    In **expected mode** (`mode="expected"`, the default) each draw replaces the group by its
    average, participants × rate, so only parameter uncertainty is left. In **cohort mode**
    (`mode="cohort"`) each draw also simulates the actual citizens: the number who succeed is
    drawn from a binomial distribution, Binomial(participants, rate).
    """),
    code(SETUP),
    md("""
    ## The same case at two sizes, in two modes

    The example's only cost line is a cost *per participant*, so changing the number of
    participants scales the cost with them (no start-up cost, no economies of scale: an
    assumption of this illustration). Everything else stays as it is.
    """),
    code("""
    print("participants in the example:", cti["intake"]["participants"])
    for line in cti["cost"]:
        print(f"cost line {line['label']!r}: type {line['type']}, paid by {line['actor']}")
    """),
    code("""
    def with_participants(case, n):
        \"\"\"The same case with n participants, all starting in year 1.\"\"\"
        case = copy.deepcopy(case)
        case["intake"]["participants"] = [n]
        return case


    SIZES = (25, 2500)
    MODES = ("expected", "cohort")
    DRAWS = 10_000
    # One seed for all four runs: they draw the same prices, costs and success rates, so the
    # differences between them come from the size and the mode alone.
    runs = {
        (n, mode): som_mc.run(with_participants(cti, n), draws=DRAWS, seed=4, mode=mode)
        for n in SIZES
        for mode in MODES
    }
    ds = runs[25, "cohort"]
    print("discount rate:", ds.attrs["discount_rate"], "| horizon:", ds.attrs["horizon"], "years")
    print("illustrative:", ds.attrs["illustrative_items"])
    """),
    md("""
    Two things to keep in mind when reading the numbers:

    * The lines listed as illustrative have no public source: the consequence *profiles* (how
      many shelter days and support years a successful citizen saves) are placeholders with
      written reasoning. The numbers show how pilot and roll-out differ, not whether CTI pays.
    * The case's discount rate is 0, as in SØM, so the **nutidsværdi** (present value) below is
      simply the sum of the net results over the case's five years, in 2024 prices.

    ## How many of the 25 succeed?

    If the success rate were known to be exactly 14 %, the number of successes among 25 would be
    Binomial(25, 0.14): pure cohort chance. In cohort mode the rate itself is also uncertain, so
    the spread is wider still.
    """),
    code("""
    # All 25 start in year 1 and the course lasts a year, so all successes fall in year 1.
    pilot = runs[25, "cohort"].successes.sum("year")
    chance = stats.binom(25, 0.14)
    print(f"At exactly 14 %: on average {chance.mean():.1f} succeed; "
          f"P(none) = {pct(chance.pmf(0))}; P(7 or more) = {pct(chance.sf(6))}; "
          f"P(0 to 8) = {pct(chance.cdf(8))}")
    low, high = np.percentile(pilot, [5, 95])
    print(f"Cohort mode:     on average {float(pilot.mean()):.1f} succeed; "
          f"P(none) = {pct((pilot == 0).mean())}; 90 % of draws from {low:.0f} to {high:.0f}; "
          f"at most {float(pilot.max()):.0f}")
    """),
    code("""
    fig, (left, right) = plt.subplots(1, 2, figsize=(13, 4.2))

    k = np.arange(0, 19)
    drawn = np.array([(pilot == i).mean() for i in k])
    left.bar(k, drawn, color="tab:blue", alpha=0.5, label="cohort mode (rate uncertain too)")
    left.plot(k, chance.pmf(k), "ko", label="Binomial(25, 14 %): chance alone")
    left.set_xlabel("Citizens of 25 who succeed")
    left.set_ylabel("Share of draws")
    left.legend()

    # The share who succeed: in a roll-out it follows the success rate closely; in a pilot the
    # luck of 25 citizens comes on top.
    rate = runs[2500, "cohort"].inputs.sel(input="success.rate")
    shares = {n: runs[n, "cohort"].successes.sum("year") / n for n in SIZES}
    bins = np.linspace(0, 0.6, 61)
    right.hist(rate, bins, density=True, histtype="step", color="k", lw=1.5,
               label="success rate drawn (parameter uncertainty)")
    right.hist(shares[2500], bins, density=True, histtype="step", color="tab:orange", lw=1.5,
               label="share who succeed, 2,500 participants")
    right.hist(shares[25], np.arange(-0.5, 16) / 25, density=True, histtype="step",
               color="tab:blue", lw=1.5, label="share who succeed, 25 participants")
    right.set_xlim(0, 0.6)
    right.set_xlabel("Share of participants who succeed")
    right.set_ylabel("Density")
    right.legend()
    fig.tight_layout()
    plt.show()
    """),
    md("""
    On the left, the dots are chance alone, and the bars add the uncertainty about the rate.
    Even with the rate known to be 14 %, a pilot of 25 ends with nobody succeeding in a few per
    cent of cases, and with 7 or more (twice the average) in about one case in twenty; with the
    rate uncertain as well, both happen more often. On the right, the share who succeed among
    2,500 lies almost on top of the drawn success rate (the black line): a large group
    averages the luck away. Among 25 it is far wider, and it can only take the values 0/25,
    1/25, 2/25 ...

    ## The present value per participant

    The pilot and the roll-out differ by a factor of 100 in kroner, so compare them per
    participant: the present value of all actors together divided by the number of
    participants.
    """),
    code("""
    fig, axes = plt.subplots(1, 2, figsize=(13, 4.2), sharex=True, sharey=True)
    bins = np.linspace(-500, 500, 101)
    for ax, n in zip(axes, SIZES, strict=True):
        for mode, color in zip(MODES, ("k", "tab:red"), strict=True):
            per_head = runs[n, mode].present_value.sum("actor") / n / 1000
            ax.hist(per_head, bins, density=True, histtype="step", color=color, lw=1.5,
                    label=f"{mode} mode")
        ax.axvline(0, color="0.5", lw=0.8)
        ax.set_title(f"{n:,} participants")
        ax.set_xlabel("Present value per participant, thousand DKK (2024 prices)")
        ax.legend()
    axes[0].set_ylabel("Density")
    fig.tight_layout()
    plt.show()
    """),
    md("""
    In expected mode (black) the two sizes give exactly the same distribution per participant:
    with only parameter uncertainty left, 2,500 citizens are 100 copies of 25. In cohort mode
    (red) the pilot's distribution is wider, with more draws in both tails, since one citizen
    more or less who succeeds moves the result of 25 by a lot; the roll-out's red and black
    curves almost coincide. The parameter uncertainty is so large here that it hides much of
    the difference; the next section takes the two apart.

    The package's own plot shows the same four results in kroner for the whole group, with the
    mean and the share of draws above zero written on each:
    """),
    code("""
    fig, axes = plt.subplots(2, 2, figsize=(13, 8))
    for row, n in zip(axes, SIZES, strict=True):
        for ax, mode in zip(row, MODES, strict=True):
            plots.pv_distribution(runs[n, mode], ax=ax)
            ax.set_title(f"{n:,} participants, {mode} mode", loc="left")
    fig.tight_layout()
    plt.show()
    """),
    md("""
    ## Parameter uncertainty and cohort chance, separated

    Because the four runs share a seed, the expected-mode draw and the cohort-mode draw with
    the same number used the same inputs. The expected-mode present value is the average of
    the cohort-mode one over the luck of who succeeds, so each cohort draw splits into

    *cohort present value = expected present value (parameter uncertainty) + a chance part
    (cohort chance)*,

    and the two parts are uncorrelated, so their variances add up (the law of total variance).
    """),
    code("""
    same_inputs = all(
        np.array_equal(runs[n, "expected"].inputs, runs[n, "cohort"].inputs) for n in SIZES
    )
    print("same inputs in both modes:", same_inputs)


    def per_participant(n, mode):
        \"\"\"The present value of all actors per participant, DKK, by draw.\"\"\"
        return runs[n, mode].present_value.sum("actor") / n


    parameter_part = per_participant(25, "expected")  # identical for 2,500 (see above)
    chance_part = {n: per_participant(n, "cohort") - per_participant(n, "expected") for n in SIZES}
    rows = {}
    for n in SIZES:
        cohort = per_participant(n, "cohort")
        rows[f"{n:,} participants"] = {
            "sd from parameters": f"{float(per_participant(n, 'expected').std()):,.0f}",
            "sd from cohort chance": f"{float(chance_part[n].std()):,.0f}",
            "sd in cohort mode": f"{float(cohort.std()):,.0f}",
            "chance share of variance": pct(chance_part[n].var() / cohort.var()),
            "correlation of the parts":
                f"{float(np.corrcoef(parameter_part, chance_part[n])[0, 1]):.3f}",
        }
    ratio = float(chance_part[25].std() / chance_part[2500].std())
    print(f"cohort chance, 25 vs 2,500 participants: {ratio:.1f} times the sd "
          f"(sqrt(2,500 / 25) = {np.sqrt(2500 / 25):.0f})")
    print("Spread of the present value per participant, DKK:")
    pd.DataFrame(rows).T
    """),
    code("""
    # The two parts per participant. The parameter part is centred on 0 so that the three
    # spreads can be compared.
    parts = {
        "parameter uncertainty (both sizes)": (parameter_part - parameter_part.mean(), "k"),
        "cohort chance, 25 participants": (chance_part[25], "tab:blue"),
        "cohort chance, 2,500 participants (peak cut off)": (chance_part[2500], "tab:orange"),
    }
    fig, ax = plt.subplots(figsize=(9, 4.2))
    for label, (part, color) in parts.items():
        ax.hist(part / 1000, np.linspace(-300, 300, 121), density=True, histtype="step",
                color=color, lw=1.5, label=label)
    # The roll-out's chance part is so narrow that its full peak would flatten the others.
    ax.set_ylim(0, 0.02)
    ax.set_xlabel("Deviation of the present value per participant, thousand DKK")
    ax.set_ylabel("Density")
    ax.legend(loc="upper left")
    plt.show()
    """),
    md("""
    * The **parameter** part is the same for both sizes: it is uncertainty about the
      intervention and the prices, and no number of citizens removes it. Only knowledge does (a
      study of the success rate, local prices; notebook 03 shows which input is worth learning
      about).
    * The **cohort chance** part shrinks with the square root of the group: 100 times the
      citizens, a tenth of the spread per participant. For 2,500 citizens it is a negligible
      share of the variance; for 25 it is a large one (the table gives the shares).

    ## Does it pay? P(net > 0) with its Monte Carlo standard error

    `som_mc.summarize` gives, for each actor and in total, the share of draws with a positive
    present value, P(net > 0), and its Monte Carlo standard error, √(p (1 − p) / draws). The
    standard error says how far the estimate could be from what infinitely many draws would
    give; it is not the uncertainty of the business case, and more draws shrink it.
    """),
    code("""
    actors = ["kommune", "stat", "total"]
    table = {}
    for (n, mode), result in runs.items():
        s = som_mc.summarize(result)
        table[f"{n:,}, {mode}"] = {
            a: f"{pct(s.p_positive.sel(actor=a))} ± {pct(s.p_positive_mcse.sel(actor=a), 2)}"
            for a in actors
        }
    print(f"P(present value > 0) ± Monte Carlo standard error, {DRAWS:,} draws")
    pd.DataFrame(table).T
    """),
    code("""
    # How far cohort mode is from expected mode, in standard errors of the difference (treating
    # the runs as independent, which overstates the noise: they share their inputs).
    for n in SIZES:
        e, c = (som_mc.summarize(runs[n, mode]) for mode in MODES)
        z = (c.p_positive - e.p_positive) / np.hypot(c.p_positive_mcse, e.p_positive_mcse)
        print(f"{n:>5,} participants, cohort minus expected:",
              ", ".join(f"{a} {float(z.sel(actor=a)):+.1f} se" for a in actors))

    # The region has no costs and no gains in this case, so its P(net > 0) is 0 in every run.
    print("largest |present value| of the region in any run:",
          max(float(abs(r.present_value.sel(actor="region")).max()) for r in runs.values()))
    """),
    md("""
    How to read the table:

    * **Expected mode** gives the same probabilities for 25 and 2,500 participants: per
      participant the two are the same case.
    * **The roll-out in cohort mode** is within a few standard errors of expected mode: 2,500
      citizens leave little to chance.
    * **The pilot in cohort mode** differs from expected mode by several standard errors or
      more (printed below the table), so the difference is real, not Monte Carlo noise.
      Chance spreads the pilot's result both ways; for a case that loses money in most draws,
      that puts more draws above zero, so a pilot looks positive more often than the
      intervention deserves. The stat, which only gains when someone succeeds, is positive
      less often: in the draws where nobody of the 25 succeeds, its result is exactly 0.

    ## Over the years: fan charts

    The cumulative net result of all actors by year, median with 50 % and 90 % bands. Each row
    has its own scale in kroner (the roll-out is 100 times the pilot).
    """),
    code("""
    fig, axes = plt.subplots(2, 2, figsize=(13, 8), sharey="row")
    for row, n in zip(axes, SIZES, strict=True):
        for ax, mode in zip(row, MODES, strict=True):
            plots.fan_chart(runs[n, mode], ax=ax)
            ax.set_title(f"{n:,} participants, {mode} mode", loc="left")
    fig.tight_layout()
    plt.show()
    """),
    md("""
    For the pilot the cohort-mode bands (top right) are wider than the expected-mode bands (top
    left), and more so year by year: the luck of who succeeds multiplies every year's gain.
    For the roll-out (bottom row) the two are hard to tell apart.

    ## What this means for a decision

    * **A pilot's result is partly luck.** With 25 citizens, a few more or fewer successes
      than expected are ordinary chance, and each moves the business case a lot. A pilot that
      "paid off", or did not, says less about the intervention than it seems.
    * **Judge a pilot by what it teaches about the success rate**, with a method that knows
      that 25 is a small number: notebook 05 updates the success rate with the pilot's count
      of successes and reruns the case.
    * **A roll-out's uncertainty is almost all parameter uncertainty.** Scaling up does not
      make the case surer per participant; learning more about the inputs does.
    * This comparison assumes that the cost per participant and the success rate are the same
      for 2,500 citizens as for 25. Real roll-outs may cost less per citizen (shared start-up)
      or succeed less often (less selected participants, less experienced staff); a case file
      for a real roll-out should say so in its own lines.
    """),
]


# ---------------------------------------------------------------------------------------------
# 05: follow-up
# ---------------------------------------------------------------------------------------------

NB05 = [
    md("""
    # Follow-up: updating a running case with observed successes

    A **kommune** (municipality) has started an **indsats** (intervention) and made a business
    case for it with **som-mc**, a Monte Carlo version of the Danish Social Investment Model
    (SØM, *Den Socialøkonomiske Investeringsmodel*). The most uncertain input was the
    **succesrate** (success rate): the share of the **deltagere** (participants) who reach the
    intervention's goal, net of those who would have reached it anyway. Now the first
    participants have finished and the kommune has counted how many succeeded. How should the
    business case move?

    The example is the CTI case that ships with som-mc (notebook 01 goes through it): Critical
    Time Intervention, a 12-month course for 25 long-term shelter users (the **målgruppe**,
    target group), paid by the kommune, with gains for the kommune and the **stat** (the state,
    which refunds part of the shelter cost). The **region**, SØM's third public actor, has no
    part in it.

    som-mc does not yet have an `update` command (it is planned). This notebook does the
    update by hand with public pieces of the package and scipy, so every step is visible.
    """),
    code(SETUP),
    md("""
    ## Before the follow-up: the prior

    The case's success rate is a distribution. In Bayesian terms it is the **prior**: what we
    believe before the follow-up data.
    """),
    code("""
    case = som_mc.load_case(som_mc.example_path("cti"))
    prior = case.inputs["success.rate"]
    a, b = prior.alpha, prior.beta
    print("case file says:", cti["success"]["rate"])
    print("which is:      ", prior.describe())
    print(f"mean {pct(prior.mean())}, sd {pct(prior.sd())} "
          f"(sd / mean = {prior.sd() / prior.mean():.2f})")
    print("90 % interval:", " to ".join(pct(q) for q in stats.beta(a, b).ppf([0.05, 0.95])))
    print(f"a + b = {a + b:.1f}")
    """),
    md("""
    Where this prior comes from matters. The CTI slides from Aarhus Kommune *assume* that 14 %
    succeed; no study is behind the number. The case therefore gives it the preset
    `success_expert` (see `som-mc knowledge show success_expert` on the command line): a beta
    distribution with the stated mean and a standard deviation of 60 % of it, a written-down
    judgement of how uncertain an expert's assumption is. The prior is an expert's
    assumption, and so is its width.

    One way to read a beta prior Beta(a, b): it weighs as much as a + b observed citizens
    would, a of them successes. This prior counts as about 16 citizens' worth of evidence
    (printed above).

    ## The follow-up observation (invented)

    Suppose the follow-up finds that **6 of the first 25 participants** have succeeded. This
    is an invented observation, for the example; the CTI slides report no outcome.

    For a beta prior and a count of k successes out of n citizens (a binomial likelihood), the
    posterior is again a beta distribution:

    Beta(a, b) → Beta(a + k, b + n − k)

    (the conjugate update; Gelman et al., *Bayesian Data Analysis*, 3rd ed., 2013, ch. 2). The
    posterior mean, (a + k) / (a + b + n), lies between the prior mean and the observed share
    k / n, weighted by a + b and n. To see what a disappointing follow-up does, we also try
    **1 of 25**.
    """),
    code("""
    def posterior(a, b, k, n):
        \"\"\"Beta(a, b) prior, k successes of n citizens: the posterior's (alpha, beta).\"\"\"
        return a + k, b + n - k


    observations = {"6 of 25": (6, 25), "1 of 25": (1, 25)}  # invented follow-up counts
    rates = {"before (prior)": (a, b)}
    rates.update({f"after {obs}": posterior(a, b, k, n) for obs, (k, n) in observations.items()})

    rows = {}
    for name, (alpha, beta) in rates.items():
        dist = stats.beta(alpha, beta)
        rows[name] = {
            "alpha": f"{alpha:.2f}", "beta": f"{beta:.2f}",
            "mean": pct(dist.mean()), "sd": pct(dist.std()),
            "90 % interval": " to ".join(pct(q) for q in dist.ppf([0.05, 0.95])),
        }
    print(f"weight of 25 observed citizens against the prior: {25 / (a + b + 25):.0%}")
    pd.DataFrame(rows).T
    """),
    code("""
    x = np.linspace(0, 0.6, 601)
    fig, ax = plt.subplots(figsize=(9, 4.2))
    colors = {"before (prior)": "k", "after 6 of 25": "tab:green", "after 1 of 25": "tab:red"}
    for name, (alpha, beta) in rates.items():
        ax.plot(x, stats.beta(alpha, beta).pdf(x), color=colors[name], lw=1.8, label=name)
    for obs, (k, n) in observations.items():
        ax.axvline(k / n, color=colors[f"after {obs}"], ls=":", lw=1.2)
    ax.set_xlabel("Success rate (dotted: the observed share k / n)")
    ax.set_ylabel("Probability density")
    ax.legend()
    plt.show()
    """),
    md("""
    Both posteriors are narrower than the prior and lie between the prior mean and the observed
    share (the dotted lines): 25 citizens are informative, but not so many that the prior stops
    mattering.

    ## Rerunning the business case with the posterior

    The posterior goes into the case as an ordinary beta distribution, replacing the preset,
    and the case runs again. Three choices, and why:

    * **What the rerun answers.** For the 25 citizens already counted, the number of successes
      is known. The rerun answers the decision question that follows a follow-up: *if the
      kommune continues with another 25 citizens like these, how likely is the intervention to
      pay off, for whom, and when?*
    * **Cohort mode.** 25 citizens are a small group, so each draw also simulates which of
      them succeed (notebook 04 shows why that matters for a group this size).
    * **The same seed** for all three runs: the prices, costs and profiles are drawn alike, and
      the success rate is drawn at the same quantiles of each distribution, so the differences
      come from the update and not from Monte Carlo noise.
    """),
    code("""
    def with_success_rate(case, alpha, beta):
        \"\"\"The case with its success rate replaced by Beta(alpha, beta).\"\"\"
        case = copy.deepcopy(case)
        case["success"]["rate"] = {"dist": "beta", "alpha": alpha, "beta": beta}
        return case


    cases = {"before (prior)": cti}
    for obs in observations:
        cases[f"after {obs}"] = with_success_rate(cti, *rates[f"after {obs}"])

    # The case as loaded: the success rate is the posterior we wrote in.
    for name, c in cases.items():
        print(f"{name:15}", som_mc.load_case(c).inputs["success.rate"].describe())

    DRAWS = 10_000
    results = {
        name: som_mc.run(c, draws=DRAWS, seed=5, mode="cohort") for name, c in cases.items()
    }
    print("illustrative:", results["after 6 of 25"].attrs["illustrative_items"])
    """),
    md("""
    The consequence lines listed as illustrative have no public source (their profiles, how many
    shelter days and support years a successful citizen saves, are placeholders with written
    reasoning), so the results show how a follow-up moves a business case, not whether CTI
    pays. The case's discount rate is 0, as in SØM, so the **nutidsværdi** (present value) is
    the sum of the net results over its five years, in 2024 prices.

    ### Who is likely to gain: P(net > 0), before and after

    The share of draws in which each actor's present value is positive, with its Monte Carlo
    standard error (how far the estimate could be from the value with infinitely many draws;
    not the uncertainty of the case), and the mean present value of all actors together.
    """),
    code("""
    actors = ["kommune", "region", "stat", "total"]
    table = {}
    for name, result in results.items():
        s = som_mc.summarize(result)
        row = {
            a: f"{pct(s.p_positive.sel(actor=a))} ± {pct(s.p_positive_mcse.sel(actor=a), 2)}"
            for a in actors
        }
        row["mean present value, total"] = dkk(s.pv_mean.sel(actor="total"))
        table[name] = row
    print(f"P(present value > 0) ± Monte Carlo standard error, {DRAWS:,} draws, cohort mode")
    pd.DataFrame(table).T
    """),
    md("""
    The region column is 0 everywhere because the region neither pays nor gains in this case.
    A good follow-up raises the chance that all actors together come out ahead. The kommune,
    which pays the whole course, stays unlikely to earn it back within five years in this
    case, while the stat, which pays nothing for the course, gains in most draws: part of the
    saving on shelter days is the stat's through its refund. A disappointing follow-up pushes
    the other probabilities down.

    The distributions behind the total column:
    """),
    code("""
    fig, axes = plt.subplots(1, 3, figsize=(18, 4.2), sharex=True, sharey=True)
    for ax, (name, result) in zip(axes, results.items(), strict=True):
        plots.pv_distribution(result, ax=ax)
        ax.set_title(f"Present value, all actors: {name}", loc="left")
    fig.tight_layout()
    plt.show()
    """),
    md("""
    ### When does it break even?

    The break-even year (*tilbagebetalingstid*) is the first year in which the cumulative net
    result of all actors together reaches zero; "never" means not within the case's five
    years. The share of draws by break-even year:
    """),
    code("""
    break_even = {}
    for name, result in results.items():
        year = result.break_even_year
        shares = {f"year {y}": pct((year == y).mean()) for y in result.year.values}
        shares["never (within 5 years)"] = pct(year.isnull().mean())
        break_even[name] = shares
    pd.DataFrame(break_even).T
    """),
    code("""
    fig, axes = plt.subplots(1, 3, figsize=(18, 4.2), sharey=True)
    for ax, (name, result) in zip(axes, results.items(), strict=True):
        plots.break_even_distribution(result, ax=ax)
        ax.set_title(f"Break-even, all actors: {name}", loc="left")
    fig.tight_layout()
    plt.show()
    """),
    md("""
    "Never" dominates those bars, so here is the same on one axis: the share of draws that
    have broken even by each year.
    """),
    code("""
    fig, ax = plt.subplots(figsize=(9, 4.2))
    for name, result in results.items():
        year = result.break_even_year
        by_year = [float((year <= y).mean()) for y in result.year.values]
        ax.plot(result.year, by_year, "o-", color=colors[name], label=name)
    ax.set_xticks(results["before (prior)"].year.values)
    ax.set_xlabel("Year")
    ax.set_ylabel("Share of draws broken even by then")
    ax.yaxis.set_major_formatter(plt.matplotlib.ticker.PercentFormatter(1.0, decimals=0))
    ax.legend()
    plt.show()
    """),
    md("""
    After a good follow-up more draws break even within the horizon; after a disappointing one
    fewer do. In this case, though, the most likely answer stays
    "not within five years" whatever the follow-up found (the table gives the shares).

    ## How much the prior matters

    The posterior is only as good as the prior plus the data. Here the prior is an expert's
    assumption turned into a distribution by a preset. A different prior gives a different
    posterior from the same count, for instance a uniform prior, Beta(1, 1), which says that
    every rate from 0 to 100 % was equally likely before the data:
    """),
    code("""
    # The same shares seen in ten times as many citizens, to show the data taking over.
    for obs, (k, n) in {**observations, "60 of 250": (60, 250), "10 of 250": (10, 250)}.items():
        expert = stats.beta(*posterior(a, b, k, n)).mean()
        uniform = stats.beta(*posterior(1, 1, k, n)).mean()
        print(f"after {obs}: posterior mean {pct(expert)} with the expert's prior, "
              f"{pct(uniform)} with a uniform prior (observed share {pct(k / n)})")
    """),
    md("""
    With 25 citizens the choice of prior can move the posterior mean by several percentage
    points (compare the two numbers on each line above); with ten times as many citizens the
    two priors give nearly the same answer, because the data dominate.

    ## Cautions

    * **The observation is invented** here. In a real follow-up, count successes the way the
      case defines them: here, leaving homelessness *and not returning to a shelter within 5
      years*. A count made one year in is an early reading of that goal; treating it as k
      successes out of n assumes those who have succeeded so far stay out, which may overstate
      lasting success, since relapse comes later.
    * **The first 25 should be like the next.** If the pilot's participants were chosen as the
      most likely to succeed, or the staff were unusually committed, the update carries that
      into the next cohort.
    * **Chance is already accounted for.** 6 of 25 is a small count; the binomial likelihood
      in the update is what keeps a lucky or unlucky pilot from moving the rate too far
      (notebook 04 shows how large that luck is).
    * **The rate is net of deadweight.** The case's success rate counts only those who would
      not have left homelessness anyway. A raw count of successes includes those who would
      have; without a comparison group, subtract an estimate of them before the update, or
      the posterior overstates the effect.
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
