"""The sheets and columns of a case workbook, defined once for the writer, the reader and Help.

A workbook has three kinds of sheet:

- *field sheets* (Case, Success, and the top of Intake): a header row ``field | value | help``
  and one row per field, the field's name in column A and its value in column B;
- *table sheets* (Costs, Resources, Consequences, Studies, the participants table of Intake):
  a header row of column names and one row per line of the case;
- Profiles (a consequence's key, then year 1, year 2, ...) and Correlation (one square block
  per correlation), which have their own shapes.

Names are those of the case file (docs/cases.md), so a column or field means what the TOML key
of the same name means.
"""

from __future__ import annotations

from dataclasses import dataclass

from som_mc.conventions import ACTORS, AREAS, CONSEQUENCE_KINDS, COST_TYPES
from som_mc.inputs.costs import KINDS as RESOURCE_KINDS
from som_mc.inputs.evidence import MEASURES, OUTCOMES
from som_mc.inputs.pooling import METHODS

__all__ = [
    "CASE",
    "CASE_FIELDS",
    "CONSEQUENCES",
    "CONSEQUENCE_COLUMNS",
    "CORRELATION",
    "CORRELATION_CORNER",
    "COSTS",
    "COST_COLUMNS",
    "FIELD_HEADER",
    "HELP",
    "INTAKE",
    "INTAKE_FIELDS",
    "NOTE",
    "PARTICIPANT_COLUMNS",
    "PROFILES",
    "REQUIRED_SHEETS",
    "RESOURCES",
    "RESOURCE_COLUMNS",
    "SHEETS",
    "STUDIES",
    "STUDY_COLUMNS",
    "SUCCESS",
    "SUCCESS_FIELDS",
    "Field",
    "year_header",
]

CASE, INTAKE, SUCCESS, COSTS, CONSEQUENCES = "Case", "Intake", "Success", "Costs", "Consequences"
PROFILES, CORRELATION, HELP = "Profiles", "Correlation", "Help"
RESOURCES, STUDIES = "Resources", "Studies"
#: Every sheet a case workbook may have, in the order the template writes them.
SHEETS: tuple[str, ...] = (
    CASE, INTAKE, SUCCESS, STUDIES, COSTS, RESOURCES, CONSEQUENCES, PROFILES, CORRELATION, HELP,
)  # fmt: skip
#: Sheets a workbook must have; Studies, Resources, Profiles and Correlation may be left out,
#: Help is never read.
REQUIRED_SHEETS: tuple[str, ...] = (CASE, INTAKE, SUCCESS, COSTS, CONSEQUENCES)

#: The header of a field sheet; the help column is for the reader of the sheet and is not read.
FIELD_HEADER: tuple[str, str, str] = ("field", "value", "help")
#: A column the reader skips in every table, for the analyst's own notes.
NOTE = "note"
#: The top-left cell of a correlation block.
CORRELATION_CORNER = "spearman"

_QUANTITY = "a number, or a distribution such as pert(min=1, mode=2, max=4) (see below)"
#: An actor with the Danish definite article, for the help texts.
_DEFINITE_DA = {"kommune": "kommunen", "region": "regionen", "stat": "staten"}


@dataclass(frozen=True)
class Field:
    """A field of a field sheet or a column of a table sheet.

    Attributes
    ----------
    name : str
        The field's name in column A, or the column's header.
    kind : str
        How a cell is read: ``text``, ``word`` (a key, trimmed), ``enum`` (one of ``choices``),
        ``whole``, ``number`` (a plain number), ``pair`` (``[lo, hi]``), ``quantity``, ``rate``
        (a quantity or ``fm2021``), ``bool``, ``years``, ``split``, ``tax`` (a rule's key,
        ``none`` or rates by actor), ``per_actor`` (numbers by actor) or ``note`` (not read).
    help : str
        What the field means, for the Help sheet and the help column.
    help_da : str
        The same in Danish, for the Help sheet and the help column of a Danish template.
    required : bool
        The case needs it: an empty cell is an error.
    choices : tuple of str
        The allowed values of an ``enum`` (a drop-down in the workbook).
    path : tuple of str
        Where the value goes in the case's dict, relative to its section; default ``(name,)``.
    width : int
        Column width in characters.
    """

    name: str
    kind: str
    help: str
    required: bool = False
    choices: tuple[str, ...] = ()
    path: tuple[str, ...] = ()
    width: int = 14
    help_da: str = ""

    @property
    def key_path(self) -> tuple[str, ...]:
        """Where the value goes in the case's dict."""
        return self.path or (self.name,)

    @property
    def allowed(self) -> str:
        """The allowed values in words, for Help and for error messages."""
        if self.kind == "enum":
            return ", ".join(self.choices)
        return {
            "text": "text",
            "word": "a key: a-z, 0-9 and _",
            "whole": "a whole number",
            "number": "a number",
            "pair": "two numbers in brackets: [0.06, 0.88]",
            "quantity": _QUANTITY,
            "rate": f"{_QUANTITY}, or fm2021",
            "bool": "TRUE or FALSE",
            "years": "whole numbers separated by commas: 1, 2, 3",
            "split": "a rule's name (refusion_110_within_cap) or shares: kommune=0.5, stat=0.5",
            "tax": "a tax key of the knowledge base (transfer_income_2025), none, or rates: "
            "kommune=0.25, stat=0.12",
            "per_actor": "numbers by actor: kommune=500",
            "note": "anything; not read",
        }[self.kind]


CASE_FIELDS: tuple[Field, ...] = (
    Field(
        "name",
        "text",
        "the case's name, shown on every result",
        required=True,
        help_da="casens navn, som vises på hvert resultat",
    ),
    Field("description", "text", "what the intervention is", help_da="hvad indsatsen er"),
    Field(
        "target_group",
        "word",
        "målgruppe: a target group of the knowledge base (see below); its profiles fill in "
        "consequence lines that give only a key",
        help_da="målgruppe: en målgruppe i vidensdatabasen (se nedenfor); dens "
        "konsekvensestimater udfylder de konsekvenslinjer, der kun angiver en nøgle",
    ),
    Field(
        "price_year",
        "whole",
        "the price year of every amount (1990-2100)",
        required=True,
        help_da="prisår: det år, alle beløb er i priser fra (1990-2100)",
    ),
    Field(
        "currency",
        "enum",
        "the currency of every amount",
        choices=("DKK",),
        help_da="valutaen for alle beløb",
    ),
    Field(
        "horizon",
        "whole",
        "years simulated (1-50); year 1 is the first year of the intervention",
        required=True,
        help_da="tidshorisont: antal år, der beregnes (1-50); år 1 er indsatsens første år",
    ),
    Field(
        "discount_rate",
        "rate",
        "a year, in [0, 1]; fm2021 is the Finance Ministry's schedule (3.5 % for years 1-35, "
        "2.5 % after). Empty: 0, undiscounted like SØM",
        help_da="diskonteringsrente pr. år, i [0, 1]; fm2021 er Finansministeriets forløb "
        "(3,5 % i år 1-35, 2,5 % derefter). Tom: 0, udiskonteret som i SØM",
    ),
    Field(
        "lang",
        "enum",
        "the language of the console summary and the report (da or en); the command's --lang "
        "wins. Empty: English on the console, Danish in the report",
        choices=("da", "en"),
        help_da="sproget i konsollens opsummering og i rapporten (da eller en); kommandoens "
        "--lang går forud. Tom: engelsk i konsollen, dansk i rapporten",
    ),
)

INTAKE_FIELDS: tuple[Field, ...] = (
    Field(
        "course_years",
        "whole",
        "forløbslængde: those who start in year s complete in year s + course_years - 1. Empty: 1",
        help_da="forløbslængde: de, der starter i år s, gennemfører i år s + course_years - 1. "
        "Tom: 1",
    ),
    Field(
        "dropout",
        "quantity",
        "share of starters who do not complete, in [0, 1]; they still cost what a participant "
        "costs. Empty: 0",
        help_da="frafald: andelen af de startende, der ikke gennemfører, i [0, 1]; de koster "
        "stadig, hvad en deltager koster. Tom: 0",
    ),
)

PARTICIPANT_COLUMNS: tuple[Field, ...] = (
    Field(
        "start_year",
        "whole",
        "the year they start: 1, 2, 3 ... in order, one row per year (empty: the next year)",
        help_da="det år, de starter: 1, 2, 3 ... i rækkefølge, én række pr. år (tom: året efter "
        "rækken ovenfor)",
    ),
    Field(
        "participants",
        "quantity",
        "deltagere: the number who start that year (>= 0)",
        required=True,
        width=36,
        help_da="deltagere: antallet, der starter det år (>= 0)",
    ),
    Field(
        NOTE, "note", "your own notes; not read", width=40, help_da="dine egne noter; læses ikke"
    ),
)

SUCCESS_FIELDS: tuple[Field, ...] = (
    Field(
        "rate",
        "quantity",
        "succesrate: share of completers who reach the goal, net of deadweight, in [0, 1]. "
        "Give rate, or gross_rate and deadweight",
        help_da="succesrate: andelen af dem, der gennemfører, som når målet, fratrukket dødvægt, "
        "i [0, 1]. Angiv rate, eller gross_rate og deadweight",
    ),
    Field(
        "gross_rate",
        "quantity",
        "the rate before deadweight, in [0, 1]",
        help_da="succesraten før fradrag af dødvægt, i [0, 1]",
    ),
    Field(
        "deadweight",
        "quantity",
        "dødvægt: the share who would reach the goal anyway, in [0, 1]; the rate is then "
        "max(gross_rate - deadweight, 0)",
        help_da="dødvægt: andelen, der ville nå målet alligevel, i [0, 1]; succesraten er da "
        "max(gross_rate - deadweight, 0)",
    ),
    Field(
        "persistence",
        "quantity",
        "annual share of successes still successful a year later, in [0, 1]. Empty: 1 (SØM)",
        help_da="fastholdelse: den andel af succeserne, der stadig er en succes et år senere, "
        "i [0, 1]. Tom: 1 (som i SØM)",
    ),
    Field(
        "transfer",
        "quantity",
        "transferability factor (>= 0): the net rate is multiplied by it in each draw, capped "
        "at 1, for a study's effect moved to another setting",
        help_da="overførbarhedsfaktor (>= 0): nettoraten ganges med den i hvert træk, højst 1, "
        "når en undersøgelses effekt flyttes til en anden kontekst",
    ),
    Field(
        "applies_to",
        "enum",
        "whom the rate is a share of: completers (those who drop out never succeed) or starters "
        "(an intention-to-treat effect: dropout is not removed again). Empty: completers",
        choices=("completers", "starters"),
        help_da="hvem raten er en andel af: completers (de der falder fra, får aldrig succes) "
        "eller starters (en intention-to-treat-effekt: frafald trækkes ikke fra igen). Tom: "
        "completers",
    ),
    *(
        Field(
            f"observed_{key}",
            "whole",
            f"an observed cohort (som-mc update writes it): {text}",
            path=("observed", key),
            help_da=f"en observeret kohorte (som-mc update skriver den): {text_da}",
        )
        for key, text, text_da in (
            ("cohort", "its start year. Empty: 1", "dens startår. Tom: 1"),
            ("completers", "how many of it completed", "hvor mange af den der gennemførte"),
            (
                "successes",
                "how many of those reached the goal",
                "hvor mange af dem der nåede målet",
            ),
        )
    ),
    Field(
        "effect_study",
        "word",
        "instead of rate: an effect study of the knowledge base whose effect size gives the "
        "rate (with effect_baseline and effect_outcome); or give effect_measure, "
        "effect_estimate and effect_se or effect_ci95; or list studies to pool on the Studies "
        "sheet",
        path=("effect", "study"),
        help_da="i stedet for rate: en effektundersøgelse i vidensdatabasen, hvis effektstørrelse "
        "giver raten (med effect_baseline og effect_outcome); eller angiv effect_measure, "
        "effect_estimate og effect_se eller effect_ci95; eller list undersøgelser til en "
        "metaanalyse på arket Studies",
    ),
    Field(
        "effect_measure",
        "enum",
        "the effect's measure",
        choices=tuple(MEASURES),
        path=("effect", "measure"),
        help_da="effektens mål",
    ),
    Field(
        "effect_estimate",
        "number",
        "the study's estimate (an odds or risk ratio, or an SMD)",
        path=("effect", "estimate"),
        help_da="undersøgelsens estimat (en odds- eller risk-ratio eller en SMD)",
    ),
    Field(
        "effect_se",
        "number",
        "its standard error (of ln OR, ln RR or the SMD)",
        path=("effect", "se"),
        help_da="dens standardfejl (på ln OR, ln RR eller SMD)",
    ),
    Field(
        "effect_ci95",
        "pair",
        "or its 95 % confidence interval",
        path=("effect", "ci95"),
        help_da="eller dens 95 %-konfidensinterval",
    ),
    Field(
        "effect_baseline",
        "number",
        "the rate without the intervention, in (0, 1)",
        path=("effect", "baseline"),
        help_da="raten uden indsatsen, i (0, 1)",
    ),
    Field(
        "effect_outcome",
        "enum",
        "whether the study's event is adverse (fewer is better) or desirable",
        choices=OUTCOMES,
        path=("effect", "outcome"),
        help_da="om undersøgelsens hændelse er uønsket (færre er bedre) eller ønsket",
    ),
    Field(
        "effect_use",
        "enum",
        "a pool's distribution of the rate: prediction (a new setting, the default) or mean",
        choices=("prediction", "mean"),
        path=("effect", "use"),
        help_da="metaanalysens fordeling af raten: prediction (en ny kontekst, standard) eller "
        "mean",
    ),
    Field(
        "effect_method",
        "enum",
        "a pool's estimator of the heterogeneity tau^2. Empty: REML",
        choices=METHODS,
        path=("effect", "method"),
        help_da="metaanalysens estimator af heterogeniteten tau^2. Tom: REML",
    ),
    Field(
        "effect_hartung_knapp",
        "bool",
        "TRUE: a pool's intervals by Hartung-Knapp (t with k - 1 degrees of freedom)",
        path=("effect", "hartung_knapp"),
        help_da="TRUE: metaanalysens intervaller efter Hartung-Knapp (t med k - 1 frihedsgrader)",
    ),
    Field(
        "effect_evidence",
        "bool",
        "TRUE: widen and adjust each pooled study by its evidence level "
        "(knowledge/evidence_levels.toml)",
        path=("effect", "evidence"),
        help_da="TRUE: hver undersøgelse i metaanalysen udvides og justeres efter sit "
        "evidensniveau (knowledge/evidence_levels.toml)",
    ),
    Field(
        "effect_note",
        "text",
        "a note kept with the effect",
        path=("effect", "note"),
        help_da="en note, der gemmes med effekten",
    ),
    Field("source", "text", "where the rate comes from", help_da="hvor succesraten kommer fra"),
    Field(
        "illustrative",
        "bool",
        "TRUE if no public source backs the rate",
        help_da="TRUE, hvis ingen offentlig kilde står bag succesraten",
    ),
)

#: The studies of a pooled effect (``[success] effect = { pool = [...] }``), one row each.
STUDY_COLUMNS: tuple[Field, ...] = (
    Field(
        "key",
        "word",
        "an effect study of the knowledge base (som-mc knowledge list effects); a row with a "
        "key gives nothing else. Or leave it empty and give the study's numbers",
        width=36,
        help_da="en effektundersøgelse i vidensdatabasen (som-mc knowledge list effects); en række "
        "med en nøgle angiver intet andet. Eller lad den stå tom og angiv undersøgelsens tal",
    ),
    Field("label", "text", "the study's name", width=24, help_da="undersøgelsens navn"),
    Field(
        "measure",
        "enum",
        "the effect's measure",
        choices=tuple(MEASURES),
        width=13,
        help_da="effektens mål",
    ),
    Field(
        "estimate",
        "number",
        "the estimate (an odds or risk ratio, or an SMD)",
        help_da="estimatet (en odds- eller risk-ratio eller en SMD)",
    ),
    Field(
        "se",
        "number",
        "its standard error (of ln OR, ln RR or the SMD)",
        help_da="dens standardfejl (på ln OR, ln RR eller SMD)",
    ),
    Field(
        "ci95",
        "pair",
        "or its 95 % confidence interval",
        width=18,
        help_da="eller dens 95 %-konfidensinterval",
    ),
    Field(
        "evidence_level",
        "whole",
        "1, 2 or 3 (docs/evidence.md); used when effect_evidence is TRUE",
        help_da="1, 2 eller 3 (docs/evidence.md); bruges når effect_evidence er TRUE",
    ),
    Field(
        NOTE, "note", "your own notes; not read", width=30, help_da="dine egne noter; læses ikke"
    ),
)

COST_COLUMNS: tuple[Field, ...] = (
    Field(
        "label",
        "text",
        "e.g. CTI team; names the input cost.<label>.amount",
        True,
        width=28,
        help_da="fx CTI-team; navngiver input cost.<label>.amount",
    ),
    Field(
        "type",
        "enum",
        "startup: once (year 1 unless years says otherwise); operating: every year someone is "
        "in a course; per_participant: per starter, in the year they start; "
        "per_participant_year: per participant for each year of their course",
        True,
        COST_TYPES,
        width=22,
        help_da="startup: opstart, én gang (år 1, medmindre years siger andet); operating: drift, "
        "hvert år nogen er i et forløb; per_participant: pr. deltager, der starter, i startåret; "
        "per_participant_year: pr. deltager for hvert år af forløbet",
    ),
    Field(
        "amount",
        "quantity",
        "DKK in the price year; negative for a saving (the business-as-usual alternative)",
        True,
        width=36,
        help_da="kr. i prisåret; negativ for en besparelse (basisalternativet)",
    ),
    Field(
        "actor",
        "enum",
        "who pays. Empty: kommune",
        choices=ACTORS,
        width=12,
        help_da="aktøren, der betaler (kommune, region eller stat). Tom: kommune",
    ),
    Field(
        "years",
        "years",
        "limit the line to these years of the horizon. Empty: all",
        width=12,
        help_da="begræns linjen til disse år af tidshorisonten. Tom: alle",
    ),
    Field(
        "source", "text", "where the number comes from", width=40, help_da="hvor tallet kommer fra"
    ),
    Field(
        "illustrative",
        "bool",
        "TRUE if no public source backs the number",
        width=12,
        help_da="TRUE, hvis ingen offentlig kilde står bag tallet",
    ),
    Field(
        NOTE, "note", "your own notes; not read", width=30, help_da="dine egne noter; læses ikke"
    ),
)

#: ``[[resource]]`` lines: the cost built from the resources used (docs/cases.md).
RESOURCE_COLUMNS: tuple[Field, ...] = (
    Field(
        "label",
        "text",
        "e.g. Social worker; names the inputs cost.<label>.hours, .wage, ...",
        True,
        width=24,
        help_da="fx Socialrådgiver; navngiver input cost.<label>.hours, .wage, ...",
    ),
    Field(
        "kind",
        "enum",
        "staff: a staff type's time; material: per participant, participant and year, or year; "
        "setup and training: one-off; alternative: what participants would otherwise receive "
        "(a saving)",
        True,
        tuple(RESOURCE_KINDS),
        width=13,
        help_da="staff: en personalegruppes tid; material: pr. deltager, deltager og år eller "
        "år; setup og training: engangsudgift; alternative: hvad deltagerne ellers ville få "
        "(en besparelse)",
    ),
    Field(
        "staff",
        "word",
        "staff: a staff type of knowledge/wages.toml, whose wage is used (instead of wage)",
        width=20,
        help_da="staff: en personalegruppe i knowledge/wages.toml, hvis løn bruges (i stedet "
        "for wage)",
    ),
    Field(
        "wage",
        "quantity",
        "staff: DKK per worked hour",
        width=22,
        help_da="staff: kr. pr. arbejdstime",
    ),
    Field(
        "hours",
        "quantity",
        "staff: hours per participant (or per participant and year, by per)",
        width=22,
        help_da="staff: timer pr. deltager (eller pr. deltager og år, efter per)",
    ),
    Field(
        "per",
        "enum",
        "what hours or amount is per. Empty: participant",
        choices=("participant", "participant_year", "year"),
        width=16,
        help_da="hvad hours eller amount er pr. Tom: participant",
    ),
    Field(
        "caseload",
        "quantity",
        "staff, instead of hours: participants per full-time worker at a time (> 0)",
        width=22,
        help_da="staff, i stedet for hours: deltagere pr. fuldtidsansat ad gangen (> 0)",
    ),
    Field(
        "fte_hours",
        "quantity",
        "staff, with caseload: the hours a full-time worker works a year",
        width=14,
        help_da="staff, med caseload: de timer en fuldtidsansat arbejder om året",
    ),
    Field(
        "overhead",
        "quantity",
        "staff: management, premises, IT as a share of the wage cost",
        width=22,
        help_da="staff: ledelse, lokaler, IT som andel af lønomkostningen",
    ),
    Field(
        "amount",
        "quantity",
        "material, setup, training, alternative: DKK in the price year",
        width=22,
        help_da="material, setup, training, alternative: kr. i prisåret",
    ),
    Field(
        "actor",
        "enum",
        "who pays. Empty: kommune",
        choices=ACTORS,
        width=12,
        help_da="hvem betaler. Tom: kommune",
    ),
    Field(
        "years",
        "years",
        "limit the line to these years of the horizon. Empty: all",
        width=12,
        help_da="begræns linjen til disse år af tidshorisonten. Tom: alle",
    ),
    Field(
        "source", "text", "where the numbers come from", width=36, help_da="hvor tallene kommer fra"
    ),
    Field(
        "illustrative",
        "bool",
        "TRUE if no public source backs the numbers",
        width=12,
        help_da="TRUE hvis ingen offentlig kilde støtter tallene",
    ),
    # A resource's note is a key of the case file, so it is read and kept (not skipped).
    Field(
        "note",
        "text",
        "a note kept with the resource",
        width=30,
        help_da="en note, der gemmes med ressourcen",
    ),
)

CONSEQUENCE_COLUMNS: tuple[Field, ...] = (
    Field(
        "key",
        "word",
        "a consequence of the knowledge base (see below), which fills in every other column "
        "left empty; or your own key (a-z, 0-9, _), and then unit, area, kind, a profile and "
        "a price are needed",
        True,
        width=30,
        help_da="en konsekvens i vidensdatabasen (se nedenfor), som udfylder hver anden kolonne, "
        "der står tom; eller din egen nøgle (a-z, 0-9, _), og så skal unit, area, kind, et "
        "konsekvensestimat og en enhedspris angives",
    ),
    Field("label", "text", "a readable name", width=24, help_da="et læsbart navn"),
    Field(
        "unit",
        "text",
        "the unit of the profile: days, weeks, person-years, ...",
        width=12,
        help_da="konsekvensestimatets enhed: døgn, uger, helårspersoner, ...",
    ),
    Field(
        "area",
        "enum",
        "SØM's area",
        choices=tuple(AREAS),
        width=13,
        help_da="SØM's område (se nedenfor)",
    ),
    Field(
        "kind",
        "enum",
        "expenditure: more units cost the public purse; revenue: more units earn it",
        choices=CONSEQUENCE_KINDS,
        width=13,
        help_da="expenditure: flere enheder koster det offentlige; revenue: flere enheder giver "
        "det offentlige en indtægt (fx indkomstskat)",
    ),
    Field(
        "scale",
        "quantity",
        "multiplies the whole profile (an uncertain effect size)",
        width=24,
        help_da="ganger hele konsekvensestimatet (en usikker effektstørrelse)",
    ),
    Field(
        "members",
        "quantity",
        "a consequence for the family: household members affected per successful citizen "
        "(the profile is per member)",
        width=18,
        help_da="en konsekvens for familien: berørte husstandsmedlemmer pr. borger med succes "
        "(profilen er pr. medlem)",
    ),
    Field(
        "extrapolate",
        "bool",
        "FALSE keeps the line out of the case's extrapolation rule. Empty: TRUE",
        width=12,
        help_da="FALSE holder linjen uden for casens fremskrivningsregel. Tom: TRUE",
    ),
    Field(
        "max_years",
        "whole",
        "nothing after this many years from success (a benefit's maximum duration)",
        width=12,
        help_da="intet efter så mange år fra succes (en ydelses maksimale varighed)",
    ),
    Field(
        "unit_price",
        "quantity",
        "the whole public cost of one unit, divided between the actors by split",
        width=28,
        help_da="enhedspris: hele den offentlige udgift til én enhed, fordelt mellem aktørerne "
        "efter split",
    ),
    Field(
        "split",
        "split",
        "the actors' shares of unit_price",
        width=26,
        help_da="aktørernes andele af unit_price (en refusionsregel eller andele)",
    ),
    Field(
        "cap",
        "per_actor",
        "caps per unit on actors' shares of a split price (co-financing up to DKK x per unit), "
        "in the price year; the excess falls to the uncapped actors",
        width=18,
        help_da="lofter pr. enhed over aktørernes andele af en fordelt pris (medfinansiering op "
        "til x kr. pr. enhed) i prisåret; det overskydende falder på aktørerne uden loft",
    ),
    Field(
        "tax",
        "tax",
        "income tax the public purse gets back on each krone of a taxable transfer; a "
        "catalogued transfer takes its rates from the knowledge base; none: the price is net",
        width=22,
        help_da="indkomstskat det offentlige får tilbage af hver krone af en skattepligtig "
        "overførsel; en overførsel i kataloget får satserne fra vidensdatabasen; none: prisen "
        "er netto",
    ),
    *(
        Field(
            f"price_{actor}",
            "quantity",
            f"enhedspris: the price of one unit to the {actor}, net of reimbursements "
            "(instead of unit_price and split)",
            path=("price", actor),
            width=18,
            help_da=f"enhedspris: prisen på én enhed for {_DEFINITE_DA.get(actor, actor)}, "
            "efter refusioner mellem aktørerne (i stedet for unit_price og split)",
        )
        for actor in ACTORS
    ),
    Field(
        "price_variant",
        "word",
        "one of several knowledge-base prices (som-mc knowledge show KEY lists them)",
        width=16,
        help_da="én af flere priser i vidensdatabasen (som-mc knowledge show KEY viser dem)",
    ),
    Field(
        "price_preset",
        "word",
        "another uncertainty preset for the knowledge-base price, e.g. price_low",
        width=14,
        help_da="en anden forudindstillet usikkerhed (preset) for vidensdatabasens pris, fx "
        "price_low",
    ),
    Field(
        "source", "text", "where the numbers come from", width=36, help_da="hvor tallene kommer fra"
    ),
    Field(
        "illustrative",
        "bool",
        "TRUE if no public source backs the numbers",
        width=12,
        help_da="TRUE, hvis ingen offentlig kilde står bag tallene",
    ),
    Field(
        NOTE, "note", "your own notes; not read", width=30, help_da="dine egne noter; læses ikke"
    ),
)


def year_header(year: int) -> str:
    """The header of a profile column: ``year 1``, ``year 2``, ..."""
    return f"year {year}"
