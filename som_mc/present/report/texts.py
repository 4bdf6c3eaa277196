"""The report's words in English and Danish: one table, so the two reports differ only here
and in number formats."""

from __future__ import annotations

__all__ = ["TEXTS"]

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Business case with uncertainty",
        "subtitle": "A SØM calculation with every input as a distribution",
        "toc": "Contents",
        "illustrative_warning": "This report uses illustrative values, numbers with no public "
        "source behind them:",
        "inputs": "The case and its inputs",
        "description": "Description",
        "target_group": "Target group",
        "horizon": "Horizon",
        "years": "years",
        "price_year": "Price year",
        "discount_rate": "Discount rate",
        "participants": "Participants starting each year",
        "course_years": "Course length (years)",
        "input": "Input",
        "distribution": "Value or distribution",
        "mean": "Mean",
        "source": "Source",
        "illustrative": "illustrative",
        "knowledge": "From the knowledge base",
        "deterministic": "SØM's calculation: every input at its mean",
        "deterministic_intro": "The deterministic result, as SØM computes it: one number per "
        "input, one answer. Net budget result per year and actor (gain minus cost), "
        "undiscounted, in fixed prices.",
        "year": "Year",
        "total": "total",
        "cumulative": "Cumulative, total",
        "by_consequence": "Gain by consequence over the horizon",
        "consequence": "Consequence",
        "area": "Area",
        "cost_line": "Cost of the intervention",
        "gross_line": "Before tax",
        "tax_line": "Income tax",
        "tax_note": "A benefit is priced before tax, but the citizen pays income tax on it, so "
        "the public purse gets part of it back: a taxed transfer's gain is its gain before tax "
        "plus the income-tax line beneath it, which is negative where fewer benefits are paid "
        "(less tax comes back) and positive where more are paid.",
        "break_even": "Break-even year (undiscounted: the first year from which the cumulative "
        "result stays non-negative)",
        "never": "never",
        "not_affected": "not affected",
        "probabilistic": "How sure are we? The result with uncertainty",
        "probabilistic_intro": "Every uncertain input was drawn {draws} times ({mode} mode); "
        "each draw is one possible version of the business case. The table gives the present "
        "value of the net result over the horizon.",
        "actor": "Actor",
        "interval": "90 % interval",
        "p_positive": "Probability of a positive present value",
        "se": "Monte Carlo standard error",
        "break_even_median": "Break-even year (median, undiscounted)",
        "never_share": "Never breaks even",
        "sensitivity": "What drives the uncertainty?",
        "sensitivity_intro": "Sobol' indices give the share of the result's variance due to "
        "each input: alone (first order) and with its interactions (total). The tornado moves "
        "one input at a time from its 5th to its 95th percentile.",
        "st": "Total index",
        "s1": "First-order index",
        "shapley": "Correlated inputs: Shapley effects",
        "shapley_intro": "The case correlates some inputs, so the classical indices above "
        "join each correlated group into one factor and do not add up. The Shapley effect "
        "gives every input its own share of the variance, sharing fairly what correlated "
        "inputs explain together; the shares add up to 1. The full first-order index is the "
        "share that would go if the input alone were learnt (with what it brings along "
        "through its correlations); the independent total index is the share left to it when "
        "every other input is known.",
        "shapley_value": "Shapley effect",
        "s_full": "Full first-order index",
        "st_ind": "Independent total index",
        "figure_shapley": "Shapley effects per actor, with 95 % intervals.",
        "switching": "Switching values: what must the success rate be for the case to break even?",
        "switching_now": "Assumed now",
        "voi": "What is worth knowing better?",
        "voi_intro": "The expected value of perfect information (EVPI) is what it would be "
        "worth, on average, to know every input before deciding whether to invest; EVPPI is "
        "the same for one input or group. An input with a high EVPPI is the one a local "
        "evaluation should target.",
        "evpi": "EVPI (all inputs)",
        "methods": "Method, in brief",
        "methods_text": "The calculation is SØM's: participants complete a course; a share "
        "of them (the success rate, net of what would have happened anyway) succeed; each "
        "success changes the citizen's use of public services year by year (the consequence "
        "profiles), priced for the kommune, the region and the state; the gains are set "
        "against the intervention's costs. som-mc repeats this calculation thousands of times, "
        "each time with every uncertain number drawn from its distribution, and counts how "
        "often the result is positive. Where a number has no public source it is marked "
        "illustrative, and its uncertainty is a stated judgement, not data.",
        "provenance": "Provenance",
        "version": "som-mc version",
        "seed": "Seed",
        "draws": "Draws",
        "design": "Design",
        "mode": "Mode",
        "case_hash": "Case file SHA-256",
        "created": "Created",
        "figure_fan": "Cumulative net result by year: median with 50 % and 90 % bands.",
        "figure_pv": "Distribution of the total present value.",
        "figure_who": "Who pays and who gains: mean present value per actor with 90 % intervals.",
        "figure_waterfall": "From costs to net result, consequence by consequence.",
        "figure_break_even": "When does the case break even?",
        "figure_tornado": "Tornado: one input at a time.",
        "figure_sobol": "Sobol' indices with 95 % intervals.",
        "figure_evppi": "EVPPI per input and group.",
        "figure_rate": "Present value against the success rate.",
        "figure_convergence": "Convergence: running mean of the present value.",
        "figure_subgroups": "Present value of each subgroup and of all participants (all "
        "actors): median, 50 % and 90 % intervals, and mean.",
        "kommune": "kommune",
        "region": "region",
        "stat": "state",
        "mode_expected": "expected",
        "mode_cohort": "cohort",
        "knowledge_quoted": "",
        "evidence": "The evidence: pooled studies",
        "evidence_intro": "The success rate comes from a random-effects meta-analysis of "
        "several studies. The prediction interval is where the effect in a new setting is "
        "expected to lie (wider than the confidence interval of the mean, as settings differ).",
        "study": "Study",
        "weight": "Weight",
        "pooled_mean": "Pooled mean (random effects)",
        "prediction": "New setting (prediction interval)",
        "measure_odds_ratio": "Odds ratio",
        "measure_risk_ratio": "Risk ratio",
        "measure_smd": "Standardised mean difference",
        "heterogeneity_text": "Method {method}; heterogeneity tau² {tau2}, I² {i2}, "
        "Q {q} on {df} degrees of freedom.",
        "figure_forest": "Forest plot: each study with its 95 % interval, the pooled mean and "
        "the prediction interval.",
        "costs": "The cost of the intervention, resource by resource",
        "costs_intro": "The intervention's cost built from its resources (the cost model), "
        "undiscounted over the horizon, from {draws} draws. The variance share is each line's "
        "part of the variance of the whole cost (its covariance with the whole, divided by the "
        "whole's variance; the shares add up to 1).",
        "cost_line_label": "Cost line",
        "resource_kind": "Kind",
        "variance_share": "Share of the variance",
        "total_cost": "Whole cost",
        "per_participant": "Per participant",
        "resource_staff": "staff",
        "resource_material": "materials",
        "resource_setup": "set-up",
        "resource_training": "training",
        "resource_alternative": "alternative",
        "resource_cost": "cost line",
    },
    "da": {
        "title": "Business case med usikkerhed",
        "subtitle": "En SØM-beregning, hvor hvert input er en fordeling",
        "toc": "Indhold",
        "illustrative_warning": "Rapporten bruger illustrative værdier, tal uden en offentlig "
        "kilde bag:",
        "inputs": "Casen og dens input",
        "description": "Beskrivelse",
        "target_group": "Målgruppe",
        "horizon": "Tidshorisont",
        "years": "år",
        "price_year": "Prisår",
        "discount_rate": "Diskonteringsrente",
        "participants": "Deltagere, der starter hvert år",
        "course_years": "Forløbslængde (år)",
        "input": "Input",
        "distribution": "Værdi eller fordeling",
        "mean": "Middelværdi",
        "source": "Kilde",
        "illustrative": "illustrativ",
        "knowledge": "Fra vidensdatabasen",
        "deterministic": "SØM's beregning: hvert input ved sin middelværdi",
        "deterministic_intro": "Det deterministiske resultat, som SØM beregner det: ét tal pr. "
        "input, ét svar. Budgetøkonomisk nettoresultat pr. år og aktør (gevinst minus "
        "omkostning), udiskonteret, i faste priser.",
        "year": "År",
        "total": "i alt",
        "cumulative": "Akkumuleret, i alt",
        "by_consequence": "Gevinst pr. konsekvens over tidshorisonten",
        "consequence": "Konsekvens",
        "area": "Område",
        "cost_line": "Indsatsens omkostninger",
        "gross_line": "Før skat",
        "tax_line": "Indkomstskat",
        "tax_note": "En ydelse er prissat før skat, men borgeren betaler indkomstskat af den, så "
        "det offentlige får en del af den tilbage: gevinsten af en skattepligtig overførsel er "
        "gevinsten før skat plus linjen med indkomstskat under den, som er negativ, hvor der "
        "udbetales færre ydelser (mindre skat kommer tilbage), og positiv, hvor der udbetales "
        "flere.",
        "break_even": "Tilbagebetalingsår (udiskonteret: det første år, hvorfra det akkumulerede "
        "resultat forbliver ikke-negativt)",
        "never": "aldrig",
        "not_affected": "ikke berørt",
        "probabilistic": "Hvor sikre er vi? Resultatet med usikkerhed",
        "probabilistic_intro": "Hvert usikkert input er trukket {draws} gange ({mode}); hver "
        "trækning er én mulig udgave af business casen. Tabellen viser nutidsværdien af "
        "nettoresultatet over tidshorisonten.",
        "actor": "Aktør",
        "interval": "90 %-interval",
        "p_positive": "Sandsynlighed for en positiv nutidsværdi",
        "se": "Monte Carlo-standardfejl",
        "break_even_median": "Tilbagebetalingsår (median, udiskonteret)",
        "never_share": "Tilbagebetales aldrig",
        "sensitivity": "Hvad driver usikkerheden?",
        "sensitivity_intro": "Sobol'-indeks viser den andel af resultatets varians, der "
        "skyldes hvert input: alene (første orden) og med dets vekselvirkninger (total). "
        "Tornadoen flytter ét input ad gangen fra dets 5. til dets 95. percentil.",
        "st": "Totalindeks",
        "s1": "Første ordens indeks",
        "shapley": "Korrelerede input: Shapley-effekter",
        "shapley_intro": "Casen lader nogle input hænge sammen, så de klassiske indeks "
        "ovenfor samler hver korreleret gruppe til én faktor og summerer ikke til 1. "
        "Shapley-effekten giver hvert input sin egen andel af variansen og deler det, som "
        "korrelerede input forklarer sammen, retfærdigt mellem dem; andelene summerer til 1. "
        "Det fulde første ordens indeks er den andel, der ville forsvinde, hvis man kun "
        "kendte dette input (med det, det trækker med sig gennem korrelationerne); det "
        "uafhængige totalindeks er den andel, der er tilbage til det, når alle andre input "
        "er kendt.",
        "shapley_value": "Shapley-effekt",
        "s_full": "Fuldt første ordens indeks",
        "st_ind": "Uafhængigt totalindeks",
        "figure_shapley": "Shapley-effekter pr. aktør med 95 %-intervaller.",
        "switching": "Skifteværdier: hvor høj skal succesraten være, for at casen tilbagebetales?",
        "switching_now": "Antaget nu",
        "voi": "Hvad er værd at vide mere om?",
        "voi_intro": "Den forventede værdi af perfekt information (EVPI) er, hvad det i "
        "gennemsnit ville være værd at kende alle input, før man beslutter at investere; EVPPI "
        "er det samme for ét input eller en gruppe. Et input med høj EVPPI er det, en lokal "
        "evaluering bør rette sig mod.",
        "evpi": "EVPI (alle input)",
        "methods": "Metoden kort",
        "methods_text": "Beregningen er SØM's: deltagere gennemfører et forløb; en andel af "
        "dem (succesraten, fratrukket dødvægt) opnår målet; hver succes ændrer borgerens brug "
        "af offentlige ydelser år for år (konsekvensestimaterne), prissat for kommune, region "
        "og stat; gevinsterne holdes op mod indsatsens omkostninger. som-mc gentager "
        "beregningen tusindvis af gange, hver gang med alle usikre tal trukket fra deres "
        "fordeling, og tæller, hvor ofte resultatet er positivt. Hvor et tal ikke har en "
        "offentlig kilde, er det markeret som illustrativt, og dets usikkerhed er en "
        "angivet vurdering, ikke data.",
        "provenance": "Dokumentation",
        "version": "som-mc-version",
        "seed": "Seed",
        "draws": "Trækninger",
        "design": "Design",
        "mode": "Tilstand",
        "case_hash": "Casefilens SHA-256",
        "created": "Oprettet",
        "figure_fan": "Akkumuleret nettoresultat pr. år: median med 50 %- og 90 %-bånd.",
        "figure_pv": "Fordelingen af den samlede nutidsværdi.",
        "figure_who": "Hvem betaler, og hvem vinder: middelværdi af nutidsværdien pr. aktør "
        "med 90 %-intervaller.",
        "figure_waterfall": "Fra omkostninger til nettoresultat, konsekvens for konsekvens.",
        "figure_break_even": "Hvornår tilbagebetales casen?",
        "figure_tornado": "Tornado: ét input ad gangen.",
        "figure_sobol": "Sobol'-indeks med 95 %-intervaller.",
        "figure_evppi": "EVPPI pr. input og gruppe.",
        "figure_rate": "Nutidsværdi mod succesraten.",
        "figure_convergence": "Konvergens: løbende gennemsnit af nutidsværdien.",
        "figure_subgroups": "Nutidsværdien for hver undergruppe og for alle deltagere (alle "
        "aktører): median, 50 %- og 90 %-intervaller og gennemsnit.",
        "kommune": "kommune",
        "region": "region",
        "stat": "stat",
        "mode_expected": "forventet værdi",
        "mode_cohort": "kohorte",
        "knowledge_quoted": "Begrundelser, regler og kilder citeres, som de står i "
        "vidensdatabasen.",
        "evidence": "Evidensen: samlede studier",
        "evidence_intro": "Succesraten kommer fra en random effects-metaanalyse af flere "
        "studier. Prædiktionsintervallet er, hvor effekten i en ny sammenhæng forventes at "
        "ligge (bredere end konfidensintervallet for middelværdien, fordi sammenhængene er "
        "forskellige).",
        "study": "Studie",
        "weight": "Vægt",
        "pooled_mean": "Samlet middelværdi (random effects)",
        "prediction": "Ny sammenhæng (prædiktionsinterval)",
        "measure_odds_ratio": "Oddsratio",
        "measure_risk_ratio": "Relativ risiko",
        "measure_smd": "Standardiseret middelforskel",
        "heterogeneity_text": "Metode {method}; heterogenitet tau² {tau2}, I² {i2}, "
        "Q {q} med {df} frihedsgrader.",
        "figure_forest": "Forest plot: hvert studie med dets 95 %-interval, den samlede "
        "middelværdi og prædiktionsintervallet.",
        "costs": "Indsatsens omkostninger, ressource for ressource",
        "costs_intro": "Indsatsens omkostninger opbygget af dens ressourcer "
        "(omkostningsmodellen), udiskonteret over tidshorisonten, fra {draws} trækninger. "
        "Variansandelen er hver linjes del af variansen af de samlede omkostninger (dens "
        "kovarians med helheden divideret med helhedens varians; andelene summerer til 1).",
        "cost_line_label": "Omkostningslinje",
        "resource_kind": "Art",
        "variance_share": "Andel af variansen",
        "total_cost": "Samlede omkostninger",
        "per_participant": "Pr. deltager",
        "resource_staff": "personale",
        "resource_material": "materialer",
        "resource_setup": "etablering",
        "resource_training": "uddannelse",
        "resource_alternative": "alternativ",
        "resource_cost": "omkostningslinje",
    },
}
