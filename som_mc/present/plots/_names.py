"""Readable names for inputs and consequences on tick labels, and the unit of an input.

Input names are paths (``consequence.shelter_days.unit_price``); on a plot they read as
``shelter days: unit price``. Correlated inputs joined into one factor (``a + b``) keep the
``+``.
"""

from __future__ import annotations

import re
import textwrap

import xarray as xr

from som_mc.conventions import CONSEQUENCE
from som_mc.present.plots._text import check_lang

__all__ = ["consequence_labels", "input_unit", "is_share", "short_input", "wrap"]

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

_SHARES = ("success.", "intake.dropout", "discount_rate")


def _part(key: str, column: int) -> str:
    return _PARTS[key][column] if key in _PARTS else key.replace("_", " ")


def _one(name: str, column: int) -> str:
    year = _part("year", column)
    m = re.fullmatch(r"consequence\.([^.]+)\.profile\[(\d+)\]", name)
    if m:
        return f"{_part(m[1], column)}: {_part('profile', column)} {year} {int(m[2]) + 1}"
    m = re.fullmatch(r"consequence\.([^.]+)\.price\.(\w+)", name)
    if m:
        return f"{_part(m[1], column)}: {_part('price', column)} ({m[2]})"
    m = re.fullmatch(r"consequence\.([^.]+)(?:\.(\w+))?", name)
    if m:
        return f"{_part(m[1], column)}: {_part(m[2], column)}" if m[2] else _part(m[1], column)
    m = re.fullmatch(r"cost\.([^.]+)\.amount", name)
    if m:
        return f"{_part('cost', column)}: {_part(m[1], column)}"
    m = re.fullmatch(r"intake\.participants\[(\d+)\]", name)
    if m:
        return f"{_part('participants', column)} {year} {int(m[1]) + 1}"
    return _part(name.rsplit(".", 1)[-1], column)


def short_input(name: str, lang: str = "en") -> str:
    """A readable name for an input or a group of inputs.

    Examples
    --------
    >>> short_input("consequence.shelter_days.unit_price")
    'shelter days: unit price'
    >>> short_input("consequence.shelter_days.profile[0]", "da")
    'shelter days: profil år 1'
    >>> short_input("success.rate"), short_input("cost.cti_course.amount", "da")
    ('success rate', 'omkostning: cti course')
    """
    column = check_lang(lang)
    return " + ".join(_one(part, column) for part in name.split(" + "))


def wrap(text: str, width: int = 32, lines: int = 2) -> str:
    """``text`` on at most ``lines`` lines of about ``width`` characters, cut with "…"."""
    return "\n".join(textwrap.wrap(text, width, max_lines=lines, placeholder=" …"))


def consequence_labels(ds: xr.Dataset, lang: str) -> list[str]:
    """The consequences' labels: ``consequence_label_da`` for Danish when the Dataset has it,
    else ``consequence_label``, else the keys."""
    column = check_lang(lang)
    for coord in (["consequence_label_da"] if column == 1 else []) + ["consequence_label"]:
        if coord in ds.coords:
            return [str(v) for v in ds[coord].values]
    return [str(k).replace("_", " ") for k in ds[CONSEQUENCE].values]


def is_share(name: str) -> bool:
    """Whether an input is a probability or a share (shown in %)."""
    return name.startswith(_SHARES)


def input_unit(name: str, ds: xr.Dataset, lang: str) -> str:
    """The unit of an input, for an axis label: ``%``, ``DKK``, ``DKK per day`` ..."""
    column = check_lang(lang)
    kr = "kr." if column == 1 else str(ds.attrs.get("currency", "DKK"))
    if is_share(name):
        return "%"
    if name.startswith("cost."):
        return kr
    if name.startswith("intake.participants"):
        return ("persons", "personer")[column]
    m = re.fullmatch(r"consequence\.([^.]+)\.(unit_price|price\.\w+|scale|profile\[\d+\])", name)
    if m is None:
        return ""
    unit = ""
    if "consequence_unit" in ds.coords and m[1] in ds[CONSEQUENCE].values:
        unit = str(ds["consequence_unit"].sel(consequence=m[1]).values)
    if m[2] == "scale":
        return ("factor on the profile", "faktor på profilen")[column]
    if m[2].startswith("profile"):
        return ((f"{unit} " if unit else "") + ("per success", "pr. succes")[column]).strip()
    per = ("per", "pr.")[column]
    return f"{kr} {per} {unit}" if unit else kr
