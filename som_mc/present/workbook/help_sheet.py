"""The Help sheet of a case workbook: how to fill it in, every column, how to write a
distribution, the allowed values, and the knowledge base's keys.

The column texts come from :mod:`som_mc.inputs.workbook.case_layout` and the keys from the shipped
knowledge base, so Help cannot drift from what the reader accepts.
"""

from __future__ import annotations

from openpyxl.worksheet.worksheet import Worksheet

from som_mc.conventions import ACTORS, AREAS, CONSEQUENCE_KINDS, COST_TYPES
from som_mc.inputs.costs import KINDS as RESOURCE_KINDS
from som_mc.inputs.distributions import FAMILIES
from som_mc.inputs.workbook.case_layout import (
    CASE,
    CASE_FIELDS,
    CONSEQUENCE_COLUMNS,
    CONSEQUENCES,
    CORRELATION,
    CORRELATION_CORNER,
    COST_COLUMNS,
    COSTS,
    INTAKE,
    INTAKE_FIELDS,
    PARTICIPANT_COLUMNS,
    PROFILES,
    RESOURCE_COLUMNS,
    RESOURCES,
    STUDIES,
    STUDY_COLUMNS,
    SUCCESS,
    SUCCESS_FIELDS,
)
from som_mc.inputs.workbook.cells import put
from som_mc.present.workbook.book import BOLD, TITLE, WRAP, fit_rows, style_header, widths

__all__ = ["DISTRIBUTION_EXAMPLES", "write_help"]

_INTRO = (
    "Each sheet holds one part of a business case, as a TOML case file does (docs/cases.md): "
    "fill in the yellow cells of Case, Intake and Success, and one row per line on Costs, "
    "Consequences and Profiles.",
    "An empty cell means 'not given': the field's default, or what the knowledge base fills in.",
    "A blank template holds an example in every table (and an example correlation): overwrite "
    "or delete them.",
    "Use the workbook as a case file: som-mc check case.xlsx, som-mc run case.xlsx, or "
    "som_mc.run('case.xlsx') in Python. An error names the sheet and the cell.",
    "Columns headed note, and the help column, are yours: they are not read. Other sheets or "
    "columns are not allowed (a misspelt header would otherwise be ignored silently).",
    "A cell that holds a quantity takes a number, or a distribution written as text (below).",
    "Inside a distribution decimals are written with a point (0.05), whatever the "
    "spreadsheet's language; a plain number is typed as usual.",
    "Costs may be given as totals (Costs) or built from the resources used (Resources: staff "
    "time x wage x (1 + overhead), materials, set-up); a case may use both.",
    "The success rate may come from a study's effect size (the effect_ fields of Success) or "
    "from a random-effects pool of several studies (one row each on Studies, with "
    "effect_baseline and effect_outcome on Success).",
)

#: The introduction in Danish, beside the English one.
_INTRO_DA = (
    "Hvert ark rummer en del af en business case, som en TOML-casefil gør (docs/cases.md): "
    "udfyld de gule celler i Case, Intake og Success, og en række pr. linje i Costs, "
    "Resources, Consequences, Profiles og Studies.",
    "En tom celle betyder 'ikke angivet': feltets standardværdi, eller hvad vidensbasen udfylder.",
    "Omkostninger kan angives som totaler (Costs) eller bygges op af de ressourcer, indsatsen "
    "bruger (Resources: personaletid x løn x (1 + overhead), materialer, opstart); en case kan "
    "bruge begge.",
    "Succesraten kan komme fra en undersøgelses effektstørrelse (felterne effect_ i Success) "
    "eller fra en metaanalyse (random effects) af flere undersøgelser (en række hver i "
    "Studies, med effect_baseline og effect_outcome i Success).",
    "Kolonner med overskriften note og hjælpekolonnen er dine: de læses ikke (undtagen note i "
    "Resources, der gemmes med ressourcen). Decimaler i en fordeling skrives med punktum (0.05).",
)

#: An example of every way to write each family, and of a preset.
DISTRIBUTION_EXAMPLES: dict[str, tuple[str, ...]] = {
    "fixed": ("fixed(value=3)",),
    "uniform": ("uniform(min=20000, max=65000)",),
    "triangular": ("triangular(min=1, mode=2, max=4)",),
    "pert": ("pert(min=0.05, mode=0.14, max=0.3)", "pert(min=1, mode=2, max=4, lambda=6)"),
    "normal": ("normal(mean=500, sd=50)", "normal(ci95=[400, 600])"),
    "truncnormal": (
        "truncnormal(mean=0.2, sd=0.1, min=0, max=1)",
        "truncnormal(mean=5, sd=2, min=0)",
    ),
    "lognormal": (
        "lognormal(mean=750, sd=100)",
        "lognormal(ci95=[600, 950])",
        "lognormal(mu=6.6, sigma=0.2)",
    ),
    "gamma": ("gamma(mean=10, sd=3)", "gamma(shape=4, scale=2.5)", "gamma(ci95=[5, 15])"),
    "beta": (
        "beta(alpha=14, beta=86)",
        "beta(mean=0.18, sd=0.05)",
        "beta(k=14, n=100)",
        "beta(k=14, n=100, prior=jeffreys)",
        "beta(ci95=[0.36, 0.48])",
    ),
    "preset": ("preset(price_medium, 750)", "preset(name=price_medium, value=750)"),
}

_DISTRIBUTION_RULES = (
    "Write the family's name, then its parameters as key=value in round brackets, separated by "
    "commas; capitals in the name do not matter (PERT(...) as som-mc inputs prints it works).",
    "A 95 % interval is ci95=[lo, hi]. A word (jeffreys) may be bare; other text goes in double "
    'quotes: source="Aarhus Kommune, 2023".',
    'Any distribution or preset may also carry source="...", note="..." and illustrative=true; '
    "they are kept for the reader and do not change the numbers.",
    "A preset gives a point value the uncertainty of a named judgement (see Presets below); the "
    "value stays the mean.",
    "Probabilities and shares (rate, gross_rate, deadweight, persistence, dropout, "
    "discount_rate) must lie in [0, 1]: use beta, pert, triangular, uniform or truncnormal with "
    "min and max there, never normal.",
)

_TYPES = {
    "startup": "once, in year 1 unless years says otherwise",
    "operating": "every year someone is in a course",
    "per_participant": "per starter, in the year they start",
    "per_participant_year": "per participant for each year of their course",
}
_KINDS = {
    "expenditure": "more units cost the public purse (shelter days)",
    "revenue": "more units earn it (income tax)",
}


class _Writer:
    def __init__(self, ws: Worksheet) -> None:
        self.ws = ws
        self.row = 1

    def title(self, text: str) -> None:
        self.row += 1 if self.row > 1 else 0
        put(self.ws, self.row, 1, text).font = TITLE
        self.row += 1

    def text(self, text: str) -> None:
        """A sentence in column A, running over the empty cells to its right."""
        put(self.ws, self.row, 1, text)
        self.row += 1

    def line(self, *values: object, bold: bool = False) -> None:
        for column, value in enumerate(values, start=1):
            cell = put(self.ws, self.row, column, value)
            cell.alignment = WRAP
            if bold:
                cell.font = BOLD
        self.row += 1

    def header(self, *names: str) -> None:
        self.line(*names)
        style_header(self.ws, self.row - 1, len(names))


def write_help(ws: Worksheet) -> None:
    """Fill ``ws`` with the workbook's instructions and reference tables."""
    w = _Writer(ws)
    w.title("How to fill in this workbook")
    for text in _INTRO:
        w.text(text)
    w.title("Sådan udfyldes projektmappen")
    for text in _INTRO_DA:
        w.text(text)

    w.title("Sheets, fields and columns")
    w.header("sheet", "field or column", "required", "meaning", "allowed", "betydning (dansk)")
    sections = (
        (CASE, CASE_FIELDS),
        (INTAKE, INTAKE_FIELDS),
        (f"{INTAKE} (table below the fields)", PARTICIPANT_COLUMNS),
        (SUCCESS, SUCCESS_FIELDS),
        (STUDIES, STUDY_COLUMNS),
        (COSTS, COST_COLUMNS),
        (RESOURCES, RESOURCE_COLUMNS),
        (CONSEQUENCES, CONSEQUENCE_COLUMNS),
    )
    for sheet, fields in sections:
        for field in fields:
            required = "yes" if field.required else ""
            w.line(sheet, field.name, required, field.help, field.allowed, field.help_da)
    w.line(
        PROFILES,
        "key, year 1, year 2, ...",
        "",
        "konsekvensestimat: the change in units per successful citizen in year 1, 2, ... after "
        "success (year 1 is the year the course is completed); negative for fewer shelter days. "
        "Years after the last filled cell count as 0; add year columns as needed. A "
        "knowledge-base line with no row here takes its target group's profile.",
        "a key of Consequences; quantities",
    )
    w.line(
        CORRELATION,
        f"{CORRELATION_CORNER}, input names",
        "",
        f"One square block per group of correlated inputs: '{CORRELATION_CORNER}' in the "
        "top-left cell, the inputs across and (in the same order) down, the Spearman rank "
        "correlations between them (1 on the diagonal, symmetric). Blocks are separated by an "
        "empty row.",
        "input names (som-mc inputs lists them); numbers in [-1, 1]",
    )

    w.title("Numbers and distributions")
    for text in _DISTRIBUTION_RULES:
        w.text(text)
    w.row += 1
    w.header("family", "parameters (one way of each)", "", "examples")
    for family, examples in DISTRIBUTION_EXAMPLES.items():
        if family == "preset":
            ways = "name and value"
        else:
            ways = " · ".join(form.text for form in FAMILIES[family].forms)
        w.line(family, ways, "", "   ".join(examples))

    w.title("Allowed values")
    w.header("column", "value", "", "meaning")
    for value in COST_TYPES:
        w.line("type (Costs)", value, "", _TYPES[value])
    for kind, keys in RESOURCE_KINDS.items():
        w.line("kind (Resources)", kind, "", "columns: " + ", ".join(keys))
    for actor in ACTORS:
        w.line("actor (Costs, Resources); price_<actor>, cap, tax (Consequences)", actor)
    for area, danish in AREAS.items():
        w.line("area (Consequences)", area, "", danish)
    for kind in CONSEQUENCE_KINDS:
        w.line("kind (Consequences)", kind, "", _KINDS[kind])
    w.line("illustrative", "TRUE, FALSE or empty", "", "TRUE if no public source backs the number")
    _knowledge(w)
    widths(ws, (30, 36, 10, 90, 60, 90))
    fit_rows(ws)


def _knowledge(w: _Writer) -> None:
    from som_mc.inputs.knowledge.base import load_knowledge

    kb = load_knowledge()
    w.title("Knowledge base: consequences (a line may give only its key)")
    w.header("key", "label", "unit", "label (da)", "area, kind")
    for entry in kb.consequences.values():
        w.line(entry.key, entry.label_en, entry.unit, entry.label_da, f"{entry.area}, {entry.kind}")
    w.title("Knowledge base: target groups (Case: target_group)")
    w.header("key", "label", "", "description", "profiles of")
    for group in kb.target_groups.values():
        keys = ", ".join(p.consequence for p in group.profile)
        w.line(group.key, group.label_en, "", group.description, keys)
    w.title("Knowledge base: rules that split a price (Consequences: split)")
    w.header("key", "shares", "", "description")
    for rule in kb.rules.values():
        shares = ", ".join(f"{actor}={share:g}" for actor, share in rule.shares.items())
        w.line(rule.key, shares, "", rule.description)
    w.title("Knowledge base: staff types (Resources: staff)")
    w.header("key", "label", "price year", "DKK per hour, source")
    for wage in kb.wages.values():
        w.line(wage.key, wage.label, wage.price_year, f"{wage.value:g}; {wage.source}")
    w.title("Knowledge base: effect studies (Studies: key; Success: effect_study)")
    w.header("key", "measure, estimate", "level", "intervention, outcome")
    for effect in kb.effects.values():
        what = f"{effect.intervention}; {effect.outcome}"
        w.line(effect.key, f"{effect.measure}, {effect.estimate:g}", effect.evidence_level, what)
    w.title("Presets: preset(name, value) and price_preset")
    w.header("key", "family, cv", "for", "reasoning")
    for preset in kb.presets.values():
        w.line(
            preset.key, f"{preset.family}, cv {preset.cv:g}", preset.applies_to, preset.reasoning
        )
