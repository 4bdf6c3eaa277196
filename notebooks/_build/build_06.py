"""Build notebook 06 (beyond SØM), stored without outputs.

Run from anywhere: ``python notebooks/_build/build_06.py``. The notebook is written next to
this folder; edit the cells here, not the .ipynb file, and rebuild.
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

import som_mc
from som_mc import plots
from som_mc.inputs.examples import course_path
from som_mc.conventions import RULES
from som_mc import portfolio

ACTORS = ["kommune", "region", "stat", "total"]
DRAWS = 4000  # modest, so that the notebook runs in seconds; use 10,000 or more for decisions


def pct(x, decimals=1):
    return f"{float(x):.{decimals}%}"


def mio(x):
    \"\"\"An amount in million DKK, one decimal.\"\"\"
    return f"{float(x) / 1e6:,.1f} mio. DKK"


def example(name):
    \"\"\"A shipped example case as a plain dict with the structure of its TOML file.\"\"\"
    return tomllib.loads(som_mc.example_path(name).read_text(encoding="utf-8"))


def p_positive(ds):
    \"\"\"P(present value > 0) for each actor and in total, as a row of a table.\"\"\"
    s = som_mc.summarize(ds)
    return {a: pct(s.p_positive.sel(actor=a)) for a in ACTORS}


cti = example("cti")
"""

NB06 = [
    md("""
    # Beyond SØM: subgroups, the family, long-term effects, courses, portfolios and evidence

    The Danish Social Investment Model (SØM, *Den Socialøkonomiske Investeringsmodel*) prices
    what an **indsats** (intervention) for a **målgruppe** (target group) changes in the
    budgets of the **kommune** (municipality), the **region** and the **stat** (state). Its
    users have asked for more than the official workbook does: control for age, effects on the
    family, longer-term effects, courses of more than one intervention, a way to compare
    interventions, and a way from published evidence and from follow-up data to the inputs.
    This notebook shows each of them in **som-mc**, the Monte Carlo version of SØM, on the CTI
    example that ships with the package (notebook 01 goes through it): Critical Time
    Intervention, a 12-month course for 25 long-term shelter users, paid by the kommune.

    **A word on the numbers.** The CTI case's own numbers come from the Aarhus Kommune slides
    and the knowledge base; the consequence profiles of its target group are placeholders with
    written reasoning, so the results show how the methods work, not whether CTI pays. Every
    number this notebook adds to a case that is not from the knowledge base is marked
    **illustrative** where it is introduced, and the case lines that carry it say
    `illustrative = true`, so the results list them in `illustrative_items`.
    """),
    code(SETUP),
    md("""
    ## 1. Subgroups: age bands with their own success rate

    `[[subgroup]]` splits the participants into named parts with their own share of the intake
    and, where they differ, their own success rate or consequence profiles. Here the 25
    participants are split into two age bands:

    * **18–29 years**, 40 % of the intake (10 citizens), with its own success rate: a beta
      distribution with mean 8 % and standard deviation 4 % (**illustrative**: younger shelter
      users are assumed to succeed less often than the case's 14 %; no study behind it);
    * **30 years and over**, 60 % (15 citizens), which keeps the case's own success rate.

    The shares 40/60 are **illustrative** too. Everything a subgroup does not give itself is
    the case's own input, drawn once per draw for both subgroups.
    """),
    code("""
    by_age = copy.deepcopy(cti)
    by_age["subgroup"] = [
        {
            "name": "age_18_29",
            "label": "18-29 years",
            "share": 0.4,  # illustrative
            "success": {"rate": {"dist": "beta", "mean": 0.08, "sd": 0.04}},  # illustrative
            "illustrative": True,
        },
        {"name": "age_30_plus", "label": "30 years and over", "share": 0.6, "illustrative": True},
    ]
    grouped = som_mc.run(by_age, draws=DRAWS, seed=6)
    print("own inputs of the subgroups:",
          [n for n in grouped.input.values if n.startswith("subgroup.")])
    grouped.present_value_by_subgroup.mean("draw").to_pandas().map(mio)
    """),
    md("""
    The subgroups are parts of the whole: in every draw their present values (**nutidsværdi**)
    add up to the case's present value, for every actor, and their yearly net results add up
    to the case's.
    """),
    code("""
    parts_sum = grouped.present_value_by_subgroup.sum("subgroup")
    print("present value: subgroups add up to the total in every draw:",
          bool(np.allclose(parts_sum, grouped.present_value, rtol=1e-12, atol=1e-6)))
    print("net by year:   subgroups add up to the total in every draw:",
          bool(np.allclose(grouped.net_by_subgroup.sum("subgroup"), grouped.net, atol=1e-6)))

    # A split in which both subgroups share every input is the ungrouped case, draw by draw.
    same = copy.deepcopy(by_age)
    del same["subgroup"][0]["success"]
    print("shared inputs only: equal to the run without subgroups:",
          bool(np.allclose(som_mc.run(same, draws=DRAWS, seed=6).present_value,
                           som_mc.run(cti, draws=DRAWS, seed=6).present_value, rtol=1e-12)))
    """),
    code("""
    fig, (left, right) = plt.subplots(1, 2, figsize=(14, 4.2), layout="constrained")
    plots.parts_plot(grouped, "subgroup", output="kommune", ax=left)
    plots.parts_plot(grouped, "subgroup", output="total", ax=right)
    plt.show()
    """),
    md("""
    The diamonds are the means; the means of the two bands add up to the mean of the whole,
    but the intervals do not: the bands share most of their inputs (prices, profiles, the
    course's cost), so their results move together and the whole's interval is almost as wide
    as the two bands' widths added (printed below). The younger band costs the kommune less
    only because it is smaller; per participant it does worse, since fewer of its members
    succeed:
    """),
    code("""
    share = grouped.subgroup_share.to_pandas()
    per_head = grouped.present_value_by_subgroup.sum("actor").mean("draw").to_pandas()
    per_head /= share * sum(cti["intake"]["participants"])
    total = grouped.present_value_by_subgroup.sum("actor")
    q05, q95 = total.quantile([0.05, 0.95], "draw")
    whole = grouped.present_value.sum("actor").quantile([0.05, 0.95], "draw")
    print("width of the 90 % interval, all actors: the two bands added",
          mio((q95 - q05).sum()), "| the whole", mio(whole[1] - whole[0]))
    print("mean present value of all actors per participant:")
    per_head.map(lambda v: f"{v:,.0f} DKK")
    """),
    md("""
    ## 2. The family: a consequence for the children, with an uncertain number of them

    Some of the citizens who leave homelessness are parents, and a parent in an own home may
    mean fewer years in foster care for a child. A consequence line with `members` counts per
    affected household member: its profile is the change for one affected child, and `members`
    the number of children affected per successful citizen. Here:

    * the consequence is the knowledge base's `child_placement_foster_years` (years a child is
      placed in a foster family; its unit, price and who pays it come from the knowledge base:
      `som-mc knowledge show child_placement_foster_years`);
    * its profile, 0.05 fewer years in foster care per affected child in each of the five years
      after success, is **illustrative**;
    * the number of children affected per successful citizen, on average over the group, is
      uncertain: a gamma distribution with mean 0.5 and standard deviation 0.4
      (**illustrative**; many of the group have no children in care, a few have several).
    """),
    code("""
    family = copy.deepcopy(cti)
    family["consequence"].append(
        {
            "key": "child_placement_foster_years",
            "profile": [-0.05] * 5,  # illustrative: per affected child, years 1-5
            "members": {"dist": "gamma", "mean": 0.5, "sd": 0.4},  # illustrative
            "illustrative": True,
        }
    )
    members = som_mc.load_case(family).inputs["consequence.child_placement_foster_years.members"]
    print("children affected per success:", members.describe(),
          f"| 90 % from {members.ppf(0.05):.2f} to {members.ppf(0.95):.2f}")
    with_family = som_mc.run(family, draws=DRAWS, seed=6)
    child = with_family.consequence_pv.sel(consequence="child_placement_foster_years")
    print("present value of the children's line for the kommune: mean",
          mio(child.sel(actor="kommune").mean()), "| 90 % interval",
          " to ".join(mio(q) for q in child.sel(actor="kommune").quantile([0.05, 0.95]).values))
    pd.DataFrame({"CTI as shipped": p_positive(som_mc.run(cti, draws=DRAWS, seed=6)),
                  "with the children": p_positive(with_family)}).T
    """),
    md("""
    The table gives P(present value > 0) for each actor. The children's line is the kommune's
    alone (it pays for foster care), and it is uncertain twice over: through how many children
    are affected and through the price. `consequence.child_placement_foster_years.members` is
    an input like any other, so the sensitivity analysis weighs it with the rest.

    ## 3. Long-term effects: the extrapolation rule as an uncertain input

    The CTI profiles cover five years. With a horizon of ten years, what happens after the
    profiles end is a choice SØM makes silently: the change stops (`stop`). som-mc makes the
    rule an input: `hold` carries the last year's change on, `decay` shrinks it by a yearly
    rate, and a table of probabilities makes the rule itself uncertain. Here (all
    **illustrative**, no register data say which rule holds for this group): `hold` 30 %,
    `decay` 50 %, `stop` 20 %, and a yearly decay rate with mean 20 % and standard deviation
    7 %.

    One line is limited in time: the state's refund of floating support lasts two years by
    law (SEL § 176 a). The knowledge base carries that limit (`max_years = 2`), and every
    rule respects it, so `hold` does not carry the refund on for ever.
    """),
    code("""
    long_run = copy.deepcopy(cti)
    long_run["horizon"] = 10
    long_run["extrapolation"] = {
        "rule": {"hold": 0.3, "decay": 0.5, "stop": 0.2},  # illustrative
        "decay": {"dist": "beta", "mean": 0.2, "sd": 0.07},  # illustrative
        "illustrative": True,
    }
    ten_years = som_mc.run(long_run, draws=DRAWS, seed=6)
    rule = ten_years.inputs.sel(input="extrapolation.rule")
    pv = ten_years.present_value.sum("actor")
    # The rule is a coded choice, its codes in the order of som_mc.conventions.RULES.
    by_rule = pd.DataFrame({
        name: {
            "share of draws": pct((rule == code).mean()),
            "mean present value, all actors": mio(pv.where(rule == code).mean()),
        }
        for code, name in enumerate(RULES)
    }).T
    by_rule
    """),
    md("""
    Which of the uncertain inputs drives the spread of the ten-year result? Sobol' indices
    split the variance of the present value between the inputs: the total index ST of an input
    is the share of the variance that would go if it alone were known. The design has 256
    base points and two independent scrambles, enough to rank the inputs, not to read the third
    decimal.
    """),
    code("""
    indices = som_mc.sobol(long_run, 256, seed=1, replicates=2)
    st = indices.ST.sel(output="total").to_pandas().sort_values(ascending=False)
    print("Sobol' total index of the present value, all actors:")
    print(st.map(lambda v: f"{v:.2f}").to_string())
    ax = plots.sobol_plot(indices, "total")
    plt.show()
    """),
    md("""
    The rule's total index is the share of the spread that choosing between hold, decay and
    stop accounts for: here a modest one next to the success rate and the size of the saved
    shelter days, but not zero. Knowing the decay rate matters
    much less than knowing the rule, since it only acts in the half of the draws that decay.
    A kommune that cannot say which rule holds should look at results with the rule uncertain,
    not at SØM's silent `stop` alone.

    ## 4. A course: CTI, then Housing First for those CTI did not help

    The knowledge base ships a course of two interventions in sequence
    (`knowledge/courses/cti_then_housing_first.toml`): those who complete CTI without reaching
    its goal start Housing First the year after. Both steps are the shipped example cases, and
    inputs the two share with the same distribution (the price of a shelter day, say) are drawn
    once per draw for both.
    """),
    code("""
    course = som_mc.run_course(course_path("cti_then_housing_first"), draws=DRAWS, seed=6)
    print(course.attrs["shared_inputs"].splitlines()[0])
    starts = course.participants_by_step.mean("draw").to_pandas()
    print("mean participants starting each step, by year:")
    starts.round(1)
    """),
    code("""
    print("the steps add up to the course in every draw:",
          bool(np.allclose(course.present_value_by_step.sum("step"), course.present_value)))
    ax = plots.parts_plot(course, "step", output="total")
    plt.show()
    """),
    md("""
    On average 25 × (1 − 14 %) = 21.5 citizens go on to Housing First in year 2: CTI's
    completers it did not help (Housing First's own intake, illustrative in its case file, is
    not used in a course). Housing First's success rate comes from a Canadian trial (At
    Home/Chez Soi, in the knowledge base), and the step adds gains the first step alone does
    not have.

    ## 5. A portfolio: CTI or Housing First?

    `som_mc.portfolio` runs several cases on the same draws of their shared inputs and asks, in
    each draw and for each actor, which option has the highest present value. Two summaries
    answer the question a municipal analyst asks:

    * the **probability that each option is best**, the share of draws in which it is;
    * the **expected loss** of choosing it: what it gives up, on average over the draws,
      against the best option of each draw. The option with the smallest expected loss is the
      one with the highest mean present value, and that smallest loss is the expected value of
      perfect information (EVPI) of the choice: the most it could be worth to learn every
      uncertain input before choosing.

    The options are compared as written, so they should be given the same group: here Housing
    First gets CTI's 25 participants, all starting in year 1, and CTI's discount rate of 0 (as
    in SØM). Both changes move Housing First onto CTI's terms; neither is a new number.
    """),
    code("""
    housing_first = example("housing_first")
    housing_first["intake"]["participants"] = [25]  # CTI's group (the Aarhus slides)
    housing_first["discount_rate"] = cti["discount_rate"]  # 0, as in SØM
    choice = portfolio({"cti": cti, "housing_first": housing_first}, draws=DRAWS, seed=6)
    table = pd.DataFrame({
        (option, what): [
            pct(choice.p_best.sel(option=option, actor=a)) if what == "P(best)"
            else mio(choice.expected_loss.sel(option=option, actor=a))
            for a in ACTORS
        ]
        for option in choice.option.values
        for what in ("P(best)", "expected loss")
    }, index=ACTORS)
    print("EVPI of the choice:", {a: mio(choice.evpi.sel(actor=a)) for a in ACTORS})
    table
    """),
    code("""
    ax = plots.portfolio_plot(choice)
    plt.show()
    """),
    md("""
    For the kommune and in total Housing First is the better option in almost every draw, and
    choosing CTI instead would give up millions on average; for the stat, which refunds part of
    both, the two are close. The region is paid by neither option and gains from neither, so
    the options tie in every draw (the pale bars). The comparison inherits the cases'
    assumptions: CTI's success rate is an expert's assumption with a wide distribution, Housing
    First's comes from a trial abroad for a different group, and the consequence profiles of
    the target group are illustrative.

    ## 6. From a study's effect size to a success rate

    The CTI case assumes a success rate of 14 % (an expert's assumption). The knowledge base
    also holds a randomised trial of CTI in New York (Herman et al. 2011, *Psychiatric
    Services*), which reports an odds ratio of 0.22 (95 % CI 0.06 to 0.88) for homelessness at
    the end of follow-up. An odds ratio is not a rate: it needs the **baseline**, the share of
    citizens like ours who would still be homeless without CTI. Here that is 60 %
    (**illustrative**: no Danish figure for the group was found). som-mc turns the study and
    the baseline into a distribution of the rate (docs/evidence.md gives the conversions and
    their sources):
    """),
    code("""
    from_study = copy.deepcopy(cti)
    from_study["success"] = {
        "effect": {
            "study": "cti_herman_2011_homelessness",
            "baseline": 0.6,  # illustrative
            "outcome": "adverse",
        },
        "illustrative": True,
    }
    rate = som_mc.load_case(from_study).inputs["success.rate"]
    expert = som_mc.load_case(cti).inputs["success.rate"]
    for name, dist in (("from the study", rate), ("expert's assumption", expert)):
        q05, q50, q95 = dist.ppf([0.05, 0.5, 0.95])
        print(f"{name:20} mean {pct(dist.mean())}, median {pct(q50)}, "
              f"90 % from {pct(q05)} to {pct(q95)}")
    print("P(harm): the share of the rate's distribution at 0 (the study allows harm):",
          pct(rate.p_harm()))
    """),
    code("""
    u = np.linspace(0.0005, 0.9995, 2000)
    fig, ax = plt.subplots(figsize=(9, 4))
    for name, dist, color in (("from the study (OR 0.22, baseline 60 %)", rate, "tab:blue"),
                              ("expert's assumption (14 %)", expert, "0.3")):
        ax.plot(dist.ppf(u), u, color=color, lw=1.8, label=name)
    ax.set_xlabel("Success rate")
    ax.set_ylabel("Cumulative probability")
    ax.legend()
    plt.show()
    pd.DataFrame({"expert's 14 %": p_positive(som_mc.run(cti, draws=DRAWS, seed=6)),
                  "from the study": p_positive(som_mc.run(from_study, draws=DRAWS, seed=6))}).T
    """),
    md("""
    (The study's curve starts at 1.4 % at a rate of 0: the draws in which CTI would do harm,
    clipped to a rate of 0.) The study's rate is much higher than the slides' 14 % and wider
    (a trial of 150 citizens in another country, with another group: people discharged from
    psychiatric care), and the kommune's chance of a positive result moves with it. Both the choice of baseline and the
    transfer from New York to a Danish municipality are judgements the case must state; the
    rate's note in the loaded case records where it came from.

    ## 7. Follow-up: update the rate with what the intervention has observed

    Once the intervention runs, the kommune can count how many completers reached the goal.
    Suppose **6 of the first 25** did (an invented, **illustrative** count). `som_mc.update`
    turns the count into a posterior for the success rate and reruns the case with the same
    seed (notebook 05 does the conjugate update by hand). A beta prior has a closed-form
    posterior; the study-based rate above does not, so it is updated by importance reweighting
    of the prior draws, and the effective sample size says how many draws the posterior rests
    on.
    """),
    code("""
    observed = (6, 25)  # illustrative: 6 of 25 completers succeeded
    updates = {
        "expert's 14 %": som_mc.update(cti, observed, draws=DRAWS, seed=6),
        "from the study": som_mc.update(from_study, observed, draws=DRAWS, seed=6),
    }
    rows = {}
    for name, up in updates.items():
        for stage in ("prior", "posterior"):
            s = up.sel(stage=stage)
            rows[(name, stage)] = {
                "rate, mean": pct(s.rate_mean),
                "rate, 90 %": f"{pct(s.rate_lower)} to {pct(s.rate_upper)}",
                **{f"P(>0) {a}": pct(s.p_positive.sel(actor=a)) for a in ("kommune", "total")},
            }
        print(f"{name}: {up.attrs['method']} update, "
              f"effective sample size {up.attrs['ess']:,.0f} of {DRAWS:,}")
    pd.DataFrame(rows).T
    """),
    md("""
    Six of 25 is 24 %, between the two priors. The expert's prior moves up towards it, the
    study's down: after the same count the two business cases are closer than before, and the
    more citizens are counted the less the prior matters. The same is on the command line:
    `som-mc update CASE.toml --observed 6/25 --plot update.png`.

    ## Summary

    | wish of SØM's users | in som-mc | in this notebook |
    |---|---|---|
    | control for age and gender | `[[subgroup]]` with own rates and profiles | age bands add up to the total |
    | effects on the family | `members` on a consequence | children in foster care, uncertain number |
    | longer-term effects | `[extrapolation]` with an uncertain rule | the rule's Sobol' index |
    | complex courses | `som-mc course`, `som_mc.run_course` | CTI, then Housing First |
    | comparing interventions | `som-mc compare`, `som_mc.portfolio` | P(best) and expected loss |
    | evidence as input | `effect = { study = ..., baseline = ... }` | OR 0.22 to a rate |
    | follow-up | `som-mc update`, `som_mc.update` | 6 of 25 observed |

    The plots used here, `plots.parts_plot` and `plots.portfolio_plot`, are also written by
    the command line: `som-mc course --example cti_then_housing_first --plot course.png` and
    `som-mc compare cti housing_first --discount-rate 0 --plot compare.png` (the
    examples' own discount rates differ: 0 for CTI, fm2021 for Housing First).
    """),
]


def main() -> None:
    name = "06_beyond_som.ipynb"
    nb = notebook(name[:2], NB06)
    nbformat.validate(nb)
    nbformat.write(nb, OUT / name)
    print("wrote", OUT / name)


if __name__ == "__main__":
    main()
