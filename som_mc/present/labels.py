"""User-facing names in Danish or English: consequences (from the knowledge base's ``label_da`` /
``label_en``), areas, target groups, distributions and the knowledge notes of a case.

A case's own ``label`` for a consequence is the user's text and is kept as it is; a label the
case took from the catalogue (the English one, see ``inputs/case/resolve.py``) is shown in the
report's language.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from som_mc.inputs.knowledge.base import Knowledge, load_knowledge
from som_mc.present.locale import LANGUAGES, format_number

__all__ = [
    "area_name",
    "consequence_name",
    "consequence_names",
    "describe",
    "illustrative_items",
    "input_name",
    "target_group_name",
    "translate_note",
]

# SØM's five areas (knowledge/consequences.toml's section headings).
_AREAS: dict[str, tuple[str, str]] = {
    "employment": ("employment", "beskæftigelse"),
    "education": ("education", "uddannelse"),
    "social": ("social", "socialområdet"),
    "health": ("health", "sundhed"),
    "crime": ("crime", "kriminalitet"),
}


def _column(lang: str) -> int:
    return LANGUAGES.index(lang) if lang in LANGUAGES else 0


def _kb(kb: Knowledge | None) -> Knowledge:
    return kb if kb is not None else load_knowledge()


def consequence_name(
    key: str, given: str = "", lang: str = "en", kb: Knowledge | None = None
) -> str:
    """The name of consequence ``key`` in ``lang``.

    ``given`` is the label the case carries: when it is empty or one of the catalogue's two
    labels, the catalogue's label in ``lang`` is used; otherwise the case's own text.

    Examples
    --------
    >>> consequence_name("shelter_days", "Days in a shelter (SEL § 110)", "da")
    'Døgn på herberg eller forsorgshjem (SEL § 110)'
    >>> consequence_name("own_line", "Min egen linje", "en")
    'Min egen linje'
    """
    entry = _kb(kb).consequences.get(str(key))
    if entry is not None and given in ("", entry.label_en, entry.label_da):
        return (entry.label_en, entry.label_da)[_column(lang)]
    return given or str(key).replace("_", " ")


def consequence_names(
    keys: Iterable[str], given: Iterable[str] | None, lang: str, kb: Knowledge | None = None
) -> list[str]:
    """:func:`consequence_name` for several keys (``given`` in the same order, or None)."""
    keys = [str(k) for k in keys]
    labels = [str(g) for g in given] if given is not None else [""] * len(keys)
    return [consequence_name(k, g, lang, kb) for k, g in zip(keys, labels, strict=True)]


def area_name(area: str, lang: str) -> str:
    """SØM's area in ``lang`` (``social`` → ``socialområdet``)."""
    return _AREAS[area][_column(lang)] if area in _AREAS else str(area)


def target_group_name(key: str, lang: str, kb: Knowledge | None = None) -> str:
    """A target group's label from the knowledge base in ``lang``; the key if unknown."""
    group = _kb(kb).target_groups.get(str(key))
    if group is None:
        return str(key)
    return (group.label_en, group.label_da)[_column(lang)]


_NUMBER = re.compile(r"(?<![\w.])(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)(?![\w.])")


def describe(text: str, lang: str) -> str:
    """A distribution's description (``Beta(alpha=108.372, beta=150.02)``) with Danish
    decimal commas (``Beta(alpha=108,372; beta=150,02)``) in Danish.

    Examples
    --------
    >>> describe("Uniform(min=20000.5, max=65000)", "da")
    'Uniform(min=20000,5; max=65000)'
    """
    if _column(lang) == 0:
        return text
    text = text.replace(", ", "; ")
    return _NUMBER.sub(lambda m: m[1].replace(".", ","), text)


# The notes written by inputs/case/resolve.py, in Danish. The knowledge base's own free text
# (a profile's reasoning, a rule's description, a source) is quoted as it stands there.
_UNIT_PRICE = re.compile(
    r"^(?P<key>\w+): unit price(?: \((?P<variant>[^)]*)\))? (?P<value>[\d,]+\.\d+) DKK per unit "
    r"\((?P<unit>[^)]*)\), (?P<moved>.*?), confidence (?P<conf>\w+), (?P<how>.*?); "
    r"figures (?P<figures>.*?); source (?P<rest>.*)$",
    re.S,
)
_MOVED = re.compile(r"^(\d{4}) prices moved to (\d{4}) by (\S+) \(x([\d.]+)\)$")
_PROFILE = re.compile(
    r"^(?P<key>\w+): profile from target group (?P<group>\w+)"
    r"(?:, illustrative: (?P<why>.*)|; source: (?P<source>.*))$",
    re.S,
)
_SPLIT = re.compile(r"^(?P<key>\w+): split by rule (?P<rule>\w+): (?P<text>.*)$", re.S)
_LADDER = re.compile(
    r"^(?P<key>\w+): split by (?P<ladder>\w+) after (?P<weeks>\d+) weeks on support before the "
    r"year of success; the state's share in years 1, 2, \.\.\. after success: (?P<years>.*?) "
    r"\(the last holds on\)(?:; (?P<why>.*))?$",
    re.S,
)
_HIGH_COST = re.compile(
    r"^(?P<key>\w+): the state's high-cost refund (?P<name>\w+) applies to the kommune's part "
    r"of a year \((?P<tiers>.*?), (?P<year>\d{4}) prices\): (?P<text>.*)$",
    re.S,
)
_TAXED = re.compile(
    r"^(?P<key>\w+): a taxable transfer, priced net of the income tax the public purse gets "
    r"back \((?P<tax>\w+): (?P<rates>.*?) of the gross price\)$",
    re.S,
)
_EN_AMOUNT = re.compile(r"(\d[\d,]*(?:\.\d+)?)(%| DKK)")
_UNITS_DA = {
    "days": "døgn", "weeks": "uger", "months": "måneder", "years": "år", "hours": "timer",
    "visits": "besøg", "admissions": "indlæggelser", "contacts": "kontakter",
    "convictions": "domme", "DKK": "kr.",
}  # fmt: skip
_CONFIDENCE_DA = {"high": "høj", "medium": "middel", "low": "lav"}


def _en_number(text: str) -> float:
    return float(text.replace(",", ""))


def translate_note(note: str, lang: str, kb: Knowledge | None = None) -> str:
    """A knowledge note of a case (``Case.notes``) in ``lang``: the frame som-mc writes is
    translated, consequence keys become their names, numbers follow the language; text
    quoted from the knowledge base stays as written there. A note of another form comes back
    as it is.

    Examples
    --------
    >>> translate_note("shelter_days: split by rule kommune_only: The kommune pays", "da")[-57:]
    '110): fordelt efter reglen kommune_only: The kommune pays'
    """
    if _column(lang) == 0:
        return note
    kb = _kb(kb)
    if m := _UNIT_PRICE.match(note):
        name = consequence_name(m["key"], "", lang, kb)
        variant = f" ({m['variant']})" if m["variant"] else ""
        value = format_number(_en_number(m["value"]), lang, 2)
        unit = _UNITS_DA.get(m["unit"], m["unit"])
        if mv := _MOVED.match(m["moved"]):
            factor = format_number(float(mv[4]), lang, 4)
            moved = f"{mv[1]}-priser fremskrevet til {mv[2]} med {mv[3]} (x{factor})"
        else:
            moved = m["moved"].replace(" prices", "-priser")
        how = m["how"]
        how = (
            "ligefordelt over kildens interval"
            if how == "uniform over the source's range"
            else how.replace("preset ", "forudindstilling ")
        )
        rest = m["rest"].replace("; assumed price year: ", "; antaget prisår: ")
        conf = _CONFIDENCE_DA.get(m["conf"], m["conf"])
        return (
            f"{name}: enhedspris{variant} {value} kr. pr. enhed ({unit}), {moved}, sikkerhed "
            f"{conf}, {how}; tal {m['figures']}; kilde {rest}"
        )
    if m := _PROFILE.match(note):
        name = consequence_name(m["key"], "", lang, kb)
        group = target_group_name(m["group"], lang, kb)
        if m["why"] is not None:
            return f"{name}: profil fra målgruppen {group}, illustrativ: {m['why']}"
        return f"{name}: profil fra målgruppen {group}; kilde: {m['source']}"
    if m := _SPLIT.match(note):
        name = consequence_name(m["key"], "", lang, kb)
        return f"{name}: fordelt efter reglen {m['rule']}: {m['text']}"
    return _translate_refund_note(note, lang, kb)


def _amounts_da(text: str) -> str:
    """English amounts and shares (``916,760 DKK``, ``38.08%``) written the Danish way."""

    def one(m: re.Match) -> str:
        value = _en_number(m[1])
        decimals = len(m[1].partition(".")[2])
        unit = " %" if m[2] == "%" else " kr."
        return format_number(value, "da", decimals) + unit

    return _EN_AMOUNT.sub(one, text)


def _translate_refund_note(note: str, lang: str, kb: Knowledge) -> str:
    """The notes on a ladder's shares, a high-cost refund and a taxed transfer, in Danish."""
    if m := _LADDER.match(note):
        name = consequence_name(m["key"], "", lang, kb)
        why = f"; {m['why']}" if m["why"] else ""
        return (
            f"{name}: fordelt efter {m['ladder']} efter {m['weeks']} uger på offentlig "
            f"forsørgelse før succesåret; statens andel i år 1, 2, ... efter succes: "
            f"{_amounts_da(m['years'])} (den sidste gælder derefter){why}"
        )
    if m := _HIGH_COST.match(note):
        name = consequence_name(m["key"], "", lang, kb)
        tiers = _amounts_da(m["tiers"]).replace(" above ", " over ")
        return (
            f"{name}: statens refusion af dyre enkeltsager {m['name']} gælder kommunens del af "
            f"et år ({tiers}; {m['year']}-priser): {m['text']}"
        )
    if m := _TAXED.match(note):
        name = consequence_name(m["key"], "", lang, kb)
        return (
            f"{name}: en skattepligtig overførsel, prissat efter den indkomstskat, det "
            f"offentlige får tilbage ({m['tax']}: {_amounts_da(m['rates'])} af bruttoprisen)"
        )
    return note


_ITEMS_DA = {"cost": "omkostning", "consequence": "konsekvens", "subgroup": "undergruppe"}
_WHOLE_DA = {"success": "succesrate", "extrapolation": "fremskrivning"}


def illustrative_items(items: str, lang: str, kb: Knowledge | None = None) -> str:
    """The provenance's ``illustrative_items`` (``consequence: shelter_days; success``) in
    ``lang``, a consequence by its name.

    Examples
    --------
    >>> illustrative_items("consequence: shelter_days; success", "da")
    'konsekvens: Døgn på herberg eller forsorgshjem (SEL § 110); succesrate'
    """
    if _column(lang) == 0 or not items:
        return items
    out = []
    for item in items.split("; "):
        kind, sep, what = item.partition(": ")
        if sep and kind in _ITEMS_DA:
            if kind == "consequence":
                what = consequence_name(what, "", lang, kb)
            out.append(f"{_ITEMS_DA[kind]}: {what}")
        else:
            out.append(_WHOLE_DA.get(item, item))
    return "; ".join(out)


# (English, Danish) for the parts of input names and the groups of
# som_mc.analysis.sensitivity.groups.
_PARTS: dict[str, tuple[str, str]] = {
    "scale": ("scale", "skala"),
    "unit_price": ("unit price", "enhedspris"),
    "price": ("price", "pris"),
    "profile": ("profile", "profil"),
    "amount": ("amount", "beløb"),
    "year": ("year", "år"),
    "cost": ("cost", "omkostning"),
    "rate": ("success rate", "succesrate"),
    "gross_rate": ("gross success rate", "brutto-succesrate"),
    "deadweight": ("deadweight", "dødvægt"),
    "persistence": ("persistence", "fastholdelse"),
    "dropout": ("dropout", "frafald"),
    "participants": ("participants", "deltagere"),
    "discount_rate": ("discount rate", "diskonteringsrate"),
    "prices": ("prices", "priser"),
    "profiles": ("profiles", "profiler"),
    "success": ("success", "succes"),
    "costs": ("costs", "omkostninger"),
    "intake": ("intake", "tilgang"),
    "discount": ("discount rate", "diskonteringsrate"),
}


def _part(key: str, column: int) -> str:
    return _PARTS[key][column] if key in _PARTS else key.replace("_", " ")


def _consequence(key: str, column: int) -> str:
    # In Danish the knowledge base's label_da: a key such as shelter_days is English.
    return consequence_name(key, "", "da") if column == 1 else _part(key, column)


def _one(name: str, column: int) -> str:
    year = _part("year", column)
    m = re.fullmatch(r"consequence\.([^.]+)\.profile\[(\d+)\]", name)
    if m:
        return f"{_consequence(m[1], column)}: {_part('profile', column)} {year} {int(m[2]) + 1}"
    m = re.fullmatch(r"consequence\.([^.]+)\.price\.(\w+)", name)
    if m:
        return f"{_consequence(m[1], column)}: {_part('price', column)} ({m[2]})"
    m = re.fullmatch(r"consequence\.([^.]+)(?:\.(\w+))?", name)
    if m:
        head = _consequence(m[1], column)
        return f"{head}: {_part(m[2], column)}" if m[2] else head
    m = re.fullmatch(r"cost\.([^.]+)\.amount", name)
    if m:
        return f"{_part('cost', column)}: {_part(m[1], column)}"
    m = re.fullmatch(r"intake\.participants\[(\d+)\]", name)
    if m:
        return f"{_part('participants', column)} {year} {int(m[1]) + 1}"
    return _part(name.rsplit(".", 1)[-1], column)


def input_name(name: str, lang: str = "en") -> str:
    """A readable name for an input or a group of inputs (``a + b``) in ``lang``; in Danish a
    consequence by its knowledge-base label.

    Examples
    --------
    >>> input_name("consequence.shelter_days.unit_price")
    'shelter days: unit price'
    >>> input_name("success.rate", "da")
    'succesrate'
    """
    column = _column(lang)
    return " + ".join(_one(part, column) for part in name.split(" + "))
