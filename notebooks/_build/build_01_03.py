"""Build notebooks 01-03 (stored without outputs) from the cells below.

Run from anywhere: ``python notebooks/_build/build_01_03.py``. The notebooks are written next to
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
import matplotlib.pyplot as plt
import pandas as pd

import som_mc
from som_mc import plots

# Money tables read best as whole kroner with thousands separators.
pd.options.display.float_format = "{:,.0f}".format


def dkk(x):
    \"\"\"An amount in DKK, written as the English plots write it: 1,234,567 DKK.\"\"\"
    return f"{float(x):,.0f} DKK"


def pct(x, decimals=1):
    return f"{float(x):.{decimals}%}"
"""


# ---------------------------------------------------------------------------------------------
# 01: CTI for shelter users
# ---------------------------------------------------------------------------------------------

NB01 = [
    md("""
    # CTI for long-term shelter users: does it pay, for whom, and when?

    This notebook works through one business case from start to finish with **som-mc**, a
    Monte Carlo version of the Danish Social Investment Model (SØM, *Den Socialøkonomiske
    Investeringsmodel*).

    SØM answers a budget question. A **kommune** (municipality) considers an **indsats** (an
    intervention) for a **målgruppe** (a target group of citizens). If the intervention works
    for some of them, their later use of public services changes, and SØM prices those changes
    for each public actor: the **kommune**, the **region** (the five regions run the hospitals)
    and the **stat** (the state). It sets the gains against the cost, year by year.

    The case is the one Aarhus Kommune presented as an example of SØM calculations (the slides
    *"CTI-indsats til forsorgsbrugere – et eksempel på forsøg med beregninger"*):

    * **Target group:** 25 citizens who have stayed in a *forsorgshjem* (a shelter under
      § 110 of *serviceloven*, the Social Services Act, SEL) for more than 120 days.
    * **Intervention:** Critical Time Intervention (CTI), a 12-month case-management course that
      supports the move out of the shelter into an own home.
    * **Cost:** 8.393.750 kr. in all (Danish notation; 8,393,750 DKK in the English notation
      used below), paid by the kommune.
    * **Succesrate** (success rate): 14 % are assumed to leave homelessness, keep their own home
      and not return to a shelter within 5 years. The slides call this an assumption, not a
      measured effect.
    * **Horizon:** 5 years.

    First SØM's own, deterministic answer; then the same case with every input uncertain.
    """),
    code(SETUP),
    md("""
    ## The case file

    som-mc ships the case as `cti.toml`. `som_mc.load_case` reads and checks it; its inputs
    are named the way the rest of the package refers to them. Every input that is uncertain
    has a distribution; its central value (the mean) is what SØM would use.
    """),
    code("""
    path = som_mc.example_path("cti")
    case = som_mc.load_case(path)
    print(case.name)
    print(f"horizon {case.horizon} years, prices of {case.model.price_year}\\n")
    for name in case.inputs.uncertain:
        dist = case.inputs[name]
        print(f"{name:62} mean {dist.central():>12,.2f}   {dist.describe()}")
    """),
    md("""
    What the names mean:

    * `success.rate` is the **succesrate**, *net of* **dødvægt** (deadweight: the citizens who
      would have left homelessness anyway). Its distribution is the package's preset for "an
      expert's assumption, no study behind it", centred on the slides' 14 %.
    * `cost.cti_course.amount` is the cost per participant, 8,393,750 / 25 = 335,750 DKK, with
      the preset for a budget drawn up before the course has run.
    * The `consequence.*` lines are SØM's **konsekvenser** (consequences): the change in the use
      of one public service per successful citizen per year. Each has a *profile* (how many
      units per year after success, multiplied by an uncertain `scale`) and an **enhedspris**
      (unit price, `unit_price`). The four here are shelter days within the state's 120-day
      refund, shelter days beyond it, and years of *bostøtte* (floating support in the own
      home) in the first two years (half refunded by the state) and after.

    The consequences' units, prices, splits between actors and profiles come from som-mc's
    knowledge base. Some of them have no public source and are **illustrative**; every result
    says which:
    """),
    code("""
    table = som_mc.deterministic(path)
    for item in table.attrs["illustrative_items"].split("; "):
        print(item)
    """),
    md("""
    All four consequence lines are illustrative: their *profiles* (how many shelter days a
    successful citizen saves, how long floating support lasts) are placeholders with reasoning,
    because SØM's register-based profiles for this group are not public as data. The prices
    have sources. Read every result below as "under these assumptions".

    ## SØM's answer: every input at its central value

    `som_mc.deterministic` is SØM's own calculation: one number per input. First the check that
    the case is the one on the slides, then the **budgetøkonomisk nettoresultat** (net budget
    result: gains minus costs) by year and actor.
    """),
    code("""
    print("cost in all:", dkk(table["cost"].sum()))
    print(f"successful citizens: {float(table['successes'].sum()):g} (25 x 14 %)")
    """),
    code("""
    # Net result by year (rows) and actor (columns), DKK in 2024 prices, undiscounted.
    table["net"].to_pandas()
    """),
    md("""
    In year 1 the kommune pays for the course and starts to gain; the state gains from year 1
    without paying for the course. Added up year by year (*cumulative*):
    """),
    code("""
    # Brackets, not table.cumulative: Dataset.cumulative is an xarray method.
    table["cumulative"].to_pandas()
    """),
    md("""
    The **tilbagebetalingstid** (payback time, break-even year) is the first year the cumulative
    net result reaches zero. `NaN` means "not within the horizon".
    """),
    code("""
    print("all actors together:", float(table["break_even_year"]))
    print(table["break_even_year_by_actor"].to_pandas())
    """),
    md("""
    The kommune does not get its money back within the 5 years, nor do the actors together. The
    region shows year 1 only because the case does not touch it at all: its cumulative result
    is 0 from the start, and 0 counts as "broken even". Read it as "not affected".

    The case is undiscounted (`discount_rate = 0`, as SØM reports), so the **nutidsværdi**
    (present value, PV) is simply the sum over the 5 years:
    """),
    code("""
    pv = table["present_value"].to_pandas()
    print(pv)
    print("all actors:", dkk(pv.sum()))
    """),
    md("""
    ### Who gains from what

    The gain from each consequence, summed over the 5 years, for each actor (a negative gain is
    an extra cost: a citizen in an own home gets floating support, which someone pays for):
    """),
    code("""
    by_consequence = table["gain_by_consequence"].sum("year").to_pandas()
    by_consequence.loc["(cost of the course)"] = 0.0 - table["cost"].sum("year").to_pandas()
    by_consequence.loc["net result"] = by_consequence.sum()
    by_consequence
    """),
    code("""
    fig, axes = plt.subplots(1, 2, figsize=(15, 4.5))
    plots.consequence_waterfall(table, "kommune", ax=axes[0])
    plots.consequence_waterfall(table, "stat", ax=axes[1])
    fig.tight_layout()
    """),
    md("""
    ### Why the state gains while the kommune pays

    The split between actors follows the Danish reimbursement (*refusion*) rules the knowledge
    base applies to each price:
    """),
    code("""
    for line in table.attrs["knowledge_notes"].splitlines():
        if "split by rule" in line:
            print(line, "\\n")
    """),
    md("""
    Put together:

    * **The kommune pays the whole course.** The cost line belongs to the kommune only.
    * **The state gets half of the first 120 shelter days saved**, because it refunds half of
      the kommune's shelter costs up to that cap. It gains from every success without having
      paid for the course.
    * **The kommune keeps all of the savings beyond the cap**, but **pays the floating support**
      in the new home: half of it in the first two years (the state refunds the other half) and
      all of it afterwards.

    So the kommune carries the cost and the new support, and shares the main saving with the
    state. This is the pattern SØM's users describe: gains often land with the state while the
    kommune pays.

    ## The same case with uncertainty

    The 14 % is an assumption; the profiles are placeholders; the prices have ranges. som-mc
    draws every input from its distribution, computes the whole business case for each
    **draw**, and repeats: here 10,000 times, with a fixed seed so that the numbers below are
    the same on every run. The default mode (`"expected"`) uses the expected number of
    successes in each draw (25 × the drawn rate); the chance in a group of only 25 people comes
    in at the end of the notebook.
    """),
    code("""
    ds = som_mc.run(path, draws=10_000, seed=1)
    summary = som_mc.summarize(ds)


    def summary_table(summary):
        \"\"\"The headline numbers per actor: PV in DKK, probabilities in %.\"\"\"
        df = summary.to_dataframe()
        out = df[["pv_mean", "pv_lower", "pv_upper"]].map(lambda v: f"{v:,.0f}")
        out.columns = ["mean PV", "5th percentile", "95th percentile"]
        out["P(PV > 0)"] = [f"{p:.1%} ± {se:.1%}" for p, se in
                            zip(df["p_positive"], df["p_positive_mcse"])]
        out["never breaks even"] = df["p_never_break_even"].map(lambda v: f"{v:.1%}")
        out["median break-even year"] = df["break_even_median"]
        return out


    summary_table(summary)
    """),
    md("""
    How to read the table:

    * **mean PV** and the **90 % interval** (5th to 95th percentile) of the present value over the
      5 years, for each actor and for all together (`total`).
    * **P(PV > 0)**: the share of draws in which the actor comes out ahead, with its Monte Carlo
      standard error (the "±": how much the share would move with another seed).
    * **never breaks even**: the share of draws with no break-even year within the horizon; the
      median break-even year is `NaN` when that share is above one half.

    The chance that the investment pays off for the kommune, the state and all together:
    """),
    code("""
    for actor in ["kommune", "stat", "total"]:
        s = summary.sel(actor=actor)
        print(f"{actor:8} P(PV > 0) = {pct(s.p_positive)}   mean PV {dkk(s.pv_mean)}")
    """),
    md("""
    Under these assumptions the kommune's budget almost never recovers the course within 5
    years, while the state comes out ahead in nearly every draw; for the public purse as a
    whole the case pays in a small minority of draws. (The region column is zero throughout: the
    case has no line that touches it.)

    ### When: the fan chart

    The fan chart shows the cumulative net result by year: the median draw (line), and the bands
    that hold the middle 50 % and 90 % of the draws. Where the band crosses zero, some draws
    have broken even by that year.
    """),
    code("""
    fig, axes = plt.subplots(1, 3, figsize=(18, 4.5))
    for ax, actor in zip(axes, ["total", "kommune", "stat"]):
        plots.fan_chart(ds, actor, ax=ax)
    fig.tight_layout()
    """),
    md("""
    ### Who pays and who gains

    For each actor: mean gains (up), mean costs (down, hatched), and the mean net present value
    with its 90 % interval.
    """),
    code("""
    plots.who_pays(ds);
    """),
    md("""
    ### The break-even year

    The share of draws that first break even in each year, and the share that do not within 5
    years ("never"):
    """),
    code("""
    fig, axes = plt.subplots(1, 3, figsize=(18, 4.5))
    for ax, actor in zip(axes, ["total", "kommune", "stat"]):
        plots.break_even_distribution(ds, actor, ax=ax)
    fig.tight_layout()
    """),
    md("""
    The state, which pays nothing up front, is ahead from year 1 in most draws; in the others
    its half of the floating support in years 1 and 2 outweighs its shelter savings for a while.
    The kommune, and all actors together, mostly do not break even within the 5 years.

    And the whole distribution of the present value for all actors together, with the share
    above zero:
    """),
    code("""
    plots.pv_distribution(ds, "total");
    """),
    md("""
    ### A group of 25: the chance in who succeeds

    With 25 participants and a rate around 14 %, how many actually succeed is itself a matter of
    chance. `mode="cohort"` draws the citizens one by one (a binomial number of successes in
    each draw) on top of the uncertainty about the inputs.
    """),
    code("""
    cohort = som_mc.run(path, draws=10_000, seed=1, mode="cohort")
    successes = cohort["successes"].sel(year=1).to_pandas()
    print("successful citizens: 5th, 50th and 95th percentile",
          successes.quantile([0.05, 0.5, 0.95]).tolist())
    print("share of draws in which nobody succeeds:", pct((successes == 0).mean()))
    summary_table(som_mc.summarize(cohort))
    """),
    md("""
    Compare the intervals with the expected-mode table above: the chance in a small group
    widens them. In the draws where nobody succeeds, the state's result is exactly 0, which
    P(PV > 0) does not count as a gain (while the break-even year counts 0 as "broken even").

    ## What this says

    * SØM's deterministic table and the Monte Carlo run tell the same story for the kommune, and
      the run adds how sure it is: the tables above give the probabilities.
    * The split between kommune and state comes from the refund rules, not from the
      intervention: the same CTI course, paid by the kommune, earns the state half of the
      saving on the first 120 shelter days.
    * The result rests on an assumed success rate and illustrative profiles. Notebook 02 shows
      how to find which input drives the uncertainty and what success rate a case needs to
      break even; notebook 03 what it would be worth to know an input better.
    """),
]


# ---------------------------------------------------------------------------------------------
# 02: cannabis youth, drivers and switching values
# ---------------------------------------------------------------------------------------------

NB02 = [
    md("""
    # Young cannabis users outside education and work: what drives the result?

    A kommune sees more young cannabis users, many of them outside education and work, with
    several municipal contacts and involved in crime. It considers a **group intervention**:
    closed groups of about 8 young people, 7–8 sessions of 2–3 hours with individual counselling
    (after a group model Socialstyrelsen evaluated in 2017). The case is the one in
    Socialstyrelsen's SØM slides *"Hvad kan SØM modellen bruges til? – en case"*.

    This notebook asks two questions a business case has to answer before anyone trusts it:

    1. **Which uncertain input drives the uncertainty of the result?** (Sobol' indices and a
       tornado.)
    2. **What success rate is needed to break even?** (switching values.)

    Danish words, explained once: **kommune**, **region**, **stat** are the three public actors
    (municipality, region, state); an **indsats** is an intervention and its **målgruppe** the
    target group; a **konsekvens** is the change in the use of one public service per successful
    citizen; an **enhedspris** the price of one unit of it; the **nutidsværdi** the present value
    (PV) of the net result. **Uddannelseshjælp** is the kommune's benefit for young people
    without an education (the state refunds part of it), **SU** (*Statens Uddannelsesstøtte*)
    the state's education grant, and **misbrugsbehandling** substance-abuse treatment.
    """),
    code(SETUP),
    md("""
    ## The case

    The slides give no numbers, so the case's **intake and cost are illustrative** (three groups
    of 8 a year for 3 years, 30,000 DKK per participant). The success rate is written as a
    **gross rate** and a **dødvægt** (deadweight):

    * the gross rate: 50 % of the young people in the MOVE programme were drug-free nine months
      after intake;
    * the deadweight: about 37 % of young people in other treatment were, so that share would
      have succeeded anyway.

    The net **succesrate** in each draw is max(gross − deadweight, 0). Both carry the package's
    preset for evidence level 3 (a before/after comparison, not a trial): wide distributions.
    The inputs and their distributions:
    """),
    code("""
    path = som_mc.example_path("cannabis_youth")
    case = som_mc.load_case(path)
    print(case.name, "\\n")
    for name in case.inputs.uncertain:
        dist = case.inputs[name]
        print(f"{name:55} mean {dist.central():>10,.2f}   {dist.describe()}")
    gross = case.inputs["success.gross_rate"].central()
    deadweight = case.inputs["success.deadweight"].central()
    print(f"\\nnet success rate at the means: {gross:.0%} - {deadweight:.0%}"
          f" = {gross - deadweight:.0%}")
    """),
    code("""
    table = som_mc.deterministic(path)
    print("Illustrative (no public source):")
    for item in table.attrs["illustrative_items"].split("; "):
        print("  ", item)
    """),
    md("""
    The course cost and all four consequence lines are illustrative: the profiles (how many weeks
    of uddannelseshjælp a successful young person saves, how many months of SU they draw) are
    placeholders with reasoning, and SU's price is a 2026 rate not moved to 2024 prices. Treat
    the numbers as a worked example of the method, not as a result for a real kommune.

    ### SØM's deterministic answer

    The present value over the 5 years per actor, and what each consequence contributes to it:
    """),
    code("""
    by_consequence = table["gain_by_consequence"].sum("year").to_pandas()
    by_consequence.loc["(cost of the course)"] = 0.0 - table["cost"].sum("year").to_pandas()
    by_consequence.loc["net result (PV)"] = by_consequence.sum()
    by_consequence
    """),
    md("""
    The pattern: a success means a young person starts an education. The kommune saves
    uddannelseshjælp and treatment; the state saves its share of uddannelseshjælp but pays SU
    while the young person studies. The case has no line for later earnings or tax, and its
    horizon is 5 years, so the years in which an education would pay back are not in it.

    The same case with every input drawn from its distribution (10,000 draws):
    """),
    code("""
    ds = som_mc.run(path, draws=10_000, seed=1)
    summary = som_mc.summarize(ds)
    for actor in ["kommune", "stat", "total"]:
        s = summary.sel(actor=actor)
        print(f"{actor:8} mean PV {dkk(s.pv_mean):>16}   90 % interval {dkk(s.pv_lower)} "
              f"to {dkk(s.pv_upper)}   P(PV > 0) = {pct(s.p_positive)}")
    """),
    md("""
    The kommune's mean over the draws is well above SØM's deterministic number. The reason is
    the floor in the success rate: in a draw where the gross rate falls below the deadweight,
    the net rate is zero, not negative, while a draw far above the deadweight counts in full. So
    the average net rate over the draws is higher than the net rate at the means:
    """),
    code("""
    drawn_gross = ds["inputs"].sel(input="success.gross_rate")
    drawn_deadweight = ds["inputs"].sel(input="success.deadweight")
    net_rate = (drawn_gross - drawn_deadweight).clip(min=0)
    print("net success rate at the means:     ", pct(gross - deadweight))
    print("mean net success rate over draws:  ", pct(net_rate.mean()))
    print("draws with no effect (gross <= dw):", pct((drawn_gross <= drawn_deadweight).mean()))
    """),
    md("""
    Whether a negative net effect should be possible, and whether the gross rate and the
    deadweight are really independent, are modelling choices of the case, and they matter here.

    The intervals are wide. Which inputs make them so?

    ## Which input drives the uncertainty: Sobol' indices

    A **Sobol' index** splits the variance of the result (how much the present value varies from
    draw to draw) into the shares due to each input:

    * the **first-order index (S1)** of an input is the share of the variance it causes *on its
      own*: how much of the spread would disappear, on average, if we learnt that input exactly
      and everything else stayed as uncertain as it is;
    * the **total index (ST)** is the share it has *any part in*, alone or together with other
      inputs: the spread that would remain if we learnt everything *except* that input.

    ST is always at least S1. When they differ, the input acts *through interactions*: its effect
    on the result depends on the value of another input. An input with a small ST can be fixed
    at its mean without losing much; one with a large ST is worth a closer look.

    The estimate uses a scrambled Sobol' design with base size n = 1024 and 4 independent
    scrambles (the intervals come from how much they disagree). The model is run in expected
    mode, without the chance in a small group.
    """),
    code("""
    from som_mc.analysis.sensitivity import sobol, switching_values, tornado

    sob = sobol(path, n=1024, replicates=4, seed=1)
    print("model evaluations:", sob.attrs["evaluations"])
    pd.options.display.float_format = "{:.3f}".format  # indices are shares of variance
    indices = pd.concat({"S1": sob["S1"].to_pandas(), "ST": sob["ST"].to_pandas()}, axis=1)
    indices[[("S1", "total"), ("ST", "total"), ("S1", "kommune"), ("ST", "kommune"),
             ("S1", "stat"), ("ST", "stat")]].sort_values(("ST", "total"), ascending=False)
    """),
    md("""
    (An index a little below zero is estimation noise around zero; the region has none because
    the case does not touch it.)

    The plots show both indices with their 95 % intervals, the inputs with the largest total
    index on top:
    """),
    code("""
    fig, axes = plt.subplots(1, 2, figsize=(16, 5))
    plots.sobol_plot(sob, "total", ax=axes[0])
    plots.sobol_plot(sob, "kommune", ax=axes[1])
    fig.tight_layout()
    """),
    md("""
    ### By kind of input

    Twelve inputs are many to think about. `groups="kind"` gathers them into the success inputs
    (gross rate and deadweight), the intake (dropout), the costs, all profiles (the `scale` of
    each consequence) and all prices, and gives each group its indices:
    """),
    code("""
    sob_kind = sobol(path, n=1024, replicates=4, seed=1, groups="kind")
    kinds = pd.concat({"S1": sob_kind["S1"].to_pandas(), "ST": sob_kind["ST"].to_pandas()}, axis=1)
    kinds[[("S1", "total"), ("ST", "total"), ("S1", "kommune"), ("ST", "kommune"),
           ("S1", "stat"), ("ST", "stat")]]
    """),
    code("""
    # The variance no single group explains on its own: the share due to interactions.
    print((1 - sob_kind["S1"].sum("input")).to_pandas().drop("region"))
    """),
    code("""
    fig, axes = plt.subplots(1, 2, figsize=(16, 4.5))
    plots.sobol_plot(sob_kind, "total", ax=axes[0])
    plots.sobol_plot(sob_kind, "kommune", ax=axes[1])
    fig.tight_layout()
    """),
    md("""
    How to read the two outputs:

    * **For the kommune** the success inputs carry most of the variance on their own (compare
      S1 and ST of `success` above). All of the kommune's gains (uddannelseshjælp and
      treatment) grow with the number of successes and none of its lines pulls the other way,
      so how many succeed decides its result.
    * **For all actors together** the success inputs have a large total index but a small
      first-order one, and a large share of the variance is interaction. The reason is in the
      table of consequences: each success saves the kommune money and costs the state SU, so
      whether one more success helps or hurts the total depends on the profiles and prices. The
      success rate alone says little about the total; the success rate *together with* the
      profiles says a lot. A one-at-a-time analysis would miss this.

    ## The tornado: one input at a time

    A tornado moves each input to its 5th and its 95th percentile with all the others at their
    means, and shows how far the present value moves. It is quick and easy to explain, but it
    cannot see interactions.
    """),
    code("""
    pd.options.display.float_format = "{:,.0f}".format
    tor = tornado(som_mc.load_case(path))
    tor["swing"].to_pandas()[["total", "kommune", "stat"]].head(6)
    """),
    code("""
    fig, axes = plt.subplots(1, 2, figsize=(16, 5))
    plots.tornado_plot(tor, "total", ax=axes[0])
    plots.tornado_plot(tor, "kommune", ax=axes[1])
    fig.tight_layout()
    """),
    md("""
    The tornado ranks inputs by how far they move the result *with everything else at its
    mean*; the total Sobol' index counts their share of the spread over every combination of
    the other inputs. Side by side, for all actors together:
    """),
    code("""
    ranks = pd.DataFrame({
        "tornado rank": pd.Series(range(1, tor.sizes["input"] + 1), index=tor["input"].values),
        "Sobol' ST rank": sob["ST"].sel(output="total").to_pandas()
                          .rank(ascending=False).astype(int),
    })
    ranks.sort_values("Sobol' ST rank").head(6)
    """),
    md("""
    The gross success rate moves down the tornado for the total: at the means of the profiles,
    one more success adds little to the total, because the kommune's saving and the state's
    extra SU largely offset each other (the what-if table further down shows both). Over all
    the combinations of profiles and prices the success rate matters a lot, in one direction or
    the other, which is what its total index measures.

    ## What success rate is needed to break even: switching values

    A **switching value** is the value of one input at which the deterministic present value is
    exactly zero, with all other inputs at their means. The case gives a gross rate and a
    deadweight, so the input to move is `success.gross_rate` (the deadweight stays at its mean).
    """),
    code("""
    sv = switching_values(case)  # deadweight and everything else at their means
    print(f"gross rate in the case: {pct(gross)}; deadweight: {pct(deadweight)}\\n")
    for actor in ["kommune", "stat", "total"]:
        value = float(sv["switching_value"].sel(input="success.gross_rate", output=actor))
        if pd.isna(value):
            print(f"{actor:8} never: the present value does not change sign between 0 and 100 %")
        else:
            print(f"{actor:8} PV = 0 at a gross rate of {pct(value)}"
                  f"  (net success rate {pct(max(value - deadweight, 0))})")
    """),
    md("""
    Three different answers, one per actor, and they need reading with the consequences in mind.
    A deterministic what-if over the gross rate shows what lies behind them: the case file is
    read as a dictionary, the gross rate set to a plain number, and SØM's calculation rerun.
    """),
    code("""
    import tomllib

    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    rows = {}
    for rate in [0.30, 0.37, 0.45, 0.50, 0.60, 0.70, 0.80, 0.90, 1.00]:
        raw["success"]["gross_rate"] = rate  # a plain number instead of a distribution
        pv = som_mc.deterministic(raw)["present_value"].to_pandas()
        rows[f"{rate:.0%}"] = {**pv, "total": pv.sum()}
    what_if = pd.DataFrame(rows).T.drop(columns="region")
    what_if.index.name = "gross rate"
    what_if
    """),
    md("""
    * **The kommune** breaks even at a gross rate close to the 50 % the case assumes: its
      decision sits on a knife edge.
    * **The state** has no switching value ("never"). Below the deadweight the net success
      rate is zero, nobody changes course, and the state's present value is exactly zero; above
      it every success costs the state more SU than it saves. With the other inputs at their
      means, the state's present value never turns from negative to positive: the what-if table
      below shows it. (In the Monte Carlo run above it comes out ahead only in the few draws
      where the profiles and prices fall its way.)
    * **All actors together** need a gross rate far above what the case assumes.

    The same relation in the 10,000 draws, where everything else varies too: each point is a
    draw, the black line the mean in bins along the gross rate. For the total, the cloud fans
    out as the gross rate grows: the more young people succeed, the more the profiles and
    prices matter. That is the interaction the Sobol' indices found, in picture form.
    """),
    code("""
    fig, axes = plt.subplots(1, 3, figsize=(18, 4.5))
    for ax, actor in zip(axes, ["kommune", "stat", "total"]):
        plots.pv_vs_input(ds, "success.gross_rate", actor=actor, ax=ax)
    fig.tight_layout()
    """),
    md("""
    ## What this says

    * Whether the kommune's budget gains depends mostly on how many young people succeed, and
      the case is close to its break-even success rate: knowing the success rate better would
      change the kommune's decision. Notebook 03 puts a value on that.
    * For the public purse as a whole, the profiles (how long the young people study, how much
      uddannelseshjælp they save) matter as much as the success rate, and together with it; a
      business case that only varies the success rate would understate the uncertainty.
    * The switching values depend on the horizon and on which consequences the case counts. A
      case that counted later employment and tax would move the state's and the total's
      numbers; this one does not count them.
    """),
]


# ---------------------------------------------------------------------------------------------
# 03: value of information
# ---------------------------------------------------------------------------------------------

NB03 = [
    md("""
    # What is worth knowing better? The value of information

    Notebook 02 showed that the cannabis-youth case (a group intervention for young cannabis
    users outside education and work) is uncertain, and that for the **kommune** (municipality)
    it sits close to break-even. A kommune in that position can ask: *before we decide, is it
    worth paying for a local evaluation of the* **succesrate** *(success rate)?*

    The **value of information** puts a number on that. The decision here is "invest in the
    **indsats** (intervention) or not". With what we know now, we invest if the expected
    **nutidsværdi** (present value, PV) is positive. Information can only help by making us
    change that decision in the cases where it would have been wrong.

    * **EVPI**, the *expected value of perfect information*: what it would be worth, on
      average, to learn every uncertain input exactly before deciding. It is the expected loss
      from deciding now under uncertainty.
    * **EVPPI**, the *expected value of partial perfect information*: the same for learning only
      one input, or one group of inputs.

    Both are in kroner, per actor: the kommune, the **region** and the **stat** (state) each have
    their own budget and so their own decision; `total` is the public purse as a whole.
    """),
    code(SETUP),
    md("""
    ## The decision on current information

    The case is the shipped example `cannabis_youth`. Its intake and course cost are
    illustrative, its profiles too, and its success rate is a gross rate (50 %) minus a
    **dødvægt** (deadweight, 37 %: those who would have succeeded anyway), both from a
    before/after comparison with wide distributions (see notebook 02).
    """),
    code("""
    path = som_mc.example_path("cannabis_youth")
    ds = som_mc.run(path, draws=10_000, seed=1)
    print("Illustrative:", ds.attrs["illustrative_items"], "\\n")
    summary = som_mc.summarize(ds)
    for actor in ["kommune", "stat", "total"]:
        s = summary.sel(actor=actor)
        decision = "invest" if s.pv_mean > 0 else "do not invest"
        print(f"{actor:8} mean PV {dkk(s.pv_mean):>16}   P(PV > 0) = {pct(s.p_positive):>6}"
              f"   -> on current information: {decision}")
    """),
    md("""
    ## EVPI and EVPPI

    `value_of_information` runs the case 10,000 times and, for each input (and with
    `groups="kind"` also for the groups: the success inputs, all profiles, all prices ...),
    estimates how the expected present value depends on that input alone (by a regression over
    the draws: a smoothing spline for one input, a Gaussian process for a group, which takes a
    few seconds).
    """),
    code("""
    voi = som_mc.value_of_information(path, draws=10_000, seed=1, groups="kind")
    print("EVPI, perfect information about everything:")
    print(voi["evpi"].to_pandas())
    """),
    code("""
    # EVPPI per input or group (rows) and actor (columns), DKK; largest for the kommune first.
    voi["evppi"].to_pandas().drop(columns="region").sort_values("kommune", ascending=False)
    """),
    code("""
    fig, axes = plt.subplots(1, 2, figsize=(16, 5))
    plots.evppi_plot(voi, "kommune", ax=axes[0])
    plots.evppi_plot(voi, "total", ax=axes[1])
    fig.tight_layout()
    """),
    md("""
    How to read it:

    * **For the kommune** the EVPI is large, because its decision is close to a coin flip (see
      P(PV > 0) above) and much money is at stake either way. Almost all of it is the success
      inputs: the `success` group (gross rate and deadweight learnt together) comes close to the
      EVPI itself, and the gross rate alone carries the largest share among the single inputs.
    * **For the public purse as a whole** the decision is clearer (do not invest; see
      P(PV > 0) above), but the amounts at stake are large and the EVPI is of the same order as
      the kommune's. It comes from other inputs: of the kinds of input, the profiles are worth
      most, above all how many weeks of uddannelseshjælp (the kommune's benefit for young
      people without an education) a success saves and how many months of SU (the state's
      education grant) it costs. The success rate is worth little to this decision on its own.
    * The region is untouched by the case and has no value of information.

    A check on the estimates: EVPPI can never really exceed EVPI, but a regression estimate can,
    by its own noise, when both are small. Where that happens, read both as "small":
    """),
    code("""
    evpi = voi["evpi"]
    above = (voi["evppi"] > evpi * 1.001).to_pandas()
    for actor in ["kommune", "stat", "total"]:
        names = above.index[above[actor]].tolist()
        print(f"{actor:8} EVPI {dkk(evpi.sel(output=actor)):>14}"
              f"   EVPPI above it: {names or 'none'}")
    """),
    md("""
    ## What a local evaluation of the success rate would be worth

    The EVPPI of the success rate is the most any study of it could be worth to this decision:
    it assumes the study reveals the true rate exactly, and in time to decide. A real local
    evaluation follows a few dozen young people and leaves much of the uncertainty in place,
    and it delays the decision, so it is worth less, often much less. That makes the EVPPI an
    **upper bound**: if a study costs more than the bound, it cannot pay for itself through this
    decision.

    An evaluation that measures the success rate with a comparison group learns the gross rate
    and the deadweight together, which is the `success` group. Against it we set a cost.

    > **Assumption of this notebook:** a local evaluation costs 500,000 DKK. This figure is not
    > from any source and not from the case; replace it with a real quote.
    """),
    code("""
    assumed_evaluation_cost = 500_000  # ASSUMPTION of this notebook, not a sourced figure

    for actor in ["kommune", "total"]:
        for name in ["success.gross_rate", "success.deadweight", "success"]:
            bound = float(voi["evppi"].sel(input=name, output=actor))
            verdict = ("above the assumed cost: a study might pay"
                       if bound > assumed_evaluation_cost
                       else "below the assumed cost: a study cannot pay")
            print(f"{actor:8} {name:20} upper bound {dkk(bound):>14}  -> {verdict}")
        print()
    """),
    md("""
    For the kommune's own decision the upper bound is above the assumed cost: an evaluation
    *could* be worth it, if it would settle a good part of the uncertainty about the net
    success rate. For the public purse as a whole it is far below: from that point of view a
    study of the profiles (what a success changes in benefits and SU) would be the better buy.

    Two more things to keep in mind:

    * The values are for **this decision**: 72 young people over 3 years. If the kommune would
      run the intervention for more groups, or other kommuner would use the result, the value of
      knowing grows with the number of people the decision covers.
    * The values are only as good as the distributions behind them; the wide presets for an
      evidence-level-3 study make the success rate look uncertain, and illustrative profiles
      make the profiles look uncertain.

    ## For comparison: when the decision is clear

    The CTI case of notebook 01 has a large spread too, but its kommune almost never gains within
    5 years. More information would rarely change the decision, and the value of information is
    small relative to the money at stake (single inputs only, which is quick):
    """),
    code("""
    cti = som_mc.example_path("cti")
    cti_summary = som_mc.summarize(som_mc.run(cti, draws=10_000, seed=1))
    cti_voi = som_mc.value_of_information(cti, draws=10_000, seed=1)
    for actor in ["kommune", "stat", "total"]:
        s = cti_summary.sel(actor=actor)
        print(f"{actor:8} mean PV {dkk(s.pv_mean):>14}   P(PV > 0) = {pct(s.p_positive):>6}"
              f"   EVPI {dkk(cti_voi['evpi'].sel(output=actor)):>12}"
              f"   EVPPI success rate "
              f"{dkk(cti_voi['evppi'].sel(input='success.rate', output=actor)):>12}")
    """),
    md("""
    Uncertainty alone does not make information valuable: it has to be uncertainty that could
    change what you decide. That is why the cannabis case, whose kommune sits at break-even, is
    where a local evaluation might pay, and the CTI case, whose kommune would decide the same
    way almost whatever the evaluation found, is not.
    """),
]


def main() -> None:
    for name, cells in (
        ("01_cti_shelter_users.ipynb", NB01),
        ("02_cannabis_youth_drivers.ipynb", NB02),
        ("03_value_of_information.ipynb", NB03),
    ):
        nb = notebook(name[:2], cells)
        nbformat.validate(nb)
        nbformat.write(nb, OUT / name)
        print("wrote", OUT / name)


if __name__ == "__main__":
    main()
