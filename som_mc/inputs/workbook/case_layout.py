"""The sheets and columns of a case workbook, defined once for the writer, the reader and Help.

A workbook has three kinds of sheet:

- *field sheets* (Case, Success, and the top of Intake): a header row ``field | value | help``
  and one row per field, the field's name in column A and its value in column B;
- *table sheets* (Costs, Consequences, the participants table of Intake): a header row of
  column names and one row per line of the case;
- Profiles (a consequence's key, then year 1, year 2, ...) and Correlation (one square block
  per correlation), which have their own shapes.

Names are those of the case file (docs/cases.md), so a column or field means what the TOML key
of the same name means.
"""

from __future__ import annotations

from dataclasses import dataclass

from som_mc.conventions import ACTORS, AREAS, CONSEQUENCE_KINDS, COST_TYPES

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
    "SHEETS",
    "SUCCESS",
    "SUCCESS_FIELDS",
    "Field",
    "year_header",
]

CASE, INTAKE, SUCCESS, COSTS, CONSEQUENCES = "Case", "Intake", "Success", "Costs", "Consequences"
PROFILES, CORRELATION, HELP = "Profiles", "Correlation", "Help"
#: Every sheet a case workbook may have, in the order the template writes them.
SHEETS: tuple[str, ...] = (
    CASE, INTAKE, SUCCESS, COSTS, CONSEQUENCES, PROFILES, CORRELATION, HELP,
)  # fmt: skip
#: Sheets a workbook must have; Profiles and Correlation may be left out, Help is never read.
REQUIRED_SHEETS: tuple[str, ...] = (CASE, INTAKE, SUCCESS, COSTS, CONSEQUENCES)

#: The header of a field sheet; the help column is for the reader of the sheet and is not read.
FIELD_HEADER: tuple[str, str, str] = ("field", "value", "help")
#: A column the reader skips in every table, for the analyst's own notes.
NOTE = "note"
#: The top-left cell of a correlation block.
CORRELATION_CORNER = "spearman"

_QUANTITY = "a number, or a distribution such as pert(min=1, mode=2, max=4) (see below)"


@dataclass(frozen=True)
class Field:
    """A field of a field sheet or a column of a table sheet.

    Attributes
    ----------
    name : str
        The field's name in column A, or the column's header.
    kind : str
        How a cell is read: ``text``, ``word`` (a key, trimmed), ``enum`` (one of ``choices``),
        ``whole``, ``quantity``, ``rate`` (a quantity or ``fm2021``), ``bool``, ``years``,
        ``split`` or ``note`` (not read).
    help : str
        What the field means, for the Help sheet and the help column.
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
            "quantity": _QUANTITY,
            "rate": f"{_QUANTITY}, or fm2021",
            "bool": "TRUE or FALSE",
            "years": "whole numbers separated by commas: 1, 2, 3",
            "split": "a rule's name (refusion_110_within_cap) or shares: kommune=0.5, stat=0.5",
            "note": "anything; not read",
        }[self.kind]


CASE_FIELDS: tuple[Field, ...] = (
    Field("name", "text", "the case's name, shown on every result", required=True),
    Field("description", "text", "what the intervention is"),
    Field(
        "target_group",
        "word",
        "målgruppe: a target group of the knowledge base (see below); its profiles fill in "
        "consequence lines that give only a key",
    ),
    Field("price_year", "whole", "the price year of every amount (1990-2100)", required=True),
    Field("currency", "enum", "the currency of every amount", choices=("DKK",)),
    Field(
        "horizon",
        "whole",
        "years simulated (1-50); year 1 is the first year of the intervention",
        required=True,
    ),
    Field(
        "discount_rate",
        "rate",
        "a year, in [0, 1]; fm2021 is the Finance Ministry's schedule (3.5 % for years 1-35, "
        "2.5 % after). Empty: 0, undiscounted like SØM",
    ),
)

INTAKE_FIELDS: tuple[Field, ...] = (
    Field(
        "course_years",
        "whole",
        "forløbslængde: those who start in year s complete in year s + course_years - 1. Empty: 1",
    ),
    Field(
        "dropout",
        "quantity",
        "share of starters who do not complete, in [0, 1]; they still cost what a participant "
        "costs. Empty: 0",
    ),
)

PARTICIPANT_COLUMNS: tuple[Field, ...] = (
    Field(
        "start_year",
        "whole",
        "the year they start: 1, 2, 3 ... in order, one row per year (empty: the next year)",
    ),
    Field(
        "participants",
        "quantity",
        "deltagere: the number who start that year (>= 0)",
        required=True,
        width=36,
    ),
    Field(NOTE, "note", "your own notes; not read", width=40),
)

SUCCESS_FIELDS: tuple[Field, ...] = (
    Field(
        "rate",
        "quantity",
        "succesrate: share of completers who reach the goal, net of deadweight, in [0, 1]. "
        "Give rate, or gross_rate and deadweight",
    ),
    Field("gross_rate", "quantity", "the rate before deadweight, in [0, 1]"),
    Field(
        "deadweight",
        "quantity",
        "dødvægt: the share who would reach the goal anyway, in [0, 1]; the rate is then "
        "max(gross_rate - deadweight, 0)",
    ),
    Field(
        "persistence",
        "quantity",
        "annual share of successes still successful a year later, in [0, 1]. Empty: 1 (SØM)",
    ),
    Field("source", "text", "where the rate comes from"),
    Field("illustrative", "bool", "TRUE if no public source backs the rate"),
)

COST_COLUMNS: tuple[Field, ...] = (
    Field("label", "text", "e.g. CTI team; names the input cost.<label>.amount", True, width=28),
    Field(
        "type",
        "enum",
        "startup: once (year 1 unless years says otherwise); operating: every year someone is "
        "in a course; per_participant: per starter, in the year they start; "
        "per_participant_year: per participant for each year of their course",
        True,
        COST_TYPES,
        width=22,
    ),
    Field(
        "amount",
        "quantity",
        "DKK in the price year; negative for a saving (the business-as-usual alternative)",
        True,
        width=36,
    ),
    Field("actor", "enum", "who pays. Empty: kommune", choices=ACTORS, width=12),
    Field("years", "years", "limit the line to these years of the horizon. Empty: all", width=12),
    Field("source", "text", "where the number comes from", width=40),
    Field("illustrative", "bool", "TRUE if no public source backs the number", width=12),
    Field(NOTE, "note", "your own notes; not read", width=30),
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
    ),
    Field("label", "text", "a readable name", width=24),
    Field("unit", "text", "the unit of the profile: days, weeks, person-years, ...", width=12),
    Field("area", "enum", "SØM's area", choices=tuple(AREAS), width=13),
    Field(
        "kind",
        "enum",
        "expenditure: more units cost the public purse; revenue: more units earn it",
        choices=CONSEQUENCE_KINDS,
        width=13,
    ),
    Field("scale", "quantity", "multiplies the whole profile (an uncertain effect size)", width=24),
    Field(
        "unit_price",
        "quantity",
        "the whole public cost of one unit, divided between the actors by split",
        width=28,
    ),
    Field("split", "split", "the actors' shares of unit_price", width=26),
    *(
        Field(
            f"price_{actor}",
            "quantity",
            f"enhedspris: the price of one unit to the {actor}, net of reimbursements "
            "(instead of unit_price and split)",
            path=("price", actor),
            width=18,
        )
        for actor in ACTORS
    ),
    Field(
        "price_variant",
        "word",
        "one of several knowledge-base prices (som-mc knowledge show KEY lists them)",
        width=16,
    ),
    Field(
        "price_preset",
        "word",
        "another uncertainty preset for the knowledge-base price, e.g. price_low",
        width=14,
    ),
    Field("source", "text", "where the numbers come from", width=36),
    Field("illustrative", "bool", "TRUE if no public source backs the numbers", width=12),
    Field(NOTE, "note", "your own notes; not read", width=30),
)


def year_header(year: int) -> str:
    """The header of a profile column: ``year 1``, ``year 2``, ..."""
    return f"year {year}"
