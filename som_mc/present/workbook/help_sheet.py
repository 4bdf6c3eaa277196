"""The Help sheet of a case workbook: how to fill it in, every column, how to write a
distribution, the allowed values, and the knowledge base's keys.

The column texts come from :mod:`som_mc.inputs.workbook.case_layout` and the keys from the shipped
knowledge base, so Help cannot drift from what the reader accepts. Help is written in English
(with the Danish meaning of each field beside the English) or in Danish (with the English
beside it); the names of sheets, fields and columns stay those of the case file in both, as
they are what the reader reads.
"""

from __future__ import annotations

from openpyxl.worksheet.worksheet import Worksheet

from som_mc.conventions import ACTORS, AREAS, CONSEQUENCE_KINDS, COST_TYPES
from som_mc.errors import InputError
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
    Field,
)
from som_mc.inputs.workbook.cells import put
from som_mc.present.locale import LANGUAGES
from som_mc.present.workbook.book import BOLD, TITLE, WRAP, fit_rows, style_header, widths

__all__ = ["DISTRIBUTION_EXAMPLES", "allowed_text", "help_text", "write_help"]

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

#: The introduction in Danish: what the English one says, and that the names stay English.
_INTRO_DA = (
    "Hvert ark rummer en del af en business case, som en TOML-casefil gør (docs/cases.md): "
    "udfyld de gule celler i Case, Intake og Success, og en række pr. linje i Costs, "
    "Resources, Consequences, Profiles og Studies.",
    "Arkenes, felternes og kolonnernes navne er casefilens (på engelsk): det er dem, som-mc "
    "læser. Kolonnen help og denne side forklarer dem på dansk.",
    "En tom celle betyder 'ikke angivet': feltets standardværdi, eller hvad vidensdatabasen "
    "udfylder.",
    "En tom skabelon har et eksempel i hver tabel (og en eksempelkorrelation): overskriv eller "
    "slet dem.",
    "Brug projektmappen som en casefil: som-mc check case.xlsx, som-mc run case.xlsx eller "
    "som_mc.run('case.xlsx') i Python. En fejl nævner arket og cellen.",
    "Kolonner med overskriften note og hjælpekolonnen er dine: de læses ikke (undtagen note i "
    "Resources, der gemmes med ressourcen). Andre ark eller kolonner er ikke tilladt (en "
    "stavefejl i en overskrift ville ellers blive overset i stilhed).",
    "En celle med en størrelse tager et tal eller en fordeling skrevet som tekst (nedenfor).",
    "Decimaler i en fordeling skrives med punktum (0.05), uanset regnearkets sprog; et "
    "almindeligt tal skrives som sædvanligt.",
    "Omkostninger kan angives som totaler (Costs) eller bygges op af de ressourcer, indsatsen "
    "bruger (Resources: personaletid x løn x (1 + overhead), materialer, opstart); en case kan "
    "bruge begge.",
    "Succesraten kan komme fra en undersøgelses effektstørrelse (felterne effect_ i Success) "
    "eller fra en metaanalyse (random effects) af flere undersøgelser (en række hver i "
    "Studies, med effect_baseline og effect_outcome i Success).",
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

_DISTRIBUTION_RULES_DA = (
    "Skriv fordelingens navn og derefter dens parametre som nøgle=værdi i runde parenteser, "
    "adskilt af kommaer; store og små bogstaver i navnet er ligegyldige (PERT(...), som "
    "som-mc inputs skriver det, virker).",
    "Et 95 %-interval skrives ci95=[lo, hi]. Et ord (jeffreys) kan stå uden anførselstegn; "
    'anden tekst står i dobbelte anførselstegn: source="Aarhus Kommune, 2023".',
    'Enhver fordeling eller preset kan også have source="...", note="..." og '
    "illustrative=true; de gemmes til læseren og ændrer ikke tallene.",
    "Et preset giver en punktværdi usikkerheden fra en navngiven vurdering (se Presets "
    "nedenfor); værdien forbliver middelværdien.",
    "Sandsynligheder og andele (rate, gross_rate, deadweight, persistence, dropout, "
    "discount_rate) skal ligge i [0, 1]: brug beta, pert, triangular, uniform eller "
    "truncnormal med min og max dér, aldrig normal.",
)

_TYPES = {
    "startup": ("once, in year 1 unless years says otherwise",
                "opstart: én gang, i år 1, medmindre years siger andet"),
    "operating": ("every year someone is in a course", "drift: hvert år, nogen er i et forløb"),
    "per_participant": ("per starter, in the year they start",
                        "pr. deltager, der starter, i startåret"),
    "per_participant_year": ("per participant for each year of their course",
                             "pr. deltager for hvert år af forløbet"),
}  # fmt: skip
_KINDS = {
    "expenditure": ("more units cost the public purse (shelter days)",
                    "flere enheder koster det offentlige (døgn på herberg)"),
    "revenue": ("more units earn it (income tax)",
                "flere enheder giver det offentlige en indtægt (indkomstskat)"),
}  # fmt: skip

#: The words of the sheet: titles, headers and the lines of Profiles and Correlation.
_WORDS: dict[str, tuple[str, str]] = {
    "title_fields": ("Sheets, fields and columns", "Ark, felter og kolonner"),
    "head_fields": (
        "sheet | field or column | required | meaning | allowed | betydning (dansk)",
        "ark | felt eller kolonne | påkrævet | betydning | tilladt | meaning (English)",
    ),
    "yes": ("yes", "ja"),
    "intake_table": ("table below the fields", "tabellen under felterne"),
    "profiles": (
        "konsekvensestimat: the change in units per successful citizen in year 1, 2, ... after "
        "success (year 1 is the year the course is completed); negative for fewer shelter days. "
        "Years after the last filled cell count as 0; add year columns as needed. A "
        "knowledge-base line with no row here takes its target group's profile.",
        "konsekvensestimat: ændringen i antal enheder pr. borger med succes i år 1, 2, ... "
        "efter succes (år 1 er det år, forløbet gennemføres); negativ for færre døgn på "
        "herberg. År efter den sidste udfyldte celle tæller som 0; tilføj årskolonner efter "
        "behov. En linje fra vidensdatabasen uden en række her får sin målgruppes "
        "konsekvensestimat.",
    ),
    "profiles_allowed": ("a key of Consequences; quantities",
                         "en nøgle fra Consequences; størrelser (tal eller fordelinger)"),
    "correlation": (
        "One square block per group of correlated inputs: '{corner}' in the top-left cell, the "
        "inputs across and (in the same order) down, the Spearman rank correlations between "
        "them (1 on the diagonal, symmetric). Blocks are separated by an empty row.",
        "Én kvadratisk blok pr. gruppe af korrelerede input: '{corner}' i den øverste venstre "
        "celle, inputtene hen ad og (i samme rækkefølge) ned ad, Spearman-rangkorrelationerne "
        "mellem dem (1 på diagonalen, symmetrisk). Blokkene adskilles af en tom række.",
    ),
    "correlation_allowed": ("input names (som-mc inputs lists them); numbers in [-1, 1]",
                            "inputnavne (som-mc inputs viser dem); tal i [-1, 1]"),
    "title_numbers": ("Numbers and distributions", "Tal og fordelinger"),
    "head_families": ("family | parameters (one way of each) |  | examples",
                      "fordeling | parametre (hver måde for sig) |  | eksempler"),
    "name_and_value": ("name and value", "navn og værdi"),
    "title_allowed": ("Allowed values", "Tilladte værdier"),
    "head_allowed": ("column | value |  | meaning", "kolonne | værdi |  | betydning"),
    "columns": ("columns: ", "kolonner: "),
    "illustrative_values": ("TRUE, FALSE or empty", "TRUE, FALSE eller tom"),
    "illustrative": ("TRUE if no public source backs the number",
                     "TRUE, hvis ingen offentlig kilde står bag tallet"),
    "title_consequences": ("Knowledge base: consequences (a line may give only its key)",
                           "Vidensdatabasen: konsekvenser (en linje kan nøjes med sin nøgle)"),
    "head_consequences": ("key | label | unit | label (da) | area, kind",
                          "nøgle | betegnelse (engelsk) | enhed | betegnelse | område, art"),
    "title_groups": ("Knowledge base: target groups (Case: target_group)",
                     "Vidensdatabasen: målgrupper (Case: target_group)"),
    "head_groups": ("key | label |  | description | profiles of",
                    "nøgle | betegnelse |  | beskrivelse | konsekvensestimater for"),
    "title_rules": ("Knowledge base: rules that split a price (Consequences: split)",
                    "Vidensdatabasen: regler, der fordeler en pris (Consequences: split)"),
    "head_rules": ("key | shares |  | description", "nøgle | andele |  | beskrivelse"),
    "title_wages": ("Knowledge base: staff types (Resources: staff)",
                    "Vidensdatabasen: personalegrupper (Resources: staff)"),
    "head_wages": ("key | label | price year | DKK per hour, source",
                   "nøgle | betegnelse | prisår | kr. pr. time, kilde"),
    "title_effects": ("Knowledge base: effect studies (Studies: key; Success: effect_study)",
                      "Vidensdatabasen: effektundersøgelser (Studies: key; Success: effect_study)"),
    "head_effects": ("key | measure, estimate | level | intervention, outcome",
                     "nøgle | mål, estimat | evidensniveau | indsats, udfald"),
    "title_presets": ("Presets: preset(name, value) and price_preset",
                      "Presets (navngivne usikkerheder): preset(name, value) og price_preset"),
    "head_presets": ("key | family, cv | for | reasoning",
                     "nøgle | fordeling, cv | til | begrundelse"),
}  # fmt: skip

#: What a cell of each kind takes, in Danish (``Field.allowed`` is the English).
_ALLOWED_DA = {
    "text": "tekst",
    "word": "en nøgle: a-z, 0-9 og _",
    "whole": "et helt tal",
    "number": "et tal",
    "pair": "to tal i kantede parenteser: [0.06, 0.88]",
    "quantity": "et tal eller en fordeling som pert(min=1, mode=2, max=4) (se Tal og "
    "fordelinger på arket Help)",
    "rate": "et tal eller en fordeling som pert(min=1, mode=2, max=4) (se Tal og fordelinger "
    "på arket Help), eller fm2021",
    "bool": "TRUE eller FALSE",
    "years": "hele tal adskilt af kommaer: 1, 2, 3",
    "split": "navnet på en regel (refusion_110_within_cap) eller andele: kommune=0.5, stat=0.5",
    "tax": "en skattenøgle i vidensdatabasen (transfer_income_2025), none eller satser: "
    "kommune=0.25, stat=0.12",
    "per_actor": "tal pr. aktør: kommune=500",
    "note": "hvad som helst; læses ikke",
}


def _check(lang: str) -> int:
    if lang not in LANGUAGES:
        raise InputError("--lang", f"'{lang}' is not a language; allowed: {', '.join(LANGUAGES)}")
    return LANGUAGES.index(lang)


def _w(key: str, lang: str) -> str:
    return _WORDS[key][_check(lang)]


def _head(key: str, lang: str) -> list[str]:
    return [part.strip() for part in _w(key, lang).split("|")]


def allowed_text(field: Field, lang: str = "en") -> str:
    """What ``field``'s cell takes, in words, in ``lang`` ("en" or "da")."""
    if _check(lang) == 0 or field.kind == "enum":
        return field.allowed  # an enum's allowed values are its choices, in any language
    return _ALLOWED_DA[field.kind]


def help_text(field: Field, lang: str = "en") -> str:
    """The help column's (and a column header's comment's) text for ``field`` in ``lang``:
    whether it is required, what it means and what it takes.

    Examples
    --------
    >>> from som_mc.inputs.workbook.case_layout import CASE_FIELDS
    >>> help_text(CASE_FIELDS[0], "da")
    'Skal udfyldes. Casens navn, som vises på hvert resultat. Tilladt: tekst.'
    """
    danish = _check(lang) == 1
    meaning = field.help_da if danish and field.help_da else field.help
    required = ("Skal udfyldes. " if danish else "Required. ") if field.required else ""
    allowed = "Tilladt" if danish else "Allowed"
    return f"{required}{meaning[:1].upper()}{meaning[1:]}. {allowed}: {allowed_text(field, lang)}."


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


def write_help(ws: Worksheet, lang: str = "en") -> None:
    """Fill ``ws`` with the workbook's instructions and reference tables in ``lang`` ("en":
    English, with each field's Danish meaning in a column of its own; "da": Danish, with the
    English meaning beside it)."""
    column = _check(lang)
    danish = column == 1
    w = _Writer(ws)
    # English: the English introduction, then the Danish; Danish: the Danish one, which says
    # all the English one does.
    intros = [("Sådan udfyldes projektmappen", _INTRO_DA)]
    if not danish:
        intros.insert(0, ("How to fill in this workbook", _INTRO))
    for title, texts in intros:
        w.title(title)
        for text in texts:
            w.text(text)

    w.title(_w("title_fields", lang))
    w.header(*_head("head_fields", lang))
    table = _w("intake_table", lang)
    sections = (
        (CASE, CASE_FIELDS),
        (INTAKE, INTAKE_FIELDS),
        (f"{INTAKE} ({table})", PARTICIPANT_COLUMNS),
        (SUCCESS, SUCCESS_FIELDS),
        (STUDIES, STUDY_COLUMNS),
        (COSTS, COST_COLUMNS),
        (RESOURCES, RESOURCE_COLUMNS),
        (CONSEQUENCES, CONSEQUENCE_COLUMNS),
    )
    for sheet, fields in sections:
        for field in fields:
            required = _w("yes", lang) if field.required else ""
            meanings = (field.help, field.help_da)
            first, beside = (meanings[1] or meanings[0], meanings[0]) if danish else meanings
            w.line(sheet, field.name, required, first, allowed_text(field, lang), beside)
    w.line(PROFILES, "key, year 1, year 2, ...", "", _w("profiles", lang),
           _w("profiles_allowed", lang))  # fmt: skip
    w.line(
        CORRELATION,
        f"{CORRELATION_CORNER}, input names",
        "",
        _w("correlation", lang).format(corner=CORRELATION_CORNER),
        _w("correlation_allowed", lang),
    )

    w.title(_w("title_numbers", lang))
    for text in _DISTRIBUTION_RULES_DA if danish else _DISTRIBUTION_RULES:
        w.text(text)
    w.row += 1
    w.header(*_head("head_families", lang))
    for family, examples in DISTRIBUTION_EXAMPLES.items():
        if family == "preset":
            ways = _w("name_and_value", lang)
        else:
            ways = " · ".join(form.text for form in FAMILIES[family].forms)
        w.line(family, ways, "", "   ".join(examples))

    w.title(_w("title_allowed", lang))
    w.header(*_head("head_allowed", lang))
    for value in COST_TYPES:
        w.line("type (Costs)", value, "", _TYPES[value][column])
    for kind, keys in RESOURCE_KINDS.items():
        w.line("kind (Resources)", kind, "", _w("columns", lang) + ", ".join(keys))
    for actor in ACTORS:
        w.line("actor (Costs, Resources); price_<actor>, cap, tax (Consequences)", actor)
    for area, danish_name in AREAS.items():
        w.line("area (Consequences)", area, "", danish_name)
    for kind in CONSEQUENCE_KINDS:
        w.line("kind (Consequences)", kind, "", _KINDS[kind][column])
    w.line("illustrative", _w("illustrative_values", lang), "", _w("illustrative", lang))
    _knowledge(w, lang)
    widths(ws, (30, 36, 10, 90, 60, 90))
    fit_rows(ws)


def _knowledge(w: _Writer, lang: str) -> None:
    """The knowledge base's keys; its own texts (descriptions, reasons) as it writes them."""
    from som_mc.inputs.knowledge.base import load_knowledge

    danish = _check(lang) == 1
    kb = load_knowledge()
    w.title(_w("title_consequences", lang))
    w.header(*_head("head_consequences", lang))
    for entry in kb.consequences.values():
        w.line(entry.key, entry.label_en, entry.unit, entry.label_da, f"{entry.area}, {entry.kind}")
    w.title(_w("title_groups", lang))
    w.header(*_head("head_groups", lang))
    for group in kb.target_groups.values():
        keys = ", ".join(p.consequence for p in group.profile)
        label = group.label_da if danish else group.label_en
        w.line(group.key, label, "", group.description, keys)
    w.title(_w("title_rules", lang))
    w.header(*_head("head_rules", lang))
    for rule in kb.rules.values():
        shares = ", ".join(f"{actor}={share:g}" for actor, share in rule.shares.items())
        w.line(rule.key, shares, "", rule.description)
    w.title(_w("title_wages", lang))
    w.header(*_head("head_wages", lang))
    for wage in kb.wages.values():
        w.line(wage.key, wage.label, wage.price_year, f"{wage.value:g}; {wage.source}")
    w.title(_w("title_effects", lang))
    w.header(*_head("head_effects", lang))
    for effect in kb.effects.values():
        what = f"{effect.intervention}; {effect.outcome}"
        w.line(effect.key, f"{effect.measure}, {effect.estimate:g}", effect.evidence_level, what)
    w.title(_w("title_presets", lang))
    w.header(*_head("head_presets", lang))
    for preset in kb.presets.values():
        w.line(
            preset.key, f"{preset.family}, cv {preset.cv:g}", preset.applies_to, preset.reasoning
        )
